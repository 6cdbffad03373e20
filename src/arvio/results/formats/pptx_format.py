"""The council deck (PPTX), following the 2024 deck page by page.

The title; the response status; the scale; the summary table with the
narrative beside it; a native bar chart of the summary rows; one slide per
detail section; the excerpts. Each slide's numbers (n, can't say, the
distribution) are in its speaker notes.

This module draws; what fits where, and which rows and excerpts go on
which slide, is measured in `pptx_layout`.
"""

import logging
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION
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
)
from arvio.results.report import Report, ReportNode, Section, Value

logger = logging.getLogger(__name__)

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
ACCENT_LIGHT = RGBColor(0xD6, 0xE3, 0xF0)
BAND = RGBColor(0xF2, 0xF5, 0xF9)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
TEXT = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x55, 0x55, 0x55)
GRID = RGBColor(0xD0, 0xD0, 0xD0)

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


def _count(value: Value) -> str:
    """The n beside a value on the slide, not only in the speaker notes."""
    return f"(n\u00a0=\u00a0{value.n})" if value.n else ""


def _marked(value: Value) -> bool:
    return value.low_n and value.n > 0


def _value_row(node: ReportNode, note: str = "", prefix: str = "") -> Row:
    return Row(prefix + node.text, _shown(node.value), note=note, value=node.value, count=_count(node.value))


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
        shape = slide.shapes.add_table(len(table.rows), 2, Pt(left), Pt(top), Pt(sum(widths)), Pt(table.height))
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
            if isinstance(row, Header) and index == 0:
                self.cell(text_cell, [(row.label, True)], size, fill=ACCENT, color=WHITE)
                self.cell(value_cell, [(table.value_header, True)], size, fill=ACCENT, color=WHITE, align=value_align)
            elif isinstance(row, Header):
                text_cell.merge(value_cell)
                self.cell(text_cell, [(row.label, True)], size, fill=ACCENT_LIGHT, color=ACCENT)
                band = False
            else:
                fill = BAND if band else WHITE
                band = not band
                runs = [(row.text, False)] + ([(" " + row.note, False)] if row.note else [])
                self.cell(text_cell, runs, size, fill=fill)
                counted = [(" " + row.count, False)] if row.count else []
                self.cell(value_cell, [(row.shown, row.strong)] + counted, size, fill=fill, align=value_align)
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
        lines = [_notes_line(row.text, row.value) for row in rows if isinstance(row, Row) and row.value]
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
        report = self.report
        title = _("Summary of the municipalities' answers")
        widths = (520.0, 120.0)
        rows = [Header(_("Goal or theme"))] + [_value_row(node, node.pooled_note) for node in report.summary]
        low_n = any(_marked(node.value) for node in report.summary)
        footnote = [Paragraph(self.low_n_note(), NOTE_SIZE)] if low_n else []
        footnote_height = box_height(footnote, sum(widths)) + GAP if footnote else 0
        available = CONTENT_BOTTOM - content_top(_part(title, 1, 2)) - footnote_height
        tables = fit_table(rows, widths, _("Mean of the municipalities' answers"), available)
        for index, table in enumerate(tables):
            slide, top = self.new_slide(_part(title, index + 1, len(tables)))
            height = self.table(slide, MARGIN, top, widths, table)
            if footnote:
                self.text(slide, MARGIN, top + height + GAP, sum(widths), footnote, color=MUTED)
            if index == 0:
                self.narrative(slide, MARGIN + sum(widths) + 24, top)
            self.rows_notes(slide, table.rows)

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
        data = CategoryChartData(number_format="0.0")
        data.categories = [_short_label(node) for node in rows]
        data.add_series(
            _("Mean of the municipalities' answers"),
            [None if node.value.mean is None else float(node.value.mean) for node in rows],
        )
        frame = slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, Pt(MARGIN), Pt(top), Pt(CONTENT_WIDTH), Pt(CONTENT_BOTTOM - top), data
        )
        # The alternative text read out in place of the chart.
        frame._element.nvGraphicFramePr.cNvPr.set(
            "descr", "; ".join(f"{_short_label(node)}: {_shown(node.value)}" for node in rows)
        )
        chart = frame.chart
        chart.has_legend = False
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
        values.minimum_scale, values.maximum_scale = report.scale_range
        values.major_unit = 1
        values.has_major_gridlines = True
        values.major_gridlines.format.line.color.rgb = GRID
        values.tick_labels.number_format = "0"
        values.tick_labels.number_format_is_linked = False
        values.format.line.fill.background()

        plot = chart.plots[0]
        plot.gap_width = 50
        plot.has_data_labels = True
        # The number format's decimal sign follows the viewer's locale in PowerPoint, so each label also
        # gets the report's own display ("2,2"; "2,5*" for a small n) as its text.
        plot.data_labels.number_format = "0.0"
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
        plot.data_labels.font.size = Pt(12)
        series = plot.series[0]
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = ACCENT
        for point, node in zip(series.points, rows):
            point.data_label.text_frame.text = f"{_shown(node.value)} {_count(node.value)}".strip()
            point.data_label.position = XL_LABEL_POSITION.OUTSIDE_END

        low_n = any(_marked(node.value) for node in rows)
        self.rows_notes(slide, [_value_row(node) for node in rows], self.low_n_note() if low_n else "")

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
