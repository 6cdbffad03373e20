"""What the tabular formats (XLSX, CSV) share: the columns of the results table, the respondents table."""

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from arvio.results.report import Report


def results_header(report: Report, *, depth: bool) -> list[str]:
    """The results table's column names; `depth` adds a column for the node's depth (CSV has no indentation)."""
    return [
        _("Code"),
        _("Kind"),
        *([_("Depth")] if depth else []),
        _("Goal or theme"),
        _("Mean (unrounded)"),
        _("Value"),
        _("Answers (n)"),
        report.dont_know_label,
        _("Blank"),
        *[f"{value} = {label}" for value, label in report.scale],
        _("Median"),
        ngettext("Fewer than %(count)d answer", "Fewer than %(count)d answers", report.min_n) % {"count": report.min_n},
        _("Rated goals pooled"),
    ]


def respondents_table(report: Report) -> tuple[list[str], Iterator[list]]:
    """Every invited municipality with its status, the list the decks leave out past RESPONDENTS_LISTED:
    the header now (in the active language), the rows as they are read. XLSX writes the same table."""
    header = [_("Code"), _("Municipality"), _("Status"), _("Status code"), _("Did it answer the survey?")]
    answered = {True: _("Yes"), False: _("No")}
    rows = (
        [respondent.code, respondent.name, respondent.status_label, respondent.status, answered[respondent.answered]]
        for respondent in report.respondents
    )
    return header, rows


def comparison_header(report: Report) -> list[str]:
    """The columns the results table gains where the round has a baseline (report.baseline), else none."""
    if report.baseline is None:
        return []
    label = report.baseline.label
    return [
        _("Baseline mean %(round)s (unrounded)") % {"round": label},
        _("Baseline value %(round)s") % {"round": label},
        _("Baseline answers %(round)s (n)") % {"round": label},
        _("Change (unrounded)"),
        _("Change"),
        _("Change flagged"),
    ]


def comparison_note(node) -> str:
    """What the last comparison column says of a node: new in this round, or why its change is flagged."""
    change = node.comparison
    if change is None:
        return ""
    if change.baseline is None:
        return _("new in this round")
    return "; ".join(change.reasons)
