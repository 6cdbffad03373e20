import pytest
from django.conf import settings as django_settings
from django.utils import translation

from arvio.staff.roles import EVALUATION_STAFF, VIEWERS, roles_ensure
from tests.factories import make_round
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
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _user(django_user_model, username, group=None):
    user = django_user_model.objects.create_user(username=username, password="correct horse battery")
    if group:
        # roles_ensure: a transactional test run earlier may have flushed the groups the migration made.
        user.groups.add(roles_ensure()[group])
    return user


@pytest.fixture
def staff(django_user_model, db):
    """Evaluation staff: may do everything."""
    return _user(django_user_model, "staff", EVALUATION_STAFF)


@pytest.fixture
def viewer(django_user_model, db):
    """County management: reads only."""
    return _user(django_user_model, "viewer", VIEWERS)


@pytest.fixture
def outsider(django_user_model, db):
    """Logged in, but with no role: must get 403 or 404 everywhere."""
    return _user(django_user_model, "outsider")


@pytest.fixture
def round(db):
    return make_round()


@pytest.fixture
def deliver_mail(db):
    """Mail is queued in the outbox and sent by the worker: call this where the worker would have run."""
    return run_mail_worker
