"""The status counted by the database (status_expression, InvitationQuerySet.with_status) is invitation_status."""

import itertools
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from arvio.invitations.models import Invitation
from arvio.invitations.status import Status
from arvio.lib.dates import HELSINKI
from arvio.responses.models import Response
from arvio.surveys.models import Municipality, Organizer, Round

# 1.12.2024 at noon in Helsinki, and half past one in the night of 6.12. (still 5.12. in UTC).
NOONS = [datetime(2024, 12, 1, 12, 0, tzinfo=HELSINKI), datetime(2024, 12, 6, 1, 30, tzinfo=HELSINKI)]


def facts_rounds(now: datetime) -> list[Round]:
    """A round for every combination of staff's closing, the opening day and the closing day around `now`."""
    organizer, _ = Organizer.objects.get_or_create(code="luvn", defaults={"name_fi": "LUVN"})
    today = now.astimezone(HELSINKI).date()
    rounds = []
    closings = [None, now - timedelta(hours=1), now, now + timedelta(hours=1)]
    opening_days = [date(2024, 1, 1), today + timedelta(days=1)]
    closing_days = [today - timedelta(days=1), today, today + timedelta(days=1)]
    for index, (closed_at, opens_on, closes_on) in enumerate(itertools.product(closings, opening_days, closing_days)):
        rounds.append(
            Round.objects.create(
                organizer=organizer,
                code=f"tilat-{index}",
                title_fi="Kysely",
                opens_on=opens_on,
                closes_on=closes_on,
                closed_at=closed_at,
            )
        )
    return rounds


@pytest.mark.parametrize("now", NOONS)
def test_it_gives_every_invitation_the_status_invitation_status_gives(db, now):
    today = now.astimezone(HELSINKI).date()
    municipalities = Municipality.objects.bulk_create(
        Municipality(code=f"x{index:02d}", name_fi=f"Kunta {index}", language="fi") for index in range(24)
    )
    facts = list(
        itertools.product(
            [False, True],  # opened
            [False, True],  # a draft saved
            [False, True],  # submitted
            [None, today - timedelta(days=1), today],  # the deadline extended to
        )
    )
    for round in facts_rounds(now):
        for municipality, (opened, draft, submitted, extended_to) in zip(municipalities, facts, strict=True):
            invitation = Invitation.objects.create(
                round=round,
                municipality=municipality,
                opened_at=now - timedelta(days=3) if opened else None,
                deadline_extended_to=extended_to,
            )
            if draft or submitted:
                Response.objects.create(
                    invitation=invitation,
                    draft_saved_at=now - timedelta(days=2) if draft else None,
                    submitted_at=now - timedelta(days=1) if submitted else None,
                )

    invitations = list(Invitation.objects.with_status(now).select_related("round", "response"))
    assert len(invitations) == 24 * 24
    by_python = [invitation.status(now) for invitation in invitations]
    assert [Status(invitation.status_value) for invitation in invitations] == by_python
    # Every status occurs, so that agreeing is not agreeing on one answer.
    assert set(by_python) == set(Status)
    assert Invitation.objects.all().status_counts(now) == {status: Counter(by_python)[status] for status in Status}


def test_it_counts_every_status_even_those_no_invitation_is_in(db):
    assert Invitation.objects.none().status_counts(NOONS[0]) == dict.fromkeys(Status, 0)
