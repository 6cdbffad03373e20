from datetime import date, datetime, timedelta

import pytest

from arvio.lib.dates import HELSINKI
from arvio.surveys.window import WindowState, window_state

OPENS, CLOSES = date(2024, 11, 6), date(2024, 12, 5)


def at(*args):
    return datetime(*args, tzinfo=HELSINKI)


@pytest.mark.parametrize(
    "now, expected",
    [
        (at(2024, 11, 5, 23, 59, 59), WindowState.NOT_YET_OPEN),
        (at(2024, 11, 6, 0, 0, 0), WindowState.OPEN),
        (at(2024, 12, 5, 23, 59, 59), WindowState.OPEN),
        (at(2024, 12, 6, 0, 0, 0), WindowState.CLOSED),
    ],
)
def test_it_opens_and_closes_at_midnight_in_helsinki(now, expected):
    assert window_state(now, opens_on=OPENS, closes_on=CLOSES) is expected


def test_it_counts_an_extension_to_its_end():
    extended = date(2024, 12, 12)
    assert (
        window_state(at(2024, 12, 12, 23, 59, 59), opens_on=OPENS, closes_on=CLOSES, extended_to=extended)
        is WindowState.OPEN
    )
    assert (
        window_state(at(2024, 12, 13, 0, 0), opens_on=OPENS, closes_on=CLOSES, extended_to=extended)
        is WindowState.CLOSED
    )


def test_it_ignores_an_extension_earlier_than_the_close():
    assert (
        window_state(at(2024, 12, 5, 12), opens_on=OPENS, closes_on=CLOSES, extended_to=date(2024, 12, 1))
        is WindowState.OPEN
    )


def test_it_closes_for_everybody_when_staff_close_the_round():
    closed_at = at(2024, 11, 20, 9, 0)
    kwargs = {"opens_on": OPENS, "closes_on": CLOSES, "extended_to": date(2024, 12, 12), "closed_at": closed_at}
    assert window_state(closed_at - timedelta(seconds=1), **kwargs) is WindowState.OPEN
    assert window_state(closed_at, **kwargs) is WindowState.CLOSED
