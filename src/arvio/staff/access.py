"""Who may see or act on what: one helper per kind of object, used by every staff view, and the one rule
each for who sees each municipality's own answers, who sees the contact people, who reads the audit log,
and who manages an organizer's accounts.

An account sees the rounds of the organizers it belongs to (models.Membership), and acts on them when it is
evaluation staff there. Another organizer's round, invitation, mail, excerpt or account answers 404, as a
round that does not exist: whether it exists is not told. A member without the role gets 403, and so does an
account that belongs to no organizer (before anything is looked up). A superuser has no role here unless it
is a member: the Django admin is the developer's tool, these pages are the organizers'.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from arvio.invitations.models import Invitation
from arvio.staff.models import Membership
from arvio.staff.roles import can_manage, can_view
from arvio.surveys.models import Organizer, Round

Role = Membership.Role


def _memberships(user) -> QuerySet[Membership]:
    if not (user.is_authenticated and user.is_active):
        return Membership.objects.none()
    return Membership.objects.filter(user=user)


def organizers_for_user(user) -> QuerySet[Organizer]:
    """The organizers whose rounds the user sees: those it is a member of, in either role."""
    return Organizer.objects.filter(pk__in=_memberships(user).values("organizer")).order_by("code")


def managed_organizers_for_user(user) -> QuerySet[Organizer]:
    """The organizers the user is evaluation staff of: it acts on their rounds and manages their accounts."""
    return Organizer.objects.filter(pk__in=_memberships(user).filter(role=Role.STAFF).values("organizer")).order_by(
        "code"
    )


def role_in(user, organizer: Organizer) -> str | None:
    """The user's role in the organizer (Membership.Role), or None."""
    return _memberships(user).filter(organizer=organizer).values_list("role", flat=True).first()


def may_manage(user, round: Round) -> bool:
    """Evaluation staff of the round's organizer: they act on the round."""
    return role_in(user, round.organizer) == Role.STAFF


def may_see_answers(user, round: Round) -> bool:
    """The rule for each municipality's own answers (a response, the answers table, a file holding them):
    evaluation staff of the round's organizer see them, viewers see aggregates only."""
    return may_manage(user, round)


def may_see_contacts(user, round: Round) -> bool:
    """The rule for contact people's names and emails (data minimisation): evaluation staff of the round's
    organizer, who mail them, see them; viewers do not need them."""
    return may_manage(user, round)


def may_read_records(user) -> bool:
    """The rule for the audit log: evaluation staff (of any organizer: they read its part, records_for_user)
    read it; viewers and outsiders do not."""
    return can_manage(user)


def records_for_user(user, entries: QuerySet) -> QuerySet:
    """The part of the audit log the user reads: the entries about the rounds of the organizers it is
    evaluation staff of, the entries about those organizers' accounts, and everything the user did itself.
    Commands and other organizers' entries are the operator's (the Django admin)."""
    organizers = managed_organizers_for_user(user)
    codes = Round.objects.filter(organizer__in=organizers).values_list("code", flat=True)
    organizer_codes = list(organizers.values_list("code", flat=True))
    return entries.filter(Q(round_code__in=list(codes)) | Q(detail__organizer__in=organizer_codes) | Q(user_id=user.pk))


def get_round_for_user(request, code: str, *, manage: bool = False) -> Round:
    """The round, or 404 when it is not of the user's organizers; 403 unless the user may view it (or manage
    it, when `manage`)."""
    if not can_view(request.user):
        raise PermissionDenied
    round = get_object_or_404(
        Round.objects.select_related("organizer").filter(organizer__in=organizers_for_user(request.user)), code=code
    )
    if manage and not may_manage(request.user, round):
        raise PermissionDenied
    return round


def get_invitation_for_user(request, code: str, municipality_code: str, *, manage: bool = False) -> Invitation:
    round = get_round_for_user(request, code, manage=manage)
    return get_object_or_404(
        Invitation.objects.select_related("round__organizer", "municipality"),
        round=round,
        municipality__code=municipality_code,
    )


def get_organizer_for_user(request, code: str) -> Organizer:
    """An organizer whose accounts the user manages, or 404 (403 for an account that manages none)."""
    if not can_manage(request.user):
        raise PermissionDenied
    return get_object_or_404(managed_organizers_for_user(request.user), code=code)


def get_account_for_user(request, organizer_code: str, account_id: int) -> Membership:
    """An account's membership in an organizer the user manages, or 404 (403 for an account that manages none)."""
    organizer = get_organizer_for_user(request, organizer_code)
    return get_object_or_404(
        # Through the user's own key: a number too large for the column then finds nothing (a foreign key's
        # lookup would hand it to the database as it is).
        Membership.objects.select_related("user", "organizer"),
        organizer=organizer,
        user__pk=account_id,
    )
