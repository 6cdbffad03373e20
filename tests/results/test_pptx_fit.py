"""The council deck's text fits its boxes in the font that renders it: measured back with Carlito's own metrics.

Carlito is metric-compatible with Calibri, the deck's theme font, and is what LibreOffice renders Calibri
with. Every text box and table cell of the demo's 2024 deck, in Finnish and Swedish, is word-wrapped again
with Pillow at the box's width in the real font file, and must not need more height than the box has.
"""

import io
from pathlib import Path

import pytest
from PIL import ImageFont
from pptx import Presentation
from pptx.util import Emu, Pt

from arvio.results.formats.pptx_format import exporter
from arvio.results.formats.pptx_layout import FOOTER_TOP
from arvio.results.report import report_build

FONTS = Path("/usr/share/fonts/truetype/crosextra")
REGULAR, BOLD = FONTS / "Carlito-Regular.ttf", FONTS / "Carlito-Bold.ttf"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not REGULAR.is_file(), reason="Carlito is not installed (fonts-crosextra-carlito, in TEST_DEBS)"
    ),
]
# Carlito's single spacing: (ascender 1536 + descender 512 + line gap 452) / 2048.
LINE_SPACING = 2500 / 2048
MEASURED_AT = 1000  # the font is loaded at 1000 px and scaled to each size


def points(emu) -> float:
    return Emu(emu).pt


class Measure:
    def __init__(self):
        self.fonts = {
            False: ImageFont.truetype(str(REGULAR), MEASURED_AT),
            True: ImageFont.truetype(str(BOLD), MEASURED_AT),
        }

    def width(self, text: str, size: float, bold: bool) -> float:
        return self.fonts[bold].getlength(text) * size / MEASURED_AT

    def lines(self, text: str, width: float, size: float, bold: bool) -> int:
        count, line = 1, ""
        for word in text.split():
            candidate = f"{line} {word}" if line else word
            if line and self.width(candidate, size, bold) > width:
                count, line = count + 1, word
            else:
                line = candidate
            while self.width(line, size, bold) > width and len(line) > 1:  # a word longer than the line
                cut = len(line)
                while cut > 1 and self.width(line[:cut], size, bold) > width:
                    cut -= 1
                count, line = count + 1, line[cut:]
        return count

    def height(self, frame, width: float) -> float:
        """The height the frame's paragraphs take at `width`, without its top and bottom insets."""
        total = 0.0
        paragraphs = frame.paragraphs
        for index, paragraph in enumerate(paragraphs):
            runs = [run for run in paragraph.runs if run.text]
            if not runs:
                continue
            size = max(run.font.size.pt for run in runs)
            bold = any(run.font.bold for run in runs)
            text = "".join(run.text for run in runs)
            total += self.lines(text, width, size, bold) * size * LINE_SPACING
            if paragraph.space_after is not None and index < len(paragraphs) - 1:
                total += paragraph.space_after.pt
        return total


def overflows(deck) -> list[str]:
    measure = Measure()
    found = []
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                frame = shape.text_frame
                width = points(shape.width) - points(frame.margin_left) - points(frame.margin_right)
                room = points(shape.height) - points(frame.margin_top) - points(frame.margin_bottom)
                needed = measure.height(frame, width)
                if needed > room + 0.01:
                    found.append(f"slide {number}, {shape.name}: {needed:.1f} pt > {room:.1f} pt: {frame.text[:60]!r}")
            if shape.has_table:
                table = shape.table
                for row in table.rows:
                    for column, cell in zip(table.columns, row.cells):
                        if cell.is_spanned or not cell.text.strip():
                            continue
                        width = points(column.width) * (cell.span_width if cell.is_merge_origin else 1)
                        width -= points(cell.margin_left) + points(cell.margin_right)
                        room = points(row.height) - points(cell.margin_top) - points(cell.margin_bottom)
                        needed = measure.height(cell.text_frame, width)
                        if needed > room + 0.01:
                            found.append(
                                f"slide {number}, table cell: {needed:.1f} pt > {room:.1f} pt: {cell.text[:60]!r}"
                            )
    return found


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_fits_every_text_box_and_table_cell_in_carlito(demo_round, language):
    deck = Presentation(io.BytesIO(exporter.render(report_build(demo_round, language=language))[2]))

    assert "\n".join(overflows(deck)) == ""


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_keeps_the_title_slides_title_above_the_organizer_and_everything_above_the_footer(demo_round, language):
    report = report_build(demo_round, language=language)
    deck = Presentation(io.BytesIO(exporter.render(report)[2]))

    first = deck.slides[0]
    title = next(
        shape for shape in first.shapes if shape.has_text_frame and shape.text_frame.text == report.cover_title
    )
    organizer, footer = sorted(
        (shape for shape in first.shapes if shape.has_text_frame and shape.text_frame.text == report.organizer),
        key=lambda shape: shape.top,
    )
    assert title.top + title.height <= organizer.top
    assert footer.top == Pt(FOOTER_TOP)
    for number, slide in enumerate(deck.slides, start=1):
        content = [
            shape
            for shape in slide.shapes
            if shape.top < Pt(FOOTER_TOP)
            and (shape.has_table or shape.has_chart or shape.has_text_frame and shape.text_frame.text)
        ]
        assert max(shape.top + shape.height for shape in content) <= Pt(FOOTER_TOP), number


def test_it_shrinks_text_on_overflow_for_a_renderer_with_another_font(demo_round):
    deck = Presentation(io.BytesIO(exporter.render(report_build(demo_round, language="sv"))[2]))

    autofit = "{http://schemas.openxmlformats.org/drawingml/2006/main}normAutofit"
    boxes = [
        shape
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame and shape.text_frame.text.strip()
    ]
    assert boxes
    assert [shape.name for shape in boxes if shape.text_frame._txBody.bodyPr.find(autofit) is None] == []
