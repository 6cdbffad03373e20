import pytest
from django.conf import settings as django_settings
from django.utils import translation

from arvio.staff.models import Membership
from tests.factories import make_organizer, make_round
from tests.worker import run_mail_worker


@pytest.fixture(autouse=True)
def _language_of_each_test():
    """Every test starts in the default language; a request's LocaleMiddleware would otherwise leak its
    language into the tests that run after it in the same thread."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _settings_for_tests(settings, tmp_path):
    settings.ARVIO_BASE_URL = "http://testserver"
    # Hashing a password is not what any test here tests, and the default hasher takes a good part of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _user(django_user_model, username, role=None):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.fi", password="correct horse battery"
    )
    if role:
        # The organizer of tests.factories.make_round, made here if no round has made it yet.
        Membership.objects.create(user=user, organizer=make_organizer(), role=role)
    return user


@pytest.fixture
def staff(django_user_model, db):
    """Evaluation staff of the organizer "luvn": may do everything on its rounds."""
    return _user(django_user_model, "staff", Membership.Role.STAFF)


@pytest.fixture
def viewer(django_user_model, db):
    """County management, a viewer in the organizer "luvn": reads only."""
    return _user(django_user_model, "viewer", Membership.Role.VIEWER)


@pytest.fixture
def outsider(django_user_model, db):
    """Logged in, but a member of no organizer: must get 403 or 404 everywhere."""
    return _user(django_user_model, "outsider")


@pytest.fixture
def round(db):
    return make_round()


@pytest.fixture
def deliver_mail(db):
    """Mail is queued in the outbox and sent by the worker: call this where the worker would have run."""
    return run_mail_worker
