"""The outbox: every mail is a SentMail row, queued in the transaction of what it reports, sent by the worker.

`mail_queue` writes the row and enqueues its task in the same transaction, in the same database
(django-tasks-db), so a mail exists exactly when what it reports does, and a queued mail always has a
task. The worker (`arvio db_worker`) runs `mail_send_task`: it claims the row, hands the message to
the mail server with a short timeout (EMAIL_TIMEOUT), and records the outcome. A failure that may
pass (a server down, silent or busy) is retried later, the wait doubling each time; one that will
not (the address refused), or the last attempt, leaves the mail failed for staff to send again.

Each task carries the number of attempts the row had when it was enqueued; only the task whose
number still matches may claim the row. So a retry and a "send again" can never send one mail twice.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from arvio.invitations.links import links_revoke
from arvio.invitations.models import AccessLink, Contact, Invitation, SentMail
from arvio.lib.logmask import mask_links
from arvio.records.models import AuditEntry
from arvio.records.services import record

logger = logging.getLogger(__name__)

State = SentMail.State

# The longest wait between two attempts, however many have failed.
MAX_RETRY_DELAY = timedelta(hours=1)
# A mail still "being sent" this long after its attempt began was interrupted (the worker died).
INTERRUPTED_AFTER = timedelta(minutes=10)


class NotResendable(Exception):
    """The mail was sent, cancelled, or is being sent right now."""


def mail_queue(
    *,
    invitation: Invitation,
    kind: str,
    contact: Contact,
    to_address: str,
    subject: str,
    body: str,
    by,
    link: AccessLink | None = None,
    revokes_links_below: int | None = None,
) -> SentMail:
    """Queues one message to one contact person; the caller's transaction commits it with what it reports."""
    with transaction.atomic():
        mail = SentMail.objects.create(
            invitation=invitation,
            kind=kind,
            recipients=f"{contact.name} <{contact.email}>",
            to_address=to_address,
            subject=subject,
            body=body,
            link=link,
            revokes_links_below=revokes_links_below,
            sent_by=by,
        )
        _enqueue(mail, series_try=1)
    return mail


def mail_queue_to_account(*, account, kind: str, to_address: str, subject: str, body: str, by) -> SentMail:
    """Queues one message about a staff account (its invitation, a password reset) to the account's owner."""
    with transaction.atomic():
        mail = SentMail.objects.create(
            account=account,
            kind=kind,
            recipients=to_address,
            to_address=to_address,
            subject=subject,
            body=body,
            sent_by=by,
        )
        _enqueue(mail, series_try=1)
    return mail


def _enqueue(mail: SentMail, *, series_try: int, run_after=None) -> None:
    scheduled = mail_send_task if run_after is None else mail_send_task.using(run_after=run_after)
    scheduled.enqueue(mail.pk, mail.attempts, series_try)


@task()
def mail_send_task(mail_id: int, attempts_before: int, series_try: int) -> str:
    """The worker's task: one attempt at one mail. Returns the mail's state after it (kept in the task's result)."""
    return mail_send(mail_id=mail_id, attempts_before=attempts_before, series_try=series_try)


def mail_send(*, mail_id: int, attempts_before: int, series_try: int) -> str:
    """One attempt: `series_try` counts the attempts since the mail was queued or staff sent it again."""
    now = timezone.now()
    claimed = SentMail.objects.filter(pk=mail_id, state=State.QUEUED, attempts=attempts_before).update(
        state=State.SENDING, attempts=attempts_before + 1, last_attempt_at=now, next_attempt_at=None
    )
    if not claimed:
        # Sent, cancelled, or claimed by a newer task (a "send again" beside a pending retry).
        return "skipped"
    mail = SentMail.objects.select_related("invitation").get(pk=mail_id)
    try:
        EmailMessage(mail.subject, mail.body, to=[mail.to_address]).send()
    except Exception as error:
        return _record_failure(mail, error, series_try=series_try)
    with transaction.atomic():
        SentMail.objects.filter(pk=mail.pk).update(
            state=State.SENT, sent_at=timezone.now(), to_address="", body="", last_error="", next_attempt_at=None
        )
        if mail.revokes_links_below is not None:
            links_revoke(invitation=mail.invitation, below=mail.revokes_links_below)
            _cancel_dead_links(mail.invitation)
    logger.info("Mail %s (%s, %s) sent, attempt %s", mail.pk, mail.invitation, mail.kind, mail.attempts)
    return State.SENT


def _permanent(error: Exception) -> bool:
    """Whether another attempt would fail the same way: the server refused the address or the message, or
    the message could not be built. A server down, silent, busy (4xx) or refusing a login may recover."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return not isinstance(error, smtplib.SMTPException | OSError)


def _error_text(error: Exception) -> str:
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return mask_links(text)[:1000]


def _record_failure(mail: SentMail, error: Exception, *, series_try: int) -> str:
    now = timezone.now()
    text = _error_text(error)
    with transaction.atomic():
        if _permanent(error) or series_try >= settings.ARVIO_MAIL_ATTEMPTS:
            SentMail.objects.filter(pk=mail.pk).update(state=State.FAILED, last_error=text, next_attempt_at=None)
            state = State.FAILED
        else:
            delay = min(timedelta(seconds=settings.ARVIO_MAIL_RETRY_SECONDS * 2 ** (series_try - 1)), MAX_RETRY_DELAY)
            SentMail.objects.filter(pk=mail.pk).update(state=State.QUEUED, last_error=text, next_attempt_at=now + delay)
            _enqueue(mail, series_try=series_try + 1, run_after=now + delay)
            state = State.QUEUED
    logger.warning("Mail %s (%s, %s) attempt %s failed: %s", mail.pk, mail.invitation, mail.kind, mail.attempts, text)
    return state


def _cancel_dead_links(invitation: Invitation) -> None:
    """Unsent mails whose link has ended would only bring a dead link: they are cancelled, their bodies blanked."""
    invitation.mails.filter(link__revoked_at__isnull=False, state__in=(State.QUEUED, State.FAILED)).update(
        state=State.CANCELLED, to_address="", body="", next_attempt_at=None
    )


def links_revoke_and_cancel(*, invitation: Invitation) -> None:
    """Ends every link of the invitation at once, and cancels the unsent mails that carry one."""
    links_revoke(invitation=invitation)
    _cancel_dead_links(invitation)


def _undelivered(now) -> Q:
    return (
        Q(state=State.FAILED)
        | Q(state=State.QUEUED, attempts__gt=0)
        | Q(state=State.SENDING, last_attempt_at__lt=now - INTERRUPTED_AFTER)
    )


def mails_undelivered(*, round, now) -> list[SentMail]:
    """The round's mails that staff should know of: failed, waiting for another attempt, or interrupted."""
    return list(
        SentMail.objects.filter(_undelivered(now), invitation__round=round)
        .select_related("invitation__municipality")
        .order_by("queued_at", "pk")
    )


def mails_waiting(*, round, now, older_than=timedelta(minutes=5)) -> int:
    """How many of the round's mails have waited long for their first attempt: the worker may not be running."""
    return SentMail.objects.filter(
        invitation__round=round, state=State.QUEUED, attempts=0, queued_at__lt=now - older_than
    ).count()


def mail_resend(*, mail: SentMail, by) -> SentMail:
    """Staff send a mail that was not delivered once more, now, with a fresh series of attempts."""
    now = timezone.now()
    with transaction.atomic():
        resendable = SentMail.objects.filter(_undelivered(now), pk=mail.pk).update(
            state=State.QUEUED, next_attempt_at=None
        )
        if not resendable:
            raise NotResendable(mail.pk)
        mail.refresh_from_db()
        _enqueue(mail, series_try=1)
        record(
            action=AuditEntry.Action.MAIL_RESEND,
            by=by,
            round_code=mail.invitation.round.code,
            municipality_code=mail.invitation.municipality.code,
            detail={"kind": mail.kind},
        )
    logger.info("Mail %s (%s, %s) sent again by %s", mail.pk, mail.invitation, mail.kind, by)
    return mail
