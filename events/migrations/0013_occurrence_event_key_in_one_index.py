"""The occurrence index's event_key is looked up through occurrence_next (event_key, end), which starts with it:
its own single-column index only cost writes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0012_saved_feeds_for_municipal_editors"),
    ]

    operations = [
        migrations.AlterField(
            model_name="occurrence",
            name="event_key",
            field=models.UUIDField(verbose_name="event translation key"),
        ),
    ]
