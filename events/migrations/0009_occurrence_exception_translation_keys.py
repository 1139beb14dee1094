"""Gives each existing change to one date a translation key and its page's locale.

A translated page's rows are copies of its source page's rows (wagtail-localize synchronised them): a row on a
translation takes the key of the row for the same date on the other pages of the event, so wagtail-localize
recognises them as one row in several languages.
"""

import uuid
from collections import Counter

from django.db import migrations

BATCH_SIZE = 500


def assign_keys(apps, schema_editor):
    EventOccurrenceException = apps.get_model("events", "EventOccurrenceException")
    rows = (
        EventOccurrenceException.objects.filter(translation_key__isnull=True)
        .select_related("page")
        .order_by("page_id", "sort_order", "pk")
    )
    keys = {}
    seen = Counter()
    changed = []
    for row in rows.iterator(chunk_size=BATCH_SIZE):
        date_key = (row.page_id, row.original_date, row.original_time)
        seen[date_key] += 1  # the n-th row for one date of a page, should a page have two
        event_key = (row.page.translation_key, row.original_date, row.original_time, seen[date_key])
        row.translation_key = keys.setdefault(event_key, uuid.uuid4())
        row.locale_id = row.page.locale_id
        changed.append(row)
    EventOccurrenceException.objects.bulk_update(changed, ["translation_key", "locale"], batch_size=BATCH_SIZE)


class Migration(migrations.Migration):
    dependencies = [("events", "0008_occurrence_exception_translatable_fields")]

    operations = [migrations.RunPython(assign_keys, migrations.RunPython.noop)]
