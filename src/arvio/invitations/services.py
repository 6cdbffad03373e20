"""Invitation workflows: personal links. (Mail and reminders live in mail.py.)"""

from django.db import transaction
from django.utils import timezone

from arvio.invitations.models import AccessLink, Invitation
from arvio.lib.tokens import hash_token, new_token


def link_create(*, invitation: Invitation, by=None) -> str:
    """A new personal link for the invitation; earlier links keep working. Returns the raw token."""
    token, token_hash = new_token()
    AccessLink.objects.create(invitation=invitation, token_hash=token_hash, created_by=by)
    return token


@transaction.atomic
def link_reissue(*, invitation: Invitation, by=None) -> str:
    """Revokes every earlier link of the invitation and returns a new one."""
    invitation.links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return link_create(invitation=invitation, by=by)


def link_resolve(token: str) -> AccessLink | None:
    """The live link for a raw token, or None for a wrong or revoked one."""
    return (
        AccessLink.objects.select_related("invitation__round", "invitation__municipality")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )


def link_url(token: str) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.ARVIO_BASE_URL + reverse("responses:open_link", args=[token])
