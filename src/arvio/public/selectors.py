"""What the public pages and the API read: published versions, never a round's live results."""

from django.db.models import Max, Q
from django.shortcuts import get_object_or_404

from arvio.lib.i18n import FALLBACK
from arvio.public.models import Publication, PublishedPage
from arvio.surveys.models import Organizer, Round


def published_organizer(code: str) -> Organizer:
    return get_object_or_404(Organizer, code=code)


def published_round(organizer_code: str, round_code: str) -> Round:
    """The organizer's round that has been published at least once, or 404."""
    return get_object_or_404(
        Round.objects.select_related("organizer").filter(publications__isnull=False).distinct(),
        organizer__code=organizer_code,
        code=round_code,
    )


def publication_versions(round: Round) -> list[Publication]:
    """Every version of the round's report, the latest first, withdrawn ones included."""
    return list(round.publications.select_related("round__organizer").order_by("-version"))


def publications_public(organizer: Organizer) -> list[Publication]:
    """The latest version of each of the organizer's rounds whose report is public now."""
    latest = (
        Publication.objects.filter(round__organizer=organizer)
        .values("round_id")
        .annotate(latest=Max("version"))
        .values_list("round_id", "latest")
    )
    condition = Q(pk__in=[])
    for round_id, version in latest:
        condition |= Q(round_id=round_id, version=version)
    return list(
        Publication.objects.filter(condition, withdrawn_at__isnull=True)
        .select_related("round__organizer")
        .order_by("-round__opens_on", "round__code")
    )


def published_page(publication: Publication, language: str) -> PublishedPage:
    pages = {page.language: page for page in publication.pages.all()}
    return pages.get(language) or pages[FALLBACK]
