"""The round's status table: counts per status above it, sorting by its column headers, and the answers over the
window as a bar chart with a table twin. Pure functions of the rows the view has read: no query here."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from arvio.invitations.status import Status
from arvio.lib.dates import format_date
from arvio.results.charts import timeline_chart

SORTS = ("municipality", "status", "last_mail")
ORDERS = ("asc", "desc")
STATUS_ORDER = list(Status)


def status_counts_text(statuses: list[Status]) -> str:
    """ "3 submitted, 2 drafts, 5 not opened": each status that occurs, in the order a municipality moves through
    them, with its plural form."""
    counts = Counter(statuses)
    words = {
        Status.SUBMITTED: lambda n: ngettext("%(count)d submitted", "%(count)d submitted", n),
        Status.DRAFT: lambda n: ngettext("%(count)d draft", "%(count)d drafts", n),
        Status.OPENED: lambda n: ngettext("%(count)d opened", "%(count)d opened", n),
        Status.NOT_OPENED: lambda n: ngettext("%(count)d not opened", "%(count)d not opened", n),
        Status.NO_ANSWER: lambda n: ngettext(
            "%(count)d with no answer within the deadline", "%(count)d with no answer within the deadline", n
        ),
    }
    return ", ".join(words[status](counts[status]) % {"count": counts[status]} for status in words if counts[status])


@dataclass(frozen=True)
class Sorting:
    column: str  # "" for the round's own order
    descending: bool

    @property
    def links(self) -> dict[str, str]:
        """Each column header's link: ascending first, then the other way."""
        return {
            column: f"?sort={column}&order={'desc' if self.column == column and not self.descending else 'asc'}"
            for column in SORTS
        }

    @property
    def aria(self) -> dict[str, str]:
        """aria-sort of each column header: only the sorted one has it."""
        return {
            column: ("descending" if self.descending else "ascending") if column == self.column else ""
            for column in SORTS
        }


def sorting_from(query) -> Sorting:
    """The sorting a request asks for; anything else is the round's own order (no error: it is only a view)."""
    column, order = query.get("sort", ""), query.get("order", "asc")
    if column not in SORTS:
        return Sorting("", False)
    return Sorting(column, order == "desc")


def rows_sorted(rows: list, sorting: Sorting, *, name) -> list:
    """`rows` (StatusRow) in the order asked: by `name(row)`, by status, or by when the last mail asked."""
    if not sorting.column:
        return list(rows)

    def key(row):
        municipality = name(row).casefold()
        if sorting.column == "status":
            return (STATUS_ORDER.index(row.status), municipality)
        if sorting.column == "last_mail":
            # Never mailed sorts first, as the oldest.
            return (
                row.last_mail is not None,
                row.last_mail.asked_at.isoformat() if row.last_mail else "",
                municipality,
            )
        return (municipality,)

    return sorted(rows, key=key, reverse=sorting.descending)


def answers_per_day(days: list[date], *, opens_on: date, closes_on: date) -> list[tuple[date, int]]:
    """How many municipalities submitted on each day of the window, every day listed (0 too); a day outside the
    window (an imported answer, an extension) widens it."""
    start = min([opens_on, *days])
    end = max([closes_on, *days])
    counts = Counter(days)
    return [(start + timedelta(n), counts[start + timedelta(n)]) for n in range((end - start).days + 1)]


def timeline(series: list[tuple[date, int]]) -> str:
    total = sum(count for _day, count in series)
    return timeline_chart(
        [(format_date(day), count) for day, count in series],
        title=_("Submissions per day"),
        description=ngettext(
            "%(count)d submission from %(start)s to %(end)s; the table below lists each day.",
            "%(count)d submissions from %(start)s to %(end)s; the table below lists each day.",
            total,
        )
        % {"count": total, "start": format_date(series[0][0]), "end": format_date(series[-1][0])},
        id_prefix="timeline",
    )
