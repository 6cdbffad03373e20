"""Failed staff logins, throttled by django-axes two ways: per (username, address) after
ARVIO_LOGIN_FAILURE_LIMIT failures, and per address across usernames after the higher
ARVIO_LOGIN_ADDRESS_FAILURE_LIMIT, so that trying many usernames from one address ends locked too,
while a colleague behind the same office address who mistyped a few times is not locked out.

axes compares one count against one limit; `LoginThrottle.get_failures` gives it the count of the
rule that binds, and leaves that rule's limit on the request for `failure_limit` (and the lockout
page) to read.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum

_LIMIT_ATTRIBUTE = "arvio_login_failure_limit"


def failure_limit(request, credentials=None) -> int:
    """AXES_FAILURE_LIMIT: the limit of the rule `get_failures` found binding for this request."""
    return getattr(request, _LIMIT_ATTRIBUTE, settings.ARVIO_LOGIN_FAILURE_LIMIT)


class LoginThrottle(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        limits = {"ip_address": settings.ARVIO_LOGIN_ADDRESS_FAILURE_LIMIT}
        parameters = get_lockout_parameters(request, credentials)
        rules = []
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials)):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            key = parameter if isinstance(parameter, str) else "+".join(parameter)
            rules.append((failures, limits.get(key, settings.ARVIO_LOGIN_FAILURE_LIMIT)))
        # The rule closest to (or furthest past) its limit binds.
        failures, limit = max(
            rules, key=lambda rule: rule[0] / rule[1], default=(0, settings.ARVIO_LOGIN_FAILURE_LIMIT)
        )
        setattr(request, _LIMIT_ATTRIBUTE, limit)
        return failures
