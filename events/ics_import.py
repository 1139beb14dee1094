"""Importing events from an iCalendar (RFC 5545) file into event pages, keyed by the calendar's UID.

Parsing and validation happen first, for the whole calendar: every component is parsed, checked against the
import's limits and validated as the page it becomes (``full_clean`` of the page and of its schedule rows, so the
bounds of ``events.conf`` apply). Pages are only written when every component is valid, in one transaction. A
component is imported again only when its SEQUENCE or LAST-MODIFIED is newer than what the page holds, so
running an import twice changes nothing.
"""

import time as clock
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html import escape
from math import prod
from zoneinfo import ZoneInfo, available_timezones

import icalendar
from dateutil import rrule
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug

from .conf import default_tzid, import_max_events, import_max_text_length, max_count, max_interval, occurrence_window
from .enums import EventStatus, Frequency, Ordinal
from .models import EventExcludedDate, EventExtraDate, EventOccurrenceException, EventPage
from .recurrence import Schedule

FREQUENCIES = {
    "DAILY": Frequency.DAILY,
    "WEEKLY": Frequency.WEEKLY,
    "MONTHLY": Frequency.MONTHLY,
    "YEARLY": Frequency.YEARLY,
}
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
ALLOWED_ORDINALS = {ordinal.value for ordinal in Ordinal}
# dateutil looks for a rule's next date period by period up to the year 9999: a rule by the hour (or finer) that
# has no date takes minutes. Learning offers repeat daily at most.
TOO_FREQUENT = {"SECONDLY", "MINUTELY", "HOURLY"}
# Parts that easily make a rule without dates (BYYEARDAY=366 in a rule of January) and that no learning calendar
# needs: such a rule is refused rather than searched for.
UNSEARCHABLE_PARTS = {"BYYEARDAY", "BYWEEKNO"}
# How long one import may spend searching the dates of the rules the form cannot hold, in all; the checks above
# leave only rare rules without dates, which take dateutil up to seconds each.
EXPANSION_SECONDS = 5.0
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# What the form's rules express; other parts make the import keep a series' dates instead (see _explicit_dates).
SUPPORTED_RRULE_PARTS = {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "COUNT", "WKST", "BYMONTHDAY", "BYMONTH", "BYSETPOS"}
TEXT_PROPERTIES = ("SUMMARY", "DESCRIPTION", "LOCATION")
DATE_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")
MAX_SEQUENCE = 2**31 - 1  # the largest integer every database stores in EventPage.sequence
MAX_UID_LENGTH = EventPage._meta.get_field("source_uid").max_length
# Errors any malformed value can raise while icalendar or this module reads it.
VALUE_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, icalendar.InvalidCalendar)


class ComponentError(ValueError):
    def __init__(self, uid: str, reason: str):
        self.key = uid  # the UID as the calendar gives it; ``uid`` is how the report shows it
        uid = uid.replace("\x00", "\\0")
        uid = uid if len(uid) <= 100 else f"{uid[:100]}…"  # a name for the report, not the whole value
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
    notices: list[str] = field(default_factory=list)  # what the import changed, e.g. a rule kept as dates


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Changed in the calendar, but the event has an editor's change waiting for approval (``publishable_content``).
    waiting: list[str] = field(default_factory=list)
    failed: list["ComponentError"] = field(default_factory=list)  # only with ``skip_invalid``
    seen: set[str] = field(default_factory=set)  # every UID the calendar names, valid or not
    notices: list[str] = field(default_factory=list)


class ImportFailed(Exception):
    """The calendar holds invalid components; nothing was imported."""

    def __init__(self, errors: list[ComponentError]):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


class CalendarRefused(ValueError):
    """The calendar as a whole cannot be imported (not iCalendar, too many events…); nothing was imported."""


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


def _check_limits(component, uid: str) -> None:
    """Refuse what no page should hold: NUL characters, over-long texts, unknown time zones."""
    if b"\x00" in component.to_ical():
        raise ComponentError(uid, _("the event contains a NUL character"))
    if len(uid) > MAX_UID_LENGTH:
        raise ComponentError(uid, _("the UID is longer than %(limit)s characters") % {"limit": MAX_UID_LENGTH})
    limit = import_max_text_length()
    for name in TEXT_PROPERTIES:
        if len(_text(component, name)) > limit:
            raise ComponentError(
                uid, _("%(name)s is longer than %(limit)s characters") % {"name": name, "limit": limit}
            )
    for name in DATE_PROPERTIES:
        values = component.get(name)
        for value in values if isinstance(values, list) else [values]:
            tzid = getattr(value, "params", {}).get("TZID")
            times = [item.dt for item in value.dts] if hasattr(value, "dts") else [getattr(value, "dt", None)]
            # icalendar reads a TZID it knows neither from the tz database nor from a VTIMEZONE as floating time.
            if tzid and any(isinstance(moment, datetime) and moment.tzinfo is None for moment in times):
                raise ComponentError(
                    uid, _("unknown time zone TZID=%(tzid)s in %(name)s") % {"tzid": tzid, "name": name}
                )


def _sequence(component, uid: str) -> int:
    try:
        sequence = int(component.get("SEQUENCE", 0))
    except (TypeError, ValueError) as exc:
        raise ComponentError(uid, _("SEQUENCE is not a number")) from exc
    if not 0 <= sequence <= MAX_SEQUENCE:
        raise ComponentError(uid, _("SEQUENCE is not between 0 and %(limit)s") % {"limit": MAX_SEQUENCE})
    return sequence


class Inexpressible(ValueError):
    """A valid RRULE that no rule of the event form can express; the import keeps its dates instead."""


def _by_position(rule, uid: str) -> tuple[list[int], list[int]]:
    """(weekdays, ordinals) of a monthly or yearly BYDAY such as ``1WE,3WE`` or ``-1FR``, or of a single weekday
    with BYSETPOS (``BYDAY=WE;BYSETPOS=1`` is the first Wednesday).

    Raises ``Inexpressible`` unless the rule takes every ordinal for every weekday, as the form's two lists do.
    """
    pairs = set()
    for value in rule["BYDAY"]:
        code = str(value).upper()
        ordinal, day = code[:-2], code[-2:]
        if day not in WEEKDAY_CODES:
            raise ComponentError(
                uid, _("unknown weekday in BYDAY=%(days)s") % {"days": ",".join(map(str, rule["BYDAY"]))}
            )
        pairs.add((int(ordinal.lstrip("+")) if ordinal else None, WEEKDAY_CODES.index(day)))
    positions = [int(position) for position in rule.get("BYSETPOS", [])]
    if positions:
        if any(ordinal is not None for ordinal, _day in pairs) or len(pairs) != 1:
            raise Inexpressible("BYSETPOS with several weekdays")
        day = next(iter(pairs))[1]
        pairs = {(position, day) for position in positions}
    if any(ordinal is None for ordinal, _day in pairs):
        raise Inexpressible("every given weekday of the month")
    ordinals = sorted({ordinal for ordinal, _day in pairs}, key=lambda ordinal: (ordinal < 0, ordinal))
    weekdays = sorted({day for _ordinal, day in pairs})
    if any(ordinal not in ALLOWED_ORDINALS for ordinal in ordinals):
        raise Inexpressible("a weekday other than the first to fourth or the last of the month")
    if len(pairs) != len(ordinals) * len(weekdays):
        raise Inexpressible("different positions for different weekdays")
    return weekdays, ordinals


def _parse_rule(component, uid: str, zone: ZoneInfo, local_start: datetime) -> dict:
    """The page's rule fields for the component's RRULE.

    Raises ``ComponentError`` for a rule that is invalid, and ``Inexpressible`` for a valid one the form cannot
    hold (``_explicit_dates`` then keeps its dates).
    """
    rules = component.rrules
    if not rules:
        return {}
    for recur in rules:
        name = str(recur["FREQ"][0]).upper() if recur.get("FREQ") else ""
        if name in TOO_FREQUENT:
            raise ComponentError(uid, _("FREQ=%(freq)s repeats more often than daily") % {"freq": name})
        unsearchable = sorted(UNSEARCHABLE_PARTS & set(recur))
        if unsearchable:
            raise ComponentError(uid, _("RRULE parts %(parts)s are not supported") % {"parts": ", ".join(unsearchable)})
        months = [int(month) for month in recur.get("BYMONTH", [])] or range(1, 13)
        days = [int(day) for day in recur.get("BYMONTHDAY", [])]
        if days and not any(abs(day) <= DAYS_IN_MONTH[month - 1] for month in months for day in days):
            raise ComponentError(uid, _("the RRULE has no dates (BYMONTHDAY is not a day of BYMONTH)"))
        positions = [abs(int(position)) for position in recur.get("BYSETPOS", [])]
        if positions and max(positions) > _most_dates_per_period(recur, name):
            raise ComponentError(uid, _("the RRULE has no dates (BYSETPOS beyond the dates of one period)"))
    if len(rules) > 1:
        raise Inexpressible("more than one RRULE")
    rule = rules[0]
    if rule.get("COUNT") and rule.get("UNTIL"):
        raise ComponentError(uid, _("RRULE has both COUNT and UNTIL"))
    name = str(rule["FREQ"][0]).upper() if rule.get("FREQ") else ""
    frequency = FREQUENCIES.get(name)
    if frequency is None:
        raise Inexpressible(f"FREQ={name}")
    unsupported = sorted(set(rule) - SUPPORTED_RRULE_PARTS)
    if unsupported:
        raise Inexpressible(f"RRULE part {', '.join(unsupported)}")
    # INTERVAL and COUNT are bounded by the page's validators (events.conf), checked before anything is written.
    fields = {"frequency": frequency, "interval": int(rule.get("INTERVAL", [1])[0])}
    months = [int(month) for month in rule.get("BYMONTH", [])]
    month_days = sorted({int(day) for day in rule.get("BYMONTHDAY", [])})
    if rule.get("BYSETPOS") and not (rule.get("BYDAY") and frequency in (Frequency.MONTHLY, Frequency.YEARLY)):
        raise Inexpressible("BYSETPOS without BYDAY")
    if frequency in (Frequency.DAILY, Frequency.WEEKLY) and (months or month_days):
        raise Inexpressible("BYMONTH or BYMONTHDAY in a daily or weekly rule")
    if frequency == Frequency.DAILY and rule.get("BYDAY"):
        raise Inexpressible("BYDAY in a daily rule")
    if frequency == Frequency.WEEKLY and rule.get("BYDAY"):
        codes = [str(day).upper() for day in rule["BYDAY"]]
        if any(code not in WEEKDAY_CODES for code in codes):
            raise ComponentError(uid, _("unsupported BYDAY=%(days)s") % {"days": ",".join(codes)})
        fields["weekdays"] = sorted(WEEKDAY_CODES.index(code) for code in codes)
        if local_start.weekday() not in fields["weekdays"]:
            raise Inexpressible("DTSTART is not on one of the BYDAY weekdays")
    if frequency == Frequency.MONTHLY:
        if months:
            raise Inexpressible("BYMONTH in a monthly rule")
        if rule.get("BYDAY") and month_days:
            raise Inexpressible("both BYDAY and BYMONTHDAY")
        if rule.get("BYDAY"):
            fields["weekdays"], fields["ordinals"] = _by_position(rule, uid)
        elif month_days:
            if any(not 1 <= day <= 31 for day in month_days):
                raise Inexpressible("days counted from the end of the month")
            if month_days != [local_start.day]:
                fields["month_days"] = month_days
    if frequency == Frequency.YEARLY:
        if months and months != [local_start.month]:
            raise Inexpressible("BYMONTH other than the month of DTSTART")
        if rule.get("BYDAY"):
            if not months or month_days:
                raise Inexpressible("BYDAY without the month, or with BYMONTHDAY")
            fields["weekdays"], fields["ordinals"] = _by_position(rule, uid)
        elif month_days and month_days != [local_start.day]:
            raise Inexpressible("BYMONTHDAY other than the day of DTSTART")
    if rule.get("COUNT"):
        fields["count"] = int(rule["COUNT"][0])
    if rule.get("UNTIL"):
        until = _local(rule["UNTIL"][0], zone, not isinstance(rule["UNTIL"][0], datetime))
        # The page keeps the last possible date: drop a day when UNTIL falls before that day's start time.
        fields["until"] = until.date() if until.time() >= local_start.time() else until.date() - timedelta(days=1)
    if fields.get("ordinals"):
        schedule = Schedule(
            tzid=str(zone),
            start=local_start,
            frequency=frequency,
            interval=max(1, min(fields["interval"], max_interval())),
            weekdays=tuple(fields["weekdays"]),
            ordinals=tuple(fields["ordinals"]),
        )
        if schedule.rule().after(local_start, inc=True) != local_start:
            raise Inexpressible("DTSTART is not one of the rule's dates")
    return fields


def _most_dates_per_period(rule, name: str) -> int:
    """At most how many dates one period (day, week, month, year) of ``rule`` has, before BYSETPOS picks from them.

    An upper bound: a BYSETPOS beyond it picks nothing, and dateutil would search up to the year 9999 for a date.
    """
    times = prod(len(rule.get(part, [])) or 1 for part in ("BYHOUR", "BYMINUTE", "BYSECOND"))
    weekdays = [str(day) for day in rule.get("BYDAY", [])]
    month_days = len(rule.get("BYMONTHDAY", []))
    months = len(rule.get("BYMONTH", []))
    if name == "DAILY":
        days = 1
    elif name == "WEEKLY":
        days = len(weekdays) or 1
    elif name == "MONTHLY":
        days = month_days or sum(1 if day[:-2] else 5 for day in weekdays) or 1
    else:  # YEARLY
        per_month = month_days or sum(1 if day[:-2] else 5 for day in weekdays) or 1
        days = (
            per_month * (months or 12)
            if (month_days or months)
            else (sum(1 if day[:-2] else 53 for day in weekdays) or 1)
        )
    return days * times


def _explicit_dates(component, zone: ZoneInfo, local_start: datetime, all_day: bool) -> tuple[list, date | None]:
    """The starts of the component's rules (RRULEs, RDATE excluded) as local times, as RFC 5545 expands them.

    Bounded: from DTSTART up to the rule's own end and the end of the occurrence index, at most
    ``conf.max_count()`` dates. Also the last day kept when dates beyond it were left out, else ``None``.
    """
    horizon = datetime.combine(occurrence_window()[1], time.max)
    rule_set = rrule.rruleset(cache=False)
    for recur in component.rrules:
        text = recur.to_ical().decode()
        parts = [part for part in text.split(";") if not part.upper().startswith("UNTIL=")]
        if recur.get("UNTIL"):
            until = _local(recur["UNTIL"][0], zone, all_day)
            parts.append(f"UNTIL={until.strftime('%Y%m%dT%H%M%S')}")
        rule_set.rrule(rrule.rrulestr(";".join(parts), dtstart=local_start, cache=False))
    limit = max_count()
    starts, cut = [], None
    for start in rule_set:  # in order; stops at the horizon or one date past the limit
        if start > horizon or len(starts) == limit:
            cut = starts[-1].date() if starts else local_start.date()
            break
        starts.append(start)
    return [start for start in starts if start != local_start], cut


def parse_master(component, deadline: float | None = None) -> ParsedEvent:
    """The event of a series or one-off VEVENT; a rule no form holds is expanded into dates only before
    ``deadline`` (a ``time.monotonic()`` value), else the component is refused."""
    uid = _text(component, "UID")
    if not uid:
        raise ComponentError(_("(no UID)"), _("the event has no UID"))
    _check_limits(component, uid)
    if component.get("DTSTART") is None:
        raise ComponentError(uid, _("the event has no DTSTART"))
    title = _text(component, "SUMMARY")
    if not title:
        raise ComponentError(uid, _("the event has no SUMMARY"))
    try:
        start = component.start
        end = component.end if ("DTEND" in component or "DURATION" in component) else None
    except (ValueError, icalendar.InvalidCalendar) as exc:
        raise ComponentError(uid, _("invalid DTSTART, DTEND or DURATION (%(error)s)") % {"error": exc}) from exc
    all_day = not isinstance(start, datetime)
    if all_day:
        tzid, local_start = default_tzid(), datetime.combine(start, time.min)
    else:
        tzid, local_start = _zone_and_local(start, uid)
    zone = ZoneInfo(tzid)
    local_end = _local(end, zone, all_day) if end is not None else None
    if local_end is not None and local_end < local_start:
        raise ComponentError(uid, _("the event ends before it starts"))
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
        "ordinals": [],
        "month_days": [],
        "until": None,
        "count": None,
    }
    if all_day:
        last_day = (local_end - timedelta(days=1)).date() if local_end and local_end > local_start else None
        fields["end_date"] = last_day if last_day and last_day > local_start.date() else None
    elif local_end is not None and local_end > local_start:
        fields["end_time"] = local_end.time()
        fields["end_date"] = local_end.date() if local_end.date() != local_start.date() else None
    notices = []
    explicit = []
    try:
        fields.update(_parse_rule(component, uid, zone, local_start))
    except Inexpressible as reason:
        if deadline is not None and clock.monotonic() > deadline:
            raise ComponentError(
                uid,
                _("its repetition (%(reason)s) was left out: the calendar's rules took too long") % {"reason": reason},
            ) from None
        explicit, cut = _explicit_dates(component, zone, local_start, all_day)
        notice = _("%(uid)s: the repetition (%(reason)s) cannot be entered as a rule; imported as %(count)s dates") % {
            "uid": uid,
            "reason": reason,
            "count": len(explicit) + 1,
        }
        if cut is not None:
            notice += _(", up to %(date)s") % {"date": cut.isoformat()}
        notices.append(notice)
    sequence = _sequence(component, uid)
    last_modified = component.last_modified
    parsed = ParsedEvent(uid=uid, fields=fields, sequence=sequence, last_modified=last_modified, notices=notices)
    for extra in explicit:
        parsed.extra_dates.append((extra.date(), None if all_day else extra.time()))
    parsed.excluded = sorted({_local(value, zone, all_day).date() for value in component.exdates})
    for value, _end in component.rdates:
        extra = _local(value, zone, all_day)
        if extra != local_start:  # DTSTART given again as an RDATE (this portal's feed does) is one date
            parsed.extra_dates.append((extra.date(), None if all_day else extra.time()))
    for name, rows in (("EXDATE", parsed.excluded), ("RDATE", parsed.extra_dates)):
        if len(rows) > max_count():
            raise ComponentError(uid, _("more than %(limit)s %(name)s dates") % {"limit": max_count(), "name": name})
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
    """Every VEVENT with its overrides.

    Raises ``CalendarRefused`` when the calendar as a whole cannot be read, ``ImportFailed`` listing every bad
    component otherwise.
    """
    parsed, errors = _parse_components(data)
    if errors:
        raise ImportFailed(errors)
    return parsed


def _parse_master_into(component, masters: dict[str, ParsedEvent], errors: list[ComponentError], deadline) -> None:
    """Parse a series or one-off event into ``masters`` by UID, or report why it cannot be into ``errors``."""
    try:
        parsed = parse_master(component, deadline)
    except ComponentError as error:
        errors.append(error)
        return
    except VALUE_ERRORS as exc:
        errors.append(ComponentError(_text(component, "UID"), _("invalid value (%(error)s)") % {"error": exc}))
        return
    if parsed.uid in masters:
        errors.append(ComponentError(parsed.uid, _("the UID occurs twice")))
    masters[parsed.uid] = parsed


def _parse_components(data: bytes) -> tuple[list[ParsedEvent], list[ComponentError]]:
    """The events that could be parsed, and an error for every component that could not."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except VALUE_ERRORS as exc:
        raise CalendarRefused(_("Not an iCalendar file (%(error)s).") % {"error": exc}) from exc
    if isinstance(calendar, list):  # several VCALENDARs in one file
        raise CalendarRefused(_("The file holds more than one calendar."))
    components = calendar.walk("VEVENT")
    if len(components) > import_max_events():
        raise CalendarRefused(
            _(
                "The calendar has %(count)s events (VEVENTs, changed dates included); "
                "at most %(limit)s can be imported at once."
            )
            % {"count": len(components), "limit": import_max_events()}
        )
    errors: list[ComponentError] = []
    masters: dict[str, ParsedEvent] = {}
    overrides = []
    deadline = clock.monotonic() + EXPANSION_SECONDS  # for the rules no form holds, all of them together
    for component in components:
        if "RECURRENCE-ID" in component:
            overrides.append(component)
        else:
            _parse_master_into(component, masters, errors, deadline)
    for component in overrides:
        uid = _text(component, "UID") or _("(no UID)")
        parsed = masters.get(uid)
        if parsed is None:
            if not any(error.key == uid for error in errors):
                errors.append(ComponentError(uid, _("a RECURRENCE-ID without its series")))
            continue
        try:
            _check_limits(component, uid)
            parsed.exceptions.append(parse_override(component, parsed))
            last_modified = component.last_modified
            if last_modified and (parsed.last_modified is None or last_modified > parsed.last_modified):
                parsed.last_modified = last_modified
            parsed.sequence = max(parsed.sequence, _sequence(component, uid))
        except ComponentError as error:
            errors.append(error)
        except VALUE_ERRORS as exc:
            errors.append(ComponentError(uid, _("invalid RECURRENCE-ID override (%(error)s)") % {"error": exc}))
    for parsed in masters.values():
        if len(parsed.exceptions) > max_count():
            errors.append(
                ComponentError(parsed.uid, _("more than %(limit)s RECURRENCE-ID overrides") % {"limit": max_count()})
            )
    if b"\x00" in data and not errors:
        raise CalendarRefused(_("The file contains a NUL character."))
    failed = {error.key for error in errors}
    return [parsed for uid, parsed in masters.items() if uid not in failed], errors


def publishable_content(page: EventPage) -> EventPage | None:
    """The content of ``page`` an import may change and publish, or ``None`` when it must wait.

    An import publishes: it must never publish what an editor saved without the right to publish (a partner
    editor's draft waiting for the municipality's approval). So it starts from the live content of a live page,
    and of a page not live from its latest revision only when an import or someone who may publish the page wrote
    it; else the page waits for its editor's submission to be decided.
    """
    if page.live and page.live_revision_id:
        return page.live_revision.as_object()
    revision = page.get_latest_revision()
    if revision is None:
        return page
    if revision.user is None or page.permissions_for_user(revision.user).can_publish():
        return revision.as_object()
    return None


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


def _validation_errors(uid: str, instance, exclude: list[str]) -> list[ComponentError]:
    """``instance.full_clean()`` as component errors naming the field (``NON_FIELD_ERRORS`` unnamed)."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        return [
            ComponentError(uid, message if name == NON_FIELD_ERRORS else f"{name}: {message}")
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def validate(page: EventPage, uid: str) -> list[ComponentError]:
    """What is wrong with ``page`` and its schedule rows, as the admin would tell an editor."""
    errors = _validation_errors(uid, page, ["path", "depth", "slug", "content_type"])
    for relation in ("extra_dates", "excluded_dates", "occurrence_exceptions"):
        for row in getattr(page, relation).all():
            errors += _validation_errors(uid, row, ["page", "sort_order"])
    return errors


@transaction.atomic
def import_calendar(
    data: bytes,
    organiser,
    parent,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    under_parent_only: bool = False,
) -> ImportReport:
    """Create or update the events of a calendar under ``parent``; all or nothing unless ``skip_invalid``.

    Raises ``CalendarRefused`` or ``ImportFailed`` (every invalid component with its reason) before anything is
    written; a write that still fails rolls everything back and raises ``ImportFailed`` naming the component.

    Args:
        dry_run: check everything and report what would change; write nothing.
        skip_invalid: import the valid components and report the others in ``report.failed`` (what a calendar
            subscription does: one bad event does not hold back the rest); each write has its own savepoint.
        under_parent_only: match UIDs only among the events under ``parent`` (a subscription never touches
            another partner's events).
    """
    report = ImportReport()
    parsed_events, errors = _parse_components(data)
    report.seen = {parsed.uid for parsed in parsed_events} | {error.key for error in errors}
    candidates = EventPage.objects.filter(
        source_uid__in=[parsed.uid for parsed in parsed_events], locale_id=parent.locale_id
    )
    if under_parent_only:
        candidates = candidates.descendant_of(parent)
    existing = {page.source_uid: page for page in candidates}
    planned: list[tuple[ParsedEvent, EventPage, bool]] = []  # (component, page, is new)
    for parsed in parsed_events:
        page = existing.get(parsed.uid)
        if page is not None and not _is_newer(parsed, page):
            report.unchanged.append(parsed.uid)
            continue
        is_new = page is None
        if not is_new:
            page = publishable_content(page)
            if page is None:
                report.waiting.append(parsed.uid)
                continue
        else:
            page = EventPage(live=False, locale_id=parent.locale_id)
        _apply(page, parsed, organiser)
        page_errors = validate(page, parsed.uid)
        if page_errors:
            errors += page_errors
            continue
        planned.append((parsed, page, is_new))
    if errors and not skip_invalid:
        raise ImportFailed(errors)
    report.failed = errors
    if dry_run:
        for parsed, _page, is_new in planned:
            (report.created if is_new else report.updated).append(parsed.uid)
        return report
    for parsed, page, is_new in planned:
        try:
            with transaction.atomic():
                if is_new:
                    page.slug = find_available_slug(parent, slugify(page.title)[:80] or "event")
                    parent.add_child(instance=page)
                page.save_revision().publish()
        except (DatabaseError, ValidationError) as exc:
            error = ComponentError(parsed.uid, _("cannot be saved (%(error)s)") % {"error": exc})
            if not skip_invalid:
                raise ImportFailed([error]) from exc
            report.failed.append(error)
            continue
        (report.created if is_new else report.updated).append(parsed.uid)
        report.notices += parsed.notices
    return report
