"""schema.org Event JSON-LD for event pages: what search engines and calendars read."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from partners.structured_data import postal_address

from .enums import AttendanceMode, CourseLevel, EventStatus, Frequency, RegistrationStatus
from .recurrence import Schedule
from .schedule_text import describe

SCHEMA = "https://schema.org/"
EVENT_STATUSES = {
    EventStatus.SCHEDULED: "EventScheduled",
    EventStatus.CANCELLED: "EventCancelled",
    EventStatus.POSTPONED: "EventPostponed",
    EventStatus.RESCHEDULED: "EventRescheduled",
    EventStatus.MOVED_ONLINE: "EventMovedOnline",
}
ATTENDANCE_MODES = {
    AttendanceMode.OFFLINE: "OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "OnlineEventAttendanceMode",
    AttendanceMode.MIXED: "MixedEventAttendanceMode",
}
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FREQUENCY_UNITS = {Frequency.DAILY: "D", Frequency.WEEKLY: "W", Frequency.MONTHLY: "M", Frequency.YEARLY: "Y"}
COURSE_MODES = {AttendanceMode.OFFLINE: "Onsite", AttendanceMode.ONLINE: "Online", AttendanceMode.MIXED: "Blended"}
CEFR_LEVELS = {CourseLevel.A1, CourseLevel.A2, CourseLevel.B1, CourseLevel.B2, CourseLevel.C1, CourseLevel.C2}
AVAILABILITY = {
    RegistrationStatus.OPEN: "InStock",
    RegistrationStatus.WAITING_LIST: "LimitedAvailability",
    RegistrationStatus.FULL: "SoldOut",
}


def _local(page, moment: datetime) -> str:
    return moment.replace(tzinfo=page.zone).isoformat()


def _dates(page) -> dict:
    """startDate and endDate of the event (of its first date for a series), local with their UTC offset."""
    if page.all_day:
        return {"startDate": page.start_date.isoformat(), "endDate": (page.end_date or page.start_date).isoformat()}
    dates = {"startDate": _local(page, page.local_start)}
    if page.local_end is not None:
        dates["endDate"] = _local(page, page.local_end)
    return dates


def except_dates(page, schedule: Schedule | None = None) -> list[str]:
    """The dates a series skips: its excluded days (holidays) and its cancelled dates, as ISO dates.

    ``schedule``: the page's, when the caller has read it already."""
    schedule = schedule or page.schedule()
    rule = schedule.rule()
    days = set()
    for first, last in schedule.excluded:
        after = datetime.combine(first, time.min)
        before = datetime.combine(last + timedelta(days=1), time.min) - timedelta(microseconds=1)
        starts = rule.between(after, before, inc=True) if rule is not None else []
        days.update(start.date() for start in starts)
    for original, override in schedule.overrides.items():
        if override.status == EventStatus.CANCELLED:
            days.add(original.date())
    return [day.isoformat() for day in sorted(days)]


def event_schedule(page, rules: Schedule | None = None) -> dict | None:
    """A schema.org Schedule for a repeating event, else ``None``; ``rules``: the page's schedule, when the caller
    has read it already."""
    if not page.frequency:
        return None
    schedule = {
        "@type": "Schedule",
        "repeatFrequency": f"P{page.interval or 1}{FREQUENCY_UNITS[page.frequency]}",
        "startDate": page.start_date.isoformat(),
        "scheduleTimezone": page.tzid,
    }
    by_position = page.frequency in (Frequency.MONTHLY, Frequency.YEARLY) and page.weekdays and page.ordinals
    if page.frequency == Frequency.WEEKLY or by_position:
        weekdays = sorted(page.weekdays) or [page.start_date.weekday()]
        schedule["byDay"] = [SCHEMA + DAY_NAMES[day] for day in weekdays]
    if by_position:
        schedule["byMonthWeek"] = list(page.ordinals)
    elif page.frequency == Frequency.MONTHLY and len(page.month_days) > 1:
        schedule["byMonthDay"] = list(page.month_days)
    elif page.frequency in (Frequency.MONTHLY, Frequency.YEARLY):
        schedule["byMonthDay"] = page.start_date.day
    if page.frequency == Frequency.YEARLY:
        schedule["byMonth"] = page.start_date.month
    if not page.all_day and page.start_time:
        schedule["startTime"] = page.start_time.isoformat()
        if page.end_time:
            schedule["endTime"] = page.end_time.isoformat()
    if page.until:
        schedule["endDate"] = page.until.isoformat()
    if page.count:
        schedule["repeatCount"] = page.count
    rules = rules or page.schedule()
    excepted = except_dates(page, rules)
    if excepted:
        schedule["exceptDate"] = excepted
    schedule["description"] = describe(rules, full=True)
    return schedule


def _geo(place) -> dict | None:
    if not place.has_coordinates:
        return None
    return {"@type": "GeoCoordinates", "latitude": float(place.latitude), "longitude": float(place.longitude)}


def location(page, venue=None, request=None):
    """A Place with address and geo, a VirtualLocation, or both for an event on site and online."""
    locations = []
    online = page.attendance_mode != AttendanceMode.OFFLINE or page.status == EventStatus.MOVED_ONLINE
    if page.attendance_mode != AttendanceMode.ONLINE:
        place = venue or page
        data = {"@type": "Place", "name": venue.title if venue else (page.venue_name or page.town)}
        if venue is not None:
            data["url"] = venue.get_full_url(request)
        address = postal_address(place)
        if address:
            data["address"] = address
        geo = _geo(place)
        if geo:
            data["geo"] = geo
        if address or geo or page.venue_name or venue:
            locations.append(data)
    if online and page.online_url:
        locations.append({"@type": "VirtualLocation", "url": page.online_url})
    if not locations:
        return None
    return locations[0] if len(locations) == 1 else locations


def offers(page, request=None) -> dict:
    offer = {
        "@type": "Offer",
        "price": 0 if page.is_free else float(page.price or 0),
        "priceCurrency": page.currency,
        "availability": SCHEMA + AVAILABILITY.get(page.registration_status, "InStock"),
        "url": page.registration_url or page.get_full_url(request),
    }
    if page.price_note:
        offer["description"] = page.price_note
    return offer


def date_properties(page, occurrence, offer: dict) -> dict:
    """One date of an event (an ``Occurrence``): its dates, status, the start it was moved from
    (``previousStartDate``), its places (``maximumAttendeeCapacity``, ``remainingAttendeeCapacity``) and its offer's
    availability."""
    zone = page.zone
    start, end = timezone.localtime(occurrence.start, zone), timezone.localtime(occurrence.end, zone)
    original = datetime.fromisoformat(occurrence.recurrence_id)
    if occurrence.all_day:
        data = {"startDate": start.date().isoformat(), "endDate": (end - timedelta(days=1)).date().isoformat()}
        moved = start.date() != original.date()
        previous = original.date().isoformat()
    else:
        data = {"startDate": start.isoformat()}
        if occurrence.has_end:
            data["endDate"] = end.isoformat()
        moved = start.replace(tzinfo=None) != original
        previous = original.replace(tzinfo=zone).isoformat()
    status = occurrence.status
    if moved and status == EventStatus.SCHEDULED:
        status = EventStatus.RESCHEDULED
    data["eventStatus"] = SCHEMA + EVENT_STATUSES.get(status, "EventScheduled")
    if moved:
        data["previousStartDate"] = previous
    full = occurrence.is_full or page.registration_status == RegistrationStatus.FULL
    if occurrence.capacity is not None:
        data["maximumAttendeeCapacity"] = occurrence.capacity
    if full:
        data["remainingAttendeeCapacity"] = 0
    elif occurrence.places_left is not None:
        data["remainingAttendeeCapacity"] = occurrence.places_left
    availability = "SoldOut" if full else AVAILABILITY.get(page.registration_status, "InStock")
    data["offers"] = {**offer, "availability": SCHEMA + availability}
    return data


def sub_events(page, occurrences, place, offer: dict) -> list[dict]:
    """The next dates of an event as schema.org Events of their own, each with its status and places."""
    events = []
    for occurrence in occurrences:
        data = {"@type": "Event", "name": page.title, **date_properties(page, occurrence, offer)}
        if place:
            data["location"] = place
        events.append(data)
    return events


def course(
    page, request=None, *, occurrences=(), venue=None, organisers=(), languages=(), schedule=None
) -> dict | None:
    """A learning offer as a schema.org Course, each next date a ``CourseInstance``; ``None`` for other events.
    ``schedule``: the series' ``event_schedule``, when the caller has it.

    The instances carry the course's mode (``Onsite``, ``Online``, ``Blended``), its schedule for a series, and
    each date's status and places. Without upcoming dates, one instance describes the event's first date.
    """
    if not page.is_course:
        return None
    url = page.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": page.title,
        "description": page.summary,
        "url": url,
    }
    if organisers:
        first = organisers[0]
        data["provider"] = {"@type": "Organization", "name": first.title, "url": first.get_full_url(request)}
    if page.course_level:
        level = CourseLevel(page.course_level)
        data["educationalLevel"] = level.value if level in CEFR_LEVELS else str(level.label)
    if page.prerequisites:
        data["coursePrerequisites"] = page.prerequisites
    if page.certificate:
        data["educationalCredentialAwarded"] = page.certificate
    if page.total_hours:
        data["timeRequired"] = f"PT{page.total_hours.normalize():f}H"
    codes = [language.code for language in languages]
    if codes:
        data["inLanguage"] = codes[0] if len(codes) == 1 else codes
    data["offers"] = offers(page, request)
    if page.funding:
        data["offers"]["eligibleCustomerType"] = str(page.get_funding_display())
    place = location(page, venue, request)
    schedule = dict(schedule or event_schedule(page) or {})
    if schedule and page.session_count and not page.count and not page.until:
        schedule["repeatCount"] = page.session_count
    if schedule and page.local_end is not None and not page.all_day:
        minutes = int((page.local_end - page.local_start).total_seconds() // 60)
        schedule["duration"] = f"PT{minutes}M"
    base = {"@type": "CourseInstance", "name": page.title, "courseMode": COURSE_MODES.get(page.attendance_mode)}
    if place:
        base["location"] = place
    if schedule:
        base["courseSchedule"] = schedule
    if page.total_hours:
        base["courseWorkload"] = f"PT{page.total_hours.normalize():f}H"
    instances = [{**base, **date_properties(page, occurrence, data["offers"])} for occurrence in occurrences]
    data["hasCourseInstance"] = instances or [{**base, **_dates(page)}]
    return data


def age_range(page) -> str | None:
    """``"6-12"``, ``"12-"`` (12 and older) or ``"0-6"``; ``None`` when every age is welcome."""
    if page.min_age is None and page.max_age is None:
        return None
    return f"{page.min_age or 0}-{'' if page.max_age is None else page.max_age}"


def event(page, request=None, *, venue=None, organisers=(), languages=(), occurrences=(), schedule=None) -> dict:
    """The JSON-LD object of an event page; ``venue`` and ``organisers`` in the page's language, ``schedule`` the
    series' ``event_schedule`` when the caller has it."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "url": page.get_full_url(request),
        "description": page.summary,
        "eventStatus": SCHEMA + EVENT_STATUSES.get(page.status, "EventScheduled"),
        "eventAttendanceMode": SCHEMA + ATTENDANCE_MODES.get(page.attendance_mode, "OfflineEventAttendanceMode"),
        **_dates(page),
        "isAccessibleForFree": page.is_free,
        "offers": offers(page, request),
    }
    place = location(page, venue, request)
    if place:
        data["location"] = place
    if organisers:
        data["organizer"] = [
            {"@type": "Organization", "name": organiser.title, "url": organiser.get_full_url(request)}
            for organiser in organisers
        ]
    ages = age_range(page)
    if ages:
        data["typicalAgeRange"] = ages
    codes = [language.code for language in languages]
    if codes:
        data["inLanguage"] = codes[0] if len(codes) == 1 else codes
    schedule = schedule or event_schedule(page)
    if schedule:
        data["eventSchedule"] = schedule
    dates = sub_events(page, occurrences, place, data["offers"])
    if dates:
        data["subEvent"] = dates
    return data
