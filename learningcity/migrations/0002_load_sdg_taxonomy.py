"""Loads the 17 goals and 169 targets; running it again updates texts and never duplicates a code."""

import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "sdg.json"


def load_taxonomy(apps, schema_editor):
    SDGGoal = apps.get_model("learningcity", "SDGGoal")
    SDGTarget = apps.get_model("learningcity", "SDGTarget")
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for goal_data in data["goals"]:
        goal, _ = SDGGoal.objects.update_or_create(
            number=goal_data["number"],
            defaults={
                "colour": goal_data["colour"],
                "titles": goal_data["title"],
                "descriptions": goal_data["description"],
            },
        )
        for position, target_data in enumerate(goal_data["targets"], start=1):
            SDGTarget.objects.update_or_create(
                code=target_data["code"],
                defaults={"goal": goal, "position": position, "texts": target_data["text"]},
            )


class Migration(migrations.Migration):
    dependencies = [("learningcity", "0001_initial")]

    operations = [migrations.RunPython(load_taxonomy, migrations.RunPython.noop)]
