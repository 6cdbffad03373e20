from django.db import migrations

# The roles were Django groups until 0003 made them memberships of organizers; the names are kept here as
# they were, so that this migration keeps doing what it did.
ROLE_PERMISSIONS = {
    "Evaluation staff": ["manage_rounds", "view_results"],
    "Viewers": ["view_results"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    from django.contrib.auth.management import create_permissions

    surveys = apps.get_app_config("surveys")
    surveys.models_module = True
    create_permissions(surveys, verbosity=0)
    surveys.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="surveys", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("surveys", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
