"""Every page Arvio serves carries a Content-Security-Policy without 'unsafe-inline', and no page needs one.

The header is checked on every kind of page — public, respondent's, staff's, the admin's, errors, JSON,
redirects and downloads — and each HTML page is read for what the policy would refuse: an inline script, a
style element, a style attribute or an event-handler attribute. tests/browser/test_content_security_policy.py
shows a real Chromium refusing nothing on the pages that run JavaScript.
"""

import base64
import hashlib
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from arvio.invitations.links import link_create
from arvio.invitations.models import Invitation
from arvio.results.formats import exporters
from arvio.results.models import Excerpt
from arvio.results.report import report_build
from arvio.staff.models import Membership
from arvio.surveys.models import Organizer, Round

PAST_ROUND = "kuntakysely-2024"
OPEN_ROUND = "kuntakysely-demo"
KAUNIAINEN = "235"
TEMPLATES = Path(settings.PACKAGE_DIR) / "templates"
# The one style element of a template: the downloaded HTML report's, allowed by its own policy's hash.
DOWNLOADED_REPORT = TEMPLATES / "results" / "report.html"
EXPECTED = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


class _InlineFinder(HTMLParser):
    """What a policy without 'unsafe-inline' would refuse in a page's markup."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self.found.append("an inline <script>")
        if tag == "style":
            self.found.append("a <style> element")
        for name, value in attrs:
            if name == "style":
                self.found.append(f'style="{value}" on <{tag}>')
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"a javascript: URL on <{tag}>")


def inline_content(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.found


class Pages:
    """Responses of every kind of page, gathered so that one failure names each page that is wrong."""

    def __init__(self):
        self.seen: list[tuple[str, object]] = []

    def add(self, name: str, response, status: int | tuple[int, ...]) -> None:
        assert response.status_code in (status if isinstance(status, tuple) else (status,)), (
            name,
            response.status_code,
        )
        self.seen.append((name, response))

    def problems(self) -> list[str]:
        found = []
        for name, response in self.seen:
            header = response.get("Content-Security-Policy")
            if header is None:
                found.append(f"{name}: no Content-Security-Policy")
                continue
            policy = directives(header)
            for directive, values in EXPECTED.items():
                if policy.get(directive) != values:
                    found.append(f"{name}: {directive} is {policy.get(directive)}, not {values}")
            for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"):
                if unsafe in header:
                    found.append(f"{name}: {unsafe} in {header}")
            if response.get("Content-Type", "").startswith("text/html") and not response.has_header(
                "Content-Disposition"
            ):
                found.extend(f"{name}: {what}" for what in inline_content(response.content.decode()))
        return found


@pytest.fixture
def demo(db):
    call_command("demo", "--no-publish", stdout=io.StringIO())


def _user(django_user_model, username, role=None, **extra):
    user = django_user_model.objects.create_user(username=username, password="correct horse battery", **extra)
    if role:
        Membership.objects.create(user=user, organizer=Organizer.objects.get(code="luvn"), role=role)
    return user


def test_it_sends_the_policy_on_every_public_and_respondents_page(demo):
    pages = Pages()
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    pages.add("accessibility statement", client.get(reverse("accessibility")), 200)
    pages.add("invalid link", client.get(reverse("responses:open_link", args=["not-a-valid-token"])), 404)
    pages.add("404 page", client.get("/no-such-page/"), 404)
    pages.add("answer form without a session", client.get(reverse("responses:answer")), 403)
    pages.add("language switch", client.post(reverse("set_language"), {"language": "sv", "next": "/"}), 302)

    invitation = Invitation.objects.get(round__code=OPEN_ROUND, municipality__code=KAUNIAINEN)
    pages.add(
        "opening a link", client.get(reverse("responses:open_link", args=[link_create(invitation=invitation)])), 302
    )
    pages.add("answer form", client.get(reverse("responses:answer")), 200)
    saved = client.post(
        reverse("responses:answer"),
        {"version": "0", "action": "save"},
        headers={"X-Requested-With": "fetch", "Accept": "application/json"},
    )
    pages.add("autosave (JSON)", saved, 200)
    version = saved.json()["version"]
    pages.add(
        "saving with a button", client.post(reverse("responses:answer"), {"version": version, "action": "save"}), 302
    )
    pages.add("answer form with a message", client.get(reverse("responses:answer")), 200)
    invitation.response.refresh_from_db()
    version = invitation.response.version
    pages.add("review page", client.get(reverse("responses:review")), 200)
    pages.add("review with the name missing", client.post(reverse("responses:submit"), {"version": version}), 400)
    submitted = client.post(reverse("responses:submit"), {"version": version, "name": "Kaisa Kuusela"})
    pages.add("submitting", submitted, 302)
    pages.add("confirmation page", client.get(reverse("responses:done")), 200)

    closed = Invitation.objects.get(round__code=PAST_ROUND, municipality__code=KAUNIAINEN)
    client.get(reverse("responses:open_link", args=[link_create(invitation=closed)]))
    pages.add("status page of a closed round", client.get(reverse("responses:answer")), 200)

    assert not pages.problems(), "\n".join(pages.problems())


def test_it_sends_the_policy_on_every_staff_page(demo, django_user_model):
    pages = Pages()
    staff = _user(django_user_model, "staff-member", Membership.Role.STAFF)
    viewer = _user(django_user_model, "viewer-member", Membership.Role.VIEWER)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages.add("login page", client.get(reverse("staff:login")), 200)
    wrong = {"username": "staff-member", "password": "wrong"}
    pages.add("login with a wrong password", client.post(reverse("staff:login"), wrong), 200)
    client.force_login(staff)
    pages.add("rounds", client.get(reverse("staff:rounds")), 200)
    for code in (PAST_ROUND, OPEN_ROUND):
        pages.add(f"round {code}", client.get(reverse("staff:round", args=[code])), 200)
        pages.add(f"invitation {code}", client.get(reverse("staff:invitation", args=[code, KAUNIAINEN])), 200)
        pages.add(f"results {code}", client.get(reverse("results:page", args=[code])), 200)
    extend = reverse("staff:extend", args=[OPEN_ROUND, KAUNIAINEN])
    # The form's errors, whichever status they come with.
    pages.add("deadline too early", client.post(extend, {"until": "2020-01-01"}), (200, 400))
    pages.add("close round", client.get(reverse("staff:close_round", args=[OPEN_ROUND])), 200)
    excerpt = Excerpt.objects.filter(round__code=PAST_ROUND).first()
    pages.add("excerpts", client.get(reverse("curation:excerpts", args=[PAST_ROUND])), 200)
    pages.add("excerpt", client.get(reverse("curation:excerpt_edit", args=[PAST_ROUND, excerpt.pk])), 200)
    pages.add("deleting an excerpt", client.get(reverse("curation:excerpt_delete", args=[PAST_ROUND, excerpt.pk])), 200)
    pages.add("narrative", client.get(reverse("curation:narrative", args=[PAST_ROUND, "fi"])), 200)
    for identifier in exporters():
        download = client.get(reverse("results:download", args=[PAST_ROUND]), {"format": identifier, "lang": "fi"})
        pages.add(f"download {identifier}", download, 200)
    unknown = client.get(reverse("results:download", args=[PAST_ROUND]), {"format": "nope", "lang": "fi"})
    pages.add("download in an unknown format", unknown, 400)

    client.force_login(viewer)
    pages.add("403 page", client.get(reverse("staff:close_round", args=[OPEN_ROUND])), 403)

    stranger = Client()
    for _ in range(settings.ARVIO_LOGIN_FAILURE_LIMIT):
        locked = stranger.post(reverse("staff:login"), {"username": "tuntematon", "password": "arvaus"})
    pages.add("locked out", locked, 429)

    assert not pages.problems(), "\n".join(pages.problems())


def test_it_sends_the_policy_on_the_admins_pages(demo, django_user_model):
    pages = Pages()
    client = Client()
    client.force_login(_user(django_user_model, "admin", is_staff=True, is_superuser=True))
    pages.add("admin index", client.get(reverse("admin:index")), 200)
    pages.add("admin list", client.get(reverse("admin:surveys_round_changelist")), 200)
    round = Round.objects.get(code=OPEN_ROUND)
    pages.add("admin form", client.get(reverse("admin:surveys_round_change", args=[round.pk])), 200)
    pages.add("admin user form", client.get(reverse("admin:auth_user_add")), 200)

    assert not pages.problems(), "\n".join(pages.problems())


def test_no_template_holds_an_inline_script_or_style():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for what, pattern in [
            ("an inline <script>", r"<script(?![^>]*\ssrc=)[^>]*>"),
            ("a <style> element", r"<style\b"),
            ("a style attribute", r"\sstyle="),
            ("an event-handler attribute", r"\son[a-z]+="),
            ("a javascript: URL", r"javascript:"),
        ]:
            hits = re.findall(pattern, text)
            if path == DOWNLOADED_REPORT and what == "a <style> element":
                assert hits == ["<style"], "the downloaded report has one style element, named by its hash"
                continue
            found.extend(f"{path.relative_to(TEMPLATES)}: {what}: {hit!r}" for hit in hits)
    assert not found, "\n".join(found)


def test_it_gives_the_downloaded_html_report_a_stricter_policy_of_its_own(demo):
    report = report_build(Round.objects.get(code=PAST_ROUND), language="fi")
    html = exporters()["html"].render(report)[2].decode()

    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert meta, "the file carries its own policy"
    policy = directives(meta.group(1).replace("&#x27;", "'"))
    assert policy["default-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'none'"]
    assert "script-src" not in policy  # default-src 'none': no script at all
    # The hash names exactly the one style element, so the file keeps its look and allows nothing else.
    styles = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert policy["style-src"] == [f"'sha256-{digest}'"]
    assert '"Liberation Sans"' in styles[0]  # the stylesheet itself, unescaped
    assert inline_content(html) == ["a <style> element"]
