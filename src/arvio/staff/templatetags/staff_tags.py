import math
from datetime import timedelta

from django import template
from django.utils import timezone

from arvio.staff.roles import can_manage

register = template.Library()


@register.filter
def minutes(duration: timedelta) -> int:
    return math.ceil(duration.total_seconds() / 60)


@register.filter
def from_now(duration: timedelta):
    return timezone.now() + duration


@register.filter
def manages_any(user) -> bool:
    """Evaluation staff of at least one organizer (roles.can_manage): the audit log and the accounts."""
    return can_manage(user)
