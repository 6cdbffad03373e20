"""Numbers as the report shows them (results/numbers.py): half up on the exact value, the language's decimal sign."""

from decimal import Decimal
from fractions import Fraction

from arvio.results.numbers import display, percent, round_half_up


def test_it_rounds_half_up_on_the_exact_value():
    assert round_half_up(Fraction(9, 4)) == Decimal("2.3")  # Aikuisten sosiaalipalvelut: 2,25 → 2,3
    assert round_half_up(Fraction(13, 6)) == Decimal("2.2")
    assert round_half_up(Fraction(65, 24)) == Decimal("2.7")
    assert round_half_up(Fraction(3)) == Decimal("3.0")
    assert str(round_half_up(Fraction(3))) == "3.0"
    assert round_half_up(Fraction(249, 100), 1) == Decimal("2.5")
    assert round_half_up(Fraction(2449, 1000), 1) == Decimal("2.4")


def test_it_displays_one_decimal_with_the_languages_sign():
    assert display(Fraction(9, 4), "fi") == display(Fraction(9, 4), "sv") == "2,3"
    assert display(Fraction(9, 4), "en") == "2.3"
    assert display(None, "fi") == "–"


def test_it_rounds_a_percentage_half_up():
    assert percent(1, 8, "en") == "13%"  # 12.5 %: half to even would give 12
    assert percent(0, 0, "fi") == "–"
