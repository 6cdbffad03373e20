"""What guides the official through the answer form: the progress line, the sections numbered as the report
numbers them, the review's links to unanswered goals, a save that returns to where the official was, and a
missing name that says which field."""

import re

import pytest

from arvio.responses.models import Response
from arvio.results.report import report_build
from arvio.surveys.pages import heading_parts
from tests.responses.conftest import answers, open_link


def _progress(html):
    return re.search(r'<p class="progress" id="progress" role="status"[^>]*>(.*?)</p>', html).group(1)


def test_it_counts_the_rated_goals_on_every_page_load(kaisa):
    assert _progress(kaisa.get("/answer/").text) == "0/3 rated"
    kaisa.post("/answer/", answers(0, g_yhteistyo_1="4", g_osallisuus="eos"))
    # "Can't say" is an answer too: the goal has been gone through.
    assert _progress(kaisa.get("/answer/").text) == "2/3 rated"


def test_it_gives_the_script_the_same_words_to_count_with(kaisa):
    html = kaisa.get("/answer/").text
    assert 'data-template="{rated}/{asked} rated"' in html


def test_it_says_the_progress_in_finnish_and_swedish(token, client, during_round, kauniainen):
    Response.objects.create(invitation=kauniainen, version=1, draft={"ratings": {"osallisuus": 3}})
    open_link(client, token, language="fi")
    assert _progress(client.get("/answer/").text) == "1/3 arvioitu"
    client.cookies["arvio_language"] = "sv"
    assert _progress(client.get("/answer/").text) == "1/3 bedömda"


def test_it_does_not_count_what_the_draft_could_not_hold(kaisa, kauniainen):
    """A value refused and shown back (400) is not an answer yet."""
    response = kaisa.post("/answer/", answers(0, g_osallisuus="7", g_yhteistyo_1="2"))
    assert response.status_code == 400
    assert _progress(response.text) == "1/3 rated"


@pytest.fixture
def shared_heading(round):
    """Both detail pages of make_round under one heading, as the 2024 deck's "Palvelustrategia 1/4"."""
    round.nodes.filter(detail_page=True).update(heading_fi="Palvelustrategia", heading_en="Service strategy")
    return round


def test_it_numbers_sections_that_share_a_heading_as_the_report_does(kaisa, shared_heading):
    html = kaisa.get("/answer/").text
    assert '<h2 id="s-yhteistyo">Service strategy&nbsp;1/2</h2>' in html
    assert '<h2 id="s-osallisuus">Service strategy&nbsp;2/2</h2>' in html
    report = report_build(shared_heading, language="en")
    assert [(section.node.code, section.part) for section in report.sections] == [
        ("yhteistyo", "1/2"),
        ("osallisuus", "2/2"),
    ]


def test_it_numbers_nothing_where_every_heading_is_its_own(kaisa):
    html = kaisa.get("/answer/").text
    assert "1/2" not in html and "2/2" not in html


def test_the_rule_numbers_only_the_headings_that_repeat():
    assert heading_parts(["A", "B", "A", "C", "A"]) == ["1/3", "", "2/3", "", "3/3"]
    assert heading_parts([]) == []


def test_it_numbers_the_review_as_the_form(kaisa, shared_heading):
    kaisa.post("/answer/", answers(0, g_osallisuus="3"))
    html = kaisa.get("/answer/review/").text
    assert '<h3 id="sum-s-yhteistyo">Service strategy&nbsp;1/2</h3>' in html


def test_it_links_each_unanswered_goal_to_its_place_on_the_form(kaisa):
    kaisa.post("/answer/", answers(0, g_yhteistyo_1="4"))
    html = kaisa.get("/answer/review/").text
    assert '<li><a href="/answer/#g-yhteistyo-2">Kehitämme yhteistä tietopohjaa.</a></li>' in html
    assert '<li><a href="/answer/#g-osallisuus">Asukkaat ovat mukana suunnittelussa.</a></li>' in html
    assert 'href="/answer/#g-yhteistyo-1"' not in html
    # Each link's target is the goal's fieldset on the form.
    form = kaisa.get("/answer/").text
    assert '<fieldset class="goal" id="g-yhteistyo-2">' in form


def test_a_sections_save_button_returns_to_that_section(kaisa):
    response = kaisa.post("/answer/", {**answers(0, g_osallisuus="4"), "save_at": "s-osallisuus"})
    assert response.status_code == 302
    assert response["Location"] == "/answer/#s-osallisuus"
    assert Response.objects.get().draft["ratings"] == {"osallisuus": 4}


def test_each_section_has_a_save_button_naming_it(kaisa):
    html = kaisa.get("/answer/").text
    assert (
        '<button type="submit" name="save_at" value="s-yhteistyo" class="secondary">Save draft'
        '<span class="visually-hidden"> – Yhteistyö on toimivaa ja tavoitteellista.</span></button>'
    ) in html
    assert '<h2 id="s-yhteistyo">' in html


def test_the_forms_own_save_button_returns_to_the_buttons(kaisa):
    response = kaisa.post("/answer/", answers(0, g_osallisuus="4"))
    assert response["Location"] == "/answer/#form-actions"
    assert '<div class="actions" id="form-actions">' in kaisa.get("/answer/").text


@pytest.mark.parametrize(
    "anchor",
    [["s-nothing"], ["javascript:alert(1)"], ["s-osallisuus\x00"], ["s-osallisuus", "s-yhteistyo"], ["x" * 5000]],
    ids=["unknown", "script", "nul", "twice", "long"],
)
def test_it_returns_to_the_buttons_for_an_anchor_the_form_does_not_have(kaisa, anchor):
    response = kaisa.post("/answer/", {**answers(0, g_osallisuus="4"), "save_at": anchor})
    assert response.status_code == 302
    assert response["Location"] == "/answer/#form-actions"


def test_a_missing_name_says_which_field_and_takes_the_focus(kaisa):
    kaisa.post("/answer/", answers(0, g_osallisuus="4"))
    response = kaisa.post("/answer/submit/", {"version": "1", "name": "", "role": "johtaja"})
    assert response.status_code == 400
    html = response.text
    assert '<li><a href="#id_name">Write your name</a></li>' in html
    field = re.search(r'<input type="text" name="name"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_name-error"' in field
    assert "autofocus" in field
    assert '<p class="errorlist" id="id_name-error">' in html
    role = re.search(r'<input type="text" name="role"[^>]*>', html).group(0)
    assert "autofocus" not in role
    assert Response.objects.get().submitted_at is None


@pytest.mark.parametrize(("language", "message"), [("fi", "Kirjoittakaa nimenne"), ("sv", "Skriv ert namn")])
def test_it_asks_for_the_name_in_the_officials_language(token, client, during_round, kauniainen, language, message):
    Response.objects.create(invitation=kauniainen, version=1, draft={"ratings": {"osallisuus": 3}})
    open_link(client, token, language=language)
    response = client.post("/answer/submit/", {"version": "1", "name": "  ", "role": ""})
    assert response.status_code == 400
    assert f'<a href="#id_name">{message}</a>' in response.text


def test_a_page_without_errors_takes_no_focus(kaisa):
    kaisa.post("/answer/", answers(0, g_osallisuus="4"))
    assert "autofocus" not in kaisa.get("/answer/review/").text
