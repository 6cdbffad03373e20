"""`arvio demo` publishes the 2024 report through the staff's own service and prints where it is, and a link of
the closed round that opens a municipality's feedback: what `make run` shows."""

import io
import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from arvio.public.models import Publication
from arvio.public.services import publication_withdraw
from arvio.records.models import AuditEntry
from arvio.results.report import report_build
from arvio.surveys.models import Round

pytestmark = pytest.mark.django_db

PAGE = "/reports/luvn/kuntakysely-2024/"


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def section(output: str, heading: str) -> str:
    """The printed block that starts with `heading`, up to the next empty line."""
    return output[output.index(heading) :].split("\n\n")[0]


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_it_publishes_the_2024_report_as_staff_do_and_prints_its_address():
    output = run_demo()
    printed = section(output, "Published report of kuntakysely-2024")
    assert f"http://testserver{PAGE}" in printed

    publication = Publication.objects.get(round__code="kuntakysely-2024")
    assert publication.version == 1 and publication.withdrawn_at is None
    # The service's whole work: every language's page, every public format, and its audit entry.
    assert sorted(publication.pages.values_list("language", flat=True)) == ["en", "fi", "sv"]
    formats = set(publication.files.filter(language="sv").values_list("format", flat=True))
    assert formats == {"pdf", "pptx", "html", "xlsx", "csv", "json"}
    assert (
        AuditEntry.objects.filter(action=AuditEntry.Action.REPORT_PUBLISH, round_code="kuntakysely-2024").count() == 1
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", ["2022", "vastaajat eri kunnat"]),
        ("sv", ["2022", "svarande olika kommuner"]),
    ],
)
def test_its_published_page_shows_the_comparison_with_2022_in_finnish_and_swedish(language, words):
    run_demo()
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(PAGE)
    assert response.status_code == 200
    text = page_text(response)
    assert f'<html lang="{language}"' in response.content.decode()
    for word in words:
        assert word in text
    # Every summary row's change, as the report displays it, stands on the page.
    report = report_build(Round.objects.get(code="kuntakysely-2024"), language=language)
    changes = [row.comparison.display for row in report.summary if row.comparison and row.comparison.change is not None]
    assert changes and all(change in text for change in changes)


def test_running_again_keeps_the_published_version_and_reset_publishes_anew():
    run_demo()
    run_demo()
    assert list(Publication.objects.values_list("version", flat=True)) == [1]
    # A version staff withdrew stays withdrawn: the demo does not publish over their choice.
    publication_withdraw(round=Round.objects.get(code="kuntakysely-2024"), by=None)
    output = run_demo()
    assert "Published report of" not in output
    assert Client().get(PAGE).status_code == 410
    run_demo("--reset")
    assert list(Publication.objects.values_list("version", "withdrawn_at")) == [(1, None)]
    assert Client().get(PAGE).status_code == 200


def test_it_prints_a_link_of_the_closed_round_that_opens_a_municipalitys_feedback():
    output = run_demo("--no-publish")
    printed = section(output, "Feedback link for kuntakysely-2024")
    (url,) = re.findall(r"http://testserver/a/\S+/", printed)
    assert "Kauniainen / Grankulla" in printed
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    opened = client.get(urlsplit(url).path)
    assert opened.status_code == 302 and opened["Location"] == "/answer/feedback/"
    page = client.get("/answer/feedback/")
    assert page.status_code == 200
    text = page_text(page)
    assert "Palaute: Kauniainen" in text
    # Kauniainen answered 2022 too: its own change since then is on the page.
    assert "Kuntanne muutos edellisestä kierroksesta" in text
    assert "omiin arvioihin kierroksella 2022" in text
    # And in its PDF.
    pdf = client.get("/answer/feedback/pdf/")
    pdf_text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages))
    assert "omiin arvioihin kierroksella 2022" in pdf_text
