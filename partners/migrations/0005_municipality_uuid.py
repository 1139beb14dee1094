import uuid

from django.db import migrations, models


def give_each_its_own(apps, schema_editor):
    Municipality = apps.get_model("partners", "Municipality")
    for municipality in Municipality.objects.all():
        municipality.uuid = uuid.uuid4()
        municipality.save(update_fields=["uuid"])


def log_existing(apps, schema_editor):
    """Municipalities join the change feed: the ones there already are listed as created, so ``since=0`` stays a
    full sync."""
    from django.conf import settings

    Municipality = apps.get_model("partners", "Municipality")
    ChangeLog = apps.get_model("learningcity", "ChangeLog")
    ContentType = apps.get_model("contenttypes", "ContentType")
    municipalities = list(Municipality.objects.order_by("pk"))
    if not municipalities:
        return
    content_type, _created = ContentType.objects.get_or_create(app_label="partners", model="municipality")
    ChangeLog.objects.bulk_create(
        ChangeLog(
            content_type=content_type,
            object_id=municipality.pk,
            translation_key=municipality.uuid,
            language_code=settings.LANGUAGE_CODE.split("-")[0],
            action="created",
        )
        for municipality in municipalities
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0004_rekey_partner_editor_groups"),
        ("learningcity", "0003_changelog"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="municipality",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_each_its_own, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="municipality",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="The municipality's id in the API and its change feed; it stays when the code changes.",
                unique=True,
                verbose_name="public id",
            ),
        ),
        migrations.RunPython(log_existing, migrations.RunPython.noop, elidable=True),
    ]
