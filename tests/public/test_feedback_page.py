"""A municipality's feedback page and PDF, opened through its personal link (public/feedback.py)."""

import io
import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import Client
from pypdf import PdfReader

from arvio.invitations.links import link_create
from arvio.responses.models import Comment, Response
from arvio.results.feedback import feedback_build
from arvio.surveys.models import Node
from tests.factories import make_round
from tests.invitations.helpers import AFTER_ROUND, DURING_ROUND, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(round):
    values = {
        "235": {"yhteistyo-1": 4, "yhteistyo-2": None, "osallisuus": 2},
        "710": {"yhteistyo-1": 1, "yhteistyo-2": 3, "osallisuus": 5},
        "927": {"yhteistyo-1": 3, "yhteistyo-2": 3, "osallisuus": 3},
    }
    for code, answers in values.items():
        submit(round.invitations.get(municipality__code=code), at=DURING_ROUND, values=answers)
    return round


def opened(client, round, code, language="en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    token = link_create(invitation=round.invitations.get(municipality__code=code))
    response = client.get(f"/a/{token}/")
    assert response.status_code == 302
    return client, response


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_it_opens_the_feedback_from_the_link_of_a_closed_round(client, answered, time_machine):
    time_machine.move_to(AFTER_ROUND, tick=False)
    client, response = opened(client, answered, "235")
    assert response["Location"] == "/answer/feedback/"
    page = client.get("/answer/feedback/")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Feedback for Kauniainen" in text
    # Its own rating beside the pooled value (4, 1 and 3: 2,7 in English 2.7) and the n.
    row = re.search(
        r"We create a clear interface structure\.|Luomme selkeän yhdyspintarakenteen\.(.*?)</tr>", page.text, re.S
    )
    assert row is not None
    cells = re.findall(r'<td class="number">(.*?)</td>', row.group(1), re.S)
    assert text_of(cells[0]).strip() == "4"
    assert "2.7" in cells[1]
    assert text_of(cells[2]).strip() == "3"
    assert "En osaa sanoa" in page.text or "Can't say" in page.text  # its can't-say, shown as such


def test_it_never_shows_another_municipalitys_own_answers(client, answered, time_machine):
    time_machine.move_to(AFTER_ROUND, tick=False)
    client, _ = opened(client, answered, "710")
    page = client.get("/answer/feedback/")
    assert "Feedback for Raasepori" in page.text
    assert "Kauniainen" not in page.text and "Vihti" not in page.text
    # The spread is counts per value, with only its own answers (1 and 5) marked; nobody else is named.
    charts = re.findall(r'<svg[^>]*class="histogram".*?</svg>', page.text, re.S)
    # Every node but the sub-goal that rests on two answers (the low-n rule): its spread is not shown.
    assert len(charts) == 4
    assert "The spread is not shown: the value rests on fewer than 3 answers." in page.text
    marked = [re.findall(r'data-value="(\d)" data-own="true"', chart) for chart in charts]
    assert sorted(value for values in marked for value in values) == ["1", "5"]


def test_another_municipalitys_link_shows_only_its_own(answered, time_machine):
    time_machine.move_to(AFTER_ROUND, tick=False)
    kauniainen, _ = opened(Client(), answered, "235")
    vihti, _ = opened(Client(), answered, "927")
    assert "Feedback for Kauniainen" in kauniainen.get("/answer/feedback/").text
    assert "Feedback for Vihti" in vihti.get("/answer/feedback/").text
    assert "Kauniainen" not in vihti.get("/answer/feedback/").text


def test_it_is_not_offered_before_the_round_closes(client, answered, time_machine):
    time_machine.move_to(DURING_ROUND, tick=False)
    client, response = opened(client, answered, "235")
    assert response["Location"] == "/answer/"
    page = client.get("/answer/feedback/")
    assert page.status_code == 404
    assert "The feedback is not ready yet" in page.text
    assert client.get("/answer/feedback/pdf/").status_code == 404


def test_it_answers_403_without_a_link(client, answered, outsider, time_machine):
    time_machine.move_to(AFTER_ROUND, tick=False)
    assert client.get("/answer/feedback/").status_code == 403
    client.force_login(outsider)
    assert client.get("/answer/feedback/").status_code == 403
    assert client.get("/answer/feedback/pdf/").status_code == 403


def test_it_says_when_the_link_has_expired(client, answered, time_machine, settings):
    settings.ARVIO_LINK_DAYS_AFTER_CLOSE = 10
    time_machine.move_to(AFTER_ROUND, tick=False)
    token = link_create(invitation=answered.invitations.get(municipality__code="235"))
    time_machine.move_to(AFTER_ROUND + timedelta(days=10, hours=-1), tick=False)  # sessions last 12 hours
    assert client.get(f"/a/{token}/").status_code == 302
    time_machine.move_to(AFTER_ROUND + timedelta(days=10, minutes=1), tick=False)
    page = client.get("/answer/feedback/")
    assert page.status_code == 410
    assert "The link has expired" in page.text


def test_it_is_in_the_municipalitys_language(client, answered, time_machine):
    time_machine.move_to(AFTER_ROUND, tick=False)
    client, _ = opened(client, answered, "710", language="sv")
    page = client.get("/answer/feedback/")
    assert '<html lang="sv">' in page.text
    assert "Samarbetet fungerar och är målinriktat." in page.text
    assert "2,7" in page.text


def test_its_pdf_opens_back_with_its_own_values(client, answered, time_machine):
    time_machine.move_to(AFTER_ROUND, tick=False)
    client, _ = opened(client, answered, "235", language="fi")
    response = client.get("/answer/feedback/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "palaute-testikierros-235-fi.pdf" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Kauniainen" in text
    assert "Luomme selkeän yhdyspintarakenteen." in text
    assert "2,7" in text
    assert "Raasepori" not in text


# Raasepori's own words and ratings, which nobody else's feedback may hold.
RASEBORG_COMMENT = "Raaseporin oma huomio: yhteispalaverit peruuntuivat kolmesti syksyllä."


@pytest.fixture
def commented(answered):
    response = answered.invitations.get(municipality__code="710").response
    Comment.objects.create(
        response=response, question=answered.questions.get(code="kehittaminen"), text=RASEBORG_COMMENT
    )
    return answered


def own_column(html: str) -> dict[str, str]:
    """The page's "Your municipality" cell of each rated goal, by the goal's Finnish text."""
    cells = {}
    for goal in Node.objects.filter(round__code="testikierros", kind__in=["goal", "subgoal"]):
        row = re.search(re.escape(goal.text_fi) + r"(.*?)</tr>", html, re.S)
        if row and not goal.children.exists():
            cells[goal.code] = text_of(re.findall(r'<td class="number">(.*?)</td>', row.group(1), re.S)[0]).strip()
    return cells


def test_neither_the_page_nor_the_pdf_holds_another_municipalitys_comment_or_own_ratings(commented, time_machine):
    time_machine.move_to(AFTER_ROUND, tick=False)
    client, _ = opened(Client(), commented, "235", language="fi")
    page = client.get("/answer/feedback/")
    # Kauniainen's own column holds its own answers (4, can't say, 2), never Raasepori's (1, 3, 5).
    assert own_column(page.text) == {"yhteistyo-1": "4", "yhteistyo-2": "En osaa sanoa", "osallisuus": "2"}
    assert RASEBORG_COMMENT not in page.text and "yhteispalaverit" not in page.text
    assert "Raasepori" not in page.text and "Johtaja" not in page.text
    charts = re.findall(r'<svg[^>]*class="histogram".*?</svg>', page.text, re.S)
    marked = sorted(value for chart in charts for value in re.findall(r'data-value="(\d)" data-own="true"', chart))
    assert marked == ["2", "4"]  # its own answers to the goals it rated, nobody else's

    pdf = client.get("/answer/feedback/pdf/")
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages))
    assert "yhteispalaverit" not in text and "Raasepori" not in text
    # Each goal's row starts with Kauniainen's own rating, then the pooled value of all three.
    assert re.search(r"Luomme selkeän yhdyspintarakenteen\. 4 2,7 3", text)
    assert re.search(r"Asukkaat ovat mukana suunnittelussa\. 2 3,3 3", text)


def test_another_rounds_link_shows_not_this_rounds_feedback_but_404(commented, time_machine):
    later = make_round("kuntakysely-2025", opens_on=date(2025, 11, 1), closes_on=date(2025, 12, 1))
    time_machine.move_to(AFTER_ROUND, tick=False)
    client, response = opened(Client(), later, "235")
    assert response["Location"] == "/answer/"  # its own round has not opened yet
    page = client.get("/answer/feedback/")
    assert page.status_code == 404
    assert "Feedback for Kauniainen" not in page.text and "2.7" not in page.text
    assert client.get("/answer/feedback/pdf/").status_code == 404
    # A token Arvio never made opens no session at all.
    assert Client().get("/a/" + "x" * 43 + "/").status_code == 404


def answered_in(round_code: str) -> set[str]:
    return set(
        Response.objects.filter(invitation__round__code=round_code, submitted_at__isnull=False).values_list(
            "invitation__municipality__code", flat=True
        )
    )


@pytest.mark.parametrize(
    ("language", "column", "sentence"),
    [
        ("fi", "Kuntanne muutos edellisestä kierroksesta", "omiin arvioihin kierroksella 2022"),
        ("sv", "Er kommuns förändring sedan föregående omgång", "egna bedömningar i omgången 2022"),
    ],
)
def test_the_demos_feedback_gives_its_own_change_since_2022(demo_round, language, column, sentence):
    code = sorted(answered_in("kuntakysely-2024") & answered_in("kuntakysely-2022"))[0]
    client, _ = opened(Client(), demo_round, code, language=language)
    page = client.get("/answer/feedback/")
    assert page.status_code == 200
    assert column in page.text
    assert sentence in text_of(page.text)
    feedback = feedback_build(demo_round.invitations.get(municipality__code=code), language=language)
    renamed = next(row for row in feedback.rows if row.node.code == "kotona-asuminen")
    row = re.search(re.escape(renamed.node.text) + r"</th>(.*?)</tr>", page.text, re.S)
    assert text_of(re.findall(r'<td class="number">(.*?)</td>', row.group(1), re.S)[-1]).strip() == (
        renamed.own_change_display
    )


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("fi", "ei vastannut kierroksella 2022, joten sen omaa muutosta sen jälkeen ei voida esittää."),
        ("sv", "svarade inte i omgången 2022, så dess egen förändring sedan dess kan inte anges."),
    ],
)
def test_the_demos_feedback_says_when_the_municipality_did_not_answer_in_2022(demo_round, language, sentence):
    (code,) = answered_in("kuntakysely-2024") - answered_in("kuntakysely-2022")
    client, _ = opened(Client(), demo_round, code, language=language)
    page = client.get("/answer/feedback/")
    assert sentence in text_of(page.text)
    assert "Kuntanne muutos" not in page.text and "Er kommuns förändring" not in page.text
