from datetime import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from arvio.invitations.models import SentMail
from arvio.invitations.services import invitations_send
from arvio.lib.dates import HELSINKI
from tests.invitations.helpers import submit


def _run() -> str:
    out = StringIO()
    call_command("send_reminders", "testikierros", stdout=out)
    return out.getvalue()


def _reminders_to(code):
    return SentMail.objects.filter(kind=SentMail.Kind.REMINDER, invitation__municipality__code=code).count()


def test_it_sends_each_reminder_once_and_again_after_the_interval(round, time_machine, deliver_mail):
    time_machine.move_to(datetime(2024, 11, 6, 9, tzinfo=HELSINKI), tick=False)
    invitations_send(round=round, by=None)
    deliver_mail()
    submit(round.invitations.get(municipality__code="235"), at=datetime(2024, 11, 7, 9, tzinfo=HELSINKI))
    mail.outbox.clear()

    time_machine.move_to(datetime(2024, 11, 13, 7, tzinfo=HELSINKI), tick=False)
    assert _run() == "testikierros: queued 2 reminders to 2 municipalities; the mail worker sends them.\n"
    deliver_mail()
    assert len(mail.outbox) == 2

    time_machine.move_to(datetime(2024, 11, 13, 19, tzinfo=HELSINKI), tick=False)
    assert _run() == "testikierros: queued 0 reminders to 0 municipalities; the mail worker sends them.\n"
    deliver_mail()
    assert len(mail.outbox) == 2

    time_machine.move_to(datetime(2024, 11, 20, 7, tzinfo=HELSINKI), tick=False)
    assert _run() == "testikierros: queued 2 reminders to 2 municipalities; the mail worker sends them.\n"

    assert [_reminders_to("235"), _reminders_to("710"), _reminders_to("927")] == [0, 2, 2]


def test_it_refuses_an_unknown_round(db):
    with pytest.raises(CommandError, match="no-such-round"):
        call_command("send_reminders", "no-such-round")
