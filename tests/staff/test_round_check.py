"""The check before opening: the pure `round_check` (surveys/round_check.py) and its page."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from arvio.invitations.models import Contact
from arvio.surveys.models import Node, Round
from arvio.surveys.round_check import Fix, MailSetup, round_check, round_check_gaps
from tests.factories import make_round
from tests.surveys.survey_files import text, valid_definition

SMTP = MailSetup(backend="django.core.mail.backends.smtp.EmailBackend", host="smtp.example.fi", debug=False)
TODAY = date(2024, 11, 1)


@pytest.fixture(autouse=True)
def _english_messages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def gaps(definition, *, today=TODAY, mail=SMTP) -> list[tuple[str, Fix | None]]:
    return [
        (gap.message, gap.fix)
        for section in round_check(definition=definition, today=today, mail=mail)
        for gap in section.gaps
    ]


def test_it_finds_nothing_to_fix_in_a_complete_round():
    sections = round_check(definition=valid_definition(), today=TODAY, mail=SMTP)
    assert round_check_gaps(sections) == 0
    assert [section.passed for section in sections] == [True] * 5
    assert "Mail is sent through the SMTP server smtp.example.fi." in [section.ok for section in sections]


def test_it_finds_every_missing_swedish_or_finnish_text_with_the_field_that_fixes_it():
    data = valid_definition()
    data["round"]["title"] = {"fi": "Kuntakysely", "sv": ""}
    data["round"]["instructions"] = {"fi": "", "sv": "Svara"}
    data["scale"]["options"][1]["label"] = {"fi": "Hyvin", "sv": " "}
    data["scale"]["dont_know"] = None
    data["questions"][0]["text"] = {"fi": "Mitä?", "sv": ""}
    data["documents"][0]["goals"][0]["subgoals"][0]["text"] = {"fi": "", "sv": "Struktur"}
    data["documents"][0]["goals"][0]["label_genitive"] = {"fi": "yhteistyön", "sv": ""}
    assert gaps(data) == [
        ("Title: the Swedish text is missing", Fix("settings", "", "title_sv")),
        ("Instructions: the Finnish text is missing", Fix("settings", "", "instructions_fi")),
        ("Scale step 4: label: the Swedish text is missing", Fix("scale", "", "step-1-label_sv")),
        ("Scale: “can't say”: the Finnish text is missing", Fix("scale", "", "dont_know_fi")),
        ("Scale: “can't say”: the Swedish text is missing", Fix("scale", "", "dont_know_sv")),
        ("Open question “kehittaminen”: the Swedish text is missing", Fix("questions", "", "question-0-text_sv")),
        (
            "“yhteistyo”: short label in the genitive: the Swedish text is missing",
            Fix("node", "yhteistyo", "label_genitive_sv"),
        ),
        ("“yhteistyo-rakenne”: text: the Finnish text is missing", Fix("node", "yhteistyo-rakenne", "text_fi")),
    ]


def test_it_needs_a_goal_to_rate():
    data = valid_definition()
    data["documents"] = [{"code": "tyhja", "text": text("Tyhjä", "Tom")}]
    assert gaps(data) == [("The goal tree has no goal to rate: add a goal.", Fix("tree"))]


def test_it_links_each_invitation_without_a_contact_person_to_its_page():
    data = valid_definition()
    data["invitations"][1]["contacts"] = []
    assert gaps(data) == [
        ("Karkkila has no contact person: nobody would get its invitation.", Fix("invitation", "224", "contacts"))
    ]
    data["invitations"] = []
    assert gaps(data) == [("No municipality is invited yet.", Fix("round"))]


@pytest.mark.parametrize(
    ("mail", "ok"),
    [
        (MailSetup("django.core.mail.backends.console.EmailBackend", "localhost", True), "printed to the console"),
        (MailSetup("django.core.mail.backends.locmem.EmailBackend", "localhost", True), "kept in memory"),
        (MailSetup("anymail.backends.mailgun.EmailBackend", "", False), "Mail is sent through anymail"),
    ],
)
def test_it_says_which_mail_setup_serves(mail, ok):
    section = round_check(definition=valid_definition(), today=TODAY, mail=mail)[3]
    assert section.passed and ok in section.ok


@pytest.mark.parametrize(
    "mail",
    [
        MailSetup("django.core.mail.backends.console.EmailBackend", "localhost", False),
        MailSetup("django.core.mail.backends.dummy.EmailBackend", "localhost", True),
        MailSetup("django.core.mail.backends.smtp.EmailBackend", "", False),
    ],
)
def test_it_finds_mail_that_would_reach_nobody(mail):
    ((message, fix),) = gaps(valid_definition(), mail=mail)
    assert "administrator" in message and fix is None


def test_it_needs_the_window_to_start_today_or_later_and_to_end_after_it_starts():
    assert gaps(valid_definition(), today=date(2024, 11, 6)) == []
    assert gaps(valid_definition(), today=date(2024, 11, 7)) == [
        ("The opening day 6.11.2024 has passed: choose today or a later day.", Fix("settings", "", "opens_on"))
    ]
    data = valid_definition()
    data["round"]["closes_on"] = data["round"]["opens_on"]
    assert gaps(data) == [("The closing day must come after the opening day.", Fix("settings", "", "closes_on"))]


# The page


@pytest.fixture
def future_round(db):
    return make_round(opens_on=date(2099, 3, 2), closes_on=date(2099, 3, 31))


@pytest.mark.django_db
def test_it_shows_the_check_to_evaluation_staff_only(client, future_round, staff, viewer, outsider):
    url = reverse("staff:round_check", args=[future_round.code])
    for person, status in ((viewer, 403), (outsider, 403), (staff, 200)):
        client.force_login(person)
        assert client.get(url).status_code == status
    assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_it_links_each_gap_to_the_page_and_field_that_fixes_it(client, future_round, staff, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "smtp.example.fi"
    Round.objects.filter(pk=future_round.pk).update(title_sv="")
    Node.objects.filter(code="osallisuus").update(text_sv="")
    Contact.objects.filter(invitation__municipality__code="927").delete()
    client.force_login(staff)
    html = client.get(reverse("staff:round_check", args=[future_round.code])).content.decode()
    code = future_round.code
    assert f'<a href="/staff/rounds/{code}/settings/#id_title_sv">Title: the Swedish text is missing</a>' in html
    assert f'<a href="/staff/rounds/{code}/tree/osallisuus/edit/#id_text_sv">' in html
    assert f'<a href="/staff/rounds/{code}/927/#contacts">Vihti has no contact person' in html
    assert "3 things to fix before the round opens." in html
    assert "Mail is sent through the SMTP server smtp.example.fi." in html
    # The field each link points at is on its page.
    assert 'id="id_title_sv"' in client.get(f"/staff/rounds/{code}/settings/").content.decode()
    assert 'id="id_text_sv"' in client.get(f"/staff/rounds/{code}/tree/osallisuus/edit/").content.decode()


@pytest.mark.django_db
def test_it_summarises_the_check_on_the_round_page_before_the_round_opens(client, future_round, staff, settings):
    settings.DEBUG = True  # the console backend of development
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    client.force_login(staff)
    url = reverse("staff:round", args=[future_round.code])
    assert "Everything is ready for the round to open." in client.get(url).content.decode()
    Round.objects.filter(pk=future_round.pk).update(title_sv="")
    html = client.get(url).content.decode()
    assert "1 thing to fix before the round opens." in html
    assert reverse("staff:round_check", args=[future_round.code]) in html
