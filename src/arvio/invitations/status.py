"""An invitation's status, computed from facts rather than stored."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


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
