"""Each date in the occurrence index keeps its note in every language of the event (``Occurrence.notes``).

Existing rows are filled from the changed dates of the event's live pages: a translation's row shares the
translation key of its source page's row (migration 0009), so one key gathers a date's note in every language.
Only dates with a note (the source page's) can have one in another language.
"""

from datetime import datetime, time

from django.db import migrations, models

BATCH_SIZE = 500


def recurrence_id(original_date, original_time, all_day: bool, start_time) -> str:
    """As ``EventOccurrenceException.original_local_start`` formatted by ``recurrence.format_recurrence_id``."""
    if all_day:
        return original_date.isoformat()
    return datetime.combine(original_date, original_time or start_time or time.min).strftime("%Y-%m-%dT%H:%M:%S")


def fill_notes(apps, schema_editor):
    Occurrence = apps.get_model("events", "Occurrence")
    EventOccurrenceException = apps.get_model("events", "EventOccurrenceException")
    event_ids = sorted(set(Occurrence.objects.exclude(note="").values_list("event_id", flat=True)))
    for offset in range(0, len(event_ids), BATCH_SIZE):
        batch = event_ids[offset : offset + BATCH_SIZE]
        keys = {}  # (event id, recurrence id) -> the source row's translation key; the last row for a date wins
        source_rows = EventOccurrenceException.objects.filter(page_id__in=batch).order_by("sort_order", "pk")
        for page_id, day, at, key, all_day, start_time in source_rows.values_list(
            "page_id", "original_date", "original_time", "translation_key", "page__all_day", "page__start_time"
        ):
            keys[(page_id, recurrence_id(day, at, all_day, start_time))] = key
        notes = {}
        translated = EventOccurrenceException.objects.filter(translation_key__in=set(keys.values()), page__live=True)
        for key, language, reason in translated.exclude(reason="").values_list(
            "translation_key", "page__locale__language_code", "reason"
        ):
            notes.setdefault(key, {})[language] = reason
        changed = []
        for occurrence in (
            Occurrence.objects.filter(event_id__in=batch).exclude(note="").only("pk", "event_id", "recurrence_id")
        ):
            key = keys.get((occurrence.event_id, occurrence.recurrence_id))
            if key in notes:
                occurrence.notes = notes[key]
                changed.append(occurrence)
        Occurrence.objects.bulk_update(changed, ["notes"], batch_size=BATCH_SIZE)


class Migration(migrations.Migration):
    dependencies = [("events", "0010_occurrence_exception_translatable")]

    operations = [
        migrations.AddField(
            model_name="occurrence",
            name="notes",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The date's note in each language the event is published in, by language code.",
                verbose_name="note by language",
            ),
        ),
        migrations.RunPython(fill_notes, migrations.RunPython.noop),
    ]
