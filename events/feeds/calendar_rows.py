"""The calendar's events as plain rows: what the iCalendar feed shows, read without building page objects.

A Wagtail page instance costs a few tenths of a millisecond to build, and an event brings its translation, venue
and organisers along: loading 10,000 events as pages takes seconds. The calendar reads ``values_list()`` rows
instead, in a fixed number of queries and in two steps. First the *version* of every event: the revisions and
paths of its page and translation, and the shown data of its venue and organisers, which is all the VEVENT
cache needs to know. Then, only for the events whose VEVENTs must be written again, their texts and schedules.
"""

import hashlib
from collections import namedtuple
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from operator import attrgetter
from uuid import UUID

from django.db.models import CharField, F, QuerySet
from django.db.models.functions import Cast, Coalesce
from wagtail.models import Locale

from partners.models import PartnerPage

from ..models import EventExcludedDate, EventExtraDate, EventOccurrenceException, EventPage, Theme
from ..recurrence import Schedule

# Above this many ids, a query reads every row of the table instead of listing the ids as parameters (SQLite
# allows only so many); either way it is one query.
MAX_LISTED_IDS = 500
ROWS_PER_CHUNK = 500  # full event rows fetched at a time while the calendar is written
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# What the VEVENT blocks depend on (see _version); the event's municipality is no page, so it has no revision.
VERSION_FIELDS = (
    "pk",
    "key",
    "locale_id",
    "live_revision_id",
    "sequence",
    "url_path",
    "venue_id",
    "municipality_name",
)
SCHEDULE_FIELDS = (
    "tzid",
    "all_day",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "frequency",
    "interval",
    "weekdays",
    "ordinals",
    "month_days",
    "until",
    "count",
    "status",
)
ADDRESS_FIELDS = ("street", "postcode", "locality", "municipality_name", "latitude", "longitude")
schedule_values = attrgetter(*SCHEDULE_FIELDS)
PAGE_TEXT_FIELDS = ("title", "summary", "status_reason", "venue_name", "modified")
EVENT_FIELDS = (
    *VERSION_FIELDS,
    "uuid",
    *SCHEDULE_FIELDS,
    *(name for name in ADDRESS_FIELDS if name != "municipality_name"),
    *PAGE_TEXT_FIELDS,
)
TRANSLATION_FIELDS = ("pk", "key", "live_revision_id", "url_path", *PAGE_TEXT_FIELDS)
PARTNER_FIELDS = ("pk", "key", "locale_id", "title", "email", "url_path", *ADDRESS_FIELDS)
EventRow = namedtuple("EventRow", EVENT_FIELDS)


def listed(queryset: QuerySet, lookup: str, ids) -> QuerySet:
    """``queryset`` narrowed to ``ids``, unless they are too many to list: then every row (filter in Python)."""
    ids = list(ids)
    return queryset.filter(**{f"{lookup}__in": ids}) if len(ids) <= MAX_LISTED_IDS else queryset


def _annotated(queryset: QuerySet) -> QuerySet:
    """Pages with the computed columns the rows read.

    ``key``: the translation key as text (converting thousands of values to ``UUID`` objects costs milliseconds);
    ``modified``: the page's last publication (as ``EventTexts.last_modified``: else its last revision or its first
    publication); ``municipality_name`` for the town.
    """
    return queryset.annotate(
        key=Cast("translation_key", output_field=CharField()),
        modified=Coalesce("last_published_at", "latest_revision_created_at", "first_published_at"),
        municipality_name=F("municipality__name"),
    )


@dataclass(frozen=True, slots=True)
class Place:
    """A venue, an organiser or an event's own address, with the texts the feed shows."""

    title: str
    email: str
    url_path: str
    street: str
    postcode: str
    town: str
    latitude: Decimal | None
    longitude: Decimal | None

    @classmethod
    def from_row(cls, row, title: str, email: str = "", url_path: str = "") -> "Place":
        """The address of a row with ``ADDRESS_FIELDS``; the town is the locality, else the municipality's name."""
        town = row.locality or row.municipality_name or ""
        return cls(title, email, url_path, row.street, row.postcode, town, row.latitude, row.longitude)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class _ChildRows(list):
    """A schedule's child rows with the ``all()`` of a related manager."""

    def all(self):
        return self


class ScheduleFields:
    """An event's schedule fields from a row, with ``EventPage``'s own methods to turn them into a ``Schedule``.

    Borrowing the methods (rather than rewriting them) keeps the calendar's rules identical to the occurrence
    index, which expands the same ``Schedule``.
    """

    local_start = EventPage.local_start
    local_end = EventPage.local_end
    schedule = EventPage.schedule

    def __init__(self, row, extra_dates: _ChildRows, excluded_dates: _ChildRows, occurrence_exceptions: _ChildRows):
        self.__dict__.update(zip(SCHEDULE_FIELDS, schedule_values(row), strict=True))
        self.extra_dates = extra_dates
        self.excluded_dates = excluded_dates
        self.occurrence_exceptions = occurrence_exceptions


@dataclass(slots=True)
class CalendarEvent:
    """One event as the calendar writes it: the source page's schedule, the shown page's texts, its places."""

    uuid: UUID
    sequence: int
    schedule: Schedule
    title: str
    summary: str
    status_reason: str
    url_path: str
    location: str
    geo: tuple[float, float] | None
    themes: list[str]
    organiser: Place | None
    last_modified: datetime


@dataclass(slots=True)
class CalendarRows:
    """A calendar's events: their order, their versions, and the contents of those to be written again.

    A version is a string (cheap to store and compare, and untracked by the garbage collector) of everything an
    event's VEVENTs depend on, short of its texts. ``contents`` yields ``(id, CalendarEvent)`` one event at a
    time, so that each can be written and dropped: thousands of live objects would make the garbage collector
    scan the whole process again and again.
    """

    order: list[int]
    versions: dict[int, str]
    contents: Iterator[tuple[int, CalendarEvent]]


@dataclass
class _Rows:
    """The rows of one calendar, gathered query by query."""

    locale_id: int
    # Plain tuples (``VERSION_FIELDS`` or ``EVENT_FIELDS``): the garbage collector stops tracking tuples of plain
    # values, while thousands of named tuples would each be tracked.
    events: list[tuple] = field(default_factory=list)
    translations: dict[str, tuple] = field(default_factory=dict)  # translation key -> TRANSLATION_FIELDS row
    organisers: dict[int, int] = field(default_factory=dict)  # event pk -> the organiser's pk the feed shows
    partners: dict[int, tuple] = field(default_factory=dict)  # source pk -> shown PARTNER_FIELDS row
    partner_versions: dict[int, str] = field(default_factory=dict)

    def translation(self, key: str, locale_id: int):
        """The live translation whose texts an event shows, if the event is in another locale."""
        return None if locale_id == self.locale_id else self.translations.get(key)


def _load_translations(locale_id: int, model, fields, keys: set[str]) -> dict[str, tuple]:
    """The live pages of ``model`` in the feed's locale with these translation keys, by key."""
    if not keys:
        return {}
    queryset = _annotated(model.objects.live().filter(locale_id=locale_id))
    if len(keys) <= MAX_LISTED_IDS:
        queryset = queryset.filter(translation_key__in=[UUID(key) for key in keys])
    return {row.key: row for row in queryset.values_list(*fields, named=True) if row.key in keys}


def _load_partners(rows: _Rows, order: list[int]) -> None:
    """The venues and organisers of the events, each in the feed's language where it has a live translation.

    The event page lists its organisers by title, then id, and the feed shows the first: the partners are read in
    that order (the database's collation), and each event keeps only its first organiser.
    """
    events = set(order)
    links = listed(EventPage.organisers.through.objects.all(), "eventpage_id", order)
    links = [link for link in links.values_list("eventpage_id", "partnerpage_id") if link[0] in events]
    ids = {row[6] for row in rows.events if row[6]} | {partner for _event, partner in links}  # venue_id
    if not ids:
        return
    partners = listed(_annotated(PartnerPage.objects.order_by("title", "pk")), "pk", ids)
    sources = {row.pk: row for row in partners.values_list(*PARTNER_FIELDS, named=True) if row.pk in ids}
    elsewhere = {row.key for row in sources.values() if row.locale_id != rows.locale_id}
    translated = _load_translations(rows.locale_id, PartnerPage, PARTNER_FIELDS, elsewhere)
    for pk, row in sources.items():
        shown = translated.get(row.key, row)
        rows.partners[pk] = shown
        rows.partner_versions[pk] = hashlib.blake2b(repr(tuple(shown)).encode(), digest_size=8).hexdigest()
    rank = {pk: position for position, pk in enumerate(sources)}
    for event, partner in links:
        first = rows.organisers.get(event)
        if first is None or rank[partner] < rank[first]:
            rows.organisers[event] = partner


def _versions(rows: _Rows) -> dict[int, str]:
    """Everything each event's VEVENTs depend on, short of reading its texts.

    Publishing a page gives it a new live revision, so the revisions stand for the pages' fields, child rows
    (schedule) and relations (themes, organisers); the paths stand for their URLs. Partners are few: a digest of
    their shown rows stands for them. ``|`` separates the parts: it occurs in no path.
    """
    partners, organisers = rows.partner_versions, rows.organisers
    versions = {}
    for row in rows.events:
        pk, key, locale_id, revision, sequence, url_path, venue_id, town = row[:8]
        shown = rows.translation(key, locale_id)
        translated = f"{shown.pk} {shown.live_revision_id} {shown.url_path}" if shown else ""
        venue, organiser = partners.get(venue_id, ""), partners.get(organisers.get(pk), "")
        versions[pk] = f"{revision}|{sequence}|{url_path}|{translated}|{venue}|{organiser}|{town}"
    return versions


def calendar_rows(events: QuerySet, locale: Locale, known: dict[int, str]) -> CalendarRows:
    """The calendar's events in ``events``' order, with contents for those whose version is not in ``known``.

    ``known`` maps event ids to the versions of VEVENTs already written. The first query reads every event's
    version; one more reads the events to write again in full, streamed in chunks while they are written, so a
    calendar of many thousands of events never holds all their texts at once.
    """
    rows = _Rows(locale_id=locale.pk)
    rows.events = list(_annotated(events).values_list(*VERSION_FIELDS))
    order = [row[0] for row in rows.events]
    elsewhere = {row[1] for row in rows.events if row[2] != rows.locale_id}
    rows.translations = _load_translations(rows.locale_id, EventPage, TRANSLATION_FIELDS, elsewhere)
    _load_partners(rows, order)

    versions = _versions(rows)
    stale = {pk for pk, version in versions.items() if known.get(pk) != version}
    # The translations whose notes the stale events' changed dates show.
    shown = {row[0]: rows.translation(row[1], row[2]) for row in rows.events if row[0] in stale}
    translated = {pk: translation.pk for pk, translation in shown.items() if translation}
    rows.events = []  # not needed to write the events; a calendar of many thousands is megabytes
    if not stale:
        return CalendarRows(order, versions, iter(()))
    # These events are in the calendar: read them by id, unless there are too many to list.
    details = events if len(stale) > MAX_LISTED_IDS else EventPage.objects.filter(pk__in=stale)
    full_rows = _annotated(details).values_list(*EVENT_FIELDS).iterator(chunk_size=ROWS_PER_CHUNK)
    contents = _calendar_events(rows, (row for row in full_rows if row[0] in stale), stale, translated)
    return CalendarRows(order, versions, contents)


def _grouped(queryset: QuerySet, pks: set[int]) -> dict[int, _ChildRows]:
    groups: dict[int, _ChildRows] = {}
    for row in listed(queryset, "page_id", pks):
        if row.page_id in pks:
            groups.setdefault(row.page_id, _ChildRows()).append(row)
    return groups


def _themes(pks: set[int]) -> dict[int, list[str]]:
    """Theme labels by event, in the feed's language, in the themes' order."""
    links = listed(EventPage.themes.through.objects.all(), "eventpage_id", pks).order_by("theme__position", "theme_id")
    themes: dict[int, list[str]] = {}
    labels = {code: str(label) for code, label in Theme.LABELS.items()}
    for event_id, code in links.values_list("eventpage_id", "theme__code"):
        if event_id in pks:
            themes.setdefault(event_id, []).append(labels.get(code, code))
    return themes


def _translated_notes(changes: _ChildRows, translated: _ChildRows) -> _ChildRows:
    """The source page's changed dates with the notes of the translation's copies of them (a copy shares its row's
    translation key); a date the translation has no note for keeps the source's."""
    notes = {change.translation_key: change.reason for change in translated if change.reason}
    for change in changes:
        change.reason = notes.get(change.translation_key) or change.reason
    return changes


def _calendar_events(
    rows: _Rows, full_rows: Iterator[tuple], pks: set[int], translated: dict[int, int]
) -> Iterator[tuple[int, CalendarEvent]]:
    """Texts and schedules of the events ``pks`` from their ``EVENT_FIELDS`` rows (four more queries: themes and
    three kinds of dates; the changed dates of the translations shown, ``translated`` (page ids by event), are read
    with the events' own, for their notes)."""
    themes = _themes(pks)
    extra = _grouped(EventExtraDate.objects.order_by("sort_order", "pk"), pks)
    excluded = _grouped(EventExcludedDate.objects.order_by("sort_order", "pk"), pks)
    exceptions = _grouped(EventOccurrenceException.objects.order_by("sort_order", "pk"), pks | {*translated.values()})
    none = _ChildRows()
    for row in map(EventRow._make, full_rows):
        pk = row.pk
        shown = rows.translation(row.key, row.locale_id) or row
        venue = rows.partners.get(row.venue_id)
        place = Place.from_row(venue, venue.title) if venue else Place.from_row(row, shown.venue_name)
        town = f"{place.postcode} {place.town}" if place.postcode and place.town else place.postcode or place.town
        organiser = rows.partners.get(rows.organisers.get(pk))
        if organiser:
            organiser = Place.from_row(organiser, organiser.title, organiser.email, organiser.url_path)
        # The later publication of the source and the translation, in whole UTC seconds (as EventTexts).
        modified = max((stamp for stamp in (row.modified, shown.modified) if stamp), default=EPOCH)
        changes = exceptions.get(pk, none)
        if pk in translated:
            changes = _translated_notes(changes, exceptions.get(translated[pk], none))
        schedule = ScheduleFields(row, extra.get(pk, none), excluded.get(pk, none), changes).schedule()
        yield (
            pk,
            CalendarEvent(
                uuid=row.uuid,
                sequence=row.sequence,
                schedule=schedule,
                title=shown.title,
                summary=shown.summary,
                status_reason=shown.status_reason,
                url_path=shown.url_path,
                location=", ".join(part for part in (place.title, place.street, town) if part),
                geo=(float(place.latitude), float(place.longitude)) if place.has_coordinates else None,
                themes=themes.get(pk, []),
                organiser=organiser,
                last_modified=modified.astimezone(UTC).replace(microsecond=0),
            ),
        )
