"""The audit log's page and CSV: evaluation staff read and filter it; nobody else sees it; nothing changes it."""

import csv
import io
from datetime import datetime

import pytest

from arvio.lib.dates import HELSINKI
from arvio.records.models import AuditEntry
from arvio.records.services import record
from tests.factories import make_round

pytestmark = pytest.mark.django_db

URL = "/staff/records/"
CSV_URL = "/staff/records/csv/"
A = AuditEntry.Action


def entry(at, action=A.ROUND_CLOSE, *, by=None, round_code="testikierros", municipality_code="", **kwargs):
    made = record(action=action, by=by, round_code=round_code, municipality_code=municipality_code, **kwargs)
    # `at` is the moment `record` stamps; a test that needs another one inserts the entry afresh.
    AuditEntry.objects.filter(pk=made.pk).expire()
    made.pk, made.at = None, at
    made._state.adding = True
    made.save()
    return made


@pytest.fixture
def log(staff, viewer, round):
    # A second round of the same organizer: staff read the entries of their organizers' rounds.
    make_round("toinen")
    return [
        entry(datetime(2024, 11, 6, 9, 0, tzinfo=HELSINKI), A.INVITATION_SEND, by=staff, municipality_code="235"),
        entry(datetime(2024, 11, 20, 23, 30, tzinfo=HELSINKI), A.DEADLINE_EXTEND, by=staff, municipality_code="710"),
        entry(datetime(2024, 12, 6, 8, 0, tzinfo=HELSINKI), A.ROUND_CLOSE),
        entry(
            datetime(2025, 1, 2, 12, 0, tzinfo=HELSINKI),
            A.REPORT_EXPORT,
            by=viewer,
            round_code="toinen",
            detail={"format": "pptx", "answers": False},
        ),
    ]


def rows(response) -> str:
    return " ".join(response.content.decode().split("<tbody>")[1].split("</tbody>")[0].split())


def test_it_sends_anonymous_to_login(client):
    for url in (URL, CSV_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/staff/login/?next=")


@pytest.mark.parametrize("person", ["viewer", "outsider"])
def test_it_forbids_viewers_and_outsiders(client, request, person, log):
    client.force_login(request.getfixturevalue(person))
    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403
    assert not AuditEntry.objects.filter(action=A.RECORDS_EXPORT).exists()


def test_it_links_the_log_for_staff_only(client, staff, viewer):
    client.force_login(staff)
    assert 'href="/staff/records/"' in client.get("/staff/").content.decode()
    client.force_login(viewer)
    assert 'href="/staff/records/"' not in client.get("/staff/").content.decode()


def test_it_lists_every_entry_newest_first(client, staff, log):
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    table = rows(response)
    assert "4 entries" in response.content.decode()
    assert table.index("2.1.2025 12.00") < table.index("6.12.2024 8.00") < table.index("6.11.2024 9.00")
    assert "<td>Extended the deadline</td> <td>staff</td> <td>testikierros</td> <td>710</td>" in table
    assert "<td>Exported a report</td> <td>viewer</td> <td>toinen</td>" in table
    assert "format: pptx; with each municipality&#x27;s answers: no" in table


def test_it_names_the_system_account_of_a_command(client, staff, log):
    client.force_login(staff)
    assert "<td>Command (" in rows(client.get(URL))


@pytest.mark.parametrize(
    ("query", "actions"),
    [
        ("round=toinen", ["report_export"]),
        ("municipality=710", ["deadline_extend"]),
        ("action=invitation_send", ["invitation_send"]),
        ("user=viewer", ["report_export"]),
        ("user=%28system%29", ["round_close"]),
        # Helsinki days, both ends included: 23.30 on the 20th is still the 20th.
        ("since=2024-11-20&until=2024-12-06", ["round_close", "deadline_extend"]),
        ("until=2024-11-06", ["invitation_send"]),
        ("round=testikierros&municipality=235&action=invitation_send&user=staff", ["invitation_send"]),
    ],
)
def test_it_filters(client, staff, log, query, actions):
    client.force_login(staff)
    response = client.get(f"{CSV_URL}?{query}")
    assert response.status_code == 200
    found = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    assert [row[2] for row in found] == actions
    page = client.get(f"{URL}?{query}")
    assert page.status_code == 200
    assert page.content.decode().count("<tr>") == len(actions) + 1  # the head's row and one per entry


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=yesterday", "From: Enter the first day as a date, for example 2024-11-06."),
        ("until=2024-13-45", "To: Enter the last day as a date, for example 2024-12-05."),
        ("since=2024-12-06&until=2024-11-06", "To: The last day cannot be before the first day."),
        ("action=delete_everything", "Action: Select a valid choice."),
        ("round=%00", "Round: Select a valid choice."),
    ],
)
def test_it_explains_a_filter_it_cannot_use(client, staff, log, query, message):
    client.force_login(staff)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert 'aria-invalid="true"' in response.content.decode()
    download = client.get(f"{CSV_URL}?{query}")
    assert download.status_code == 400
    assert message in download.content.decode()
    assert AuditEntry.objects.count() == len(log)


def test_it_pages_through_a_long_log_keeping_the_filters(client, staff, round):
    for _ in range(51):
        record(action=A.RESPONSE_VIEW, by=staff, round_code="testikierros")
    record(action=A.ROUND_CLOSE, by=staff, round_code="testikierros")
    client.force_login(staff)
    first = client.get(f"{URL}?action=response_view").content.decode()
    assert "51 entries" in first and "Page 1 of 2" in first
    assert first.count("<td>Viewed answers</td>") == 50
    assert 'href="?action=response_view&amp;page=2"' in first
    second = client.get(f"{URL}?action=response_view&page=2").content.decode()
    assert second.count("<td>Viewed answers</td>") == 1
    # A page number that is no number shows the first page, not an error.
    assert client.get(f"{URL}?page=x%00").status_code == 200


def test_it_downloads_the_filtered_entries_as_csv_and_records_that(client, staff, log):
    client.force_login(staff)
    response = client.get(f"{CSV_URL}?round=testikierros", REMOTE_ADDR="203.0.113.9")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="arvio-audit-log-')
    assert response.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == [
        "When",
        "Action",
        "Action code",
        "User",
        "User id",
        "System account",
        "Round",
        "Municipality",
        "Address",
        "Detail",
    ]
    assert table[1][:4] == ["2024-12-06 08:00:00", "Closed the round", "round_close", ""]
    assert table[3][6:8] == ["testikierros", "235"]
    assert len(table) == 4
    download = AuditEntry.objects.get(action=A.RECORDS_EXPORT)
    assert (download.username, download.address, download.detail) == (
        "staff",
        "203.0.113.9",
        {"rows": 3, "round": "testikierros"},
    )


def test_it_writes_the_csv_with_semicolons_in_finnish_and_no_formula(client, staff, settings):
    record(action=A.SURVEY_IMPORT, by=staff, round_code="testikierros", detail={"file": "=HYPERLINK(x).yaml"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    client.force_login(staff)
    text = client.get(CSV_URL).content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))[:2]
    assert header[0] == "Aika"
    assert row[9] == '{"file": "=HYPERLINK(x).yaml"}'
    record(action=A.SURVEY_IMPORT, by=staff, round_code="=cmd", detail={})
    text = client.get(CSV_URL + "?action=survey_import").content.decode("utf-8-sig")
    assert "'=cmd" in text


def test_it_offers_no_way_to_change_an_entry(client, staff, log):
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert 'method="post"' not in content.split("<main")[1]
    assert client.post(URL).status_code in (403, 405)
    assert client.delete(URL).status_code in (403, 405)
    assert AuditEntry.objects.count() == len(log)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", ["Tapahtumaloki", "Toimenpide", "Jatkoi määräaikaa"]),
        ("sv", ["Händelselogg", "Åtgärd", "Förlängde tidsfristen"]),
    ],
)
def test_it_speaks_the_users_language(client, staff, log, settings, language, words):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(staff)
    content = client.get(URL).content.decode()
    for word in words:
        assert word in content
