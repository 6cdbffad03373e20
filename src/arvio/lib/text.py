"""What a text sent to Arvio may hold, and how a number must be written: the one rule for every path.

A text is refused if it holds a character that XML 1.0 cannot carry: NUL and the other C0 control
characters except tab, line feed and carriage return, a lone surrogate (U+D800–U+DFFF, which no
UTF-8 text can hold), U+FFFE and U+FFFF. NUL and surrogates cannot be stored at all (PostgreSQL's
text and jsonb refuse NUL; UTF-8 cannot encode a surrogate); the other control characters could be
stored but would break every report format built on XML (PPTX, XLSX, the HTML and PDF) when the
text is quoted there, and nobody types them. C1 controls, U+FFFD and DEL are kept: XML carries
them, and they turn up in text pasted from old systems (docs/decisions.md, Hostile input).

The answer form's autosave, the Django forms (`validate_text`, `TextField`), the responses import
and the survey file all ask `text_problem`.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A whole number as a person writes it: ASCII digits only. int() would also take "٣", "５", " 3" and "1_0".
ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def text_problem(value: str) -> str | None:
    """Why `value` cannot be taken as text (in the active language), or None when it can."""
    found = UNSTORABLE.search(value)
    if found is None:
        return None
    return _(
        "The text holds a character that cannot be saved ({character}, character {position}): "
        "a control character or a broken character, often left by copying from another program. "
        "Remove it and try again."
    ).format(character=f"U+{ord(found.group()):04X}", position=found.start() + 1)


def validate_text(value: str) -> None:
    """A Django validator for every text field a person fills in."""
    problem = text_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="unstorable_character")


def ascii_int(value: str, *, max_digits: int = 18) -> int | None:
    """The whole number `value` writes in ASCII digits, else None (also for more than `max_digits`
    digits: int() of a huge string is slow, and no number Arvio asks for is that long)."""
    if not isinstance(value, str) or len(value) > max_digits or not ASCII_DIGITS.fullmatch(value):
        return None
    return int(value)


class TextField(forms.CharField):
    """A text field that refuses what `text_problem` refuses."""

    default_validators = [validate_text]


class SingleValues:
    """A form mixin: a field that takes one value refuses a request that sends it twice.

    Django would silently keep the last of them; a browser never sends one field twice, so a
    repeated field is a tampered request, and which value "wins" must not be guessed.
    """

    repeated_message = gettext_lazy("This field was sent more than once. Reload the page and try again.")

    def _clean_fields(self):
        super()._clean_fields()
        if not self.is_bound or not hasattr(self.data, "getlist"):
            return
        for name, field in self.fields.items():
            if isinstance(field, forms.MultipleChoiceField):
                continue
            if len(self.data.getlist(self.add_prefix(name))) > 1:
                self.cleaned_data.pop(name, None)
                if name not in self._errors:
                    self.add_error(name, ValidationError(self.repeated_message, code="repeated"))


class WholeNumberField(forms.IntegerField):
    """A whole number written in ASCII digits (`ascii_int`): Django's IntegerField would take "٣" and "５"."""

    default_error_messages = {"invalid": gettext_lazy("Write a whole number in digits 0–9.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):  # an initial value, not typed
            return value
        number = ascii_int(value) if isinstance(value, str) else None
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number
