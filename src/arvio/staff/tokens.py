"""The one-time link that lets an invited colleague set a password.

Django's password reset tokens, with a salt of their own (an invitation's token is no reset token, nor the
other way round) and a validity of their own, ARVIO_ACCOUNT_INVITE_DAYS: a colleague may open an invitation
a week later, while a reset link lasts PASSWORD_RESET_TIMEOUT. Like a reset token, it stops working as soon
as the password changes, so it serves once; sending the invitation again gives the account a new unusable
password, which ends the earlier links.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "arvio.staff.tokens.InvitationTokenGenerator"

    def check_token(self, user, token):
        # Django's own check, with this generator's validity in place of PASSWORD_RESET_TIMEOUT.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - ts > settings.ARVIO_ACCOUNT_INVITE_DAYS * 24 * 3600:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_token_generator = InvitationTokenGenerator()
