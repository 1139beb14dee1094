from django.db import migrations

from learningcity.models.changelog import log_live_pages


class Migration(migrations.Migration):
    """The partner directory and child-centre listing pages join the change feed."""

    dependencies = [
        ("partners", "0005_municipality_uuid"),
        ("learningcity", "0007_log_live_pages"),
    ]

    operations = [log_live_pages("partners.PartnerIndexPage", "partners.ChildCentreIndexPage")]
