"""The data files compared with the baseline: the demo's 2024 round against 2022, opened back, in Finnish and
Swedish. XLSX and CSV gain the baseline's mean, display and n and the change per node, numbers as numbers; the
JSON gains `baseline` per node and at the top, and keeps to docs/report.schema.json."""

import csv
import io
from fractions import Fraction

import openpyxl
import pytest

from arvio.results.formats import csv_format, json_format, xlsx_format
from arvio.results.numbers import round_change
from arvio.results.report import report_build
from tests.results.test_json import SCHEMA, exported, schema_errors

pytestmark = pytest.mark.django_db

HEADERS = {
    "fi": ("Vertailukierroksen keskiarvo 2022 (pyöristämätön)", "Muutos (pyöristämätön)", "Muutos", "Muutos merkitty"),
    "sv": (
        "Jämförelseomgångens medelvärde 2022 (oavrundat)",
        "Förändring (oavrundad)",
        "Förändring",
        "Förändringen markerad",
    ),
}
REASON = {
    "fi": "vastaajat eri kunnat (vain 2024: Hanko; vain 2022: Espoo, Vihti)",
    "sv": "svarande olika kommuner (endast 2024: Hangö; endast 2022: Esbo, Vichtis)",
}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_xlsx_holds_the_baseline_and_the_change_per_node_as_numbers(demo_round, language):
    report = report_build(demo_round, language=language, include_answers=True)
    _name, _type, content = xlsx_format.exporter.render(report)
    sheet = openpyxl.load_workbook(io.BytesIO(content))[_sheet_name(language)]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    mean_at, change_at, shown_at, note_at = (header.index(name) for name in HEADERS[language])
    by_code = {row[0]: row for row in rows[1:]}

    for node in report.nodes:
        row, change = by_code[node.code], node.comparison
        if change.baseline is None:
            assert row[mean_at] is None and row[note_at] in ("uusi tällä kierroksella", "ny i den här omgången")
            continue
        assert row[mean_at] == pytest.approx(float(change.baseline.mean))
        assert row[header.index(HEADERS[language][0]) + 2] == change.baseline.n
        assert row[change_at] == pytest.approx(float(change.change))
        assert row[shown_at] == float(round_change(change.change))  # a number, shown with its sign by the format
        assert row[note_at] == REASON[language]
    assert sheet.cell(row=2, column=shown_at + 1).number_format == '+0.0;"\u2212"0.0;"\u00b1"0.0'


def _sheet_name(language):
    return {"fi": "tulokset", "sv": "resultat"}[language]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_csv_holds_the_baseline_the_change_and_the_new_goal(demo_round, language):
    report = report_build(demo_round, language=language)
    _name, _type, content = csv_format.exporter.render(report)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    mean_at, change_at, shown_at, note_at = (header.index(name) for name in HEADERS[language])
    by_code = {row[0]: row for row in rows[1:]}

    home = next(node for node in report.nodes if node.code == "kotona-asuminen")
    row = by_code["kotona-asuminen"]
    assert Fraction(row[mean_at]) == pytest.approx(home.comparison.baseline.mean)
    assert float(row[change_at]) == pytest.approx(float(home.comparison.change))
    assert row[shown_at].lstrip("'") == home.comparison.display
    assert row[note_at] == REASON[language]
    assert by_code["pelastus-ymparistovahingot"][mean_at] == ""
    assert len({len(row) for row in rows}) == 1


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_json_holds_the_baseline_at_the_top_and_per_node_within_its_schema(demo_round, language):
    report = report_build(demo_round, language=language)
    data = exported(report)

    assert schema_errors(data, SCHEMA) == []
    assert data["baseline"]["round"] == {
        "code": "kuntakysely-2022",
        "title": report.baseline.title,
        "label": "2022",
        "window": "7.11.–7.12.2022",
    }
    assert data["baseline"]["only_baseline"] == list(report.baseline.only_baseline)
    assert data["baseline"]["new_goals"][0]["code"] == "pelastus-ymparistovahingot"
    assert data["trend_rounds"] == ["2020", "2022", "2024"]
    nodes = {node["code"]: node for node in data["nodes"]}
    for node in report.nodes:
        change = nodes[node.code]["baseline"]
        if node.comparison.change is not None:
            assert change["change"] == pytest.approx(float(node.comparison.change))
            assert change["value"]["n"] == node.comparison.baseline.n
            assert change["flags"] == ["different_municipalities"]
            assert change["reasons"] == [REASON[language]]
    assert nodes["kotona-asuminen"]["baseline"]["goals"] == ["kotihoito"]
    assert [point["label"] for point in data["summary"][0]["trend"]] == ["2020", "2022", "2024"]


def test_the_json_of_a_round_without_baseline_says_null_within_its_schema(demo_round):
    from arvio.surveys.models import Round

    data = json_format.report_data(report_build(Round.objects.get(code="kuntakysely-demo"), language="fi"))
    assert data["baseline"] is None and data["trend_rounds"] == []
    assert all(node["baseline"] is None for node in data["nodes"])
    assert schema_errors(data, SCHEMA) == []
