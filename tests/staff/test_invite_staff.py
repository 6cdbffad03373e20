"""`arvio invite_staff`: a new installation's first evaluation staff member, without the Django admin."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from arvio.invitations.models import SentMail
from arvio.records.models import AuditEntry
from arvio.staff.models import Membership
from arvio.surveys.models import Organizer
from tests.factories import make_organizer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def invite(*args) -> str:
    output = StringIO()
    call_command("invite_staff", *args, stdout=output)
    return output.getvalue()


def test_it_makes_the_organizer_and_invites_its_first_staff_member():
    output = invite(
        "Eeva.Arvioija@example.fi",
        "--organizer=pohjanmaa",
        "--organizer-name-fi=Pohjanmaan hyvinvointialue",
        "--organizer-name-sv=Österbottens välfärdsområde",
        "--first-name=Eeva",
        "--language=sv",
    )

    organizer = Organizer.objects.get(code="pohjanmaa")
    assert (organizer.name_fi, organizer.name_sv, organizer.name_en) == (
        "Pohjanmaan hyvinvointialue",
        "Österbottens välfärdsområde",
        "Pohjanmaan hyvinvointialue",
    )
    membership = Membership.objects.get(organizer=organizer)
    assert membership.role == Membership.Role.STAFF
    assert membership.user.username == "eeva.arvioija@example.fi" and not membership.user.has_usable_password()
    mail = SentMail.objects.get(kind=SentMail.Kind.ACCOUNT_INVITATION)
    assert mail.to_address == "Eeva.Arvioija@example.fi" and mail.state == SentMail.State.QUEUED
    assert "/staff/set-password/" in mail.body
    assert AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_INVITE).detail["organizer"] == "pohjanmaa"
    assert "Made the organizer pohjanmaa" in output and "is in the outbox" in output


def test_it_adds_a_member_to_an_organizer_that_exists():
    organizer = make_organizer()
    invite("toinen@example.fi", f"--organizer={organizer.code}")
    assert Membership.objects.get(user__email="toinen@example.fi").organizer == organizer
    assert Organizer.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-an-address", "--organizer=luvn"], "is not an email address"),
        (["a@example.fi", "--organizer=ei sovi"], "is not an organizer's code"),
        (["a@example.fi", "--organizer=uusi"], "give its names"),
        (["a@example.fi", "--organizer=uusi", "--organizer-name-fi=Uusi"], "give its names"),
    ],
)
def test_it_refuses_what_it_cannot_do_and_makes_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        invite(*args)
    assert not Organizer.objects.exists() and not Membership.objects.exists() and not SentMail.objects.exists()


def test_it_refuses_an_address_already_in_the_organizer():
    organizer = make_organizer()
    invite("kaisa@example.fi", f"--organizer={organizer.code}")
    with pytest.raises(CommandError, match="already has an account"):
        invite("KAISA@example.fi", f"--organizer={organizer.code}")
    assert Membership.objects.count() == 1
