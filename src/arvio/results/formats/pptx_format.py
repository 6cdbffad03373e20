"""The council deck (PPTX), following the 2024 deck page by page.

The title; the response status; the scale; the summary table with the
narrative beside it; a native bar chart of the summary rows; one slide per
detail section; the excerpts. Each slide's numbers (n, can't say, the
distribution) are in its speaker notes.

This module draws; what fits where, and which rows and excerpts go on
which slide, is measured in `pptx_layout`.
"""

import logging
from dataclasses import replace
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Pt

from arvio.lib.dates import format_date, local_date
from arvio.results.formats.base import Exporter
from arvio.results.formats.pptx_layout import (
    BOX_MARGIN_Y,
    CELL_MARGIN_X,
    CELL_MARGIN_Y,
    CONTENT_BOTTOM,
    CONTENT_WIDTH,
    EXCERPT_GAP,
    FOOTER_SIZE,
    FOOTER_TOP,
    GAP,
    HEADER_SIZE,
    HEADER_TOP,
    INTRO_SIZE,
    MARGIN,
    NARRATIVE_SIZES,
    NOTE_SIZE,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    STATUS_PANEL_SIZES,
    STATUS_SIZES,
    TITLE_SIZE,
    TITLE_TOP,
    TREND_COLUMNS,
    TREND_LINES,
    Header,
    Paragraph,
    Row,
    Table,
    box_height,
    chart_pages,
    content_top,
    excerpt_space,
    fit_excerpts,
    fit_paragraphs,
    fit_table,
    trend_pages,
)
from arvio.results.numbers import NO_VALUE
from arvio.results.report import Change, Report, ReportNode, Section, Value

logger = logging.getLogger(__name__)

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
ACCENT_LIGHT = RGBColor(0xD6, 0xE3, 0xF0)
BAND = RGBColor(0xF2, 0xF5, 0xF9)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
TEXT = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x55, 0x55, 0x55)
GRID = RGBColor(0xD0, 0xD0, 0xD0)
BASELINE = RGBColor(0x6A, 0x8C, 0xB0)  # the baseline's bars: 3.5:1 against white, lighter than this round's

LANGUAGE_IDS = {"fi": MSO_LANGUAGE_ID.FINNISH, "sv": MSO_LANGUAGE_ID.SWEDISH_FINLAND, "en": MSO_LANGUAGE_ID.ENGLISH_UK}
# Finnish and Swedish quote with ” at both ends.
QUOTES = {"fi": ("”", "”"), "sv": ("”", "”"), "en": ("“", "”")}
TITLE_ONLY_LAYOUT = 5


class PptxExporter(Exporter):
    identifier = "pptx"
    verbose_name = gettext_lazy("PowerPoint presentation (PPTX)")
    extension = "pptx"
    content_type = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    needs_answers = False

    def render(self, report: Report, **options) -> tuple[str, str, bytes]:
        with translation.override(report.language):
            content = _Deck(report).write()
        return self.filename(report), self.content_type, content


exporter = PptxExporter()


# Small helpers


def _shown(value: Value) -> str:
    """ "2,2", "2,5*" for a small n, "– ei vastauksia" for none."""
    if value.n == 0:
        return f"{value.display} {_('no answers')}"
    return value.display + ("*" if value.low_n else "")


def _shown_or_new(value: Value | None) -> str:
    """A baseline's value, or "new" where nothing of the baseline matches."""
    return _("new") if value is None else _shown(value)


def _mean(value: Value | None) -> float | None:
    """A value as a chart holds it; None leaves a gap."""
    return None if value is None or value.mean is None else float(value.mean)


def _count(value: Value) -> str:
    """The n beside a value on the slide, not only in the speaker notes."""
    return f"(n\u00a0=\u00a0{value.n})" if value.n else ""


def _marked(value: Value) -> bool:
    return value.low_n and value.n > 0


def _value_row(node: ReportNode, note: str = "", prefix: str = "") -> Row:
    return Row(prefix + node.text, _shown(node.value), note=note, value=node.value, count=_count(node.value))


# The summary table's columns where the round has a baseline: the text, this round's value, the baseline's, the change.
COMPARED_WIDTHS = (440.0, 90.0, 90.0, 80.0)
FACT_SIZES = (14, 13, 12, 11, 10)
FOOTNOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹"
FOOTNOTE_SEPARATOR = " \u00b7 "


def _change_marks(rows: tuple[ReportNode, ...]) -> tuple[dict[str, str], list[str]]:
    """A footnote mark per distinct reason a change is to be read with care, numbered in the order first met:
    each row's marks ("¹", "¹,²") and the footnotes ("¹ Vastaajat eri kunnat (vain 2024: Hanko; …)"), saying
    what the results page and the XLSX say."""
    texts: list[str] = []
    marks: dict[str, str] = {}
    for node in rows:
        reasons = _change_reasons(node.comparison)
        for reason in reasons:
            if reason not in texts:
                texts.append(reason)
        marks[node.code] = ",".join(_footnote_mark(texts.index(reason)) for reason in reasons)
    return marks, [f"{_footnote_mark(index)} {capfirst(text)}" for index, text in enumerate(texts)]


def _change_reasons(change: Change) -> list[str]:
    """Why a change is to be read with care: its flags' reasons, and that its baseline value leaves out goals
    not asked then. None for a node new in this round: it has no change to read."""
    if change.baseline is None:
        return []
    return list(change.reasons) + ([_("only the goals asked in both rounds")] if change.partial else [])


def _footnote_mark(index: int) -> str:
    return FOOTNOTE_MARKS[index] if index < len(FOOTNOTE_MARKS) else f"({index + 1})"


def _change_cells(change: Change, marks: str) -> tuple[str, str]:
    """The baseline's value with its n, and the change with its footnote marks; "new" for a node new in this
    round."""
    if change.baseline is None:
        return NO_VALUE, _("new")
    return f"{_shown(change.baseline)} {_count(change.baseline)}".strip(), change.display + marks


def _change_notes(change: Change, label: str) -> str:
    """The comparison in the speaker notes: "2022: 2,4 (n = 7); Muutos vuodesta 2022 −0,3"."""
    if change.baseline is None:
        return _("new in this round")
    then = _("%(label)s: %(value)s (n = %(n)s)") % {
        "label": label,
        "value": change.baseline.display,
        "n": change.baseline.n,
    }
    return f"{then}; {_('Change since %(label)s') % {'label': label}} {change.display}"


def _trend_line(node: ReportNode) -> str:
    """A summary row's trend in words, for the speaker notes and the chart's alternative text:
    "Osallisuus: 2020 1,5 (n = 6); 2022 2,4 (n = 7); 2024 2,2 (n = 6)"."""
    points = [
        f"{point.label} {_shown(point.value)} {_count(point.value)}".strip()
        if point.value is not None
        else f"{point.label} {NO_VALUE}"
        for point in node.trend
    ]
    return f"{_short_label(node)}: {'; '.join(points)}"


def _part(title: str, index: int, count: int) -> str:
    return f"{title} ({index}/{count})" if count > 1 else title


def _scale(report: Report) -> str:
    """5 = Erinomaisesti; 4 = Hyvin; …"""
    return "; ".join(f"{value} = {label}" for value, label in report.scale)


def _short_label(node: ReportNode) -> str:
    label = node.label or node.text
    return label[:1].upper() + label[1:]


def _notes_line(text: str, value: Value) -> str:
    return _(
        "%(text)s — mean %(mean)s, median %(median)s, n = %(n)s, can't say %(dont_know)s, no answer %(blank)s; "
        "answers per scale value %(distribution)s"
    ) % {
        "text": text,
        "mean": value.display,
        "median": value.median_display,
        "n": value.n,
        "dont_know": value.dont_know,
        "blank": value.blank,
        "distribution": ", ".join(f"{number}: {count}" for number, count in value.distribution),
    }


class _Deck:
    def __init__(self, report: Report):
        self.report = report
        self.language_id = LANGUAGE_IDS.get(report.language, MSO_LANGUAGE_ID.FINNISH)
        self.presentation = Presentation()
        self.presentation.slide_width = Pt(SLIDE_WIDTH)
        self.presentation.slide_height = Pt(SLIDE_HEIGHT)

    def write(self) -> bytes:
        self.title_slide()
        self.status_slides()
        self.scale_slide()
        self.summary_slides()
        self.chart_slides()
        self.trend_slides()
        self.comparison_slides()
        for section in self.report.sections:
            self.section_slides(section)
        self.excerpt_slides()
        out = BytesIO()
        self.presentation.save(out)
        return out.getvalue()

    # Building blocks

    def new_slide(self, title: str | None):
        """A slide with the footer, and unless it is the title slide the header line and the title.
        Returns the slide and where its content starts."""
        slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[TITLE_ONLY_LAYOUT])
        footer = [Paragraph(self.report.organizer, FOOTER_SIZE)]
        self.text(slide, MARGIN, FOOTER_TOP, CONTENT_WIDTH - 60, footer, color=MUTED)
        number = [Paragraph(str(len(self.presentation.slides)), FOOTER_SIZE)]
        self.text(slide, SLIDE_WIDTH - MARGIN - 60, FOOTER_TOP, 60, number, color=MUTED, align=PP_ALIGN.RIGHT)
        if title is None:
            return slide, TITLE_TOP
        self.text(
            slide, MARGIN, HEADER_TOP, CONTENT_WIDTH, [Paragraph(self.report.title.upper(), HEADER_SIZE)], color=MUTED
        )
        heading = [Paragraph(title, TITLE_SIZE, bold=True)]
        self.place(slide.shapes.title, MARGIN, TITLE_TOP, CONTENT_WIDTH, heading, color=ACCENT)
        return slide, content_top(title)

    def text(self, slide, left, top, width, paragraphs, *, color=TEXT, align=PP_ALIGN.LEFT, space_after=0.0) -> float:
        """A text box sized to its text; returns its height."""
        box = slide.shapes.add_textbox(0, 0, 0, 0)
        return self.place(box, left, top, width, paragraphs, color=color, align=align, space_after=space_after)

    def place(self, shape, left, top, width, paragraphs, *, color=TEXT, align=PP_ALIGN.LEFT, space_after=0.0) -> float:
        height = box_height(paragraphs, width, space_after)
        shape.left, shape.top, shape.width, shape.height = Pt(left), Pt(top), Pt(width), Pt(height)
        frame = shape.text_frame
        frame.word_wrap = True
        # Measured to fit in Calibri or Carlito; a renderer with a wider font shrinks the text to its box
        # instead of running it into the next one.
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.margin_left = frame.margin_right = 0
        frame.margin_top = frame.margin_bottom = Pt(BOX_MARGIN_Y)
        for index, text in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.alignment = align
            if space_after and index < len(paragraphs) - 1:
                paragraph.space_after = Pt(space_after)
            self.run(paragraph, text.text, text.size, text.bold, text.color or color)
        return height

    def run(self, paragraph, text: str, size: float, bold: bool, color: RGBColor):
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = color
        run.font.language_id = self.language_id

    def notes(self, slide, lines: list[str]):
        slide.notes_slide.notes_text_frame.text = "\n".join(lines)

    def table(self, slide, left: float, top: float, widths, table: Table, value_align=PP_ALIGN.CENTER) -> float:
        """The text column, the value column, and the further columns (`table.extra_headers`) where it has them."""
        columns = table.columns
        shape = slide.shapes.add_table(len(table.rows), columns, Pt(left), Pt(top), Pt(sum(widths)), Pt(table.height))
        grid = shape.table
        grid.first_row = True
        grid.horz_banding = False
        for index, width in enumerate(widths):
            grid.columns[index].width = Pt(width)
        size = table.size
        band = False
        for index, (row, height) in enumerate(zip(table.rows, table.heights)):
            grid.rows[index].height = Pt(height)
            text_cell, value_cell = grid.cell(index, 0), grid.cell(index, 1)
            extra_cells = [grid.cell(index, column) for column in range(2, columns)]
            if isinstance(row, Header) and index == 0:
                self.cell(text_cell, [(row.label, True)], size, fill=ACCENT, color=WHITE)
                for cell, header in zip([value_cell] + extra_cells, (table.value_header,) + table.extra_headers):
                    self.cell(cell, [(header, True)], size, fill=ACCENT, color=WHITE, align=value_align)
            elif isinstance(row, Header):
                text_cell.merge(grid.cell(index, columns - 1))
                self.cell(text_cell, [(row.label, True)], size, fill=ACCENT_LIGHT, color=ACCENT)
                band = False
            else:
                fill = BAND if band else WHITE
                band = not band
                runs = [(row.text, False)] + ([(" " + row.note, False)] if row.note else [])
                self.cell(text_cell, runs, size, fill=fill)
                counted = [(" " + row.count, False)] if row.count else []
                self.cell(value_cell, [(row.shown, row.strong)] + counted, size, fill=fill, align=value_align)
                for cell, text in zip(extra_cells, row.extra):
                    self.cell(cell, [(text, False)], size, fill=fill, align=value_align)
        return table.height

    def cell(self, cell, runs, size: float, *, fill: RGBColor, color: RGBColor = TEXT, align=PP_ALIGN.LEFT):
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
        cell.margin_left = cell.margin_right = Pt(CELL_MARGIN_X)
        cell.margin_top = cell.margin_bottom = Pt(CELL_MARGIN_Y)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        cell.text_frame.word_wrap = True
        paragraph = cell.text_frame.paragraphs[0]
        paragraph.alignment = align
        for text, bold in runs:
            self.run(paragraph, text, size, bold, color)

    def rows_notes(self, slide, rows, footnote: str = ""):
        lines = [
            _notes_line(row.text, row.value) + (f" — {row.detail}" if row.detail else "")
            for row in rows
            if isinstance(row, Row) and row.value
        ]
        self.notes(slide, lines + ([footnote] if footnote else []))

    def low_n_note(self) -> str:
        return _("* fewer than %(min_n)s answers") % {"min_n": self.report.min_n}

    # The slides

    def title_slide(self):
        report = self.report
        slide, _top = self.new_slide(None)
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Pt(12), Pt(SLIDE_HEIGHT))
        band.fill.solid()
        band.fill.fore_color.rgb = ACCENT
        band.line.fill.background()
        left, width = MARGIN + 24, CONTENT_WIDTH - 48
        logo = settings.ARVIO_LOGO_PATH
        if logo and Path(logo).is_file():
            try:
                slide.shapes.add_picture(str(logo), Pt(left), Pt(MARGIN), height=Pt(60))
            except OSError:  # not an image python-pptx can read: the deck is still worth having
                logger.warning("ARVIO_LOGO_PATH %s is not a PNG, JPEG or GIF image; the deck has no logo", logo)
        title = [Paragraph(report.cover_title, 40, bold=True)]
        top = max(MARGIN + 84, (SLIDE_HEIGHT - box_height(title, width)) / 2 - 40)
        top += self.place(slide.shapes.title, left, top, width, title, color=ACCENT) + 24
        top += self.text(slide, left, top, width, [Paragraph(report.organizer, 24)]) + 6
        window = _("Response time %(window)s") % {"window": report.window}
        self.text(slide, left, top, width, [Paragraph(window, 20)], color=MUTED)
        generated = format_date(local_date(report.generated_at))
        self.notes(slide, [_("Made with Arvio on %(date)s.") % {"date": generated}])

    def status_slides(self):
        report = self.report
        if not report.respondents_shown:
            self.status_counts_slide()
            return
        title = _("Response status")
        widths = (170.0, 250.0)
        rows = [Header(_("Municipality"))] + [
            Row(respondent.name, respondent.answered_label, strong=not respondent.answered)
            for respondent in report.respondents
        ]
        available = CONTENT_BOTTOM - content_top(title)
        tables = fit_table(rows, widths, _("Did it answer the survey?"), available, sizes=STATUS_SIZES)
        for index, table in enumerate(tables):
            slide, top = self.new_slide(_part(title, index + 1, len(tables)))
            self.table(slide, MARGIN, top, widths, table, value_align=PP_ALIGN.LEFT)
            if index == 0:
                self.status_panel(slide, MARGIN + sum(widths) + 36, top)
                self.notes(slide, [f"{report.rate} ({report.rate_percent})"])

    def status_counts_slide(self):
        """Too many municipalities for a council to read: how many are in each status, and where the list is."""
        report = self.report
        title = _("Response status")
        widths = (250.0, 170.0)
        rows = [Header(_("Status"))] + [Row(item.label, str(item.count)) for item in report.status_counts]
        note = _(
            "%(invited)s municipalities were invited, too many to list here. "
            "The status of each one is in the XLSX, CSV and JSON files."
        ) % {"invited": report.invited}
        footnote = [Paragraph(note, NOTE_SIZE)]
        available = CONTENT_BOTTOM - content_top(title) - box_height(footnote, sum(widths)) - GAP
        table = fit_table(rows, widths, _("Municipalities"), available, sizes=STATUS_SIZES)[0]
        slide, top = self.new_slide(title)
        height = self.table(slide, MARGIN, top, widths, table, value_align=PP_ALIGN.RIGHT)
        self.text(slide, MARGIN, top + height + GAP, sum(widths), footnote, color=MUTED)
        self.status_panel(slide, MARGIN + sum(widths) + 36, top)
        self.notes(slide, [f"{report.rate} ({report.rate_percent})", note])

    def status_panel(self, slide, left: float, top: float):
        """Beside the table, as in the 2024 deck: "6/10 …", the survey's purpose, target group and window."""
        report = self.report
        width = SLIDE_WIDTH - MARGIN - left
        sentence = _("%(responded)s/%(invited)s of the area's municipalities answered the survey") % {
            "responded": report.responded,
            "invited": report.invited,
        }
        context = _("The survey's target group was %(group)s. The response time was %(window)s.") % {
            "group": report.target_group,
            "window": report.window,
        }
        texts = [text.strip() for text in report.purpose.split("\n") + [context] if text.strip()]
        size, paragraphs = fit_paragraphs(
            lambda size: [Paragraph(sentence, size + 12, True, ACCENT)] + [Paragraph(text, size) for text in texts],
            STATUS_PANEL_SIZES,
            width,
            CONTENT_BOTTOM - top,
        )
        self.text(slide, left, top, width, paragraphs, space_after=size)

    def scale_slide(self):
        report = self.report
        slide, top = self.new_slide(_("Rating scale"))
        scale = [Paragraph(f"{value} = {label}", 28) for value, label in report.scale]
        top += self.text(slide, MARGIN + 24, top + 12, CONTENT_WIDTH - 24, scale, space_after=10) + 36
        notes = []
        if report.dont_know_label:
            notes.append(
                _(
                    "The answer “%(label)s” could also be chosen: "
                    "those answers are counted but not included in the means."
                )
                % {"label": report.dont_know_label}
            )
        notes.append(
            _("A value resting on fewer than %(min_n)s answers is marked with an asterisk (*).")
            % {"min_n": report.min_n}
        )
        notes = [Paragraph(text, 16) for text in notes]
        self.text(slide, MARGIN + 24, top, CONTENT_WIDTH - 24, notes, color=MUTED, space_after=8)

    def summary_slides(self):
        """The summary table; where the round has a baseline, with the baseline's value and the change beside
        this round's value, each flagged change marked and its reasons under the table."""
        report = self.report
        title = _("Summary of the municipalities' answers")
        baseline = report.baseline
        rows = [Header(_("Goal or theme"))] + [_value_row(node, node.pooled_note) for node in report.summary]
        low_n = any(_marked(node.value) for node in report.summary)
        value_header, extra_headers, notes = _("Mean of the municipalities' answers"), (), []
        widths: tuple[float, ...] = (520.0, 120.0)
        if baseline is not None:
            widths = COMPARED_WIDTHS
            value_header = _("%(label)s value") % {"label": baseline.label_now}
            extra_headers = (
                _("%(label)s value") % {"label": baseline.label},
                # The two rounds' columns name them; the change between them needs no more words, and a
                # one-line header leaves the table room to fit one slide.
                _("Change"),
            )
            marks, notes = _change_marks(report.summary)
            rows = rows[:1] + [
                replace(
                    row,
                    extra=_change_cells(node.comparison, marks[node.code]),
                    detail=_change_notes(node.comparison, baseline.label),
                )
                for row, node in zip(rows[1:], report.summary)
            ]
            low_n = low_n or any(
                node.comparison.baseline and _marked(node.comparison.baseline) for node in report.summary
            )
        # The footnotes run on in one paragraph: the table keeps the room of the lines they would each begin.
        footnotes = ([self.low_n_note()] if low_n else []) + notes
        footnote = [Paragraph(FOOTNOTE_SEPARATOR.join(footnotes), NOTE_SIZE)] if footnotes else []
        footnote_height = box_height(footnote, sum(widths)) + GAP if footnote else 0
        available = CONTENT_BOTTOM - content_top(_part(title, 1, 2)) - footnote_height
        tables = fit_table(rows, widths, value_header, available, extra_headers=extra_headers)
        for index, table in enumerate(tables):
            slide, top = self.new_slide(_part(title, index + 1, len(tables)))
            height = self.table(slide, MARGIN, top, widths, table)
            if footnote:
                self.text(slide, MARGIN, top + height + GAP, sum(widths), footnote, color=MUTED)
            if index == 0:
                self.narrative(slide, MARGIN + sum(widths) + 24, top)
            self.rows_notes(slide, table.rows, "\n".join(notes))

    def narrative(self, slide, left: float, top: float):
        """The narrative beside the summary table, and under it in small type what the numbers are."""
        width = SLIDE_WIDTH - MARGIN - left
        closing = _(
            "Means of the municipalities' answers on the scale 1–5; “%(label)s” answers are not included. "
            "n is the number of answers behind each value; their distribution is in the speaker notes."
        ) % {"label": self.report.dont_know_label}
        closing_height = box_height([Paragraph(closing, NOTE_SIZE)], width)
        self.text(slide, left, CONTENT_BOTTOM - closing_height, width, [Paragraph(closing, NOTE_SIZE)], color=MUTED)
        texts = [text.strip() for text in self.report.narrative.split("\n") if text.strip()]
        if not texts:
            return
        size, paragraphs = fit_paragraphs(
            lambda size: [Paragraph(text, size) for text in texts],
            NARRATIVE_SIZES,
            width,
            CONTENT_BOTTOM - closing_height - GAP - top,
        )
        self.text(slide, left, top, width, paragraphs, space_after=size)

    def chart_slides(self):
        pages = chart_pages(self.report.summary)
        for index, rows in enumerate(pages):
            self.chart_slide(rows, index + 1, len(pages))

    def chart_slide(self, rows: tuple[ReportNode, ...], index: int, count: int):
        """A native, editable bar chart: the data sits in the deck's embedded workbook."""
        report = self.report
        slide, top = self.new_slide(_part(_("Summary of the municipalities' answers"), index, count))
        caption = "{}. {}".format(_("Mean of the municipalities' answers (1–5)"), _scale(report))
        top += self.text(slide, MARGIN, top, CONTENT_WIDTH, [Paragraph(caption, 16)], color=MUTED)
        baseline = report.baseline
        # Each series with the values its bars' labels show: this round's, and the baseline's where there is one.
        series_values = [(_("Mean of the municipalities' answers"), [node.value for node in rows])]
        if baseline is not None:
            series_values = [
                (baseline.label_now, [node.value for node in rows]),
                (baseline.label, [node.comparison.baseline for node in rows]),
            ]
        data = CategoryChartData(number_format="0.0")
        data.categories = [_short_label(node) for node in rows]
        for name, values in series_values:
            data.add_series(name, [_mean(value) for value in values])
        frame = slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, Pt(MARGIN), Pt(top), Pt(CONTENT_WIDTH), Pt(CONTENT_BOTTOM - top), data
        )
        # The alternative text read out in place of the chart.
        if baseline is None:
            described = [f"{_short_label(node)}: {_shown(node.value)}" for node in rows]
        else:
            described = [
                f"{_short_label(node)}: {baseline.label_now} {_shown(node.value)}, "
                f"{baseline.label} {_shown_or_new(node.comparison.baseline)}"
                for node in rows
            ]
        frame._element.nvGraphicFramePr.cNvPr.set("descr", "; ".join(described))
        chart = frame.chart
        chart.has_legend = baseline is not None
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        chart.has_title = False
        chart.font.size = Pt(12)
        chart.font.color.rgb = TEXT

        categories = chart.category_axis
        categories.reverse_order = True  # the first summary row on top, as in the table
        categories.format.line.color.rgb = MUTED
        values = chart.value_axis
        # Reversed categories would take the value axis to the top; it crosses at the last category to stay
        # at the bottom. python-pptx sets this only from the other axis, hence the XML.
        values._element.crosses.set("val", XL_AXIS_CROSSES.MAXIMUM.xml_value)
        _scale_axis(values, report.scale_range)

        plot = chart.plots[0]
        plot.gap_width = 50
        plot.has_data_labels = True
        # The number format's decimal sign follows the viewer's locale in PowerPoint, so each label also
        # gets the report's own display ("2,2"; "2,5*" for a small n) as its text.
        plot.data_labels.number_format = "0.0"
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
        plot.data_labels.font.size = Pt(12 if baseline is None else 10)  # two bars a row: half the height each
        for series, (_name, values), color in zip(plot.series, series_values, (ACCENT, BASELINE)):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = color
            for point, value in zip(series.points, values):
                point.data_label.text_frame.text = (
                    f"{_shown(value)} {_count(value)}".strip() if value is not None else _("new")
                )
                point.data_label.position = XL_LABEL_POSITION.OUTSIDE_END

        shown = [value for _name, values in series_values for value in values if value is not None]
        low_n = any(_marked(value) for value in shown)
        notes_rows = [_value_row(node) for node in rows]
        if baseline is not None:
            notes_rows = [
                replace(row, detail=_change_notes(node.comparison, baseline.label))
                for row, node in zip(notes_rows, rows)
            ]
        self.rows_notes(slide, notes_rows, self.low_n_note() if low_n else "")

    def trend_slides(self):
        """Across three or more rounds: a small native line chart per summary row, the rounds oldest first, a gap
        where a row has no value in a round; the numbers in the speaker notes and each chart's alternative text."""
        report = self.report
        if not report.trend_rounds:
            return
        title = _("The summary rows across the rounds")
        caption = _(
            "Each row's mean in the rounds %(rounds)s. An earlier round's value pools the goals that this round's "
            "goals match there."
        ) % {"rounds": ", ".join(report.trend_rounds)}
        pages = trend_pages(report.summary)
        for index, rows in enumerate(pages):
            slide, top = self.new_slide(_part(title, index + 1, len(pages)))
            top += self.text(slide, MARGIN, top, CONTENT_WIDTH, [Paragraph(caption, INTRO_SIZE)], color=MUTED) + GAP
            width = (CONTENT_WIDTH - (TREND_COLUMNS - 1) * GAP) / TREND_COLUMNS
            height = (CONTENT_BOTTOM - top - (TREND_LINES - 1) * GAP) / TREND_LINES
            for place, node in enumerate(rows):
                column, line = place % TREND_COLUMNS, place // TREND_COLUMNS
                self.trend_chart(
                    slide, node, MARGIN + column * (width + GAP), top + line * (height + GAP), width, height
                )
            low_n = any(point.value and _marked(point.value) for node in rows for point in node.trend)
            self.notes(slide, [_trend_line(node) for node in rows] + ([self.low_n_note()] if low_n else []))

    def trend_chart(self, slide, node: ReportNode, left: float, top: float, width: float, height: float):
        data = CategoryChartData(number_format="0.0")
        data.categories = [point.label for point in node.trend]
        data.add_series(_short_label(node), [_mean(point.value) for point in node.trend])
        frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Pt(left), Pt(top), Pt(width), Pt(height), data)
        frame._element.nvGraphicFramePr.cNvPr.set("descr", _trend_line(node))
        chart = frame.chart
        chart.has_legend = False
        chart.font.size = Pt(10)
        chart.font.color.rgb = TEXT
        chart.has_title = True
        chart.chart_title.text_frame.text = _short_label(node)
        for run in chart.chart_title.text_frame.paragraphs[0].runs:
            run.font.size = Pt(12)
            run.font.bold = True
            run.font.language_id = self.language_id

        chart.category_axis.format.line.color.rgb = MUTED
        _scale_axis(chart.value_axis, self.report.scale_range)

        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.number_format = "0.0"
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.position = XL_LABEL_POSITION.ABOVE
        series = plot.series[0]
        series.smooth = False
        series.format.line.color.rgb = ACCENT
        series.format.line.width = Pt(2.25)
        series.marker.style = XL_MARKER_STYLE.CIRCLE
        series.marker.size = 7
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = ACCENT
        series.marker.format.line.color.rgb = ACCENT
        # As on the bar chart, each label is the report's own display ("2,2 (n = 6)"), whatever the viewer's locale.
        for point, trend_point in zip(series.points, node.trend):
            if trend_point.value is not None:
                point.data_label.text_frame.text = f"{_shown(trend_point.value)} {_count(trend_point.value)}".strip()
                point.data_label.position = XL_LABEL_POSITION.ABOVE

    def comparison_slides(self):
        """What the round is compared with, and the goals asked in only one of the two rounds: listed, never
        silently left out (as on the results page)."""
        report = self.report
        baseline = report.baseline
        if baseline is None:
            return
        title = _("Compared with the previous round")
        facts = [
            f"{_('Baseline round')}: {baseline.title} ({baseline.window})",
            f"{_('Municipalities that answered it')}: {baseline.rate}: {', '.join(baseline.municipalities)}",
            "{}: {}".format(
                _("Overall level"),
                _("%(label)s: %(value)s; %(now)s: %(current)s (change %(change)s)")
                % {
                    "label": baseline.label,
                    "value": baseline.overall.display,
                    "now": baseline.label_now,
                    "current": report.overall.display,
                    "change": baseline.overall_change.display,
                },
            ),
        ]
        only = [
            _("only in %(label)s: %(names)s") % {"label": label, "names": ", ".join(names)}
            for label, names in ((baseline.label_now, baseline.only_now), (baseline.label, baseline.only_baseline))
            if names
        ]
        if only:
            facts.append(f"{_('Different municipalities answered')}: {'; '.join(only)}.")

        values = {node.code: node.value for node in report.nodes}
        new = [(goal.text, baseline.label_now, values[goal.code]) for goal in baseline.new_goals]
        dropped = [(goal.text, baseline.label, goal.value) for goal in baseline.dropped_goals]
        rows: list[Header | Row] = []
        for heading, goals in ((_("Goals new in this round"), new), (_("Goals dropped since the baseline"), dropped)):
            rows.append(Header(heading))
            rows += [
                Row(text, f"{label}: {_shown(value)}", count=_count(value), value=value) for text, label, value in goals
            ] or [Row(_("None."), "", strong=False)]
        low_n = any(_marked(row.value) for row in rows if isinstance(row, Row) and row.value)
        footnote = [Paragraph(self.low_n_note(), NOTE_SIZE)] if low_n else []
        footnote_height = box_height(footnote, CONTENT_WIDTH) + GAP if footnote else 0
        room = CONTENT_BOTTOM - content_top(_part(title, 1, 2)) - footnote_height
        # The facts take at most half the slide, in smaller type where the baseline's municipalities are many.
        size, intro = fit_paragraphs(
            lambda size: [Paragraph(text, size) for text in facts], FACT_SIZES, CONTENT_WIDTH, room / 2
        )
        intro_height = box_height(intro, CONTENT_WIDTH, size / 2) + GAP
        widths = (CONTENT_WIDTH - 190.0, 190.0)
        value_header = _("Mean of the municipalities' answers")
        tables = fit_table(rows, widths, value_header, room - intro_height)
        for index, table in enumerate(tables):
            slide, top = self.new_slide(_part(title, index + 1, len(tables)))
            top += self.text(slide, MARGIN, top, CONTENT_WIDTH, intro, space_after=size / 2) + GAP
            height = self.table(slide, MARGIN, top, widths, table)
            if footnote:
                self.text(slide, MARGIN, top + height + GAP, CONTENT_WIDTH, footnote, color=MUTED)
            self.rows_notes(slide, table.rows, "\n".join(facts))

    def section_slides(self, section: Section):
        report = self.report
        # A no-break space keeps "1/4" with the heading's last word.
        title = f"{section.heading}\u00a0{section.part}" if section.part else section.heading
        intro = [Paragraph(report.instructions, INTRO_SIZE)] if report.instructions else []
        intro.append(Paragraph(_("Rating scale. %(scale)s") % {"scale": _scale(report)}, INTRO_SIZE))
        widths = (CONTENT_WIDTH - 190.0, 190.0)
        if section.main is not None:
            rows = [Header(_("Main goal")), _value_row(section.main), Header(_("Sub-goals"))]
        else:
            rows = [Header(_("Goal"))]
        for node in section.rows:
            rows.append(_value_row(node, node.pooled_note if section.main is None else ""))
            if section.main is None:  # a theme's page: its main goals' sub-goals under each
                rows += [_value_row(sub, prefix="\u2013 ") for sub in node.children]
        low_n = any(_marked(row.value) for row in rows if isinstance(row, Row))
        footnote = [Paragraph(self.low_n_note(), NOTE_SIZE)] if low_n else []
        footnote_height = box_height(footnote, CONTENT_WIDTH) + GAP if footnote else 0
        top = content_top(_part(title, 1, 2)) + box_height(intro, CONTENT_WIDTH, 4) + GAP
        value_header = _("Mean of the municipalities' answers (1–5)")
        tables = fit_table(rows, widths, value_header, CONTENT_BOTTOM - top - footnote_height)
        for index, table in enumerate(tables):
            slide, top = self.new_slide(_part(title, index + 1, len(tables)))
            top += self.text(slide, MARGIN, top, CONTENT_WIDTH, intro, color=MUTED, space_after=4) + GAP
            height = self.table(slide, MARGIN, top, widths, table)
            if footnote:
                self.text(slide, MARGIN, top + height + GAP, CONTENT_WIDTH, footnote, color=MUTED)
            self.rows_notes(slide, table.rows)

    def excerpt_slides(self):
        report = self.report
        if not report.excerpts:
            return
        title = _("Excerpts from the municipalities' open answers")
        excerpts = [
            (
                excerpt.text,
                excerpt.municipality,
                f"{_('Translation:')} {excerpt.translation}" if excerpt.translation else "",
            )
            for excerpt in report.excerpts
        ]
        quotes = QUOTES.get(report.language, QUOTES["fi"])
        pages = fit_excerpts(excerpts, quotes, CONTENT_BOTTOM - content_top(_part(title, 1, 2)))
        for index, page in enumerate(pages):
            slide, top = self.new_slide(_part(title, index + 1, len(pages)))
            for column, blocks in enumerate(page.columns):
                left = MARGIN + column * (page.column_width + 2 * GAP)
                y = top
                for block in blocks:
                    space = excerpt_space(page.size)
                    y += self.text(slide, left, y, page.column_width, list(block.paragraphs), space_after=space)
                    y += EXCERPT_GAP


def _scale_axis(values, scale_range: tuple[int, int]) -> None:
    """A chart's value axis over the scale, a gridline at every scale value, whole numbers, no axis line."""
    values.minimum_scale, values.maximum_scale = scale_range
    values.major_unit = 1
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = GRID
    values.tick_labels.number_format = "0"
    values.tick_labels.number_format_is_linked = False
    values.format.line.fill.background()
