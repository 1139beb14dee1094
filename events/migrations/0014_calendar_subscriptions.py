"""Calendar subscriptions, and the right to switch them on for the group "Municipal editors"."""

import django.core.validators
import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


MUNICIPAL_EDITORS = "Municipal editors"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("events")
    app_config.models_module = True  # permissions are normally made after migrate; the group needs this one now
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="events", codename="activate_calendarsubscription")
    for group in Group.objects.filter(name=MUNICIPAL_EDITORS):
        group.permissions.add(*permission)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0013_occurrence_event_key_in_one_index"),
        ("partners", "0009_import_runs"),
    ]

    operations = [
        migrations.CreateModel(
            name="CalendarSubscription",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "url",
                    models.URLField(
                        help_text="The iCalendar (.ics) address of the partner's own agenda, starting with https:// or http://.",
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="calendar address",
                    ),
                ),
                (
                    "active",
                    models.BooleanField(
                        default=False,
                        help_text="Only active subscriptions are imported. A municipal editor switches a subscription on after checking the calendar; a partner editor changing the address switches it off again.",
                        verbose_name="active",
                    ),
                ),
                (
                    "known_uids",
                    models.JSONField(blank=True, default=list, editable=False, verbose_name="imported UIDs"),
                ),
                (
                    "unpublished_uids",
                    models.JSONField(
                        blank=True,
                        default=list,
                        editable=False,
                        help_text="Events this subscription unpublished; published again when their UID comes back.",
                        verbose_name="UIDs unpublished as vanished",
                    ),
                ),
                ("last_run_at", models.DateTimeField(blank=True, editable=False, null=True, verbose_name="last run")),
                (
                    "last_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("preview", "Preview"),
                            ("applied", "Imported"),
                            ("partial", "Imported, with errors"),
                            ("failed", "Nothing imported"),
                        ],
                        editable=False,
                        max_length=10,
                        verbose_name="last result",
                    ),
                ),
                ("last_created", models.PositiveIntegerField(default=0, editable=False, verbose_name="created")),
                ("last_updated", models.PositiveIntegerField(default=0, editable=False, verbose_name="changed")),
                ("last_unchanged", models.PositiveIntegerField(default=0, editable=False, verbose_name="unchanged")),
                (
                    "last_unpublished",
                    models.PositiveIntegerField(default=0, editable=False, verbose_name="unpublished"),
                ),
                ("last_errors", models.JSONField(blank=True, default=list, editable=False, verbose_name="errors")),
                (
                    "partner",
                    models.ForeignKey(
                        help_text="The organiser of the imported activities; they are created under its page.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="calendar_subscriptions",
                        to="partners.partnerpage",
                        verbose_name="partner",
                    ),
                ),
            ],
            options={
                "verbose_name": "calendar subscription",
                "verbose_name_plural": "calendar subscriptions",
                "permissions": [("activate_calendarsubscription", "Can switch calendar subscriptions on")],
                "constraints": [models.UniqueConstraint(fields=("partner", "url"), name="unique_calendar_per_partner")],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
