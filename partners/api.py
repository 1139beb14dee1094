"""The partner directory and the child centres in the headless API: ``/partners/`` and ``/childcentres/``.

Both filter with the HTML listings' FilterSets. An item's ``id`` is the page's ``translation_key``: the same in
every language and in the change feed (``/changes/``); ``page_id`` is the id of the page in the language
answered (its translation, or the source page when it has none).
"""

from decimal import Decimal

from django.db.models import Prefetch
from ninja import Router

from learningcity.api import (
    ResponseSchema,
    error_responses,
    one_per_translation,
    openapi_extra,
    read_query,
)

from .filters import ChildCentreFilterSet, PartnerFilterSet
from .models import ChildCentrePage, ChildCentreService, Network, PartnerPage
from .models.querysets import _sdg_targets_with_goal as sdg_targets_with_goal

router = Router(tags=["partners"])


class MunicipalityOut(ResponseSchema):
    code: str
    name: str


class AddressOut(ResponseSchema):
    street: str
    postcode: str
    locality: str
    municipality: MunicipalityOut | None
    country: str


class CoordinatesOut(ResponseSchema):
    latitude: Decimal
    longitude: Decimal


class ContactOut(ResponseSchema):
    email: str
    phone: str
    website: str


class NetworkOut(ResponseSchema):
    code: str
    name: str


class SDGOut(ResponseSchema):
    goals: list[int]
    targets: list[str]


class PartnerRef(ResponseSchema):
    id: str
    title: str
    url: str | None


class PlaceFields(ResponseSchema):
    id: str
    page_id: int
    locale: str
    title: str
    url: str | None
    summary: str
    address: AddressOut
    coordinates: CoordinatesOut | None
    contact: ContactOut
    languages: list[str]
    accessibility: list[str]
    sdg: SDGOut


class PartnerOut(PlaceFields):
    kind: str
    sector: str
    memberships: list[str]
    aspnet_since: int | None
    networks: list[NetworkOut]


class PartnerList(ResponseSchema):
    count: int
    items: list[PartnerOut]


class ChildCentreOut(PlaceFields):
    min_age_months: int
    max_age_months: int
    services: list[str]
    member_partners: list[PartnerRef]
    capacity: int | None
    registration_number: str
    enrolment_url: str


class ChildCentreList(ResponseSchema):
    count: int
    items: list[ChildCentreOut]


def sdg_of(page) -> dict:
    targets = list(page.sdg_targets.all())
    return {
        "goals": sorted({target.goal.number for target in targets}),
        "targets": [target.code for target in sorted(targets, key=lambda t: (t.goal.number, t.position))],
    }


def address_of(page) -> dict:
    municipality = page.municipality
    return {
        "street": page.street,
        "postcode": page.postcode,
        "locality": page.locality,
        "municipality": {"code": municipality.code, "name": municipality.name} if municipality else None,
        "country": page.country,
    }


def place_fields(page, request) -> dict:
    return {
        "id": str(page.translation_key),
        "page_id": page.pk,
        "locale": page.locale.language_code,
        "title": page.title,
        "url": page.get_full_url(request),
        "summary": page.summary,
        "address": address_of(page),
        "coordinates": {"latitude": page.latitude, "longitude": page.longitude} if page.has_coordinates else None,
        "contact": {"email": page.email, "phone": page.phone, "website": page.website},
        "languages": [language.code for language in page.languages.all()],
        "accessibility": [facility.code for facility in page.accessibility.all()],
        "sdg": sdg_of(page),
    }


@router.get(
    "/partners/",
    response=error_responses(PartnerList),
    summary="The partner directory",
    operation_id="partners_list",
    openapi_extra=openapi_extra(PartnerFilterSet),
)
def list_partners(request):
    """Partners ordered by title, one per organisation, in the ``locale`` language (else the source)."""
    query = read_query(request, PartnerFilterSet, queryset=PartnerPage.objects.all())
    pages = (
        query.filters.filter_queryset(one_per_translation(PartnerPage.objects.all(), query.locale))
        .order_by("title", "pk")
        .select_related("municipality", "locale")
        .prefetch_related("languages", "accessibility", "networks", sdg_targets_with_goal())
    )
    count, pages = query.page(pages)
    network_names = {network.translation_key: network.name for network in Network.objects.filter(locale=query.locale)}
    items = []
    for page in pages:
        item = place_fields(page, request)
        item.update(
            kind=page.kind,
            sector=page.sector,
            memberships=[
                code for code, member in (("aspnet", page.is_aspnet_member), ("gnlc", page.is_gnlc_member)) if member
            ],
            aspnet_since=page.aspnet_since,
            networks=[
                {"code": network.slug, "name": network_names.get(network.translation_key, network.name)}
                for network in page.networks.all()
            ],
        )
        items.append(item)
    return {"count": count, "items": items}


@router.get(
    "/childcentres/",
    response=error_responses(ChildCentreList),
    summary="The integral child centres (0–12)",
    operation_id="childcentres_list",
    openapi_extra=openapi_extra(ChildCentreFilterSet),
)
def list_childcentres(request):
    """Child centres ordered by title, one per centre, in the ``locale`` language (else the source)."""
    query = read_query(request, ChildCentreFilterSet, queryset=ChildCentrePage.objects.all())
    pages = (
        query.filters.filter_queryset(one_per_translation(ChildCentrePage.objects.all(), query.locale))
        .order_by("title", "pk")
        .select_related("municipality", "locale")
        .prefetch_related(
            "languages",
            "accessibility",
            Prefetch("services", queryset=ChildCentreService.objects.order_by("position")),
            Prefetch("member_partners", queryset=PartnerPage.objects.select_related("locale").order_by("title")),
            sdg_targets_with_goal(),
        )
    )
    count, pages = query.page(pages)
    members = [partner for page in pages for partner in page.member_partners.all()]
    keys = (partner.translation_key for partner in members if partner.locale_id != query.locale.pk)
    translated = PartnerPage.objects.translations_in(query.locale, keys)
    items = []
    for page in pages:
        item = place_fields(page, request)
        partners = []
        for partner in page.member_partners.all():
            shown = translated.get(partner.translation_key) or (partner if partner.live else None)
            if shown is not None:
                partners.append(
                    {"id": str(partner.translation_key), "title": shown.title, "url": shown.get_full_url(request)}
                )
        item.update(
            min_age_months=page.min_age_months,
            max_age_months=page.max_age_months,
            services=[service.code for service in page.services.all()],
            member_partners=partners,
            capacity=page.capacity,
            registration_number=page.registration_number,
            enrolment_url=page.enrolment_url,
        )
        items.append(item)
    return {"count": count, "items": items}
