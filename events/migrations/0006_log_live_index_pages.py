from django.db import migrations

from learningcity.models.changelog import log_live_pages


class Migration(migrations.Migration):
    """The agenda pages join the change feed."""

    dependencies = [
        ("events", "0005_bounds_from_settings"),
        ("learningcity", "0007_log_live_pages"),
    ]

    operations = [log_live_pages("events.EventIndexPage")]
