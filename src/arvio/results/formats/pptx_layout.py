"""The council deck's layout: how much room each text takes, and what goes on which slide.

python-pptx cannot measure text, so `lines` measures it with the advance widths
of Carlito, the font metric-compatible with Calibri, the deck's theme font
(carlito_metrics.py), word-wrapping word by word with a margin for kerning and
rounding; every text box also shrinks its text on overflow, for a renderer
with neither font. Every table gets the largest type
at which it takes the fewest slides, and is split over several slides, its
header repeated, when even the smallest type does not fit one. Excerpts flow
the same way through three columns a slide.

Plain arithmetic on texts and points: `pptx_format` draws what this module
measured, so that the pagination can be tested without building a deck.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from arvio.results.formats import carlito_metrics

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
STATUS_PANEL_SIZES = (18, 16, 14, 12)
EXCERPT_SIZES = (16, 14, 13, 12)
NARRATIVE_SIZES = (16, 15, 14, 13, 12, 11, 10)
CHART_ROWS = 15  # more bars than this go on further chart slides
TREND_COLUMNS, TREND_LINES = 3, 2  # the trend's small line charts, a grid of 3 × 2 a slide
CELL_MARGIN_X = 6
CELL_MARGIN_Y = 3
BOX_MARGIN_Y = 2

EXCERPT_COLUMNS = 3
EXCERPT_GAP = 18

# A character Carlito lacks is taken as this wide (em), more than its widest letters but "W" and "M".
UNKNOWN_EM = 0.7
# Measured widths are stretched by this much: kerning, hinting and the renderer's rounding.
WIDTH_MARGIN = 1.05
LINE_HEIGHT = 2500 / 2048  # Calibri's and Carlito's single spacing: ascent, descent and line gap


# Measuring text


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` on one line, in points, in Carlito (= Calibri)."""
    widths = carlito_metrics.BOLD if bold else carlito_metrics.REGULAR
    unknown = UNKNOWN_EM * carlito_metrics.UNITS_PER_EM
    units = sum(widths.get(character, unknown) for character in text)
    return units / carlito_metrics.UNITS_PER_EM * size * WIDTH_MARGIN


def _wrapped_lines(paragraph: str, width: float, size: float, bold: bool) -> int:
    lines, used = 1, 0.0
    space = text_width(" ", size, bold)
    for word in paragraph.split():
        needed = text_width(word, size, bold)
        if used and used + space + needed <= width:
            used += space + needed
            continue
        if used:
            lines += 1
        if needed > width:  # a word longer than a line breaks anywhere
            needed = 0.0
            for character in word:
                step = text_width(character, size, bold)
                if needed and needed + step > width:
                    lines += 1
                    needed = 0.0
                needed += step
        used = needed
    return lines


def lines(text: str, width: float, size: float, bold: bool = False) -> int:
    """How many lines `text` takes, word-wrapped in a box `width` points wide."""
    return sum(_wrapped_lines(paragraph, max(width, 1.0), size, bold) for paragraph in text.split("\n"))


def text_height(text: str, width: float, size: float, bold: bool = False) -> float:
    return lines(text, width, size, bold) * size * LINE_HEIGHT


@dataclass(frozen=True)
class Paragraph:
    text: str
    size: float
    bold: bool = False
    color: tuple[int, int, int] | None = None  # the box's colour when None; only the drawing reads it


def box_height(paragraphs: Sequence[Paragraph], width: float, space_after: float = 0.0) -> float:
    """The height of a text box holding these paragraphs."""
    if not paragraphs:
        return 0.0
    height = sum(text_height(p.text, width, p.size, p.bold) for p in paragraphs)
    return height + space_after * (len(paragraphs) - 1) + 2 * BOX_MARGIN_Y


def content_top(title: str) -> float:
    """Where the content of a slide with this title starts."""
    return TITLE_TOP + box_height([Paragraph(title, TITLE_SIZE, bold=True)], CONTENT_WIDTH) + GAP


def fit_paragraphs(
    paragraphs_at: Callable[[float], list[Paragraph]], sizes: Sequence[float], width: float, available: float
) -> tuple[float, list[Paragraph]]:
    """The size and paragraphs of the largest type whose box fits `available`, spaced by the size itself;
    the smallest when none fits."""
    for size in sizes:
        paragraphs = paragraphs_at(size)
        if box_height(paragraphs, width, size) <= available:
            break
    return size, paragraphs


# Tables: a text column, a value column, and further value columns where a table has them


@dataclass(frozen=True)
class Header:
    """A header row: the table's first (beside the value column's header), or a group's inside it."""

    label: str


@dataclass(frozen=True)
class Row:
    text: str
    shown: str  # "2,2", "2,5*" or "Kyllä"
    note: str = ""  # "(4 alatavoitetta)"
    strong: bool = True
    count: str = ""  # "(n = 6)" after the value, in normal weight
    value: object = None  # the report's Value, for the speaker notes; the layout does not read it
    extra: tuple[str, ...] = ()  # the further columns' cells, in normal weight: the baseline's value, the change
    detail: str = ""  # what the speaker notes add after the value's numbers; the layout does not read it


@dataclass(frozen=True)
class Table:
    rows: tuple[Header | Row, ...]
    value_header: str
    size: float
    heights: tuple[float, ...]
    extra_headers: tuple[str, ...] = ()  # the further columns' headers, after the value column's

    @property
    def columns(self) -> int:
        return 2 + len(self.extra_headers)

    @property
    def height(self) -> float:
        return sum(self.heights)


def row_height(
    row: Header | Row,
    widths: Sequence[float],
    value_header: str,
    size: float,
    first: bool,
    extra_headers: Sequence[str] = (),
) -> float:
    """`widths`: the text column's, the value column's, then one per further column (`extra_headers`)."""
    text_width, value_width, *extra_widths = (width - 2 * CELL_MARGIN_X for width in widths)
    if isinstance(row, Header):
        heights = [text_height(row.label, text_width, size, bold=True)]
        if first:
            heights.append(text_height(value_header, value_width, size, bold=True))
            heights += [text_height(text, width, size, bold=True) for text, width in zip(extra_headers, extra_widths)]
    else:
        text = f"{row.text} {row.note}" if row.note else row.text
        shown = f"{row.shown} {row.count}" if row.count else row.shown
        heights = [text_height(text, text_width, size), text_height(shown, value_width, size, row.strong)]
        heights += [text_height(text, width, size) for text, width in zip(row.extra, extra_widths)]
    return max(heights) + 2 * CELL_MARGIN_Y


def paginate(
    rows, widths, value_header: str, size: float, available: float, extra_headers: Sequence[str] = ()
) -> list[Table]:
    """The rows over as many tables as needed. A continued table starts with its group's header beside
    the value column's header, and a group's header is never left alone at the bottom."""
    extra_headers = tuple(extra_headers)

    def height(row, first: bool) -> float:
        return row_height(row, widths, value_header, size, first, extra_headers)

    pages: list[list[Header | Row]] = [[]]
    used = 0.0
    group = ""
    for index, row in enumerate(rows):
        needed = height(row, first=not pages[-1])
        if isinstance(row, Header) and index + 1 < len(rows):
            needed += height(rows[index + 1], first=False)
        if pages[-1] and used + needed > available:
            pages.append([] if isinstance(row, Header) else [Header(group)])
            used = sum(height(header, first=True) for header in pages[-1])
        if isinstance(row, Header):
            group = row.label
        used += height(row, first=not pages[-1])
        pages[-1].append(row)
    return [
        Table(
            rows=tuple(page),
            value_header=value_header,
            size=size,
            heights=tuple(height(row, first=i == 0) for i, row in enumerate(page)),
            extra_headers=extra_headers,
        )
        for page in pages
    ]


def fewest_slides(options: list[list]) -> list:
    """Of layouts ordered from the largest type down, the first that takes the fewest slides."""
    fewest = min(len(option) for option in options)
    return next(option for option in options if len(option) == fewest)


def fit_table(
    rows, widths, value_header: str, available: float, sizes=TABLE_SIZES, extra_headers: Sequence[str] = ()
) -> list[Table]:
    return fewest_slides([paginate(rows, widths, value_header, size, available, extra_headers) for size in sizes])


def _shared_out(rows: Sequence, most: int) -> list[Sequence]:
    """The rows over as few slides as hold `most` each, shared out evenly."""
    if not rows:
        return []
    count = math.ceil(len(rows) / most)
    per_slide = math.ceil(len(rows) / count)
    return [rows[index * per_slide : (index + 1) * per_slide] for index in range(count)]


def chart_pages(rows: Sequence) -> list[Sequence]:
    """The rows over as few chart slides as hold CHART_ROWS bars each, shared out evenly."""
    return _shared_out(rows, CHART_ROWS)


def trend_pages(rows: Sequence) -> list[Sequence]:
    """The summary rows' small trend charts over as few slides as hold a grid of TREND_COLUMNS × TREND_LINES."""
    return _shared_out(rows, TREND_COLUMNS * TREND_LINES)


# Excerpts: in three columns as in the 2024 deck


@dataclass(frozen=True)
class Block:
    """An excerpt, or a piece of a long one, as one text box."""

    paragraphs: tuple[Paragraph, ...]
    height: float


@dataclass(frozen=True)
class ExcerptPage:
    size: float
    column_width: float
    columns: tuple[tuple[Block, ...], ...]


def excerpt_space(size: float) -> float:
    return size * 0.5


def excerpt_blocks(
    text: str, municipality: str, quotes, width: float, size: float, available: float, translation: str = ""
) -> list[Block]:
    """An excerpt in quotes, its translation (already labelled) after it, and its municipality under it;
    split between words over several blocks when it is longer than a column, the municipality under the last."""
    opening, closing = quotes
    paragraphs = [paragraph.strip() for paragraph in text.strip().split("\n") if paragraph.strip()] or [""]
    paragraphs[0] = opening + paragraphs[0]
    paragraphs[-1] = paragraphs[-1] + closing
    paragraphs += [paragraph.strip() for paragraph in translation.strip().split("\n") if paragraph.strip()]
    name = Paragraph(municipality, size, bold=True)

    def block(parts: list[str], named: bool) -> Block:
        texts = [Paragraph(part, size) for part in parts] + ([name] if named else [])
        return Block(tuple(texts), box_height(texts, width, excerpt_space(size)))

    blocks: list[Block] = []
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


def pack_excerpts(
    excerpts: Sequence[tuple[str, ...]], quotes: tuple[str, str], size: float, available: float
) -> list[ExcerptPage]:
    """The (text, municipality[, translation]) excerpts flowed down the columns, a new slide when the last
    column is full."""
    width = (CONTENT_WIDTH - (EXCERPT_COLUMNS - 1) * 2 * GAP) / EXCERPT_COLUMNS
    blocks = [
        block
        for text, municipality, *translation in excerpts
        for block in excerpt_blocks(text, municipality, quotes, width, size, available, "".join(translation))
    ]
    pages: list[list[list[Block]]] = [[[]]]
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
    return [ExcerptPage(size, width, tuple(tuple(column) for column in page)) for page in pages]


def fit_excerpts(excerpts: Sequence[tuple[str, ...]], quotes: tuple[str, str], available: float) -> list[ExcerptPage]:
    return fewest_slides([pack_excerpts(excerpts, quotes, size, available) for size in EXCERPT_SIZES])
