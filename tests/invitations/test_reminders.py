from datetime import date, datetime

import pytest
from django.core import mail
from django.utils import timezone

from arvio.invitations.models import Invitation, SentMail
from arvio.invitations.services import invitations_send, link_reissue, reminders_send
from arvio.lib.dates import HELSINKI
from tests.invitations.helpers import submit
from tests.worker import run_mail_worker


def _at(day, hour, minute=0):
    return datetime(2024, 11, day, hour, minute, tzinfo=HELSINKI)


@pytest.fixture
def invited(round, time_machine):
    """Everybody invited on 6.11.2024 at 16.00."""
    time_machine.move_to(_at(6, 16), tick=False)
    invitations_send(round=round, by=None)
    run_mail_worker()
    mail.outbox.clear()
    return round


def _reminded(sent):
    return sorted(m.invitation.municipality.code for m in sent)


def test_it_counts_calendar_days_in_helsinki(invited, time_machine):
    time_machine.move_to(_at(12, 23, 59), tick=False)
    assert reminders_send(round=invited, now=timezone.now()) == []
    time_machine.move_to(_at(13, 0, 1), tick=False)
    assert _reminded(reminders_send(round=invited, now=timezone.now())) == ["235", "710", "927"]


def test_it_counts_from_the_last_reminder(invited, time_machine):
    time_machine.move_to(_at(13, 9), tick=False)
    reminders_send(round=invited, now=timezone.now())
    time_machine.move_to(_at(19, 9), tick=False)
    assert reminders_send(round=invited, now=timezone.now()) == []
    time_machine.move_to(_at(20, 9), tick=False)
    assert len(reminders_send(round=invited, now=timezone.now())) == 3


def test_it_takes_the_interval_from_the_round(invited, time_machine):
    invited.reminder_interval_days = 3
    invited.save()
    time_machine.move_to(_at(9, 9), tick=False)
    assert len(reminders_send(round=invited, now=timezone.now())) == 3


def test_it_takes_min_days_when_given(invited, time_machine):
    time_machine.move_to(_at(7, 9), tick=False)
    assert len(reminders_send(round=invited, now=timezone.now(), min_days=1)) == 3
    assert reminders_send(round=invited, now=timezone.now(), min_days=1) == []


def test_it_never_reminds_a_municipality_that_submitted(invited, time_machine):
    submit(invited.invitations.get(municipality__code="710"), at=_at(8, 12))
    time_machine.move_to(_at(13, 9), tick=False)
    assert _reminded(reminders_send(round=invited, now=timezone.now())) == ["235", "927"]


def test_it_never_reminds_one_that_was_never_invited(round, time_machine):
    time_machine.move_to(_at(20, 9), tick=False)
    assert reminders_send(round=round, now=timezone.now()) == []


def test_it_does_not_count_a_new_link_as_asking(invited, time_machine):
    time_machine.move_to(_at(12, 9), tick=False)
    link_reissue(invitation=invited.invitations.get(municipality__code="235"), by=None)
    time_machine.move_to(_at(13, 9), tick=False)
    assert len(reminders_send(round=invited, now=timezone.now())) == 3


def test_it_stops_when_the_window_closes_but_not_for_an_extension(invited, time_machine):
    Invitation.objects.filter(municipality__code="927").update(deadline_extended_to=date(2024, 12, 12))
    time_machine.move_to(datetime(2024, 12, 8, 9, tzinfo=HELSINKI), tick=False)
    assert _reminded(reminders_send(round=invited, now=timezone.now())) == ["927"]


def test_it_does_not_remind_before_the_round_opens(round, time_machine):
    time_machine.move_to(datetime(2024, 10, 20, 9, tzinfo=HELSINKI), tick=False)
    invitations_send(round=round, by=None)
    time_machine.move_to(datetime(2024, 11, 5, 9, tzinfo=HELSINKI), tick=False)
    assert reminders_send(round=round, now=timezone.now()) == []


def test_it_logs_each_reminder_as_sent_by_the_system(invited, time_machine, deliver_mail):
    time_machine.move_to(_at(13, 9), tick=False)
    reminders_send(round=invited, now=timezone.now())
    deliver_mail()
    reminders = SentMail.objects.filter(kind=SentMail.Kind.REMINDER)
    assert reminders.count() == len(mail.outbox) == 3
    assert {m.sent_by for m in reminders} == {None}
    assert {m.sent_at for m in reminders} == {timezone.now()}


def test_it_sends_invitations_only_to_those_never_sent_one(round, during_round, deliver_mail):
    first = invitations_send(round=round, by=None)
    assert sorted(m.invitation.municipality.code for m in first) == ["235", "710", "927"]
    # Queued counts as had: pressing the button again before the worker ran sends nothing twice.
    assert invitations_send(round=round, by=None) == []
    deliver_mail()
    assert invitations_send(round=round, by=None) == []
    assert len(mail.outbox) == 3


def test_it_does_not_send_invitations_after_the_close(round, time_machine):
    time_machine.move_to(datetime(2024, 12, 6, 9, tzinfo=HELSINKI), tick=False)
    Invitation.objects.filter(municipality__code="927").update(deadline_extended_to=date(2024, 12, 12))
    assert [m.invitation.municipality.code for m in invitations_send(round=round, by=None)] == ["927"]
