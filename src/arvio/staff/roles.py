"""The two staff roles, held per organizer (models.Membership).

Evaluation staff (arviointihenkilöstö) run an organizer's rounds; viewers (county management) read them.
An account that belongs to no organizer is an outsider. `can_manage` and `can_view` answer for the pages
that are not about one round ("in at least one organizer"); the rule for one round or organizer is in
access.py.
"""

from arvio.staff.models import Membership

Role = Membership.Role
EVALUATION_STAFF = Role.STAFF
VIEWERS = Role.VIEWER


def _memberships(user):
    if not (user.is_authenticated and user.is_active):
        return Membership.objects.none()
    return Membership.objects.filter(user=user)


def can_manage(user) -> bool:
    """Evaluation staff of at least one organizer."""
    return _memberships(user).filter(role=Role.STAFF).exists()


def can_view(user) -> bool:
    """A member (evaluation staff or viewer) of at least one organizer."""
    return _memberships(user).exists()
