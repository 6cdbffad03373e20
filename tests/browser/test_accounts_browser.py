"""The accounts' pages and the password pages in a real Chromium: axe-core finds no WCAG 2.1 A/AA violation in
Finnish and Swedish, and a colleague is invited, and sets a password, with a keyboard alone."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from arvio.invitations.models import SentMail
from arvio.staff.account_services import account_invite
from arvio.staff.models import Membership
from arvio.surveys.models import Organizer
from tests.browser.test_accessibility import LANGUAGES, Audit, log_in, new_page, t
from tests.browser.test_keyboard import assert_focus_visible, tab_to

PASSWORD = "a long and unusual passphrase"


def _invitation_link(demo, user) -> str:
    body = SentMail.objects.filter(account=user).latest("pk").body
    return re.search(rf"{re.escape(demo.url)}(/staff/set-password/\S+/)", body).group(1)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violations_on_the_accounts_pages(browser, demo, language):
    audit = Audit(language)
    page = new_page(browser, demo, language)
    log_in(page, demo)
    luvn = Organizer.objects.get(code="luvn")
    viewer = get_user_model().objects.get(username="katselija")

    page.goto(demo.url + reverse("staff:accounts"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Accounts"))
    audit.check(page, "accounts")

    page.goto(demo.url + reverse("staff:account_invite"))
    audit.check(page, "invite")
    page.get_by_role("button", name=t(language, "Send the invitation")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check(page, "invite with errors")

    page.goto(demo.url + reverse("staff:account", args=["luvn", viewer.pk]))
    audit.check(page, "account")
    page.goto(demo.url + reverse("staff:account_deactivate", args=["luvn", viewer.pk]))
    audit.check(page, "deactivate")

    arvioija = get_user_model().objects.get(username="arvioija")
    invited = account_invite(
        organizer=luvn,
        email=f"kollega-{language}@example.fi",
        first_name="Kaisa",
        last_name="Kollega",
        role=Membership.Role.VIEWER,
        language=language,
        by=arvioija,
    ).membership.user
    page.goto(demo.url + reverse("staff:account", args=["luvn", invited.pk]))
    audit.check(page, "invited account")

    visitor = new_page(browser, demo, language)
    visitor.goto(demo.url + _invitation_link(demo, invited))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(t(language, "Set your password"))
    audit.check(visitor, "set password")
    visitor.get_by_role("button", name=t(language, "Save the password")).click()
    expect(visitor.get_by_role("alert")).to_be_visible()
    audit.check(visitor, "set password with errors")
    visitor.goto(demo.url + reverse("staff:account_set_password", args=["Mg", "0-0"]))
    audit.check(visitor, "link that no longer works")

    visitor.goto(demo.url + reverse("staff:password_reset"))
    audit.check(visitor, "password reset")
    visitor.get_by_role("button", name=t(language, "Send the link")).click()
    audit.check(visitor, "password reset with errors")
    visitor.get_by_label(t(language, "Email")).fill("nobody@example.fi")
    visitor.get_by_role("button", name=t(language, "Send the link")).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(t(language, "Check your email"))
    audit.check(visitor, "password reset sent")

    audit.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_colleague_is_invited_and_sets_a_password_with_a_keyboard_alone(browser, demo):
    page = new_page(browser, demo, "fi")
    log_in(page, demo)
    page.goto(demo.url + reverse("staff:accounts"))
    tab_to(page, page.get_by_role("link", name=t("fi", "Invite a colleague")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("fi", "Invite a colleague"))
    tab_to(page, page.get_by_label(t("fi", "First name")))
    page.keyboard.type("Kaisa")
    page.keyboard.press("Tab")
    page.keyboard.type("Kollega")
    page.keyboard.press("Tab")
    page.keyboard.type("kaisa.kollega@example.fi")
    tab_to(page, page.get_by_label(t("fi", "Role")))
    page.keyboard.press("ArrowUp")  # from "Viewer" to "Evaluation staff"
    tab_to(page, page.get_by_role("button", name=t("fi", "Send the invitation")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("kaisa.kollega@example.fi")
    invited = get_user_model().objects.get(email="kaisa.kollega@example.fi")
    assert Membership.objects.get(user=invited).role == Membership.Role.STAFF

    colleague = new_page(browser, demo, "fi")
    colleague.goto(demo.url + _invitation_link(demo, invited))
    for label in ("New password", "New password confirmation"):
        field = colleague.get_by_label(t("fi", label), exact=True)
        tab_to(colleague, field)
        colleague.keyboard.type(PASSWORD)
    tab_to(colleague, colleague.get_by_role("button", name=t("fi", "Save the password")))
    assert_focus_visible(colleague)
    colleague.keyboard.press("Enter")
    # Hashing the new password takes its time on a busy machine.
    expect(colleague).to_have_url(demo.url + reverse("staff:login"), timeout=30_000)
    # The login form, as log_in fills it.
    colleague.locator("#id_username").fill("kaisa.kollega@example.fi")
    colleague.locator("#id_password").fill(PASSWORD)
    colleague.locator("#id_password").press("Enter")
    expect(colleague).to_have_url(demo.url + reverse("staff:rounds"), timeout=30_000)
