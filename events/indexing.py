"""Keeping the occurrence index in step with the live event pages.

An event's occurrences come from its source-language page (the one its translations were made from); every
language lists the same rows. ``refresh_event`` rebuilds one event, ``build_occurrences`` the whole window.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail_localize.models import TranslationSource

from learningcity.caching import bump_content_version

from .conf import occurrence_window
from .models import EventPage, Occurrence
from .recurrence import expand

SCHEDULE_RELATIONS = ("extra_dates", "excluded_dates", "occurrence_exceptions")


@dataclass
class BuildReport:
    events: int = 0
    occurrences: int = 0
    removed: int = 0


def source_locale_ids(keys: Iterable[UUID] | None = None) -> dict[UUID, int]:
    """The locale each event was translated from, by translation_key (only for translated events)."""
    sources = TranslationSource.objects.filter(specific_content_type=ContentType.objects.get_for_model(EventPage))
    if keys is not None:
        sources = sources.filter(object_id__in=list(keys))
    locales: dict[UUID, int] = {}
    for key, locale_id in sources.order_by("-pk").values_list("object_id", "locale_id"):
        locales[key] = locale_id  # the oldest source wins
    return locales


def pick_sources(pages: Iterable[EventPage], source_locales: dict[UUID, int]) -> list[EventPage]:
    """One page per translation_key: the live page in the source locale; untranslated events are their own source.

    A key whose source page is not live has no occurrences, even when a translation is live.
    """
    by_key: dict[UUID, list[EventPage]] = {}
    for page in pages:
        by_key.setdefault(page.translation_key, []).append(page)
    chosen = []
    for key, candidates in by_key.items():
        locale_id = source_locales.get(key)
        if locale_id is None:
            chosen.append(min(candidates, key=lambda page: page.pk))
        else:
            chosen.extend(page for page in candidates if page.locale_id == locale_id)
    return chosen


def occurrences_for(page: EventPage, first_day: date, last_day: date) -> list[Occurrence]:
    return [
        Occurrence(
            event_id=page.pk,
            event_key=page.translation_key,
            event_uuid=page.uuid,
            recurrence_id=instance.recurrence_key,
            start=instance.start,
            end=instance.end,
            span=instance.end - instance.start,
            has_end=instance.has_end,
            all_day=instance.all_day,
            status=instance.status,
            is_full=instance.is_full,
            note=instance.reason,
        )
        for instance in expand(page.schedule(), first_day, last_day)
    ]


def live_events():
    return EventPage.objects.live().prefetch_related(*SCHEDULE_RELATIONS)


@transaction.atomic
def refresh_event(translation_key: UUID, today: date | None = None) -> int:
    """Rebuild the occurrences of one event (in every language); returns how many it has now."""
    Occurrence.objects.filter(event_key=translation_key).delete()
    pages = list(live_events().filter(translation_key=translation_key))
    sources = pick_sources(pages, source_locale_ids([translation_key]) if pages else {})
    first_day, last_day = occurrence_window(today)
    rows = [row for page in sources for row in occurrences_for(page, first_day, last_day)]
    Occurrence.objects.bulk_create(rows)
    transaction.on_commit(bump_content_version)  # fragments cached meanwhile showed the old dates
    return len(rows)


@transaction.atomic
def build_occurrences(rebuild: bool = False, today: date | None = None, batch_size: int = 500) -> BuildReport:
    """Expand every live event over the current window (run nightly to roll the window forward).

    Each event's rows are replaced; ``rebuild`` first empties the table, which also drops rows of events that
    left the index without a signal (e.g. data loaded with ``loaddata``).
    """
    report = BuildReport()
    first_day, last_day = occurrence_window(today)
    if rebuild:
        report.removed, _deleted = Occurrence.objects.all().delete()
    sources = pick_sources(live_events().iterator(chunk_size=batch_size), source_locale_ids())
    live_keys = {page.translation_key for page in sources}
    if not rebuild:
        stale = sorted(set(Occurrence.objects.values_list("event_key", flat=True).distinct()) - live_keys)
        for offset in range(0, len(stale), batch_size):
            report.removed += Occurrence.objects.filter(event_key__in=stale[offset : offset + batch_size]).delete()[0]
    for offset in range(0, len(sources), batch_size):
        batch = sources[offset : offset + batch_size]
        if not rebuild:
            report.removed += Occurrence.objects.filter(
                event_key__in=[page.translation_key for page in batch]
            ).delete()[0]
        rows = [row for page in batch for row in occurrences_for(page, first_day, last_day)]
        Occurrence.objects.bulk_create(rows, batch_size=1000)
        report.events += len(batch)
        report.occurrences += len(rows)
    transaction.on_commit(bump_content_version)
    return report
