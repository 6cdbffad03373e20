"""An invitation's status, computed from facts rather than stored."""

from datetime import datetime
from enum import StrEnum

from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from arvio.lib.dates import HELSINKI


class Status(StrEnum):
    NOT_OPENED = "not_opened"
    OPENED = "opened"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    NO_ANSWER = "no_answer"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def answered(self) -> bool:
        return self is Status.SUBMITTED

    def answered_label(self, *, final: bool = True) -> str:
        """The seed's column "Vastasiko kyselyyn?": "Kyllä" or "Ei vastausta määräajassa" once the answer is
        final; while it is not (the municipality can still answer), the live status."""
        if final and self.answered:
            return str(_("Yes"))
        return str(self.label)


STATUS_LABELS = {
    Status.NOT_OPENED: _("Not opened"),
    Status.OPENED: _("Opened"),
    Status.DRAFT: _("Draft"),
    Status.SUBMITTED: _("Submitted"),
    # The seed's words: "Ei vastausta määräajassa".
    Status.NO_ANSWER: _("No answer within the deadline"),
}


def invitation_status(*, opened: bool, has_draft: bool, submitted: bool, window_closed: bool) -> Status:
    if submitted:
        return Status.SUBMITTED
    if window_closed:
        return Status.NO_ANSWER
    if has_draft:
        return Status.DRAFT
    if opened:
        return Status.OPENED
    return Status.NOT_OPENED


def window_closed_condition(now: datetime) -> Q:
    """On Invitation rows: the response window has closed for the invitation at `now` — surveys/window.py's
    rule (staff's closing, then the closing day or the extension to its end in Helsinki) as a condition."""
    today = now.astimezone(HELSINKI).date()
    return Q(round__closed_at__lte=now) | (
        Q(round__opens_on__lte=today)
        & Q(round__closes_on__lt=today)
        & (Q(deadline_extended_to__isnull=True) | Q(deadline_extended_to__lt=today))
    )


def status_expression(now: datetime) -> Case:
    """invitation_status as a database expression on Invitation rows, the same rule in the same order, so
    that statuses can be counted by the database (InvitationQuerySet.with_status). A test over every
    combination of facts holds the two together."""
    return Case(
        When(response__submitted_at__isnull=False, then=Value(Status.SUBMITTED.value)),
        When(window_closed_condition(now), then=Value(Status.NO_ANSWER.value)),
        When(response__draft_saved_at__isnull=False, then=Value(Status.DRAFT.value)),
        When(opened_at__isnull=False, then=Value(Status.OPENED.value)),
        default=Value(Status.NOT_OPENED.value),
        output_field=CharField(),
    )
