"""The agenda in the headless API: ``/events/`` lists occurrences, filtered by the agenda's FilterSet.

An item is one date of an event: ``id`` is the occurrence's public id (``<event uuid>/<original local start>``),
``start``/``end`` are ISO datetimes with their offset in the site's time zone (``end`` is null when the event
has no end), and ``event`` describes the event in the ``locale`` language (its live translation, else the
source page), with ``url`` the event page in that language, ``id`` the event's uuid and ``schedule_text.short`` a
series' dates in words.

A page of the listing is read with ``values()``, not page instances: building an ``EventPage`` or a ``PartnerPage``
(dozens of fields over two tables, modelcluster's constructor) costs more than the rest of the request. The number
of queries does not depend on the page size nor on the number of events.
"""

import functools
import uuid
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from ninja import Path, Router
from ninja.decorators import decorate_view
from pydantic import ConfigDict, Field
from wagtail.api.v3.errors import problem_response
from wagtail.models import Site

from learningcity.api import (
    ImageOut,
    ResponseSchema,
    TermOut,
    answer,
    error_responses,
    image_out,
    openapi_extra,
    problem_doc,
    read_query,
    rich_text_html,
)
from learningcity.caching import restricted_paths
from learningcity.compat import site_root_paths
from learningcity.response_cache import per_minute
from partners.api import AddressOut, PartnerRef, SDGOut
from partners.models import AccessibilityFacility

from .conf import site_timezone
from .context import ics_url
from .enums import CourseLevel, Frequency, Funding, RegistrationStatus
from .filters import DateWindowFilterSet, EventFilterSet
from .models import EventPage, Occurrence, Theme, note_in
from .recurrence import Schedule
from .schedule_text import describe
from .structured_data import DAY_NAMES, FREQUENCY_UNITS, except_dates
from .summaries import RELATED, EventSummary, summaries_of

router = Router(tags=["events"])


class VenueOut(ResponseSchema):
    id: str | None
    title: str
    url: str | None
    address: AddressOut


class AudienceOut(ResponseSchema):
    min_age: int | None
    max_age: int | None
    groups: list[str]


class CostOut(ResponseSchema):
    free: bool
    price: Decimal | None
    currency: str
    note: str


class RegistrationOut(ResponseSchema):
    required: bool
    url: str
    email: str
    status: str


class CourseBriefOut(ResponseSchema):
    """What residents compare between learning offers; ``null`` for an event that is no course."""

    level: TermOut | None
    session_count: int | None
    total_hours: Decimal | None
    funding: TermOut | None


class ScheduleBriefOut(ResponseSchema):
    """A series' dates in words, in the ``locale`` language, as listings show them."""

    short: str = Field(
        description='The rule, its times, its end and at most two dates without the event, e.g. "Every first '
        'Wednesday of the month, 14:00–16:00, until 24 June 2026 — not on 1 April". Empty for an event that does '
        "not repeat by a rule (each of its dates is an item of its own)."
    )


class EventOut(ResponseSchema):
    model_config = ConfigDict(frozen=True)  # ``listed_event`` gives the same instance to every request

    id: str
    title: str
    url: str | None
    summary: str
    attendance_mode: str
    venue: VenueOut | None
    organisers: list[PartnerRef]
    audience: AudienceOut
    languages: list[str]
    cost: CostOut
    registration: RegistrationOut
    sdg: SDGOut
    course: CourseBriefOut | None
    schedule_text: ScheduleBriefOut


class OccurrenceOut(ResponseSchema):
    id: str
    start: datetime
    end: datetime | None
    all_day: bool
    status: str
    full: bool
    capacity: int | None
    places_left: int | None
    note: str
    locale: str
    event: EventOut


class OccurrenceList(ResponseSchema):
    count: int
    items: list[OccurrenceOut]


# What EventOut shows; "schedule" adds a query for the series' excluded dates when a series is listed.
API_RELATED = ("organisers", "audience_groups", "languages", "sdg", "schedule")
OCCURRENCE_FIELDS = (
    "event_id",
    "event_uuid",
    "recurrence_id",
    "start",
    "end",
    "has_end",
    "all_day",
    "status",
    "is_full",
    "capacity",
    "places_left",
    "note",
    "notes",
)
# The events a process keeps validated as ``EventOut``, per summary and language (``listed_event``); an event's
# course is in its summary (``events.summaries.COURSE_FIELDS``, the source page's, synchronised to translations).
LISTED_EVENTS = 1000


def course_brief(event: EventSummary) -> dict | None:
    """``CourseBriefOut`` of an event's course fields; ``None`` when they make it no course (as
    ``EventPage.is_course``)."""
    if not (event.course_level or event.session_count or event.total_hours or event.certificate):
        return None
    return {
        "level": terms_out(CourseLevel, [event.course_level])[0] if event.course_level else None,
        "session_count": event.session_count,
        "total_hours": event.total_hours,
        "funding": terms_out(Funding, [event.funding])[0] if event.funding else None,
    }


def event_out(event: EventSummary, course: dict | None = None) -> dict:
    """``EventOut`` of an event's summary, with its ``course`` (``CourseBriefOut``)."""
    venue = event.venue
    return {
        "id": str(event.uuid),
        "title": event.title,
        "url": event.url,
        "summary": event.summary,
        "attendance_mode": event.attendance_mode,
        "venue": venue and {"id": venue.id, "title": venue.title, "url": venue.url, "address": venue.address.as_dict()},
        "organisers": [{"id": ref.id, "title": ref.title, "url": ref.url} for ref in event.organisers],
        "audience": {"min_age": event.min_age, "max_age": event.max_age, "groups": event.audience_groups},
        "languages": event.languages,
        "cost": {"free": event.is_free, "price": event.price, "currency": event.currency, "note": event.price_note},
        "registration": {
            "required": event.registration_required,
            "url": event.registration_url,
            "email": event.registration_email,
            "status": event.registration_status,
        },
        "sdg": {"goals": event.sdg_goals, "targets": event.sdg_targets},
        "course": course,
        "schedule_text": {"short": event.schedule_text},
    }


@router.get(
    "/events/",
    response=error_responses(OccurrenceList),
    summary="The agenda: occurrences of events",
    operation_id="events_list",
    openapi_extra=openapi_extra(EventFilterSet),
)
@decorate_view(per_minute)  # "ongoing and upcoming" moves with the clock
def list_events(request):
    """Occurrences ordered by start, then event; without ``from``/``to``/``when``: ongoing and upcoming ones.

    Exactly the agenda's occurrences for the same filters: those of the live, public events of the requested site
    (the host's); cancelled dates only when ``status`` asks for them. ``event.schedule_text.short`` tells a series'
    dates in words, in the ``locale`` language, as the agenda shows them ("Every first Wednesday of the month,
    14:00–16:00"); it is empty for an event that does not repeat by a rule. ``count`` is counted once a minute for
    the same filters (the other pages of the listing read it) and again after any publication.
    """
    site = Site.find_for_request(request)
    query = read_query(request, EventFilterSet, queryset=Occurrence.objects.on_site(site))
    dates = query.filters.qs
    rows = dates.values(*OCCURRENCE_FIELDS)
    count, occurrences = query.page(rows, counted=dates, kept_as=query.count_name("events", site))
    listed = {occurrence["event_id"] for occurrence in occurrences}
    events = summaries_of(listed, query.locale, request, related=API_RELATED)
    zone = site_timezone()
    items = [occurrence_out(row, events[row["event_id"]], zone, query.language) for row in occurrences]
    return answer(OccurrenceList, {"count": count, "items": items})


@functools.lru_cache(maxsize=LISTED_EVENTS)
def listed_event(event: EventSummary, language: str) -> EventOut:
    """``EventOut`` of an event's summary with its course's terms in ``language``, validated once per process.

    A summary is immutable and every request that lists its event gets the same one (``cached_many``), so each
    date of a listing carries the same validated, frozen model instead of a dict that pydantic validates on every
    request: about half of writing a page of twenty dates.
    """
    with translation.override(language):
        return EventOut.model_validate(event_out(event, course_brief(event)))


def occurrence_out(occurrence: dict, event: EventSummary, zone, language: str) -> dict:
    """``OccurrenceOut`` of a date's row (``OCCURRENCE_FIELDS``) and its event's summary."""
    return {
        "id": f"{occurrence['event_uuid']}/{occurrence['recurrence_id']}",
        "start": timezone.localtime(occurrence["start"], zone),
        "end": timezone.localtime(occurrence["end"], zone) if occurrence["has_end"] else None,
        "all_day": occurrence["all_day"],
        "status": occurrence["status"],
        "full": occurrence["is_full"] or event.registration_status == RegistrationStatus.FULL,
        "capacity": occurrence["capacity"],
        "places_left": occurrence["places_left"],
        "note": note_in(occurrence["notes"], occurrence["note"], language),
        "locale": event.language,
        "event": listed_event(event, language),
    }


# One event: ``/events/{uuid}/``.


class RegistrationDetailOut(RegistrationOut):
    capacity: int | None
    full: bool


class CourseOut(CourseBriefOut):
    prerequisites: str
    certificate: str


class RecurrenceOut(ResponseSchema):
    """How a series repeats, as the event page describes it to search engines (a schema.org ``Schedule``)."""

    frequency: str
    interval: int
    repeat_frequency: str
    weekdays: list[str]
    positions: list[int]
    month_day: int | None
    month_days: list[int]
    month: int | None
    start_date: date
    start_time: str | None
    end_time: str | None
    until: date | None
    count: int | None
    timezone: str
    except_dates: list[date]


class ScheduleTextOut(ScheduleBriefOut):
    """The event's dates in words, in the ``locale`` language: ``short`` as listings show it, ``full`` as its page."""

    short: str = Field(
        description='As listings show it; for an event that does not repeat by a rule, its dates ("Wednesday 4 March '
        '2026, 19:00–21:00").'
    )
    full: str = Field(
        description="As the event's page shows it: also the first date, every date and period without the event, "
        "and cancelled, moved and extra dates."
    )


class EventDateOut(ResponseSchema):
    id: str
    start: datetime
    end: datetime | None
    all_day: bool
    status: str
    full: bool
    capacity: int | None
    places_left: int | None
    note: str


class EventDateList(ResponseSchema):
    count: int
    items: list[EventDateOut]


class EventDetailOut(EventOut):
    page_id: int
    locale: str
    body_html: str
    image: ImageOut | None
    themes: list[TermOut]
    accessibility: list[TermOut]
    attendance_mode: str
    online_url: str
    status: str
    status_reason: str
    registration: RegistrationDetailOut
    course: CourseOut  # in full, also for an event that is no course
    ics_url: str | None
    recurrence: RecurrenceOut | None
    schedule_text: ScheduleTextOut
    occurrences: EventDateList


NOT_FOUND_DOC = problem_doc("No live, public event with this id on this site.")
DATE_FIELDS = (
    "event_uuid",
    "recurrence_id",
    "start",
    "end",
    "has_end",
    "all_day",
    "status",
    "is_full",
    "capacity",
    "places_left",
    "note",
    "notes",
)


def event_not_found(language: str):
    with translation.override(language):
        return problem_response(status=404, detail=str(_("There is no event with this id on this site.")))


def shown_event(request, key: str, language: str) -> EventPage | None:
    """The page of the event ``key`` (its uuid, as written in ``id``) in ``language``, else its source page (the one
    its dates come from, made first); ``None`` when ``key`` is no such uuid or that page is not live, public and on
    the request's site.

    In other languages than its own, the source page decides, as in ``/events/``: a private or unpublished event is
    not shown in them through a public translation.
    """
    try:
        event_uuid = uuid.UUID(key)
    except ValueError:
        return None
    site = Site.find_for_request(request)
    if str(event_uuid) != key or site is None:
        return None
    pages = list(EventPage.objects.filter(uuid=event_uuid).select_related("image", "locale").order_by("pk"))
    roots = tuple(root.root_path for root in site_root_paths(request) if root.site_id == site.pk)
    private = tuple(restricted_paths())

    def shown(page):
        return page.live and page.url_path.startswith(roots) and not page.path.startswith(private)

    translated = [page for page in pages if page.locale.language_code == language and shown(page)]
    source = pages[0] if pages and shown(pages[0]) else None
    return translated[0] if translated else source


def terms_out(terms, codes: list[str]) -> list[dict]:
    """``TermOut`` of each code, labelled by ``terms`` (a CodedTerm model or a TextChoices) in the active language."""
    labels = terms.LABELS if hasattr(terms, "LABELS") else dict(terms.choices)
    return [{"code": code, "label": str(labels.get(code, code))} for code in codes]


def recurrence_out(page: EventPage, schedule: Schedule) -> dict | None:
    """The series' rule, with the dates it skips (excluded days and cancelled dates); ``None`` for a one-off.

    ``schedule``: the page's ``schedule()``."""
    if page.frequency not in FREQUENCY_UNITS:
        return None
    weekdays = []
    by_position = page.frequency in (Frequency.MONTHLY, Frequency.YEARLY) and page.weekdays and page.ordinals
    if page.frequency == Frequency.WEEKLY or by_position:
        weekdays = [DAY_NAMES[day].lower() for day in sorted(page.weekdays) or [page.start_date.weekday()]]
    month_days = []
    if page.frequency in (Frequency.MONTHLY, Frequency.YEARLY) and not by_position:
        month_days = list(page.month_days) or [page.start_date.day]
    timed = not page.all_day and page.start_time
    return {
        "frequency": page.frequency,
        "interval": page.interval or 1,
        "repeat_frequency": f"P{page.interval or 1}{FREQUENCY_UNITS[page.frequency]}",
        "weekdays": weekdays,
        "positions": list(page.ordinals) if by_position else [],
        "month_day": month_days[0] if month_days else None,
        "month_days": month_days,
        "month": page.start_date.month if page.frequency == Frequency.YEARLY else None,
        "start_date": page.start_date,
        "start_time": page.start_time.isoformat() if timed else None,
        "end_time": page.end_time.isoformat() if timed and page.end_time else None,
        "until": page.until,
        "count": page.count,
        "timezone": page.tzid,
        "except_dates": except_dates(page, schedule),
    }


def event_dates(query, page: EventPage, full: bool) -> dict:
    """The event's dates in the window ``query`` asks for (``from``/``to``, else ongoing and upcoming), paged, with
    their notes in the ``locale`` language (else the source page's)."""
    dates = query.filters.qs.filter(event_key=page.translation_key).values(*DATE_FIELDS)
    count, rows = query.page(dates)
    zone = site_timezone()
    return {
        "count": count,
        "items": [
            {
                "id": f"{row['event_uuid']}/{row['recurrence_id']}",
                "start": timezone.localtime(row["start"], zone),
                "end": timezone.localtime(row["end"], zone) if row["has_end"] else None,
                "all_day": row["all_day"],
                "status": row["status"],
                "full": row["is_full"] or full,
                "capacity": row["capacity"],
                "places_left": row["places_left"],
                "note": note_in(row["notes"], row["note"], query.language),
            }
            for row in rows
        ],
    }


def course_out(page: EventPage) -> dict:
    """``CourseOut``: the course fields of an event page, empty ones included."""
    return {
        "level": terms_out(CourseLevel, [page.course_level])[0] if page.course_level else None,
        "session_count": page.session_count,
        "total_hours": page.total_hours,
        "funding": terms_out(Funding, [page.funding])[0] if page.funding else None,
        "prerequisites": page.prerequisites,
        "certificate": page.certificate,
    }


def event_detail_out(request, page: EventPage, event: EventSummary, query) -> dict:
    """``EventDetailOut``: the event's summary (as ``/events/`` shows it) and what else its page shows."""
    full = page.registration_status == RegistrationStatus.FULL
    item = event_out(event)
    item["registration"].update(capacity=page.capacity, full=full)
    with translation.override(query.language):
        item.update(
            page_id=page.pk,
            locale=page.locale.language_code,
            body_html=rich_text_html(page.body, request),
            image=image_out(page.image, page.image_alt_text, request),
            themes=terms_out(Theme, event.themes),
            accessibility=terms_out(AccessibilityFacility, event.accessibility),
            attendance_mode=page.attendance_mode,
            online_url=page.online_url,
            status=page.status,
            status_reason=page.status_reason,
            course=course_out(page),
        )
    link = ics_url(page)
    item["ics_url"] = link and request.build_absolute_uri(link)
    schedule = page.schedule()
    item["recurrence"] = recurrence_out(page, schedule)
    with translation.override(query.language):
        item["schedule_text"] = {"short": describe(schedule), "full": describe(schedule, full=True)}
    item["occurrences"] = event_dates(query, page, full)
    return item


@router.get(
    "/events/{uuid}/",
    response=error_responses(EventDetailOut),
    summary="One event with its dates",
    operation_id="events_detail",
    openapi_extra={
        **openapi_extra(DateWindowFilterSet),
        "responses": {**openapi_extra()["responses"], "404": NOT_FOUND_DOC},
    },
)
@decorate_view(per_minute)  # "ongoing and upcoming" dates move with the clock
def event_detail(request, uuid: str = Path(..., description="The event's ``id`` (a uuid, as /events/ gives it).")):
    """The event whose ``id`` is ``uuid``, in the ``locale`` language (its live translation, else the source page):
    every field its page shows, and its dates (``occurrences``) in a window: without ``from``/``to`` the ongoing
    and upcoming ones, ``limit`` at a time from ``offset``, cancelled ones included (with their ``status``).

    ``themes``, ``accessibility`` and ``course.level`` come with their labels; ``recurrence`` describes a series'
    rule (``null`` for a one-off: ``positions`` are 1–4 or -1 for the last of ``weekdays`` in the month), and
    ``schedule_text`` all dates in words, short and full. A date is ``full`` when it is, or when the whole event is.
    404 when no live, public event has this id on the requested site.
    """
    query = read_query(request, DateWindowFilterSet)
    page = shown_event(request, uuid, query.language)
    if page is None:
        return event_not_found(query.language)
    related = RELATED - {"schedule"}  # the detail reads the whole schedule for its texts
    event = EventPage.objects.filter(pk=page.pk).summaries(query.locale, request, related=related)[page.pk]
    return answer(EventDetailOut, event_detail_out(request, page, event, query))
