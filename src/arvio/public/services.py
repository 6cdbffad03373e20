"""Publishing a round's report, and withdrawing it.

`publication_publish` renders the report once in every language and every format the public may
download, and stores what it rendered (Publication, PublishedPage, PublishedFile) in one transaction:
a published version never changes afterwards, whatever is edited or imported later.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from arvio.lib.i18n import LANGUAGES
from arvio.public.models import Publication, PublishedFile, PublishedPage
from arvio.public.rendering import published_body
from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.results.feedback import round_results_final
from arvio.results.formats import exporters
from arvio.results.report import report_build
from arvio.surveys.models import Round


class NotPublishable(Exception):
    """The round's results are not final yet: it has not closed for every municipality."""


class NothingPublished(Exception):
    """The round has no published version that is still public."""


def publication_publish(*, round: Round, by, now: datetime | None = None) -> Publication:
    """Publishes the round's report as its next version. Aggregates only: no municipality's own answers."""
    now = now or timezone.now()
    if not round_results_final(round, now=now):
        raise NotPublishable
    with transaction.atomic():
        # The round's row serialises two publishings at once, so that versions never collide.
        Round.objects.select_for_update().filter(pk=round.pk).first()
        version = (round.publications.aggregate(latest=Max("version"))["latest"] or 0) + 1
        publication = Publication.objects.create(round=round, version=version, published_at=now, published_by=by)
        for language in LANGUAGES:
            report = report_build(round, language=language, now=now)
            files = []
            for exporter in exporters().values():
                if exporter.needs_answers_for(**exporter.public_options):
                    continue
                filename, content_type, content = exporter.render(report, **exporter.public_options)
                PublishedFile.objects.create(
                    publication=publication,
                    language=language,
                    format=exporter.identifier,
                    filename=filename,
                    content_type=content_type,
                    content=content,
                    size=len(content),
                )
                files.append(
                    {
                        "format": exporter.identifier,
                        "filename": filename,
                        "size": len(content),
                        "url": reverse("reports:file", args=[round.organizer.code, round.code, version, filename]),
                    }
                )
            PublishedPage.objects.create(
                publication=publication,
                language=language,
                title=report.title,
                organizer=report.organizer,
                body=published_body(report, files=files),
            )
        record(action=AuditEntry.Action.REPORT_PUBLISH, by=by, round_code=round.code, detail={"version": version})
    return publication


def publication_withdraw(*, round: Round, by, now: datetime | None = None) -> list[int]:
    """Withdraws every public version of the round's report; their addresses then answer 410. Returns the
    versions withdrawn. Publishing again makes a new version; the withdrawn ones stay withdrawn."""
    now = now or timezone.now()
    with transaction.atomic():
        public = list(
            Publication.objects.select_for_update().filter(round=round, withdrawn_at__isnull=True).order_by("version")
        )
        if not public:
            raise NothingPublished
        for publication in public:
            publication.withdrawn_at = now
            publication.withdrawn_by = by
            publication.save(update_fields=["withdrawn_at", "withdrawn_by"])
        versions = [publication.version for publication in public]
        record(action=AuditEntry.Action.REPORT_WITHDRAW, by=by, round_code=round.code, detail={"versions": versions})
    return versions
