import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from arvio.results.formats import exporters
from tests.factories import make_round
from tests.invitations.helpers import AFTER_ROUND, submit

URL = "/staff/rounds/kuntakysely-2024/results/download/"
SMALL_URL = "/staff/rounds/testikierros/results/download/"

# What each format's file starts with, so that a download is known to be the file it claims to be.
MAGIC = {
    "pptx": b"PK\x03\x04",
    "xlsx": b"PK\x03\x04",
    "pdf": b"%PDF-",
    "csv": b"\xef\xbb\xbf",
    "html": b"<!doctype html>",
    "json": b"{",
}


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def demo(db):
    call_command("demo", "--no-publish", stdout=StringIO())


@pytest.fixture
def small_round(db):
    round = make_round()
    for invitation, values in zip(
        round.invitations.order_by("order", "pk"),
        [
            {"yhteistyo-1": 2, "yhteistyo-2": 3, "osallisuus": 4},
            {"yhteistyo-1": 3, "yhteistyo-2": None, "osallisuus": 2},
        ],
        strict=False,
    ):
        submit(invitation, at=AFTER_ROUND, values=values)
    return round


def test_it_sends_anonymous_to_login(client, small_round):
    response = client.get(SMALL_URL, {"format": "json", "lang": "fi"})
    assert response.status_code == 302
    assert response.url.startswith("/staff/login/?next=")


def test_it_forbids_an_outsider(client, outsider, small_round):
    client.force_login(outsider)
    assert client.get(SMALL_URL, {"format": "json", "lang": "fi"}).status_code == 403


def test_it_says_404_for_an_unknown_round(client, staff, small_round):
    client.force_login(staff)
    response = client.get("/staff/rounds/no-such-round/results/download/", {"format": "json", "lang": "fi"})
    assert response.status_code == 404


@pytest.mark.parametrize("name", list(exporters()))
def test_it_downloads_every_format_as_an_attachment(client, staff, demo, name):
    exporter = exporters()[name]
    client.force_login(staff)
    response = client.get(URL, {"format": name, "lang": "fi"})
    assert response.status_code == 200
    assert response["Content-Type"] == exporter.content_type
    filename = response["Content-Disposition"].removeprefix('attachment; filename="').removesuffix('"')
    assert filename.startswith("kuntakysely-2024-fi")
    assert filename.endswith(f".{exporter.extension}")
    assert response.getvalue()[: len(MAGIC[name])].lower() == MAGIC[name].lower()


def test_it_builds_the_report_in_the_language_asked(client, viewer, demo):
    client.force_login(viewer)
    finnish = client.get(URL, {"format": "json", "lang": "fi"})
    swedish = client.get(URL, {"format": "json", "lang": "sv"})
    assert 'filename="kuntakysely-2024-sv.json"' in swedish["Content-Disposition"]
    summary_fi = json.loads(finnish.getvalue())["summary"]
    summary_sv = json.loads(swedish.getvalue())["summary"]
    assert summary_fi[0]["display"] == summary_sv[0]["display"] == "2,2"
    assert summary_sv[-1]["label"] != summary_fi[-1]["label"]
    assert summary_sv[-1]["label"].startswith("räddningsväsendet")


@pytest.mark.parametrize("name", list(exporters()))
def test_it_gives_a_viewer_only_the_formats_without_answers(client, viewer, small_round, name):
    exporter = exporters()[name]
    client.force_login(viewer)
    response = client.get(SMALL_URL, {"format": name, "lang": "fi"})
    assert response.status_code == (403 if exporter.needs_answers else 200)


def _csv_rows(response, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=delimiter))


def test_it_gives_the_csv_with_the_delimiter_asked(client, viewer, small_round):
    client.force_login(viewer)
    # A streamed response's body can be read once.
    semicolons = client.get(SMALL_URL, {"format": "csv", "lang": "fi", "delimiter": "semicolon", "table": "results"})
    commas = client.get(SMALL_URL, {"format": "csv", "lang": "fi", "delimiter": "comma", "table": "results"})
    semicolon_bytes, comma_bytes = semicolons.getvalue(), commas.getvalue()
    semicolon_rows = list(csv.reader(io.StringIO(semicolon_bytes.decode("utf-8-sig")), delimiter=";"))
    assert semicolon_rows == list(csv.reader(io.StringIO(comma_bytes.decode("utf-8-sig")), delimiter=","))
    assert len(semicolon_rows[0]) > 5
    assert semicolon_bytes != comma_bytes


def test_it_gives_the_csv_with_the_languages_usual_delimiter_unless_asked(client, viewer, small_round):
    client.force_login(viewer)
    finnish = client.get(SMALL_URL, {"format": "csv", "lang": "fi", "delimiter": "", "table": "results"})
    english = client.get(SMALL_URL, {"format": "csv", "lang": "en"})
    assert finnish.getvalue().decode("utf-8-sig").split("\r\n")[0].count(";") > 5
    assert english.getvalue().decode("utf-8-sig").split("\r\n")[0].count(",") > 5


def test_it_gives_staff_the_csv_answers_table(client, staff, small_round):
    client.force_login(staff)
    response = client.get(SMALL_URL, {"format": "csv", "lang": "fi", "delimiter": "semicolon", "table": "answers"})
    assert response.status_code == 200
    rows = _csv_rows(response, ";")
    assert [row[1] for row in rows[1:]] == ["Kauniainen", "Raasepori"]
    assert "En osaa sanoa" in rows[2]


def test_it_refuses_a_viewer_the_csv_answers_table(client, viewer, small_round):
    client.force_login(viewer)
    response = client.get(SMALL_URL, {"format": "csv", "lang": "fi", "delimiter": "semicolon", "table": "answers"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        {"format": "docx", "lang": "fi"},
        {"lang": "fi"},
        {"format": "json", "lang": "de"},
        {"format": "json"},
        {"format": "csv", "lang": "fi", "delimiter": "tab"},
        {"format": "csv", "lang": "fi", "table": "everything"},
    ],
)
def test_it_says_400_for_what_it_does_not_know(client, staff, small_round, query):
    client.force_login(staff)
    response = client.get(SMALL_URL, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("Unknown ")


def test_it_says_400_in_the_users_language(client, staff, small_round, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    client.force_login(staff)
    response = client.get(SMALL_URL, {"format": "json", "lang": "de"})
    assert response.status_code == 400
    with translation.override("sv"):
        expected = gettext("Unknown language. Choose one of: %(choices)s.") % {"choices": "fi, sv, en"}
    assert response.content.decode() == expected
