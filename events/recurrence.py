"""Expanding an event's schedule into occurrences.

Rules are expanded in the event's *local wall time* (naive datetimes in its time zone) and each occurrence is
converted to UTC on its own, so a weekly class at 19:00 stays at 19:00 local time across daylight-saving
changes. This module knows nothing of pages or the database: ``EventPage.schedule()`` describes an event as a
``Schedule`` and ``expand()`` turns it into ``Instance`` values.

Local times are kept between ``EARLIEST`` and ``LATEST``, far enough from ``datetime``'s limits that adding a
bounded duration or converting to any time zone cannot overflow, whatever a stored row says.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

FREQUENCIES = {"daily": rrule.DAILY, "weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY, "yearly": rrule.YEARLY}
RRULE_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
EARLIEST = datetime(1000, 1, 1)
LATEST = datetime(9000, 1, 1)


def clamp(value: datetime) -> datetime:
    """A naive local time moved into [EARLIEST, LATEST]."""
    return min(max(value, EARLIEST), LATEST)


def shift(value: datetime, delta: timedelta) -> datetime:
    """``value + delta`` clamped into [EARLIEST, LATEST]; never raises ``OverflowError``."""
    try:
        return clamp(value + delta)
    except OverflowError:
        return LATEST if delta > timedelta(0) else EARLIEST


@dataclass(frozen=True)
class Override:
    """What a single-occurrence exception changes; ``None`` or ``""`` keeps the event's value."""

    status: str = ""
    is_full: bool = False
    start: datetime | None = None  # new naive local start
    end: datetime | None = None  # new naive local end (exclusive for all-day events)
    reason: str = ""


@dataclass(frozen=True)
class Schedule:
    """An event's schedule in local wall time.

    ``start`` and ``end`` are naive local datetimes; for all-day events they are midnights and ``end`` is the
    midnight after the last day. ``end`` is ``None`` for an event without an end.
    """

    tzid: str
    start: datetime
    end: datetime | None = None
    all_day: bool = False
    status: str = "scheduled"
    frequency: str = ""
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    # Left out of repr(), which fingerprints a schedule (EventPage.compute_schedule_fingerprint): series without
    # them keep the fingerprint they had before these rules existed.
    ordinals: tuple[int, ...] = field(default=(), repr=False)  # with weekdays (monthly, yearly): 1–4, -1 (last)
    month_days: tuple[int, ...] = field(default=(), repr=False)  # in a monthly series: days of the month, 1–31
    until: date | None = None
    count: int | None = None
    extra: tuple[datetime, ...] = ()
    excluded: tuple[tuple[date, date], ...] = ()  # inclusive ranges of local dates
    overrides: Mapping[datetime, Override] = field(default_factory=dict)

    @property
    def duration(self) -> timedelta | None:
        return None if self.end is None else self.end - self.start

    @property
    def is_recurring(self) -> bool:
        return bool(self.frequency or self.extra)

    @property
    def by_position(self) -> bool:
        """A monthly or yearly series on ordinal weekdays: the first Wednesday, the last Friday."""
        return self.frequency in ("monthly", "yearly") and bool(self.weekdays and self.ordinals)

    def rule(self) -> rrule.rrule | None:
        """The dateutil rule; ``None`` for an event that does not repeat by a rule.

        Weekly series take ``weekdays``; monthly series ``month_days``, or ``weekdays`` at ``ordinals`` (every pair:
        ``BYDAY=1WE,3WE``); yearly series the start date, or ``weekdays`` at ``ordinals`` of the start's month.
        Without these, a series repeats on its start's weekday, day of the month or date, as RFC 5545 says.
        """
        if not self.frequency:
            return None
        until = datetime.combine(self.until, time.max) if self.until else None
        options = {}
        if self.by_position:
            options["byweekday"] = [
                RRULE_WEEKDAYS[day](ordinal) for ordinal in self.ordinals for day in sorted(self.weekdays)
            ]
            if self.frequency == "yearly":
                options["bymonth"] = self.start.month
        elif self.frequency == "monthly" and self.month_days:
            options["bymonthday"] = sorted(self.month_days)
        elif self.weekdays and self.frequency in ("daily", "weekly"):
            options["byweekday"] = [RRULE_WEEKDAYS[day] for day in sorted(self.weekdays)]
        return rrule.rrule(
            FREQUENCIES[self.frequency],
            dtstart=self.start,
            interval=self.interval or 1,
            until=until,
            count=self.count,
            cache=False,
            **options,
        )

    def is_excluded(self, local_start: datetime) -> bool:
        day = local_start.date()
        return any(first <= day <= last for first, last in self.excluded)

    def local_starts(self, after: datetime, before: datetime) -> list[datetime]:
        """Original local starts in [after, before], excluded dates removed, in order."""
        rule_set = rrule.rruleset(cache=False)
        rule = self.rule()
        if rule is not None:
            rule_set.rrule(rule)
        else:
            rule_set.rdate(self.start)
        for extra in self.extra:
            rule_set.rdate(extra)
        return [start for start in rule_set.between(after, before, inc=True) if not self.is_excluded(start)]


@dataclass(frozen=True)
class Instance:
    """One occurrence: UTC start and end (``end == start`` when the event has no end)."""

    recurrence_id: datetime  # the original naive local start, the occurrence's stable key
    start: datetime
    end: datetime
    has_end: bool
    all_day: bool
    status: str
    is_full: bool
    reason: str = ""

    @property
    def recurrence_key(self) -> str:
        return format_recurrence_id(self.recurrence_id, self.all_day)


def format_recurrence_id(local_start: datetime, all_day: bool) -> str:
    """``2026-03-02`` for an all-day occurrence, ``2026-03-02T19:00:00`` otherwise (local time)."""
    return local_start.date().isoformat() if all_day else local_start.strftime("%Y-%m-%dT%H:%M:%S")


def to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A naive local time as UTC; a time in the spring-forward gap moves forward, as RFC 5545 says."""
    return local.replace(tzinfo=zone).astimezone(UTC)


def expand(schedule: Schedule, first_day: date, last_day: date) -> list[Instance]:
    """The occurrences that overlap the local dates [first_day, last_day], in order of their original start."""
    zone = ZoneInfo(schedule.tzid)
    window_start = datetime.combine(first_day, time.min)
    window_end = datetime.combine(last_day + timedelta(days=1), time.min)
    duration = schedule.duration or timedelta(0)
    # An occurrence that started before the window may still run into it; an override may move one anywhere.
    starts = schedule.local_starts(shift(window_start, -duration), window_end)
    instances = []
    for original in starts:
        override = schedule.overrides.get(original, Override())
        local_start = clamp(override.start or original)
        if override.end:
            local_end = clamp(override.end)
        elif schedule.end is not None:
            local_end = shift(local_start, duration)
        else:
            local_end = None
        start = to_utc(local_start, zone)
        end = to_utc(local_end, zone) if local_end is not None else start
        instances.append(
            Instance(
                recurrence_id=original,
                start=start,
                end=max(end, start),
                has_end=local_end is not None,
                all_day=schedule.all_day,
                status=override.status or schedule.status,
                is_full=override.is_full,
                reason=override.reason,
            )
        )
    return instances
