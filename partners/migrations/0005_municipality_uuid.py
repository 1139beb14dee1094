import uuid

from django.db import migrations, models


def give_each_its_own(apps, schema_editor):
    Municipality = apps.get_model("partners", "Municipality")
    for municipality in Municipality.objects.all():
        municipality.uuid = uuid.uuid4()
        municipality.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [("partners", "0004_rekey_partner_editor_groups")]

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
    ]
