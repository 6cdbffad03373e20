"""The published reports: public pages with no login, at stable addresses.

/reports/<organizer>/ lists the organizer's published rounds; /reports/<organizer>/<round>/ is the
latest version of a round's report, /reports/<organizer>/<round>/<version>/ each version, and every
download of a version has its own address beneath it. What these pages show was rendered when the
version was published (models.py); a withdrawn version answers 410 Gone, saying when it was withdrawn.

Each page's language is the reader's (the language switcher, the browser's), or the one its address names
with `?lang=fi`, `?lang=sv` or `?lang=en`: an address to give Swedish-speaking councillors, or to link from
an agenda, that opens in its language whoever opens it.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from arvio.lib.i18n import LANGUAGES
from arvio.public.models import Publication, PublishedFile
from arvio.public.selectors import (
    publication_versions,
    publications_public,
    published_organizer,
    published_page,
    published_round,
)

# A published file never changes, yet may be withdrawn: caches may keep one for a few minutes. (The
# pages carry the language switcher's CSRF token, so no shared cache keeps them.)
MAX_AGE = 300


def _language(request) -> str:
    """The language the address names (`?lang=sv`), else the reader's; a language Arvio has not is a 404."""
    named = request.GET.get("lang")
    if named is None:
        return translation.get_language()
    if named not in LANGUAGES or len(request.GET.getlist("lang")) > 1:
        raise Http404
    return named


@require_safe
def organizer_reports(request, organizer):
    organizer = published_organizer(organizer)
    language = _language(request)
    items = [(publication, published_page(publication, language)) for publication in publications_public(organizer)]
    with translation.override(language):
        return render(request, "public/reports.html", {"organizer": organizer, "items": items})


def _withdrawn(request, publication: Publication, versions: list[Publication]):
    context = {"publication": publication, "round": publication.round, "versions": versions}
    return render(request, "public/withdrawn.html", context, status=410)


@require_safe
def report_page(request, organizer, round_code, version=None):
    round = published_round(organizer, round_code)
    versions = publication_versions(round)
    if version is None:
        publication = versions[0]
    else:
        publication = next((item for item in versions if item.version == version), None)
        if publication is None:
            raise Http404
    if publication.withdrawn_at is not None:
        with translation.override(_language(request)):
            return _withdrawn(request, publication, versions)
    language = _language(request)
    page = published_page(publication, language)
    with translation.override(language):
        return render(
            request,
            "public/report.html",
            {
                "publication": publication,
                "round": round,
                "page": page,
                # Arvio's own template rendered this from the report when the version was published.
                "body": mark_safe(page.body),
                "versions": versions,
                "latest": version is None,
                "languages": LANGUAGES,
            },
        )


@require_safe
def report_file(request, organizer, round_code, version, filename):
    round = published_round(organizer, round_code)
    publication = get_object_or_404(Publication, round=round, version=version)
    if publication.withdrawn_at is not None:
        return _withdrawn(request, publication, publication_versions(round))
    file = get_object_or_404(PublishedFile, publication=publication, filename=filename)
    etag = f'"{publication.pk}-{file.pk}"'
    last_modified = int(publication.published_at.timestamp())
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if conditional is not None:
        return conditional
    response = HttpResponse(bytes(file.content), content_type=file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, file.filename)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
