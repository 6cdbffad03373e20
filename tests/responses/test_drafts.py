from datetime import date, datetime

import pytest
import time_machine
from django.test import Client

from arvio.invitations.services import round_close
from arvio.lib.dates import HELSINKI
from arvio.responses.models import Response
from arvio.responses.services import Conflict, InvalidAnswers, WindowNotOpen, response_save_draft
from tests.responses.conftest import DURING_ROUND, answers, open_link

FETCH = {"X-Requested-With": "fetch"}


def test_it_saves_the_draft(kaisa, kauniainen):
    response = kaisa.post("/answer/", answers(0, g_yhteistyo_1="4", g_osallisuus="eos", q_muuta="Hyvä alku."))
    assert response.status_code == 302
    assert response["Location"] == "/answer/#form-actions"

    saved = Response.objects.get(invitation=kauniainen)
    assert saved.draft == {"ratings": {"yhteistyo-1": 4, "osallisuus": "eos"}, "comments": {"muuta": "Hyvä alku."}}
    assert saved.version == 1
    assert saved.draft_saved_at == DURING_ROUND
    assert not saved.answers.exists() and not saved.comments.exists()
    assert "Draft saved at 12.34." in kaisa.get("/answer/").text


def test_it_replaces_the_draft_with_what_the_form_holds(kaisa, kauniainen):
    kaisa.post("/answer/", answers(0, g_yhteistyo_1="4", q_muuta="Hyvä alku."))
    kaisa.post("/answer/", answers(1, g_yhteistyo_1="2", q_muuta="  "))
    saved = Response.objects.get(invitation=kauniainen)
    assert saved.draft == {"ratings": {"yhteistyo-1": 2}, "comments": {}}
    assert saved.version == 2


def test_it_goes_to_the_review_after_saving(kaisa):
    response = kaisa.post("/answer/", {**answers(0, g_osallisuus="4"), "action": "review"})
    assert response["Location"] == "/answer/review/"
    assert Response.objects.get().version == 1


def test_it_autosaves_with_json(kaisa):
    response = kaisa.post("/answer/", answers(0, g_osallisuus="5"), headers=FETCH)
    assert response.status_code == 200
    data = response.json()
    assert (data["version"], data["saved_at_text"]) == (1, "12.34")
    assert datetime.fromisoformat(data["saved_at"]) == DURING_ROUND

    response = kaisa.post("/answer/", answers(1, g_osallisuus="4"), headers={"Accept": "application/json"})
    assert response.json()["version"] == 2
    assert Response.objects.get().draft["ratings"] == {"osallisuus": 4}


def test_it_refuses_the_later_of_two_saves_from_the_same_version(kaisa, kalle):
    assert kaisa.post("/answer/", answers(0, g_osallisuus="5", q_muuta="Kaisan teksti")).status_code == 302

    response = kalle.post("/answer/", answers(0, g_osallisuus="1", q_muuta="Kallen teksti"))
    assert response.status_code == 409
    html = response.text
    assert "Saved by someone else at 12.34" in html
    assert "Your version" in html
    assert "<dd>5 – Erinomaisesti</dd>" in html and "<dd>1 – Ei lainkaan</dd>" in html
    assert "Kaisan teksti" in html
    # Kalle's version is in the form, based on the version now stored, so saving it is his explicit choice.
    assert 'id="g-osallisuus-1" value="1" checked>' in html
    assert ">Kallen teksti</textarea>" in html
    assert '<input type="hidden" name="version" value="1">' in html
    # Only the button saves here: autosave would replace Kaisa's version without Kalle choosing it.
    assert "data-autosave" not in html
    assert "data-autosave" in kalle.get("/answer/").text

    saved = Response.objects.get()
    assert saved.version == 1
    assert saved.draft == {"ratings": {"osallisuus": 5}, "comments": {"muuta": "Kaisan teksti"}}

    assert kalle.post("/answer/", answers(1, g_osallisuus="1", q_muuta="Kallen teksti")).status_code == 302
    saved.refresh_from_db()
    assert saved.version == 2
    assert saved.draft == {"ratings": {"osallisuus": 1}, "comments": {"muuta": "Kallen teksti"}}


def test_it_refuses_the_first_save_of_two(kaisa, kalle):
    """Both pages were built before anything was saved: the second first save is a conflict too."""
    kaisa.post("/answer/", answers(0, g_osallisuus="5"))
    assert kalle.post("/answer/", answers(0, g_osallisuus="3")).status_code == 409
    assert Response.objects.get().draft["ratings"] == {"osallisuus": 5}


def test_it_tells_autosave_about_a_conflict(kaisa, kalle):
    kaisa.post("/answer/", answers(0, g_osallisuus="5"))
    response = kalle.post("/answer/", answers(0, g_osallisuus="1"), headers=FETCH)
    assert response.status_code == 409
    assert response.json()["conflict"] is True
    assert "Save draft" in response.json()["message"]
    assert Response.objects.get().draft["ratings"] == {"osallisuus": 5}


def test_the_conflict_carries_both_versions(kauniainen, during_round):
    response_save_draft(invitation=kauniainen, data={"g-osallisuus": "5"}, based_on_version=0)
    response_save_draft(invitation=kauniainen, data={"g-osallisuus": "4"}, based_on_version=1)
    with pytest.raises(Conflict) as conflict:
        response_save_draft(invitation=kauniainen, data={"g-osallisuus": "1"}, based_on_version=1)
    assert (conflict.value.current_version, conflict.value.based_on_version) == (2, 1)


TAMPERED = [
    pytest.param({"g-tuntematon": "3"}, "tampered", id="unknown goal"),
    pytest.param({"g-yhteistyo": "3"}, "tampered", id="derived goal"),
    pytest.param({"g-palvelustrategia": "3"}, "tampered", id="document"),
    pytest.param({"g-osallisuus": "7"}, "invalid_choice", id="value 7"),
    pytest.param({"g-osallisuus": "0"}, "invalid_choice", id="value 0"),
    pytest.param({"g-osallisuus": "kyllä"}, "invalid_choice", id="not a number"),
    pytest.param({"q-tuntematon": "Teksti"}, "tampered", id="unknown question"),
    pytest.param({"q-muuta": "x" * 10_001}, "too_long", id="text too long"),
]


@pytest.mark.parametrize("fields, code", TAMPERED)
def test_it_stores_nothing_from_a_form_with_an_invalid_field(kaisa, kauniainen, fields, code):
    kaisa.post("/answer/", answers(0, g_yhteistyo_1="4", q_kehittaminen="Aiempi luonnos"))

    data = {**answers(1, g_yhteistyo_2="2", q_kehittaminen="Uusi teksti"), **fields}
    response = kaisa.post("/answer/", data)
    assert response.status_code == 400
    assert "Nothing was saved." in response.text
    assert ">Uusi teksti</textarea>" in response.text
    assert 'id="g-yhteistyo-2-2" value="2" checked>' in response.text

    saved = Response.objects.get(invitation=kauniainen)
    assert saved.version == 1
    assert saved.draft == {"ratings": {"yhteistyo-1": 4}, "comments": {"kehittaminen": "Aiempi luonnos"}}

    with pytest.raises(InvalidAnswers) as error:
        response_save_draft(invitation=kauniainen, data=fields, based_on_version=1)
    assert [e.code for e in error.value.errors] == [code]


def test_it_ties_an_invalid_choice_to_its_goal(kaisa):
    response = kaisa.post("/answer/", answers(0, g_osallisuus="7"))
    html = response.text
    assert '<li><a href="#g-osallisuus-5">Choose one of the options.</a></li>' in html
    assert '<fieldset class="goal has-error" id="g-osallisuus" aria-describedby="g-osallisuus-error">' in html
    assert 'id="g-osallisuus-error"' in html
    assert not Response.objects.exists()


def test_it_lists_a_tampered_field_in_the_error_summary(kaisa):
    html = kaisa.post("/answer/", answers(0, g_yhteistyo="3")).text
    assert "The form contained an answer to something this survey does not ask." in html
    assert 'class="error-summary" role="alert"' in html


def test_it_answers_autosave_of_an_invalid_form_with_the_errors(kaisa):
    response = kaisa.post("/answer/", answers(0, g_osallisuus="7", q_tuntematon="x"), headers=FETCH)
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("g-osallisuus", "invalid_choice"),
        ("", "tampered"),
    ]
    assert not Response.objects.exists()


WINDOW_EDGES = [
    pytest.param(datetime(2024, 11, 5, 23, 59, 59), False, id="last second before the opening day"),
    pytest.param(datetime(2024, 11, 6, 0, 0, 0), True, id="first second of the opening day"),
    pytest.param(datetime(2024, 12, 5, 23, 59, 59), True, id="last second of the closing day"),
    pytest.param(datetime(2024, 12, 6, 0, 0, 0), False, id="first second after the closing day"),
]


@pytest.mark.parametrize("moment, saves", WINDOW_EDGES)
def test_it_saves_only_within_the_window(client, token, kauniainen, moment, saves):
    with time_machine.travel(moment.replace(tzinfo=HELSINKI), tick=False):
        open_link(client, token)
        response = client.post("/answer/", answers(0, g_osallisuus="4"))
        assert response.status_code == 302
        assert Response.objects.filter(invitation=kauniainen).exists() is saves
        if not saves:
            with pytest.raises(WindowNotOpen):
                response_save_draft(invitation=kauniainen, data={"g-osallisuus": "4"}, based_on_version=0)


EXTENDED_EDGES = [
    pytest.param(datetime(2024, 12, 6, 0, 0, 0), True, id="the day after the round's closing day"),
    pytest.param(datetime(2024, 12, 12, 23, 59, 59), True, id="last second of the extension"),
    pytest.param(datetime(2024, 12, 13, 0, 0, 0), False, id="first second after the extension"),
]


@pytest.mark.parametrize("moment, saves", EXTENDED_EDGES)
def test_it_saves_until_the_end_of_an_extended_deadline(kauniainen, moment, saves):
    kauniainen.deadline_extended_to = date(2024, 12, 12)
    kauniainen.save()
    with time_machine.travel(moment.replace(tzinfo=HELSINKI), tick=False):
        if saves:
            saved = response_save_draft(invitation=kauniainen, data={"g-osallisuus": "4"}, based_on_version=0)
            assert saved.version == 1
        else:
            with pytest.raises(WindowNotOpen):
                response_save_draft(invitation=kauniainen, data={"g-osallisuus": "4"}, based_on_version=0)
            assert not Response.objects.exists()


def test_the_extension_of_one_municipality_does_not_extend_the_others(round):
    raasepori = round.invitations.get(municipality__code="710")
    round.invitations.filter(municipality__code="235").update(deadline_extended_to=date(2024, 12, 12))
    with time_machine.travel(datetime(2024, 12, 6, tzinfo=HELSINKI), tick=False), pytest.raises(WindowNotOpen):
        response_save_draft(invitation=raasepori, data={"g-osallisuus": "4"}, based_on_version=0)


def test_it_keeps_the_draft_when_a_save_comes_after_the_close(kaisa, token, kauniainen, during_round):
    kaisa.post("/answer/", answers(0, g_osallisuus="4"))
    during_round.move_to(datetime(2024, 12, 6, 0, 0, tzinfo=HELSINKI))
    open_link(kaisa, token)

    response = kaisa.post("/answer/", answers(1, g_osallisuus="1"), follow=True)
    assert "The response time has ended. Nothing was saved." in response.text
    assert "<dd>4 – Hyvin</dd>" in response.text
    saved = Response.objects.get(invitation=kauniainen)
    assert (saved.version, saved.draft["ratings"]) == (1, {"osallisuus": 4})


def test_it_refuses_autosave_after_staff_closed_the_round(kaisa, round, staff):
    kaisa.post("/answer/", answers(0, g_osallisuus="4"))
    round_close(round=round, by=staff, now=DURING_ROUND)
    response = kaisa.post("/answer/", answers(1, g_osallisuus="1"), headers=FETCH)
    assert response.status_code == 403
    assert response.json()["refused"] is True
    assert Response.objects.get().draft["ratings"] == {"osallisuus": 4}


def test_it_does_not_save_anything_on_opening_the_form(kaisa, round):
    kaisa.get("/answer/")
    assert not Response.objects.exists()
    assert not round.tree_is_frozen


def test_two_browsers_edit_one_draft(kaisa, kalle):
    kaisa.post("/answer/", answers(0, g_osallisuus="4"))
    html = kalle.get("/answer/").text
    assert 'id="g-osallisuus-4" value="4" checked>' in html
    assert '<input type="hidden" name="version" value="1">' in html
    assert kalle.post("/answer/", answers(1, g_osallisuus="4", q_muuta="Kallen lisäys")).status_code == 302
    assert ">Kallen lisäys</textarea>" in kaisa.get("/answer/").text


def test_a_fresh_browser_without_a_link_cannot_save(round, during_round):
    assert Client().post("/answer/", answers(0, g_osallisuus="4")).status_code == 403
    assert not Response.objects.exists()
