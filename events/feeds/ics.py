"""Events as an iCalendar (RFC 5545) calendar.

A series is written as its rules (RRULE, RDATE, EXDATE), not expanded, with one RECURRENCE-ID override per
changed date, so calendar clients expand exactly the dates the occurrence index holds. Everything in the
output is derived from the pages (DTSTAMP is the last modification, not the time of the request), so an
unchanged calendar is byte-identical.
"""

import hashlib
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vRecur, vText

from ..models import EventStatus
from ..recurrence import Schedule, to_utc
from .query import SCHEDULE_PREFETCH, EventTexts

PRODID = "-//Leerstad//Learning city agenda//EN"
ICS_STATUS = {EventStatus.CANCELLED: "CANCELLED", EventStatus.POSTPONED: "TENTATIVE"}
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# How far an open-ended series' zone rules reach: clients keep expanding it for years.
OPEN_ENDED_YEARS = 20
VEVENT_CACHE_VERSION = 1
VEVENT_CACHE_SECONDS = 7 * 24 * 60 * 60


def ics_value(local: datetime, schedule: Schedule) -> date | datetime:
    """A naive local time as an iCalendar value: a DATE for all-day events, else a DATE-TIME with its TZID."""
    return local.date() if schedule.all_day else local.replace(tzinfo=ZoneInfo(schedule.tzid))


def ics_status(status: str) -> str:
    return ICS_STATUS.get(status, "CONFIRMED")


def recurrence_rule(schedule: Schedule) -> vRecur | None:
    if not schedule.frequency:
        return None
    rule = vRecur(freq=schedule.frequency.upper())
    if schedule.interval and schedule.interval > 1:
        rule["interval"] = schedule.interval
    if schedule.weekdays:
        rule["byday"] = [WEEKDAY_CODES[day] for day in sorted(schedule.weekdays)]
    if schedule.until:
        # A DATE UNTIL for all-day series; with a TZID'd DTSTART, RFC 5545 wants UNTIL in UTC.
        rule["until"] = (
            schedule.until
            if schedule.all_day
            else to_utc(datetime.combine(schedule.until, time(23, 59, 59)), ZoneInfo(schedule.tzid))
        )
    if schedule.count:
        rule["count"] = schedule.count
    return rule


def excluded_starts(schedule: Schedule) -> list[datetime]:
    """The series' starts that fall on excluded days: the EXDATE values."""
    unexcluded = replace(schedule, excluded=())
    starts = set()
    for first, last in schedule.excluded:
        starts.update(unexcluded.local_starts(datetime.combine(first, time.min), datetime.combine(last, time.max)))
    return sorted(starts)


def series_last_day(schedule: Schedule) -> date | None:
    """The last local day the series touches; ``None`` for an open-ended series."""
    days = [(schedule.end or schedule.start).date()]
    days += [extra.date() for extra in schedule.extra]
    days += [(override.end or override.start).date() for override in schedule.overrides.values() if override.start]
    if schedule.frequency:
        if schedule.until:
            days.append(schedule.until)
        elif schedule.count:
            days.append(list(schedule.rule())[-1].date())
        else:
            return None
    duration = schedule.duration or timedelta(0)
    return max(days) + timedelta(days=duration.days + 1)


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The zone's full transitions between 1 January of both years (cached: the rules don't change at runtime)."""
    return Timezone.from_tzinfo(ZoneInfo(tzid), tzid, date(first_year, 1, 1), date(last_year, 1, 1))


def _texts_properties(component: Event, texts: EventTexts, request) -> None:
    page, event = texts.page, texts.event
    component.add("summary", page.title)
    description = page.summary
    if page.status_reason:
        description = f"{description}\n\n{page.status_reason}"
    component.add("description", description)
    if texts.location:
        component.add("location", texts.location)
    place = texts.place
    if place.has_coordinates:
        component.add("geo", (float(place.latitude), float(place.longitude)))
    url = page.get_full_url(request)
    if url:
        component.add("url", url)
    themes = [str(theme.label) for theme in sorted(event.themes.all(), key=lambda theme: theme.position)]
    if themes:
        component.add("categories", themes)
    if texts.organisers:
        organiser = texts.organisers[0]
        # ORGANIZER is a URI: the partner's e-mail address, else its page.
        uri = f"mailto:{organiser.email}" if organiser.email else organiser.get_full_url(request)
        if uri:
            address = vCalAddress(uri)
            address.params["cn"] = vText(organiser.title)
            component.add("organizer", address)


def vevents(texts: EventTexts, request) -> list[Event]:
    """The master VEVENT of an event and one override per changed date of its series."""
    event = texts.event
    schedule = event.schedule()
    modified = texts.last_modified
    uid = str(event.uuid)

    def component(start: datetime, end: datetime | None, status: str) -> Event:
        vevent = Event()
        vevent.add("uid", uid)
        vevent.add("dtstamp", modified)
        vevent.add("last-modified", modified)
        vevent.add("sequence", event.sequence)
        vevent.add("dtstart", ics_value(start, schedule))
        if end is not None:
            vevent.add("dtend", ics_value(end, schedule))
        vevent.add("status", ics_status(status))
        return vevent

    master = component(schedule.start, schedule.end, schedule.status)
    rule = recurrence_rule(schedule)
    if rule is not None:
        master.add("rrule", rule)
    for extra in schedule.extra:
        master.add("rdate", ics_value(extra, schedule))
    for start in excluded_starts(schedule):
        master.add("exdate", ics_value(start, schedule))
    _texts_properties(master, texts, request)
    components = [master]

    duration = schedule.duration
    for original, override in schedule.overrides.items():
        if not schedule.local_starts(original, original):
            continue  # not a date of the series (any more): the index ignores it too
        start = override.start or original
        end = override.end or (start + duration if duration is not None else None)
        changed = component(start, end, override.status or schedule.status)
        changed.add("recurrence-id", ics_value(original, schedule))
        _texts_properties(changed, texts, request)
        if override.reason:
            changed["description"] = vText(f"{changed['description']}\n\n{override.reason}")
        components.append(changed)
    return components


def zone_ranges(schedules: list[Schedule], today: date) -> dict[str, tuple[int, int]]:
    """Per TZID, the years the VTIMEZONE must cover: every date of every series using it, open ends included."""
    ranges: dict[str, tuple[int, int]] = {}
    for schedule in schedules:
        if schedule.all_day:
            continue  # DATE values carry no zone
        last = series_last_day(schedule)
        first_year = schedule.start.year
        last_year = (last.year if last else today.year + OPEN_ENDED_YEARS) + 1
        if schedule.tzid in ranges:
            known_first, known_last = ranges[schedule.tzid]
            first_year, last_year = min(first_year, known_first), max(last_year, known_last)
        ranges[schedule.tzid] = (first_year, last_year)
    return ranges


def _vevent_cache_key(texts: EventTexts, request, today: date) -> str:
    """Everything a VEVENT's bytes depend on: the event's revision, its translation, places and URL."""
    event, page = texts.event, texts.page
    partners = [texts.venue, *texts.organisers] if texts.venue else texts.organisers
    parts = [
        VEVENT_CACHE_VERSION,
        event.pk,
        event.live_revision_id,  # changes with every publication, even within one second
        event.uuid,
        event.sequence,
        texts.last_modified.isoformat(),
        page.pk,
        page.live_revision_id,
        page.url_path,
        get_language(),
        request.get_host(),
        today.year,
        *((partner.pk, partner.live_revision_id, partner.url_path) for partner in partners),
    ]
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
    return f"leerstad:events:vevent:{digest}"


def serialize_calendar(texts: list[EventTexts], request, *, name: str, today: date) -> bytes:
    """The calendar's bytes, reusing each unchanged event's serialised VEVENTs from the cache.

    Only events missing from the cache load their schedule rows (extra dates, exclusions, changes) and are
    serialised again; the output is the same as serialising the whole calendar at once.
    """
    keys = {item.event.pk: _vevent_cache_key(item, request, today) for item in texts}
    cached = cache.get_many(list(keys.values()))
    missing = [item.event for item in texts if keys[item.event.pk] not in cached]
    prefetch_related_objects(missing, *SCHEDULE_PREFETCH)
    fresh = {}
    for item in texts:
        key = keys[item.event.pk]
        if key in cached:
            continue
        schedule = item.event.schedule()
        blob = b"".join(component.to_ical() for component in vevents(item, request))
        fresh[key] = (zone_ranges([schedule], today), blob)
    if fresh:
        cache.set_many(fresh, VEVENT_CACHE_SECONDS)
    entries = [cached.get(keys[item.event.pk]) or fresh[keys[item.event.pk]] for item in texts]

    ranges: dict[str, tuple[int, int]] = {}
    for zones, _blob in entries:
        for tzid, (first_year, last_year) in zones.items():
            known = ranges.get(tzid, (first_year, last_year))
            ranges[tzid] = (min(first_year, known[0]), max(last_year, known[1]))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for tzid, (first_year, last_year) in sorted(ranges.items()):
        calendar.add_component(vtimezone(tzid, first_year, last_year))
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    return head[: -len(end)] + b"".join(blob for _zones, blob in entries) + end


def calendar_name(site_name: str, suffix: str = "") -> str:
    name = _("%(site)s agenda") % {"site": site_name} if site_name else _("Agenda")
    return f"{name}: {suffix}" if suffix else name
