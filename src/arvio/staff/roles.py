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


def roles_ensure():
    """The role groups with their permissions, as the roles migration makes them.

    For code that must not depend on the groups still being there (the demo, after a test database flush).
    """
    from django.contrib.auth.models import Group, Permission

    groups = {}
    for name, codenames in ROLE_PERMISSIONS.items():
        groups[name], _created = Group.objects.get_or_create(name=name)
        groups[name].permissions.set(
            Permission.objects.filter(content_type__app_label="surveys", codename__in=codenames)
        )
    return groups
