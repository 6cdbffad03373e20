"""The report as HTML and as PDF, read back: every number of the 2024 deck next to its goal, in Finnish and Swedish.

Interface words are compared against the Report's own strings (the Finnish and
Swedish catalogues are made afterwards); numbers, goal texts and municipality
names are exact.
"""

import io
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from pypdf import PdfReader

from arvio.results.formats.html_format import exporter as html_exporter
from arvio.results.formats.pdf_format import exporter as pdf_exporter
from arvio.results.report import Report, report_build
from arvio.surveys.models import Round
from tests.seed import DECK_VALUES, NOT_ANSWERED, deck_quotes, normalised

# Title, response status, scale, summary, the comparison with 2022, chart, the trend's charts and their table,
# the ten detail sections, the excerpts, and the appendix of every node, whose table runs over three pages.
DEMO_PAGES = 4 + 1 + 1 + 2 + 10 + 1 + 3
A4_LANDSCAPE = (842, 595)
VALUE = re.compile(r"\b\d,\d\b")


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker) -> dict[str, Report]:
    """The demo's report in Finnish and Swedish, built once: a Report is plain data, and printing is slow."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--no-publish", stdout=io.StringIO())
        round = Round.objects.get(code="kuntakysely-2024")
        built = {language: report_build(round, language=language) for language in ("fi", "sv")}
        transaction.set_rollback(True)
    return built


@pytest.fixture(scope="module")
def pdfs(reports) -> dict[str, bytes]:
    printed = {}
    for language, report in reports.items():
        filename, content_type, content = pdf_exporter.render(report)
        assert (filename, content_type) == (f"kuntakysely-2024-{language}.pdf", "application/pdf")
        printed[language] = content
    return printed


class _Page(HTMLParser):
    """The parts of the report's HTML the tests read: table rows, excerpts, page headings, the lang attribute."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.rows: list[list[str]] = []
        self.excerpts: list[tuple[str, str]] = []
        self.headings: list[str] = []
        self.references: list[str] = []
        self._cell = self._quote = self._caption = self._heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if attrs.get("href") or attrs.get("src"):
            self.references.append(attrs.get("href") or attrs.get("src"))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []
        elif tag == "blockquote":
            self._quote = []
        elif tag == "figcaption" and self._quote is not None:
            self._caption = []
        elif tag in ("h1", "h2"):
            self._heading = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            # The n beside a value ("2,2 (n = 6)") is checked in test_report_as_read.py; these tests read values.
            self.rows[-1].append(re.sub(r" \(n = \d+\)$", "", normalised("".join(self._cell))))
            self._cell = None
        elif tag == "figcaption" and self._caption is not None:
            self.excerpts.append((normalised(" ".join(self._quote)), normalised("".join(self._caption))))
            self._quote = self._caption = None
        elif tag in ("h1", "h2") and self._heading is not None:
            self.headings.append(normalised("".join(self._heading)))
            self._heading = None

    def handle_data(self, data):
        for part in (self._cell, self._caption, self._heading):
            if part is not None:
                part.append(data)
        if self._quote is not None and self._caption is None:
            self._quote.append(data)


def parsed(report: Report) -> tuple[str, _Page]:
    filename, content_type, content = html_exporter.render(report)
    assert (filename, content_type) == (f"kuntakysely-2024-{report.language}.html", "text/html; charset=utf-8")
    html = content.decode("utf-8")
    page = _Page()
    page.feed(html)
    return html, page


def deck_rows(report: Report, finnish: Report) -> list[tuple[str, str]]:
    """(the goal's text in the report's language, the deck's value) for every value of the deck."""
    texts = {node.code: node.text for node in report.nodes}
    rows = []
    for prefix, value in DECK_VALUES.items():
        [code] = [node.code for node in finnish.nodes if node.text.startswith(prefix)]
        rows.append((texts[code], value))
    return rows


def pdf_text(content: bytes, tmp_path: Path, *, layout: bool = True, page: int | None = None) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", *(["-layout"] if layout else []), *pages, str(path), "-"], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def shortest_unique_start(text: str, others: list[str]) -> str:
    """The fewest first words of a goal's text that no other goal's text starts with: short enough for one line."""
    words = text.split()
    for count in range(min(3, len(words)), len(words) + 1):
        start = " ".join(words[:count])
        if not any(other != text and other.startswith(start) for other in others):
            return start
    return text


def value_after(lines: list[str], start: str) -> set[str]:
    """For each line where `start` is found, the first value printed after it (on that line or below)."""
    found = set()
    for index, line in enumerate(lines):
        position = line.find(start)
        if position < 0:
            continue
        rest = [line[position + len(start) :]] + lines[index + 1 :]
        match = next((m for m in (VALUE.search(part) for part in rest) if m), None)
        if match:
            found.add(match.group())
    return found


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_puts_every_value_of_the_deck_in_the_row_of_its_goal_in_the_html(reports, language):
    _html, page = parsed(reports[language])

    for text, value in deck_rows(reports[language], reports["fi"]):
        assert any(row and text in row[0] and value in row[1:] for row in page.rows), (text, value)


def test_it_shows_the_goals_in_swedish_with_the_same_numbers(reports):
    finnish, swedish = deck_rows(reports["fi"], reports["fi"]), deck_rows(reports["sv"], reports["fi"])

    _html, page = parsed(reports["sv"])

    assert [value for _text, value in swedish] == [value for _text, value in finnish]
    for (swedish_text, _value), (finnish_text, _value) in zip(swedish, finnish):
        assert swedish_text != finnish_text
    [rescue] = [row for row in reports["sv"].summary if row.code == "pelastustoimen-palvelutasopaatos"]
    assert rescue.text == "Räddningsväsendets servicenivåbeslut"
    with translation.override("sv"):  # the note is worded when read
        # The summary's first two columns as in the deck; the comparison's follow them (test_html_pdf_comparison.py).
        assert [f"{rescue.text} {rescue.pooled_note}", "3,4"] in [row[:2] for row in page.rows]


def test_it_shows_the_pooled_note_in_the_summary_row(reports):
    report = reports["fi"]
    [row] = [row for row in report.summary if row.code == "yhteistyo"]

    _html, page = parsed(report)

    with translation.override("fi"):
        assert row.pooled_note
        assert [f"{row.text} {row.pooled_note}", "2,7"] in [row[:2] for row in page.rows]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_shows_who_answered_in_the_html(reports, language):
    report = reports[language]

    html, page = parsed(report)

    assert page.lang == language
    assert "6/10" in html
    for respondent in report.respondents:
        assert [respondent.name, respondent.answered_label] in page.rows
    not_answered = [r for r in report.respondents if not r.answered]
    assert len(not_answered) == len(NOT_ANSWERED) == 4
    assert len({r.answered_label for r in not_answered}) == 1


def test_it_quotes_the_excerpts_with_their_municipalities_in_the_html(reports):
    _html, page = parsed(reports["fi"])

    quoted = {municipality: text for text, municipality in page.excerpts}
    assert sorted(quoted) == ["Karkkila", "Kauniainen", "Lohja"]
    for municipality, quote in deck_quotes().items():
        assert quoted[municipality] == normalised(quote)


def test_it_makes_one_file_that_needs_nothing_else(reports):
    html, page = parsed(reports["fi"])

    assert page.references == []
    assert "<style>" in html
    assert "<svg" in html


def test_it_flags_values_resting_on_fewer_answers_than_the_minimum(demo_round, settings):
    settings.ARVIO_MIN_N = 7  # every rated goal of the demo rests on 6 answers
    report = report_build(demo_round, language="fi")
    rows = {row.code: row for row in report.summary}

    html, page = parsed(report)

    firsts = [row[:2] for row in page.rows]
    assert [rows["ikaantyneiden-palvelut"].text, "2,7*"] in firsts
    # A theme pooling two goals rests on 12 answers.
    pooled = rows["aikuisten-sosiaalipalvelut"]
    with translation.override("fi"):
        assert [f"{pooled.text} {pooled.pooled_note}", "2,3"] in firsts
    # The footnote under the summary, the chart, the trend's table, every detail page and the appendix.
    assert html.count('class="note"') == 3 + len(report.sections) + 1


def test_it_flags_nothing_when_every_value_rests_on_enough_answers(reports):
    html, page = parsed(reports["fi"])

    assert not any(cell.endswith("*") for row in page.rows for cell in row)
    assert 'class="note"' not in html


def test_it_prints_an_a4_landscape_pdf_with_every_font_embedded(reports, pdfs):
    reader = PdfReader(io.BytesIO(pdfs["fi"]))

    assert len(reader.pages) == DEMO_PAGES
    fonts = {}
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_LANDSCAPE
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        if "/DescendantFonts" in font:
            font = font["/DescendantFonts"][0].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(font["/FontDescriptor"].get_object()), name
    # Selectable text, not drawn shapes, tagged for screen readers and in the report's language.
    first_page = normalised(reader.pages[0].extract_text())
    assert reports["fi"].cover_title in first_page
    assert reports["fi"].title in first_page
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    assert reader.trailer["/Root"]["/Lang"] == "fi"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_prints_every_value_of_the_deck_on_the_line_of_its_goal(reports, pdfs, language, tmp_path):
    report = reports[language]
    # The appendix repeats every text with other numbers beside it; the deck's pages come before it.
    pages = pdf_text(pdfs[language], tmp_path).split("\f")[: DEMO_PAGES - 3]
    lines = [normalised(line) for page in pages for line in page.splitlines()]
    texts = [node.text for node in report.nodes]

    for text, value in deck_rows(report, reports["fi"]):
        assert value in value_after(lines, shortest_unique_start(text, texts)), (text, value)


def test_it_prints_who_answered_and_the_excerpts(reports, pdfs, tmp_path):
    report = reports["fi"]

    status = [normalised(line) for line in pdf_text(pdfs["fi"], tmp_path, page=2).splitlines()]
    excerpts = normalised(pdf_text(pdfs["fi"], tmp_path, layout=False, page=DEMO_PAGES - 3))

    assert any("6/10" in line for line in status)
    for respondent in report.respondents:
        assert any(line.startswith(f"{respondent.name} {respondent.answered_label}") for line in status), respondent
    for municipality, quote in deck_quotes().items():
        assert normalised(quote)[:60] in excerpts
        assert municipality in excerpts


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_renders_every_page_with_its_heading_page_number_and_organizer(reports, pdfs, language, tmp_path):
    report = reports[language]
    (tmp_path / "report.pdf").write_bytes(pdfs[language])
    _html, html_page = parsed(report)

    subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / "report.pdf"), str(tmp_path / "page")], check=True)

    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == DEMO_PAGES
    assert all(image.read_bytes().startswith(b"\x89PNG") for image in images)
    # A page per heading, in order, nothing pushed onto the next page; the appendix's table carries over
    # onto the last two.
    headings = html_page.headings + [None, None]
    assert len(headings) == DEMO_PAGES
    for number, heading in enumerate(headings, start=1):
        text = normalised(pdf_text(pdfs[language], tmp_path, page=number))
        if heading:
            assert heading in text, (number, heading)
        assert f"{number} / {DEMO_PAGES}" in text
        assert report.organizer in text
