"""Invitations (kutsu): one per municipality per round, with contacts, links and mail history."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arvio.invitations.status import Status, invitation_status, status_expression
from arvio.surveys.models import Municipality, Round
from arvio.surveys.window import WindowState


class InvitationQuerySet(models.QuerySet):
    def with_status(self, now):
        """Each invitation annotated with its `status_value` (a Status value) at `now`, computed by the database."""
        return self.annotate(status_value=status_expression(now))

    def status_counts(self, now) -> dict[Status, int]:
        """How many of these invitations are in each status at `now`: one grouped query, every status present."""
        rows = self.with_status(now).order_by().values_list("status_value").annotate(count=models.Count("pk"))
        counts = dict.fromkeys(Status, 0)
        for status, count in rows:
            counts[Status(status)] = count
        return counts


class Invitation(models.Model):
    """Kutsu: a municipality asked to answer a round."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="invitations", verbose_name=_("round"))
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="invitations", verbose_name=_("municipality")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    deadline_extended_to = models.DateField(_("deadline extended to"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["round", "order", "municipality__name_fi"]
        constraints = [
            models.UniqueConstraint(fields=["round", "municipality"], name="one_invitation_per_municipality")
        ]

    def __str__(self):
        return f"{self.round.code} / {self.municipality.name_fi}"

    def window_state(self, now) -> WindowState:
        return self.round.window_state(now, extended_to=self.deadline_extended_to)

    @property
    def deadline(self) -> date:
        """The last day the municipality may answer, as people are told it: its extension included."""
        closes_on = self.round.closes_on
        return max(closes_on, self.deadline_extended_to or closes_on)

    def status(self, now) -> Status:
        response = getattr(self, "response", None)
        return invitation_status(
            opened=self.opened_at is not None,
            has_draft=response is not None and response.draft_saved_at is not None,
            submitted=response is not None and response.submitted_at is not None,
            window_closed=self.window_state(now) is WindowState.CLOSED,
        )


class Contact(models.Model):
    """A contact person of the municipality for one round. Personal data: kept only as needed."""

    invitation = models.ForeignKey(Invitation, models.CASCADE, related_name="contacts", verbose_name=_("invitation"))
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["invitation", "order", "pk"]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class AccessLink(models.Model):
    """A personal link's token, stored only as its SHA-256 hash.

    Each email carries a link of its own, so no raw token ever has to be kept;
    re-issuing revokes every earlier link of the invitation (and ends the
    sessions opened with them).
    """

    invitation = models.ForeignKey(Invitation, models.CASCADE, related_name="links", verbose_name=_("invitation"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")

    def __str__(self):
        return f"{self.invitation} / link {self.pk}"


class SentMail(models.Model):
    """The outbox and the mail history of an invitation: one row per message to one contact person (or, for
    the mails about a staff account, to the account's owner).

    A row is written in the same transaction as what it reports (links made, a reminder due, a
    submission recorded) and sent afterwards by the mail worker (outbox.py), never inside a web
    request. Until it has been handed to the mail server the row holds the message itself (`to_address`,
    `body`: a body may carry a personal link's raw token); once sent, both are blanked and what stays is
    the record: what, to whom, when, by whom.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")
        RECEIPT = "receipt", _("Receipt")
        NEW_LINK = "new_link", _("New link")
        FEEDBACK = "feedback", _("Feedback")
        ACCOUNT_INVITATION = "account_invitation", _("Account invitation")
        PASSWORD_RESET = "password_reset", _("Password reset")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled: its link no longer works")

    invitation = models.ForeignKey(
        Invitation, models.CASCADE, null=True, blank=True, related_name="mails", verbose_name=_("invitation")
    )
    # A mail to a staff account (an invitation to set a password, a password reset) has an account, no invitation.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="account_mails",
        verbose_name=_("account"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    recipients = models.TextField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=500)
    to_address = models.TextField(blank=True)
    body = models.TextField(blank=True)
    link = models.ForeignKey(AccessLink, models.SET_NULL, null=True, blank=True, related_name="mails")
    # A new-link mail: once it is handed to the mail server, the invitation's links with a smaller id end.
    revokes_links_below = models.BigIntegerField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("sent by")
    )

    class Meta:
        verbose_name = _("mail")
        verbose_name_plural = _("mail")
        ordering = ["invitation", "queued_at", "pk"]
        indexes = [models.Index(fields=["state"], name="sentmail_state")]

    def __str__(self):
        return f"{self.invitation} / {self.kind} / {self.state} / {self.queued_at:%Y-%m-%d %H:%M}"

    @property
    def asked_at(self):
        """When the mail asked (or will ask) the municipality: sent, or else queued."""
        return self.sent_at or self.queued_at
