"""The agenda in the headless API: ``/events/`` lists occurrences, filtered by the agenda's FilterSet.

An item is one date of an event: ``id`` is the occurrence's public id (``<event uuid>/<original local start>``),
``start``/``end`` are ISO datetimes with their offset in the site's time zone (``end`` is null when the event
has no end), and ``event`` describes the event in the ``locale`` language (its live translation, else the
source page), with ``url`` the event page in that language and ``id`` the event's uuid.

A page of the listing is read with ``values()``, not page instances: building an ``EventPage`` or a ``PartnerPage``
(dozens of fields over two tables, modelcluster's constructor) costs more than the rest of the request. The number
of queries does not depend on the page size nor on the number of events.
"""

from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from ninja import Router
from ninja.decorators import decorate_view
from wagtail.models import Page

from learningcity.api import (
    ResponseSchema,
    error_responses,
    openapi_extra,
    read_query,
)
from learningcity.caching import cached, restricted_paths
from learningcity.response_cache import per_minute
from partners.api import AddressOut, PartnerRef, SDGOut

from .conf import site_timezone
from .filters import EventFilterSet
from .models import EventPage, Occurrence
from .summaries import EventSummary

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


class EventOut(ResponseSchema):
    id: str
    title: str
    url: str | None
    summary: str
    venue: VenueOut | None
    organisers: list[PartnerRef]
    audience: AudienceOut
    languages: list[str]
    cost: CostOut
    registration: RegistrationOut
    sdg: SDGOut


class OccurrenceOut(ResponseSchema):
    id: str
    start: datetime
    end: datetime | None
    all_day: bool
    status: str
    locale: str
    event: EventOut


class OccurrenceList(ResponseSchema):
    count: int
    items: list[OccurrenceOut]


def hidden_event_ids() -> list[int]:
    """Ids of the indexed events a visitor may not see: private ones, and unpublished ones still in the index.

    The index drops an unpublished event when the transaction commits, so there are usually none. Drafts (any
    page that is not live) are looked up by the index of occurrences on ``event``, not by joining event pages.
    """
    private = Q(pk__in=[])
    for path in restricted_paths():
        private |= Q(path__startswith=path)
    hidden_pages = Page.objects.filter(Q(live=False) | private).values("pk")
    indexed = Occurrence.objects.filter(event__in=hidden_pages).order_by().values_list("event_id", flat=True)
    return list(indexed.distinct())


def public_occurrences():
    """Occurrences of events a visitor may see (the index holds live events only; privacy is checked here).

    The hidden events are read first (kept under the content version) and excluded by id, and only when there are
    any: ``event IN (live public events)`` as a subquery leads SQLite to walk every event instead of the
    occurrences' date index, and even a short exclusion list costs a probe per counted occurrence.
    """
    hidden = cached("hidden-events", hidden_event_ids)
    return Occurrence.objects.exclude(event__in=hidden) if hidden else Occurrence.objects.all()


API_RELATED = ("organisers", "audience_groups", "languages", "sdg")  # what EventOut shows
OCCURRENCE_FIELDS = ("event_id", "event_uuid", "recurrence_id", "start", "end", "has_end", "all_day", "status")


def event_out(event: EventSummary) -> dict:
    """``EventOut`` of an event's summary."""
    venue = event.venue
    return {
        "id": str(event.uuid),
        "title": event.title,
        "url": event.url,
        "summary": event.summary,
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
        "sdg": event.sdg,
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

    Exactly the agenda's occurrences for the same filters; cancelled dates only when ``status`` asks for them.
    """
    query = read_query(request, EventFilterSet, queryset=public_occurrences())
    count, occurrences = query.page(query.filters.qs.values(*OCCURRENCE_FIELDS))
    listed = {occurrence["event_id"] for occurrence in occurrences}
    events = (
        EventPage.objects.filter(pk__in=listed).summaries(query.locale, request, related=API_RELATED) if listed else {}
    )
    zone = site_timezone()
    items = []
    for occurrence in occurrences:
        event = events[occurrence["event_id"]]
        items.append(
            {
                "id": f"{occurrence['event_uuid']}/{occurrence['recurrence_id']}",
                "start": timezone.localtime(occurrence["start"], zone),
                "end": timezone.localtime(occurrence["end"], zone) if occurrence["has_end"] else None,
                "all_day": occurrence["all_day"],
                "status": occurrence["status"],
                "locale": event.language,
                "event": event_out(event),
            }
        )
    return {"count": count, "items": items}
