"""The answer form's guidance in a real Chromium, by accessible names and labels: the progress line follows
the official's answers, and a missing name takes the focus. And the staff's preview and new round work from the
keyboard alone."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from arvio.invitations.links import link_create
from arvio.lib.dates import local_date
from arvio.surveys.models import Round
from tests.factories import make_round


def fi(text: str) -> str:
    with translation.override("fi"):
        return translation.gettext(text)


def progress(rated: int, asked: int) -> str:
    return fi("%(rated)s/%(asked)s rated") % {"rated": rated, "asked": asked}


@pytest.fixture
def answer_link(live_server, settings):
    """A link of Kauniainen for a small round open around today (three rated goals)."""
    settings.ARVIO_BASE_URL = live_server.url
    today = local_date(timezone.now())
    round = make_round(code="ohjauskierros", opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=10))
    token = link_create(invitation=round.invitations.get(municipality__code="235"))
    return f"{live_server.url}/a/{token}/"


def choice(page, goal: str, label: str):
    return page.get_by_role("group", name=goal, exact=True).get_by_role("radio", name=label, exact=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_progress_line_follows_the_answers(browser, answer_link):
    page = browser.new_page(locale="fi-FI")
    page.goto(answer_link)
    status = page.get_by_role("status").filter(has_text=progress(0, 3))
    expect(status).to_have_text(progress(0, 3))
    expect(status).to_have_attribute("id", "progress")

    choice(page, "Luomme selkeän yhdyspintarakenteen.", "4 – Hyvin").check()
    expect(page.get_by_text(progress(1, 3), exact=True)).to_be_visible()
    choice(page, "Asukkaat ovat mukana suunnittelussa.", "En osaa sanoa").check()
    expect(page.get_by_text(progress(2, 3), exact=True)).to_be_visible()
    # Another choice for a goal already answered counts it once.
    choice(page, "Luomme selkeän yhdyspintarakenteen.", "2 – Heikosti").check()
    expect(page.get_by_text(progress(2, 3), exact=True)).to_be_visible()
    # Typing in a comment does not touch it.
    page.get_by_label("Muuta palautetta", exact=True).fill("Kiitos.")
    expect(page.get_by_text(progress(2, 3), exact=True)).to_be_visible()

    # The server counts the same once the draft is saved and the page loads again.
    page.get_by_role("button", name=fi("Save draft"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/answer/#form-actions$"))
    expect(page.get_by_text(progress(2, 3), exact=True)).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_sections_save_returns_to_that_section_without_javascript(browser, answer_link):
    context = browser.new_context(locale="fi-FI", java_script_enabled=False)
    page = context.new_page()
    page.goto(answer_link)
    choice(page, "Asukkaat ovat mukana suunnittelussa.", "3 – Kohtalaisesti").check()
    page.get_by_role("button", name=fi("Save draft") + " – Asukkaat ovat mukana suunnittelussa.", exact=True).click()
    expect(page).to_have_url(re.compile(r"/answer/#s-osallisuus$"))
    expect(choice(page, "Asukkaat ovat mukana suunnittelussa.", "3 – Kohtalaisesti")).to_be_checked()
    expect(page.get_by_role("heading", name="Asukkaat ovat mukana suunnittelussa.", level=2)).to_be_in_viewport()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_missing_name_says_which_field_and_takes_the_focus(browser, answer_link, javascript):
    context = browser.new_context(locale="fi-FI", java_script_enabled=javascript)
    page = context.new_page()
    page.goto(answer_link)
    choice(page, "Asukkaat ovat mukana suunnittelussa.", "5 – Erinomaisesti").check()
    page.get_by_role("button", name=fi("Review and submit"), exact=True).click()
    page.get_by_role("button", name=fi("Submit"), exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("Kirjoittakaa nimenne")
    name = page.get_by_label(re.compile("^" + re.escape(fi("Your name"))))
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(re.compile("Kirjoittakaa nimenne"))
    # The error summary's link leads to the field too.
    page.get_by_role("link", name="Kirjoittakaa nimenne").click()
    expect(name).to_be_focused()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_review_links_an_unanswered_goal_to_its_place(browser, answer_link):
    page = browser.new_page(locale="fi-FI")
    page.goto(answer_link)
    choice(page, "Asukkaat ovat mukana suunnittelussa.", "5 – Erinomaisesti").check()
    page.get_by_role("button", name=fi("Review and submit"), exact=True).click()
    page.get_by_role("link", name="Kehitämme yhteistä tietopohjaa.", exact=True).click()
    expect(page).to_have_url(re.compile(r"/answer/#g-yhteistyo-2$"))
    expect(page.get_by_role("group", name="Kehitämme yhteistä tietopohjaa.", exact=True)).to_be_in_viewport()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_make_a_copy_and_preview_it_in_swedish_with_the_keyboard_alone(browser, demo):
    page = browser.new_page(locale="fi-FI")
    page.goto(demo.url + reverse("staff:login"))
    page.get_by_label(re.compile(fi("username"), re.IGNORECASE)).fill("arvioija")
    page.get_by_label(re.compile(fi("password"), re.IGNORECASE)).fill(demo.passwords["arvioija"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(demo.url + reverse("staff:rounds"))

    new_round = page.get_by_role("link", name=fi("New round"), exact=True)
    new_round.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(fi("New round"))
    page.get_by_label(fi("Round to copy"), exact=False).select_option("kuntakysely-2024")
    page.get_by_label(fi("Title in Finnish"), exact=False).fill("Kuntakysely 2026")
    page.get_by_label(fi("Title in Swedish"), exact=False).fill("Kommunenkät 2026")
    opens_on = local_date(timezone.now()) + timedelta(days=30)
    page.get_by_label(fi("Opens on"), exact=False).fill(opens_on.isoformat())
    page.get_by_label(fi("Closes on"), exact=False).fill((opens_on + timedelta(days=28)).isoformat())
    make = page.get_by_role("button", name=fi("Make the round"), exact=True)
    make.focus()
    page.keyboard.press("Enter")

    code = "kuntakysely-2026"  # from the title, which names its year
    expect(page).to_have_url(demo.url + reverse("staff:round", args=[code]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kuntakysely 2026")
    copy = Round.objects.get(code=code)
    assert len(copy.rated_goals()) == len(Round.objects.get(code="kuntakysely-2024").rated_goals())

    swedish = page.get_by_role("link", name="på svenska", exact=True)
    swedish.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommunenkät 2026")
    expect(page.get_by_role("button", name="Spara utkast", exact=True)).to_be_disabled()
