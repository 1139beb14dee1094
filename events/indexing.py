"""Keeping the occurrence index in step with the live event pages.

An event's occurrences come from its source-language page (the one its translations were made from); every
language lists the same rows, which carry each date's note in every language (publishing a translation
refreshes its event, as publishing the source does). ``refresh_event`` rebuilds one event, ``build_occurrences``
the whole window; both then write the events' next dates into the site search's documents, which keep them.

Each event is expanded on its own: one whose schedule cannot be expanded or written is logged (id and title) and
skipped, so one bad row never stops the window rolling forward for the others.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource

from learningcity.caching import bump_content_version, published_scopes
from learningcity.search.index import refresh_dates

from .conf import occurrence_window
from .models import EventPage, Occurrence
from .recurrence import clamp, expand

SCHEDULE_RELATIONS = ("extra_dates", "excluded_dates", "occurrence_exceptions")

logger = logging.getLogger(__name__)

# The notes of an event's changed dates: {the date row's translation key: {language code: note}}.
DateNotes = dict[UUID, dict[str, str]]


@dataclass
class BuildReport:
    events: int = 0
    occurrences: int = 0
    removed: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (page id, title) of events left as they were


def source_locale_ids(keys: Iterable[UUID] | None = None) -> dict[UUID, int]:
    """The locale each event was translated from, by translation_key (only for translated events)."""
    sources = TranslationSource.objects.filter(specific_content_type=ContentType.objects.get_for_model(EventPage))
    if keys is not None:
        sources = sources.filter(object_id__in=list(keys))
    locales: dict[UUID, int] = {}
    for key, locale_id in sources.order_by("-pk").values_list("object_id", "locale_id"):
        locales[key] = locale_id  # the oldest source wins
    return locales


def pick_sources(pages: Iterable[EventPage], source_locales: dict[UUID, int]) -> list[tuple[EventPage, DateNotes]]:
    """One page per translation_key: the live page in the source locale; untranslated events are their own source.

    Each comes with the notes of its changed dates in every language of the key's live pages (see ``date_notes``).
    A key whose source page is not live has no occurrences, even when a translation is live.
    """
    by_key: dict[UUID, list[EventPage]] = {}
    for page in pages:
        by_key.setdefault(page.translation_key, []).append(page)
    languages = dict(Locale.objects.values_list("pk", "language_code")) if by_key else {}
    chosen = []
    for key, candidates in by_key.items():
        locale_id = source_locales.get(key)
        if locale_id is None:
            sources = [min(candidates, key=lambda page: page.pk)]
        else:
            sources = [page for page in candidates if page.locale_id == locale_id]
        chosen.extend((page, date_notes(candidates, languages)) for page in sources)
    return chosen


def date_notes(pages: Iterable[EventPage], languages: dict[int, str]) -> DateNotes:
    """The notes of the pages' changed dates, ``{row translation key: {language code: note}}``; ``languages``: the
    language code of each locale, by id.

    A translation's row is a copy of its source page's row with the note translated, under the same translation
    key (wagtail-localize synchronises them), so one key gathers a date's note in every language.
    """
    notes: DateNotes = {}
    for page in pages:
        language = languages[page.locale_id]
        for row in page.occurrence_exceptions.all():
            if row.reason:
                notes.setdefault(row.translation_key, {})[language] = row.reason
    return notes


def occurrences_for(
    page: EventPage, first_day: date, last_day: date, notes: DateNotes | None = None
) -> list[Occurrence]:
    """The occurrences of ``page`` (a source page) in the window, each with its note in every language of
    ``notes`` (from ``date_notes``)."""
    notes = notes or {}
    by_start = {}
    places = {}  # original start -> (capacity, places left) of the date's change
    for row in page.occurrence_exceptions.all():  # as in EventPage.schedule(): the last row for a date wins
        original = clamp(row.original_local_start(page.all_day, page.start_time))
        by_start[original] = notes.get(row.translation_key, {})
        places[original] = (row.capacity, row.places_left)
    occurrences = []
    for instance in expand(page.schedule(), first_day, last_day):
        capacity, places_left = places.get(instance.recurrence_id, (None, None))
        if capacity is None:
            capacity = page.capacity
        occurrences.append(
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
                is_full=instance.is_full or places_left == 0,
                capacity=capacity,
                places_left=places_left,
                note=instance.reason,
                notes=by_start.get(instance.recurrence_id, {}),
            )
        )
    return occurrences


def expand_event(
    page: EventPage, first_day: date, last_day: date, notes: DateNotes | None = None
) -> list[Occurrence] | None:
    """The occurrences of one event, or ``None`` (logged) when its schedule cannot be expanded."""
    try:
        return occurrences_for(page, first_day, last_day, notes)
    except Exception:  # whatever one event's data holds, the others must still be indexed
        logger.exception("Skipped event %s (%s): its dates cannot be expanded.", page.pk, page.title)
        return None


def _replace_rows(expanded: list[tuple[EventPage, list[Occurrence]]], delete: bool) -> int:
    """Write the rows of each event, first deleting its old ones when ``delete``; returns how many were deleted."""
    removed = 0
    if delete:
        keys = [page.translation_key for page, _rows in expanded]
        removed = Occurrence.objects.filter(event_key__in=keys).delete()[0]
    Occurrence.objects.bulk_create([row for _page, rows in expanded for row in rows], batch_size=1000)
    return removed


def live_events():
    return EventPage.objects.live().prefetch_related(*SCHEDULE_RELATIONS)


@transaction.atomic
def refresh_event(translation_key: UUID, today: date | None = None) -> int:
    """Rebuild the occurrences of one event (in every language); returns how many it has now.

    An event whose dates cannot be expanded is logged and keeps the rows it had.
    """
    pages = list(live_events().filter(translation_key=translation_key))
    sources = pick_sources(pages, source_locale_ids([translation_key]) if pages else {})
    first_day, last_day = occurrence_window(today)
    rows = []
    for page, notes in sources:
        expanded = expand_event(page, first_day, last_day, notes)
        if expanded is None:
            return Occurrence.objects.filter(event_key=translation_key).count()
        rows += expanded
    Occurrence.objects.filter(event_key=translation_key).delete()
    Occurrence.objects.bulk_create(rows)
    refresh_dates([translation_key])
    scopes = published_scopes(pages)  # the answers cached meanwhile showed the old dates
    transaction.on_commit(lambda: bump_content_version(scopes))
    return len(rows)


@transaction.atomic
def build_occurrences(rebuild: bool = False, today: date | None = None, batch_size: int = 500) -> BuildReport:
    """Expand every live event over the current window (run nightly to roll the window forward).

    Each event's rows are replaced; ``rebuild`` first empties the table, which also drops rows of events that
    left the index without a signal (e.g. data loaded with ``loaddata``). An event that cannot be expanded or
    written is logged, keeps the rows it had and is listed in ``report.skipped``; each batch is written in a
    savepoint, and a batch that fails is written again one event per savepoint.
    """
    report = BuildReport()
    first_day, last_day = occurrence_window(today)
    if rebuild:
        report.removed, _deleted = Occurrence.objects.all().delete()
    sources = pick_sources(live_events().iterator(chunk_size=batch_size), source_locale_ids())
    live_keys = {page.translation_key for page, _notes in sources}
    if not rebuild:
        stale = sorted(set(Occurrence.objects.values_list("event_key", flat=True).distinct()) - live_keys)
        for offset in range(0, len(stale), batch_size):
            report.removed += Occurrence.objects.filter(event_key__in=stale[offset : offset + batch_size]).delete()[0]
    for offset in range(0, len(sources), batch_size):
        expanded = []
        for page, notes in sources[offset : offset + batch_size]:
            rows = expand_event(page, first_day, last_day, notes)
            if rows is None:
                report.skipped.append((page.pk, page.title))
            else:
                expanded.append((page, rows))
        try:
            with transaction.atomic():
                report.removed += _replace_rows(expanded, delete=not rebuild)
        except DatabaseError:
            written = []
            for page, rows in expanded:
                try:
                    with transaction.atomic():
                        report.removed += _replace_rows([(page, rows)], delete=not rebuild)
                except DatabaseError:
                    logger.exception("Skipped event %s (%s): its occurrences cannot be written.", page.pk, page.title)
                    report.skipped.append((page.pk, page.title))
                else:
                    written.append((page, rows))
            expanded = written
        report.events += len(expanded)
        report.occurrences += sum(len(rows) for _page, rows in expanded)
    refresh_dates()
    transaction.on_commit(bump_content_version)
    return report
