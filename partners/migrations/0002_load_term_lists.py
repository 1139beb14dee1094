"""Loads the fixed term lists (accessibility facilities, languages, child centre services) by code."""

from django.db import migrations

TERMS = {
    "AccessibilityFacility": [
        "step-free",
        "accessible-toilet",
        "induction-loop",
        "sign-language",
        "low-stimulus",
        "easy-read",
        "accessible-parking",
        "assistance-dogs",
        "quiet-hours",
        "wheelchair-loan",
    ],
    "Language": [
        "nl",
        "fr",
        "en",
        "de",
        "ar",
        "tr",
        "pl",
        "ro",
        "bg",
        "uk",
        "ru",
        "es",
        "it",
        "pt",
        "so",
        "ti",
        "fa",
        "ps",
        "zgh",
        "vgt",
        "ngt",
    ],
    "ChildCentreService": [
        "childcare",
        "pre-school",
        "primary-education",
        "out-of-school-care",
        "youth-health-care",
        "parenting-support",
        "other",
    ],
}


def load_terms(apps, schema_editor):
    for model_name, codes in TERMS.items():
        model = apps.get_model("partners", model_name)
        for position, code in enumerate(codes):
            model.objects.update_or_create(code=code, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(load_terms, migrations.RunPython.noop)]
