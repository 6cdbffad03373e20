"""Who may see or act on what: one helper per kind of object, used by every staff view, and the one rule
each for who sees each municipality's own answers, who sees the contact people, and who reads the audit log."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from arvio.invitations.models import Invitation
from arvio.staff.roles import can_manage, can_view
from arvio.surveys.models import Organizer, Round


def may_see_answers(user) -> bool:
    """The rule for each municipality's own answers (a response, the answers table, a file holding them):
    evaluation staff see them, viewers see aggregates only."""
    return can_manage(user)


def may_see_contacts(user) -> bool:
    """The rule for contact people's names and emails (data minimisation): evaluation staff, who mail them,
    see them; viewers do not need them."""
    return can_manage(user)


def may_read_records(user) -> bool:
    """The rule for the audit log: evaluation staff read it; viewers and outsiders do not."""
    return can_manage(user)


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


def organizers_for_user(user):
    """The organizers whose rounds `user` may make: a new blank round belongs to one of them.

    Every organizer for now; the organizers' memberships (issue 8, part C) narrow it to the user's own.
    """
    return Organizer.objects.all()
