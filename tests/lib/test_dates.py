from datetime import UTC, date, datetime

from arvio.lib.dates import end_of_day, format_date, format_datetime, format_range, local_date


def test_it_writes_dates_the_finnish_way():
    assert format_date(date(2024, 11, 6)) == "6.11.2024"
    assert format_date(None) == ""


def test_it_writes_a_window_like_the_seed():
    assert format_range(date(2024, 11, 6), date(2024, 12, 5)) == "6.11.–5.12.2024"
    assert format_range(date(2024, 12, 20), date(2025, 1, 10)) == "20.12.2024–10.1.2025"


def test_it_reads_times_in_helsinki():
    # 22.30 UTC on 5 December is already 6 December in Helsinki (UTC+2 in winter).
    moment = datetime(2024, 12, 5, 22, 30, tzinfo=UTC)
    assert local_date(moment) == date(2024, 12, 6)
    assert format_datetime(moment) == "6.12.2024 0.30"


def test_it_ends_a_day_at_its_last_instant_in_helsinki():
    end = end_of_day(date(2024, 12, 5))
    assert end.astimezone(UTC) == datetime(2024, 12, 5, 21, 59, 59, 999999, tzinfo=UTC)
