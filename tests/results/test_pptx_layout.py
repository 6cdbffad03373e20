"""The deck's layout without a deck: measuring text, and what goes on which slide."""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from arvio.results.formats.pptx_layout import (
    CHART_ROWS,
    CONTENT_BOTTOM,
    CONTENT_WIDTH,
    EXCERPT_COLUMNS,
    EXCERPT_GAP,
    EXCERPT_SIZES,
    NARRATIVE_SIZES,
    TABLE_SIZES,
    TREND_COLUMNS,
    TREND_LINES,
    WIDTH_MARGIN,
    Header,
    Paragraph,
    Row,
    box_height,
    chart_pages,
    content_top,
    excerpt_blocks,
    fit_excerpts,
    fit_paragraphs,
    fit_table,
    lines,
    paginate,
    row_height,
    text_width,
    trend_pages,
)

QUOTES = ("”", "”")
# The column widths of the deck's tables: the response status, the summary, a detail section.
WIDTHS = [(170.0, 250.0), (520.0, 120.0), (CONTENT_WIDTH - 190.0, 190.0)]
VALUE_HEADER = "Kuntien vastausten keskiarvo (1–5)"


# Measuring


def test_it_counts_one_line_for_an_empty_text_and_one_per_paragraph():
    assert lines("", 100, 12) == 1
    assert lines("Yhteistyö", 100, 12) == 1
    assert lines("Yhteistyö\nSamarbete", 100, 12) == 2


def test_it_wraps_between_words_and_breaks_a_word_longer_than_a_line():
    # Carlito's "a" is 981 units of 2048 an em, stretched by the margin: 19 fit 100 points at 10 points.
    assert text_width("a", 10) == pytest.approx(981 / 2048 * 10 * WIDTH_MARGIN)
    per_line = int(100 // text_width("a", 10))
    assert per_line == 19
    assert lines("a" * per_line, 100, 10) == 1
    assert lines("a" * (per_line + 1), 100, 10) == 2
    assert lines("a" * (3 * per_line + 1), 100, 10) == 4
    half = "a" * ((per_line - 1) // 2)
    assert lines(f"{half} {half}", 100, 10) == 1
    assert lines(f"{half} {half}aa", 100, 10) == 2
    assert text_width("a", 10, bold=True) > text_width("a", 10)


def test_it_measures_wide_letters_wider_than_narrow_ones():
    # What a count of characters missed: capitals and "m" take more room than "i" and "l".
    assert text_width("MMMMMMMMMM", 10) > 2 * text_width("iiiiiiiiii", 10)
    assert lines("VÄLFÄRDSOMRÅDE " * 4, 200, 12) > lines("illi " * 12, 200, 12)


def test_a_box_is_its_lines_and_the_space_between_its_paragraphs():
    one = box_height([Paragraph("a", 10)], 100)
    two = box_height([Paragraph("a", 10), Paragraph("b", 10)], 100, space_after=5)
    assert two - one == pytest.approx(10 * 2500 / 2048 + 5)
    assert box_height([], 100) == 0


def test_a_longer_title_pushes_the_content_down():
    assert content_top("Lyhyt") < content_top("Pitkä otsikko " * 10) < CONTENT_BOTTOM


def test_it_takes_the_largest_type_that_fits_and_the_smallest_when_none_does():
    texts = ["Sana " * 80] * 3

    def at(size):
        return [Paragraph(text, size) for text in texts]

    size, paragraphs = fit_paragraphs(at, NARRATIVE_SIZES, 200, 400)
    assert box_height(paragraphs, 200, size) <= 400 < box_height(at(size + 1), 200, size + 1)
    assert fit_paragraphs(at, NARRATIVE_SIZES, 200, 10)[0] == NARRATIVE_SIZES[-1]
    assert fit_paragraphs(at, NARRATIVE_SIZES, 200, 10_000)[0] == NARRATIVE_SIZES[0]


# Tables


def test_a_continued_table_starts_with_its_groups_header_and_never_ends_with_one():
    rows = [Header("Päätavoite"), Row("Tavoite", "2,2"), Header("Alatavoitteet")]
    rows += [Row(f"Alatavoite {i} " + "sana " * 20, "2,5") for i in range(12)]

    tables = paginate(rows, WIDTHS[2], VALUE_HEADER, 14, 200)

    assert len(tables) > 1
    assert tables[0].rows[:3] == tuple(rows[:3])
    for table in tables[1:]:
        assert table.rows[0] == Header("Alatavoitteet") and table.rows[0] is not rows[2]
    for table in tables[:-1]:
        assert isinstance(table.rows[-1], Row)


def test_a_short_table_takes_the_largest_type():
    rows = [Header("Kunta"), Row("Espoo", "Ei"), Row("Vihti", "Kyllä")]

    (table,) = fit_table(rows, WIDTHS[0], VALUE_HEADER, 400)

    assert table.size == TABLE_SIZES[0] and table.rows == tuple(rows)


def test_a_further_column_is_measured_in_its_own_width_and_its_header_with_the_others():
    widths = (440.0, 90.0, 90.0, 80.0)
    header = Header("Tavoite tai teema")
    plain = Row("Tavoite", "2,2", count="(n = 6)")
    compared = Row("Tavoite", "2,2", count="(n = 6)", extra=("2,4 (n = 7)", "−0,3¹"))
    wrapped = Row("Tavoite", "2,2", extra=("2,4 (n = 7) " * 3, "−0,3¹"))

    one_line = row_height(plain, widths, "Arvo 2024", 12, first=False)
    assert row_height(compared, widths, "Arvo 2024", 12, first=False) == one_line
    assert row_height(wrapped, widths, "Arvo 2024", 12, first=False) > one_line
    short = row_height(header, widths, "Arvo 2024", 12, first=True, extra_headers=("Arvo 2022", "Muutos"))
    long = row_height(header, widths, "Arvo 2024", 12, first=True, extra_headers=("Arvo 2022", "Muutos vuodesta 2022"))
    assert long > short

    (table,) = fit_table([header, compared], widths, "Arvo 2024", 400, extra_headers=("Arvo 2022", "Muutos"))
    assert table.columns == 4 and table.extra_headers == ("Arvo 2022", "Muutos")
    assert table.heights[0] == row_height(
        header, widths, "Arvo 2024", table.size, first=True, extra_headers=("Arvo 2022", "Muutos")
    )


def words(max_words):
    word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö-,.", min_size=1, max_size=14)
    return st.lists(word, max_size=max_words).map(" ".join)


def groups():
    """A table as the deck builds them: groups of a header and its rows, the first header the table's own."""
    row = st.builds(
        Row,
        text=words(16),
        shown=st.sampled_from(["2,2", "2,5*", "Kyllä", "Ei vastannut"]),
        note=st.sampled_from(["", "(4 alatavoitetta)"]),
        strong=st.booleans(),
    )
    group = st.tuples(st.builds(Header, words(6)), st.lists(row, min_size=1, max_size=30))
    return st.lists(group, min_size=1, max_size=4).map(
        lambda groups: [item for header, rows in groups for item in [header, *rows]]
    )


def fits_one_slide(rows, widths, available) -> bool:
    """Whether each row fits a slide under its group's header: a row taller than that cannot be split."""
    for size in TABLE_SIZES:
        header = rows[0]
        for row in rows[1:]:
            if isinstance(row, Header):
                header = row
                continue
            header_height = row_height(header, widths, VALUE_HEADER, size, first=True)
            if header_height + row_height(row, widths, VALUE_HEADER, size, first=False) > available:
                return False
    return True


@settings(max_examples=150, deadline=None)
@given(rows=groups(), widths=st.sampled_from(WIDTHS), title=words(12), footnote=st.floats(0, 60))
def test_every_row_lands_once_in_order_on_a_table_within_the_slide(rows, widths, title, footnote):
    top = content_top(title)
    available = CONTENT_BOTTOM - top - footnote
    assume(fits_one_slide(rows, widths, available))

    tables = fit_table(rows, widths, VALUE_HEADER, available)

    placed = [row for table in tables for row in table.rows]
    assert [row for row in placed if any(row is given_row for given_row in rows)] == rows
    continued = [table for table in tables[1:] if not any(table.rows[0] is row for row in rows)]
    assert len(placed) == len(rows) + len(continued)
    group = ""
    for index, table in enumerate(tables):
        assert top + table.height <= CONTENT_BOTTOM - footnote
        assert table.heights == tuple(
            row_height(row, widths, VALUE_HEADER, table.size, first=i == 0) for i, row in enumerate(table.rows)
        )
        assert isinstance(table.rows[0], Header)
        if table in continued:
            assert table.rows[0].label == group  # the group's header repeated on the next slide
        if index < len(tables) - 1:
            assert isinstance(table.rows[-1], Row)  # no header left alone at the bottom
        group = next((row.label for row in reversed(table.rows) if isinstance(row, Header)), group)
    fewest = min(len(paginate(rows, widths, VALUE_HEADER, size, available)) for size in TABLE_SIZES)
    assert len(tables) == fewest
    larger = [size for size in TABLE_SIZES if size > tables[0].size]
    assert all(len(paginate(rows, widths, VALUE_HEADER, size, available)) > fewest for size in larger)


# Charts


@given(count=st.integers(0, 400))
def test_every_bar_lands_once_in_order_on_a_chart_of_at_most_fifteen(count):
    rows = tuple(range(count))

    pages = chart_pages(rows)

    assert [row for page in pages for row in page] == list(rows)
    assert len(pages) == math.ceil(count / CHART_ROWS)
    assert all(1 <= len(page) <= CHART_ROWS for page in pages)


@given(count=st.integers(0, 100))
def test_every_summary_rows_trend_chart_lands_once_in_order_in_a_grid_of_at_most_six(count):
    rows = tuple(range(count))

    pages = trend_pages(rows)

    assert [row for page in pages for row in page] == list(rows)
    assert len(pages) == math.ceil(count / (TREND_COLUMNS * TREND_LINES))
    assert all(1 <= len(page) <= TREND_COLUMNS * TREND_LINES for page in pages)


# Excerpts


def test_it_splits_a_long_excerpt_between_words_naming_the_municipality_under_the_last_piece():
    text = " ".join(["Yhteistyö on sujunut hyvin ja tiedonkulku on parantunut."] * 30)

    blocks = excerpt_blocks(text, "Lohja", QUOTES, 250, 14, 300)

    assert len(blocks) > 1
    assert all(block.height <= 300 for block in blocks)
    paragraphs = [paragraph for block in blocks for paragraph in block.paragraphs]
    assert [paragraph.text for paragraph in paragraphs if paragraph.bold] == ["Lohja"]
    assert paragraphs[-1] == Paragraph("Lohja", 14, bold=True)
    assert " ".join(paragraph.text for paragraph in paragraphs[:-1]).split() == f"”{text}”".split()


excerpts = st.lists(
    st.tuples(
        st.lists(words(120), min_size=1, max_size=3).map("\n".join),
        st.sampled_from(["Lohja", "Raasepori", "Kirkkonummi", "Hanko", "Karkkila"]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=100, deadline=None)
@given(excerpts=excerpts, repeat=st.integers(1, 8), title=words(12))
def test_every_excerpt_lands_once_in_order_in_columns_within_the_slide(excerpts, repeat, title):
    excerpts = excerpts * repeat  # long enough, often, for several slides
    top = content_top(title)
    available = CONTENT_BOTTOM - top

    pages = fit_excerpts(excerpts, QUOTES, available)

    found, current = [], []
    for page in pages:
        assert page.size in EXCERPT_SIZES
        assert 1 <= len(page.columns) <= EXCERPT_COLUMNS
        for column in page.columns:
            assert column
            height = sum(block.height for block in column) + EXCERPT_GAP * (len(column) - 1)
            assert top + height <= CONTENT_BOTTOM
            for block in column:
                assert box_height(block.paragraphs, page.column_width, page.size * 0.5) == block.height
                for paragraph in block.paragraphs:
                    if paragraph.bold:
                        found.append((current, paragraph.text))
                        current = []
                    else:
                        current += paragraph.text.split()
    assert current == []
    assert found == [((QUOTES[0] + text.strip() + QUOTES[1]).split(), municipality) for text, municipality in excerpts]
