"""Invitation workflows: sending invitations, reminders, new links and feedback, deadlines, closing a round.

The personal links are made and resolved in links.py; the messages are written in mail.py and queued
in the outbox (outbox.py), in the same transaction as the links they carry; the mail worker sends them.
"""

import logging
from datetime import date, datetime

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from arvio.invitations.links import link_create
from arvio.invitations.mail import send_feedback, send_invitation, send_new_link, send_reminder
from arvio.invitations.models import Invitation, SentMail
from arvio.invitations.outbox import links_revoke_and_cancel
from arvio.lib.dates import local_date
from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.surveys.models import Round
from arvio.surveys.window import WindowState

logger = logging.getLogger(__name__)


def link_reissue(*, invitation: Invitation, by) -> list[SentMail]:
    """Mails each contact a new link, for when one may have gone astray.

    The earlier links end only once one of the new mails has been handed to the mail server (the
    outbox does it), so a mail server that is down never locks the municipality out; until then the
    earlier links still work. With no contact person to send a new link to, the earlier links end at
    once, and the caller must tell staff that the municipality has no working link (an empty list).
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        contacts = list(invitation.contacts.all())
        record(action=AuditEntry.Action.LINK_REISSUE, by=by, **_codes(invitation))
        if not contacts:
            links_revoke_and_cancel(invitation=invitation)
            logger.warning("%s: links revoked by %s, no contact person to send a new one to", invitation, by)
            return []
        tokens = [link_create(invitation=invitation, by=by) for _ in contacts]
        return send_new_link(invitation=invitation, tokens=tokens, by=by)


def link_show_once(*, invitation: Invitation, by) -> str:
    """A new link for staff to hand over by other means (a phone call, the municipality's own secure mail):
    every earlier link ends at once and the unsent mails carrying one are cancelled. Returns the raw token, which
    the caller shows once and never stores; the audit log records who made it and when."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        links_revoke_and_cancel(invitation=invitation)
        token = link_create(invitation=invitation, by=by)
        record(action=AuditEntry.Action.LINK_SHOWN, by=by, **_codes(invitation))
    logger.info("%s: a new link made by %s to be shown once", invitation, by)
    return token


# The mails that ask a municipality to answer; a reminder is due some days after the last of them.
ASKING_KINDS = (SentMail.Kind.INVITATION, SentMail.Kind.REMINDER)


def _submitted(invitation: Invitation) -> bool:
    response = getattr(invitation, "response", None)
    return response is not None and response.submitted_at is not None


def _invitation_due(invitation: Invitation, *, now: datetime) -> bool:
    """Whether the invitation should get its invitation mail: it never had one, it has not submitted (an
    answer imported from another tool, say), and its window has not closed."""
    if invitation.window_state(now) is WindowState.CLOSED or _submitted(invitation):
        return False
    return not invitation.mails.filter(kind=SentMail.Kind.INVITATION).exists()


def invitations_due(*, round: Round, now: datetime) -> list[Invitation]:
    """The invitations `invitations_send` would send to now, with their contacts: for the preview."""
    invitations = round.invitations.select_related("municipality", "round__organizer", "response")
    return [i for i in invitations.prefetch_related("contacts") if _invitation_due(i, now=now)]


def invitations_send(*, round: Round, by) -> list[SentMail]:
    """Queues the invitation mail for every invitation of the round that is due one (`_invitation_due`).
    Each invitation is locked while it is checked and its links and mails are written, in
    one transaction, so that two clicks at once cannot send it twice and no mail carries a link that
    was rolled back."""
    sent: list[SentMail] = []
    for invitation_id in round.invitations.values_list("pk", flat=True):
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
            if not _invitation_due(invitation, now=timezone.now()):
                continue
            sent += send_invitation(invitation=invitation, by=by)
            record(action=AuditEntry.Action.INVITATION_SEND, by=by, **_codes(invitation))
    return sent


def _reminder_due(invitation: Invitation, *, now: datetime, min_days: int) -> bool:
    """Whether the invitation should get a reminder now.

    Only invitations that were invited, have not submitted, can still answer, and were last asked
    (invited or reminded) at least `min_days` calendar days ago in Helsinki.
    """
    if _submitted(invitation):
        return False
    if invitation.window_state(now) is not WindowState.OPEN:
        return False
    if not invitation.mails.filter(kind=SentMail.Kind.INVITATION).exists():
        return False
    # A mail not yet sent asks from when it was queued; one that failed or was cancelled never asked.
    last = (
        invitation.mails.filter(kind__in=ASKING_KINDS)
        .exclude(state__in=(SentMail.State.FAILED, SentMail.State.CANCELLED))
        .annotate(asked_at_=Coalesce("sent_at", "queued_at"))
        .order_by("-asked_at_")
        .first()
    )
    return last is None or (local_date(now) - local_date(last.asked_at)).days >= min_days


def reminders_due(*, round: Round, now: datetime, min_days: int) -> list[Invitation]:
    """The invitations `reminders_send` would remind now, with their contacts: for the preview."""
    invitations = round.invitations.select_related("municipality", "round__organizer", "response")
    return [i for i in invitations.prefetch_related("contacts") if _reminder_due(i, now=now, min_days=min_days)]


def reminders_send(*, round: Round, now: datetime, by=None, min_days: int | None = None) -> list[SentMail]:
    """Queues a reminder for every invitation of the round that is due one (see `_reminder_due`).

    `min_days` defaults to the round's reminder interval. Each invitation is locked while it is
    checked and sent, so two runs at once (cron and a click) cannot remind anybody twice.
    """
    if min_days is None:
        min_days = round.reminder_interval_days
    sent: list[SentMail] = []
    for invitation_id in round.invitations.values_list("pk", flat=True):
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
            if _reminder_due(invitation, now=now, min_days=min_days):
                sent += send_reminder(invitation=invitation, by=by)
                record(action=AuditEntry.Action.REMINDER_SEND, by=by, **_codes(invitation))
    return sent


def feedback_recipients(round: Round):
    """The invitations that get the feedback mail: those whose municipality submitted an answer."""
    return round.invitations.filter(response__submitted_at__isnull=False)


def feedback_send(*, round: Round, by) -> list[SentMail]:
    """Queues the feedback mail, with a fresh personal link, to every contact of each municipality that
    answered; municipalities that did not answer get nothing. Sending again sends again (each mail
    carries a new link), so the staff's confirmation page says how many will get it. The caller checks
    that the round has closed."""
    sent: list[SentMail] = []
    for invitation_id in feedback_recipients(round).values_list("pk", flat=True):
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
            mails = send_feedback(invitation=invitation, by=by)
            if mails:
                record(
                    action=AuditEntry.Action.FEEDBACK_SEND, by=by, detail={"mails": len(mails)}, **_codes(invitation)
                )
            sent += mails
    return sent


def deadline_extend(*, invitation: Invitation, until: date, by) -> Invitation:
    """Lets one municipality answer until the end of `until` (not before the round's closing day)."""
    if until < invitation.round.closes_on:
        raise ValueError("An extension cannot end before the round closes.")
    invitation.deadline_extended_to = until
    invitation.save(update_fields=["deadline_extended_to"])
    record(action=AuditEntry.Action.DEADLINE_EXTEND, by=by, detail={"until": until.isoformat()}, **_codes(invitation))
    logger.info("%s: deadline extended to %s by %s", invitation, until.isoformat(), by or "the system")
    return invitation


def round_close(*, round: Round, by, now: datetime) -> Round:
    """Ends the round for everybody, extensions included. Closing twice keeps the first time."""
    if round.closed_at is None:
        round.closed_at = now
        round.save(update_fields=["closed_at", "updated_at"])
        record(action=AuditEntry.Action.ROUND_CLOSE, by=by, round_code=round.code)
        logger.info("%s: closed by %s", round.code, by or "the system")
    return round


def _codes(invitation: Invitation) -> dict:
    """What an audit entry names an invitation by."""
    return {"round_code": invitation.round.code, "municipality_code": invitation.municipality.code}
