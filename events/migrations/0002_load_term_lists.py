"""Loads the fixed event term lists (themes, audience groups) by code."""

from django.db import migrations

TERMS = {
    "Theme": [
        "stem",
        "digital-skills",
        "reading",
        "languages",
        "arts-culture",
        "sustainability",
        "citizenship",
        "health",
        "parenting",
        "work",
        "heritage",
        "teaching",
    ],
    "AudienceGroup": ["children", "teens", "adults", "seniors", "parents", "teachers", "newcomers", "job-seekers"],
}


def load_terms(apps, schema_editor):
    for model_name, codes in TERMS.items():
        model = apps.get_model("events", model_name)
        for position, code in enumerate(codes):
            model.objects.update_or_create(code=code, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(load_terms, migrations.RunPython.noop)]
