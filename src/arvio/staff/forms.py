from datetime import timedelta

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from arvio.invitations.models import Invitation
from arvio.lib.dates import format_date
from arvio.lib.text import SingleValues, validate_text

# An extension is for a municipality that needs a few more weeks, not a second round.
MAX_EXTENSION = timedelta(days=366)


class LoginForm(SingleValues, AuthenticationForm):
    """Django's login form; a username that no account could have is refused before anybody is asked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        # Django sets max_length after making the field, so its length is not checked unless asked.
        username.validators += [validate_text, MaxLengthValidator(username.max_length)]


class ExtendForm(SingleValues, forms.Form):
    """A new last day for one municipality, not before the round's own closing day."""

    until = forms.DateField(
        label=_("New deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, invitation: Invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_until(self):
        until = self.cleaned_data["until"]
        round = self.invitation.round
        if round.closed_at is not None:
            raise ValidationError(_("The round has been closed: its deadlines can no longer be extended."))
        if until < round.closes_on:
            raise ValidationError(
                _("The new deadline cannot be before the round's closing day, %(day)s."),
                params={"day": format_date(round.closes_on)},
            )
        if until > round.closes_on + MAX_EXTENSION:
            raise ValidationError(
                _("The new deadline can be at most a year after the round's closing day, until %(day)s."),
                params={"day": format_date(round.closes_on + MAX_EXTENSION)},
            )
        return until
