"""Municipal editors make and edit saved feeds (Snippets → Saved feeds), which only superusers could."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MUNICIPAL_EDITORS = "Municipal editors"
CODENAMES = ("add_savedfeed", "change_savedfeed", "delete_savedfeed", "view_savedfeed")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("events")
    app_config.models_module = True  # permissions are normally made after migrate; the group needs them now
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="events", codename__in=CODENAMES)
    for group in Group.objects.filter(name=MUNICIPAL_EDITORS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0011_occurrence_notes"),
        ("learningcity", "0004_municipal_editors_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
