"""The council deck (PPTX), following the 2024 deck page by page.

The title; the response status; the scale; the summary table with the
narrative beside it; a native bar chart of the summary rows; one slide per
detail section; the excerpts. Each slide's numbers (n, can't say, the
distribution) are in its speaker notes.

python-pptx cannot measure text, so heights are estimated from the number of
characters (`_lines`), on the safe side: every table gets the largest type
at which it takes the fewest slides, and is split over several slides, its
header repeated, when even the smallest type does not fit one.
"""

import logging
import math
from dataclasses import dataclass
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
from arvio.results.report import Report, ReportNode, Section, Value

logger = logging.getLogger(__name__)

# Geometry in points: 16:9, 13.333 × 7.5 in.
SLIDE_WIDTH = 960
SLIDE_HEIGHT = 540
MARGIN = 36
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
CONTENT_BOTTOM = 496
GAP = 12

HEADER_TOP = 12
HEADER_SIZE = 9
TITLE_TOP = 30
TITLE_SIZE = 24
FOOTER_TOP = 508
FOOTER_SIZE = 10
NOTE_SIZE = 10
INTRO_SIZE = 14

TABLE_SIZES = (14, 13, 12)
STATUS_SIZES = (16, 14, 13, 12)
EXCERPT_SIZES = (16, 14, 13, 12)
NARRATIVE_SIZES = (16, 15, 14, 13, 12, 11, 10)
CHART_ROWS = 15  # more bars than this go on further chart slides
CELL_MARGIN_X = 6
CELL_MARGIN_Y = 3
BOX_MARGIN_Y = 2

# Calibri (the theme's font; Carlito in LibreOffice) averages about 0.41 em a character on Finnish and
# Swedish text: the estimate stays above it, and word wrap is simulated word by word.
EM_PER_CHAR = 0.44
EM_PER_CHAR_BOLD = 0.48
LINE_HEIGHT = 1.2

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


# Estimating the size of text


def _wrapped_lines(paragraph: str, per_line: int) -> int:
    lines, used = 1, 0
    for word in paragraph.split():
        if used and used + 1 + len(word) <= per_line:
            used += 1 + len(word)
            continue
        if used:
            lines += 1
        lines += (len(word) - 1) // per_line  # a word longer than a line breaks anywhere
        used = (len(word) - 1) % per_line + 1
    return lines


def _lines(text: str, width: float, size: float, bold: bool = False) -> int:
    """How many lines `text` takes, word-wrapped in a box `width` points wide."""
    per_line = max(1, int(width / (size * (EM_PER_CHAR_BOLD if bold else EM_PER_CHAR))))
    return sum(_wrapped_lines(paragraph, per_line) for paragraph in text.split("\n"))


def _text_height(text: str, width: float, size: float, bold: bool = False) -> float:
    return _lines(text, width, size, bold) * size * LINE_HEIGHT


@dataclass(frozen=True)
class _Paragraph:
    text: str
    size: float
    bold: bool = False
    color: RGBColor | None = None  # the box's colour when None


def _box_height(paragraphs: list[_Paragraph], width: float, space_after: float = 0.0) -> float:
    """The height of a text box holding these paragraphs."""
    if not paragraphs:
        return 0.0
    lines = sum(_text_height(p.text, width, p.size, p.bold) for p in paragraphs)
    return lines + space_after * (len(paragraphs) - 1) + 2 * BOX_MARGIN_Y


# Tables: a text column and a value column


@dataclass(frozen=True)
class _Header:
    """A header row: the table's first (beside the value column's header), or a group's inside it."""

    label: str


@dataclass(frozen=True)
class _Row:
    text: str
    shown: str  # "2,2", "2,5*" or "Kyllä"
    note: str = ""  # "(4 alatavoitetta)"
    strong: bool = True
    value: Value | None = None  # for the speaker notes


@dataclass(frozen=True)
class _Table:
    rows: tuple[_Header | _Row, ...]
    value_header: str
    size: float
    heights: tuple[float, ...]

    @property
    def height(self) -> float:
        return sum(self.heights)


def _shown(value: Value) -> str:
    return value.display + ("*" if value.low_n else "")


def _value_row(node: ReportNode, note: str = "") -> _Row:
    return _Row(node.text, _shown(node.value), note=note, value=node.value)


def _row_height(row: _Header | _Row, widths: tuple[float, float], value_header: str, size: float, first: bool) -> float:
    text_width, value_width = (width - 2 * CELL_MARGIN_X for width in widths)
    if isinstance(row, _Header):
        heights = [_text_height(row.label, text_width, size, bold=True)]
        if first:
            heights.append(_text_height(value_header, value_width, size, bold=True))
    else:
        text = f"{row.text} {row.note}" if row.note else row.text
        heights = [_text_height(text, text_width, size), _text_height(row.shown, value_width, size, row.strong)]
    return max(heights) + 2 * CELL_MARGIN_Y


def _paginate(rows, widths, value_header: str, size: float, available: float) -> list[_Table]:
    """The rows over as many tables as needed. A continued table starts with its group's header beside
    the value column's header, and a group's header is never left alone at the bottom."""
    pages: list[list[_Header | _Row]] = [[]]
    used = 0.0
    group = ""
    for index, row in enumerate(rows):
        needed = _row_height(row, widths, value_header, size, first=not pages[-1])
        if isinstance(row, _Header) and index + 1 < len(rows):
            needed += _row_height(rows[index + 1], widths, value_header, size, first=False)
        if pages[-1] and used + needed > available:
            pages.append([] if isinstance(row, _Header) else [_Header(group)])
            used = sum(_row_height(header, widths, value_header, size, first=True) for header in pages[-1])
        if isinstance(row, _Header):
            group = row.label
        used += _row_height(row, widths, value_header, size, first=not pages[-1])
        pages[-1].append(row)
    return [
        _Table(
            rows=tuple(page),
            value_header=value_header,
            size=size,
            heights=tuple(_row_height(row, widths, value_header, size, first=i == 0) for i, row in enumerate(page)),
        )
        for page in pages
    ]


def _fewest_slides(options: list[list]) -> list:
    """Of layouts ordered from the largest type down, the first that takes the fewest slides."""
    fewest = min(len(option) for option in options)
    return next(option for option in options if len(option) == fewest)


def _fit_table(rows, widths, value_header: str, available: float, sizes=TABLE_SIZES) -> list[_Table]:
    return _fewest_slides([_paginate(rows, widths, value_header, size, available) for size in sizes])


# Excerpts: in three columns as in the 2024 deck


@dataclass(frozen=True)
class _Block:
    """An excerpt, or a piece of a long one, as one text box."""

    paragraphs: tuple[_Paragraph, ...]
    height: float


@dataclass(frozen=True)
class _ExcerptPage:
    size: float
    column_width: float
    columns: tuple[tuple[_Block, ...], ...]


EXCERPT_COLUMNS = 3
EXCERPT_GAP = 18


def _excerpt_space(size: float) -> float:
    return size * 0.5


def _excerpt_blocks(text: str, municipality: str, quotes, width: float, size: float, available: float) -> list[_Block]:
    """An excerpt in quotes with its municipality under it; split between words over several blocks
    when it is longer than a column, the municipality under the last."""
    opening, closing = quotes
    paragraphs = [paragraph.strip() for paragraph in text.strip().split("\n") if paragraph.strip()] or [""]
    paragraphs[0] = opening + paragraphs[0]
    paragraphs[-1] = paragraphs[-1] + closing
    name = _Paragraph(municipality, size, bold=True)

    def block(parts: list[str], named: bool) -> _Block:
        texts = [_Paragraph(part, size) for part in parts] + ([name] if named else [])
        return _Block(tuple(texts), _box_height(texts, width, _excerpt_space(size)))

    blocks: list[_Block] = []
    done: list[str] = []  # whole paragraphs in the current block
    for paragraph in paragraphs:
        words: list[str] = []
        for word in paragraph.split():
            # Each block keeps room for the municipality, so that any of them can be the last.
            if (done or words) and block(done + [" ".join(words + [word])], True).height > available:
                blocks.append(block(done + ([" ".join(words)] if words else []), False))
                done, words = [], []
            words.append(word)
        done.append(" ".join(words))
    blocks.append(block(done, True))
    return blocks


def _pack_excerpts(report: Report, size: float, available: float) -> list[_ExcerptPage]:
    width = (CONTENT_WIDTH - (EXCERPT_COLUMNS - 1) * 2 * GAP) / EXCERPT_COLUMNS
    quotes = QUOTES.get(report.language, QUOTES["fi"])
    blocks = [
        block
        for excerpt in report.excerpts
        for block in _excerpt_blocks(excerpt.text, excerpt.municipality, quotes, width, size, available)
    ]
    pages: list[list[list[_Block]]] = [[[]]]
    used = 0.0
    for block in blocks:
        if pages[-1][-1] and used + EXCERPT_GAP + block.height > available:
            if len(pages[-1]) == EXCERPT_COLUMNS:
                pages.append([[]])
            else:
                pages[-1].append([])
            used = 0.0
        if pages[-1][-1]:
            used += EXCERPT_GAP
        pages[-1][-1].append(block)
        used += block.height
    return [_ExcerptPage(size, width, tuple(tuple(column) for column in page)) for page in pages]


def _fit_excerpts(report: Report, available: float) -> list[_ExcerptPage]:
    return _fewest_slides([_pack_excerpts(report, size, available) for size in EXCERPT_SIZES])


# Small helpers


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
        footer = [_Paragraph(self.report.organizer, FOOTER_SIZE)]
        self.text(slide, MARGIN, FOOTER_TOP, CONTENT_WIDTH - 60, footer, color=MUTED)
        number = [_Paragraph(str(len(self.presentation.slides)), FOOTER_SIZE)]
        self.text(slide, SLIDE_WIDTH - MARGIN - 60, FOOTER_TOP, 60, number, color=MUTED, align=PP_ALIGN.RIGHT)
        if title is None:
            return slide, TITLE_TOP
        self.text(
            slide, MARGIN, HEADER_TOP, CONTENT_WIDTH, [_Paragraph(self.report.title.upper(), HEADER_SIZE)], color=MUTED
        )
        heading = [_Paragraph(title, TITLE_SIZE, bold=True)]
        self.place(slide.shapes.title, MARGIN, TITLE_TOP, CONTENT_WIDTH, heading, color=ACCENT)
        return slide, self.content_top(title)

    @staticmethod
    def content_top(title: str) -> float:
        """Where the content of a slide with this title starts."""
        return TITLE_TOP + _box_height([_Paragraph(title, TITLE_SIZE, bold=True)], CONTENT_WIDTH) + GAP

    def text(self, slide, left, top, width, paragraphs, *, color=TEXT, align=PP_ALIGN.LEFT, space_after=0.0) -> float:
        """A text box sized to its text; returns its height."""
        box = slide.shapes.add_textbox(0, 0, 0, 0)
        return self.place(box, left, top, width, paragraphs, color=color, align=align, space_after=space_after)

    def place(self, shape, left, top, width, paragraphs, *, color=TEXT, align=PP_ALIGN.LEFT, space_after=0.0) -> float:
        height = _box_height(paragraphs, width, space_after)
        shape.left, shape.top, shape.width, shape.height = Pt(left), Pt(top), Pt(width), Pt(height)
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
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

    def table(self, slide, left: float, top: float, widths, table: _Table, value_align=PP_ALIGN.CENTER) -> float:
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
            if isinstance(row, _Header) and index == 0:
                self.cell(text_cell, [(row.label, True)], size, fill=ACCENT, color=WHITE)
                self.cell(value_cell, [(table.value_header, True)], size, fill=ACCENT, color=WHITE, align=value_align)
            elif isinstance(row, _Header):
                text_cell.merge(value_cell)
                self.cell(text_cell, [(row.label, True)], size, fill=ACCENT_LIGHT, color=ACCENT)
                band = False
            else:
                fill = BAND if band else WHITE
                band = not band
                runs = [(row.text, False)] + ([(" " + row.note, False)] if row.note else [])
                self.cell(text_cell, runs, size, fill=fill)
                self.cell(value_cell, [(row.shown, row.strong)], size, fill=fill, align=value_align)
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
        lines = [_notes_line(row.text, row.value) for row in rows if isinstance(row, _Row) and row.value]
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
        title = [_Paragraph(report.title, 40, bold=True)]
        top = max(MARGIN + 84, (SLIDE_HEIGHT - _box_height(title, width)) / 2 - 40)
        top += self.place(slide.shapes.title, left, top, width, title, color=ACCENT) + 24
        top += self.text(slide, left, top, width, [_Paragraph(report.organizer, 24)]) + 6
        window = _("Response time %(window)s") % {"window": report.window}
        self.text(slide, left, top, width, [_Paragraph(window, 20)], color=MUTED)
        generated = format_date(local_date(report.generated_at))
        self.notes(slide, [_("Made with Arvio on %(date)s.") % {"date": generated}])

    def status_slides(self):
        report = self.report
        title = _("Response status")
        widths = (170.0, 250.0)
        rows = [_Header(_("Municipality"))] + [
            _Row(respondent.name, respondent.answered_label, strong=not respondent.answered)
            for respondent in report.respondents
        ]
        available = CONTENT_BOTTOM - self.content_top(title)
        tables = _fit_table(rows, widths, _("Did it answer the survey?"), available, sizes=STATUS_SIZES)
        for index, table in enumerate(tables):
            slide, top = self.new_slide(_part(title, index + 1, len(tables)))
            self.table(slide, MARGIN, top, widths, table, value_align=PP_ALIGN.LEFT)
            if index == 0:
                self.status_panel(slide, MARGIN + sum(widths) + 36, top)
                self.notes(slide, [f"{report.rate} ({report.rate_percent})"])

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
        for size in (18, 16, 14, 12):
            paragraphs = [_Paragraph(sentence, size + 12, True, ACCENT)] + [_Paragraph(text, size) for text in texts]
            if _box_height(paragraphs, width, size) <= CONTENT_BOTTOM - top:
                break
        self.text(slide, left, top, width, paragraphs, space_after=size)

    def scale_slide(self):
        report = self.report
        slide, top = self.new_slide(_("Rating scale"))
        scale = [_Paragraph(f"{value} = {label}", 28) for value, label in report.scale]
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
        notes = [_Paragraph(text, 16) for text in notes]
        self.text(slide, MARGIN + 24, top, CONTENT_WIDTH - 24, notes, color=MUTED, space_after=8)

    def summary_slides(self):
        report = self.report
        title = _("Summary of the municipalities' answers")
        widths = (520.0, 120.0)
        rows = [_Header(_("Goal or theme"))] + [_value_row(node, node.pooled_note) for node in report.summary]
        low_n = any(node.value.low_n for node in report.summary)
        footnote = [_Paragraph(self.low_n_note(), NOTE_SIZE)] if low_n else []
        footnote_height = _box_height(footnote, sum(widths)) + GAP if footnote else 0
        available = CONTENT_BOTTOM - self.content_top(_part(title, 1, 2)) - footnote_height
        tables = _fit_table(rows, widths, _("Mean of the municipalities' answers"), available)
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
            "The number of answers behind each value and their distribution are in the speaker notes."
        ) % {"label": self.report.dont_know_label}
        closing_height = _box_height([_Paragraph(closing, NOTE_SIZE)], width)
        self.text(slide, left, CONTENT_BOTTOM - closing_height, width, [_Paragraph(closing, NOTE_SIZE)], color=MUTED)
        texts = [text.strip() for text in self.report.narrative.split("\n") if text.strip()]
        if not texts:
            return
        for size in NARRATIVE_SIZES:
            paragraphs = [_Paragraph(text, size) for text in texts]
            if _box_height(paragraphs, width, size) <= CONTENT_BOTTOM - closing_height - GAP - top:
                break
        self.text(slide, left, top, width, paragraphs, space_after=size)

    def chart_slides(self):
        rows = self.report.summary
        if not rows:
            return
        count = math.ceil(len(rows) / CHART_ROWS)
        per_slide = math.ceil(len(rows) / count)
        for index in range(count):
            self.chart_slide(rows[index * per_slide : (index + 1) * per_slide], index + 1, count)

    def chart_slide(self, rows: tuple[ReportNode, ...], index: int, count: int):
        """A native, editable bar chart: the data sits in the deck's embedded workbook."""
        report = self.report
        slide, top = self.new_slide(_part(_("Summary of the municipalities' answers"), index, count))
        caption = "{}. {}".format(_("Mean of the municipalities' answers (1–5)"), _scale(report))
        top += self.text(slide, MARGIN, top, CONTENT_WIDTH, [_Paragraph(caption, 16)], color=MUTED)
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
        values.minimum_scale = min((value for value, _label in report.scale), default=1)
        values.maximum_scale = max((value for value, _label in report.scale), default=5)
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
            point.data_label.text_frame.text = _shown(node.value)
            point.data_label.position = XL_LABEL_POSITION.OUTSIDE_END

        low_n = any(node.value.low_n for node in rows)
        self.rows_notes(slide, [_value_row(node) for node in rows], self.low_n_note() if low_n else "")

    def section_slides(self, section: Section):
        report = self.report
        # A no-break space keeps "1/4" with the heading's last word.
        title = f"{section.heading}\u00a0{section.part}" if section.part else section.heading
        intro = [_Paragraph(report.instructions, INTRO_SIZE)] if report.instructions else []
        intro.append(_Paragraph(_("Rating scale. %(scale)s") % {"scale": _scale(report)}, INTRO_SIZE))
        widths = (CONTENT_WIDTH - 190.0, 190.0)
        if section.main is not None:
            rows = [_Header(_("Main goal")), _value_row(section.main), _Header(_("Sub-goals"))]
        else:
            rows = [_Header(_("Goal"))]
        rows += [_value_row(node) for node in section.rows]
        low_n = any(row.value.low_n for row in rows if isinstance(row, _Row))
        footnote = [_Paragraph(self.low_n_note(), NOTE_SIZE)] if low_n else []
        footnote_height = _box_height(footnote, CONTENT_WIDTH) + GAP if footnote else 0
        top = self.content_top(_part(title, 1, 2)) + _box_height(intro, CONTENT_WIDTH, 4) + GAP
        value_header = _("Mean of the municipalities' answers (1–5)")
        tables = _fit_table(rows, widths, value_header, CONTENT_BOTTOM - top - footnote_height)
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
        pages = _fit_excerpts(report, CONTENT_BOTTOM - self.content_top(_part(title, 1, 2)))
        for index, page in enumerate(pages):
            slide, top = self.new_slide(_part(title, index + 1, len(pages)))
            for column, blocks in enumerate(page.columns):
                left = MARGIN + column * (page.column_width + 2 * GAP)
                y = top
                for block in blocks:
                    space = _excerpt_space(page.size)
                    y += self.text(slide, left, y, page.column_width, list(block.paragraphs), space_after=space)
                    y += EXCERPT_GAP
