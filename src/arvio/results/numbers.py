"""Numbers as the report shows them: one decimal, half up, with the language's decimal sign."""

import math
from decimal import Decimal
from fractions import Fraction

from babel.numbers import format_decimal, format_percent

LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
NO_VALUE = "–"


def round_half_up(value: Fraction, places: int = 1) -> Decimal:
    """2.25 → 2.3: half up, decided on the exact fraction. Scale values are never negative."""
    return Decimal(math.floor(value * 10**places + Fraction(1, 2))).scaleb(-places)


def display(mean: Fraction | None, language: str) -> str:
    """2.25 → "2,3" in Finnish and Swedish, "2.3" in English; "–" when there is no value."""
    if mean is None:
        return NO_VALUE
    return format_decimal(round_half_up(mean), format="0.0", locale=LOCALES[language])


MINUS = "\u2212"
NO_CHANGE = "\u00b1"


def round_change(change: Fraction) -> Decimal:
    """A change rounded as displayed: its magnitude half up (`round_half_up`), then its sign (−0.25 → −0.3)."""
    magnitude = round_half_up(abs(change))
    return magnitude if change >= 0 else -magnitude


def display_change(change: Fraction | None, language: str) -> str:
    """A change between rounds with its sign: "+0,4", "−0,2" (U+2212), "±0,0"; "+0.4" in English.

    The magnitude rounds by `round_half_up`, so a change rounds the same way up and down
    (+0.25 → "+0,3", −0.25 → "−0,3"); "–" when either round has no value.
    """
    if change is None:
        return NO_VALUE
    rounded = round_change(change)
    shown = format_decimal(abs(rounded), format="0.0", locale=LOCALES[language])
    if not rounded:
        return NO_CHANGE + shown
    return ("+" if change > 0 else MINUS) + shown


def percent(part: int, whole: int, language: str) -> str:
    """60 % with a non-breaking space in Finnish and Swedish."""
    if not whole:
        return NO_VALUE
    # Rounded here, half up; Babel would round half to even.
    return format_percent(round_half_up(Fraction(part, whole), 2), locale=LOCALES[language])
