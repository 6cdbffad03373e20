"""What keeps results and decks from growing with the respondents: counts from the database, a list of
municipalities only where it is shown, and exports written as they go."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from arvio.invitations.status import Status
from arvio.results.formats import exporters
from arvio.results.report import RESPONDENTS_LISTED, report_build
from arvio.results.selectors import round_results
from tests.factories import make_round
from tests.invitations.helpers import DURING_ROUND, submit


def round_of(code: str, invited: int, answered: int):
    municipalities = [(f"{100 + i:03d}", f"Kunta {i}", f"Kommun {i}", "fi") for i in range(invited)]
    round = make_round(code, municipalities=municipalities)
    for i, invitation in enumerate(round.invitations.order_by("order", "municipality__name_fi")[:answered]):
        submit(
            invitation,
            at=DURING_ROUND,
            values={"yhteistyo-1": 1 + i % 5, "yhteistyo-2": None if i % 4 == 0 else 3, "osallisuus": 2},
            comments={"kehittaminen": f"Kunta {i} kertoo."},
        )
    return round


@pytest.fixture
def small(db):
    return round_of("pieni", 3, 2)


@pytest.fixture
def large(db):
    """More municipalities than a deck lists: RESPONDENTS_LISTED + 5, of which 4 answered."""
    return round_of("suuri", RESPONDENTS_LISTED + 5, 4)


def queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def test_it_reads_the_results_in_three_queries_whatever_the_number_of_respondents(
    small, large, django_assert_num_queries
):
    with django_assert_num_queries(3):
        results = round_results(small)
    assert (results.invited, results.responded) == (3, 2)
    with django_assert_num_queries(3):
        results = round_results(large)
    assert (results.invited, results.responded) == (RESPONDENTS_LISTED + 5, 4)
    assert results.status_counts[Status.SUBMITTED] == 4
    assert sum(results.status_counts.values()) == RESPONDENTS_LISTED + 5


@pytest.mark.parametrize("options", [{}, {"include_answers": True}])
def test_it_builds_the_report_in_the_same_number_of_queries_at_two_sizes(small, large, options):
    assert queries(lambda: report_build(small, language="fi", **options)) == queries(
        lambda: report_build(large, language="fi", **options)
    )


@pytest.mark.parametrize("options", [{}, {"include_answers": True}])
def test_it_leaves_out_the_lists_one_query_for_a_deck_past_the_limit(small, large, options):
    # At most RESPONDENTS_LISTED municipalities a deck lists them, which takes one query; past it, none.
    deck = {**options, "include_respondents": False}
    assert (
        queries(lambda: report_build(large, language="fi", **deck))
        == queries(lambda: report_build(small, language="fi", **deck)) - 1
    )
    assert queries(lambda: report_build(small, language="fi", **deck)) == queries(
        lambda: report_build(small, language="fi", **options)
    )


def test_it_builds_a_decks_report_without_the_list_past_the_limit_and_with_it_below(small, large):
    deck = report_build(large, language="fi", include_respondents=False)
    assert deck.respondents == () and not deck.respondents_listed and not deck.respondents_shown
    assert {item.status: item.count for item in deck.status_counts}[Status.SUBMITTED] == 4
    assert sum(item.count for item in deck.status_counts) == deck.invited == RESPONDENTS_LISTED + 5
    few = report_build(small, language="fi", include_respondents=False)
    assert len(few.respondents) == 3 and few.respondents_listed and few.respondents_shown


def slide_texts(content: bytes) -> list[str]:
    texts = []
    for slide in Presentation(io.BytesIO(content)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(" | ".join(cell.text for cell in row.cells) for row in shape.table.rows)
        texts.append("\n".join(parts))
    return texts


def test_it_shows_the_counts_per_status_in_the_pptx_past_the_limit(large):
    report = report_build(large, language="fi", include_respondents=False)
    _name, _type, content = exporters()["pptx"].render(report)
    texts = slide_texts(content)
    status = [text for text in texts if "Vastaustilanne" in text]
    assert len(status) == 1, "one slide, however many municipalities"
    assert "Lähetetty | 4" in status[0]
    assert f"Ei vastausta määräajassa | {RESPONDENTS_LISTED + 1}" in status[0]
    assert "XLSX-, CSV- ja JSON-tiedostoissa" in status[0]
    assert not any("Kunta 7" in text for text in texts)


def test_it_shows_the_counts_per_status_in_the_pdf_past_the_limit(large):
    report = report_build(large, language="fi", include_respondents=False)
    _name, _type, content = exporters()["pdf"].render(report)
    # Words as they read, whatever the lines they were broken into.
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
    assert "Lähetetty" in text and f"{RESPONDENTS_LISTED + 1}" in text
    assert "XLSX-, CSV- ja JSON-tiedostoissa" in text
    assert "Kunta 7" not in text


def test_it_lists_every_municipality_in_the_pptx_and_pdf_up_to_the_limit(small):
    report = report_build(small, language="fi", include_respondents=False)
    _name, _type, deck = exporters()["pptx"].render(report)
    assert any("Kunta 2 | Ei vastausta määräajassa" in text for text in slide_texts(deck))
    _name, _type, pdf = exporters()["pdf"].render(report)
    assert "Kunta 2" in "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_it_lists_every_municipality_in_the_xlsx_csv_and_json_past_the_limit(large):
    report = report_build(large, language="fi", include_answers=True)
    names = {f"Kunta {i}" for i in range(RESPONDENTS_LISTED + 5)}

    _name, _type, content = exporters()["xlsx"].render(report)
    sheet = load_workbook(io.BytesIO(content)).worksheets[-1]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Koodi", "Kunta", "Tila", "Tilan koodi", "Vastasiko kyselyyn?")
    assert {row[1] for row in rows[1:]} == names
    assert sum(1 for row in rows[1:] if row[3] == "submitted") == 4

    _name, _type, content = exporters()["csv"].render(report, table="respondents")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert {row[1] for row in rows[1:]} == names

    _name, _type, content = exporters()["json"].render(report)
    assert {item["name"] for item in json.loads(content)["respondents"]} == names


def test_it_refuses_to_write_a_list_from_a_report_built_without_it(large):
    report = report_build(large, language="fi", include_answers=True, include_respondents=False)
    for format, options in (("xlsx", {}), ("json", {}), ("csv", {"table": "respondents"})):
        with pytest.raises(ValueError, match="include_respondents"):
            exporters()[format].stream(report, **options)


@pytest.mark.parametrize("table", ["results", "answers", "respondents"])
def test_it_streams_the_same_csv_bytes_it_renders(large, table, monkeypatch):
    monkeypatch.setattr("arvio.results.formats.csv_format.ROWS_PER_CHUNK", 2)
    report = report_build(large, language="sv", include_answers=True)
    _name, _type, whole = exporters()["csv"].render(report, table=table)
    _name, _type, chunks = exporters()["csv"].stream(report, table=table)
    pieces = list(chunks)
    assert b"".join(pieces) == whole
    assert whole.startswith(b"\xef\xbb\xbf") and whole.count(b"\xef\xbb\xbf") == 1
    if table != "results":
        assert len(pieces) > 1


def test_it_streams_the_same_xlsx_bytes_it_renders_in_the_write_only_mode(large, monkeypatch):
    monkeypatch.setattr("arvio.results.formats.xlsx_format.CHUNK_BYTES", 1024)
    report = report_build(large, language="fi", include_answers=True)
    _name, _type, chunks = exporters()["xlsx"].stream(report)
    pieces = list(chunks)
    assert len(pieces) > 1
    workbook = load_workbook(io.BytesIO(b"".join(pieces)))
    assert [sheet.max_row for sheet in workbook.worksheets[1:2]] == [5]
    assert workbook.sheetnames[-1] == "vastaajat"
    assert all(sheet.freeze_panes == "A2" for sheet in workbook.worksheets)
