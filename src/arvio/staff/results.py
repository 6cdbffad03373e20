"""The results page and the report's downloads.

Both build the one Report object (report.py) and never read the database
beyond it: the page in the interface language, a download in the language
asked for. Who sees each municipality's answers, on the page and in the
files, is access.may_see_answers.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arvio.lib.i18n import LANGUAGES
from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.results.charts import report_summary_chart, trend_charts
from arvio.results.formats import exporters
from arvio.results.report import Report, report_build
from arvio.staff.access import get_round_for_user, may_manage, may_see_answers
from arvio.staff.records import answers_viewed

DELIMITER_LABELS = {
    "": gettext_lazy("As usual in the report's language"),
    "semicolon": gettext_lazy("Semicolon (;)"),
    "comma": gettext_lazy("Comma (,)"),
}
TABLE_LABELS = {
    "results": gettext_lazy("Results"),
    "answers": gettext_lazy("Each municipality's answers"),
    "respondents": gettext_lazy("The municipalities and their status"),
}


@login_required
def results_page(request, code):
    round = get_round_for_user(request, code)
    answers = may_see_answers(request.user, round)
    report = report_build(round, language=translation.get_language(), include_answers=answers)
    low, high = report.scale_range
    answer_rows = None
    if report.answers is not None:
        answers_viewed(request, round=round, page="results")
        # Read once (the report reads them as they are iterated): the table and the open answers alike.
        answer_rows = report.answer_rows()
    return render(
        request,
        "results/page.html",
        {
            "round": round,
            "report": report,
            "can_manage": may_manage(request.user, round),
            "may_see_answers": answers,
            "low": low,
            "high": high,
            "chart": report_summary_chart(report),
            "trends": trend_charts(report),
            "answer_rows": answer_rows,
            "open_answers": _open_answers(report, answer_rows) if answer_rows is not None else None,
            "formats": [exporter for exporter in exporters().values() if answers or not exporter.needs_answers],
            "languages": LANGUAGES,
            "delimiters": DELIMITER_LABELS,
            "tables": {key: label for key, label in TABLE_LABELS.items() if answers or key != "answers"},
        },
    )


@login_required
def download(request, code):
    round = get_round_for_user(request, code)
    repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
    if repeated:
        return _bad_request(
            _("Each option may be given once: %(names)s was given more than once.") % {"names": ", ".join(repeated)}
        )
    exporter = exporters().get(request.GET.get("format", ""))
    if exporter is None:
        return _bad_request(_("Unknown format. Choose one of: %(choices)s.") % {"choices": ", ".join(exporters())})
    language = request.GET.get("lang", "")
    if language not in LANGUAGES:
        return _bad_request(_("Unknown language. Choose one of: %(choices)s.") % {"choices": ", ".join(LANGUAGES)})
    # Options left out get the exporter's defaults (the CSV delimiter follows the language).
    options = {name: request.GET[name] for name in exporter.options if request.GET.get(name)}
    if exporter.invalid_options(options):
        return _bad_request(
            _("Unknown option for this format: %(names)s.") % {"names": ", ".join(exporter.invalid_options(options))}
        )
    needs_answers = exporter.needs_answers_for(**options)
    if needs_answers and not may_see_answers(request.user, round):
        raise PermissionDenied
    report = report_build(
        round,
        language=language,
        include_answers=needs_answers,
        include_respondents=exporter.needs_respondents_for(**options),
    )
    filename, content_type, chunks = exporter.stream(report, **options)
    record(
        action=AuditEntry.Action.REPORT_EXPORT,
        by=request.user,
        round_code=round.code,
        detail={"format": exporter.identifier, "language": language, "answers": needs_answers, "via": "web", **options},
    )
    # Written as it is sent: a file of a hundred thousand municipalities' answers is never whole in memory.
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _open_answers(report: Report, answer_rows: list[tuple]) -> list[tuple]:
    """Each open question with the municipalities that answered it and their text, from the answer rows
    already read."""
    found = []
    for question in report.questions:
        texts = [
            (answers.name, answers.comments[question.code])
            for answers, _cells in answer_rows
            if answers.comments.get(question.code)
        ]
        found.append((question, texts))
    return found
