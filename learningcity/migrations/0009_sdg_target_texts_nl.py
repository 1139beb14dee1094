"""Gives existing databases the target texts added to the data file since 0002 (Dutch for all 169 targets).

Languages the file has overwrite the stored ones; any other language stored on a target is kept. The site
search's SDG documents pick the new texts up at the next ``update_search_index``.
"""

import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "sdg.json"


def update_target_texts(apps, schema_editor):
    SDGTarget = apps.get_model("learningcity", "SDGTarget")
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    texts = {target["code"]: target["text"] for goal in data["goals"] for target in goal["targets"]}
    changed = []
    for target in SDGTarget.objects.filter(code__in=texts):
        merged = {**target.texts, **texts[target.code]}
        if merged != target.texts:
            target.texts = merged
            changed.append(target)
    SDGTarget.objects.bulk_update(changed, ["texts"], batch_size=200)


class Migration(migrations.Migration):
    dependencies = [("learningcity", "0008_search_index")]

    operations = [migrations.RunPython(update_target_texts, migrations.RunPython.noop)]
