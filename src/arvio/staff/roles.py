"""The two staff roles, as Django groups with permissions on rounds.

Evaluation staff (arviointihenkilöstö) run rounds; viewers (county
management) read them. Everything else a logged-in user may be is an outsider.
"""

EVALUATION_STAFF = "Evaluation staff"
VIEWERS = "Viewers"

MANAGE = "surveys.manage_rounds"
VIEW = "surveys.view_results"

ROLE_PERMISSIONS = {
    EVALUATION_STAFF: ["manage_rounds", "view_results"],
    VIEWERS: ["view_results"],
}


def can_manage(user) -> bool:
    return user.is_active and user.has_perm(MANAGE)


def can_view(user) -> bool:
    return user.is_active and (user.has_perm(VIEW) or user.has_perm(MANAGE))
