"""Who may see or act on what: one helper per kind of object, used by every staff view."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from arvio.invitations.models import Invitation
from arvio.staff.roles import can_manage, can_view
from arvio.surveys.models import Round


def get_round_for_user(request, code: str, *, manage: bool = False) -> Round:
    """The round, or 404; 403 unless the user may view it (or manage it, when `manage`)."""
    round = get_object_or_404(Round.objects.select_related("organizer"), code=code)
    if not (can_manage(request.user) if manage else can_view(request.user)):
        raise PermissionDenied
    return round


def get_invitation_for_user(request, code: str, municipality_code: str, *, manage: bool = False) -> Invitation:
    round = get_round_for_user(request, code, manage=manage)
    return get_object_or_404(
        Invitation.objects.select_related("round__organizer", "municipality"),
        round=round,
        municipality__code=municipality_code,
    )
