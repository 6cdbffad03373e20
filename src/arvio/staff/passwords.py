"""The password rules' messages that Django's own catalogues leave untranslated, said in Arvio's.

Django's Finnish catalogue has no translation for the minimum length's error. Arvio's catalogue holds it under
Django's own message id; naming the message here keeps `makemessages` from dropping it as unused.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return (
            ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                self.min_length,
            )
            % self.min_length
        )
