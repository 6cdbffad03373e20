"""Template filters every template has (registered as builtins in settings)."""

from django import template

from arvio.lib import dates
from arvio.lib.i18n import localized

register = template.Library()


@register.filter
def tr(obj, field: str) -> str:
    """{{ node|tr:"text" }} — the field in the active language."""
    return localized(obj, field)


@register.filter
def fdate(value) -> str:
    return dates.format_date(value)


@register.filter
def fdatetime(value) -> str:
    return dates.format_datetime(value)
