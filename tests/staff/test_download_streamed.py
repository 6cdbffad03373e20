"""The results download is streamed: written as it is sent, the same bytes as the export, recorded as before."""

import io
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command

from arvio.records.models import AuditEntry
from arvio.results.formats import exporters
from arvio.results.report import report_build
from arvio.surveys.models import Round

URL = "/staff/rounds/kuntakysely-2024/results/download/"


@pytest.fixture
def demo(db):
    call_command("demo", "--no-publish", stdout=StringIO())
    return Round.objects.get(code="kuntakysely-2024")


@pytest.mark.parametrize("table", ["results", "answers", "respondents"])
def test_it_streams_the_csv_byte_for_byte_as_the_export(client, staff, demo, table):
    client.force_login(staff)
    response = client.get(URL, {"format": "csv", "lang": "sv", "table": table})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="kuntakysely-2024-sv-{table}.csv"'
    report = report_build(demo, language="sv", include_answers=table == "answers")
    assert b"".join(response.streaming_content) == exporters()["csv"].render(report, table=table)[2]
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.REPORT_EXPORT).latest("pk")
    assert entry.detail["format"] == "csv" and entry.detail["table"] == table
    assert entry.detail["answers"] is (table == "answers")


def test_it_streams_the_xlsx_with_the_same_sheets_as_the_export(client, staff, demo, time_machine):
    # The about sheet says when the file was made: both are made at the same moment.
    time_machine.move_to("2025-01-10 12:00:00+02:00", tick=False)
    client.force_login(staff)
    response = client.get(URL, {"format": "xlsx", "lang": "fi"})
    assert response.status_code == 200 and response.streaming
    streamed = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    exported = zipfile.ZipFile(
        io.BytesIO(exporters()["xlsx"].render(report_build(demo, language="fi", include_answers=True))[2])
    )
    assert streamed.namelist() == exported.namelist()
    # Only the workbook's properties differ: they carry the moment it was made.
    for name in exported.namelist():
        if name != "docProps/core.xml":
            assert streamed.read(name) == exported.read(name), name
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REPORT_EXPORT, detail__format="xlsx").count() == 1


def test_it_refuses_a_viewer_the_answers_before_streaming_anything(client, viewer, outsider, demo):
    client.force_login(viewer)
    assert client.get(URL, {"format": "xlsx", "lang": "fi"}).status_code == 403
    respondents = client.get(URL, {"format": "csv", "lang": "fi", "table": "respondents"})
    assert respondents.status_code == 200 and b"Espoo" in respondents.getvalue()
    client.force_login(outsider)
    assert client.get(URL, {"format": "csv", "lang": "fi", "table": "respondents"}).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REPORT_EXPORT, detail__format="xlsx").exists()
