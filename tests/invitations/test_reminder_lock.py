"""Two reminder runs at once (cron and a click) must not remind anybody twice. Needs PostgreSQL's row locks."""

import threading
from datetime import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from arvio.invitations.models import Invitation, SentMail
from arvio.invitations.services import invitations_send, reminders_send
from arvio.lib.dates import HELSINKI
from tests.factories import make_round

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")


def _wait_until_blocked_on_a_lock():
    with connection.cursor() as cursor:
        for _ in range(500):
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
            threading.Event().wait(0.02)
    raise AssertionError("the other run never waited for the lock")


def test_it_waits_for_a_run_that_holds_the_invitation(transactional_db, time_machine):
    round = make_round()
    time_machine.move_to(datetime(2024, 11, 6, 9, tzinfo=HELSINKI), tick=False)
    invitations_send(round=round, by=None)
    time_machine.move_to(datetime(2024, 11, 13, 9, tzinfo=HELSINKI), tick=False)

    sent_by_other_run = []

    def other_run():
        try:
            sent_by_other_run.extend(reminders_send(round=round, now=timezone.now()))
        finally:
            connection.close()

    with transaction.atomic():
        raasepori = Invitation.objects.select_for_update().get(municipality__code="710")
        other = threading.Thread(target=other_run)
        other.start()
        _wait_until_blocked_on_a_lock()
        # This run reminds Raasepori while the other one waits.
        SentMail.objects.create(
            invitation=raasepori, kind=SentMail.Kind.REMINDER, recipients="x", subject="x", sent_at=timezone.now()
        )
    other.join()

    assert sorted(m.invitation.municipality.code for m in sent_by_other_run) == ["235", "927"]
    assert SentMail.objects.filter(kind=SentMail.Kind.REMINDER, invitation=raasepori).count() == 1
