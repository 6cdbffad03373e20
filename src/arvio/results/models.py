"""What staff add to a round's results: excerpts of open answers and the edited narrative."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arvio.lib.i18n import LANGUAGES
from arvio.responses.models import Response
from arvio.surveys.models import Node, Question, Round


class Excerpt(models.Model):
    """Poiminta: a passage of an open answer chosen for the report, attributed to its municipality.

    The passage is kept as staff shortened it ("- -" marks an omission); the
    full answer stays in the response.
    """

    round = models.ForeignKey(Round, models.CASCADE, related_name="excerpts", verbose_name=_("round"))
    response = models.ForeignKey(Response, models.CASCADE, related_name="excerpts", verbose_name=_("response"))
    question = models.ForeignKey(
        Question, models.SET_NULL, null=True, blank=True, related_name="excerpts", verbose_name=_("question")
    )
    text = models.TextField(_("passage"))
    # The language the passage is written in; blank: the municipality's first language. A report in the
    # other language shows `translation` under the passage, which keeps its own language (WCAG 3.1.2).
    language = models.CharField(
        _("language of the passage"), max_length=2, blank=True, choices=[("fi", _("Finnish")), ("sv", _("Swedish"))]
    )
    translation = models.TextField(_("translation"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    goals = models.ManyToManyField(Node, blank=True, related_name="excerpts", verbose_name=_("goals"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("excerpt")
        verbose_name_plural = _("excerpts")
        ordering = ["round", "order", "pk"]

    def __str__(self):
        return f"{self.round} / {self.order}: {self.text[:60]}"

    @property
    def written_in(self) -> str:
        """The passage's language: as staff marked it, else its municipality's first language."""
        return self.language or self.response.invitation.municipality.primary_language


class Narrative(models.Model):
    """The summary page's text as staff edited it, per language.

    `numbers` is the fingerprint of the results the text was written against:
    when the results change afterwards, staff are told the text may be out of date.
    """

    round = models.ForeignKey(Round, models.CASCADE, related_name="narratives", verbose_name=_("round"))
    language = models.CharField(_("language"), max_length=2, choices=list(LANGUAGES.items()))
    text = models.TextField(_("text"))
    numbers = models.CharField(max_length=64)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    edited_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        constraints = [models.UniqueConstraint(fields=["round", "language"], name="one_narrative_per_language")]

    def __str__(self):
        return f"{self.round} / {self.language}"
