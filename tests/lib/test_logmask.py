"""No personal link's token reaches Django's logs or error reports."""

import io
import logging
import sys

import pytest
from django.test import RequestFactory

from arvio.lib.logmask import MaskingExceptionReporter, mask_links

TOKEN = "beTh6Gs6Oq6v3ZZ1FXTtP_7kinYJRSBh36dXDtlNnhk"


def test_it_masks_the_token_of_every_form_of_a_link():
    assert mask_links(f"GET /a/{TOKEN}/ HTTP/1.1") == "GET /a/***/ HTTP/1.1"
    assert mask_links(f"https://arvio.example.fi/a/{TOKEN}/?x=1") == "https://arvio.example.fi/a/***/?x=1"
    assert mask_links(f"/a/{TOKEN}") == "/a/***"
    assert mask_links(f"/staff/login/?next=%2Fa%2F{TOKEN}%2F") == "/staff/login/?next=%2Fa%2F***%2F"
    assert mask_links(f"/a/{TOKEN[:20]}%3E/") == "/a/***/"
    assert mask_links("/answer/review/ and /static/arvio/answer.js") == "/answer/review/ and /static/arvio/answer.js"


@pytest.fixture
def output():
    """What the configured handlers write (settings.LOGGING), caught in memory."""
    streams = {}
    handlers = [logging.getLogger().handlers, logging.getLogger("django.server").handlers]
    for handler in (handler for group in handlers for handler in group):
        if isinstance(handler, logging.StreamHandler):
            streams[handler] = handler.setStream(io.StringIO())
    yield lambda: "".join(handler.stream.getvalue() for handler in streams)
    for handler, stream in streams.items():
        handler.setStream(stream)


def test_it_masks_djangos_not_found_line(client, db, output):
    assert client.get(f"/a/{TOKEN}/").status_code == 404
    assert "Not Found: /a/***/" in output()
    assert TOKEN not in output()


def test_it_masks_runservers_request_lines(output):
    logging.getLogger("django.server").info('"%s" %s %s', f"GET /a/{TOKEN}/ HTTP/1.1", "302", "0")
    assert '"GET /a/***/ HTTP/1.1" 302 0' in output()
    assert TOKEN not in output()


def test_it_masks_an_error_and_its_traceback(output):
    try:
        raise ValueError(f"cannot open /a/{TOKEN}/")
    except ValueError:
        logging.getLogger("django.request").error("Internal Server Error: %s", f"/a/{TOKEN}/", exc_info=True)
        logging.getLogger("arvio.anything").exception("while opening /a/%s/", TOKEN)
    text = output()
    assert "Internal Server Error: /a/***/" in text
    assert "ValueError: cannot open /a/***/" in text
    assert "while opening /a/***/" in text
    assert TOKEN not in text


def _view(request, token):
    raise RuntimeError("boom")


def test_it_masks_djangos_error_report_frames_and_request():
    request = RequestFactory().get(f"/a/{TOKEN}/", HTTP_REFERER=f"https://mail.example.fi/?u=/a/{TOKEN}/")
    try:
        _view(request, TOKEN)
    except RuntimeError:
        reporter = MaskingExceptionReporter(request, *sys.exc_info())
    text, html = reporter.get_traceback_text(), reporter.get_traceback_html()
    assert "/a/***/" in text
    assert "/a/***/" in html
    assert TOKEN not in text
    assert TOKEN not in html


def test_it_masks_the_token_of_a_staff_accounts_one_time_links():
    assert mask_links("GET /staff/set-password/Mg/dixtji-cd34b2687a/ 200") == "GET /staff/set-password/Mg/***/ 200"
    assert mask_links("/staff/password-reset/Mw/dixtji-0a1b/") == "/staff/password-reset/Mw/***/"
    assert (
        mask_links("?next=%2Fstaff%2Fset-password%2FMg%2Fabc-123%2F") == "?next=%2Fstaff%2Fset-password%2FMg%2F***%2F"
    )
    # Pages without a token stay as they are.
    assert mask_links("/staff/password-reset/sent/ /staff/accounts/luvn/2/") == (
        "/staff/password-reset/sent/ /staff/accounts/luvn/2/"
    )
