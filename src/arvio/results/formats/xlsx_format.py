"""XLSX (openpyxl): the results, each municipality's answers and comments, and what the file holds.

Numbers are stored as numbers: the unrounded mean for calculating on, and the
value the report shows (rounded half up) with the number format "0.0", which
Excel and LibreOffice display with the reader's decimal sign. Text that a
spreadsheet could take for a formula (= + - @, tab, CR) is stored as a string
with the quote prefix, never as a formula: the comments are the
municipalities' own words (docs/report-formats.md).
"""

import io
import tempfile
from collections.abc import Iterator
from datetime import datetime
from typing import BinaryIO

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from arvio.lib.dates import HELSINKI
from arvio.results.formats.base import Exporter
from arvio.results.formats.csv_format import FORMULA_START
from arvio.results.formats.tables import comparison_header, comparison_note, respondents_table, results_header
from arvio.results.numbers import round_change, round_half_up
from arvio.results.report import Report
from arvio.surveys.models import Node

DATETIME_FORMAT = "d.m.yyyy h:mm"
VALUE_FORMAT = "0.0"
# Pieces in which a written workbook is handed on.
CHUNK_BYTES = 256 * 1024
# A change with its sign, in the reader's decimal sign: +0.4, −0.2 (U+2212), ±0.0.
CHANGE_FORMAT = '+0.0;"\u2212"0.0;"\u00b1"0.0'
# Excel's limit for a sheet's name.
SHEET_NAME_LENGTH = 31


class XlsxExporter(Exporter):
    identifier = "xlsx"
    verbose_name = gettext_lazy("Spreadsheet (XLSX)")
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    needs_answers = True
    # "results": the results and the about sheets only, without each municipality's answers and comments.
    options = {"sheets": ("all", "results")}
    public_options = {"sheets": "results"}

    needs_respondents = True

    def needs_answers_for(self, *, sheets: str = "all", **options) -> bool:
        return sheets != "results"

    def render(self, report: Report, *, sheets: str = "all") -> tuple[str, str, bytes]:
        content = io.BytesIO()
        self.write(report, content, sheets=sheets)
        return self.filename(report), self.content_type, content.getvalue()

    def stream(self, report: Report, *, sheets: str = "all") -> tuple[str, str, Iterator[bytes]]:
        """The workbook written to a temporary file first (a zip is finished only at its end), then read out
        in pieces: write-only sheets hold no rows in memory."""
        self.check(report, sheets=sheets)
        return self.filename(report), self.content_type, _file_chunks(self, report, sheets)

    def check(self, report: Report, *, sheets: str = "all") -> None:
        if self.needs_answers_for(sheets=sheets) and report.answers is None:
            raise ValueError(
                "The XLSX export holds each municipality's answers: build the report with include_answers=True."
            )
        if not report.respondents_listed:
            raise ValueError("The XLSX export lists every invitation: build the report with include_respondents=True.")

    def write(self, report: Report, file: BinaryIO, *, sheets: str = "all") -> None:
        self.check(report, sheets=sheets)
        with translation.override(report.language):
            # Write-only: rows are streamed out, a third faster and far smaller in memory with thousands of respondents.
            workbook = Workbook(write_only=True)
            _results_sheet(workbook, report)
            if self.needs_answers_for(sheets=sheets):
                _answers_sheets(workbook, report)
            _about_sheet(workbook, report)
            _respondents_sheet(workbook, report)
            workbook.save(file)


def _file_chunks(exporter: XlsxExporter, report: Report, sheets: str) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as file:
        exporter.write(report, file, sheets=sheets)
        file.seek(0)
        while chunk := file.read(CHUNK_BYTES):
            yield chunk


exporter = XlsxExporter()


def _results_sheet(workbook: Workbook, report: Report) -> None:
    widths = [28, 16, 80, 12, 9, 10, 12, 9, *[14] * len(report.scale), 9, 14, 12]
    if report.baseline is not None:
        widths += [14, 12, 12, 14, 10, 40]
    headers = results_header(report, depth=False) + comparison_header(report)
    sheet = _sheet(workbook, _("results"), headers, widths)
    for node in report.nodes:
        value = node.value
        rounded = float(round_half_up(value.mean)) if value.mean is not None else None
        sheet.append(
            [
                _cell(sheet, node.code),
                _cell(sheet, str(Node.Kind(node.kind).label)),
                _cell(sheet, node.text, alignment=Alignment(indent=node.depth, wrap_text=True, vertical="top")),
                float(value.mean) if value.mean is not None else None,
                _cell(sheet, rounded, number_format=VALUE_FORMAT),
                value.n,
                value.dont_know,
                value.blank,
                *[count for _value, count in value.distribution],
                _cell(sheet, float(value.median) if value.median is not None else None, number_format=VALUE_FORMAT),
                _("Yes") if value.low_n else None,
                node.rated_goals,
                *_comparison(sheet, report, node),
            ]
        )
    _dropped(sheet, report, len(headers))


def _comparison(sheet, report: Report, node) -> list:
    """The baseline's mean (unrounded), value (rounded, "0.0") and n, the change unrounded and as displayed
    (rounded, with its sign by the number format), and the flags' reasons: numbers as numbers."""
    if report.baseline is None:
        return []
    change = node.comparison
    then = change.baseline
    return [
        float(then.mean) if then and then.mean is not None else None,
        _cell(sheet, float(round_half_up(then.mean)), number_format=VALUE_FORMAT)
        if then and then.mean is not None
        else None,
        then.n if then else None,
        float(change.change) if change.change is not None else None,
        _cell(sheet, float(round_change(change.change)), number_format=CHANGE_FORMAT)
        if change.change is not None
        else None,
        _cell(sheet, comparison_note(node) or None),
    ]


def _dropped(sheet, report: Report, width: int) -> None:
    """A row per goal dropped since the baseline, with its baseline value and nothing of this round."""
    if report.baseline is None:
        return
    for goal in report.baseline.dropped_goals:
        value = goal.value
        row = [goal.code, _("dropped since %(round)s") % {"round": report.baseline.label}, goal.text]
        row += [None] * (width - len(row) - 6)
        row += [
            float(value.mean) if value.mean is not None else None,
            _cell(sheet, float(round_half_up(value.mean)), number_format=VALUE_FORMAT)
            if value.mean is not None
            else None,
            value.n,
            None,
            None,
            _("not asked in this round"),
        ]
        sheet.append([_cell(sheet, cell) for cell in row])


def _answers_sheets(workbook: Workbook, report: Report) -> None:
    """The answers and the comments sheets, written in one pass over the answers: the report reads them as
    they are iterated (ReportAnswers), and each write-only sheet takes its rows as they come."""
    goals = [node.code for node in report.rated_goals]
    answers_sheet = _sheet(
        workbook,
        _("answers"),
        [_("Code"), _("Municipality"), _("Submitted at"), *goals],
        [8, 20, 16, *[max(10, len(code) + 2) for code in goals]],
    )
    headers = [_("Municipality"), _("Question code"), _("Question"), _("Answer")]
    comments_sheet = _sheet(workbook, _("comments"), headers, [20, 20, 50, 100])
    wrapped = Alignment(wrap_text=True, vertical="top")
    for answers, cells in report.iter_answer_rows():
        answers_sheet.append(
            [
                _cell(answers_sheet, answers.code),
                _cell(answers_sheet, answers.name),
                _cell(answers_sheet, _local(answers.submitted_at) if answers.submitted_at else None),
                *cells,
            ]
        )
        for question in report.questions:
            text = answers.comments.get(question.code)
            if text:
                comments_sheet.append(
                    [
                        _cell(comments_sheet, answers.name),
                        _cell(comments_sheet, question.code),
                        _cell(comments_sheet, question.text, alignment=wrapped),
                        _cell(comments_sheet, text, alignment=wrapped),
                    ]
                )


def _about_sheet(workbook: Workbook, report: Report) -> None:
    sheet = _sheet(workbook, _("about"), [_("Field"), _("Value")], [30, 80])
    headers = results_header(report, depth=False)
    about = [
        (_("Round"), report.round_code),
        (_("Title"), report.title),
        (_("Organizer"), report.organizer),
        (_("Language"), report.language),
        (_("Response window"), report.window),
        (_("Municipalities that answered"), report.rate),
        (_("Generated at"), _local(report.generated_at)),
        (_("Minimum n"), report.min_n),
    ]
    if report.baseline is not None:
        baseline = report.baseline
        about += [
            (_("Baseline round"), baseline.round_code),
            (_("Baseline title"), baseline.title),
            (_("Baseline response window"), baseline.window),
            (_("Municipalities that answered the baseline"), baseline.rate),
            (_("Answered this round only"), ", ".join(baseline.only_now)),
            (_("Answered the baseline only"), ", ".join(baseline.only_baseline)),
            (_("Goals new in this round"), ", ".join(goal.code for goal in baseline.new_goals)),
            (_("Goals dropped since the baseline"), ", ".join(goal.code for goal in baseline.dropped_goals)),
        ]
    legend = [
        (headers[3], _("The mean of the numeric answers, unrounded.")),
        (headers[4], _("The mean rounded half up to one decimal, as the report shows it.")),
        (headers[5], _("The number of numeric answers the value rests on.")),
        (headers[6], _("Counted, never averaged.")),
        (headers[7], _("Respondents who left a goal empty, summed over the goals pooled.")),
        (headers[-2], _("Marked where the value rests on fewer answers than the minimum n.")),
        (headers[-1], _("A value above the rated goals pools all their numeric answers.")),
    ]
    for field, value in about:
        sheet.append([_cell(sheet, field), _cell(sheet, value)])
    sheet.append([])
    sheet.append([_cell(sheet, _("Legend"), bold=True)])
    for column, meaning in legend:
        sheet.append([_cell(sheet, column), _cell(sheet, meaning)])


def _respondents_sheet(workbook: Workbook, report: Report) -> None:
    """Every invited municipality with its status: the list the decks leave out past RESPONDENTS_LISTED."""
    header, rows = respondents_table(report)
    sheet = _sheet(workbook, _("respondents"), header, [8, 30, 30, 14, 10])
    for row in rows:
        sheet.append([_cell(sheet, cell) for cell in row])


def _sheet(workbook: Workbook, title: str, headers: list[str], widths: list[int]):
    sheet = workbook.create_sheet(title[:SHEET_NAME_LENGTH])
    # A write-only sheet takes its layout before its first row.
    sheet.freeze_panes = "A2"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.append([_cell(sheet, header, bold=True) for header in headers])
    return sheet


def _cell(sheet, value, *, number_format: str | None = None, alignment: Alignment | None = None, bold: bool = False):
    """The value, or a styled cell where it needs a style: a plain value is written faster."""
    if isinstance(value, str):
        # Control characters are not allowed in an XLSX file; they carry nothing a reader would miss.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    formula_like = isinstance(value, str) and value.startswith(FORMULA_START)
    if isinstance(value, datetime):
        number_format = DATETIME_FORMAT
    if not (formula_like or number_format or alignment or bold):
        return value
    cell = WriteOnlyCell(sheet, value)
    if formula_like:
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    if alignment:
        cell.alignment = alignment
    if bold:
        cell.font = Font(bold=True)
    return cell


def _local(moment: datetime) -> datetime:
    """Spreadsheets have no time zones: the time as it was in Helsinki."""
    return moment.astimezone(HELSINKI).replace(tzinfo=None)
