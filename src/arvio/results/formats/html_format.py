"""The report as one self-contained HTML file: the same template the PDF is printed from.

The file carries its style and its chart inline, so that it opens offline and
can be mailed or archived as it is. It is a download, never a page of Arvio's,
so Arvio's Content-Security-Policy does not reach it; it carries a stricter one
of its own in a <meta> element: no script at all, nothing fetched, and only its
one style element, named by its hash.
"""

import base64
import hashlib

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from arvio.results import comparison as compared
from arvio.results.charts import report_summary_chart, trend_charts
from arvio.results.formats.base import Exporter
from arvio.results.report import Report, ReportNode

TEMPLATE = "results/report.html"
STYLESHEET = "results/report.css"
# The marks of a flagged change (results/report/change.html); each table's notes give the reason beside its mark.
CHANGE_MARKS = {compared.DIFFERENT_MUNICIPALITIES: "†", compared.LOW_N: "‡"}
# Excerpts stand side by side in rows of three when each fits one of three columns of an A4 landscape
# page: about this many characters, a paragraph break counting as a line's worth. A longer one would
# not fit beside the others, so then they run one below the other.
EXCERPTS_PER_ROW = 3
COLUMN_CHARACTERS = 1300


def report_html(report: Report) -> str:
    """The report as HTML, every interface word in the report's language."""
    with translation.override(report.language):
        return render_to_string(TEMPLATE, report_context(report))


def report_context(report: Report) -> dict:
    """What the template needs beyond the Report: which pages carry a low-n value, the charts, and where the
    round is compared with a baseline, each table's notes on its flagged changes."""
    sections = [
        {
            "section": section,
            "low_n": any(_marked(row.value) for row in _section_rows(section)),
            "change_notes": _change_notes(_section_rows(section)),
        }
        for section in report.sections
    ]
    low, high = report.scale_range
    css = render_to_string(STYLESHEET)
    return {
        "report": report,
        # Arvio's own stylesheet, not data: escaping would break its quoted font names.
        "css": mark_safe(css),
        "content_security_policy": _content_security_policy(css),
        "scale_low": low,
        "scale_high": high,
        "sections": sections,
        "summary_low_n": any(
            _marked(row.value) or (row.comparison and row.comparison.baseline and _marked(row.comparison.baseline))
            for row in report.summary
        ),
        "summary_change_notes": _change_notes(report.summary),
        "change_marks": CHANGE_MARKS,
        "trends": trend_charts(report),
        "trend_low_n": any(point.value and _marked(point.value) for row in report.summary for point in row.trend),
        "appendix_low_n": _marked(report.overall) or any(_marked(node.value) for node in report.nodes),
        "chart": report_summary_chart(
            report,
            description=gettext("One bar per row of the summary; the summary table gives the same numbers."),
            low_n_note="*",
        ),
        "excerpt_rows": _excerpt_rows(report),
    }


def _content_security_policy(css: str) -> str:
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


def _marked(value) -> bool:
    """Whether a value carries the low-n asterisk: a value with no answers reads "– no answers" instead."""
    return value.low_n and value.n > 0


def _change_notes(rows) -> list[tuple[str, str]]:
    """The reason of each kind of flag among the rows' changes, once, after its mark: a flag's reason names the
    same municipalities (or the same minimum n) whichever node it is on."""
    notes: dict[str, str] = {}
    for row in rows:
        if row.comparison is None:
            continue
        for flag, reason in zip(row.comparison.flags, row.comparison.reasons):
            notes.setdefault(flag, reason)
    return [(CHANGE_MARKS[flag], notes[flag]) for flag in CHANGE_MARKS if flag in notes]


def _section_rows(section) -> list[ReportNode]:
    """The values a detail page shows: a theme's page lists its main goals' sub-goals too."""
    rows = list(section.rows)
    if section.main is None:
        rows += [sub for row in section.rows for sub in row.children]
    return ([section.main] if section.main else []) + rows


def _excerpt_rows(report: Report) -> list[tuple]:
    excerpts = report.excerpts
    if any(len(excerpt.text) + 50 * excerpt.text.count("\n\n") > COLUMN_CHARACTERS for excerpt in excerpts):
        return [(excerpt,) for excerpt in excerpts]
    return [excerpts[start : start + EXCERPTS_PER_ROW] for start in range(0, len(excerpts), EXCERPTS_PER_ROW)]


class HtmlExporter(Exporter):
    identifier = "html"
    verbose_name = _("Web page (HTML)")
    extension = "html"
    content_type = "text/html; charset=utf-8"

    def render(self, report: Report, **options) -> tuple[str, str, bytes]:
        return self.filename(report), self.content_type, report_html(report).encode("utf-8")


exporter = HtmlExporter()
