"""Rendering the feedback and the published page: pure functions of the Feedback and the Report.

Nothing here queries the database: the views and the publishing service hand over the objects.
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from weasyprint import CSS, HTML

from arvio.results.charts import distribution_chart, report_summary_chart, trend_charts
from arvio.results.feedback import Feedback, FeedbackRow
from arvio.results.formats import exporters
from arvio.results.report import Report

FEEDBACK_PDF_TEMPLATE = "public/feedback_pdf.html"
# A stylesheet of its own, handed to WeasyPrint: no template holds a <style> element (the CSP's rule).
FEEDBACK_PDF_CSS = "public/feedback_pdf.css"
PUBLISHED_BODY_TEMPLATE = "public/_published_body.html"


def _distribution_text(row: FeedbackRow, report: Report) -> str:
    counts = "; ".join(f"{value}: {count}" for value, count in sorted(row.node.value.distribution))
    text = gettext("Answers per scale value: %(counts)s.") % {"counts": counts}
    if row.own.answer is not None:
        text += " " + gettext("Your municipality answered %(value)s.") % {"value": row.own.answer}
    elif row.node.rated and row.own.dont_know:
        text += " " + gettext("Your municipality answered “%(label)s”.") % {"label": report.dont_know_label}
    return text


def feedback_charts(feedback: Feedback) -> list[tuple[FeedbackRow, str]]:
    """Each row with the spread of the municipalities' ratings as SVG, or "" where the low-n rule hides it
    or nothing was answered."""
    charts = []
    for index, row in enumerate(feedback.rows):
        if not row.distribution_shown or not row.node.value.n:
            charts.append((row, ""))
            continue
        # distribution_chart escapes every text it draws.
        svg = mark_safe(
            distribution_chart(
                row.node.value.distribution,
                own=row.own.answer,
                title=gettext("How the municipalities rated: %(goal)s") % {"goal": row.node.label or row.node.text},
                description=_distribution_text(row, feedback.report),
                own_label=gettext("yours"),
                id_prefix=f"spread-{index}",
            )
        )
        charts.append((row, svg))
    return charts


def feedback_html(feedback: Feedback) -> str:
    with translation.override(feedback.report.language):
        return render_to_string(
            FEEDBACK_PDF_TEMPLATE,
            {"feedback": feedback, "report": feedback.report, "charts": feedback_charts(feedback)},
        )


def feedback_pdf(feedback: Feedback) -> bytes:
    """The feedback as a tagged PDF (PDF/UA), printed by WeasyPrint as the report's PDF is."""
    stylesheet = CSS(string=render_to_string(FEEDBACK_PDF_CSS))
    return HTML(string=feedback_html(feedback)).write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1")


def published_body(report: Report, *, files: list[dict]) -> str:
    """The public page's content for one language: the results page's body without the staff's controls
    (the summary, the charts, the comparison and the trend where the report holds them, the detail sections, the
    excerpts) and the downloads (`files`: format, name, url)."""
    low, high = report.scale_range
    with translation.override(report.language):
        names = {identifier: exporter.verbose_name for identifier, exporter in exporters().items()}
        return render_to_string(
            PUBLISHED_BODY_TEMPLATE,
            {
                "report": report,
                "low": low,
                "high": high,
                "chart": report_summary_chart(report),
                "trends": trend_charts(report),
                "answer_rows": None,  # the public never reads a municipality's own answers
                "files": [{**item, "name": names.get(item["format"], item["format"])} for item in files],
            },
        )
