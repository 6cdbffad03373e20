"""`arvio personal_data EMAIL [--erase]`: one person's data, listed and erased."""

from io import StringIO

import pytest
from axes.models import AccessLog
from django.contrib.auth.backends import ModelBackend
from django.core.management import CommandError, call_command
from django.utils import translation

from arvio.invitations.mail import send_invitation
from arvio.invitations.models import Contact, SentMail
from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.responses.models import Answer
from arvio.staff.account_services import account_invite
from arvio.staff.personal_data import email_fingerprint
from tests.invitations.helpers import DURING_ROUND, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The command's output in English, so that assertions do not depend on the Finnish catalogue."""
    with translation.override("en"):
        yield


EMAIL = "johtaja@235.example.fi"


@pytest.fixture
def person(round, time_machine):
    """Kauniainen's contact, mailed an invitation, who submitted under their own name."""
    time_machine.move_to(DURING_ROUND, tick=False)
    invitation = round.invitations.get(municipality__code="235")
    send_invitation(invitation=invitation)
    submit(invitation, at=DURING_ROUND, values={"osallisuus": 4}, by="Johtaja Kauniainen")
    return invitation


def run(*args) -> str:
    output = StringIO()
    call_command("personal_data", *args, stdout=output)
    return output.getvalue()


def test_it_lists_a_persons_data_and_records_the_listing(person):
    output = run("JOHTAJA@235.example.fi")
    assert "contact person: round testikierros, 235: Johtaja Kauniainen, – <johtaja@235.example.fi>" in output
    assert (
        "mail: round testikierros, 235: Invitation 20.11.2024 10.00 to Johtaja Kauniainen <johtaja@235.example.fi>"
        in output
    )
    assert "submitted by: round testikierros, 235: Johtaja Kauniainen" in output
    assert Contact.objects.filter(email=EMAIL).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERSONAL_DATA_LIST)
    assert entry.detail["email_sha256"] == email_fingerprint(EMAIL)
    assert EMAIL not in str(entry.detail)


def test_it_erases_a_persons_data_and_keeps_the_answers(person):
    other = Contact.objects.get(email="johtaja@710.example.fi")
    output = run(EMAIL, "--erase")
    assert "Erased. The municipalities' answers were kept." in output
    assert not Contact.objects.filter(email=EMAIL).exists()
    assert Contact.objects.filter(pk=other.pk).exists()
    assert list(person.mails.values_list("recipients", flat=True)) == [""]
    person.response.refresh_from_db()
    assert person.response.submitted_by == "" and person.response.submitted_at is not None
    assert Answer.objects.filter(response=person.response).count() == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERSONAL_DATA_ERASE)
    assert (entry.detail["contacts"], entry.detail["mail_addresses"], entry.detail["submitters"]) == (1, 1, 1)
    assert "Arvio holds no personal data" in run(EMAIL)


def test_it_deletes_an_account_the_log_does_not_name(django_user_model, db):
    account = django_user_model.objects.create_user("uusi", "uusi@example.fi", "correct horse battery")
    AccessLog.objects.create(username="uusi", ip_address="192.0.2.1", user_agent="", http_accept="", path_info="/")
    output = run("uusi@example.fi", "--erase")
    assert "account: uusi (active), last login –" in output
    assert not django_user_model.objects.filter(pk=account.pk).exists()
    assert not AccessLog.objects.exists()


def test_it_deactivates_an_account_the_log_names_and_blanks_its_email(django_user_model, db):
    account = django_user_model.objects.create_user(
        "arvioija", "arvioija@example.fi", "correct horse battery", first_name="Anna", last_name="Arvioija"
    )
    record(action=AuditEntry.Action.ROUND_CLOSE, by=account, round_code="testikierros")
    output = run("arvioija@example.fi", "--erase")
    assert "The audit log names this person's account in 1 entries" in output
    account.refresh_from_db()
    assert (account.is_active, account.email, account.first_name, account.last_name) == (False, "", "", "")
    assert not account.has_usable_password()
    assert ModelBackend().authenticate(None, username="arvioija", password="correct horse battery") is None
    assert AuditEntry.objects.filter(username="arvioija", action=AuditEntry.Action.ROUND_CLOSE).exists()


def test_it_says_when_it_holds_nothing(db):
    assert "Arvio holds no personal data under nobody@example.fi." in run("nobody@example.fi")


def test_it_matches_only_the_whole_address(person):
    run("ohtaja@235.example.fi", "--erase")
    assert Contact.objects.filter(email=EMAIL).exists()
    assert SentMail.objects.exclude(recipients="").exists()


def test_it_refuses_what_is_no_email_address(db):
    with pytest.raises(CommandError, match="is not an email address"):
        run("not an address\x00")
    assert not AuditEntry.objects.exists()


def test_it_erases_an_invited_accounts_username_and_its_mail(staff, deliver_mail):
    """An invited colleague's username is the address: the log keeps the account by id, not by the address."""
    invited = account_invite(
        organizer=staff.memberships.get().organizer,
        email="Kutsuttu@example.fi",
        first_name="Kaisa",
        last_name="Kutsuttu",
        role="viewer",
        language="fi",
        by=staff,
    ).membership.user
    deliver_mail()
    record(action=AuditEntry.Action.ROUND_CLOSE, by=invited, round_code="testikierros")
    output = run("kutsuttu@example.fi", "--erase")
    assert "mail: Account invitation" in output and "to Kutsuttu@example.fi" in output
    invited.refresh_from_db()
    assert (invited.username, invited.email, invited.is_active) == (f"erased-{invited.pk}", "", False)
    assert SentMail.objects.get(account=invited).recipients == ""
