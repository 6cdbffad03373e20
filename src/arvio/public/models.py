"""The published report (julkaistu raportti): a frozen snapshot of a closed round's report.

Publishing renders the report once, in every language and format, and keeps what it rendered: the
public page's body and every download. Later edits of the narrative or the excerpts, or a late
import, change none of it; staff publish again to make a new version, and every earlier version
stays at its own address with its date. Withdrawing (unpublishing) marks the versions withdrawn; the
rows stay, so that what was public, and when, remains on record.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arvio.lib.i18n import LANGUAGES
from arvio.surveys.models import Round


class Publication(models.Model):
    """One published version of a round's report."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="publications", verbose_name=_("round"))
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        ordering = ["round", "-version"]
        constraints = [models.UniqueConstraint(fields=["round", "version"], name="publication_version_unique")]

    def __str__(self):
        return f"{self.round.code} v{self.version}"


class PublishedPage(models.Model):
    """The public page's content in one language, rendered when the version was published."""

    publication = models.ForeignKey(Publication, models.CASCADE, related_name="pages")
    language = models.CharField(_("language"), max_length=2, choices=list(LANGUAGES.items()))
    title = models.CharField(_("title"), max_length=500)
    organizer = models.CharField(_("organizer"), max_length=500)
    body = models.TextField(_("body"))  # HTML rendered by Arvio's own template from the report

    class Meta:
        verbose_name = _("published page")
        verbose_name_plural = _("published pages")
        constraints = [models.UniqueConstraint(fields=["publication", "language"], name="published_page_unique")]

    def __str__(self):
        return f"{self.publication} / {self.language}"


class PublishedFile(models.Model):
    """One download of a published version: a format in a language, exactly as it was rendered."""

    publication = models.ForeignKey(Publication, models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=2, choices=list(LANGUAGES.items()))
    format = models.CharField(_("format"), max_length=20)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("published file")
        verbose_name_plural = _("published files")
        ordering = ["publication", "language", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "language", "format"], name="published_file_unique"),
            models.UniqueConstraint(fields=["publication", "filename"], name="published_filename_unique"),
        ]

    def __str__(self):
        return f"{self.publication} / {self.filename}"
