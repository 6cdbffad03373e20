"""Chromium enforces Arvio's Content-Security-Policy and refuses nothing: on the staff pages, the admin's, the
answer form while autosave runs, and the results page; and the downloaded HTML report's own policy keeps its
style.

Each page is watched twice: the console, where Chromium reports every violation ("Refused to load …",
"Executing inline script violates the following Content Security Policy directive …"), and the page's own
`securitypolicyviolation` events, gathered by a script Playwright injects (which no policy blocks).
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from arvio.results.formats import exporters
from arvio.results.models import Excerpt
from arvio.results.report import report_build
from arvio.surveys.models import Round
from tests.browser.conftest import Demo
from tests.browser.test_accessibility import KAUNIAINEN, OPEN_ROUND, PAST_ROUND, log_in, new_page, t

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", event => {
  window.__violations.push(`${event.violatedDirective} refused ${event.blockedURI || "inline"} at line ${event.lineNumber}`);
});
"""


class Watch:
    """Every refusal on the pages one test visits, named by page, so that one failure names them all."""

    def __init__(self, page):
        self.page = page
        self.name = "?"
        self.problems: list[str] = []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{self.name}: script error {error}"))

    def _console(self, message) -> None:
        if "Refused to" in message.text or "Content Security Policy" in message.text:
            self.problems.append(f"{self.name}: console: {message.text}")

    def goto(self, url: str, name: str, status: int = 200) -> None:
        self.name = name
        response = self.page.goto(url)
        assert response.status == status, (name, response.status)
        assert "'unsafe-inline'" not in response.headers["content-security-policy"], name
        self.page.wait_for_load_state("load")
        self.collect()

    def collect(self) -> None:
        self.problems.extend(f"{self.name}: {found}" for found in self.page.evaluate("window.__violations || []"))
        self.page.evaluate("window.__violations = []")

    def assert_clean(self) -> None:
        self.collect()
        assert not self.problems, f"{len(self.problems)} refusal(s):\n" + "\n".join(self.problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_refuses_nothing_on_the_staff_pages(browser, demo: Demo):
    page = new_page(browser, demo, "fi")
    watch = Watch(page)
    watch.goto(demo.url + reverse("staff:login"), "login page")
    log_in(page, demo)
    watch.goto(demo.url + reverse("staff:rounds"), "rounds")
    for code in (PAST_ROUND, OPEN_ROUND):
        watch.goto(demo.url + reverse("staff:round", args=[code]), f"round {code}")
        watch.goto(demo.url + reverse("staff:invitation", args=[code, KAUNIAINEN]), f"invitation {code}")
    watch.goto(demo.url + reverse("staff:close_round", args=[OPEN_ROUND]), "close round")
    watch.goto(demo.url + reverse("curation:excerpts", args=[PAST_ROUND]), "excerpts")
    excerpt = Excerpt.objects.filter(round__code=PAST_ROUND).first()
    watch.goto(demo.url + reverse("curation:excerpt_edit", args=[PAST_ROUND, excerpt.pk]), "excerpt")
    watch.goto(demo.url + reverse("curation:narrative", args=[PAST_ROUND, "fi"]), "narrative")

    # The language switch posts a form (form-action 'self') and comes back.
    watch.name = "language switch"
    page.get_by_role("button", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    watch.collect()

    # The admin's own scripts and styles: its list, its forms, its theme switch.
    get_user_model().objects.create_superuser("admin", password="correct horse battery")
    admin = new_page(browser, demo, "fi")
    watch_admin = Watch(admin)
    watch_admin.goto(demo.url + reverse("admin:login"), "admin login")
    admin.locator("#id_username").fill("admin")
    admin.locator("#id_password").fill("correct horse battery")
    admin.locator("#id_password").press("Enter")
    expect(admin).to_have_url(demo.url + reverse("admin:index"))
    watch_admin.goto(demo.url + reverse("admin:surveys_round_changelist"), "admin list")
    round = Round.objects.get(code=OPEN_ROUND)
    watch_admin.goto(demo.url + reverse("admin:surveys_round_change", args=[round.pk]), "admin form")

    watch.assert_clean()
    watch_admin.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_refuses_nothing_on_the_answer_form_while_autosave_runs(browser, demo: Demo):
    page = new_page(browser, demo, "fi")
    watch = Watch(page)
    watch.name = "opening the link"
    page.goto(demo.links[0])
    expect(page).to_have_url(demo.url + reverse("responses:answer"))
    watch.collect()
    watch.name = "answer form"

    # Autosave is the page's script: it must run, and its fetch must be allowed (connect-src from default-src).
    with page.expect_response(lambda response: response.request.method == "POST") as saved:
        page.locator("input[type=radio]").first.check()
    assert saved.value.status == 200
    assert saved.value.request.headers["x-requested-with"] == "fetch"
    saved_text = re.escape(t("fi", "Saved {time}")).replace(re.escape("{time}"), r"\d{1,2}\.\d\d")
    expect(page.locator("#save-status")).to_have_text(re.compile(f"^{saved_text}$"))

    page.get_by_role("button", name=t("fi", "Review and submit"), exact=True).click()
    expect(page).to_have_url(demo.url + reverse("responses:review"))
    watch.name = "review page"
    watch.collect()
    page.locator("#id_name").fill("Kaisa Kuusela")
    page.get_by_role("button", name=t("fi", "Submit"), exact=True).click()
    expect(page).to_have_url(demo.url + reverse("responses:done"))
    watch.name = "confirmation page"
    # Its print button is shown by the script.
    expect(page.locator("[data-print]")).to_be_visible()

    watch.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_refuses_nothing_on_the_results_page(browser, demo: Demo):
    page = new_page(browser, demo, "fi")
    watch = Watch(page)
    log_in(page, demo)
    watch.goto(demo.url + reverse("results:page", args=[PAST_ROUND]), "results page")
    # The chart is drawn, styled by the stylesheet alone.
    expect(page.locator("svg.chart").first).to_be_visible()
    watch.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_downloaded_reports_style_under_its_own_policy(browser, demo: Demo):
    page = new_page(browser, demo, "fi")
    watch = Watch(page)
    watch.name = "HTML report"
    report = report_build(Round.objects.get(code=PAST_ROUND), language="fi")
    page.set_content(exporters()["html"].render(report)[2].decode("utf-8"))
    # The style its policy names by hash applies: headings in the report's dark blue (--accent-dark).
    expect(page.locator("h2").first).to_have_css("color", "rgb(0, 62, 97)")
    watch.assert_clean()

    # A script slipped into the file would not run, and the refusal is seen: the watch itself works.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = true';"
        " document.head.append(s); }"
    )
    assert page.evaluate("window.ran") is None
    watch.collect()
    assert watch.problems and all("script" in problem for problem in watch.problems), watch.problems
