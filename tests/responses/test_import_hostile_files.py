"""A responses file the import cannot read whole is refused, with the place of each problem, and writes nothing:
formulas and error cells, digits that are not ASCII, unstorable characters, files too big, too long or
inflating to gigabytes."""

import time
import zipfile

import openpyxl
import pytest
from django.utils import translation

from arvio.responses.imports import ResponsesFileError, responses_import
from arvio.responses.models import Response
from tests.responses.test_import_responses import HEADER, write_csv

ROW = "235,4,3,EOS,Teksti,,3.12.2024,Kaisa"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def errors_of(round, path) -> list[str]:
    with pytest.raises(ResponsesFileError) as caught:
        responses_import(round=round, path=path)
    assert not Response.objects.exists()
    return caught.value.errors


def write_xlsx(tmp_path, rows, name="vastaukset.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_it_refuses_a_formula_in_a_rating_cell_by_its_row_and_column(round, tmp_path):
    path = write_xlsx(tmp_path, [HEADER.split(","), ["235", "=2+3", 3, "EOS", "", "", "", ""]])
    assert errors_of(round, path) == [
        'row 2, column "yhteistyo-1": the cell B2 holds a formula (=2+3), not a value; write the value itself'
    ]


def test_it_refuses_a_formula_in_a_text_cell(round, tmp_path):
    path = write_xlsx(tmp_path, [HEADER.split(","), ["235", 4, 3, 2, '=HYPERLINK("x")', "", "", ""]])
    assert errors_of(round, path) == [
        'row 2, column "kehittaminen": the cell E2 holds a formula (=HYPERLINK("x")), not a value; '
        "write the value itself"
    ]


def test_it_reads_a_text_cell_that_starts_with_an_equals_sign_as_text(round, tmp_path):
    path = write_xlsx(tmp_path, [HEADER.split(","), ["235", 4, 3, 2, "= tasapuolisesti", "", "", ""]])
    workbook = openpyxl.load_workbook(path)
    workbook.active["E2"].data_type = "s"
    workbook.save(path)
    responses_import(round=round, path=path)
    assert Response.objects.get().comments.get().text == "= tasapuolisesti"


@pytest.mark.parametrize(
    "value",
    ["٣", "۳", "３", "३", "৩", "๓", "𝟑", "³", "²", "₃", "③", "Ⅲ", "3_0", "+3", "3e0", "9" * 5000, "NaN", "Infinity"],
)
def test_it_takes_a_rating_only_in_ascii_digits(round, tmp_path, value):
    path = write_csv(tmp_path, HEADER, f"235,{value},3,EOS,,,,")
    (error,) = errors_of(round, path)
    assert error.startswith('row 2, column "yhteistyo-1": ')


@pytest.mark.parametrize(("value", "expected"), [("3", 3), ("3,0", 3), ("3.0", 3), ("03", 3), (" 4 ", 4)])
def test_it_still_takes_ascii_decimals_a_spreadsheet_writes(round, tmp_path, value, expected):
    path = write_csv(tmp_path, HEADER, f'235,"{value}",3,EOS,,,,')
    responses_import(round=round, path=path)
    assert Response.objects.get().answers.get(node__code="yhteistyo-1").value == expected


@pytest.mark.parametrize("value", ["٣.١٢.٢٠٢٤", "２０２４-１２-０３"])
def test_it_takes_a_date_only_in_ascii_digits(round, tmp_path, value):
    path = write_csv(tmp_path, HEADER, f"235,4,3,EOS,,,{value},")
    assert errors_of(round, path) == [
        f'row 2, column "submitted_at": "{value}" is not a date like 2024-12-03 or 3.12.2024'
    ]


@pytest.mark.parametrize("text", ["a\x00b", "a\x07b", "a\x1bb"], ids=["nul", "bell", "escape"])
@pytest.mark.parametrize("column", ["kehittaminen", "submitted_by"])
def test_it_refuses_a_text_no_column_can_hold(round, tmp_path, text, column):
    cells = dict(zip(HEADER.split(","), ROW.split(",")))
    cells[column] = text
    path = tmp_path / "vastaukset.csv"
    path.write_text(HEADER + "\n" + ",".join(cells.values()) + "\n", encoding="utf-8")
    (error,) = errors_of(round, path)
    assert error.startswith(f'row 2, column "{column}": The text holds a character that cannot be saved (U+')


def test_it_refuses_a_file_larger_than_the_limit(round, tmp_path, settings):
    settings.ARVIO_IMPORT_MAX_BYTES = 1024 * 1024
    path = write_csv(tmp_path, HEADER, ROW, "927,4,3,EOS," + "x" * (1024 * 1024 // 2 * 3) + ",,,")
    assert errors_of(round, path) == ["the file is 1.5 MB; at most 1 MB can be imported (ARVIO_IMPORT_MAX_BYTES)"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_it_refuses_a_file_with_more_rows_than_the_limit(round, tmp_path, settings, kind):
    settings.ARVIO_IMPORT_MAX_ROWS = 2
    rows = [HEADER.split(","), *[ROW.split(",")] * 5]
    path = write_xlsx(tmp_path, rows) if kind == "xlsx" else write_csv(tmp_path, *(",".join(r) for r in rows))
    errors = errors_of(round, path)
    assert errors[-1] == (
        "row 4: the file has more than 2 rows of responses; at most 2 can be imported (ARVIO_IMPORT_MAX_ROWS)"
    )


def test_it_lists_at_most_a_thousand_problems_and_counts_the_rest(round, tmp_path):
    path = write_csv(tmp_path, HEADER, *["235,x,x,x,,,,"] * 400)
    errors = errors_of(round, path)
    assert len(errors) == 1001
    # Row 2: three bad ratings; rows 3–401: those and 'appears twice', 1,599 problems in all.
    assert errors[-1] == "… and 599 more problems not listed"


def bomb(tmp_path, inflated_mb: int):
    """A valid small workbook whose sheet gets a comment inflating to `inflated_mb` megabytes of zeros."""
    path = write_xlsx(tmp_path, [HEADER.split(","), ROW.split(",")], name="pommi.xlsx")
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    bomb_path = tmp_path / "pommi2.xlsx"
    with zipfile.ZipFile(bomb_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, data in parts.items():
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b"<!--" + b"0" * (inflated_mb * 1024 * 1024) + b"--></worksheet>")
            target.writestr(name, data)
    return bomb_path


def test_it_refuses_a_workbook_that_inflates_hugely_before_inflating_it(round, tmp_path):
    path = bomb(tmp_path, inflated_mb=300)
    assert path.stat().st_size < 1024 * 1024
    started = time.monotonic()
    errors = errors_of(round, path)
    assert time.monotonic() - started < 5
    assert errors == [
        "the workbook would unpack to 300 MB, too much for a responses file; "
        "save only the responses' sheet, without images or other sheets"
    ]


def test_it_refuses_a_part_compressed_far_more_than_a_workbook_is(round, tmp_path, settings):
    path = bomb(tmp_path, inflated_mb=20)
    assert errors_of(round, path)[0].startswith("the workbook would unpack to 20")


def test_it_refuses_a_workbook_that_lies_about_its_size(round, tmp_path):
    """A part that declares less than it holds stops at its declared size and fails its checksum."""
    path = bomb(tmp_path, inflated_mb=20)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    small = (1000).to_bytes(4, "little")
    true_size = info.file_size.to_bytes(4, "little")
    data = data.replace(true_size, small)
    path.write_bytes(bytes(data))
    assert errors_of(round, path) == ["the file is not an Excel workbook (.xlsx)"]


def test_it_refuses_a_file_that_is_not_a_zip(round, tmp_path):
    path = tmp_path / "vastaukset.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    assert errors_of(round, path) == ["the file is not an Excel workbook (.xlsx)"]


def test_it_reads_a_large_csv_row_by_row(round, tmp_path, settings):
    """The rows are not kept: a file of many bad rows is read to its end with its problems counted."""
    settings.ARVIO_IMPORT_MAX_ROWS = 100_000
    path = tmp_path / "iso.csv"
    with path.open("w", encoding="utf-8") as file:
        file.write(HEADER + "\n" + ROW + "\n")
        for _ in range(20_000):
            file.write("999,4,3,EOS,,,,\n")
    errors = errors_of(round, path)
    assert errors[-1] == "… and 19000 more problems not listed"
