"""Publishing a closed round's report: the public pages, frozen as published, their versions and withdrawal."""

import io
import json
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from arvio.invitations.models import Invitation
from arvio.public.models import Publication, PublishedFile
from arvio.public.services import NotPublishable, publication_publish
from arvio.records.models import AuditEntry
from arvio.responses.models import Comment
from arvio.results.services import excerpt_create, excerpt_update, narrative_save
from tests.factories import make_municipality
from tests.invitations.helpers import DURING_ROUND, submit

pytestmark = pytest.mark.django_db

PUBLISH = "/staff/rounds/testikierros/publication/publish/"
WITHDRAW = "/staff/rounds/testikierros/publication/withdraw/"
PAGE = "/reports/luvn/testikierros/"


@pytest.fixture
def answered(round):
    for code, value in (("235", 4), ("710", 2), ("927", 3)):
        submit(
            round.invitations.get(municipality__code=code),
            at=DURING_ROUND,
            values={"yhteistyo-1": value, "yhteistyo-2": 3, "osallisuus": 5},
        )
    return round


@pytest.fixture
def published(client, staff, answered, after_round):
    client.force_login(staff)
    narrative_save(round=answered, language="fi", text="Kunnat arvioivat yhteistyön kohtalaiseksi.", by=staff)
    narrative_save(round=answered, language="sv", text="Kommunerna bedömde samarbetet som någorlunda.", by=staff)
    assert client.post(PUBLISH).status_code == 302
    client.logout()
    return Publication.objects.get(round=answered)


def test_staff_publish_a_closed_rounds_report(published, client):
    assert published.version == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REPORT_PUBLISH)
    assert entry.round_code == "testikierros" and entry.username == "staff" and entry.detail == {"version": 1}
    # Every format in every language, rendered once.
    assert set(published.files.values_list("language", "format")) == {
        (language, format)
        for language in ("fi", "sv", "en")
        for format in ("pptx", "pdf", "html", "xlsx", "csv", "json")
    }

    assert client.get(PAGE).status_code == 200  # no login


def test_the_public_page_holds_the_report_in_finnish_and_swedish(published, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    finnish = client.get(PAGE)
    assert finnish.status_code == 200
    assert '<html lang="fi">' in finnish.text
    assert "<h1>Kuntakysely</h1>" in finnish.text
    assert "Kunnat arvioivat yhteistyön kohtalaiseksi." in finnish.text
    assert "Yhteistyö on toimivaa ja tavoitteellista." in finnish.text
    assert 'class="chart"' in finnish.text
    assert "Kauniainen" in finnish.text  # the municipalities and whether they answered, as the deck lists them
    assert 'href="/accessibility/"' in finnish.text
    assert "johtaja@" not in finnish.text  # no contact people

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    swedish = client.get(PAGE)
    assert '<html lang="sv">' in swedish.text
    assert "<h1>Kommunenkät</h1>" in swedish.text
    assert "Kommunerna bedömde samarbetet som någorlunda." in swedish.text


def test_its_address_may_name_the_language_whoever_opens_it(published, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    swedish = client.get(PAGE + "?lang=sv")
    assert '<html lang="sv">' in swedish.text and "<h1>Kommunenkät</h1>" in swedish.text
    assert f'<link rel="alternate" hreflang="fi" href="{PAGE}?lang=fi">' in swedish.text
    assert "<h1>Kuntakysely</h1>" in client.get(PAGE).text  # the reader's own choice stays as it was
    organizer = client.get("/reports/luvn/?lang=sv")
    assert '<html lang="sv">' in organizer.text and "Kommunenkät" in organizer.text
    for refused in ("?lang=de", "?lang=", "?lang=sv&lang=fi", "?lang=%00"):
        assert client.get(PAGE + refused).status_code == 404


def test_its_downloads_are_the_frozen_files(published, client):
    pdf = PublishedFile.objects.get(publication=published, language="fi", format="pdf")
    response = client.get(f"/reports/luvn/testikierros/1/{pdf.filename}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(pdf.content)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Kunnat arvioivat yhteistyön kohtalaiseksi." in re.sub(r"\s+", " ", text)
    # Cacheable: the same file answers 304 to its ETag.
    again = client.get(f"/reports/luvn/testikierros/1/{pdf.filename}", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert client.get("/reports/luvn/testikierros/1/nothing.pdf").status_code == 404


def test_a_later_edit_changes_nothing_until_published_again(published, client, staff, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    narrative_save(round=published.round, language="fi", text="Uusi teksti, julkaisematon.", by=staff)
    page = client.get(PAGE)
    assert "Kunnat arvioivat yhteistyön kohtalaiseksi." in page.text
    assert "Uusi teksti" not in page.text
    json_file = PublishedFile.objects.get(publication=published, language="fi", format="json")
    assert json.loads(bytes(json_file.content))["narrative"] == "Kunnat arvioivat yhteistyön kohtalaiseksi."

    client.force_login(staff)
    client.post(PUBLISH)
    client.logout()
    page = client.get(PAGE)
    assert "Uusi teksti, julkaisematon." in page.text
    # The earlier version stays at its own address, with its date, and is listed.
    first = client.get("/reports/luvn/testikierros/1/")
    assert first.status_code == 200
    assert "Kunnat arvioivat yhteistyön kohtalaiseksi." in first.text
    assert "Uusi teksti" not in first.text
    day = timezone.localdate().strftime("%-d.%-m.%Y")
    assert f"Version 1, published {day}" in page.text or "Versio 1" in page.text
    assert 'href="/reports/luvn/testikierros/1/"' in page.text
    assert 'href="/reports/luvn/testikierros/2/"' in page.text


def test_withdrawing_is_recorded_and_the_pages_say_so(published, client, staff, settings):
    client.force_login(staff)
    assert client.post(WITHDRAW).status_code == 302
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # logging out empties the test client's cookies
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REPORT_WITHDRAW)
    assert entry.detail == {"versions": [1]} and entry.username == "staff"
    for address in (PAGE, "/reports/luvn/testikierros/1/"):
        response = client.get(address)
        assert response.status_code == 410
        assert "The report has been withdrawn" in response.text
    pdf = PublishedFile.objects.get(publication=published, language="fi", format="pdf")
    assert client.get(f"/reports/luvn/testikierros/1/{pdf.filename}").status_code == 410
    assert "testikierros" not in client.get("/reports/luvn/").text
    # Publishing again makes a new, public version.
    client.force_login(staff)
    client.post(PUBLISH)
    client.logout()
    assert client.get(PAGE).status_code == 200
    assert client.get("/reports/luvn/testikierros/1/").status_code == 410


def test_the_organizers_page_lists_its_published_rounds(published, client):
    page = client.get("/reports/luvn/")
    assert page.status_code == 200
    assert 'href="/reports/luvn/testikierros/"' in page.text
    assert client.get("/reports/nobody/").status_code == 404


def test_an_unpublished_round_has_no_page(client, answered, after_round):
    assert client.get(PAGE).status_code == 404
    assert client.get("/reports/luvn/testikierros/1/").status_code == 404
    assert client.get("/reports/elsewhere/testikierros/").status_code == 404


def test_a_round_still_open_cannot_be_published(client, staff, answered, during_round):
    with pytest.raises(NotPublishable):
        publication_publish(round=answered, by=staff)
    client.force_login(staff)
    response = client.post(PUBLISH, follow=True)
    assert "Nothing was done" in response.text
    assert not Publication.objects.exists()


def test_only_evaluation_staff_publish(client, viewer, outsider, answered, after_round):
    for user in (viewer, outsider):
        client.force_login(user)
        assert client.post(PUBLISH).status_code == 403
        assert client.post(WITHDRAW).status_code == 403
    assert not Publication.objects.exists()


COMMENT = "Yhteiset palaverit ovat auttaneet, ja niitä tarvitaan lisää."


@pytest.fixture
def published_with_an_excerpt(client, staff, answered, after_round):
    response = answered.invitations.get(municipality__code="235").response
    question = answered.questions.get(code="kehittaminen")
    Comment.objects.create(response=response, question=question, text=COMMENT)
    excerpt = excerpt_create(round=answered, response=response, question=question, text=COMMENT, by=staff)
    client.force_login(staff)
    assert client.post(PUBLISH).status_code == 302
    client.logout()
    return excerpt


def published_json(version: int, language: str = "fi") -> dict:
    file = PublishedFile.objects.get(publication__version=version, language=language, format="json")
    return json.loads(bytes(file.content))


def test_a_later_excerpt_edit_or_late_answer_changes_nothing_until_published_again(
    published_with_an_excerpt, client, staff, settings
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    round = published_with_an_excerpt.round
    assert COMMENT in client.get(PAGE).text
    excerpt_update(excerpt=published_with_an_excerpt, text="Yhteiset palaverit ovat auttaneet - -", by=staff)
    # A late answer, as an import writes it: a fourth municipality, after the round had closed.
    late = Invitation.objects.create(round=round, municipality=make_municipality("257", "Kirkkonummi", "Kyrkslätt"))
    submit(late, at=timezone.now(), values={"yhteistyo-1": 1, "yhteistyo-2": 1, "osallisuus": 1}, source="import")

    page = client.get(PAGE).text
    assert COMMENT in page and "Kirkkonummi" not in page
    data = published_json(1)
    assert data["response_rate"]["display"] == "3/3"
    assert [excerpt["text"] for excerpt in data["excerpts"]] == [COMMENT]

    client.force_login(staff)
    client.post(PUBLISH)
    client.logout()
    page = client.get(PAGE).text
    assert COMMENT not in page and "Yhteiset palaverit ovat auttaneet - -" in page
    assert published_json(2)["response_rate"]["display"] == "4/4"
    # Version 1 stays as it was, listed on the newest page.
    first = client.get("/reports/luvn/testikierros/1/").text
    assert COMMENT in first
    assert 'href="/reports/luvn/testikierros/1/"' in page
    assert published_json(1)["response_rate"]["display"] == "3/3"
