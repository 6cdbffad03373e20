"""Refuses a request whose form data or query string is not UTF-8 text.

Django decodes such bytes into U+FFFD, so a broken character sent by a script (a lone surrogate as
%ED%A0%80) would be stored as a replacement character nobody typed. Browsers always send UTF-8, so
only a tampered or broken client meets this; it gets a 400 in its language and nothing is saved.
"""

from urllib.parse import parse_qsl

from django.conf import settings
from django.utils.translation import gettext as _

from arvio.lib.http import bad_request

REPLACEMENT = "\ufffd"
REPLACEMENT_BYTES = REPLACEMENT.encode()


class UndecodableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._readable(request):
            return bad_request(
                request,
                _(
                    "What was sent is not readable text (it is not UTF-8). Nothing was saved. Reload the page and try again."
                ),
            )
        return self.get_response(request)

    def _readable(self, request) -> bool:
        if not _strict_query(request.META.get("QUERY_STRING", "")):
            return False
        if request.method != "POST":
            return True
        content_type = request.content_type or ""
        length = _content_length(request)
        # A body above Django's own limit is refused by Django when read; files are not checked here.
        if length is None or length > (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0):
            return True
        if content_type == "application/x-www-form-urlencoded":
            try:
                return _strict_query(request.body.decode("ascii"))
            except UnicodeDecodeError:
                # Unescaped bytes: they must be UTF-8 themselves, and so must what they escape.
                try:
                    return _strict_query(request.body.decode("utf-8"))
                except UnicodeDecodeError:
                    return False
        if content_type == "multipart/form-data":
            body = request.body
            decoded = sum(
                key.count(REPLACEMENT) + sum(value.count(REPLACEMENT) for value in values)
                for key, values in request.POST.lists()
            )
            # Every U+FFFD in the fields that the body does not spell out as such was a broken byte.
            return decoded <= body.count(REPLACEMENT_BYTES)
        return True


def _strict_query(text: str) -> bool:
    try:
        parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        return False
    return True


def _content_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
