"""Personal links (henkilökohtainen linkki): made, revoked, resolved, and the address a mail carries.

Only a link's hash is stored (AccessLink), so a raw token exists only in the mail it was made for.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from arvio.invitations.models import AccessLink, Invitation
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


def link_resolve(token: str) -> AccessLink | None:
    """The live link for a raw token, or None for a wrong or revoked one."""
    return (
        AccessLink.objects.select_related("invitation__round", "invitation__municipality")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )


def link_url(token: str) -> str:
    return settings.ARVIO_BASE_URL + reverse("responses:open_link", args=[token])
