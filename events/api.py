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
    PageURLs,
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


OCCURRENCE_FIELDS = ("event_id", "event_uuid", "recurrence_id", "start", "end", "has_end", "all_day", "status")
PAGE_FIELDS = ("translation_key", "locale_id", "title", "url_path", "live")
ADDRESS_FIELDS = (
    "street",
    "postcode",
    "locality",
    "country",
    "municipality_id",
    "municipality__code",
    "municipality__name",
)
VENUE_FIELDS = tuple(f"venue__{name}" for name in (*PAGE_FIELDS, *ADDRESS_FIELDS))
EVENT_FIELDS = (
    "pk",
    "uuid",
    *PAGE_FIELDS,
    "locale__language_code",
    "summary",
    "venue_id",
    *VENUE_FIELDS,
    "venue_name",
    *ADDRESS_FIELDS,
    "min_age",
    "max_age",
    "is_free",
    "price",
    "currency",
    "price_note",
    "registration_required",
    "registration_url",
    "registration_email",
    "registration_status",
)


def address(row: dict, prefix: str = "") -> dict:
    """``AddressOut`` from the ``ADDRESS_FIELDS`` of a row (``prefix``: ``venue__`` for the event's venue)."""
    municipality = None
    if row[f"{prefix}municipality_id"]:
        municipality = {"code": row[f"{prefix}municipality__code"], "name": row[f"{prefix}municipality__name"]}
    return {
        "street": row[f"{prefix}street"],
        "postcode": row[f"{prefix}postcode"],
        "locality": row[f"{prefix}locality"],
        "municipality": municipality,
        "country": row[f"{prefix}country"],
    }


def organisers_by_event(event_ids) -> dict[int, list[dict]]:
    """The ``PAGE_FIELDS`` of each event's organisers, by title (one query)."""
    through = EventPage.organisers.through.objects.filter(eventpage_id__in=event_ids)
    fields = [f"partnerpage__{name}" for name in PAGE_FIELDS]
    organisers: dict[int, list[dict]] = {}
    for event_id, *values in through.order_by("partnerpage__title", "partnerpage_id").values_list(
        "eventpage_id", *fields
    ):
        organisers.setdefault(event_id, []).append(dict(zip(PAGE_FIELDS, values, strict=True)))
    return organisers


def codes_by_event(relation: str, code: str, order: str, event_ids) -> dict[int, list[str]]:
    """The ``code`` of each event's ``relation`` terms, in ``order`` (one query on the many-to-many table)."""
    through = getattr(EventPage, relation).through.objects.filter(eventpage_id__in=event_ids)
    codes: dict[int, list[str]] = {}
    for event_id, value in through.order_by(order).values_list("eventpage_id", code):
        codes.setdefault(event_id, []).append(value)
    return codes


def sdgs_by_event(event_ids) -> dict[int, dict]:
    """``SDGOut`` of each event: its goals and its targets in UN order (one query)."""
    through = EventPage.sdg_targets.through.objects.filter(eventpage_id__in=event_ids)
    rows = through.order_by("sdgtarget__goal__number", "sdgtarget__position").values_list(
        "eventpage_id", "sdgtarget__goal__number", "sdgtarget__code"
    )
    sdgs: dict[int, dict] = {}
    for event_id, goal, code in rows:
        sdg = sdgs.setdefault(event_id, {"goals": [], "targets": []})
        if goal not in sdg["goals"]:
            sdg["goals"].append(goal)
        sdg["targets"].append(code)
    return sdgs


def translations(pages, locale) -> dict:
    """The live translations in ``locale`` of the ``pages`` in other languages, by translation_key (one query).

    Events and partners are asked together (a translation has its source's type); a page already in ``locale``
    stands for itself, so when all are, nothing is asked.
    """
    keys = {page["translation_key"] for page in pages if page["locale_id"] != locale.pk}
    if not keys:
        return {}
    translated = Page.objects.live().filter(locale=locale, translation_key__in=keys).order_by()
    fields = ("translation_key", "title", "url_path", "live", "eventpage__summary")
    return {row["translation_key"]: row for row in translated.values(*fields)}


def partner_ref(partner: dict, translated: dict, url: PageURLs) -> dict | None:
    """``PartnerRef`` in the requested language, else the source page if it is live; ``None`` when neither is."""
    shown = translated.get(partner["translation_key"]) or (partner if partner["live"] else None)
    if shown is None:
        return None
    return {"id": str(partner["translation_key"]), "title": shown["title"], "url": url(shown["url_path"])}


def venue_of(event: dict, translated: dict, url: PageURLs) -> dict | None:
    """``VenueOut``: the partner hosting the event (with its address), else the event's own place, else ``None``."""
    if event["venue_id"]:
        venue = {name: event[f"venue__{name}"] for name in PAGE_FIELDS}
        shown = translated.get(venue["translation_key"]) or venue
        return {
            "id": str(venue["translation_key"]),
            "title": shown["title"],
            "url": url(shown["url_path"]) if shown["live"] else None,
            "address": address(event, "venue__"),
        }
    if event["venue_name"] or event["street"] or event["municipality_id"]:
        return {"id": None, "title": event["venue_name"], "url": None, "address": address(event)}
    return None


def describe_events(event_ids, locale, request) -> dict[int, tuple[str, dict]]:
    """The language and ``EventOut`` of each event by page id, in ``locale`` where translated.

    Six queries at most, however many events: the events with their venues, organisers, audience groups,
    languages, SDG targets, and the translations of events and partners not in ``locale``.
    """
    if not event_ids:
        return {}
    events = list(EventPage.objects.filter(pk__in=event_ids).order_by().values(*EVENT_FIELDS))
    organisers = organisers_by_event(event_ids)
    audiences = codes_by_event("audience_groups", "audiencegroup__code", "audiencegroup__position", event_ids)
    languages = codes_by_event("languages", "language__code", "language__position", event_ids)
    sdgs = sdgs_by_event(event_ids)
    pages = [*events, *(partner for partners in organisers.values() for partner in partners)]
    pages += [{name: event[f"venue__{name}"] for name in PAGE_FIELDS} for event in events if event["venue_id"]]
    translated = translations(pages, locale)
    url = PageURLs(request)
    described = {}
    for event in events:
        pk = event["pk"]
        shown = translated.get(event["translation_key"], event)
        refs = (partner_ref(partner, translated, url) for partner in organisers.get(pk, ()))
        described[pk] = (
            locale.language_code if shown is not event else event["locale__language_code"],
            {
                "id": str(event["uuid"]),
                "title": shown["title"],
                "url": url(shown["url_path"]),
                "summary": shown["summary"] if shown is event else shown["eventpage__summary"],
                "venue": venue_of(event, translated, url),
                "organisers": [ref for ref in refs if ref is not None],
                "audience": {"min_age": event["min_age"], "max_age": event["max_age"], "groups": audiences.get(pk, [])},
                "languages": languages.get(pk, []),
                "cost": {
                    "free": event["is_free"],
                    "price": event["price"],
                    "currency": event["currency"],
                    "note": event["price_note"],
                },
                "registration": {
                    "required": event["registration_required"],
                    "url": event["registration_url"],
                    "email": event["registration_email"],
                    "status": event["registration_status"],
                },
                "sdg": sdgs.get(pk, {"goals": [], "targets": []}),
            },
        )
    return described


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
    events = describe_events({occurrence["event_id"] for occurrence in occurrences}, query.locale, request)
    zone = site_timezone()
    items = []
    for occurrence in occurrences:
        language, event = events[occurrence["event_id"]]
        items.append(
            {
                "id": f"{occurrence['event_uuid']}/{occurrence['recurrence_id']}",
                "start": timezone.localtime(occurrence["start"], zone),
                "end": timezone.localtime(occurrence["end"], zone) if occurrence["has_end"] else None,
                "all_day": occurrence["all_day"],
                "status": occurrence["status"],
                "locale": language,
                "event": event,
            }
        )
    return {"count": count, "items": items}
