"""Importing events from an iCalendar (RFC 5545) file into event pages, keyed by the calendar's UID.

Parsing and validation happen first, for the whole calendar; pages are only written when every component is
valid, in one transaction. A component is imported again only when its SEQUENCE or LAST-MODIFIED is newer
than what the page holds, so running an import twice changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo, available_timezones

import icalendar
from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug

from .conf import default_tzid
from .models import EventExcludedDate, EventExtraDate, EventOccurrenceException, EventPage, EventStatus, Frequency

FREQUENCIES = {"DAILY": Frequency.DAILY, "WEEKLY": Frequency.WEEKLY, "MONTHLY": Frequency.MONTHLY}
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
SUPPORTED_RRULE_PARTS = {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "COUNT", "WKST"}


class ComponentError(ValueError):
    def __init__(self, uid: str, reason: str):
        super().__init__(f"{uid}: {reason}")
        self.uid = uid
        self.reason = reason


@dataclass
class ParsedEvent:
    """An event as the calendar describes it, in the page's terms."""

    uid: str
    fields: dict
    sequence: int = 0
    last_modified: datetime | None = None
    extra_dates: list[tuple[date, time | None]] = field(default_factory=list)
    excluded: list[date] = field(default_factory=list)
    exceptions: list[dict] = field(default_factory=list)


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class ImportFailed(Exception):
    """The calendar holds invalid components; nothing was imported."""

    def __init__(self, errors: list[ComponentError]):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


def _zone_and_local(value: datetime, uid: str) -> tuple[str, datetime]:
    """The IANA zone to keep for a DTSTART and the naive local time in it.

    Floating times take the default zone; a custom VTIMEZONE (not an IANA name) is converted to the default zone.
    """
    tzinfo = value.tzinfo
    if tzinfo is None:
        return default_tzid(), value
    key = getattr(tzinfo, "key", None)
    if key in available_timezones():
        return key, value.replace(tzinfo=None)
    tzid = default_tzid()
    return tzid, value.astimezone(ZoneInfo(tzid)).replace(tzinfo=None)


def _local(value, zone: ZoneInfo, all_day: bool) -> datetime:
    """A DATE or DATE-TIME value as naive local time in ``zone``."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time.min)
    if value.tzinfo is None or all_day:
        return value.replace(tzinfo=None)
    return value.astimezone(zone).replace(tzinfo=None)


def _text(component, name: str) -> str:
    value = component.get(name)
    return str(value).strip() if value is not None else ""


def _parse_rule(component, uid: str, zone: ZoneInfo, local_start: datetime) -> dict:
    rules = component.rrules
    if not rules:
        return {}
    if len(rules) > 1:
        raise ComponentError(uid, "more than one RRULE")
    rule = rules[0]
    unsupported = sorted(set(rule) - SUPPORTED_RRULE_PARTS)
    if unsupported:
        raise ComponentError(uid, f"unsupported RRULE part {', '.join(unsupported)}")
    frequency = FREQUENCIES.get(rule["FREQ"][0] if rule.get("FREQ") else "")
    if frequency is None:
        raise ComponentError(uid, f"unsupported repetition FREQ={''.join(rule.get('FREQ', []))}")
    fields = {"frequency": frequency, "interval": int(rule.get("INTERVAL", [1])[0])}
    if rule.get("BYDAY"):
        if frequency != Frequency.WEEKLY or any(day not in WEEKDAY_CODES for day in rule["BYDAY"]):
            raise ComponentError(uid, f"unsupported BYDAY={','.join(rule['BYDAY'])}")
        fields["weekdays"] = sorted(WEEKDAY_CODES.index(day) for day in rule["BYDAY"])
        if local_start.weekday() not in fields["weekdays"]:
            raise ComponentError(uid, "DTSTART is not on one of the BYDAY weekdays")
    if rule.get("COUNT") and rule.get("UNTIL"):
        raise ComponentError(uid, "RRULE has both COUNT and UNTIL")
    if rule.get("COUNT"):
        fields["count"] = int(rule["COUNT"][0])
    if rule.get("UNTIL"):
        until = _local(rule["UNTIL"][0], zone, not isinstance(rule["UNTIL"][0], datetime))
        # The page keeps the last possible date: drop a day when UNTIL falls before that day's start time.
        fields["until"] = until.date() if until.time() >= local_start.time() else until.date() - timedelta(days=1)
    return fields


def parse_master(component) -> ParsedEvent:
    uid = _text(component, "UID")
    if not uid:
        raise ComponentError("(no UID)", "the event has no UID")
    if component.get("DTSTART") is None:
        raise ComponentError(uid, "the event has no DTSTART")
    title = _text(component, "SUMMARY")
    if not title:
        raise ComponentError(uid, "the event has no SUMMARY")
    try:
        start = component.start
        end = component.end if ("DTEND" in component or "DURATION" in component) else None
    except (ValueError, icalendar.InvalidCalendar) as exc:
        raise ComponentError(uid, f"invalid DTSTART, DTEND or DURATION ({exc})") from exc
    all_day = not isinstance(start, datetime)
    if all_day:
        tzid, local_start = default_tzid(), datetime.combine(start, time.min)
    else:
        tzid, local_start = _zone_and_local(start, uid)
    zone = ZoneInfo(tzid)
    local_end = _local(end, zone, all_day) if end is not None else None
    if local_end is not None and local_end < local_start:
        raise ComponentError(uid, "the event ends before it starts")
    description = _text(component, "DESCRIPTION")
    fields = {
        "title": title[:255],
        "summary": (description.split("\n\n")[0] or title)[:400],
        "body": "".join(f"<p>{escape(part)}</p>" for part in description.split("\n\n") if part.strip()),
        "tzid": tzid,
        "all_day": all_day,
        "start_date": local_start.date(),
        "start_time": None if all_day else local_start.time(),
        "end_date": None,
        "end_time": None,
        "venue_name": _text(component, "LOCATION")[:200],
        "status": EventStatus.CANCELLED if _text(component, "STATUS").upper() == "CANCELLED" else EventStatus.SCHEDULED,
        "frequency": "",
        "interval": 1,
        "weekdays": [],
        "until": None,
        "count": None,
    }
    if all_day:
        last_day = (local_end - timedelta(days=1)).date() if local_end and local_end > local_start else None
        fields["end_date"] = last_day if last_day and last_day > local_start.date() else None
    elif local_end is not None and local_end > local_start:
        fields["end_time"] = local_end.time()
        fields["end_date"] = local_end.date() if local_end.date() != local_start.date() else None
    fields.update(_parse_rule(component, uid, zone, local_start))
    try:
        sequence = int(component.get("SEQUENCE", 0))
    except (TypeError, ValueError) as exc:
        raise ComponentError(uid, "SEQUENCE is not a number") from exc
    last_modified = component.last_modified
    parsed = ParsedEvent(uid=uid, fields=fields, sequence=sequence, last_modified=last_modified)
    parsed.excluded = sorted({_local(value, zone, all_day).date() for value in component.exdates})
    for value, _end in component.rdates:
        extra = _local(value, zone, all_day)
        parsed.extra_dates.append((extra.date(), None if all_day else extra.time()))
    return parsed


def parse_override(component, parsed: ParsedEvent) -> dict:
    """A RECURRENCE-ID component as the fields of an ``EventOccurrenceException``."""
    fields = parsed.fields
    zone = ZoneInfo(fields["tzid"])
    all_day = fields["all_day"]
    original = _local(component.decoded("RECURRENCE-ID"), zone, all_day)
    exception = {"original_date": original.date(), "original_time": None if all_day else original.time()}
    if _text(component, "STATUS").upper() == "CANCELLED":
        exception["status"] = EventStatus.CANCELLED
        return exception
    if component.get("DTSTART") is not None:
        start = _local(component.start, zone, all_day)
        if start != original:
            exception["new_start_date"] = start.date()
            exception["new_start_time"] = None if all_day else start.time()
        if "DTEND" in component or "DURATION" in component:
            end = _local(component.end, zone, all_day)
            if all_day:
                exception["new_end_date"] = (end - timedelta(days=1)).date()
            else:
                exception["new_end_date"], exception["new_end_time"] = end.date(), end.time()
    return exception


def parse_calendar(data: bytes) -> list[ParsedEvent]:
    """Every VEVENT with its overrides; raises ``ImportFailed`` listing every bad component."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        raise ImportFailed([ComponentError("(calendar)", f"not an iCalendar file ({exc})")]) from exc
    errors: list[ComponentError] = []
    masters: dict[str, ParsedEvent] = {}
    overrides = []
    for component in calendar.walk("VEVENT"):
        if "RECURRENCE-ID" in component:
            overrides.append(component)
            continue
        try:
            parsed = parse_master(component)
        except ComponentError as error:
            errors.append(error)
            continue
        if parsed.uid in masters:
            errors.append(ComponentError(parsed.uid, "the UID occurs twice"))
        masters[parsed.uid] = parsed
    for component in overrides:
        uid = _text(component, "UID") or "(no UID)"
        parsed = masters.get(uid)
        if parsed is None:
            if not any(error.uid == uid for error in errors):
                errors.append(ComponentError(uid, "a RECURRENCE-ID without its series"))
            continue
        try:
            parsed.exceptions.append(parse_override(component, parsed))
            last_modified = component.last_modified
            if last_modified and (parsed.last_modified is None or last_modified > parsed.last_modified):
                parsed.last_modified = last_modified
            parsed.sequence = max(parsed.sequence, int(component.get("SEQUENCE", 0)))
        except (ValueError, KeyError, icalendar.InvalidCalendar) as exc:
            errors.append(ComponentError(uid, f"invalid RECURRENCE-ID override ({exc})"))
    if errors:
        raise ImportFailed(errors)
    return list(masters.values())


def _is_newer(parsed: ParsedEvent, page: EventPage) -> bool:
    if parsed.sequence > page.sequence:
        return True
    return bool(
        parsed.last_modified and (page.source_last_modified is None or parsed.last_modified > page.source_last_modified)
    )


def _apply(page: EventPage, parsed: ParsedEvent, organiser) -> None:
    for name, value in parsed.fields.items():
        setattr(page, name, value)
    page.source_uid = parsed.uid
    page.source_last_modified = parsed.last_modified
    page.sequence = max(page.sequence, parsed.sequence)
    page.extra_dates = [EventExtraDate(date=day, start_time=start) for day, start in parsed.extra_dates]
    page.excluded_dates = [EventExcludedDate(first_day=day) for day in parsed.excluded]
    page.occurrence_exceptions = [EventOccurrenceException(**fields) for fields in parsed.exceptions]
    page.organisers = [organiser]


@transaction.atomic
def import_calendar(data: bytes, organiser, parent) -> ImportReport:
    """Create or update the events of a calendar under ``parent``; all or nothing."""
    report = ImportReport()
    parsed_events = parse_calendar(data)
    existing = {
        page.source_uid: page
        for page in EventPage.objects.filter(
            source_uid__in=[parsed.uid for parsed in parsed_events], locale_id=parent.locale_id
        )
    }
    for parsed in parsed_events:
        page = existing.get(parsed.uid)
        if page is None:
            page = EventPage(live=False, locale_id=parent.locale_id)
            _apply(page, parsed, organiser)
            page.slug = find_available_slug(parent, slugify(page.title)[:80] or "event")
            parent.add_child(instance=page)
            page.save_revision().publish()
            report.created.append(parsed.uid)
        elif _is_newer(parsed, page):
            page = page.get_latest_revision_as_object()
            _apply(page, parsed, organiser)
            page.save_revision().publish()
            report.updated.append(parsed.uid)
        else:
            report.unchanged.append(parsed.uid)
    return report
