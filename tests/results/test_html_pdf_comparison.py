"""The HTML and PDF report compared with the baseline: the demo's 2024 round against 2022 (and the trend from 2020),
opened back in Finnish and Swedish. The numbers are read from the Report; one row is also worked out by hand from
the demo's data files. A round without a baseline prints as it did before rounds were compared."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from lxml import html as lxml_html
from pypdf import PdfReader

from arvio.results.formats.html_format import exporter as html_exporter
from arvio.results.formats.pdf_format import exporter as pdf_exporter
from arvio.results.report import Report, report_build
from arvio.surveys.models import Round
from tests.results.test_html_pdf import A4_LANDSCAPE, DEMO_PAGES
from tests.seed import normalised

# The module's reports are built once, in a fixture of the module; the mark makes the session set up the database.
pytestmark = pytest.mark.django_db

MINUS = "\u2212"
# Before rounds were compared: title, status, scale, summary, chart, ten detail sections, excerpts, a three-page appendix.
PAGES_WITHOUT_BASELINE = 5 + 10 + 1 + 3
HEADS = {
    "fi": ["Tavoite tai teema", "Keskiarvo 2024", "Keskiarvo 2022", "Muutos 2022–2024"],
    "sv": ["Mål eller tema", "Medelvärde 2024", "Medelvärde 2022", "Förändring 2022–2024"],
}
REASON = {
    "fi": "Vastaajat eri kunnat (vain 2024: Hanko; vain 2022: Espoo, Vihti)",
    "sv": "Svarande olika kommuner (endast 2024: Hangö; endast 2022: Esbo, Vichtis)",
}
NEW_GOAL = {
    "fi": "Yhteistyö ympäristövahinkojen torjunnassa on toimivaa.",
    "sv": "Samarbetet vid bekämpningen av miljöskador fungerar.",
}
NEW = {"fi": "uusi", "sv": "ny"}
COMPARISON_HEADING = {"fi": "Vertailu edelliseen kierrokseen", "sv": "Jämförelse med föregående omgång"}
TREND_HEADINGS = {
    "fi": ("Yhteenvedon rivit kierroksittain", "Kehityksen luvut"),
    "sv": ("Sammanfattningens rader omgång för omgång", "Utvecklingens siffror"),
}


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker) -> dict[str, Report]:
    """The demo's 2024 report in Finnish and Swedish, and in Finnish once more with its comparison switched off."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        round = Round.objects.get(code="kuntakysely-2024")
        built = {language: report_build(round, language=language) for language in ("fi", "sv")}
        round.no_baseline = True
        round.save()
        built["alone"] = report_build(round, language="fi")
        transaction.set_rollback(True)
    return built


@pytest.fixture(scope="module")
def pdfs(reports) -> dict[str, bytes]:
    return {key: pdf_exporter.render(report)[2] for key, report in reports.items()}


def document(report: Report):
    return lxml_html.fromstring(html_exporter.render(report)[2])


def texts(element) -> str:
    return normalised(element.text_content())


def table_rows(table) -> list[list[str]]:
    return [[texts(cell) for cell in row.xpath("./th|./td")] for row in table.xpath(".//tr")]


def page_texts(content: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8").split("\f")[:-1]


def page_with(pages: list[str], heading: str) -> int:
    [index] = [index for index, page in enumerate(pages) if heading in normalised(page)]
    return index


def with_n(value) -> str:
    return f"{value.display} (n = {value.n})"


def test_the_change_is_worked_out_from_the_answers_not_from_the_rounded_values(reports):
    """yhteistyomallit in the demo's files: 2022 answered 3, 2, 3, 1, 2, 2, 4 (17/7 = 2,43), 2024 answered
    2, 3, 1, 2, 3, 2 (13/6 = 2,17); 13/6 − 17/7 = −11/42 = −0,26. The rounded values 2,2 and 2,4 would say −0,2."""
    summary = next(table for table in document(reports["fi"]).xpath("//table[contains(@class, 'summary')]"))
    row = next(cells for cells in table_rows(summary) if cells[0].startswith("Rakennetaan kuntien kanssa"))

    assert row[1:] == ["2,2 (n = 6)", "2,4 (n = 7)", f"{MINUS}0,3†"]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_html_summary_has_the_baseline_and_the_change_with_the_rounds_named(reports, language):
    report = reports[language]
    summary = document(report).xpath("//table[contains(@class, 'summary')]")[0]
    header, *rows = table_rows(summary)

    assert header == HEADS[language]
    assert len(rows) == len(report.summary)
    for cells, node in zip(rows, report.summary):
        change = node.comparison
        assert cells[0].startswith(node.text)
        assert cells[1:] == [with_n(node.value), with_n(change.baseline), f"{change.display}†"]
    notes = [texts(note) for note in summary.xpath("ancestor::section[1]//p[contains(@class, 'change-note')]")]
    assert notes == [f"† {REASON[language]}"]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_each_detail_page_has_the_change_beside_each_value(reports, language):
    report = reports[language]
    page = document(report)

    for section in report.sections:
        [element] = page.xpath(f"//section[@aria-labelledby='section-{section.node.code}']")
        rows = {cells[0]: cells[1:] for cells in table_rows(element.xpath(".//table")[0]) if len(cells) > 1}
        shown = ([section.main] if section.main else []) + list(section.rows)
        for node in shown:
            [cells] = [cells for text, cells in rows.items() if text.endswith(node.text) or text.startswith(node.text)]
            expected = NEW[language] if node.comparison.baseline is None else f"{node.comparison.display}†"
            assert cells == [with_n(node.value), expected], node.code
        assert f"† {REASON[language]}" in texts(element)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_comparison_names_the_baseline_who_answered_one_round_only_and_the_goals_new_and_dropped(reports, language):
    report = reports[language]
    [section] = document(report).xpath("//section[contains(@class, 'page--comparison')]")
    text = texts(section)

    assert texts(section.xpath(".//h2")[0]) == COMPARISON_HEADING[language]
    assert f"{report.baseline.title} (7.11.–7.12.2022)" in text
    assert "7/10: " + ", ".join(report.baseline.municipalities) in text
    assert report.baseline.only_baseline == (("Espoo", "Vihti") if language == "fi" else ("Esbo", "Vichtis"))
    assert ", ".join(report.baseline.only_baseline) in text and report.baseline.only_now[0] in text
    new, dropped = section.xpath(".//h3")
    assert [texts(item) for item in new.getnext().xpath(".//li")] == [NEW_GOAL[language]]
    assert report.baseline.dropped_goals == ()
    assert texts(dropped.getnext()) == {"fi": "Ei yhtään.", "sv": "Inga."}[language]
    overall = report.baseline.overall_change
    assert f"2022: {report.baseline.overall.display}; 2024: {report.overall.display}" in text
    assert overall.display in text


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_trend_is_drawn_per_summary_row_with_its_table_twin(reports, language):
    report = reports[language]
    page = document(report)
    [charts] = page.xpath("//section[contains(concat(' ', @class, ' '), ' page--trend ')]")
    svgs = charts.xpath(".//*[local-name()='svg']")

    assert len(svgs) == len(report.summary)
    for svg, row in zip(svgs, report.summary):
        assert svg.get("role") == "img"
        drawn = [text.text for text in svg.xpath(".//*[local-name()='text'][@class='chart__value']")]
        assert drawn == [point.value.display for point in row.trend]
    [twin] = page.xpath("//table[contains(@class, 'trend-table')]")
    header, *rows = table_rows(twin)
    assert header[1:] == ["2020", "2022", "2024"]
    for cells, row in zip(rows, report.summary):
        assert cells[1:] == [with_n(point.value) for point in row.trend]
        assert cells[3] == with_n(row.value) and cells[2] == with_n(row.comparison.baseline)
    # yhteistyomallit in the demo's 2020 file: 2, "EOS" (can't say), 1, 1, 1, 1: 6/5 = 1,2 on five answers.
    assert rows[0][1] == "1,2 (n = 5)"


def test_a_change_on_too_few_answers_is_marked_with_its_own_reason(demo_round, settings):
    settings.ARVIO_MIN_N = 7  # the 2024 round's goals rest on six answers each
    report = report_build(demo_round, language="fi")
    summary = document(report).xpath("//table[contains(@class, 'summary')]")[0]
    rows = {cells[0]: cells[1:] for cells in table_rows(summary)}
    [row] = [cells for text, cells in rows.items() if text.startswith("Rakennetaan kuntien kanssa")]

    assert row == ["2,2* (n = 6)", "2,4 (n = 7)", f"{MINUS}0,3†‡"]
    notes = [texts(note) for note in summary.xpath("ancestor::section[1]//p[contains(@class, 'change-note')]")]
    assert notes == [f"† {REASON['fi']}", "‡ Alle 7 vastausta jommallakummalla kierroksella"]


def test_the_html_keeps_its_policy_no_script_one_style(reports):
    content = html_exporter.render(reports["fi"])[2].decode("utf-8")

    assert "<script" not in content
    assert content.count("<style>") == 1
    assert "<svg" in content and content.count("<svg") == 1 + len(reports["fi"].summary)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_pdf_prints_the_comparison_on_pages_that_fit_a4_landscape(reports, pdfs, language, tmp_path):
    report = reports[language]
    reader = PdfReader(io.BytesIO(pdfs[language]))
    pages = page_texts(pdfs[language], tmp_path)

    assert len(reader.pages) == len(pages) == DEMO_PAGES
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_LANDSCAPE
    # The summary with its comparison fits its one page, the footnote under it.
    summary = pages[3]
    lines = [normalised(line) for line in summary.splitlines()]
    for node in report.summary:
        change = node.comparison
        printed = f"{with_n(node.value)} {with_n(change.baseline)} {change.display}†"
        assert any(line.endswith(printed) for line in lines), printed
    assert f"† {REASON[language]}" in normalised(summary)
    # The comparison, the trend's charts and their table each on a page of their own, whole.
    comparison = page_with(pages, COMPARISON_HEADING[language])
    assert comparison == 4 and NEW_GOAL[language] in normalised(pages[comparison])
    charts, table = (page_with(pages, heading) for heading in TREND_HEADINGS[language])
    assert (charts, table) == (6, 7)
    for row in report.summary:
        assert (row.label[:1].upper() + row.label[1:]).split()[0] in pages[charts]
    table_lines = [normalised(line) for line in pages[table].splitlines()]
    for row in report.summary:
        printed = " ".join(with_n(point.value) for point in row.trend)
        assert any(line.endswith(printed) for line in table_lines), printed


def test_a_round_without_a_baseline_prints_as_before(reports, pdfs, tmp_path):
    report = reports["alone"]
    page = document(report)

    assert report.baseline is None
    summary = page.xpath("//table[contains(@class, 'summary')]")[0]
    header, *rows = table_rows(summary)
    assert header == ["Tavoite tai teema", "Kuntien vastausten keskiarvo"]
    assert [len(cells) for cells in rows] == [2] * len(report.summary)
    assert not page.xpath("//*[contains(@class, 'page--comparison') or contains(@class, 'page--trend')]")
    assert not page.xpath("//*[contains(@class, 'change')]")
    assert len(PdfReader(io.BytesIO(pdfs["alone"])).pages) == PAGES_WITHOUT_BASELINE
    assert "2022" not in normalised(" ".join(page_texts(pdfs["alone"], tmp_path)))
