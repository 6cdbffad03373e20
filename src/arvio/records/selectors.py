"""Reading the audit log."""

from datetime import date, datetime, time

from django.db.models import QuerySet

from arvio.lib.dates import HELSINKI, end_of_day
from arvio.records.models import AuditEntry

# What the user filter is given for entries no Arvio user made (commands, cron): no username can hold "(".
NO_USER = "(system)"


def entries_filtered(
    *,
    entries: QuerySet[AuditEntry] | None = None,
    round_code: str = "",
    municipality_code: str = "",
    action: str = "",
    username: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The entries (of `entries`, else all) matching every filter given, newest first; the days are Helsinki
    days, both included."""
    entries = AuditEntry.objects.all() if entries is None else entries
    if round_code:
        entries = entries.filter(round_code=round_code)
    if municipality_code:
        entries = entries.filter(municipality_code=municipality_code)
    if action:
        entries = entries.filter(action=action)
    if username == NO_USER:
        entries = entries.filter(username="")
    elif username:
        entries = entries.filter(username=username)
    if since:
        entries = entries.filter(at__gte=datetime.combine(since, time.min, tzinfo=HELSINKI))
    if until:
        entries = entries.filter(at__lte=end_of_day(until))
    return entries.order_by("-at", "-pk")


def entry_choices(entries: QuerySet[AuditEntry] | None = None) -> dict[str, list[str]]:
    """The round codes, municipality codes and usernames the log (or `entries`) holds, for the filters."""
    entries = AuditEntry.objects.all() if entries is None else entries
    values = {}
    for field in ("round_code", "municipality_code", "username"):
        values[field] = sorted(value for value in entries.order_by().values_list(field, flat=True).distinct() if value)
    return values
