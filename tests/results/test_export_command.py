"""`arvio export ROUND --format F --lang L -o PATH` writes the report the results page offers for download."""

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from arvio.results.formats import exporters
from tests.seed import NOT_ANSWERED

pytestmark = pytest.mark.django_db

ROUND = "kuntakysely-2024"


def read_back(format: str, content: bytes) -> str:
    """The file's text as its own reader sees it."""
    if format == "html":
        return content.decode("utf-8")
    if format == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if format == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        return "\n".join(
            "\t".join("" if cell is None else str(cell) for cell in row)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if format == "pptx":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml"))
    if format == "csv":
        assert content.startswith(b"\xef\xbb\xbf")
        return "\n".join(";".join(row) for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    if format == "json":
        return json.dumps(json.loads(content), ensure_ascii=False)
    raise AssertionError(format)


@pytest.fixture
def demo():
    call_command("demo", "--no-publish", stdout=io.StringIO())


def export(*args) -> str:
    err = io.StringIO()
    call_command("export", ROUND, *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


@pytest.mark.parametrize("format", list(exporters()))
@pytest.mark.parametrize(
    "language, document", [("fi", "Pelastustoimen palvelutasopäätös"), ("sv", "Räddningsväsendets servicenivåbeslut")]
)
def test_it_writes_the_report_in_each_format_and_language(demo, tmp_path, format, language, document):
    path = tmp_path / f"report.{format}"

    output = export("--format", format, "--lang", language, "-o", str(path))

    assert str(path) in output
    text = read_back(format, path.read_bytes())
    # A spreadsheet holds the value as a number, shown with the reader's decimal sign.
    assert ("2.7" if format == "xlsx" else "2,7") in text
    assert document in text


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_writes_the_html_report_in_the_asked_language(demo, tmp_path, language):
    path = tmp_path / "report.html"

    export("--format", "html", "--lang", language, "-o", str(path))

    html = path.read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in html
    assert "6/10" in html
    assert ("Pelastustoimen palvelutasopäätös" in html) == (language == "fi")
    assert ("Räddningsväsendets servicenivåbeslut" in html) == (language == "sv")


def test_it_writes_the_pdf_report(demo, tmp_path):
    path = tmp_path / "report.pdf"

    export("--format", "pdf", "--lang", "fi", "-o", str(path))

    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "6/10" in text
    for name in NOT_ANSWERED:
        assert name in text
    assert (round(float(reader.pages[0].mediabox.width)), round(float(reader.pages[0].mediabox.height))) == (842, 595)


def test_it_names_the_file_after_the_round_and_language_in_the_current_directory(demo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    export("--format", "html", "--lang", "sv")

    assert [path.name for path in tmp_path.iterdir()] == ["kuntakysely-2024-sv.html"]


def test_it_writes_each_municipalitys_answers_when_the_table_is_asked_for(demo, tmp_path):
    path = tmp_path / "answers.csv"

    export("--format", "csv", "--table", "answers", "--delimiter", "comma", "-o", str(path))

    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    answered = {"Kauniainen", "Kirkkonummi", "Karkkila", "Lohja", "Hanko", "Raasepori"}
    assert answered <= {cell for row in rows for cell in row}
    assert not set(NOT_ANSWERED) & {cell for row in rows for cell in row}


def test_it_refuses_an_unknown_round(demo, tmp_path):
    with pytest.raises(CommandError, match="no-such-round"):
        call_command("export", "no-such-round", "--format", "html", "-o", str(tmp_path / "x.html"))
    assert not (tmp_path / "x.html").exists()


def test_it_refuses_csv_options_for_other_formats(demo, tmp_path):
    with pytest.raises(CommandError):
        export("--format", "pdf", "--table", "answers", "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
