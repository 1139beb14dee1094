"""The agenda in the headless API: ``/events/`` lists occurrences, filtered by the agenda's FilterSet.

An item is one date of an event: ``id`` is the occurrence's public id (``<event uuid>/<original local start>``),
``start``/``end`` are ISO datetimes with their offset in the site's time zone (``end`` is null when the event
has no end), and ``event`` describes the event in the ``locale`` language (its live translation, else the
source page), with ``url`` the event page in that language and ``id`` the event's uuid.
"""

from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from ninja import Router, Schema

from learningcity.api import QueryProblem, error_responses, localized, openapi_extra, read_query
from partners.api import AddressOut, PartnerRef, SDGOut, address_of, sdg_of
from partners.models import PartnerPage
from partners.models.querysets import _sdg_targets_with_goal as sdg_targets_with_goal

from .conf import site_timezone
from .filters import EventFilterSet
from .models import AudienceGroup, EventPage, Occurrence

router = Router(tags=["events"])


class VenueOut(Schema):
    id: str | None
    title: str
    url: str | None
    address: AddressOut


class AudienceOut(Schema):
    min_age: int | None
    max_age: int | None
    groups: list[str]


class CostOut(Schema):
    free: bool
    price: Decimal | None
    currency: str
    note: str


class RegistrationOut(Schema):
    required: bool
    url: str
    email: str
    status: str


class EventOut(Schema):
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


class OccurrenceOut(Schema):
    id: str
    start: datetime
    end: datetime | None
    all_day: bool
    status: str
    locale: str
    event: EventOut


class OccurrenceList(Schema):
    count: int
    items: list[OccurrenceOut]


def public_occurrences():
    """Occurrences of events a visitor may see (the index holds live events only; privacy is joined here)."""
    return Occurrence.objects.filter(event__in=EventPage.objects.live().public().values("pk"))


def _partner_ref(partner, translated, request) -> dict | None:
    shown = translated.get(partner.translation_key) or (partner if partner.live else None)
    if shown is None:
        return None
    return {"id": str(partner.translation_key), "title": shown.title, "url": shown.get_full_url(request)}


def _venue(event, translated, request) -> dict | None:
    if event.venue_id:
        venue = event.venue
        shown = translated.get(venue.translation_key) or venue
        return {
            "id": str(venue.translation_key),
            "title": shown.title,
            "url": shown.get_full_url(request) if shown.live else None,
            "address": address_of(venue),
        }
    if event.venue_name or event.street or event.municipality_id:
        return {"id": None, "title": event.venue_name, "url": None, "address": address_of(event)}
    return None


@router.get(
    "/events/",
    response=error_responses(OccurrenceList),
    summary="The agenda: occurrences of events",
    operation_id="events_list",
    openapi_extra=openapi_extra(EventFilterSet),
)
def list_events(request):
    """Occurrences ordered by start, then event; without ``from``/``to``/``when``: ongoing and upcoming ones.

    Exactly the agenda's occurrences for the same filters; cancelled dates only when ``status`` asks for them.
    """
    try:
        query = read_query(request, EventFilterSet, queryset=public_occurrences())
    except QueryProblem as problem:
        return problem.response()
    occurrences = query.filters.qs.select_related(
        "event__locale", "event__venue__locale", "event__venue__municipality", "event__municipality"
    ).prefetch_related(
        Prefetch("event__organisers", queryset=PartnerPage.objects.select_related("locale").order_by("title")),
        Prefetch("event__audience_groups", queryset=AudienceGroup.objects.order_by("position")),
        "event__languages",
        Prefetch("event__sdg_targets", queryset=sdg_targets_with_goal().queryset),
    )
    count, occurrences = query.page(occurrences)
    events = {occurrence.event_id: occurrence.event for occurrence in occurrences}.values()
    translated_events = localized(list(events), query.locale, EventPage)
    partners = [event.venue for event in events if event.venue_id]
    partners += [partner for event in events for partner in event.organisers.all()]
    translated_partners = localized(partners, query.locale, PartnerPage)
    zone = site_timezone()
    items = []
    for occurrence in occurrences:
        event = occurrence.event
        shown = translated_events.get(event.translation_key, event)
        organisers = [_partner_ref(partner, translated_partners, request) for partner in event.organisers.all()]
        items.append(
            {
                "id": occurrence.public_id,
                "start": timezone.localtime(occurrence.start, zone),
                "end": timezone.localtime(occurrence.end, zone) if occurrence.has_end else None,
                "all_day": occurrence.all_day,
                "status": occurrence.status,
                "locale": shown.locale.language_code,
                "event": {
                    "id": str(event.uuid),
                    "title": shown.title,
                    "url": shown.get_full_url(request),
                    "summary": shown.summary,
                    "venue": _venue(event, translated_partners, request),
                    "organisers": [ref for ref in organisers if ref is not None],
                    "audience": {
                        "min_age": event.min_age,
                        "max_age": event.max_age,
                        "groups": [group.code for group in event.audience_groups.all()],
                    },
                    "languages": [language.code for language in event.languages.all()],
                    "cost": {
                        "free": event.is_free,
                        "price": event.price,
                        "currency": event.currency,
                        "note": event.price_note,
                    },
                    "registration": {
                        "required": event.registration_required,
                        "url": event.registration_url,
                        "email": event.registration_email,
                        "status": event.registration_status,
                    },
                    "sdg": sdg_of(event),
                },
            }
        )
    return {"count": count, "items": items}
