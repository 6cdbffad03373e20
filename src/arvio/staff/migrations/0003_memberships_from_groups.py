"""The roles move from Django groups to memberships of organizers.

Every member of the "Evaluation staff" or "Viewers" group becomes a member of every existing organizer with
that group's role (evaluation staff where it was in both), so that an installation upgrades without anyone
losing access. The two groups are then removed: a role is held per organizer now. Going back recreates the
groups from the memberships.
"""

from django.db import migrations

GROUP_ROLES = {"Evaluation staff": "staff", "Viewers": "viewer"}
ROLE_PERMISSIONS = {
    "Evaluation staff": ["manage_rounds", "view_results"],
    "Viewers": ["view_results"],
}


def memberships_from_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("staff", "Membership")
    Organizer = apps.get_model("surveys", "Organizer")
    organizers = list(Organizer.objects.all())
    roles = {}
    # Evaluation staff first: a user in both groups keeps the wider role.
    for name in ("Evaluation staff", "Viewers"):
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for user_id in group.user_set.values_list("pk", flat=True):
            roles.setdefault(user_id, GROUP_ROLES[name])
    for user_id, role in roles.items():
        for organizer in organizers:
            Membership.objects.get_or_create(user_id=user_id, organizer=organizer, defaults={"role": role})
    Group.objects.filter(name__in=GROUP_ROLES).delete()


def groups_from_memberships(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Membership = apps.get_model("staff", "Membership")
    for name, role in GROUP_ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="surveys", codename__in=ROLE_PERMISSIONS[name])
        )
        group.user_set.add(*Membership.objects.filter(role=role).values_list("user_id", flat=True).distinct())


class Migration(migrations.Migration):
    dependencies = [("staff", "0002_membership"), ("surveys", "0001_initial")]
    operations = [migrations.RunPython(memberships_from_groups, groups_from_memberships)]
