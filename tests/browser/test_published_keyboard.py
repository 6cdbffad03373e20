"""The published report and a municipality's feedback with a keyboard alone, in Debian's Chromium."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from arvio.results.services import narrative_save
from arvio.surveys.models import Round

PAST_ROUND = "kuntakysely-2024"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Presses Tab until the element `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def new_page(browser, demo, language="fi"):
    context = browser.new_context(accept_downloads=True)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": demo.url}])
    return context.new_page()


def test_the_published_report_works_with_a_keyboard_alone(browser, demo):
    # The page `make run` prints: the demo published it as staff publish it.
    round = Round.objects.get(code=PAST_ROUND)
    narrative_save(round=round, language="fi", text="Muokattu myöhemmin, julkaisematta.", by=None)
    page = new_page(browser, demo)
    page.goto(demo.published_url)

    # The skip link first, to the content.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    # The contents' link to the downloads, then a download by Enter.
    tab_to(page, 'nav.contents a[href="#download"]')
    page.keyboard.press("Enter")
    tab_to(page, 'a[download][href$=".pdf"]')
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "kuntakysely-2024-fi.pdf"
    # The later edit is not on the page: what was published stays.
    expect(page.get_by_text("Muokattu myöhemmin")).to_have_count(0)
    # The language switcher, by keyboard: the Swedish page.
    page.goto(page.url)
    tab_to(page, 'button[name="language"][value="sv"]')
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text(round.title_sv)


def test_the_feedback_works_with_a_keyboard_alone(browser, demo):
    # The feedback link `make run` prints: Kauniainen's, of the closed 2024 round.
    page = new_page(browser, demo, "sv")
    page.goto(demo.feedback_link)
    expect(page).to_have_url(demo.url + reverse("feedback:page"))
    tab_to(page, f'a[href="{reverse("feedback:pdf")}"]')
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith("kuntakysely-2024-235-sv.pdf")
    # The wide table scrolls in a box of its own, which takes the focus.
    tab_to(page, ".table-scroll")
