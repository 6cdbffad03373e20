"""Personal links (and staff accounts' one-time links) never reach a log: the one place where `/a/<token>/` is masked.

Used by Django's logging (a filter on every handler in settings.LOGGING), by Django's error reports
(`MaskingExceptionReporter`) and by gunicorn's access and error logs (`arvio.lib.gunicorn_logging`).
"""

import logging
import re

from django.views.debug import ExceptionReporter

MASK = "***"

# `/a/` (or its percent-encoded form, as in a `?next=` or a Referer) and what follows up to the next
# separator: a token, a wrong one, or a mangled one (a wrong token may be a real one cut short).
_LINK = re.compile(r"(?P<prefix>(?:/|%2f)a(?:/|%2f))(?P<token>(?:(?!%2f)[^/\s?#&\"'<>\\])+)", re.IGNORECASE)
# A staff account's one-time link, `/set-password/<uid>/<token>/` or `/password-reset/<uid>/<token>/`: the
# token goes as a personal link's does (it sets the account's password until it is used).
_ACCOUNT_LINK = re.compile(
    r"(?P<prefix>(?:/|%2f)(?:set-password|password-reset)(?:/|%2f)(?:(?!%2f)[^/\s?#&\"'<>\\])+(?:/|%2f))"
    r"(?P<token>(?:(?!%2f)[^/\s?#&\"'<>\\])+)",
    re.IGNORECASE,
)


def mask_links(text: str) -> str:
    """`text` with the token of every personal link's path (and every account link's) replaced by `***`."""
    for pattern in (_LINK, _ACCOUNT_LINK):
        text = pattern.sub(lambda match: match["prefix"] + MASK, text)
    return text


def link_tokens(text: str) -> list[str]:
    """The tokens that `mask_links` would hide in `text`."""
    return [match["token"] for pattern in (_LINK, _ACCOUNT_LINK) for match in pattern.finditer(text)]


class MaskLinks(logging.Filter):
    """A handler filter that rewrites each record's message and traceback with the links masked.

    On a handler, not a logger: a logger's filter misses the records its children propagate to it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: its arguments may hold a token, so they go
            message = str(record.msg)
        record.msg, record.args = mask_links(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_links(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_links(record.stack_info)
        return True


class MaskingExceptionReporter(ExceptionReporter):
    """Django's error report (the DEBUG page, mails to admins) with the links masked.

    The request's own token also appears bare in the frames' variables (the view's `token`, the
    resolver's kwargs), so every occurrence of it is masked too, not only the path.
    """

    def _mask(self, text: str) -> str:
        path = getattr(self.request, "path", "") if self.request is not None else ""
        for token in link_tokens(path):
            text = text.replace(token, MASK)
        return mask_links(text)

    def get_traceback_html(self):
        return self._mask(str(super().get_traceback_html()))

    def get_traceback_text(self):
        return self._mask(str(super().get_traceback_text()))
