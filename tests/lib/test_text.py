"""The one rule for texts and numbers sent to Arvio (lib/text.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from arvio.lib.text import ascii_int, text_problem, validate_text


@pytest.mark.parametrize(
    "value",
    [
        "Hyvä yhteistyö.\n\nKiitos!\r\n",
        "\tsisennys",
        "Grankulla – Kauniainen",
        "٣ ３ ³",
        "\ufffd",
        "\x7f",
        "\x85",
        "😀",
    ],
    ids=["text", "tab", "dash", "digits", "replacement", "del", "c1", "emoji"],
)
def test_it_takes_any_text_a_person_can_type_or_paste(value):
    assert text_problem(value) is None
    validate_text(value)


@pytest.mark.parametrize(
    ("value", "code", "position"),
    [
        ("a\x00", "U+0000", 2),
        ("\x01", "U+0001", 1),
        ("ab\x0b", "U+000B", 3),
        ("\x1f", "U+001F", 1),
        ("x\ud800", "U+D800", 2),
        ("\udfff", "U+DFFF", 1),
        ("\ufffe", "U+FFFE", 1),
        ("\uffff", "U+FFFF", 1),
    ],
)
def test_it_refuses_what_no_column_or_report_format_can_hold_and_says_where(value, code, position):
    with translation.override("en"):
        assert text_problem(value).startswith(
            f"The text holds a character that cannot be saved ({code}, character {position})"
        )
    with pytest.raises(ValidationError) as caught:
        validate_text(value)
    assert caught.value.code == "unstorable_character"


def test_it_says_so_in_finnish_and_swedish():
    with translation.override("fi"):
        assert text_problem("\x00").startswith("Tekstissä on merkki, jota ei voi tallentaa")
    with translation.override("sv"):
        assert text_problem("\x00").startswith("Texten innehåller ett tecken som inte kan sparas")


@pytest.mark.parametrize(("value", "number"), [("0", 0), ("3", 3), ("0012", 12), ("9" * 18, int("9" * 18))])
def test_it_reads_ascii_digits(value, number):
    assert ascii_int(value) == number


@pytest.mark.parametrize(
    "value", ["", "³", "٣", "５", "३", "𝟑", " 3", "3 ", "+3", "-3", "1_0", "3.0", "9" * 19, "9" * 5000, None, 3]
)
def test_it_reads_nothing_else(value):
    assert ascii_int(value) is None
