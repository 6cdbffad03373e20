"""Wrong personal links opened from one address are throttled, as failed logins are.

After ARVIO_LINK_FAILURE_LIMIT wrong tokens within ARVIO_LINK_COOLOFF_MINUTES, the address gets 429
for every link, a right one too, until enough of those failures are older than the window. The
failures are rows in the database, so that every gunicorn worker counts the same ones.
"""

from datetime import datetime, timedelta

from django.conf import settings

from arvio.responses.models import LinkFailure


def _window() -> timedelta:
    return timedelta(minutes=settings.ARVIO_LINK_COOLOFF_MINUTES)


def link_throttle_until(*, address: str | None, now: datetime) -> datetime | None:
    """When the address may open links again, or None when it may now."""
    limit = settings.ARVIO_LINK_FAILURE_LIMIT
    recent = (
        LinkFailure.objects.filter(address=address, failed_at__gt=now - _window())
        .order_by("-failed_at")
        .values_list("failed_at", flat=True)[limit - 1 : limit]
    )
    # The limit-th most recent failure: once it leaves the window, fewer than `limit` remain in it.
    nth = next(iter(recent), None)
    return None if nth is None else nth + _window()


def link_failure_record(*, address: str | None, now: datetime) -> None:
    """Counts a wrong token from the address, and forgets the failures that no longer count."""
    LinkFailure.objects.filter(failed_at__lte=now - _window()).delete()
    LinkFailure.objects.create(address=address, failed_at=now)
