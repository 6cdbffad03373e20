"""Debian's Chromium driven by Playwright, shared by the browser tests."""

import os
import re
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
# No sandbox as root; no background traffic on a machine without a network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass(frozen=True)
class Demo:
    url: str  # the live server's
    links: list[str]  # the open round's answer links: Kauniainen's, then Raasepori's
    passwords: dict[str, str]  # the demo's staff users: arvioija (evaluation staff), katselija (viewer)
    feedback_link: str  # Kauniainen's link of the closed 2024 round: it opens its feedback
    published_url: str  # the 2024 report's public page, as the demo published it


@pytest.fixture
def demo(live_server, settings) -> Demo:
    """`arvio demo` on the live server, read from what it prints, as a developer after `make run` would."""
    settings.ARVIO_BASE_URL = live_server.url
    output = StringIO()
    call_command("demo", stdout=output)
    text = output.getvalue()

    def printed(heading: str) -> str:
        """The block of the output that starts with `heading`."""
        return next(block for block in text.split("\n\n") if block.startswith(heading))

    link = rf"{re.escape(live_server.url)}/a/[^/\s]+/"
    links = re.findall(link, printed("Answer links"))
    (feedback_link,) = re.findall(link, printed("Feedback link"))
    (published_url,) = re.findall(rf"{re.escape(live_server.url)}/reports/\S+/", printed("Published report"))
    passwords = dict(re.findall(r"^\s+(\w+)\s+password (\S+)\s", text, re.MULTILINE))
    assert len(links) == 2 and set(passwords) == {"arvioija", "katselija"}, text
    return Demo(
        url=live_server.url,
        links=links,
        passwords=passwords,
        feedback_link=feedback_link,
        published_url=published_url,
    )
