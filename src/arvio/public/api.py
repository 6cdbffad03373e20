"""The published reports as JSON, described by OpenAPI (django-ninja), for open-data portals and data warehouses.

Read-only and public: what it serves is what the published pages serve, the report's JSON export
(docs/report.schema.json, `arvio-report/1`) as it was rendered when the version was published. The
OpenAPI document is /api/reports/v1/openapi.json; ninja's interactive docs are off, since they would
load their script from another site and the Content-Security-Policy allows none.
"""

from datetime import datetime
from typing import Any, Literal

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from ninja import NinjaAPI, Schema, Status
from pydantic import ConfigDict

from arvio.lib.i18n import LANGUAGES
from arvio.public.models import Publication
from arvio.public.selectors import (
    publication_versions,
    publications_public,
    published_organizer,
    published_page,
    published_round,
)

MAX_AGE = 300
Language = Literal["fi", "sv", "en"]

api = NinjaAPI(
    title="Arvio: published reports",
    version="1",
    description=(
        "The evaluation reports an organizer has published, as the report's JSON export (`arvio-report/1`, "
        "described field by field in Arvio's docs/report.schema.json and docs/report-formats.md). Every text "
        "is in the language asked for; codes and numbers are the same in every language. A published version "
        "never changes; a withdrawn one answers 410."
    ),
    urls_namespace="reports_api",
    docs_url=None,
)


class Message(Schema):
    detail: str


class Download(Schema):
    language: Language
    format: str
    url: str


class PublishedRound(Schema):
    code: str
    title: str
    organizer: str
    version: int
    published_at: datetime
    page: str
    report: dict[str, str]  # the report's JSON address per language
    downloads: list[Download]


class Report(Schema):
    """The report's JSON export; docs/report.schema.json describes every field."""

    model_config = ConfigDict(extra="allow")
    format: Literal["arvio-report/1"]
    language: Language
    generated_at: datetime
    round: dict[str, Any]
    organizer: str
    scale: list[dict[str, Any]]
    dont_know_label: str
    minimum_n: int
    respondents: list[dict[str, Any]]
    response_rate: dict[str, Any]
    overall: dict[str, Any]
    summary: list[dict[str, Any]]
    nodes: list[dict[str, Any]]
    narrative: str
    excerpts: list[dict[str, Any]]


def _repeated(request) -> Status | None:
    """A query parameter given twice is refused, as everywhere in Arvio, rather than one of them silently kept."""
    repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
    if repeated:
        return Status(
            400, {"detail": f"Each parameter may be given once: {', '.join(repeated)} was given more than once."}
        )
    return None


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _report_urls(request, publication: Publication) -> dict[str, str]:
    round = publication.round
    path = reverse("reports_api:version", args=[round.organizer.code, round.code, publication.version])
    return {language: _absolute(request, f"{path}?lang={language}") for language in LANGUAGES}


@api.get(
    "/{slug:organizer}/",
    response={200: list[PublishedRound], 400: Message, 404: Message},
    summary="An organizer's published rounds",
)
def organizer_rounds(request, organizer: str, lang: Language = "fi"):
    """The latest public version of each of the organizer's published rounds, the newest round first."""
    if refused := _repeated(request):
        return refused
    rounds = []
    for publication in publications_public(published_organizer(organizer)):
        page = published_page(publication, lang)
        round = publication.round
        rounds.append(
            {
                "code": round.code,
                "title": page.title,
                "organizer": page.organizer,
                "version": publication.version,
                "published_at": publication.published_at,
                "page": _absolute(
                    request, reverse("reports:version", args=[organizer, round.code, publication.version])
                ),
                "report": _report_urls(request, publication),
                "downloads": [
                    {
                        "language": file.language,
                        "format": file.format,
                        "url": _absolute(
                            request,
                            reverse("reports:file", args=[organizer, round.code, publication.version, file.filename]),
                        ),
                    }
                    for file in publication.files.only("language", "format", "filename")
                ],
            }
        )
    return rounds


def _report(request, publication: Publication, lang: str):
    if publication.withdrawn_at is not None:
        withdrawn = f"Version {publication.version} was withdrawn on {publication.withdrawn_at.isoformat()}."
        return Status(410, {"detail": withdrawn})
    file = publication.files.filter(format="json", language=lang).first()
    if file is None:
        raise Http404
    etag = f'"{publication.pk}-{file.pk}"'
    last_modified = int(publication.published_at.timestamp())
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if conditional is not None:
        return conditional
    response = HttpResponse(bytes(file.content), content_type="application/json")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@api.get(
    "/{slug:organizer}/{slug:round_code}/",
    response={200: Report, 400: Message, 404: Message, 410: Message},
    summary="A round's published report, its latest version",
)
def round_report(request, organizer: str, round_code: str, lang: Language = "fi"):
    if refused := _repeated(request):
        return refused
    versions = publication_versions(published_round(organizer, round_code))
    return _report(request, versions[0], lang)


@api.get(
    "/{slug:organizer}/{slug:round_code}/{int:version}/",
    response={200: Report, 400: Message, 404: Message, 410: Message},
    url_name="version",
    summary="One published version of a round's report",
)
def round_report_version(request, organizer: str, round_code: str, version: int, lang: Language = "fi"):
    if refused := _repeated(request):
        return refused
    round = published_round(organizer, round_code)
    publication = next((item for item in publication_versions(round) if item.version == version), None)
    if publication is None:
        raise Http404
    return _report(request, publication, lang)
