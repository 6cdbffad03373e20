"""`arvio purge`: personal data of rounds that ended long ago goes, the municipalities' answers stay."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone, translation

from arvio.invitations.mail import send_invitation
from arvio.invitations.models import Contact, SentMail
from arvio.lib.dates import HELSINKI
from arvio.records.models import AuditEntry
from arvio.responses.models import Answer, Comment, PendingImport, Response
from arvio.staff.account_services import account_invite
from tests.factories import make_round
from tests.invitations.helpers import DURING_ROUND, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The command's output in English, so that assertions do not depend on the Finnish catalogue."""
    with translation.override("en"):
        yield


# The test round closes 5.12.2024; with the default 365 days its personal data goes after 5.12.2025.
LATER = datetime(2026, 1, 10, 3, 0, tzinfo=HELSINKI)


@pytest.fixture
def old_round(round, time_machine):
    """The test round with mail sent and Kauniainen's submitted answer, as it stood when it closed."""
    time_machine.move_to(DURING_ROUND, tick=False)
    for invitation in round.invitations.all():
        send_invitation(invitation=invitation)
    submit(
        round.invitations.get(municipality__code="235"),
        at=DURING_ROUND,
        values={"osallisuus": 4},
        comments={"kehittaminen": "Yhteiset kokoukset."},
        by="Kaisa Kunnanjohtaja",
    )
    return round


@pytest.fixture
def recent_round(db):
    """A round that closed a month before LATER: its contacts are still needed."""
    recent = make_round("tuore-kierros", opens_on=date(2025, 11, 1), closes_on=date(2025, 12, 10))
    submit(recent.invitations.get(municipality__code="927"), at=datetime(2025, 12, 1, tzinfo=HELSINKI), by="Ville")
    return recent


def purge(*args, at=LATER, time_machine) -> str:
    time_machine.move_to(at, tick=False)
    output = StringIO()
    call_command("purge", *args, stdout=output)
    return output.getvalue()


def personal_data(round):
    return {
        "contacts": sorted(Contact.objects.filter(invitation__round=round).values_list("email", flat=True)),
        "submitters": sorted(Response.objects.filter(invitation__round=round).values_list("submitted_by", flat=True)),
        "recipients": sorted(SentMail.objects.filter(invitation__round=round).values_list("recipients", flat=True)),
    }


def test_a_dry_run_lists_what_would_go_and_removes_nothing(old_round, recent_round, time_machine):
    before = personal_data(old_round), personal_data(recent_round)
    output = purge("--dry-run", time_machine=time_machine)
    assert "testikierros (ended 5.12.2024 23.59): contact people 3, submitters' names 1, mail addresses 3" in output
    assert "contact person: 235: Johtaja Kauniainen <johtaja@235.example.fi>" in output
    assert "submitter's name: 235: Kaisa Kunnanjohtaja" in output
    assert "tuore-kierros" not in output
    assert "Dry run: nothing was removed." in output
    assert (personal_data(old_round), personal_data(recent_round)) == before
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PURGE).exists()


def test_it_removes_the_personal_data_of_rounds_ended_long_ago_and_keeps_the_answers(
    old_round, recent_round, time_machine
):
    recent = personal_data(recent_round)
    answers = list(Answer.objects.values_list("response__invitation__municipality__code", "node__code", "value"))
    comments = list(Comment.objects.values_list("text", flat=True))

    output = purge(time_machine=time_machine)

    assert "Removed. The municipalities' answers were kept." in output
    assert personal_data(old_round) == {"contacts": [], "submitters": [""], "recipients": ["", "", ""]}
    assert personal_data(recent_round) == recent
    assert (
        list(Answer.objects.values_list("response__invitation__municipality__code", "node__code", "value")) == answers
    )
    assert list(Comment.objects.values_list("text", flat=True)) == comments
    assert Response.objects.get(invitation__municipality__code="235", invitation__round=old_round).submitted_at
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PURGE)
    assert entry.detail | {"sessions": 0} == {
        "rounds": ["testikierros"],
        "contacts": 3,
        "submitters": 1,
        "mail_addresses": 3,
        "sessions": 0,
        "uploads": 0,
        "login_records": 0,
        "audit_entries": 0,
        "account_mails": 0,
    }
    # Again: nothing is left to remove, and the run is recorded all the same.
    assert "none with personal data left" in purge(time_machine=time_machine)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PURGE).count() == 2


def test_it_counts_a_round_as_ended_when_its_last_extension_ends(old_round, time_machine, settings):
    settings.ARVIO_PERSONAL_DATA_DAYS = 30
    old_round.invitations.filter(municipality__code="710").update(deadline_extended_to=date(2024, 12, 20))
    purge(at=datetime(2025, 1, 10, tzinfo=HELSINKI), time_machine=time_machine)
    assert personal_data(old_round)["contacts"]
    purge(at=datetime(2025, 1, 20, 1, 0, tzinfo=HELSINKI), time_machine=time_machine)
    assert not personal_data(old_round)["contacts"]


def test_it_counts_a_round_closed_early_from_its_close(old_round, time_machine, settings):
    settings.ARVIO_PERSONAL_DATA_DAYS = 30
    old_round.closed_at = datetime(2024, 11, 25, 12, 0, tzinfo=HELSINKI)
    old_round.save()
    purge(at=datetime(2024, 12, 26, tzinfo=HELSINKI), time_machine=time_machine)
    assert not personal_data(old_round)["contacts"]


def test_it_removes_expired_sessions_and_old_login_records(db, time_machine):
    time_machine.move_to(LATER - timedelta(days=200), tick=False)
    expired = SessionStore()
    expired["x"] = 1
    expired.create()
    AccessLog.objects.create(username="staff", ip_address="192.0.2.1", user_agent="", http_accept="", path_info="/")
    AccessFailureLog.objects.create(username="x", ip_address="192.0.2.2", user_agent="", http_accept="", path_info="/")
    AccessAttempt.objects.create(
        username="x", ip_address="192.0.2.2", user_agent="", http_accept="", path_info="/", failures_since_start=3
    )
    time_machine.move_to(LATER - timedelta(days=10), tick=False)
    AccessLog.objects.create(username="staff", ip_address="192.0.2.1", user_agent="", http_accept="", path_info="/")
    live = SessionStore()
    live.set_expiry(timezone.now() + timedelta(days=30))
    live.create()

    output = purge(time_machine=time_machine)

    assert "Expired sessions: 1" in output and "Login records older than 90 days: 3" in output
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert (
        AccessLog.objects.count() == 1 and not AccessFailureLog.objects.exists() and not AccessAttempt.objects.exists()
    )


def test_it_removes_uploaded_responses_files_never_confirmed(round, staff, time_machine):
    time_machine.move_to(LATER - timedelta(hours=2), tick=False)
    kept = timezone.now() + timedelta(hours=3)
    for name, expires in (("vanha.csv", timezone.now() + timedelta(minutes=30)), ("uusi.csv", kept)):
        PendingImport.objects.create(
            round=round, uploaded_by=staff, filename=name, content=b"kunta;nimi\n", expires_at=expires
        )

    output = purge(time_machine=time_machine)

    assert "Uploaded responses files never confirmed: 1" in output
    assert list(PendingImport.objects.values_list("filename", flat=True)) == ["uusi.csv"]
    assert AuditEntry.objects.get(action=AuditEntry.Action.PURGE).detail["uploads"] == 1


def test_it_expires_audit_entries_past_their_retention_and_keeps_its_own(round, staff, time_machine, settings):
    time_machine.move_to(datetime(2020, 1, 1, tzinfo=HELSINKI), tick=False)
    AuditEntry.objects.create(action=AuditEntry.Action.ROUND_CLOSE, username="staff", round_code="vanha")
    time_machine.move_to(datetime(2024, 1, 1, tzinfo=HELSINKI), tick=False)
    kept = AuditEntry.objects.create(action=AuditEntry.Action.ROUND_CLOSE, username="staff", round_code="uudempi")

    output = purge(time_machine=time_machine)

    assert "Audit entries older than 1825 days: 1" in output
    assert list(AuditEntry.objects.order_by("at").values_list("pk", flat=True))[0] == kept.pk
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PURGE).get().detail["audit_entries"] == 1


def test_it_removes_the_message_and_address_of_mail_never_sent(old_round, time_machine):
    """The old round's invitations never reached the mail server: each row still holds its address and a
    body with a personal link. Both go, and the mail is cancelled rather than sent to nobody later."""
    unsent = SentMail.objects.filter(invitation__round=old_round)
    assert all(mail.to_address and "/a/" in mail.body for mail in unsent)

    purge(time_machine=time_machine)

    assert set(unsent.values_list("to_address", "body", "state")) == {("", "", SentMail.State.CANCELLED)}


def test_it_removes_the_addresses_of_old_mail_to_staff_accounts(staff, time_machine, deliver_mail):
    time_machine.move_to(DURING_ROUND, tick=False)
    old = account_invite(
        organizer=staff.memberships.get().organizer,
        email="vanha@example.fi",
        first_name="Vanha",
        last_name="Kutsu",
        role="viewer",
        language="fi",
        by=staff,
    )
    deliver_mail()
    time_machine.move_to(LATER - timedelta(days=10), tick=False)
    recent = account_invite(
        organizer=staff.memberships.get().organizer,
        email="uusi@example.fi",
        first_name="Uusi",
        last_name="Kutsu",
        role="viewer",
        language="fi",
        by=staff,
    )
    output = purge(time_machine=time_machine)
    assert "Mail to staff accounts older than 365 days: 1" in output
    assert SentMail.objects.get(pk=old.mail.pk).recipients == ""
    unsent = SentMail.objects.get(pk=recent.mail.pk)
    assert (unsent.recipients, unsent.state) == ("uusi@example.fi", SentMail.State.QUEUED)
    assert AuditEntry.objects.get(action=AuditEntry.Action.PURGE).detail["account_mails"] == 1
