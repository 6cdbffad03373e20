"""Personal links (henkilökohtainen linkki): made, revoked, resolved, when they expire, and the
address a mail carries.

Only a link's hash is stored (AccessLink), so a raw token exists only in the mail it was made for.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from arvio.invitations.models import AccessLink, Invitation
from arvio.lib.dates import HELSINKI, end_of_day
from arvio.lib.tokens import hash_token, new_token


def link_create(*, invitation: Invitation, by=None) -> str:
    """A new personal link for the invitation; earlier links keep working. Returns the raw token."""
    token, token_hash = new_token()
    AccessLink.objects.create(invitation=invitation, token_hash=token_hash, created_by=by)
    return token


def links_revoke(*, invitation: Invitation, below: int | None = None) -> None:
    """Ends every live link of the invitation (or, with `below`, those made before the link of that id),
    and with them the sessions they opened."""
    links = invitation.links.filter(revoked_at__isnull=True)
    if below is not None:
        links = links.filter(pk__lt=below)
    links.update(revoked_at=timezone.now())


def link_find(token: str) -> AccessLink | None:
    """The link a raw token belongs to, revoked or expired as it may be; None for a token Arvio never made."""
    return (
        AccessLink.objects.select_related("invitation__round__organizer", "invitation__municipality")
        .filter(token_hash=hash_token(token))
        .first()
    )


def link_closed_at(invitation: Invitation) -> datetime:
    """When the invitation's window closed, or will: the end of its own last day, or staff's close if earlier."""
    closes = end_of_day(invitation.deadline)
    closed_at = invitation.round.closed_at
    return closed_at if closed_at is not None and closed_at < closes else closes


def link_expires_at(link: AccessLink) -> datetime:
    """ARVIO_LINK_DAYS_AFTER_CLOSE days after the window closed; a link made after that (a re-issue)
    gets as many days from its own making, for reading the answers and the feedback. Days on Helsinki's
    calendar: the same time of day, whatever daylight saving did in between."""
    start = max(link_closed_at(link.invitation), link.created_at).astimezone(HELSINKI)
    return start + timedelta(days=settings.ARVIO_LINK_DAYS_AFTER_CLOSE)


def link_is_expired(link: AccessLink, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= link_expires_at(link)


def link_resolve(token: str, now: datetime | None = None) -> AccessLink | None:
    """The live link for a raw token, or None for a wrong, revoked or expired one."""
    link = link_find(token)
    if link is None or link.revoked_at is not None or link_is_expired(link, now):
        return None
    return link


def link_url(token: str) -> str:
    return settings.ARVIO_BASE_URL + reverse("responses:open_link", args=[token])
