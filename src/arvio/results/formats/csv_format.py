"""CSV: the results table, or each municipality's answers; UTF-8 with a BOM.

The BOM lets Excel recognise UTF-8 ("ä" stays "ä"). Excel in Finland and
Sweden splits columns at semicolons, so Finnish and Swedish files use ";" and
English ones ",", unless asked otherwise. The mean is written with a decimal
point for programs and the report's display ("2,3") beside it for people.
A text cell starting with = + - @, tab or CR gets a leading "'" so that no
spreadsheet runs it as a formula (docs/report-formats.md).
"""

import csv
import io
import itertools
from collections.abc import Iterable, Iterator

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arvio.lib.dates import HELSINKI
from arvio.results.formats.base import Exporter
from arvio.results.formats.tables import comparison_header, comparison_note, respondents_table, results_header
from arvio.results.report import Report
from arvio.surveys.models import Node

DELIMITERS = {"comma": ",", "semicolon": ";"}
TABLES = ("results", "answers", "respondents")
# Rows written into memory before they are handed on as bytes.
ROWS_PER_CHUNK = 1000
# Spreadsheets read a cell starting with these as a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Helsinki time, in the form spreadsheets read as a date and time whatever their locale.
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class CsvExporter(Exporter):
    identifier = "csv"
    verbose_name = gettext_lazy("Table (CSV)")
    extension = "csv"
    content_type = "text/csv; charset=utf-8"
    # The results table holds aggregates only; the answers table is asked for with table="answers".
    needs_answers = False
    options = {"delimiter": tuple(DELIMITERS), "table": TABLES}

    def needs_answers_for(self, *, table: str = "results", **options) -> bool:
        return table == "answers"

    def needs_respondents_for(self, *, table: str = "results", **options) -> bool:
        return table == "respondents"

    def filename(self, report: Report, table: str = "results") -> str:
        return f"{report.round_code}-{report.language}-{table}.csv"

    def render(self, report: Report, *, delimiter: str | None = None, table: str = "results") -> tuple[str, str, bytes]:
        filename, content_type, chunks = self.stream(report, delimiter=delimiter, table=table)
        return filename, content_type, b"".join(chunks)

    def stream(
        self, report: Report, *, delimiter: str | None = None, table: str = "results"
    ) -> tuple[str, str, Iterator[bytes]]:
        """The rows written ROWS_PER_CHUNK at a time, as UTF-8 with the BOM in front: memory stays bounded
        however many municipalities answered."""
        if table not in TABLES:
            raise ValueError(f"Unknown CSV table {table!r}: choose one of {', '.join(TABLES)}.")
        if delimiter is None:
            delimiter = "comma" if report.language == "en" else "semicolon"
        if delimiter not in DELIMITERS:
            raise ValueError(f"Unknown CSV delimiter {delimiter!r}: choose one of {', '.join(DELIMITERS)}.")
        if table == "answers" and report.answers is None:
            raise ValueError("The answers table needs the report's answers: build it with include_answers=True.")
        if table == "respondents" and not report.respondents_listed:
            raise ValueError("The respondents table needs every invitation: build it with include_respondents=True.")
        # Every translated word is looked up now, in the report's language: the rows are written later.
        with translation.override(report.language):
            rows = {"results": _results, "answers": _answers, "respondents": _respondents}[table](report)
        return self.filename(report, table), self.content_type, _chunks(rows, DELIMITERS[delimiter])


def _chunks(rows: Iterable[list], delimiter: str) -> Iterator[bytes]:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    prefix = "\ufeff"
    rows = iter(rows)
    while batch := list(itertools.islice(rows, ROWS_PER_CHUNK)):
        writer.writerows([_safe(cell) for cell in row] for row in batch)
        yield (prefix + text.getvalue()).encode("utf-8")
        prefix = ""
        text.seek(0)
        text.truncate()
    if prefix:  # no rows at all: the BOM alone, as before
        yield prefix.encode("utf-8")


exporter = CsvExporter()


def _results(report: Report) -> list[list]:
    header = results_header(report, depth=True) + comparison_header(report)
    rows = [header]
    for node in report.nodes:
        value = node.value
        rows.append(
            [
                node.code,
                str(Node.Kind(node.kind).label),
                node.depth,
                node.text,
                _number(value.mean),
                value.display,
                value.n,
                value.dont_know,
                value.blank,
                *[count for _value, count in value.distribution],
                _number(value.median),
                _("Yes") if value.low_n else "",
                node.rated_goals,
                *_comparison(report, node),
            ]
        )
    rows += _dropped(report, len(header))
    return rows


def _comparison(report: Report, node) -> list:
    """The baseline's mean, display and n and the change, the unrounded numbers as numbers; a change is a
    float (csv writes it with a decimal point) so that a negative one is never taken for a formula."""
    if report.baseline is None:
        return []
    change = node.comparison
    then = change.baseline
    return [
        _number(then.mean) if then else "",
        then.display if then else "",
        then.n if then else "",
        float(change.change) if change.change is not None else "",
        change.display if then else "",
        comparison_note(node),
    ]


def _dropped(report: Report, width: int) -> list[list]:
    """A row per goal dropped since the baseline: its code and text, its baseline value, nothing of this round."""
    if report.baseline is None:
        return []
    rows = []
    for goal in report.baseline.dropped_goals:
        row = [goal.code, _("dropped since %(round)s") % {"round": report.baseline.label}, "", goal.text]
        row += [""] * (width - len(row) - 6)
        value = goal.value
        row += [_number(value.mean), value.display, value.n, "", "", _("not asked in this round")]
        rows.append(row)
    return rows


def _answers(report: Report) -> Iterator[list]:
    """The header now (in the active language), the rows as they are read."""
    goals = [node.code for node in report.rated_goals]
    questions = [question.code for question in report.questions]
    header = [_("Code"), _("Municipality"), _("Submitted at"), *goals, *questions]

    def rows():
        for answers, cells in report.iter_answer_rows():
            submitted_at = answers.submitted_at and answers.submitted_at.astimezone(HELSINKI).strftime(DATETIME_FORMAT)
            values = ["" if cell is None else cell for cell in cells]
            comments = [answers.comments.get(code, "") for code in questions]
            yield [answers.code, answers.name, submitted_at or "", *values, *comments]

    return itertools.chain([header], rows())


def _respondents(report: Report) -> Iterator[list]:
    header, rows = respondents_table(report)
    return itertools.chain([header], rows)


def _number(value) -> str:
    """The shortest decimal that reads back as the same float, with a decimal point; empty when there is none."""
    return "" if value is None else repr(float(value))


def _safe(cell) -> str | int:
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell
