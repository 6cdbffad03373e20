"""Every page of Arvio, in Finnish and in Swedish, checked in a real Chromium: by axe-core against WCAG 2.1 A and AA,
and for reflow at 320 CSS pixels (1.4.10), which axe does not check.

Automated checks catch only part of what a person with a screen reader or a keyboard would meet; a clean run is
the floor, not the proof. The keyboard-only flows are in test_keyboard.py.
"""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from arvio.invitations.links import link_create
from arvio.invitations.models import AccessLink, Invitation, SentMail
from arvio.lib.dates import format_date, local_date
from arvio.public.services import publication_withdraw
from arvio.responses.models import LinkFailure
from arvio.results.formats import exporters
from arvio.results.models import Excerpt
from arvio.results.report import report_build
from arvio.surveys.models import Round
from tests.browser.conftest import Demo
from tests.factories import make_round

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
LANGUAGES = ["fi", "sv"]
LOCALES = {"fi": "fi-FI", "sv": "sv-FI"}
PAST_ROUND = "kuntakysely-2024"
OPEN_ROUND = "kuntakysely-demo"
KAUNIAINEN = "235"
REFLOW_WIDTH = 320
# The outermost elements reaching past the window's right edge, outside any scrolling box: "tag.class text…".
WIDE_ELEMENTS = """width => {
  const wide = element => element.getBoundingClientRect().right > width;
  const scrolled = element =>
    element !== null && (getComputedStyle(element).overflowX !== "visible" || scrolled(element.parentElement));
  const describe = element => {
    const text = element.textContent.replace(/\\s+/g, " ").trim().slice(0, 30);
    return `${element.localName}.${element.classList.value} "${text}"`;
  };
  return [...document.body.querySelectorAll("*")]
    .filter(element => wide(element) && !wide(element.parentElement) && !scrolled(element.parentElement))
    .slice(0, 5)
    .map(describe);
}"""


def t(language: str, text: str) -> str:
    """An interface text as it reads in `language` (whatever the catalogue holds)."""
    with translation.override(language):
        return translation.gettext(text)


def new_page(browser, demo: Demo, language: str):
    """A fresh browser whose language cookie asks for `language`, as after pressing its language button."""
    context = browser.new_context(locale=LOCALES[language])
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": demo.url}])
    return context.new_page()


def log_in(page, demo: Demo, username: str = "arvioija") -> None:
    page.goto(demo.url + reverse("staff:login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(demo.passwords[username])
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(demo.url + reverse("staff:rounds"))


class Audit:
    """What the checks find on the pages one test visits, gathered so that one failure names every page and
    element."""

    def __init__(self, language: str):
        self.language = language
        self.problems: list[str] = []

    def check(self, page, name: str) -> None:
        # The page must really be in the language under test, or the Swedish run would check Finnish pages.
        expect(page.locator("html")).to_have_attribute("lang", self.language)
        for violation in Axe().run(page, options=AXE_OPTIONS).response["violations"]:
            self.problems.append(self._describe(name, violation))
        self._check_reflow(page, name)

    def _describe(self, name: str, violation: dict) -> str:
        lines = [
            f"[{self.language}] {name}: {violation['id']} ({violation['impact']}) – {violation['help']}",
            f"    {violation['helpUrl']}",
        ]
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {' '.join(map(str, node['target']))}: {summary}")
        return "\n".join(lines)

    def _check_reflow(self, page, name: str) -> None:
        """WCAG 1.4.10: at 320 CSS pixels (1280 zoomed to 400 %) the page must not scroll sideways; a wide data
        table may, within a box of its own."""
        viewport = page.viewport_size
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > REFLOW_WIDTH:
            wide = page.evaluate(WIDE_ELEMENTS, REFLOW_WIDTH)
            self.problems.append(
                f"[{self.language}] {name}: reflow – the page is {width} px wide at {REFLOW_WIDTH} px; "
                f"sticking out: {', '.join(wide)}"
            )
        page.set_viewport_size(viewport)

    def assert_clean(self) -> None:
        assert not self.problems, f"{len(self.problems)} problem(s):\n" + "\n".join(self.problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violations_on_the_public_pages(browser, demo, language):
    audit = Audit(language)
    page = new_page(browser, demo, language)

    page.goto(demo.url + reverse("accessibility"))
    audit.check(page, "accessibility statement")

    page.goto(demo.url + reverse("responses:open_link", args=["not-a-valid-token"]))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "The link is not valid"))
    audit.check(page, "invalid link page")

    page.goto(demo.url + "/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Page not found"))
    audit.check(page, "404 page")

    # Bytes that are not UTF-8 in the query string: the page of a refused request (lib/middleware.py).
    page.goto(demo.url + reverse("accessibility") + "?q=%FF")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "The request could not be handled"))
    audit.check(page, "400 page")
    # A link of the 2024 round made long ago has expired, ARVIO_LINK_DAYS_AFTER_CLOSE days after the close.
    past = Invitation.objects.get(round__code=PAST_ROUND, municipality__code=KAUNIAINEN)
    expired = link_create(invitation=past)
    AccessLink.objects.filter(invitation=past).update(created_at=timezone.now() - timedelta(days=400))
    page.goto(demo.url + reverse("responses:open_link", args=[expired]))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "The link has expired"))
    audit.check(page, "expired link page")

    # Last: the browser's address is throttled from here on.
    LinkFailure.objects.bulk_create(
        LinkFailure(address="127.0.0.1", failed_at=timezone.now()) for _ in range(settings.ARVIO_LINK_FAILURE_LIMIT)
    )
    page.goto(demo.url + reverse("responses:open_link", args=["not-a-valid-token"]))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Too many wrong links"))
    audit.check(page, "throttled link page")

    audit.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violations_along_the_answer_form(browser, demo, language):
    audit = Audit(language)
    page = new_page(browser, demo, language)

    page.goto(demo.links[0])
    expect(page).to_have_url(demo.url + reverse("responses:answer"))
    audit.check(page, "answer form, empty")

    # A value off the scale, as a tampered request would send, shows the error summary and the field's error.
    page.locator("input[type=radio]").first.evaluate("radio => { radio.value = '9'; radio.checked = true; }")
    page.get_by_role("button", name=t(language, "Save draft"), exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "answer form with an invalid answer")

    page.locator("input[type=radio]").first.check()
    page.get_by_role("button", name=t(language, "Review and submit"), exact=True).click()
    expect(page).to_have_url(demo.url + reverse("responses:review"))
    audit.check(page, "review page")

    page.get_by_role("button", name=t(language, "Submit"), exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "review page with the name missing")

    page.locator("#id_name").fill("Kaisa Kuusela")
    page.get_by_role("button", name=t(language, "Submit"), exact=True).click()
    expect(page).to_have_url(demo.url + reverse("responses:done"))
    audit.check(page, "confirmation page")

    audit.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violations_on_the_status_pages(browser, demo, language):
    audit = Audit(language)
    page = new_page(browser, demo, language)

    # Kauniainen answered the 2024 round, which has closed: its link opens the feedback, which links back.
    closed = Invitation.objects.get(round__code=PAST_ROUND, municipality__code=KAUNIAINEN)
    page.goto(demo.url + reverse("responses:open_link", args=[link_create(invitation=closed)]))
    expect(page).to_have_url(demo.url + reverse("feedback:page"))
    page.goto(demo.url + reverse("responses:answer"))
    ended = t(language, "The response time ended on %(closes)s. The answers can no longer be changed.")
    expect(page.get_by_text(ended % {"closes": "5.12.2024"})).to_be_visible()
    audit.check(page, "status page, closed round")

    opens_on = local_date(timezone.now()) + timedelta(days=14)
    closes_on = opens_on + timedelta(days=30)
    future = make_round(code="tuleva-kierros", opens_on=opens_on, closes_on=closes_on)
    not_yet_open = future.invitations.get(municipality__code=KAUNIAINEN)
    page.goto(demo.url + reverse("responses:open_link", args=[link_create(invitation=not_yet_open)]))
    not_yet = t(language, "The survey is not open yet. You can answer from %(opens)s to %(closes)s.")
    not_yet %= {"opens": format_date(opens_on), "closes": format_date(closes_on)}
    expect(page.get_by_text(not_yet)).to_be_visible()
    audit.check(page, "status page, round not yet open")

    audit.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violations_on_the_staff_pages(browser, demo, language):
    audit = Audit(language)
    page = new_page(browser, demo, language)

    page.goto(demo.url + reverse("staff:login"))
    audit.check(page, "login page")

    page.locator("#id_username").fill("arvioija")
    page.locator("#id_password").fill("not the password")
    page.locator("#id_password").press("Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "login page with a wrong password")

    log_in(page, demo)
    audit.check(page, "rounds list")

    for code in (PAST_ROUND, OPEN_ROUND):
        page.goto(demo.url + reverse("staff:round", args=[code]))
        audit.check(page, f"round page {code}")
        page.goto(demo.url + reverse("staff:invitation", args=[code, KAUNIAINEN]))
        audit.check(page, f"invitation page {code}/{KAUNIAINEN}")

    # Mail that could not be sent: one failed, one waiting long for the worker.
    kauniainen = Invitation.objects.get(round__code=OPEN_ROUND, municipality__code=KAUNIAINEN)
    for state, queued_at in [
        (SentMail.State.FAILED, timezone.now()),
        (SentMail.State.QUEUED, timezone.now() - timedelta(hours=1)),
    ]:
        SentMail.objects.create(
            invitation=kauniainen,
            kind=SentMail.Kind.NEW_LINK,
            recipients="Kaisa Kuusela <kaisa@235.example.fi>",
            subject="Kuntakysely",
            state=state,
            attempts=8 if state == SentMail.State.FAILED else 0,
            last_error="SMTPRecipientsRefused: {'kaisa@235.example.fi': (550, b'No such user')}",
            queued_at=queued_at,
        )
    page.goto(demo.url + reverse("staff:round", args=[OPEN_ROUND]))
    expect(page.get_by_role("heading", name=t(language, "Mail not delivered"))).to_be_visible()
    audit.check(page, f"round page {OPEN_ROUND} with mail not delivered")

    page.goto(demo.url + reverse("staff:invitation", args=[OPEN_ROUND, KAUNIAINEN]))
    page.locator("#id_until").fill("2020-01-01")
    page.get_by_role("button", name=t(language, "Extend the deadline"), exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, f"invitation page {OPEN_ROUND}/{KAUNIAINEN} with a deadline too early")

    page.goto(demo.url + reverse("staff:close_round", args=[OPEN_ROUND]))
    audit.check(page, f"close round page {OPEN_ROUND}")

    # The demo's imports and the pages just visited have left entries in the audit log.
    page.goto(demo.url + reverse("staff:records"))
    expect(page.locator(".records-table tbody tr").first).to_be_visible()
    audit.check(page, "audit log")
    page.goto(demo.url + reverse("staff:records") + "?since=2024-12-06&until=2024-11-06")
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "audit log with a filter it cannot use")

    # A viewer may not close a round.
    viewer_page = new_page(browser, demo, language)
    log_in(viewer_page, demo, "katselija")
    viewer_page.goto(demo.url + reverse("staff:close_round", args=[OPEN_ROUND]))
    expect(viewer_page.get_by_role("heading", level=1)).to_have_text(t(language, "No access"))
    audit.check(viewer_page, "403 page")

    stranger_page = new_page(browser, demo, language)
    stranger_page.goto(demo.url + reverse("staff:login"))
    for _ in range(settings.ARVIO_LOGIN_FAILURE_LIMIT):
        stranger_page.locator("#id_username").fill("tuntematon")
        stranger_page.locator("#id_password").fill("arvaus")
        with stranger_page.expect_navigation():
            stranger_page.locator("#id_password").press("Enter")
    expect(stranger_page.get_by_role("heading", level=1)).to_have_text(t(language, "Too many failed logins"))
    audit.check(stranger_page, "locked-out page")

    audit.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violations_on_the_results_page(browser, demo, language):
    audit = Audit(language)
    page = new_page(browser, demo, language)
    log_in(page, demo)

    response = page.goto(demo.url + reverse("results:page", args=[PAST_ROUND]))
    assert response.status == 200
    audit.check(page, "results page")
    # The comparison with 2022: the baseline's values and the trend's table open, as a reader opens them.
    assert page.locator("#comparison").count() == 1 and page.locator("#trend").count() == 1
    page.locator("details").evaluate_all("elements => elements.forEach(element => { element.open = true; })")
    audit.check(page, "results page with the comparison's details open")

    audit.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violations_on_the_comparison_page(browser, demo, language):
    audit = Audit(language)
    page = new_page(browser, demo, language)
    log_in(page, demo)

    response = page.goto(demo.url + reverse("staff:round_comparison", args=[PAST_ROUND]))
    assert response.status == 200
    audit.check(page, "comparison page")
    # A mapping row that exists already: the page with its error summary.
    page.locator("#id_baseline_code").select_option("kotihoito")
    page.locator("#id_code").select_option("kotona-asuminen")
    page.get_by_role("button", name=t(language, "Add the row")).press("Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "comparison page with an error")

    audit.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violations_on_the_curation_pages(browser, demo, language):
    audit = Audit(language)
    page = new_page(browser, demo, language)
    log_in(page, demo)
    # One of the deck's excerpts, which the demo loads.
    excerpt = Excerpt.objects.filter(round__code=PAST_ROUND).first()

    response = page.goto(demo.url + reverse("curation:excerpts", args=[PAST_ROUND]))
    assert response.status == 200
    audit.check(page, "curation: excerpts")

    page.goto(demo.url + reverse("curation:excerpt_edit", args=[PAST_ROUND, excerpt.pk]))
    audit.check(page, "curation: editing an excerpt")

    page.locator("textarea").first.fill("")
    page.get_by_role("button", name=t(language, "Save the excerpt"), exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "curation: editing an excerpt, with its text missing")

    page.goto(demo.url + reverse("curation:excerpt_delete", args=[PAST_ROUND, excerpt.pk]))
    audit.check(page, "curation: deleting an excerpt")

    response = page.goto(demo.url + reverse("curation:narrative", args=[PAST_ROUND, language]))
    assert response.status == 200
    audit.check(page, "curation: narrative")

    audit.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violations_in_the_html_report(browser, demo, language):
    audit = Audit(language)
    page = new_page(browser, demo, language)

    report = report_build(Round.objects.get(code=PAST_ROUND), language=language)
    _filename, _content_type, content = exporters()["html"].render(report)
    page.set_content(content.decode("utf-8"))
    audit.check(page, "HTML report")

    audit.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violations_on_the_new_round_and_preview_pages(browser, demo, language):
    audit = Audit(language)
    page = new_page(browser, demo, language)
    log_in(page, demo)

    page.goto(demo.url + reverse("staff:round_new"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "New round"))
    audit.check(page, "new round")

    page.get_by_role("button", name=t(language, "Make the round"), exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check(page, "new round with its fields missing")

    page.goto(demo.url + reverse("staff:round_preview", args=[OPEN_ROUND, language]))
    expect(page.get_by_text(t(language, "Preview — nothing is saved"))).to_be_visible()
    audit.check(page, "preview of the answer form")

    audit.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violations_on_the_pages_of_municipalities_sending_and_uploads(browser, demo, language):
    """Issue 8, part B: a round's municipalities and contact people, the previews before sending, a new link and a
    link shown once, the status table sorted, and answers uploaded from another form tool."""
    audit = Audit(language)
    page = new_page(browser, demo, language)
    log_in(page, demo)
    contact = Invitation.objects.get(round__code=OPEN_ROUND, municipality__code=KAUNIAINEN).contacts.first()

    page.goto(demo.url + reverse("staff:round_municipalities", args=[OPEN_ROUND]) + "?q=es")
    expect(page.get_by_role("button", name=t(language, "Add") + " – Espoo")).to_have_count(0)
    audit.check(page, "municipalities with a search")
    page.goto(demo.url + reverse("staff:round_municipalities", args=[OPEN_ROUND]) + "?q=%01")
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "municipalities with a search it cannot make")
    page.goto(demo.url + reverse("staff:invitation_remove", args=[OPEN_ROUND, "927"]))
    audit.check(page, "removing a municipality")

    page.goto(demo.url + reverse("staff:contact_add", args=[OPEN_ROUND, KAUNIAINEN]))
    audit.check(page, "adding a contact person")
    page.get_by_role("button", name=t(language, "Save the contact person"), exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "adding a contact person, with the name and email missing")
    page.goto(demo.url + reverse("staff:contact_edit", args=[OPEN_ROUND, KAUNIAINEN, contact.pk]))
    audit.check(page, "editing a contact person")
    page.goto(demo.url + reverse("staff:contact_delete", args=[OPEN_ROUND, KAUNIAINEN, contact.pk]))
    audit.check(page, "removing a contact person")

    page.goto(demo.url + reverse("staff:send_invitations", args=[OPEN_ROUND]))
    audit.check(page, "sending invitations: the preview")
    page.goto(demo.url + reverse("staff:send_reminders", args=[OPEN_ROUND]))
    audit.check(page, "sending reminders: the preview")
    page.goto(demo.url + reverse("staff:new_link", args=[OPEN_ROUND, KAUNIAINEN]))
    audit.check(page, "a new link: the confirmation")
    page.get_by_role("button", name=t(language, "Show a new link once"), exact=True).click()
    expect(page.get_by_label(t(language, "Personal link"))).to_have_value(re.compile(r"/a/[^/]+/$"))
    audit.check(page, "a new link shown once")

    page.goto(demo.url + reverse("staff:round", args=[PAST_ROUND]) + "?sort=status&order=desc")
    audit.check(page, f"round page {PAST_ROUND} sorted by status")

    page.goto(demo.url + reverse("staff:responses_upload", args=[OPEN_ROUND]))
    audit.check(page, "uploading answers")
    upload = page.get_by_label(t(language, "Responses file (CSV or XLSX)"))
    upload.set_input_files(files=[{"name": "vastaukset.csv", "mimeType": "text/csv", "buffer": b"kunta;nope\n999;9\n"}])
    page.get_by_role("button", name=t(language, "Check the file"), exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "uploading answers: a file with problems")
    open_round = Round.objects.get(code=OPEN_ROUND)
    columns = [goal.code for goal in open_round.rated_goals()] + [q.code for q in open_round.questions.all()]
    csv = ";".join(["kunta", *columns]) + "\n" + ";".join(["927", "3"] + [""] * (len(columns) - 1)) + "\n"
    upload = page.get_by_label(t(language, "Responses file (CSV or XLSX)"))
    upload.set_input_files(files=[{"name": "vastaukset.csv", "mimeType": "text/csv", "buffer": csv.encode()}])
    page.get_by_role("button", name=t(language, "Check the file"), exact=True).click()
    expect(page.get_by_role("button", name=t(language, "Store the responses"), exact=True)).to_be_visible()
    audit.check(page, "uploading answers: the preview")

    audit.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violations_on_the_feedback_and_the_published_report(browser, demo, language):
    audit = Audit(language)
    page = new_page(browser, demo, language)

    # Kauniainen's feedback on the closed 2024 round, through the link the demo prints.
    page.goto(demo.feedback_link)
    expect(page).to_have_url(demo.url + reverse("feedback:page"))
    expect(page.locator("svg.histogram").first).to_be_visible()
    audit.check(page, "feedback page")

    # The open round's feedback is not ready yet.
    open_page = new_page(browser, demo, language)
    open_page.goto(demo.links[0])
    open_page.goto(demo.url + reverse("feedback:page"))
    expect(open_page.get_by_role("heading", level=2)).to_have_text(t(language, "The feedback is not ready yet"))
    audit.check(open_page, "feedback not ready yet")

    # The demo published the report as the page's button does (the button itself:
    # tests/public/test_published_report.py).
    staff_page = new_page(browser, demo, language)
    log_in(staff_page, demo)
    staff_page.goto(demo.url + reverse("staff:publication", args=[PAST_ROUND]))
    expect(staff_page.get_by_role("button", name=t(language, "Withdraw the published report"))).to_be_visible()
    audit.check(staff_page, "feedback and publication page, published")

    past = Round.objects.get(code=PAST_ROUND)
    organizer = past.organizer.code
    page.goto(demo.published_url)
    expect(page.locator("svg.chart").first).to_be_visible()
    audit.check(page, "published report")
    page.goto(demo.url + reverse("reports:organizer", args=[organizer]))
    audit.check(page, "published reports of the organizer")

    publication_withdraw(round=past, by=None)
    response = page.goto(demo.url + reverse("reports:report", args=[organizer, PAST_ROUND]))
    assert response.status == 410
    audit.check(page, "withdrawn report")
    staff_page.goto(demo.url + reverse("staff:publication", args=[PAST_ROUND]))
    audit.check(staff_page, "feedback and publication page, withdrawn")

    audit.assert_clean()


EDITABLE_ROUND = "muokattava"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violations_on_the_round_editors(browser, demo, language):
    """The editors of a round nobody has answered (every field editable), with errors, and of one with answers
    (what was asked shown read-only), and the check before opening with gaps to fix."""
    today = local_date(timezone.now())
    make_round(EDITABLE_ROUND, opens_on=today + timedelta(days=30), closes_on=today + timedelta(days=60))
    Round.objects.filter(code=EDITABLE_ROUND).update(title_sv="")
    audit = Audit(language)
    page = new_page(browser, demo, language)
    log_in(page, demo)

    page.goto(demo.url + reverse("staff:round", args=[EDITABLE_ROUND]))
    expect(page.get_by_role("link", name=t(language, "Check before opening"), exact=True)).to_be_visible()
    audit.check(page, "round page with the editors and the check")

    for name in ("round_settings", "round_scale", "round_questions", "round_tree", "round_check"):
        response = page.goto(demo.url + reverse(f"staff:{name}", args=[EDITABLE_ROUND]))
        assert response.status == 200, name
        audit.check(page, name)

    page.goto(demo.url + reverse("staff:round_settings", args=[EDITABLE_ROUND]))
    page.get_by_label(t(language, "Days between reminders")).fill("400")
    page.get_by_role("button", name=t(language, "Save the settings"), exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "settings with errors")

    page.goto(demo.url + reverse("staff:round_scale", args=[EDITABLE_ROUND]))
    page.locator("#id_step-5-value").fill("9")
    page.get_by_role("button", name=t(language, "Save the scale"), exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "scale with errors")

    page.goto(demo.url + reverse("staff:node_edit", args=[EDITABLE_ROUND, "osallisuus"]))
    audit.check(page, "node edit")
    page.goto(demo.url + reverse("staff:node_add", args=[EDITABLE_ROUND]) + "?parent=palvelustrategia&kind=themes")
    page.get_by_role("button", name=t(language, "Add"), exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "new theme with errors")
    page.goto(demo.url + reverse("staff:node_delete", args=[EDITABLE_ROUND, "yhteistyo"]))
    audit.check(page, "node delete")

    # A round with answers: what was asked is shown, not edited.
    for name, args in (
        ("round_tree", [PAST_ROUND]),
        ("round_scale", [PAST_ROUND]),
        ("round_questions", [PAST_ROUND]),
        ("node_edit", [PAST_ROUND, Round.objects.get(code=PAST_ROUND).rated_goals()[0].code]),
    ):
        page.goto(demo.url + reverse(f"staff:{name}", args=args))
        expect(page.locator(".frozen-note")).to_be_visible()
        audit.check(page, f"{name} of a round with answers")

    audit.assert_clean()
