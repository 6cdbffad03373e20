"""The published reports as JSON with an OpenAPI description (public/api.py, django-ninja)."""

import json
from pathlib import Path

import pytest

from arvio.public.api import PublishedRound, Report
from arvio.public.models import Publication
from arvio.public.services import publication_publish, publication_withdraw
from tests.invitations.helpers import DURING_ROUND, submit
from tests.results.test_json import schema_errors

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "report.schema.json").read_text(encoding="utf-8"))
API = "/api/reports/v1"


@pytest.fixture
def published(round, staff, after_round):
    for code, value in (("235", 4), ("710", 2), ("927", 3)):
        submit(round.invitations.get(municipality__code=code), at=DURING_ROUND, values={"osallisuus": value})
    return publication_publish(round=round, by=staff)


def test_its_openapi_document_describes_both_addresses(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Arvio: published reports"
    assert set(document["paths"]) == {
        f"{API}/{{organizer}}/",
        f"{API}/{{organizer}}/{{round_code}}/",
        f"{API}/{{organizer}}/{{round_code}}/{{version}}/",
    }
    for path in document["paths"].values():
        assert set(path) == {"get"}  # read-only
    assert {"PublishedRound", "Report"} <= set(document["components"]["schemas"])
    # No interactive docs: they would load a script from another site.
    assert client.get(f"{API}/docs/").status_code == 404


def test_it_lists_an_organizers_published_rounds(client, published):
    response = client.get(f"{API}/luvn/?lang=sv")
    assert response.status_code == 200
    rounds = response.json()
    assert [item["code"] for item in rounds] == ["testikierros"]
    PublishedRound.model_validate(rounds[0])
    assert rounds[0]["title"] == "Kommunenkät"
    assert rounds[0]["version"] == 1
    assert rounds[0]["page"] == "http://testserver/reports/luvn/testikierros/1/"
    assert rounds[0]["report"]["fi"] == f"http://testserver{API}/luvn/testikierros/1/?lang=fi"
    assert {(item["language"], item["format"]) for item in rounds[0]["downloads"]} >= {("fi", "pdf"), ("sv", "json")}


def test_it_serves_the_reports_json_export_as_published(client, published):
    response = client.get(f"{API}/luvn/testikierros/?lang=fi")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert schema_errors(data, SCHEMA) == []
    Report.model_validate(data)
    assert data["language"] == "fi"
    assert data["round"]["code"] == "testikierros"
    stored = published.files.get(format="json", language="fi")
    assert response.content == bytes(stored.content)
    assert client.get(f"{API}/luvn/testikierros/1/?lang=sv").json()["language"] == "sv"


def test_it_is_cacheable(client, published):
    response = client.get(f"{API}/luvn/testikierros/?lang=fi")
    assert "public" in response["Cache-Control"]
    assert (
        client.get(f"{API}/luvn/testikierros/?lang=fi", headers={"If-None-Match": response["ETag"]}).status_code == 304
    )
    since = client.get(f"{API}/luvn/testikierros/?lang=fi", headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304


def test_it_answers_what_is_not_there(client, published, staff):
    assert client.get(f"{API}/nobody/").status_code == 404
    assert client.get(f"{API}/luvn/nothing/").status_code == 404
    assert client.get(f"{API}/luvn/testikierros/7/").status_code == 404
    assert client.get(f"{API}/luvn/testikierros/?lang=de").status_code == 422
    assert client.post(f"{API}/luvn/testikierros/").status_code == 405
    publication_withdraw(round=published.round, by=staff)
    withdrawn = client.get(f"{API}/luvn/testikierros/")
    assert withdrawn.status_code == 410
    assert "withdrawn" in withdrawn.json()["detail"]
    assert client.get(f"{API}/luvn/").json() == []
    assert Publication.objects.count() == 1
