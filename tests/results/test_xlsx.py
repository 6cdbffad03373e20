"""The XLSX export, opened back with openpyxl: numbers as numbers, text never as a formula."""

import io
import zipfile
from datetime import datetime
from fractions import Fraction

import openpyxl
import pytest

from arvio.responses.models import Answer, Comment
from arvio.results.formats.xlsx_format import exporter
from arvio.results.report import report_build
from tests.seed import seed_values

MEAN, VALUE, N, DONT_KNOW, BLANK = 4, 5, 6, 7, 8
# The last two of the round's own columns (0-based), before the six of the comparison with the demo's 2022
# round (tests/results/test_comparison_exports.py): fewer than n, rated goals pooled.
LOW_N, POOLED = BLANK + 5 + 2 - 1, BLANK + 5 + 3 - 1


def exported(report) -> openpyxl.Workbook:
    filename, content_type, content = exporter.render(report)
    assert filename == f"kuntakysely-2024-{report.language}.xlsx"
    assert content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(content))


def rows_by_code(sheet) -> dict:
    return {row[0].value: row for row in sheet.iter_rows(min_row=2)}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_puts_every_seed_value_next_to_its_goal(demo_round, language):
    expected = seed_values(demo_round)
    texts = {node.code: node.tr("text", language) for node in demo_round.nodes.all()}

    workbook = exported(report_build(demo_round, language=language, include_answers=True))

    results = workbook.worksheets[0]
    rows = rows_by_code(results)
    assert len(rows) == 38
    for code, value in expected.items():
        row = rows[code]
        assert row[2].value == texts[code], code
        assert (row[VALUE - 1].value, row[VALUE - 1].data_type) == (float(value.replace(",", ".")), "n"), code
        assert row[VALUE - 1].number_format == "0.0"


def test_it_stores_the_unrounded_mean_and_the_counts_as_numbers(demo_round):
    workbook = exported(report_build(demo_round, language="fi", include_answers=True))

    rows = rows_by_code(workbook.worksheets[0])
    adults = rows["aikuisten-sosiaalipalvelut"]
    assert [cell.value for cell in adults[MEAN - 1 : BLANK]] == [2.25, 2.3, 12, 0, 0]
    assert [cell.value for cell in adults[BLANK : BLANK + 5]] == [0, 0, 4, 7, 1]  # 5 … 1
    assert rows["yhteistyomallit"][MEAN - 1].value == pytest.approx(float(Fraction(13, 6)), rel=1e-15)
    assert rows["lasten-nuorten-ja-perheiden-palvelut"][POOLED].value == 3
    assert rows["yhteistyo"][2].alignment.indent == 2
    for row in rows.values():
        assert {cell.data_type for cell in row[MEAN - 1 : BLANK + 6]} == {"n"}, row[0].value


def test_it_writes_each_municipalitys_answers_and_when_they_were_submitted(demo_round):
    report = report_build(demo_round, language="fi", include_answers=True)

    answers = exported(report).worksheets[1]

    header = [cell.value for cell in answers[1]]
    assert header[3:] == [node.code for node in report.rated_goals]
    rows = rows_by_code(answers)
    assert [row[1].value for row in rows.values()] == [
        "Kauniainen",
        "Kirkkonummi",
        "Karkkila",
        "Lohja",
        "Hanko",
        "Raasepori",
    ]
    kauniainen = rows["235"]
    # Submitted at 10.00 UTC on 4 December: 12.00 in Helsinki.
    assert (kauniainen[2].value, kauniainen[2].data_type) == (datetime(2024, 12, 4, 12, 0), "d")
    assert (
        kauniainen[3].value
        == Answer.objects.get(
            response__invitation__round=demo_round, response__invitation__municipality__code="235", node__code=header[3]
        ).value
    )
    assert {cell.data_type for row in rows.values() for cell in row[3:]} == {"n"}


def test_it_writes_cant_say_as_its_label_and_leaves_blanks_empty(demo_round):
    answers = Answer.objects.filter(
        response__invitation__round=demo_round, response__invitation__municipality__code="235"
    )
    answers.filter(node__code="sijaishuolto").update(value=None)
    answers.filter(node__code="tietopohja").delete()

    workbook = exported(report_build(demo_round, language="sv", include_answers=True))

    header = [cell.value for cell in workbook.worksheets[1][1]]
    grankulla = rows_by_code(workbook.worksheets[1])["235"]
    assert grankulla[header.index("sijaishuolto")].value == "Kan inte säga"
    assert grankulla[header.index("tietopohja")].value is None
    results = rows_by_code(workbook.worksheets[0])
    assert workbook.worksheets[0].cell(1, DONT_KNOW).value == "Kan inte säga"
    assert results["sijaishuolto"][DONT_KNOW - 1].value == 1
    assert results["tietopohja"][BLANK - 1].value == 1
    assert results["sijaishuolto"][N - 1].value == 5


def test_it_writes_the_comments_with_their_municipalities_and_questions(demo_round):
    report = report_build(demo_round, language="sv", include_answers=True)

    comments = exported(report).worksheets[2]

    rows = [[cell.value for cell in row] for row in comments.iter_rows(min_row=2)]
    expected = Comment.objects.filter(response__invitation__round=demo_round)
    assert len(rows) == expected.count() > 0
    question = report.questions[0]
    grankulla = next(row for row in rows if row[0] == "Grankulla" and row[1] == question.code)
    assert grankulla[2] == question.text
    comment = expected.get(response__invitation__municipality__code="235", question__code=question.code)
    assert grankulla[3] == comment.text


def test_it_writes_formula_like_text_as_text(demo_round):
    comments = Comment.objects.filter(response__invitation__round=demo_round)
    comments.filter(response__invitation__municipality__code="235").update(text='=HYPERLINK("http://x")')
    comments.filter(response__invitation__municipality__code="257").update(text="@SUM(1)")
    _, _, content = exporter.render(report_build(demo_round, language="fi", include_answers=True))

    workbook = openpyxl.load_workbook(io.BytesIO(content))

    cells = {cell.value: cell for row in workbook.worksheets[2].iter_rows(min_row=2) for cell in row}
    for text in ('=HYPERLINK("http://x")', "@SUM(1)"):
        assert (cells[text].data_type, cells[text].quotePrefix) == ("s", True)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name) for name in sheets)


def test_it_tells_what_the_file_holds_on_the_about_sheet(demo_round):
    workbook = exported(report_build(demo_round, language="fi", include_answers=True))

    about = dict(workbook.worksheets[3].iter_rows(min_row=2, max_row=9, values_only=True))
    assert "6/10" in about.values()
    assert "kuntakysely-2024" in about.values()
    assert demo_round.title_fi in about.values()
    assert 3 in about.values()
    assert any(isinstance(value, datetime) for value in about.values())


def test_it_labels_the_columns_with_the_rounds_words_and_freezes_bold_headers(demo_round):
    workbook = exported(report_build(demo_round, language="sv", include_answers=True))

    results = workbook.worksheets[0]
    assert [results.cell(1, column).value for column in range(BLANK + 1, BLANK + 6)] == [
        "5 = Utmärkt",
        "4 = Väl",
        "3 = Någorlunda",
        "2 = Dåligt",
        "1 = Inte alls",
    ]
    assert len(workbook.sheetnames) == 5
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1] if cell.value is not None), sheet.title
        assert sheet.column_dimensions["A"].width > 0


def test_it_flags_values_resting_on_fewer_answers_than_the_minimum(demo_round, settings):
    settings.ARVIO_MIN_N = 7
    report = report_build(demo_round, language="fi", include_answers=True)

    rows = rows_by_code(exported(report).worksheets[0])

    flagged = {code for code, row in rows.items() if row[LOW_N].value}
    assert flagged == {node.code for node in report.nodes if node.value.n < 7}
    assert "sijaishuolto" in flagged and "vammaispalvelut" not in flagged


def test_it_refuses_a_report_without_the_answers(demo_round):
    report = report_build(demo_round, language="fi")

    with pytest.raises(ValueError, match="include_answers"):
        exporter.render(report)
    assert exporter.needs_answers is True
