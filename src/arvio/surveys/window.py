"""When a round can be answered. The server's clock decides, in Europe/Helsinki."""

from datetime import date, datetime
from enum import StrEnum

from arvio.lib.dates import HELSINKI, end_of_day


class WindowState(StrEnum):
    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"


def window_state(
    now: datetime,
    *,
    opens_on: date,
    closes_on: date,
    extended_to: date | None = None,
    closed_at: datetime | None = None,
) -> WindowState:
    """Open from the start of `opens_on` to the end of the closing day (or of the extension).

    Staff closing the round (`closed_at`) ends it for everybody, extensions included.
    """
    if closed_at is not None and now >= closed_at:
        return WindowState.CLOSED
    if now.astimezone(HELSINKI).date() < opens_on:
        return WindowState.NOT_YET_OPEN
    last_day = max(closes_on, extended_to) if extended_to else closes_on
    if now > end_of_day(last_day):
        return WindowState.CLOSED
    return WindowState.OPEN
