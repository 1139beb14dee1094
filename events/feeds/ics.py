"""Events as an iCalendar (RFC 5545) calendar.

A series is written as its rules (RRULE, RDATE, EXDATE), not expanded, with one RECURRENCE-ID override per
changed date, so calendar clients expand exactly the dates the occurrence index holds. Everything in the
output is derived from the pages (DTSTAMP is the last modification, not the time of the request), so an
unchanged calendar is byte-identical.

A calendar of thousands of events is assembled from blocks: each event's serialised VEVENTs are kept, with the
version of the event they were written from (see ``calendar_rows``), in one cache entry per feed URL. After an
edit only the changed events are read in full and written again; the others are concatenated as they were.
"""

import sys
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale

from learningcity.api import PageURLs
from learningcity.compat import site_root_paths

from ..models import EventStatus
from ..recurrence import Schedule, to_utc
from . import contentlines as lines
from .calendar_rows import CalendarEvent, calendar_rows

PRODID = "-//Leerstad//Learning city agenda//EN"
ICS_STATUS = {EventStatus.CANCELLED: "CANCELLED", EventStatus.POSTPONED: "TENTATIVE"}
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# How far an open-ended series' zone rules reach: clients keep expanding it for years.
OPEN_ENDED_YEARS = 20
# Raise when the bytes written for the same event change, so that no older blocks are reused.
BLOCKS_VERSION = 4
BLOCKS_CACHE_SECONDS = 7 * 24 * 60 * 60
END_CALENDAR = b"END:VCALENDAR\r\n"


def ics_status(status: str) -> str:
    return ICS_STATUS.get(status, "CONFIRMED")


def recurrence_rule(schedule: Schedule) -> str | None:
    """The RRULE value, its parts in the order icalendar writes them (FREQ, UNTIL, COUNT, INTERVAL, BYDAY,
    BYMONTHDAY, BYMONTH)."""
    if not schedule.frequency:
        return None
    parts = [f"FREQ={schedule.frequency.upper()}"]
    if schedule.until:
        # A DATE UNTIL for all-day series; with a TZID'd DTSTART, RFC 5545 wants UNTIL in UTC.
        if schedule.all_day:
            parts.append(f"UNTIL={lines.format_date(schedule.until)}")
        else:
            until = to_utc(datetime.combine(schedule.until, time(23, 59, 59)), ZoneInfo(schedule.tzid))
            parts.append(f"UNTIL={lines.format_utc(until)}")
    if schedule.count:
        parts.append(f"COUNT={schedule.count}")
    if schedule.interval and schedule.interval > 1:
        parts.append(f"INTERVAL={schedule.interval}")
    if schedule.by_position:
        days = [f"{ordinal}{WEEKDAY_CODES[day]}" for ordinal in schedule.ordinals for day in sorted(schedule.weekdays)]
        parts.append("BYDAY=" + ",".join(days))
    elif schedule.weekdays:
        parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[day] for day in sorted(schedule.weekdays)))
    if schedule.frequency == "monthly" and schedule.month_days and not schedule.by_position:
        parts.append("BYMONTHDAY=" + ",".join(str(day) for day in sorted(schedule.month_days)))
    if schedule.frequency == "yearly" and schedule.by_position:
        parts.append(f"BYMONTH={schedule.start.month}")
    return ";".join(parts)


@dataclass(frozen=True)
class PeriodicRule:
    """A daily or weekly rule as arithmetic: its starts repeat every ``period`` days at ``offsets`` from ``anchor``.

    dateutil iterates a rule date by date (some microseconds each, tenths of a second for a large calendar); for
    these rules the n-th start is a sum. Monthly rules, and daily rules limited to weekdays, are left to
    ``Schedule.rule()`` (``of()`` gives ``None``). A test checks both against each other.
    """

    anchor: datetime  # the first period's first day, at the series' time of day
    period: int  # days
    offsets: tuple[int, ...]  # days into each period, ascending
    skipped: int  # offsets of the first period before the series' start
    count: int | None
    until: datetime | None

    @classmethod
    def of(cls, schedule: Schedule) -> "PeriodicRule | None":
        interval = schedule.interval or 1
        if schedule.frequency == "daily" and not schedule.weekdays:
            anchor, period, offsets = schedule.start, interval, (0,)
        elif schedule.frequency == "weekly":
            # Weeks start on Monday, as in dateutil (and RFC 5545's default WKST).
            anchor = schedule.start - timedelta(days=schedule.start.weekday())
            period, offsets = 7 * interval, tuple(sorted(schedule.weekdays)) or (schedule.start.weekday(),)
        else:
            return None
        skipped = sum(1 for offset in offsets if anchor + timedelta(days=offset) < schedule.start)
        until = datetime.combine(schedule.until, time.max) if schedule.until else None
        return cls(anchor, period, offsets, skipped, schedule.count, until)

    def nth(self, n: int) -> datetime:
        """The start with index ``n`` (from 0), whatever the count and the end."""
        periods, index = divmod(n + self.skipped, len(self.offsets))
        return self.anchor + timedelta(days=periods * self.period + self.offsets[index])

    def between(self, after: datetime, before: datetime) -> list[datetime]:
        """The starts in [after, before], in order (as ``rrule.between(after, before, inc=True)``)."""
        starts = []
        n = max(0, (after - self.anchor).days // self.period) * len(self.offsets) - self.skipped
        while self.count is None or n < self.count:
            if n >= 0:
                start = self.nth(n)
                if start > before or (self.until is not None and start > self.until):
                    break
                if start >= after:
                    starts.append(start)
            n += 1
        return starts


def excluded_starts(schedule: Schedule) -> list[datetime]:
    """The series' starts that fall on excluded days: the EXDATE values."""
    if not schedule.excluded:
        return []
    rule = PeriodicRule.of(schedule)
    unexcluded = replace(schedule, excluded=())
    starts = set()
    for first, last in schedule.excluded:
        after, before = datetime.combine(first, time.min), datetime.combine(last, time.max)
        if rule is None:
            starts.update(unexcluded.local_starts(after, before))
        else:
            starts.update(rule.between(after, before))
            starts.update(extra for extra in schedule.extra if after <= extra <= before)
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
            rule = PeriodicRule.of(schedule)
            last = rule.nth(schedule.count - 1) if rule else list(schedule.rule())[-1]
            days.append(last.date())
        else:
            return None
    duration = schedule.duration or timedelta(0)
    return max(days) + timedelta(days=duration.days + 1)


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


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> bytes:
    """The zone's full transitions between 1 January of both years (cached: the rules don't change at runtime)."""
    from icalendar import Timezone  # about 9 MB: loaded by the workers that serve a calendar

    zone = Timezone.from_tzinfo(ZoneInfo(tzid), tzid, date(first_year, 1, 1), date(last_year, 1, 1))
    for observance in zone.subcomponents:
        _one_onset_per_rdate(observance)
    return zone.to_ical()


def _one_onset_per_rdate(observance) -> None:
    """Give each onset of a STANDARD or DAYLIGHT an RDATE of its own, the first (its DTSTART) included.

    icalendar writes the onsets after DTSTART as one RDATE holding a list. ical.js (Thunderbird's parser, also used
    by web calendars) reads only the first value of each RDATE in a VTIMEZONE, and once RDATEs are given it skips
    DTSTART: it put most dates of a series in the wrong half of the year, an hour off. One onset per RDATE with DTSTART
    repeated is how libical's own zone definitions are written; RFC 5545 counts an onset given twice once.
    """
    if "RDATE" not in observance:
        return
    onsets = [observance.DTSTART, *(start for start, _end in observance.rdates)]
    del observance["RDATE"]
    for onset in onsets:
        observance.add("RDATE", onset)


# VEVENTs.


def _ics_value(name: str, local: datetime, schedule: Schedule) -> str:
    """A naive local time as a DATE for all-day events, else as a DATE-TIME with its TZID."""
    return lines.date_or_datetime(name, local.date() if schedule.all_day else local, schedule.tzid)


def _component(head: list[str], tail: list[str]) -> str:
    """One VEVENT, its properties in icalendar's order: ``head`` as in ``Event.canonical_order`` (SUMMARY, DTSTART,
    DTEND, DTSTAMP, UID, RECURRENCE-ID, SEQUENCE, RRULE, RDATE, EXDATE), then ``tail`` alphabetically."""
    body = "\r\n".join(lines.fold(line) for line in (*head, *tail))
    return f"BEGIN:VEVENT\r\n{body}\r\nEND:VEVENT\r\n"


def _tail(event: CalendarEvent, urls: PageURLs, description: str, status: str) -> list[str]:
    """CATEGORIES … URL: the properties after the canonical ones, in alphabetical order."""
    tail = []
    if event.themes:
        tail.append("CATEGORIES:" + ",".join(lines.escape_text(theme) for theme in event.themes))
    tail.append(lines.text("DESCRIPTION", description))
    if event.geo:
        tail.append(f"GEO:{event.geo[0]};{event.geo[1]}")
    tail.append(f"LAST-MODIFIED:{lines.format_utc(event.last_modified)}")
    if event.location:
        tail.append(lines.text("LOCATION", event.location))
    if event.organiser:
        organiser = event.organiser
        # ORGANIZER is a URI: the partner's e-mail address, else its page.
        uri = f"mailto:{organiser.email}" if organiser.email else urls(organiser.url_path)
        if uri:
            tail.append(f"ORGANIZER{lines.common_name_parameter(organiser.title)}:{uri}")
    tail.append(f"STATUS:{ics_status(status)}")
    url = urls(event.url_path)
    if url:
        tail.append(f"URL:{url}")
    return tail


def vevents(event: CalendarEvent, urls: PageURLs) -> str:
    """The master VEVENT of an event and one override per changed date of its series."""
    schedule = event.schedule
    stamp = lines.format_utc(event.last_modified)
    summary = lines.text("SUMMARY", event.title)
    uid = lines.text("UID", str(event.uuid))
    sequence = f"SEQUENCE:{event.sequence}"
    description = event.summary
    if event.status_reason:
        description = f"{description}\n\n{event.status_reason}"

    def head(start: datetime, end: datetime | None) -> list[str]:
        dates = [summary, _ics_value("DTSTART", start, schedule)]
        if end is not None:
            dates.append(_ics_value("DTEND", end, schedule))
        return [*dates, f"DTSTAMP:{stamp}", uid]

    master = head(schedule.start, schedule.end)
    master.append(sequence)
    rule = recurrence_rule(schedule)
    if rule is not None:
        master.append(f"RRULE:{rule}")
    if rule is None and schedule.extra:
        # Dates without a rule: DTSTART is the first, but ical.js's iterator begins at the first RDATE. Given again
        # as an RDATE it counts once (RFC 5545, 3.8.5.2) and every client lists it.
        master.append(_ics_value("RDATE", schedule.start, schedule))
    master += [_ics_value("RDATE", extra, schedule) for extra in schedule.extra]
    master += [_ics_value("EXDATE", start, schedule) for start in excluded_starts(schedule)]
    blocks = [_component(master, _tail(event, urls, description, schedule.status))]

    duration = schedule.duration
    for original, override in schedule.overrides.items():
        if not schedule.local_starts(original, original):
            continue  # not a date of the series (any more): the index ignores it too
        start = override.start or original
        end = override.end or (start + duration if duration is not None else None)
        changed = [*head(start, end), _ics_value("RECURRENCE-ID", original, schedule), sequence]
        text = f"{description}\n\n{override.reason}" if override.reason else description
        blocks.append(_component(changed, _tail(event, urls, text, override.status or schedule.status)))
    return "".join(blocks)


def occurrence_uid(event_uuid, recurrence_id: str) -> str:
    """The UID of one date written on its own: the event's uuid, a hyphen and the date's original local start in
    digits (``0f6c…-20260302T190000``, ``0f6c…-20260314`` for an all-day date).

    It differs from the series' UID (the uuid alone), so a calendar that holds the subscribed series and an added
    date keeps both, and adding the same date twice updates it rather than doubling it.
    """
    return f"{event_uuid}-{recurrence_id.replace('-', '').replace(':', '')}"


def occurrence_vevent(event: CalendarEvent, occurrence, urls: PageURLs, note: str = "") -> str:
    """One date of ``event`` (an ``Occurrence``) as a standalone VEVENT: the date's start, end and status (as
    changed for it), the event's texts, place and link, and the date's ``note`` after the description."""
    schedule = event.schedule
    zone = ZoneInfo(schedule.tzid)
    start = occurrence.start.astimezone(zone).replace(tzinfo=None)
    head = [lines.text("SUMMARY", event.title), _ics_value("DTSTART", start, schedule)]
    if occurrence.has_end:
        head.append(_ics_value("DTEND", occurrence.end.astimezone(zone).replace(tzinfo=None), schedule))
    head += [
        f"DTSTAMP:{lines.format_utc(event.last_modified)}",
        lines.text("UID", occurrence_uid(event.uuid, occurrence.recurrence_id)),
        f"SEQUENCE:{event.sequence}",
    ]
    description = "\n\n".join(text for text in (event.summary, event.status_reason, note) if text)
    return _component(head, _tail(event, urls, description, occurrence.status))


# The calendar.


def _blocks_context(today: date, request) -> tuple:
    """What every block depends on besides its event: the code, language, host, year and the sites' roots."""
    return (BLOCKS_VERSION, get_language(), request.get_host(), today.year, tuple(site_root_paths(request)))


def _head(name: str, ranges: dict[str, tuple[int, int]]) -> bytes:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    head = calendar.to_ical()[: -len(END_CALENDAR)]
    return head + b"".join(vtimezone(tzid, *years) for tzid, years in sorted(ranges.items()))


def serialize_calendar(
    events: QuerySet,
    request,
    *,
    name: str,
    locale: Locale,
    today: date,
    blocks_key: str = "",
    blocks_seconds: int | None = None,
) -> bytes:
    """The calendar of ``events`` (in their order), in the active language.

    With ``blocks_key`` (a name for the feed URL), the events' VEVENT blocks are kept in the cache under it, and
    the next build reuses every block whose event has the same version: the output is the same as writing the
    whole calendar again. The blocks are kept as flat dicts of strings and bytes, which unpickle fast and which
    the garbage collector does not track. ``blocks_seconds``: how long they are kept (default a week).
    """
    urls = PageURLs(request)
    context = _blocks_context(today, request)
    stored = cache.get(blocks_key) if blocks_key else None
    if not isinstance(stored, dict) or stored.get("context") != context:
        stored = {"context": context, "versions": {}, "zones": {}, "blobs": {}}
    rows = calendar_rows(events, locale, stored["versions"])
    zones, blobs = {}, {}
    for pk, event in rows.contents:
        zones[pk] = sys.intern(_zones_text(zone_ranges([event.schedule], today)))  # mostly the same few texts
        blobs[pk] = vevents(event, urls).encode()
    written = bool(blobs)
    for pk in rows.order:
        if pk not in blobs:
            zones[pk], blobs[pk] = stored["zones"][pk], stored["blobs"][pk]
    if blocks_key and (written or rows.versions.keys() != stored["versions"].keys()):
        block_store = {"context": context, "versions": rows.versions, "zones": zones, "blobs": blobs}
        cache.set(blocks_key, block_store, blocks_seconds or BLOCKS_CACHE_SECONDS)
    head = _head(name, _merged_zones(set(zones.values())))
    del stored  # the cached copy of the blocks: only ``blobs`` is still needed (a calendar's size each)
    return b"".join([head, *(blobs[pk] for pk in rows.order), END_CALENDAR])  # one copy of the body, not three


def serialize_occurrence(events: QuerySet, occurrence, request, *, name: str, locale: Locale) -> bytes:
    """A calendar holding one date (an ``Occurrence``) of the event in ``events`` as a standalone VEVENT, in the
    active language (the event's texts and the date's note in ``locale``), with its zone's VTIMEZONE for the date's
    years (none for an all-day date).

    Without a VEVENT when the event is gone meanwhile. The event's rows are read as for the calendar feed
    (``calendar_rows``), in a fixed number of queries.
    """
    urls = PageURLs(request)
    ranges: dict[str, tuple[int, int]] = {}
    blocks = []
    for _pk, event in calendar_rows(events, locale, {}).contents:
        note = occurrence.note_in(locale.language_code)
        blocks.append(occurrence_vevent(event, occurrence, urls, note).encode())
        if not occurrence.all_day:
            zone = ZoneInfo(event.schedule.tzid)
            years = (occurrence.start.astimezone(zone).year, occurrence.end.astimezone(zone).year + 1)
            ranges[event.schedule.tzid] = years
    return b"".join([_head(name, ranges), *blocks, END_CALENDAR])


def _zones_text(ranges: dict[str, tuple[int, int]]) -> str:
    """An event's zone ranges as text (``Europe/Brussels 2026 2029``), one line per zone: cheap to store."""
    return "\n".join(f"{tzid} {first_year} {last_year}" for tzid, (first_year, last_year) in ranges.items())


def _merged_zones(texts: set[str]) -> dict[str, tuple[int, int]]:
    """The years every zone must cover for the whole calendar, from the events' ``_zones_text``."""
    ranges: dict[str, tuple[int, int]] = {}
    for line in (line for text in texts for line in text.splitlines()):
        tzid, first_year, last_year = line.rsplit(" ", 2)
        first, last = ranges.get(tzid, (int(first_year), int(last_year)))
        ranges[tzid] = (min(int(first_year), first), max(int(last_year), last))
    return ranges


def calendar_name(site_name: str, suffix: str = "") -> str:
    name = _("%(site)s agenda") % {"site": site_name} if site_name else _("Agenda")
    return f"{name}: {suffix}" if suffix else name
