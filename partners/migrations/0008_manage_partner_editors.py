"""The right to invite and remove partner editors in the admin, given to the group "Municipal editors"."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MUNICIPAL_EDITORS = "Municipal editors"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("partners")
    app_config.models_module = True  # permissions are normally made after migrate; the group needs this one now
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="partners", codename="manage_partner_editors")
    for group in Group.objects.filter(name=MUNICIPAL_EDITORS):
        group.permissions.add(*permission)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0007_moderation"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="partnereditorgroup",
            options={
                "permissions": [("manage_partner_editors", "Can invite and remove partner editors")],
                "verbose_name": "partner editor group",
                "verbose_name_plural": "partner editor groups",
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
