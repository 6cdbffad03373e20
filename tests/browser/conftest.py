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


@pytest.fixture
def demo(live_server, settings) -> Demo:
    """`arvio demo` on the live server, read from what it prints, as a developer after `make run` would."""
    settings.ARVIO_BASE_URL = live_server.url
    output = StringIO()
    call_command("demo", stdout=output)
    text = output.getvalue()
    links = re.findall(rf"{re.escape(live_server.url)}/a/[^/\s]+/", text)
    passwords = dict(re.findall(r"^\s+(\w+)\s+password (\S+)\s", text, re.MULTILINE))
    assert len(links) == 2 and set(passwords) == {"arvioija", "katselija"}, text
    return Demo(url=live_server.url, links=links, passwords=passwords)
