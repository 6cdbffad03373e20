"""XLSX (openpyxl): the results, each municipality's answers and comments, and what the file holds.

Numbers are stored as numbers: the unrounded mean for calculating on, and the
value the report shows (rounded half up) with the number format "0.0", which
Excel and LibreOffice display with the reader's decimal sign. Text that a
spreadsheet could take for a formula (= + - @, tab, CR) is stored as a string
with the quote prefix, never as a formula: the comments are the
municipalities' own words (docs/report-formats.md).
"""

import io
from datetime import datetime

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
from arvio.results.formats.tables import results_header
from arvio.results.numbers import round_half_up
from arvio.results.report import Report
from arvio.surveys.models import Node

DATETIME_FORMAT = "d.m.yyyy h:mm"
VALUE_FORMAT = "0.0"
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

    def needs_answers_for(self, *, sheets: str = "all", **options) -> bool:
        return sheets != "results"

    def render(self, report: Report, *, sheets: str = "all") -> tuple[str, str, bytes]:
        answers = sheets != "results"
        if answers and report.answers is None:
            raise ValueError(
                "The XLSX export holds each municipality's answers: build the report with include_answers=True."
            )
        with translation.override(report.language):
            # Write-only: rows are streamed out, a third faster and far smaller in memory with thousands of respondents.
            workbook = Workbook(write_only=True)
            _results_sheet(workbook, report)
            if answers:
                _answers_sheet(workbook, report)
                _comments_sheet(workbook, report)
            _about_sheet(workbook, report)
            content = io.BytesIO()
            workbook.save(content)
        return self.filename(report), self.content_type, content.getvalue()


exporter = XlsxExporter()


def _results_sheet(workbook: Workbook, report: Report) -> None:
    widths = [28, 16, 80, 12, 9, 10, 12, 9, *[14] * len(report.scale), 9, 14, 12]
    sheet = _sheet(workbook, _("results"), results_header(report, depth=False), widths)
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
            ]
        )


def _answers_sheet(workbook: Workbook, report: Report) -> None:
    goals = [node.code for node in report.rated_goals]
    sheet = _sheet(
        workbook,
        _("answers"),
        [_("Code"), _("Municipality"), _("Submitted at"), *goals],
        [8, 20, 16, *[max(10, len(code) + 2) for code in goals]],
    )
    for answers, cells in report.answer_rows():
        sheet.append(
            [
                _cell(sheet, answers.code),
                _cell(sheet, answers.name),
                _cell(sheet, _local(answers.submitted_at) if answers.submitted_at else None),
                *cells,
            ]
        )


def _comments_sheet(workbook: Workbook, report: Report) -> None:
    headers = [_("Municipality"), _("Question code"), _("Question"), _("Answer")]
    sheet = _sheet(workbook, _("comments"), headers, [20, 20, 50, 100])
    wrapped = Alignment(wrap_text=True, vertical="top")
    for answers in report.answers:
        for question in report.questions:
            text = answers.comments.get(question.code)
            if text:
                sheet.append(
                    [
                        _cell(sheet, answers.name),
                        _cell(sheet, question.code),
                        _cell(sheet, question.text, alignment=wrapped),
                        _cell(sheet, text, alignment=wrapped),
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
