"""The CSV export, read back with the csv module: BOM, delimiters, the two tables, and no formulas."""

import csv
import io
from fractions import Fraction

import pytest

from arvio.responses.models import Comment
from arvio.results.formats.csv_format import exporter
from arvio.results.report import report_build
from tests.seed import seed_values

BOM = b"\xef\xbb\xbf"


def read(content: bytes, delimiter: str) -> list[list[str]]:
    assert content.startswith(BOM)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def by_code(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    header, *body = rows
    return {row[0]: dict(zip(header, row, strict=True)) for row in body}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_puts_every_seed_value_next_to_its_goal(demo_round, language):
    expected = seed_values(demo_round)
    texts = {node.code: node.tr("text", language) for node in demo_round.nodes.all()}
    report = report_build(demo_round, language=language)

    filename, content_type, content = exporter.render(report)

    assert filename == f"kuntakysely-2024-{language}-results.csv"
    assert content_type == "text/csv; charset=utf-8"
    header, *rows = read(content, ";")
    assert len(rows) == 38
    shown = {row[0]: (row[3], row[5]) for row in rows}
    for code, value in expected.items():
        assert shown[code] == (texts[code], value), code
    assert header[7] == report.dont_know_label


def test_it_writes_the_mean_with_a_point_beside_the_display_with_a_comma(demo_round):
    _, _, content = exporter.render(report_build(demo_round, language="fi"))

    header, *rows = read(content, ";")
    rows = {row[0]: row for row in rows}
    assert rows["aikuisten-sosiaalipalvelut"][4:9] == ["2.25", "2,3", "12", "0", "0"]
    assert rows["aikuisten-sosiaalipalvelut"][9:14] == ["0", "0", "4", "7", "1"]
    assert float(rows["yhteistyomallit"][4]) == float(Fraction(13, 6))
    assert rows["yhteistyomallit"][14] == "2.0"  # the median
    assert rows["yhteistyo"][2] == "2"  # the depth


@pytest.mark.parametrize(
    ("language", "delimiter", "separator"),
    [
        ("fi", None, ";"),
        ("sv", None, ";"),
        ("en", None, ","),
        ("fi", "comma", ","),
        ("en", "semicolon", ";"),
    ],
)
def test_it_separates_columns_with_the_delimiter_excel_expects_or_the_one_asked_for(
    demo_round, language, delimiter, separator
):
    options = {"delimiter": delimiter} if delimiter else {}

    _, _, content = exporter.render(report_build(demo_round, language=language), **options)

    text = content.decode("utf-8-sig")
    # 17 columns, and the six of the comparison with the demo's 2022 round (tests/results/test_comparison_exports.py).
    assert text.splitlines()[0].count(separator) == 16 + 6
    rows = {row[0]: row for row in read(content, separator)}
    assert len(rows["sijaishuolto"]) == 17 + 6
    assert rows["sijaishuolto"][5] == ("1.5" if language == "en" else "1,5")


def test_it_writes_each_municipalitys_answers_and_comments(demo_round):
    report = report_build(demo_round, language="sv", include_answers=True)

    filename, _, content = exporter.render(report, table="answers")

    assert filename == "kuntakysely-2024-sv-answers.csv"
    header, *rows = read(content, ";")
    assert header[3:] == [node.code for node in report.rated_goals] + [q.code for q in report.questions]
    assert [row[1] for row in rows] == ["Grankulla", "Kyrkslätt", "Högfors", "Lojo", "Hangö", "Raseborg"]
    grankulla = dict(zip(header, rows[0], strict=True))
    # Submitted at 10.00 UTC on 4 December: 12.00 in Helsinki.
    assert grankulla[header[2]] == "2024-12-04 12:00:00"
    assert grankulla["sijaishuolto"] == "2"
    assert grankulla["kehittamiskohteet"] == next(iter(report.answers)).comments["kehittamiskohteet"]


def test_it_prefixes_text_that_a_spreadsheet_would_run_as_a_formula(demo_round):
    comments = Comment.objects.filter(response__invitation__round=demo_round, question__code="kehittamiskohteet")
    comments.filter(response__invitation__municipality__code="235").update(text='=HYPERLINK("http://x")')
    comments.filter(response__invitation__municipality__code="257").update(text="@SUM(1)")
    comments.filter(response__invitation__municipality__code="224").update(text="- - lyhennetty")

    _, _, content = exporter.render(report_build(demo_round, language="fi", include_answers=True), table="answers")

    rows = by_code(read(content, ";"))
    assert rows["235"]["kehittamiskohteet"] == '\'=HYPERLINK("http://x")'
    assert rows["257"]["kehittamiskohteet"] == "'@SUM(1)"
    assert rows["224"]["kehittamiskohteet"] == "'- - lyhennetty"
    assert rows["444"]["kehittamiskohteet"] == comments.get(response__invitation__municipality__code="444").text


def test_it_refuses_the_answers_table_without_the_answers(demo_round):
    report = report_build(demo_round, language="fi")

    with pytest.raises(ValueError, match="include_answers"):
        exporter.render(report, table="answers")
    assert exporter.render(report)[2].startswith(BOM)
    assert exporter.needs_answers is False
    assert exporter.needs_answers_for(table="answers") is True
    assert exporter.needs_answers_for(table="results") is False
    assert exporter.needs_answers_for() is False


def test_it_refuses_an_unknown_table_or_delimiter(demo_round):
    report = report_build(demo_round, language="fi", include_answers=True)

    with pytest.raises(ValueError, match="table"):
        exporter.render(report, table="comments")
    with pytest.raises(ValueError, match="delimiter"):
        exporter.render(report, delimiter="tab")
