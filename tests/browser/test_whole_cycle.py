"""The whole cycle of a round in a real Chromium, as the county's evaluation staff and the municipalities would run
it on `make run`'s demo, with no command line and no survey file (issue 8).

Evaluation staff copy last round into a 2026 round, change a goal's text, add a sub-goal, add a municipality found
by its Swedish name with a contact person, preview the form in Swedish, fix what the check before opening lists,
and send the invitations through their preview and confirmation. The mails go to a real SMTP server (aiosmtpd) run
by the test; the links in them are followed by two municipalities, one answering in Swedish; a third
municipality's answers come from another form tool as an XLSX file. The round is closed and its PPTX deck holds
the changed goal's text and the new sub-goal's text and value.

Every element is found by its role, label or text, as a person finds it; every step asserts what the page says.
"""

import io
import re
from datetime import datetime, time, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook
from playwright.sync_api import expect
from pptx import Presentation

from arvio.lib.dates import local_date
from arvio.responses.models import Response
from arvio.surveys.models import Round
from tests.browser.test_accessibility import log_in, new_page, t
from tests.worker import free_port, run_mail_worker

HELSINKI = ZoneInfo("Europe/Helsinki")
SOURCE = "kuntakysely-2024"
CODE = "kuntakysely-2026"
TITLE_FI = "Kuntakysely 2026: strategisten yhteistyötavoitteiden toteutuminen"
TITLE_SV = "Kommunenkät 2026: hur de strategiska samarbetsmålen har uppnåtts"
# A rated sub-goal of "yhteistyo" whose text is changed, and the sub-goal added beside it.
CHANGED = "toimitilat"
CHANGED_TEXT = "Suunnittelemme hyvinvointialueen ja kuntien toimitilat yhdessä ja avoimesti."
NEW_CODE = "yhteiset-harjoitukset"
NEW_FI = "Harjoittelemme häiriötilanteita yhdessä kuntien kanssa."
NEW_SV = "Vi övar störningssituationer tillsammans med kommunerna."
# Porvoo, not in the 2024 round, found by its Swedish name; Kauniainen answers in Finnish; Espoo's come from a file.
PORVOO, PORVOO_SV, PORVOO_FI = "638", "Borgå", "Porvoo"
CONTACT = ("Greta Lindholm", "greta.lindholm@borga.example", "stadsdirektör")
KAUNIAINEN, ESPOO = "235", "049"
# The new sub-goal's ratings: Kauniainen 4, Porvoo 5, Espoo 5: a mean of 4.67.
NEW_RATINGS = {KAUNIAINEN: 4, PORVOO: 5, ESPOO: 5}


class Inbox:
    """aiosmtpd's handler: keeps every message the SMTP server accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free port, and Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def fi(text: str) -> str:
    return t("fi", text)


def sv(text: str) -> str:
    return t("sv", text)


def plural(singular: str, plural: str, count: int) -> str:
    with translation.override("fi"):
        return translation.ngettext(singular, plural, count) % {"count": count}


def gaps(count: int) -> str:
    """The check's count of gaps, as it reads in Finnish."""
    return plural(
        "%(count)s thing to fix before the round opens.", "%(count)s things to fix before the round opens.", count
    )


def exactly(text: str) -> re.Pattern:
    return re.compile("^" + re.escape(text) + "$")


def starting(text: str) -> re.Pattern:
    return re.compile("^" + re.escape(text))


def action(verb: str, separator: str, what: str) -> re.Pattern:
    """A button's or link's accessible name, "Muokkaa: Käymme…": the verb, then the visually hidden part naming
    its object (which the browser may set off with a space)."""
    return re.compile(rf"^{re.escape(verb)}\s*{re.escape(separator)}\s*{re.escape(what)}")


def choice(page, goal: str, label: str):
    return page.get_by_role("group", name=goal, exact=True).get_by_role("radio", name=label, exact=True)


def answer(page, round: Round, language: str, new_rating: int, name: str, role: str) -> None:
    """Rates every goal in `language` (3, the new sub-goal `new_rating`), answers the open questions, submits."""
    label = {option.value: f"{option.value} – {option.tr('label', language)}" for option in round.scale.all()}
    expect(page.get_by_role("heading", level=1)).to_have_text(round.tr("title", language))
    for goal in round.rated_goals():
        choice(page, goal.tr("text", language), label[new_rating if goal.code == NEW_CODE else 3]).check()
    for question in round.questions.all():
        page.get_by_label(question.tr("text", language), exact=True).fill("Säännölliset tapaamiset.")
    page.get_by_role("button", name=t(language, "Review and submit"), exact=True).click()
    page.get_by_label(starting(t(language, "Your name"))).fill(name)
    page.get_by_label(starting(t(language, "Your title or role"))).fill(role)
    page.get_by_role("button", name=t(language, "Submit"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Thank you, the answers have been submitted"))


def espoo_file(round: Round) -> bytes:
    """Espoo's answers as another form tool exports them (docs/responses-format.md): all 2, the new one 5."""
    goals = [goal.code for goal in round.rated_goals()]
    questions = [question.code for question in round.questions.all()]
    sheet = (workbook := Workbook()).active
    sheet.append(["kunta", *goals, *questions, "submitted_by"])
    ratings = [NEW_RATINGS[ESPOO] if code == NEW_CODE else 2 for code in goals]
    sheet.append(["Espoo", *ratings, *["Yhteinen valmiusharjoitus." for _ in questions], "Eero Salminen"])
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def pptx_texts(content: bytes) -> list[str]:
    """Every text of the deck: its shapes' paragraphs and its tables' cells, slide by slide."""
    texts = []
    for slide in Presentation(io.BytesIO(content)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts += [paragraph.text for paragraph in shape.text_frame.paragraphs]
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return texts


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_runs_a_whole_round_in_the_browser(browser, demo, smtp_server, tmp_path, time_machine):
    # The round opens tomorrow; the clock is moved into its window once the check before opening is clean.
    opens_on = local_date(timezone.now()) + timedelta(days=1)
    page = new_page(browser, demo, "fi")

    # Logging in as evaluation staff, and copying last round into a 2026 round.
    log_in(page, demo)
    page.get_by_role("link", name=fi("New round"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fi("New round"))
    page.get_by_role("radio", name=fi("A copy of an earlier round")).check()
    page.get_by_label(starting(fi("Round to copy"))).select_option(SOURCE)
    page.get_by_label(starting(fi("Title in Finnish"))).fill(TITLE_FI)
    page.get_by_label(starting(fi("Title in Swedish"))).fill(TITLE_SV)
    page.get_by_label(starting(fi("Opens on"))).fill(opens_on.isoformat())
    page.get_by_label(starting(fi("Closes on"))).fill((opens_on + timedelta(days=30)).isoformat())
    page.get_by_label(starting(fi("Code"))).fill(CODE)
    page.get_by_role("button", name=fi("Make the round")).click()
    expect(page).to_have_url(demo.url + reverse("staff:round", args=[CODE]))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_FI)
    round = Round.objects.get(code=CODE)
    source = Round.objects.get(code=SOURCE)
    assert [goal.code for goal in round.rated_goals()] == [goal.code for goal in source.rated_goals()]

    # Changing one goal's text in the goal tree.
    page.get_by_role("link", name=fi("Goal tree"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fi("Goal tree"))
    old_text = source.nodes.get(code=CHANGED).tr("text", "fi")
    page.get_by_role("link", name=action(fi("Edit"), ":", old_text[:30])).click()
    page.get_by_label(f"{fi('Text')} ({fi('in Finnish')})", exact=True).fill(CHANGED_TEXT)
    page.get_by_role("button", name=fi("Save"), exact=True).click()
    expect(page.get_by_role("paragraph").filter(has_text=exactly(CHANGED_TEXT))).to_be_visible()
    expect(page.get_by_role("paragraph").filter(has_text=exactly(old_text))).to_have_count(0)

    # Adding a sub-goal beside the changed one: the editor, as the survey file, asks for its Finnish and Swedish.
    parent_text = source.nodes.get(code="yhteistyo").tr("text", "fi")
    page.get_by_role("link", name=action(fi("Add a sub-goal"), ":", parent_text[:30])).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fi("New: %(kind)s") % {"kind": fi("Sub-goal")})
    expect(page.get_by_text(fi("Under: %(parent)s") % {"parent": parent_text})).to_be_visible()
    page.get_by_label(exactly(fi("Code"))).fill(NEW_CODE)
    page.get_by_label(f"{fi('Text')} ({fi('in Finnish')})", exact=True).fill(NEW_FI)
    page.get_by_label(f"{fi('Text')} ({fi('in Swedish')})", exact=True).fill(NEW_SV)
    page.get_by_role("button", name=fi("Add"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fi("Goal tree"))
    expect(page.get_by_role("paragraph").filter(has_text=exactly(NEW_FI))).to_be_visible()

    # Adding Porvoo, found in Finland's municipalities by its Swedish name.
    page.goto(demo.url + reverse("staff:round", args=[CODE]))
    page.get_by_role("link", name=fi("Municipalities and contact people"), exact=True).click()
    page.get_by_label(fi("Municipality's name or code")).fill(PORVOO_SV)
    page.get_by_role("button", name=fi("Search"), exact=True).click()
    expect(page.get_by_text(f"{PORVOO_FI} / {PORVOO_SV} ({PORVOO})")).to_be_visible()
    page.get_by_role("button", name=action(fi("Add"), "–", PORVOO_FI)).click()
    expect(page.get_by_role("row", name=starting(PORVOO_FI))).to_be_visible()

    # The preview in Swedish: the form as a Swedish-speaking municipality will see it, the new sub-goal in it.
    page.goto(demo.url + reverse("staff:round", args=[CODE]))
    page.get_by_role("link", name="på svenska", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_SV)
    expect(page.get_by_text(sv("Preview — nothing is saved"), exact=True)).to_be_visible()
    expect(page.get_by_role("group", name=NEW_SV, exact=True)).to_be_visible()
    changed_sv = source.nodes.get(code=CHANGED).tr("text", "sv")
    expect(page.get_by_role("group", name=changed_sv, exact=True)).to_be_visible()

    # The check before opening lists what is missing, each gap a link to where it is fixed.
    page.goto(demo.url + reverse("staff:round", args=[CODE]))
    page.get_by_role("link", name=fi("Check before opening"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fi("Check before opening"))
    expect(page.get_by_text(gaps(1), exact=True).first).to_be_visible()
    no_contact = fi("{municipality} has no contact person: nobody would get its invitation.")
    page.get_by_role("link", name=no_contact.format(municipality=PORVOO_FI), exact=True).click()
    page.get_by_role("link", name=fi("Add a contact person"), exact=True).click()
    name, email, role = CONTACT
    page.get_by_label(starting(fi("Name"))).fill(name)
    page.get_by_label(starting(fi("Email"))).fill(email)
    page.get_by_label(starting(fi("Role"))).fill(role)
    page.get_by_role("button", name=fi("Save the contact person"), exact=True).click()
    expect(page.get_by_text(fi("%(name)s was added as a contact person.") % {"name": name})).to_be_visible()

    page.goto(demo.url + reverse("staff:round_check", args=[CODE]))
    expect(page.get_by_text(fi("Everything is ready for the round to open."), exact=True)).to_be_visible()
    expect(
        page.get_by_text(fi("Mail is sent through the SMTP server {host}.").format(host="127.0.0.1"))
    ).to_be_visible()

    # The opening day: staff log in again (yesterday's session has ended); the round is open, the check done.
    time_machine.move_to(datetime.combine(opens_on, time(9), tzinfo=HELSINKI), tick=True)
    log_in(page, demo)
    page.goto(demo.url + reverse("staff:round", args=[CODE]))
    expect(page.get_by_text(fi("Open"), exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=fi("Check before opening"), exact=True)).to_have_count(0)

    # Sending the invitations: the preview of each language's mail, the confirmation naming the recipients.
    round.refresh_from_db()
    contacts = sum(invitation.contacts.count() for invitation in round.invitations.all())
    municipalities = round.invitations.count()
    page.goto(demo.url + reverse("staff:round", args=[CODE]))
    page.get_by_role("link", name=fi("Send invitations…"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fi("Send invitations"))
    goes_to = fi("The invitation goes to %(municipalities_text)s, %(people_text)s.") % {
        "municipalities_text": plural("%(count)s municipality", "%(count)s municipalities", municipalities),
        "people_text": plural("%(count)s person", "%(count)s people", contacts),
    }
    expect(page.get_by_text(goes_to, exact=True)).to_be_visible()
    # A preview of the mail for each language status among the invited (Finnish, bilingual either way).
    with translation.override("fi"):
        statuses = {str(invitation.municipality.get_language_display()) for invitation in round.invitations.all()}
    preview = fi("The mail to a municipality whose language is: %(language)s")
    for status in statuses:
        expect(page.get_by_role("heading", name=preview % {"language": status}, exact=True)).to_be_visible()
    assert len(statuses) == 3
    page.get_by_role("button", name=fi("Send the invitations"), exact=True).click()
    expect(page).to_have_url(demo.url + reverse("staff:round", args=[CODE]))
    sent = plural(
        "Invitations to %(count)d municipality are on their way. Mail that cannot be sent shows on this page.",
        "Invitations to %(count)d municipalities are on their way. Mail that cannot be sent shows on this page.",
        municipalities,
    )
    expect(page.get_by_text(sent, exact=True)).to_be_visible()

    run_mail_worker()
    assert len(smtp_server.messages) == contacts
    links = {}
    for recipients, message in smtp_server.messages:
        body = message.get_body(preferencelist=("plain",)).get_content()
        links[recipients[0]] = re.search(rf"{re.escape(demo.url)}/a/[^/\s]+/", body).group(0)
    assert all(links.values())

    # Kauniainen answers in Finnish, Porvoo in Swedish, each from its own mail's link.
    kauniainen = new_page(browser, demo, "fi")
    kauniainen.goto(links["kaupunginjohtaja@kauniainen.example"])
    round = Round.objects.get(code=CODE)
    answer(kauniainen, round, "fi", NEW_RATINGS[KAUNIAINEN], "Tiina Lehtonen", "kaupunginjohtaja")
    porvoo = new_page(browser, demo, "sv")
    porvoo.goto(links[email])
    answer(porvoo, round, "sv", NEW_RATINGS[PORVOO], name, role)

    # Espoo's answers, from another form tool, as an XLSX file: checked, previewed, stored.
    xlsx = tmp_path / "espoo.xlsx"
    xlsx.write_bytes(espoo_file(round))
    page.goto(demo.url + reverse("staff:round", args=[CODE]))
    page.get_by_role("link", name=fi("Upload answers from another form tool"), exact=True).click()
    page.get_by_label(fi("Responses file (CSV or XLSX)"), exact=True).set_input_files(xlsx)
    page.get_by_role("button", name=fi("Check the file"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fi("Check what will be stored"))
    expect(page.get_by_role("row", name=re.compile("Espoo"))).to_be_visible()
    page.get_by_role("button", name=fi("Store the responses"), exact=True).click()
    expect(page).to_have_url(demo.url + reverse("staff:round", args=[CODE]))
    imported = fi("Imported from %(file)s. New responses: %(created)d, replaced: %(replaced)d.")
    expect(page.get_by_text(imported % {"file": "espoo.xlsx", "created": 1, "replaced": 0})).to_be_visible()
    answered = f"3/{municipalities}"
    expect(page.get_by_text(starting(answered))).to_be_visible()
    submitted = Response.objects.filter(invitation__round=round, submitted_at__isnull=False)
    assert sorted(submitted.values_list("invitation__municipality__code", flat=True)) == sorted(NEW_RATINGS)

    # Closing the round.
    page.get_by_role("link", name=fi("Close the round…"), exact=True).click()
    page.get_by_role("button", name=fi("Close the round"), exact=True).click()
    expect(page).to_have_url(demo.url + reverse("staff:round", args=[CODE]))
    closed = "The round is closed. Municipalities that did not submit now show “No answer within the deadline”."
    expect(page.get_by_text(fi(closed), exact=True)).to_be_visible()
    round.refresh_from_db()
    assert round.closed_at is not None

    # The council deck, downloaded from the results page, holds the changed text and the new sub-goal's value.
    page.get_by_role("link", name=fi("Results"), exact=True).click()
    page.get_by_label(fi("Format"), exact=True).select_option(label=fi("PowerPoint presentation (PPTX)"))
    page.get_by_label(fi("Language of the report"), exact=True).select_option("fi")
    with page.expect_download() as download:
        page.get_by_role("button", name=fi("Download"), exact=True).click()
    texts = pptx_texts(download.value.path().read_bytes())
    # Each goal's text is followed by its mean and n: the changed one's (3 + 3 + 2) / 3, the new one's (4 + 5 + 5) / 3.
    assert texts[texts.index(CHANGED_TEXT) + 1] == "2,7 (n\u00a0=\u00a03)"
    # The new sub-goal stands twice: on the slide comparing with 2024, listed as new with this round's value
    # (the year it closes first), and on its detail slide.
    after_new = [texts[index + 1] for index, text in enumerate(texts) if text == NEW_FI]
    assert len(after_new) == 2 and re.fullmatch(r"\d{4}: 4,7 \(n\u00a0=\u00a03\)", after_new[0])
    assert after_new[1] == "4,7 (n\u00a0=\u00a03)"
    assert old_text not in texts
