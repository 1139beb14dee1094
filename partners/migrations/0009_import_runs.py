"""Import runs, and the right to import in the admin for the group "Municipal editors"."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


MUNICIPAL_EDITORS = "Municipal editors"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("partners")
    app_config.models_module = True  # permissions are normally made after migrate; the group needs this one now
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="partners", codename="import_files")
    for group in Group.objects.filter(name=MUNICIPAL_EDITORS):
        group.permissions.add(*permission)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0008_manage_partner_editors"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportRun",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="token")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("partners", "Partners (CSV)"),
                            ("child-centres", "Child centres (CSV)"),
                            ("calendar", "Calendar (iCalendar)"),
                            ("subscription", "Calendar subscription"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("preview", "Preview"),
                            ("applied", "Imported"),
                            ("partial", "Imported, with errors"),
                            ("failed", "Nothing imported"),
                        ],
                        default="preview",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        help_text="The file's name or the calendar's address.", max_length=500, verbose_name="source"
                    ),
                ),
                ("data", models.BinaryField(blank=True, null=True, verbose_name="uploaded file")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="uploaded at")),
                ("finished_at", models.DateTimeField(blank=True, db_index=True, null=True, verbose_name="finished at")),
                ("created", models.PositiveIntegerField(default=0, verbose_name="created")),
                ("updated", models.PositiveIntegerField(default=0, verbose_name="changed")),
                ("unchanged", models.PositiveIntegerField(default=0, verbose_name="unchanged")),
                ("unpublished", models.PositiveIntegerField(default=0, verbose_name="unpublished")),
                (
                    "rows",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Each row or UID with what became of it: [where, status].",
                        verbose_name="rows",
                    ),
                ),
                ("errors", models.JSONField(blank=True, default=list, verbose_name="errors")),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        help_text="The organiser of imported events; its editors see the run.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="partners.partnerpage",
                        verbose_name="partner",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "import",
                "verbose_name_plural": "imports",
                "permissions": [("import_files", "Can import partners, child centres and calendars in the admin")],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
