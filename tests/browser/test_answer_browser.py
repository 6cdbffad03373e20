"""A Kauniainen official answers the demo's open round in a real Chromium, as a person would:
by the goals' texts and the choices' labels, never by CSS selectors."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from arvio.invitations.links import link_create
from arvio.lib.dates import local_date
from arvio.responses.models import Response
from arvio.surveys.models import Round
from tests.factories import make_round

SCREENSHOT = "/tmp/form-screenshot.png"


def fi(text: str) -> str:
    """The interface's words as a Finnish-speaking official sees them (whatever the catalogue holds)."""
    with translation.override("fi"):
        return translation.gettext(text)


def choice(page, goal: str, label: str):
    """The radio button labelled `label` in the group of the goal whose text is `goal`."""
    return page.get_by_role("group", name=goal, exact=True).get_by_role("radio", name=label, exact=True)


def saved_status():
    """The autosave status line once a save has succeeded: "Saved 12.34"."""
    return re.compile("^" + re.escape(fi("Saved {time}")).replace(re.escape("{time}"), r"\d{1,2}\.\d\d") + "$")


def draft_saved_message():
    return re.compile(re.escape(fi("Draft saved at %(time)s.")).replace(re.escape("%(time)s"), r"\d{1,2}\.\d\d"))


@pytest.fixture
def answer_link(demo) -> str:
    """The demo's link for Kauniainen (bilingual, Finnish majority), pointing at the live server."""
    return demo.links[0]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_answers_the_demo_round_in_a_browser(browser, answer_link, live_server):
    round = Round.objects.get(code="kuntakysely-demo")
    goals = [goal.tr("text", "fi") for goal in round.rated_goals()]
    labels = [f"{option.value} – {option.tr('label', 'fi')}" for option in round.scale.all()]
    labels.append(round.tr("dont_know_label", "fi"))
    # Every goal gets an answer; the choices go round the scale so that each label is used.
    chosen = {goal: labels[i % len(labels)] for i, goal in enumerate(goals)}
    question = round.questions.first().tr("text", "fi")

    page = browser.new_page(locale="fi-FI")
    page.goto(answer_link)
    assert page.url == f"{live_server.url}/answer/"
    expect(page.get_by_role("heading", level=1)).to_have_text(round.tr("title", "fi"))

    for goal, label in chosen.items():
        choice(page, goal, label).check()
    page.get_by_label(question, exact=True).fill("Yhteiset tavoitteet ja säännölliset tapaamiset.")
    # Autosave: the status line says when the draft was saved, without any button pressed.
    expect(page.get_by_text(saved_status())).to_be_visible(timeout=15_000)
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.reload()
    for goal, label in chosen.items():
        expect(choice(page, goal, label)).to_be_checked()
    expect(page.get_by_label(question, exact=True)).to_have_value("Yhteiset tavoitteet ja säännölliset tapaamiset.")

    # A change saved with the button, as without JavaScript.
    first_goal = goals[0]
    chosen[first_goal] = labels[0]
    choice(page, first_goal, labels[0]).check()
    page.get_by_role("button", name=fi("Save draft"), exact=True).click()
    expect(page.get_by_text(draft_saved_message())).to_be_visible()
    page.reload()
    expect(choice(page, first_goal, labels[0])).to_be_checked()

    page.get_by_role("button", name=fi("Review and submit"), exact=True).click()
    assert page.url == f"{live_server.url}/answer/review/"
    expect(page.get_by_text("Yhteiset tavoitteet ja säännölliset tapaamiset.")).to_be_visible()
    page.get_by_label(re.compile("^" + re.escape(fi("Your name")))).fill("Kaisa Kuusela")
    page.get_by_label(re.compile("^" + re.escape(fi("Your title or role")))).fill("kaupunginjohtaja")
    page.get_by_role("button", name=fi("Submit"), exact=True).click()

    assert page.url == f"{live_server.url}/answer/done/"
    expect(page.get_by_role("heading", level=1)).to_have_text(fi("Thank you, the answers have been submitted"))
    expect(page.get_by_text("Kaisa Kuusela, kaupunginjohtaja")).to_be_visible()
    expect(page.get_by_text("Yhteiset tavoitteet ja säännölliset tapaamiset.")).to_be_visible()
    for goal, label in chosen.items():
        term = page.get_by_role("term").filter(has_text=re.compile(f"^{re.escape(goal)}$"))
        expect(term.locator("xpath=following-sibling::dd[1]")).to_have_text(label)

    response = Response.objects.get(invitation__round=round, invitation__municipality__code="235")
    assert response.submission_count == 1
    assert response.answers.count() == len(goals)
    assert response.comments.get().text == "Yhteiset tavoitteet ja säännölliset tapaamiset."


@pytest.fixture
def factory_link(live_server, settings):
    """A link of Kauniainen for a small round open around today."""
    today = local_date(timezone.now())
    round = make_round(code="selainkierros", opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=10))
    token = link_create(invitation=round.invitations.get(municipality__code="235"))
    return f"{live_server.url}/a/{token}/"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_switches_the_language_without_javascript_keeping_the_answers(browser, factory_link, live_server):
    page = browser.new_page(java_script_enabled=False, locale="fi-FI")
    page.goto(factory_link)
    choice(page, "Luomme selkeän yhdyspintarakenteen.", "4 – Hyvin").check()
    page.get_by_label("Mitä yhteistyössä pitäisi kehittää?", exact=True).fill("Yhteinen tietopohja.")

    # Enter on a choice saves the draft; it must not switch the language.
    choice(page, "Luomme selkeän yhdyspintarakenteen.", "4 – Hyvin").press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_text(draft_saved_message())).to_be_visible()

    choice(page, "Asukkaat ovat mukana suunnittelussa.", "En osaa sanoa").check()
    page.get_by_role("button", name="Svenska", exact=True).click()

    assert page.url == f"{live_server.url}/answer/"
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(choice(page, "Vi skapar en tydlig gränsytestruktur.", "4 – Väl")).to_be_checked()
    expect(choice(page, "Invånarna deltar i planeringen.", "Kan inte säga")).to_be_checked()
    expect(page.get_by_label("Vad borde utvecklas i samarbetet?", exact=True)).to_have_value("Yhteinen tietopohja.")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_autosave_stops_at_a_conflict_and_the_button_shows_both_versions(browser, factory_link):
    goal = "Luomme selkeän yhdyspintarakenteen."
    kaisa = browser.new_context(locale="fi-FI").new_page()
    kalle = browser.new_context(locale="fi-FI").new_page()
    kaisa.goto(factory_link)
    kalle.goto(factory_link)

    choice(kaisa, goal, "5 – Erinomaisesti").check()
    expect(kaisa.get_by_text(saved_status())).to_be_visible(timeout=15_000)

    # Kalle's page was built before Kaisa's save: his autosave is refused and stops.
    choice(kalle, goal, "1 – Ei lainkaan").check()
    conflict_message = fi(
        "Somebody else saved these answers meanwhile. Autosave has stopped: press “Save draft” to compare the versions."
    )
    expect(kalle.get_by_text(conflict_message)).to_be_visible(timeout=15_000)
    assert Response.objects.get().draft["ratings"] == {"yhteistyo-1": 5}

    kalle.get_by_role("button", name=fi("Save draft"), exact=True).click()
    expect(kalle.get_by_role("heading", name=fi("Your version"))).to_be_visible()
    expect(choice(kalle, goal, "1 – Ei lainkaan")).to_be_checked()
    assert Response.objects.get().draft["ratings"] == {"yhteistyo-1": 5}

    # Saving again is his explicit choice: now his version replaces Kaisa's.
    kalle.get_by_role("button", name=fi("Save draft"), exact=True).click()
    expect(kalle.get_by_role("heading", name=fi("Your version"))).to_have_count(0)
    assert Response.objects.get().draft["ratings"] == {"yhteistyo-1": 1}
