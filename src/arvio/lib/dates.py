"""Dates as Finnish and Swedish readers write them: 6.11.2024, in Europe/Helsinki."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


def local_date(moment: datetime) -> date:
    return moment.astimezone(HELSINKI).date()


def end_of_day(day: date) -> datetime:
    """The last instant of `day` in Helsinki: a closing day counts to its end."""
    return datetime.combine(day, time.max, tzinfo=HELSINKI)


def format_date(day: date | None) -> str:
    return "" if day is None else f"{day.day}.{day.month}.{day.year}"


def format_datetime(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(HELSINKI)
    return f"{format_date(local.date())} {local.hour}.{local.minute:02d}"


def format_range(start: date, end: date) -> str:
    """6.11.–5.12.2024 when the years agree, as the seed writes it."""
    if start.year == end.year:
        return f"{start.day}.{start.month}.–{format_date(end)}"
    return f"{format_date(start)}–{format_date(end)}"
