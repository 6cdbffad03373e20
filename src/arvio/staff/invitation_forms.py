"""The forms of the invitation pages: finding a municipality, and a contact person checked as the survey file checks
one (surveys/definition.py `Contact`), so that a contact added here always exports and imports back."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from arvio.lib.text import SingleValues, TextField
from arvio.surveys.definition import Contact as ContactSchema
from arvio.surveys.definition import part_problems

SEARCH_MAX = 100
CONTACT_TEXT_MAX = 200


class MunicipalitySearchForm(SingleValues, forms.Form):
    q = TextField(label=_("Municipality's name or code"), required=False, max_length=SEARCH_MAX)


class MunicipalityAddForm(SingleValues, forms.Form):
    code = forms.RegexField(regex=r"^[0-9]{3}$", max_length=3)


class ContactForm(SingleValues, forms.Form):
    # The survey file's rules decide (clean); these fields only carry the text, as typed.
    name = forms.CharField(label=_("Name"), required=False, strip=False, max_length=10_000)
    email = forms.CharField(label=_("Email"), required=False, strip=False, max_length=10_000)
    role = forms.CharField(
        label=_("Role"), required=False, strip=False, max_length=10_000, help_text=_("For example: mayor")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "role"):
            self.fields[name].widget.attrs["maxlength"] = CONTACT_TEXT_MAX
        self.fields["email"].widget.input_type = "email"
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = {name: self.cleaned_data[name] for name in ("name", "email", "role") if name in self.cleaned_data}
        if len(data) < 3:
            return self.cleaned_data
        for name, messages in part_problems(ContactSchema, data).items():
            if name in self.fields:
                self.add_error(name, ValidationError(messages))
            else:
                self.add_error(None, ValidationError(messages))
        return {name: value.strip() for name, value in data.items()}
