"""The forms of the accounts' pages, the invited colleague's password and the password reset."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from arvio.lib.i18n import LANGUAGES
from arvio.lib.text import SingleValues, TextField, validate_text
from arvio.staff.account_services import password_reset_queue, password_reset_url
from arvio.staff.models import Membership

# An address longer than a username can be cannot be one: the username is the address.
EMAIL_MAX = get_user_model()._meta.get_field("username").max_length


class _Described:
    """A field's error is announced with it (WCAG 3.3.1): the widget names the paragraph that holds it."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].id_for_label}-error"
                self.fields[name].widget.attrs["aria-invalid"] = "true"


class InviteForm(_Described, SingleValues, forms.Form):
    first_name = TextField(label=_("First name"), max_length=150)
    last_name = TextField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("Email"),
        max_length=EMAIL_MAX,
        validators=[validate_text],
        help_text=_("The colleague logs in with this address."),
    )
    organizer = forms.ChoiceField(label=_("Organizer"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.VIEWER)
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=list(LANGUAGES.items()), widget=forms.RadioSelect
    )

    def __init__(self, *args, organizers, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizers = {organizer.code: organizer for organizer in organizers}
        self.fields["organizer"].choices = [(code, organizer.tr("name")) for code, organizer in self.organizers.items()]
        self.fields["language"].initial = (translation.get_language() or "fi")[:2]
        for name, autocomplete in (("first_name", "off"), ("last_name", "off"), ("email", "off")):
            self.fields[name].widget.attrs["autocomplete"] = autocomplete

    def clean_organizer(self):
        return self.organizers[self.cleaned_data["organizer"]]


class RoleForm(_Described, SingleValues, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class LanguageForm(_Described, SingleValues, forms.Form):
    """The language of a mail sent again."""

    language = forms.ChoiceField(label=_("Language of the mail"), choices=list(LANGUAGES.items()))


# No person types more; a longer one would only make the server hash (and compare) a megabyte.
PASSWORD_MAX = 1024


class SetPasswordForm(_Described, SingleValues, auth_forms.SetPasswordForm):
    """Django's form for a new password, with its validators (AUTH_PASSWORD_VALIDATORS), in the user's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.max_length = PASSWORD_MAX
            field.validators += [validate_text, MaxLengthValidator(PASSWORD_MAX)]
            field.widget.attrs["maxlength"] = PASSWORD_MAX


class PasswordResetForm(_Described, SingleValues, auth_forms.PasswordResetForm):
    """Django's reset form; the mail goes through the outbox, and the page never says whether the address has
    an account (Django's form sends nothing to an unknown address and answers alike)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].max_length = EMAIL_MAX
        self.fields["email"].validators += [validate_text]
        self.fields["email"].widget.attrs["maxlength"] = EMAIL_MAX

    def clean_email(self):
        email = self.cleaned_data["email"]
        if len(email) > EMAIL_MAX:
            raise ValidationError(_("An email address has at most %(count)d characters."), params={"count": EMAIL_MAX})
        return email

    def save(self, *args, **kwargs):
        language = (translation.get_language() or "fi")[:2]
        for user in self.get_users(self.cleaned_data["email"]):
            password_reset_queue(user=user, language=language, url=password_reset_url(user))
