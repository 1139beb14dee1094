from django.db import migrations

from learningcity.models.changelog import log_live_pages


class Migration(migrations.Migration):
    """The home page, content pages and the SDG overview join the change feed."""

    dependencies = [
        ("learningcity", "0006_content_version_scope"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [log_live_pages("learningcity.HomePage", "learningcity.ContentPage", "learningcity.SDGIndexPage")]
