"""JSON: the report's numbers and texts for other programs; the schema is docs/report.schema.json.

`mean` and `median` are the unrounded values as numbers (null when nothing was
answered); `display` is the value exactly as the report prints it. Every text
is in the report's language; codes and statuses are the same in every language.
"""

import json

from django.utils.translation import gettext_lazy

from arvio.lib.dates import HELSINKI
from arvio.results.formats.base import Exporter
from arvio.results.report import Change, Report, ReportNode, Value

FORMAT = "arvio-report/1"


class JsonExporter(Exporter):
    identifier = "json"
    verbose_name = gettext_lazy("Data (JSON)")
    extension = "json"
    content_type = "application/json"
    needs_respondents = True

    def render(self, report: Report, **options) -> tuple[str, str, bytes]:
        if not report.respondents_listed:
            raise ValueError("The JSON export lists every invitation: build the report with include_respondents=True.")
        content = json.dumps(report_data(report), ensure_ascii=False, indent=2) + "\n"
        return self.filename(report), self.content_type, content.encode("utf-8")


exporter = JsonExporter()


def report_data(report: Report) -> dict:
    parents = {child.code: node.code for node in report.nodes for child in node.children}
    return {
        "format": FORMAT,
        "language": report.language,
        "generated_at": report.generated_at.astimezone(HELSINKI).isoformat(),
        "round": {
            "code": report.round_code,
            "title": report.title,
            "report_title": report.report_title,
            "purpose": report.purpose,
            "target_group": report.target_group,
            "window": report.window,
        },
        "organizer": report.organizer,
        "scale": [{"value": value, "label": label} for value, label in report.scale],
        "dont_know_label": report.dont_know_label,
        "minimum_n": report.min_n,
        "respondents": [
            {
                "code": respondent.code,
                "name": respondent.name,
                "status": respondent.status,
                "status_label": respondent.status_label,
                "answered": respondent.answered,
            }
            for respondent in report.respondents
        ],
        "response_rate": {
            "invited": report.invited,
            "responded": report.responded,
            "display": report.rate,
            "percent": report.rate_percent,
        },
        "overall": _value(report.overall),
        "summary": [
            {
                "code": node.code,
                "text": node.text,
                "label": node.label,
                "rated_goals": node.rated_goals,
                **_value(node.value, distribution=False),
                "baseline": _change(node.comparison),
                "trend": [
                    {
                        "round": point.round_code,
                        "label": point.label,
                        "value": _value(point.value) if point.value is not None else None,
                    }
                    for point in node.trend
                ],
            }
            for node in report.summary
        ],
        "nodes": [_node(node, parents.get(node.code)) for node in report.nodes],
        "narrative": report.narrative,
        "excerpts": [
            {
                "text": excerpt.text,
                "municipality": excerpt.municipality,
                "goals": list(excerpt.goals),
                "language": excerpt.language,
                "translation": excerpt.translation,
            }
            for excerpt in report.excerpts
        ],
        "baseline": _baseline(report),
        "trend_rounds": list(report.trend_rounds),
    }


def _baseline(report: Report) -> dict | None:
    """The round compared with, its numbers and what differs; null when the round is compared with none."""
    baseline = report.baseline
    if baseline is None:
        return None
    return {
        "round": {
            "code": baseline.round_code,
            "title": baseline.title,
            "label": baseline.label,
            "window": baseline.window,
        },
        "label_now": baseline.label_now,
        "response_rate": {"invited": baseline.invited, "responded": baseline.responded, "display": baseline.rate},
        "municipalities": list(baseline.municipalities),
        "only_now": list(baseline.only_now),
        "only_baseline": list(baseline.only_baseline),
        "new_goals": [{"code": goal.code, "text": goal.text} for goal in baseline.new_goals],
        "dropped_goals": [
            {"code": goal.code, "text": goal.text, **_value(goal.value)} for goal in baseline.dropped_goals
        ],
        "overall": _change(baseline.overall_change),
    }


def _change(change: Change | None) -> dict | None:
    if change is None:
        return None
    return {
        "value": _value(change.baseline) if change.baseline is not None else None,
        "goals": list(change.baseline_goals),
        "change": _number(change.change),
        "change_display": change.display,
        "flags": list(change.flags),
        "reasons": list(change.reasons),
        "partial": change.partial,
    }


def _node(node: ReportNode, parent: str | None) -> dict:
    return {
        "code": node.code,
        "kind": node.kind,
        "parent": parent,
        "depth": node.depth,
        "text": node.text,
        "label": node.label,
        "rated": node.rated,
        "rated_goals": node.rated_goals,
        "summary_row": node.summary_row,
        "detail_page": node.detail_page,
        **_value(node.value),
        "baseline": _change(node.comparison),
    }


def _value(value: Value, *, distribution: bool = True) -> dict:
    data = {
        "mean": _number(value.mean),
        "display": value.display,
        "n": value.n,
        "dont_know": value.dont_know,
        "low_n": value.low_n,
    }
    if distribution:
        data.update(
            blank=value.blank,
            distribution={str(scale_value): count for scale_value, count in value.distribution},
            median=_number(value.median),
        )
    return data


def _number(value) -> float | None:
    return None if value is None else float(value)
