import math
from datetime import timedelta

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def minutes(duration: timedelta) -> int:
    return math.ceil(duration.total_seconds() / 60)


@register.filter
def from_now(duration: timedelta):
    return timezone.now() + duration
