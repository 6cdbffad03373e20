"""The round's settings, scale and open questions pages (staff/round_editor.py)."""

from datetime import date

import pytest
from django.urls import reverse

from arvio.invitations.models import Contact
from arvio.records.models import AuditEntry
from arvio.surveys.models import Question, Round, ScaleOption
from tests.factories import make_round
from tests.invitations.helpers import DURING_ROUND, submit

pytestmark = pytest.mark.django_db

PAGES = ["staff:round_settings", "staff:round_scale", "staff:round_questions"]


def settings_post(**changes) -> dict:
    data = {
        "title_fi": "Kuntakysely 2026",
        "title_sv": "Kommunenkät 2026",
        "title_en": "",
        "purpose_fi": "Tarkoitus.",
        "purpose_sv": "Syfte.",
        "purpose_en": "",
        "instructions_fi": "",
        "instructions_sv": "",
        "instructions_en": "",
        "target_group_fi": "kunnanjohto",
        "target_group_sv": "kommunledningen",
        "target_group_en": "",
        "opens_on": "2024-11-06",
        "closes_on": "2024-12-05",
        "reminder_interval_days": "5",
        "narrative_strongest": "2",
        "narrative_weakest": "1",
        "allow_changes_after_submit": "on",
    }
    return {**data, **changes}


def scale_post(round: Round, **changes) -> dict:
    data = {"step-TOTAL_FORMS": "6", "step-INITIAL_FORMS": "5", "step-MIN_NUM_FORMS": "0", "step-MAX_NUM_FORMS": "20"}
    for i, option in enumerate(round.scale.all()):
        data |= {
            f"step-{i}-value": str(option.value),
            f"step-{i}-label_fi": option.label_fi,
            f"step-{i}-label_sv": option.label_sv,
            f"step-{i}-label_en": option.label_en,
            f"step-{i}-level_fi": option.level_fi,
            f"step-{i}-level_sv": option.level_sv,
            f"step-{i}-level_en": "",
        }
    data |= {"step-5-value": "", "step-5-label_fi": "", "step-5-label_sv": "", "step-5-label_en": ""}
    data |= {"dont_know_fi": round.dont_know_label_fi, "dont_know_sv": round.dont_know_label_sv, "dont_know_en": ""}
    return {**data, **changes}


def questions_post(round: Round, **changes) -> dict:
    questions = list(round.questions.all())
    data = {
        "question-TOTAL_FORMS": str(len(questions) + 1),
        "question-INITIAL_FORMS": str(len(questions)),
        "question-MIN_NUM_FORMS": "0",
        "question-MAX_NUM_FORMS": "100",
    }
    for i, question in enumerate(questions):
        data |= {
            f"question-{i}-code": question.code,
            f"question-{i}-text_fi": question.text_fi,
            f"question-{i}-text_sv": question.text_sv,
            f"question-{i}-text_en": question.text_en,
        }
    new = len(questions)
    data |= {f"question-{new}-code": "", f"question-{new}-text_fi": "", f"question-{new}-text_sv": ""}
    return {**data, **changes}


@pytest.mark.parametrize("page", PAGES)
def test_it_shows_each_page_to_evaluation_staff_only(client, round, staff, viewer, outsider, page):
    url = reverse(page, args=[round.code])
    assert client.get(url).status_code == 302  # to the login
    for person, status in ((outsider, 403), (viewer, 403), (staff, 200)):
        client.force_login(person)
        assert client.get(url).status_code == status, person
        assert client.post(url, {}).status_code in ((403,) if status == 403 else (400,))
    assert client.get(reverse(page, args=["no-such-round"])).status_code == 404


def test_it_saves_the_settings_and_records_an_edit(client, round, staff):
    client.force_login(staff)
    response = client.post(reverse("staff:round_settings", args=[round.code]), settings_post())
    assert response.status_code == 302
    round.refresh_from_db()
    assert (round.title_fi, round.title_sv, round.purpose_sv) == ("Kuntakysely 2026", "Kommunenkät 2026", "Syfte.")
    assert (round.reminder_interval_days, round.narrative_strongest, round.narrative_weakest) == (5, 2, 1)
    assert round.allow_changes_after_submit is True
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ROUND_EDIT)
    assert entry.detail == {"what": "settings"}
    assert "The round&#x27;s settings are saved." in client.get(response.url).content.decode()


def test_it_shows_the_files_messages_next_to_their_fields_and_keeps_what_was_typed(client, round, staff):
    client.force_login(staff)
    response = client.post(
        reverse("staff:round_settings", args=[round.code]),
        settings_post(title_sv="", purpose_fi="Uusi tarkoitus", closes_on="2024-11-01", reminder_interval_days="400"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert '<a href="#id_title_sv">Title (in Swedish): must not be empty</a>' in html
    assert '<a href="#id_reminder_interval_days">Days between reminders: must be at most 365</a>' in html
    assert "2024-11-01 is before opens_on 2024-11-06" in html
    assert 'id="id_title_sv-error"' in html and 'aria-invalid="true"' in html
    assert "Uusi tarkoitus" in html, "what was typed is shown again"
    round.refresh_from_db()
    assert round.title_sv == "Kommunenkät"


def test_it_refuses_a_non_ascii_number_and_a_nul_byte(client, round, staff):
    client.force_login(staff)
    response = client.post(
        reverse("staff:round_settings", args=[round.code]),
        settings_post(reminder_interval_days="٣", title_fi="a\x00b"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write a whole number in digits 0–9." in html
    assert "cannot be saved" in html
    assert Round.objects.get().title_fi == "Kuntakysely"


def test_it_says_which_extension_a_new_closing_day_would_pass(client, round, staff):
    invitation = round.invitations.get(municipality__code="235")
    invitation.deadline_extended_to = "2024-12-10"
    invitation.save()
    client.force_login(staff)
    response = client.post(reverse("staff:round_settings", args=[round.code]), settings_post(closes_on="2024-12-12"))
    assert response.status_code == 400
    assert "invitation of 235" in response.content.decode()


def test_it_saves_the_scale_with_a_new_step_and_a_removed_one(client, round, staff):
    client.force_login(staff)
    response = client.post(
        reverse("staff:round_scale", args=[round.code]),
        scale_post(
            round,
            **{
                "step-4-DELETE": "on",
                "step-5-value": "0",
                "step-5-label_fi": "Ei ollenkaan",
                "step-5-label_sv": "Inte alls",
                "step-0-level_fi": "erinomaiseksi",
                "step-0-level_sv": "utmärkt",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(ScaleOption.objects.values_list("value", "label_fi")) == [
        (5, "Erinomaisesti"),
        (4, "Hyvin"),
        (3, "Kohtalaisesti"),
        (2, "Heikosti"),
        (0, "Ei ollenkaan"),
    ]
    assert ScaleOption.objects.get(value=5).level_sv == "utmärkt"


def test_it_refuses_a_scale_step_without_swedish_and_a_value_used_twice(client, round, staff):
    client.force_login(staff)
    response = client.post(
        reverse("staff:round_scale", args=[round.code]),
        scale_post(round, **{"step-5-value": "5", "step-5-label_fi": "Uusi", "step-5-label_sv": ""}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#id_step-5-label_sv">Label (in Swedish): must not be empty</a>' in html
    assert "5 is used more than once" in html
    assert ScaleOption.objects.count() == 5


def test_it_shows_the_asked_scale_read_only_once_anybody_has_answered_and_saves_level_words(client, round, staff):
    submit(round.invitations.get(municipality__code="235"), at=DURING_ROUND, values={"osallisuus": 4})
    client.force_login(staff)
    url = reverse("staff:round_scale", args=[round.code])
    html = client.get(url).content.decode()
    assert "can no longer change" in html
    assert 'name="step-0-label_fi"' not in html
    assert 'name="step-0-level_fi"' in html
    data = scale_post(
        round,
        **{
            "step-TOTAL_FORMS": "5",
            "step-0-level_fi": "erinomaiseksi",
            "step-0-level_sv": "utmärkt",
            "step-0-label_fi": "X",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302
    option = ScaleOption.objects.get(value=5)
    assert (option.label_fi, option.level_fi) == ("Erinomaisesti", "erinomaiseksi")


def test_it_adds_reorders_and_removes_questions(client, round, staff):
    client.force_login(staff)
    url = reverse("staff:round_questions", args=[round.code])
    data = questions_post(
        round, **{"question-2-text_fi": "Uusi kysymys?", "question-2-text_sv": "Ny fråga?", "question-0-DELETE": "on"}
    )
    assert client.post(url, data).status_code == 302
    assert list(Question.objects.values_list("code", "order")) == [("muuta", 1), ("uusi-kysymys", 2)]
    response = client.post(url, questions_post(Round.objects.get(), move="down-0"))
    assert response.status_code == 302
    assert response.url == f"{url}#question-1", "last now: back to its box, as it cannot move down again"
    assert list(Question.objects.values_list("code", flat=True)) == ["uusi-kysymys", "muuta"]
    response = client.post(url, questions_post(Round.objects.get(), move="up-1"))
    assert response.url == f"{url}#question-0"
    data = questions_post(Round.objects.get(), **{"question-2-text_fi": "Kolmas?", "question-2-text_sv": "Tredje?"})
    assert client.post(url, data).status_code == 302
    response = client.post(url, questions_post(Round.objects.get(), move="down-0"))
    assert response.url == f"{url}#question-1-down", "it can move down again: back to the button"
    assert 'id="question-1-down"' in client.get(url).content.decode()


def test_it_refuses_a_question_code_used_by_a_goal(client, round, staff):
    client.force_login(staff)
    url = reverse("staff:round_questions", args=[round.code])
    response = client.post(url, questions_post(round, **{"question-0-code": "osallisuus"}))
    assert response.status_code == 400
    assert "is used more than once" in response.content.decode()
    assert Question.objects.filter(code="kehittaminen").exists()


def test_it_shows_the_questions_read_only_once_anybody_has_answered(client, round, staff):
    submit(round.invitations.get(municipality__code="235"), at=DURING_ROUND, values={"osallisuus": 4})
    client.force_login(staff)
    url = reverse("staff:round_questions", args=[round.code])
    html = client.get(url).content.decode()
    assert "can no longer change" in html and 'name="question-0-code"' not in html
    assert client.post(url, questions_post(round, **{"question-0-text_fi": "Muutettu"})).status_code == 400
    assert Question.objects.get(code="kehittaminen").text_fi == "Mitä yhteistyössä pitäisi kehittää?"


def test_an_edit_on_the_page_keeps_invitations_and_contacts(client, round, staff):
    contacts = list(Contact.objects.order_by("pk").values())
    client.force_login(staff)
    assert client.post(reverse("staff:round_settings", args=[round.code]), settings_post()).status_code == 302
    assert list(Contact.objects.order_by("pk").values()) == contacts


def test_it_links_the_editors_from_the_round_page(client, staff):
    round = make_round(opens_on=date(2099, 1, 1), closes_on=date(2099, 2, 1))
    client.force_login(staff)
    html = client.get(reverse("staff:round", args=[round.code])).content.decode()
    for page in [*PAGES, "staff:round_tree", "staff:round_check"]:
        assert reverse(page, args=[round.code]) in html


def test_it_shows_the_settings_in_finnish_and_swedish(client, round, staff):
    client.force_login(staff)
    for language, words in (("fi", "Otsikko (suomeksi)"), ("sv", "Rubrik (på svenska)")):
        client.cookies["arvio_language"] = language
        assert words in client.get(reverse("staff:round_settings", args=[round.code])).content.decode()
