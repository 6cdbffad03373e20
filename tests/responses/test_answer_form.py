import re
from datetime import datetime

import time_machine
from django.conf import settings
from django.contrib.staticfiles import finders

from arvio.lib.dates import HELSINKI
from arvio.responses.models import Response
from arvio.surveys.models import Node
from tests.responses.conftest import answers, open_link


def _legends(html):
    return re.findall(r"<legend>(.*?)</legend>", html)


def _radios(html, name):
    return re.findall(rf'<input type="radio" name="{name}" id="[^"]+" value="([^"]+)"', html)


def test_it_asks_every_rated_goal_with_the_scale(kaisa):
    html = kaisa.get("/answer/").text
    assert _legends(html) == [
        "Luomme selkeän yhdyspintarakenteen.",
        "Kehitämme yhteistä tietopohjaa.",
        "Asukkaat ovat mukana suunnittelussa.",
    ]
    assert _radios(html, "g-yhteistyo-1") == ["5", "4", "3", "2", "1", "eos"]
    assert (
        '<label for="g-osallisuus-5"><input type="radio" name="g-osallisuus" id="g-osallisuus-5" value="5">'
        " 5 – Erinomaisesti</label>"
    ) in html
    assert 'value="eos"> En osaa sanoa</label>' in html


def test_it_does_not_ask_a_main_goal_but_shows_it_as_a_section(kaisa):
    html = kaisa.get("/answer/").text
    assert _radios(html, "g-yhteistyo") == []
    assert '<h2 id="s-yhteistyo">Yhteistyö on toimivaa ja tavoitteellista.</h2>' in html
    assert '<h2 id="s-osallisuus">Asukkaat ovat mukana suunnittelussa.</h2>' in html


def test_it_shows_the_round_its_window_and_its_scale(kaisa, kauniainen):
    html = kaisa.get("/answer/").text
    assert "<h1>Kuntakysely</h1>" in html
    assert "Kyselyn tarkoituksena on koota kuntien näkemyksiä." in html
    assert "kunnanjohto" in html
    assert "6.11.2024–5.12.2024" in html
    for line in ("5 = Erinomaisesti", "4 = Hyvin", "3 = Kohtalaisesti", "2 = Heikosti", "1 = Ei lainkaan"):
        assert line in html


def test_it_shows_an_extended_deadline(kaisa, kauniainen):
    kauniainen.deadline_extended_to = datetime(2024, 12, 12).date()
    kauniainen.save()
    assert "6.11.2024–12.12.2024" in kaisa.get("/answer/").text


def test_it_asks_the_open_questions_in_labelled_text_areas(kaisa):
    html = kaisa.get("/answer/").text
    assert '<label class="block" for="q-kehittaminen">Mitä yhteistyössä pitäisi kehittää?</label>' in html
    assert '<textarea name="q-kehittaminen" id="q-kehittaminen"' in html
    assert '<textarea name="q-muuta" id="q-muuta"' in html


def test_it_carries_the_version_the_page_was_built_from(kaisa):
    assert '<input type="hidden" name="version" value="0">' in kaisa.get("/answer/").text
    kaisa.post("/answer/", answers(0, g_osallisuus="4"))
    html = kaisa.get("/answer/").text
    assert '<input type="hidden" name="version" value="1">' in html
    assert "Last saved 20.11.2024 12.34" in html


def test_it_fills_the_form_from_the_draft(kaisa):
    kaisa.post("/answer/", answers(0, g_yhteistyo_2="eos", g_osallisuus="2", q_muuta="Hyvä & selkeä"))
    html = kaisa.get("/answer/").text
    assert 'id="g-yhteistyo-2-eos" value="eos" checked>' in html
    assert 'id="g-osallisuus-2" value="2" checked>' in html
    assert ">Hyvä &amp; selkeä</textarea>" in html
    assert html.count(" checked>") == 2


def test_it_asks_goals_outside_every_detail_page_under_their_theme(kaisa, round):
    document = round.nodes.get(code="palvelustrategia")
    theme = Node.objects.create(
        round=round,
        parent=document,
        kind=Node.Kind.THEME,
        code="ikaantyneet",
        order=3,
        text_fi="Ikääntyneiden palvelut",
        text_sv="Äldreomsorg",
    )
    Node.objects.create(
        round=round,
        parent=theme,
        kind=Node.Kind.GOAL,
        code="kotihoito",
        order=1,
        text_fi="Kotihoito on saatavilla.",
        text_sv="Hemvården är tillgänglig.",
    )
    html = kaisa.get("/answer/").text
    assert '<h2 id="s-ikaantyneet">Ikääntyneiden palvelut</h2>' in html
    assert _legends(html)[-1] == "Kotihoito on saatavilla."
    assert _radios(html, "g-kotihoito") == ["5", "4", "3", "2", "1", "eos"]


def test_it_shows_a_main_goal_above_its_sub_goals_within_a_theme_page(kaisa, round):
    document = round.nodes.get(code="palvelustrategia")
    theme = Node.objects.create(
        round=round,
        parent=document,
        kind=Node.Kind.THEME,
        code="vammaispalvelut",
        order=3,
        text_fi="Vammaispalvelut",
        text_sv="Funktionshinderservice",
        detail_page=True,
    )
    main_goal = Node.objects.create(
        round=round,
        parent=theme,
        kind=Node.Kind.GOAL,
        code="esteettomyys",
        order=1,
        text_fi="Esteettömyys paranee.",
        text_sv="Tillgängligheten förbättras.",
    )
    for order, text in enumerate(["Työryhmät toimivat.", "Tieto kulkee."], start=1):
        Node.objects.create(
            round=round,
            parent=main_goal,
            kind=Node.Kind.SUBGOAL,
            code=f"esteettomyys-{order}",
            order=order,
            text_fi=text,
            text_sv=text,
        )
    html = kaisa.get("/answer/").text
    section = html[html.index('<h2 id="s-vammaispalvelut">Vammaispalvelut</h2>') :]
    assert re.search(r'<div class="context"><p>Esteettömyys paranee\.</p></div>\s*<fieldset', section)
    assert _legends(section)[:2] == ["Työryhmät toimivat.", "Tieto kulkee."]
    assert _radios(html, "g-esteettomyys") == []


def test_it_shows_a_main_goals_text_when_its_page_has_a_heading(kaisa, round):
    round.nodes.filter(code="yhteistyo").update(heading_fi="Yhteistyö")
    html = kaisa.get("/answer/").text
    assert (
        '<h2 id="s-yhteistyo">Yhteistyö</h2>\n'
        '      <p id="s-yhteistyo-intro">Yhteistyö on toimivaa ja tavoitteellista.</p>' in html
    )


def test_it_speaks_swedish_to_who_chose_it(client, token, during_round):
    open_link(client, token, language="sv")
    html = client.get("/answer/").text
    assert 'lang="sv"' in html
    assert "<legend>Vi skapar en tydlig gränsytestruktur.</legend>" in html
    assert "> 5 – Utmärkt</label>" in html
    assert "> Kan inte säga</label>" in html
    assert "<h1>Kommunenkät</h1>" in html


def test_it_switches_the_language_without_losing_what_was_typed(kaisa, kauniainen):
    typed = answers(0, g_yhteistyo_1="5", q_kehittaminen="Enemmän yhteisiä tapaamisia.")
    response = kaisa.post("/answer/", {**typed, "switch_language": "sv"})
    assert response.status_code == 302
    assert response["Location"] == "/answer/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"

    html = kaisa.get("/answer/").text
    assert 'lang="sv"' in html
    assert 'id="g-yhteistyo-1-5" value="5" checked> 5 – Utmärkt</label>' in html
    assert ">Enemmän yhteisiä tapaamisia.</textarea>" in html
    assert kauniainen.response.draft["comments"] == {"kehittaminen": "Enemmän yhteisiä tapaamisia."}


def test_it_offers_the_languages_as_buttons_of_the_answer_form(kaisa):
    html = kaisa.get("/answer/").text
    for code in ("fi", "sv", "en"):
        assert f'<button type="submit" form="answer-form" name="switch_language" value="{code}"' in html
    # Enter in the form must save, not switch the language: the first button of the form saves.
    first_button = re.search(r'<button type="submit" form="answer-form" name="(\w+)" value="(\w+)"', html)
    assert first_button.groups() == ("action", "save")


def test_it_says_when_the_round_opens_and_shows_no_form_before(client, token):
    with time_machine.travel(datetime(2024, 11, 5, 23, 59, 59, tzinfo=HELSINKI), tick=False):
        open_link(client, token)
        html = client.get("/answer/").text
    assert "The survey is not open yet. You can answer from 6.11.2024 to 5.12.2024." in html
    assert '<form id="answer-form"' not in html
    assert '<fieldset class="goal"' not in html


def test_it_keeps_the_draft_visible_once_the_round_has_closed(kaisa, token, during_round):
    kaisa.post("/answer/", answers(0, g_osallisuus="3", q_muuta="Luonnos jäi lähettämättä."))
    during_round.move_to(datetime(2024, 12, 6, 0, 0, tzinfo=HELSINKI))
    open_link(kaisa, token)
    html = kaisa.get("/answer/").text
    assert "The response time ended on 5.12.2024." in html
    assert "The answers were not submitted." in html
    assert "<dt>Asukkaat ovat mukana suunnittelussa.</dt>\n          <dd>3 – Kohtalaisesti</dd>" in html
    assert "Luonnos jäi lähettämättä." in html
    assert '<form id="answer-form"' not in html
    assert Response.objects.get().draft["ratings"] == {"osallisuus": 3}


def test_it_shows_what_was_sent_once_changes_are_no_longer_allowed(kaisa, kauniainen):
    kaisa.post("/answer/", answers(0, g_osallisuus="4"))
    kaisa.post("/answer/submit/", {"version": "1", "name": "Kaisa Kuusela"})
    html = kaisa.get("/answer/").text
    assert "Kaisa Kuusela submitted the answers on 20.11.2024 12.34." in html
    assert '<a href="/answer/done/">' in html
    assert "<dd>4 – Hyvin</dd>" in html
    assert '<form id="answer-form"' not in html


def test_it_keeps_the_form_open_after_submission_when_the_round_allows_changes(kaisa, round):
    round.allow_changes_after_submit = True
    round.save()
    kaisa.post("/answer/", answers(0, g_osallisuus="4"))
    kaisa.post("/answer/submit/", {"version": "1", "name": "Kaisa Kuusela"})
    html = kaisa.get("/answer/").text
    assert '<form id="answer-form"' in html
    assert "You may change them until the response time ends" in html
    assert 'id="g-osallisuus-4" value="4" checked>' in html


def test_it_loads_the_autosave_script(kaisa):
    html = kaisa.get("/answer/").text
    assert 'src="/static/arvio/answer.js"' in html
    assert 'id="save-status" aria-live="polite"' in html
    assert finders.find("arvio/answer.js")
