"""The accounts' pages: invite a colleague, who sets a password and logs in; change a role; deactivate."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from arvio.invitations.models import SentMail
from arvio.records.models import AuditEntry
from arvio.staff.account_services import AccountRefused, account_deactivate, membership_role_change
from arvio.staff.models import Membership
from tests.factories import make_organizer

pytestmark = pytest.mark.django_db

A = AuditEntry.Action
User = get_user_model()
PASSWORD = "a long and unusual passphrase"
INVITE = reverse("staff:account_invite")


def _invite(client, **data):
    form = {
        "first_name": "Kaisa",
        "last_name": "Kollega",
        "email": "Kaisa.Kollega@example.fi",
        "organizer": "luvn",
        "role": "viewer",
        "language": "fi",
        **data,
    }
    return client.post(INVITE, form)


def _link(message) -> str:
    return re.search(r"http://testserver(/staff/set-password/\S+/)", message.body).group(1)


def log_in(client, username, password) -> bool:
    """Logs in through the login page (django-axes' backend wants the request), as a person would."""
    response = client.post(reverse("staff:login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def _english() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _member(user, organizer="luvn"):
    return Membership.objects.get(user=user, organizer__code=organizer)


def test_it_lists_the_organizers_accounts(client, staff, viewer, outsider):
    client.force_login(staff)
    page = client.get(reverse("staff:accounts"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "staff@example.fi" in text
    assert "viewer@example.fi" in text
    assert "outsider@example.fi" not in text
    assert "Viewer" in text and "Evaluation staff" in text


@pytest.mark.parametrize("person", ["viewer", "outsider"])
def test_it_forbids_viewers_and_outsiders(client, request, person, staff):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("staff:accounts")).status_code == 403
    assert _invite(client).status_code == 403
    assert client.get(reverse("staff:account", args=["luvn", staff.pk])).status_code == 403
    assert client.post(reverse("staff:account_role", args=["luvn", staff.pk]), {"role": "viewer"}).status_code == 403
    assert _member(staff).role == "staff"
    assert not User.objects.filter(email__iexact="kaisa.kollega@example.fi").exists()


def test_it_sends_anonymous_to_login(client, staff):
    response = client.get(reverse("staff:accounts"))
    assert response.status_code == 302 and response.url.startswith("/staff/login/")


def test_an_invited_colleague_sets_a_password_and_logs_in(client, staff, deliver_mail):
    client.force_login(staff)
    response = _invite(client)
    assert response.status_code == 302
    invited = User.objects.get(email="Kaisa.Kollega@example.fi")
    assert invited.username == "kaisa.kollega@example.fi"
    assert not invited.has_usable_password()
    assert _member(invited).role == "viewer"
    assert client.get(reverse("staff:accounts")).content.decode().count("Invited, no password yet") == 1

    deliver_mail()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Kaisa.Kollega@example.fi"]
    assert "Länsi-Uudenmaan hyvinvointialue" in message.subject
    assert "staff on kutsunut teidät" in message.body  # who invited, by name, in the language chosen
    sent = SentMail.objects.get(account=invited)
    assert (sent.kind, sent.state, sent.body) == (SentMail.Kind.ACCOUNT_INVITATION, SentMail.State.SENT, "")

    colleague = Client()
    opened = colleague.get(_link(message))
    # Django's view takes the token out of the address at once.
    assert opened.status_code == 302 and opened.url.endswith("/set-password/")
    too_short = colleague.post(opened.url, {"new_password1": "lyhyt", "new_password2": "lyhyt"})
    assert too_short.status_code == 400
    assert b"error-summary" in too_short.content
    done = colleague.post(opened.url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done.url == reverse("staff:login")
    logged_in = colleague.post(reverse("staff:login"), {"username": "kaisa.kollega@example.fi", "password": PASSWORD})
    assert logged_in.status_code == 302 and logged_in.url == reverse("staff:rounds")
    assert colleague.get(reverse("staff:rounds")).status_code == 200

    # The link served once.
    assert b"This link no longer works" in _english().get(_link(message), follow=True).content
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert [a for a in actions if a.startswith("account_")] == [A.ACCOUNT_INVITE, A.ACCOUNT_PASSWORD_SET]
    assert AuditEntry.objects.get(action=A.ACCOUNT_INVITE).detail["organizer"] == "luvn"


def test_it_writes_the_invitation_in_the_language_chosen(client, staff, deliver_mail):
    client.force_login(staff)
    _invite(client, language="sv", role="staff")
    deliver_mail()
    assert "Västra Nylands välfärdsområde" in mail.outbox[0].subject


def test_it_shows_the_password_rules_in_the_users_language(client, staff, deliver_mail):
    client.force_login(staff)
    _invite(client)
    deliver_mail()
    colleague = Client()
    colleague.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    opened = colleague.get(_link(mail.outbox[0]))
    refused = colleague.post(opened.url, {"new_password1": "lyhyt", "new_password2": "lyhyt"})
    assert refused.status_code == 400
    assert "Salasana on liian lyhyt. Siinä on oltava vähintään 12 merkkiä." in refused.content.decode()


def test_an_expired_invitation_link_does_not_work(client, staff, deliver_mail, settings, time_machine):
    time_machine.move_to("2026-01-01 10:00", tick=False)
    client.force_login(staff)
    _invite(client)
    deliver_mail()
    time_machine.move_to(f"2026-01-{1 + settings.ARVIO_ACCOUNT_INVITE_DAYS:02d} 11:00", tick=False)
    page = _english().get(_link(mail.outbox[0]), follow=True)
    assert b"This link no longer works" in page.content


def test_sending_the_invitation_again_ends_the_earlier_link(client, staff, deliver_mail):
    client.force_login(staff)
    _invite(client)
    invited = User.objects.get(email="Kaisa.Kollega@example.fi")
    response = client.post(reverse("staff:account_resend", args=["luvn", invited.pk]), {"language": "en"})
    assert response.status_code == 302
    deliver_mail()
    first, second = mail.outbox
    assert b"This link no longer works" in _english().get(_link(first), follow=True).content
    assert _english().get(_link(second)).status_code == 302
    assert AuditEntry.objects.filter(action=A.ACCOUNT_INVITE_RESEND).count() == 1


def test_inviting_an_address_with_an_account_adds_a_membership(client, staff, viewer, deliver_mail):
    other = make_organizer("toinen")
    Membership.objects.create(user=staff, organizer=other, role=Membership.Role.STAFF)
    client.force_login(staff)
    response = _invite(client, email="VIEWER@example.fi", organizer="toinen", role="staff")
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="viewer@example.fi").count() == 1
    assert _member(viewer, "toinen").role == "staff"
    assert _member(viewer, "luvn").role == "viewer"
    deliver_mail()
    assert mail.outbox == []  # the account has a password already


def test_it_refuses_to_invite_a_member_twice(client, staff, viewer):
    client.force_login(staff)
    response = _invite(client, email="viewer@example.fi")
    assert response.status_code == 400
    assert "already has an account in" in response.content.decode()


def test_it_refuses_an_organizer_the_user_does_not_manage(client, staff, viewer):
    Membership.objects.create(user=staff, organizer=make_organizer("toinen"), role=Membership.Role.VIEWER)
    client.force_login(staff)
    response = _invite(client, organizer="toinen")
    assert response.status_code == 400
    assert not User.objects.filter(email__iexact="kaisa.kollega@example.fi").exists()


def test_it_says_what_is_wrong_with_the_invitation(client, staff):
    client.force_login(staff)
    response = _invite(client, email="ei osoite", first_name="")
    assert response.status_code == 400
    text = response.content.decode()
    assert "error-summary" in text and 'aria-invalid="true"' in text
    assert "Enter a valid email address." in text


def test_it_changes_a_role(client, staff, viewer):
    client.force_login(staff)
    response = client.post(reverse("staff:account_role", args=["luvn", viewer.pk]), {"role": "staff"})
    assert response.status_code == 302
    assert _member(viewer).role == "staff"
    entry = AuditEntry.objects.get(action=A.ACCOUNT_ROLE_CHANGE)
    assert entry.detail == {"organizer": "luvn", "user": f"{viewer.pk} viewer", "role": "staff", "before": "viewer"}


def test_nobody_takes_away_their_own_role_or_account(client, staff):
    client.force_login(staff)
    own = client.post(reverse("staff:account_role", args=["luvn", staff.pk]), {"role": "viewer"})
    assert own.status_code == 400
    assert "cannot take away your own role" in own.content.decode()
    refused = client.post(reverse("staff:account_deactivate", args=["luvn", staff.pk]))
    assert refused.status_code == 400
    assert "cannot deactivate your own account" in refused.content.decode()
    staff.refresh_from_db()
    assert staff.is_active and _member(staff).role == "staff"


def test_the_last_staff_member_is_kept_whoever_asks(staff, django_user_model):
    """The web pages reach this only through a race (two staff members removing each other at once): the
    services lock the organizer's staff rows and check again."""
    membership = _member(staff)
    other = django_user_model.objects.create_user("muu")
    with translation.override("en"), pytest.raises(AccountRefused, match="last evaluation staff member"):
        membership_role_change(membership=membership, role="viewer", by=other)
    with translation.override("en"), pytest.raises(AccountRefused, match="last evaluation staff member"):
        account_deactivate(membership=membership, by=other)
    staff.refresh_from_db()
    assert staff.is_active and _member(staff).role == "staff"


def test_deactivating_ends_the_sessions_and_the_login(client, staff, viewer):
    viewer_client = Client()
    assert log_in(viewer_client, "viewer", "correct horse battery")
    assert Session.objects.count() == 1
    client.force_login(staff)
    confirm = client.get(reverse("staff:account_deactivate", args=["luvn", viewer.pk]))
    assert confirm.status_code == 200
    assert "Deactivate the account of viewer?" in confirm.content.decode()
    response = client.post(reverse("staff:account_deactivate", args=["luvn", viewer.pk]))
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert not viewer.is_active
    assert Session.objects.count() == 1  # the staff member's own
    assert viewer_client.get(reverse("staff:rounds")).status_code == 302
    assert not log_in(Client(), "viewer", "correct horse battery")
    entry = AuditEntry.objects.get(action=A.ACCOUNT_DEACTIVATE)
    assert entry.detail["sessions_ended"] == 1
    assert "Deactivated" in client.get(reverse("staff:accounts")).content.decode()


def test_deactivating_an_account_of_two_organizers_removes_only_this_membership(client, staff, viewer):
    Membership.objects.create(user=viewer, organizer=make_organizer("toinen"), role="viewer")
    client.force_login(staff)
    confirm = client.get(reverse("staff:account_deactivate", args=["luvn", viewer.pk])).content.decode()
    assert "Remove viewer from Länsi-Uudenmaan hyvinvointialue?" in confirm
    client.post(reverse("staff:account_deactivate", args=["luvn", viewer.pk]))
    viewer.refresh_from_db()
    assert viewer.is_active
    assert list(viewer.memberships.values_list("organizer__code", flat=True)) == ["toinen"]
    assert AuditEntry.objects.filter(action=A.ACCOUNT_REMOVE).count() == 1


def test_another_organizers_account_answers_404(client, staff, django_user_model):
    other = make_organizer("toinen")
    account = django_user_model.objects.create_user("b", "b@example.fi", PASSWORD)
    Membership.objects.create(user=account, organizer=other, role="staff")
    client.force_login(staff)
    for name in ("account", "account_role", "account_deactivate", "account_resend"):
        assert client.post(reverse(f"staff:{name}", args=["toinen", account.pk]), {"role": "viewer"}).status_code == 404
        assert client.post(reverse(f"staff:{name}", args=["luvn", account.pk]), {"role": "viewer"}).status_code == 404
    account.refresh_from_db()
    assert account.is_active and _member(account, "toinen").role == "staff"
    assert "b@example.fi" not in client.get(reverse("staff:accounts")).content.decode()


def test_a_deactivated_account_invited_again_sets_a_new_password(client, staff, viewer, deliver_mail):
    client.force_login(staff)
    client.post(reverse("staff:account_deactivate", args=["luvn", viewer.pk]))
    Membership.objects.filter(user=viewer).delete()
    assert _invite(client, email="viewer@example.fi").status_code == 302
    viewer.refresh_from_db()
    assert viewer.is_active and not viewer.has_usable_password()
    deliver_mail()
    assert mail.outbox[0].to == ["viewer@example.fi"]
