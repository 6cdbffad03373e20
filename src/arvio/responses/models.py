"""Responses (vastaus): the working draft, and what was submitted.

The draft is one JSON document that officials edit together through the
municipality's link; `version` grows with every save so that a save based on
an older version is refused instead of overwriting somebody else's work.
Submitting copies the draft into `Answer` and `Comment` rows: those rows are
exactly what the municipality sent, and the only thing results are computed
from. A draft edited after submission never changes them until it is
submitted again (where the round allows that).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arvio.invitations.models import Invitation
from arvio.surveys.models import Node, Question

DONT_KNOW = "eos"  # the value of "En osaa sanoa" in drafts and forms


def empty_draft() -> dict:
    return {"ratings": {}, "comments": {}}


class Response(models.Model):
    """Vastaus: a municipality's answer to a round."""

    class Source(models.TextChoices):
        FORM = "form", _("Answer form")
        IMPORT = "import", _("Imported")

    invitation = models.OneToOneField(Invitation, models.CASCADE, related_name="response", verbose_name=_("invitation"))
    draft = models.JSONField(_("draft"), default=empty_draft)
    version = models.PositiveIntegerField(_("version"), default=0)
    draft_saved_at = models.DateTimeField(_("draft saved at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.CharField(_("submitted by"), max_length=300, blank=True)
    submitted_version = models.PositiveIntegerField(null=True, blank=True)
    submission_count = models.PositiveIntegerField(default=0)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.FORM)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return str(self.invitation)

    @property
    def has_unsubmitted_changes(self) -> bool:
        return self.submitted_at is not None and self.version != self.submitted_version


class Answer(models.Model):
    """A submitted rating of one rated goal; `value` None is "can't say" (En osaa sanoa)."""

    response = models.ForeignKey(Response, models.CASCADE, related_name="answers", verbose_name=_("response"))
    node = models.ForeignKey(Node, models.RESTRICT, related_name="answers", verbose_name=_("goal"))
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "node"], name="one_answer_per_goal")]

    def __str__(self):
        return f"{self.response} / {self.node_id}: {self.value}"


class Comment(models.Model):
    """A submitted answer to an open question."""

    response = models.ForeignKey(Response, models.CASCADE, related_name="comments", verbose_name=_("response"))
    question = models.ForeignKey(Question, models.RESTRICT, related_name="comments", verbose_name=_("question"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_comment_per_question")]

    def __str__(self):
        return f"{self.response} / {self.question_id}"


class LinkFailure(models.Model):
    """A wrong personal link opened from a network address: counted to throttle that address.

    Kept only for the throttle's window (`link_throttle.py` deletes older rows), since an address is
    personal data.
    """

    address = models.GenericIPAddressField(_("address"), null=True)
    failed_at = models.DateTimeField(_("failed at"), db_index=True)

    class Meta:
        verbose_name = _("wrong link opened")
        verbose_name_plural = _("wrong links opened")
        indexes = [models.Index(fields=["address", "failed_at"], name="link_failure_by_address")]

    def __str__(self):
        return f"{self.address} at {self.failed_at:%Y-%m-%d %H:%M:%S}"


class PendingImport(models.Model):
    """A responses file that evaluation staff uploaded, kept between its preview and their confirmation.

    Its id is random and only its uploader may confirm it; it is kept ARVIO_UPLOAD_KEEP_MINUTES and removed once
    imported (or when a later upload finds it expired), since the file may name the people who answered.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey("surveys.Round", models.CASCADE, related_name="+", verbose_name=_("round"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField()
    replace = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("uploaded responses file")
        verbose_name_plural = _("uploaded responses files")

    def __str__(self):
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"
