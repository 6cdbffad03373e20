"""The main flows with a keyboard alone, in a real Chromium: no clicks, no filling by selector.

Every element that Tab reaches must show that it has the focus (WCAG 2.4.7).
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from arvio.invitations.models import Invitation
from arvio.records.models import AuditEntry
from arvio.responses.models import Response
from arvio.surveys.models import Round
from tests.browser.test_accessibility import OPEN_ROUND, log_in, new_page, t

FOCUS_STYLE = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    element: element.outerHTML.slice(0, 120),
    outlineStyle: style.outlineStyle,
    outlineWidth: style.outlineWidth,
    boxShadow: style.boxShadow,
  };
}"""
OPEN_ANSWER = "Yhteiset tavoitteet ja säännölliset tapaamiset."


def fi(text: str) -> str:
    return t("fi", text)


def assert_focus_visible(page) -> None:
    style = page.evaluate(FOCUS_STYLE)
    outlined = style["outlineStyle"] != "none" and style["outlineWidth"] != "0px"
    assert outlined or style["boxShadow"] != "none", f"The focus is not visible: {style}"


def is_focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, target, *, limit: int = 80) -> None:
    """Presses Tab until `target` has the focus; every element on the way must show the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        if is_focused(target):
            return
    raise AssertionError(f"Tab did not reach {target} in {limit} presses")


def skip_to_content(page) -> None:
    """The first Tab of a page reaches the skip link, which shows itself and moves past the header."""
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=fi("Skip to content"), exact=True)
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def radio_group(page, goal: str):
    return page.get_by_role("group", name=goal, exact=True).get_by_role("radio")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_answers_the_demo_round_with_the_keyboard_alone(browser, demo):
    round = Round.objects.get(code=OPEN_ROUND)
    goals = [goal.tr("text", "fi") for goal in round.rated_goals()]
    choice_count = round.scale.count() + 1  # and "can't say"
    # The choices go round the scale, so that the arrow keys reach every one of them.
    chosen = {goal: i % choice_count for i, goal in enumerate(goals)}
    question = round.questions.first()
    question_text = question.tr("text", "fi")
    page = new_page(browser, demo, "fi")
    page.goto(demo.links[0])
    expect(page).to_have_url(demo.url + reverse("responses:answer"))

    skip_to_content(page)
    # From the top of the content, the next stop is the first goal: nothing stands before it.
    page.keyboard.press("Tab")
    expect(radio_group(page, goals[0]).first).to_be_focused()
    assert_focus_visible(page)

    for number, (goal, index) in enumerate(chosen.items()):
        radios = radio_group(page, goal)
        if number:
            tab_to(page, radios.first)
        page.keyboard.press("Space")
        for _ in range(index):
            page.keyboard.press("ArrowRight")
        assert_focus_visible(page)
        expect(radios.nth(index)).to_be_checked()
        expect(radios.nth(index)).to_be_focused()

    tab_to(page, page.get_by_role("textbox", name=question_text, exact=True))
    page.keyboard.type(OPEN_ANSWER)
    tab_to(page, page.get_by_role("button", name=fi("Save draft"), exact=True))
    page.keyboard.press("Enter")
    saved = re.escape(fi("Draft saved at %(time)s.")).replace(re.escape("%(time)s"), r"\d{1,2}\.\d\d")
    # The messages line; the progress line is a status of its own.
    expect(page.get_by_role("status").filter(has_text=re.compile(saved))).to_have_text(re.compile(saved))
    for goal, index in chosen.items():
        expect(radio_group(page, goal).nth(index)).to_be_checked()
    expect(page.get_by_role("textbox", name=question_text, exact=True)).to_have_value(OPEN_ANSWER)

    # The save returned to the form's own buttons (#form-actions): the next Tab is there, not at the top.
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=fi("Save draft"), exact=True)).to_be_focused()
    tab_to(page, page.get_by_role("button", name=fi("Review and submit"), exact=True))
    page.keyboard.press("Enter")
    expect(page).to_have_url(demo.url + reverse("responses:review"))

    skip_to_content(page)
    tab_to(page, page.get_by_role("textbox", name=re.compile("^" + re.escape(fi("Your name")))))
    page.keyboard.type("Kaisa Kuusela")
    tab_to(page, page.get_by_role("textbox", name=re.compile("^" + re.escape(fi("Your title or role")))))
    page.keyboard.type("kaupunginjohtaja")
    tab_to(page, page.get_by_role("button", name=fi("Submit"), exact=True))
    page.keyboard.press("Enter")

    expect(page).to_have_url(demo.url + reverse("responses:done"))
    expect(page.get_by_role("heading", level=1)).to_have_text(fi("Thank you, the answers have been submitted"))
    expect(page.get_by_text("Kaisa Kuusela, kaupunginjohtaja")).to_be_visible()
    response = Response.objects.get(invitation__round=round, invitation__municipality__code="235")
    assert response.submitted_at is not None
    assert response.answers.count() == len(goals)
    assert response.comments.get(question=question).text == OPEN_ANSWER


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_logs_in_and_sends_reminders_with_the_keyboard_alone(browser, demo):
    title = Round.objects.get(code=OPEN_ROUND).tr("title", "fi")
    page = new_page(browser, demo, "fi")
    page.goto(demo.url + reverse("staff:login"))

    skip_to_content(page)
    tab_to(page, page.locator("#id_username"))
    page.keyboard.type("arvioija")
    tab_to(page, page.locator("#id_password"))
    page.keyboard.type(demo.passwords["arvioija"])
    tab_to(page, page.get_by_role("button", name=fi("Log in"), exact=True))
    page.keyboard.press("Enter")
    expect(page).to_have_url(demo.url + reverse("staff:rounds"))

    skip_to_content(page)
    tab_to(page, page.get_by_role("link", name=title, exact=True))
    page.keyboard.press("Enter")
    expect(page).to_have_url(demo.url + reverse("staff:round", args=[OPEN_ROUND]))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    skip_to_content(page)
    tab_to(page, page.get_by_role("link", name=fi("Send reminders now…"), exact=True))
    page.keyboard.press("Enter")
    expect(page).to_have_url(demo.url + reverse("staff:send_reminders", args=[OPEN_ROUND]))
    # Nobody has been invited to the demo's open round yet, so nobody is due a reminder: the preview says so first.
    nobody_due = fi(
        "Nobody is due a reminder: every invited municipality has submitted, has had a mail today, or can no longer "
        "answer."
    )
    expect(page.get_by_role("status")).to_have_text(nobody_due)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_adds_a_municipality_and_its_contact_person_with_the_keyboard_alone(browser, demo):
    page = new_page(browser, demo, "fi")
    log_in(page, demo)
    page.goto(demo.url + reverse("staff:round_municipalities", args=[OPEN_ROUND]))

    skip_to_content(page)
    tab_to(page, page.get_by_role("searchbox", name=fi("Municipality's name or code"), exact=True))
    page.keyboard.type("närpe")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=n%C3%A4rpe$"))
    skip_to_content(page)
    tab_to(page, page.get_by_role("button", name=fi("Add") + " – Närpiö", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Närpiö")
    assert Invitation.objects.filter(round__code=OPEN_ROUND, municipality__code="545").exists()

    page.goto(demo.url + reverse("staff:invitation", args=[OPEN_ROUND, "545"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Närpiö")
    skip_to_content(page)
    tab_to(page, page.get_by_role("link", name=fi("Add a contact person"), exact=True))
    page.keyboard.press("Enter")
    expect(page).to_have_url(demo.url + reverse("staff:contact_add", args=[OPEN_ROUND, "545"]))
    skip_to_content(page)
    tab_to(page, page.get_by_role("textbox", name=fi("Name"), exact=True))
    page.keyboard.type("Nina Kommundirektör")
    tab_to(page, page.get_by_role("textbox", name=fi("Email"), exact=True))
    page.keyboard.type("nina@narpes.example")
    tab_to(page, page.get_by_role("button", name=fi("Save the contact person"), exact=True))
    page.keyboard.press("Enter")
    # Back on the municipality's page (the skip link's #main stays in the address through the redirect).
    expect(page).to_have_url(re.compile(re.escape(demo.url + reverse("staff:invitation", args=[OPEN_ROUND, "545"]))))
    expect(page.get_by_text("Nina Kommundirektör <nina@narpes.example>")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_filters_the_audit_log_with_the_keyboard_alone(browser, demo):
    page = new_page(browser, demo, "fi")
    log_in(page, demo)
    page.goto(demo.url + reverse("staff:rounds"))

    # The staff navigation sits in the header, before the content: from the top of the page.
    tab_to(page, page.get_by_role("link", name=fi("Audit log"), exact=True))
    page.keyboard.press("Enter")
    expect(page).to_have_url(demo.url + reverse("staff:records"))

    skip_to_content(page)
    action = page.get_by_role("combobox", name=fi("Action"), exact=True)
    tab_to(page, action)
    # A closed select takes the first letters of an option's text from the keyboard.
    page.keyboard.type(fi("Imported a survey file"))
    expect(action).to_have_value(AuditEntry.Action.SURVEY_IMPORT)
    tab_to(page, page.get_by_role("button", name=fi("Show"), exact=True))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"action=survey_import"))
    rows = page.locator(".records-table tbody tr")
    expect(rows).to_have_count(4)  # the demo's four rounds: 2020, 2022, 2024 and the open one
    expect(rows.first).to_contain_text(fi("Imported a survey file"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_maps_a_goal_and_chooses_the_baseline_with_the_keyboard_alone(browser, demo):
    page = new_page(browser, demo, "fi")
    log_in(page, demo)
    page.goto(demo.url + reverse("staff:round", args=["kuntakysely-2024"]))

    skip_to_content(page)
    tab_to(page, page.get_by_role("link", name=fi("Comparison with an earlier round"), exact=True))
    page.keyboard.press("Enter")
    expect(page).to_have_url(demo.url + reverse("staff:round_comparison", args=["kuntakysely-2024"]))

    skip_to_content(page)
    baseline_goal = page.get_by_role("combobox", name=fi("Goal of the baseline round"), exact=True)
    tab_to(page, baseline_goal)
    page.keyboard.type("tyonjako")
    expect(baseline_goal).to_have_value("tyonjako")
    tab_to(page, page.get_by_role("combobox", name=fi("Goal of this round"), exact=True))
    page.keyboard.type("kotoutuminen")
    tab_to(page, page.get_by_role("button", name=fi("Add the row"), exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_text(fi("The mapping row was added."))).to_be_visible()
    assert (
        Round.objects.get(code="kuntakysely-2024")
        .baseline_mapping.filter(baseline_code="tyonjako", code="kotoutuminen")
        .exists()
    )

    # The radio buttons of the baseline: an arrow key moves the choice, Enter on the button saves it.
    skip_to_content(page)
    first = page.get_by_role("radio").first
    tab_to(page, page.get_by_role("radio", checked=True))
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(first).to_be_checked()
    tab_to(page, page.get_by_role("button", name=fi("Save the baseline"), exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_text(fi("The comparison was saved."))).to_be_visible()
    round = Round.objects.get(code="kuntakysely-2024")
    assert round.baseline is None and not round.no_baseline


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_moves_a_goal_and_adds_a_sub_goal_with_the_keyboard_alone(browser, demo):
    """The goal tree editor without a mouse: a move button keeps the focus on the moved goal, and a new sub-goal
    is written and saved from the keys."""
    from datetime import date

    from arvio.surveys.models import Node
    from tests.factories import make_round

    make_round("muokattava", opens_on=date(2099, 3, 2), closes_on=date(2099, 3, 31))
    page = new_page(browser, demo, "fi")
    log_in(page, demo)
    page.goto(demo.url + reverse("staff:round_tree", args=["muokattava"]))
    skip_to_content(page)

    def named(role: str, action: str, goal: str = "Asukkaat ovat mukana suunnittelussa."):
        """The control of `action` for `goal`: "Siirrä ylös: Asukkaat …" (the goal in a visually hidden part)."""
        return page.get_by_role(role, name=re.compile(rf"^{re.escape(fi(action))}\s*:\s*{re.escape(goal)}$"))

    move_up = named("button", "Move up")
    tab_to(page, move_up)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#edit-osallisuus$"))
    order = list(
        Node.objects.filter(round__code="muokattava", parent__code="palvelustrategia")
        .order_by("order")
        .values_list("code", flat=True)
    )
    assert order == ["osallisuus", "yhteistyo"]
    # First now: it cannot move up again, and the focus is on the goal, at its edit link.
    edit = named("link", "Edit")
    expect(edit).to_be_focused()
    move_down = named("button", "Move down")
    tab_to(page, move_down)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#edit-osallisuus$"))
    expect(edit).to_be_focused()  # last again: no "move down" to return to

    # A sub-goal that can move on: the focus stays on its button, and Enter moves it again.
    sub_goal_down = named("button", "Move down", "Luomme selkeän yhdyspintarakenteen.")
    page.goto(demo.url + reverse("staff:round_tree", args=["muokattava"]))  # it is above: start from the top
    skip_to_content(page)
    tab_to(page, sub_goal_down)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#move-yhteistyo-1-down$"))
    expect(sub_goal_down).to_be_focused()
    page.keyboard.press("Enter")
    # Now the first sub-goal of the last goal: it can move down no more, so its edit link has the focus.
    expect(named("link", "Edit", "Luomme selkeän yhdyspintarakenteen.")).to_be_focused()
    assert Node.objects.get(round__code="muokattava", code="yhteistyo-1").parent.code == "osallisuus"

    add = named("link", "Add a sub-goal")
    page.goto(demo.url + reverse("staff:round_tree", args=["muokattava"]))
    skip_to_content(page)
    tab_to(page, add)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/tree/add/\?parent=osallisuus"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{fi('New: %(kind)s') % {'kind': fi('Sub-goal')}}")
    skip_to_content(page)
    text_fi = page.get_by_label(f"{fi('Text')} ({fi('in Finnish')})", exact=True)
    tab_to(page, text_fi)
    page.keyboard.type("Nuoret vaikuttavat.")
    page.keyboard.press("Tab")
    assert_focus_visible(page)
    page.keyboard.type("De unga påverkar.")
    tab_to(page, page.get_by_role("button", name=fi("Add"), exact=True))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#node-nuoret-vaikuttavat$"))
    node = Node.objects.get(code="nuoret-vaikuttavat")
    assert (node.parent.code, node.kind, node.text_sv) == ("osallisuus", Node.Kind.SUBGOAL, "De unga påverkar.")
