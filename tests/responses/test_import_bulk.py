"""The importer at scale: checked whole before it writes, then written in bulk (responses/imports.py)."""

import csv
import string
from datetime import datetime
from itertools import product

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from arvio.invitations.models import Invitation
from arvio.lib.dates import HELSINKI
from arvio.records.models import AuditEntry
from arvio.responses import imports
from arvio.responses.imports import ResponsesFileError, responses_import, responses_parse, responses_write
from arvio.responses.models import Answer, Comment, Response
from arvio.surveys.models import Municipality

HEADER = ["municipality", "yhteistyo-1", "yhteistyo-2", "osallisuus", "kehittaminen", "muuta", "submitted_at"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def invite(round, count: int) -> list[str]:
    """Invites `count` generated municipalities to the round; their codes ("a00", "a01", …) begin with
    a letter, so that they clash with no real code."""
    letters = string.ascii_lowercase + string.digits
    codes = ["".join(chars) for chars in product(string.ascii_lowercase, letters, letters)][:count]
    municipalities = Municipality.objects.bulk_create(
        Municipality(code=code, name_fi=f"Kunta {code}", name_sv=f"Kommun {code}", language="fi") for code in codes
    )
    Invitation.objects.bulk_create(
        Invitation(round=round, municipality=municipality, order=index)
        for index, municipality in enumerate(municipalities)
    )
    return codes


def row_of(code: str, index: int) -> list:
    """A row whose values follow from its index: every kind of cell the format allows."""
    rating = "EOS" if index % 7 == 0 else str(index % 5 + 1)
    return [
        code,
        rating,
        "" if index % 3 == 0 else str((index + 1) % 5 + 1),
        str((index + 2) % 5 + 1),
        f"teksti {index}",
        "",
        "3.12.2024",
    ]


def expected_answers(code: str, index: int) -> dict:
    answers = {"yhteistyo-1": None if index % 7 == 0 else index % 5 + 1, "osallisuus": (index + 2) % 5 + 1}
    if index % 3:
        answers["yhteistyo-2"] = (index + 1) % 5 + 1
    return answers


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def stored(round) -> tuple[dict, dict]:
    answers: dict[str, dict] = {}
    for code, node, value in Answer.objects.filter(response__invitation__round=round).values_list(
        "response__invitation__municipality__code", "node__code", "value"
    ):
        answers.setdefault(code, {})[node] = value
    comments = dict(
        Comment.objects.filter(response__invitation__round=round).values_list(
            "response__invitation__municipality__code", "text"
        )
    )
    return answers, comments


@pytest.mark.parametrize("write", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_it_imports_ten_thousand_rows_exactly(round, tmp_path, settings, write):
    settings.ARVIO_IMPORT_MAX_ROWS = 10_000
    codes = invite(round, 10_000)
    path = write(tmp_path / f"vastaukset.{write.__name__[-4:].strip('_')}", [row_of(c, i) for i, c in enumerate(codes)])

    result = responses_import(round=round, path=path)

    assert sorted(result.created) == sorted(codes) and result.replaced == []
    answers, comments = stored(round)
    assert answers == {code: expected_answers(code, index) for index, code in enumerate(codes)}
    assert comments == {code: f"teksti {index}" for index, code in enumerate(codes)}
    responses = Response.objects.filter(invitation__municipality__code__in=codes)
    assert responses.count() == 10_000
    assert set(responses.values_list("version", "submitted_version", "submission_count", "source")) == {
        (1, 1, 1, Response.Source.IMPORT)
    }
    assert set(responses.values_list("submitted_at", flat=True)) == {datetime(2024, 12, 3, 12, 0, tzinfo=HELSINKI)}
    sample = responses.get(invitation__municipality__code=codes[14])
    assert sample.draft == {
        "ratings": {"yhteistyo-1": "eos", "yhteistyo-2": 1, "osallisuus": 2},
        "comments": {"kehittaminen": "teksti 14"},
    }
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.RESPONSES_IMPORT, round_code=round.code)
    assert entries.count() == 10_000
    assert entries.get(municipality_code=codes[14]).detail == {"row": 16}


def test_a_bad_file_lists_every_bad_cell_by_row_and_column_and_stores_nothing(round, tmp_path, settings):
    settings.ARVIO_IMPORT_MAX_ROWS = 3_000
    codes = invite(round, 3_000)
    rows = [row_of(code, index) for index, code in enumerate(codes)]
    rows[10][1] = "6"
    rows[1500][3] = "kolme"
    rows[2999][6] = "32.13.2024"
    rows[2000][0] = "zzz"
    path = write_csv(tmp_path / "vastaukset.csv", rows)

    with pytest.raises(ResponsesFileError) as caught:
        responses_import(round=round, path=path)

    assert caught.value.errors == [
        'row 12, column "yhteistyo-1": 6 is not on the scale 1–5',
        'row 1502, column "osallisuus": "kolme" is not a number on the scale 1–5 or EOS',
        'row 2002, column "municipality": "zzz" is not invited to the round testikierros',
        'row 3001, column "submitted_at": "32.13.2024" is not a date like 2024-12-03 or 3.12.2024',
    ]
    assert not Response.objects.exists()
    assert not Answer.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.RESPONSES_IMPORT).exists()


def test_the_queries_of_an_import_grow_with_its_batches_not_its_rows(round, tmp_path, settings, monkeypatch):
    settings.ARVIO_IMPORT_MAX_ROWS = 2_000
    monkeypatch.setattr(imports, "WRITE_BATCH", 500)
    codes = invite(round, 2_000)

    def queries_of(rows) -> int:
        path = write_csv(tmp_path / f"rows-{len(rows)}.csv", rows)
        with CaptureQueriesContext(connection) as queries:
            responses_import(round=round, path=path, replace=True)
        return len(queries)

    one_batch = queries_of([row_of(code, index) for index, code in enumerate(codes[:500])])
    four_batches = queries_of([row_of(code, index) for index, code in enumerate(codes[:2000])])

    # The rows of a batch are written in a number of queries that does not depend on them; only
    # SQLite's limit of parameters per statement splits the answers' inserts further.
    assert four_batches <= 4 * one_batch + 10
    assert four_batches < 2_000 / 20


def test_the_write_refuses_a_municipality_that_submitted_after_the_check(round, tmp_path):
    path = write_csv(
        tmp_path / "vastaukset.csv", [["235", "4", "3", "2", "", "", ""], ["927", "1", "", "", "", "", ""]]
    )
    parsed = responses_parse(round=round, path=path)
    assert [invitee.code for invitee in (row.invitee for row in parsed.rows)] == ["235", "927"]
    assert parsed.replacing == []
    vihti = round.invitations.get(municipality__code="927")
    Response.objects.create(invitation=vihti, submitted_at=datetime(2024, 11, 20, tzinfo=HELSINKI), version=1)

    with pytest.raises(ResponsesFileError) as caught:
        responses_write(parsed=parsed)

    assert caught.value.errors == [
        "row 3: Vihti (927) has already submitted a response; import with replace to overwrite it"
    ]
    assert not Response.objects.filter(invitation__municipality__code="235").exists()
    assert not Answer.objects.exists()


def test_a_parse_tells_which_submitted_responses_it_would_replace(round, tmp_path):
    vihti = round.invitations.get(municipality__code="927")
    Response.objects.create(invitation=vihti, submitted_at=datetime(2024, 11, 20, tzinfo=HELSINKI), version=1)
    path = write_csv(
        tmp_path / "vastaukset.csv", [["235", "4", "3", "2", "", "", ""], ["927", "1", "", "", "", "", ""]]
    )

    parsed = responses_parse(round=round, path=path, replace=True)

    assert parsed.count == 2
    assert [str(invitee) for invitee in parsed.replacing] == ["Vihti (927)"]
    assert not Answer.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps no planner statistics to bring up to date")
def test_a_large_import_brings_postgresqls_statistics_of_its_tables_up_to_date(round, tmp_path, settings):
    settings.ARVIO_IMPORT_MAX_ROWS = 2_000
    codes = invite(round, imports.ANALYZE_AFTER_ROWS)
    path = write_csv(tmp_path / "vastaukset.csv", [row_of(code, index) for index, code in enumerate(codes)])

    responses_import(round=round, path=path)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)",
            [[model._meta.db_table for model in (Response, Answer, Comment, AuditEntry)]],
        )
        estimates = dict(cursor.fetchall())
    # The planner's estimate of each table's rows counts what the import wrote, in its own transaction.
    assert estimates[Response._meta.db_table] >= len(codes) and estimates[Comment._meta.db_table] >= len(codes)
    assert estimates[Answer._meta.db_table] >= 2 * len(codes) and estimates[AuditEntry._meta.db_table] >= len(codes)
