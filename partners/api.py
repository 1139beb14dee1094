"""The partner directory in the headless API: partners, child centres, partnerships, networks and municipalities.

``/partners/`` and ``/childcentres/`` filter with the HTML listings' FilterSets. An item's ``id`` is the
``translation_key`` of its page or snippet: the same in every language and in the change feed (``/changes/``);
``page_id`` is the id of the page in the language answered (its live translation in ``locale``, or the source page
when it has none). A municipality is not translated: its ``id`` is a UUID of its own, and it is also found by its
official code.

Every endpoint answers for the requesting site: partners and child centres under its root page (in any language),
live and without a view restriction; partnerships with at least one such partner; a network's or partnership's
partners only those. Networks and municipalities are the directory's filter values, so all of them are listed
(with their partners on this site). A detail of anything else (unknown, malformed, private, unpublished, on
another site) is a 404 problem.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Path, Router
from wagtail.models import Site

from learningcity.api import (
    ROOT_RELATIVE_LINK,
    ImageOut,
    PageURLs,
    QueryProblem,
    ResponseSchema,
    answer,
    default_language,
    error_responses,
    filterset_parameters,
    image_out,
    openapi_extra,
    problem_doc,
    read_query,
    rich_text_html,
)
from learningcity.caching import restricted_paths
from learningcity.models import SDGTarget

from .filters import (
    ChildCentreFilterSet,
    DetailFilterSet,
    MunicipalityFilterSet,
    NetworkFilterSet,
    PartnerFilterSet,
    PartnershipFilterSet,
)
from .models import (
    ChildCentreOpeningHoursException,
    ChildCentrePage,
    ChildCentreService,
    Municipality,
    Network,
    PartnerOpeningHoursException,
    PartnerPage,
    Partnership,
    PartnershipParticipant,
)
from .models.querysets import _sdg_targets_with_goal as sdg_targets_with_goal
from .structured_data import opening_hours_specification

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


class PlaceAddressOut(AddressOut):
    town: str


class CoordinatesOut(ResponseSchema):
    latitude: Decimal
    longitude: Decimal


class ContactOut(ResponseSchema):
    email: str
    phone: str
    website: str


class NetworkOut(ResponseSchema):
    id: str
    code: str
    name: str
    website: str


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
    address: PlaceAddressOut
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


# The details: what the pages show beyond the listings.


class OpeningHoursSpecificationOut(ResponseSchema):
    """schema.org ``OpeningHoursSpecification``: regular hours, or one day's (``validFrom`` = ``validThrough``)."""

    dayOfWeek: list[str]  # noqa: N815 -- schema.org's names
    opens: str
    closes: str
    validFrom: date | None = None  # noqa: N815
    validThrough: date | None = None  # noqa: N815
    closed: bool


class DocumentOut(ResponseSchema):
    title: str
    url: str


class ParticipantOut(ResponseSchema):
    """A partner in a partnership: a partner of this site's directory (``partner``), or an organisation elsewhere."""

    name: str
    partner: PartnerRef | None
    city: str
    country: str


class PartnershipLabels(ResponseSchema):
    kind: str
    status: str


class PartnershipOut(ResponseSchema):
    id: str
    object_id: int
    locale: str
    title: str
    kind: str
    status: str
    start_date: date
    end_date: date | None
    is_current: bool
    description_html: str
    agreement: DocumentOut | None
    action_plan: DocumentOut | None
    participants: list[ParticipantOut]
    sdg: SDGOut
    labels: PartnershipLabels


class PartnershipList(ResponseSchema):
    count: int
    items: list[PartnershipOut]


class PlaceLabels(ResponseSchema):
    languages: dict[str, str]
    accessibility: dict[str, str]
    sdg_targets: dict[str, str]


class PartnerLabels(PlaceLabels):
    kind: str
    sector: str
    memberships: dict[str, str]


class PartnerDetail(PartnerOut):
    body_html: str
    body: list[Any]
    image: ImageOut | None
    opening_hours: list[OpeningHoursSpecificationOut]
    partnerships: list[PartnershipOut]
    labels: PartnerLabels


class ChildCentreLabels(PlaceLabels):
    services: dict[str, str]
    ages: str


class ChildCentreDetail(ChildCentreOut):
    body_html: str
    enrolment_html: str
    opening_hours: list[OpeningHoursSpecificationOut]
    labels: ChildCentreLabels


class NetworkItem(NetworkOut):
    object_id: int
    locale: str
    description: str
    members: list[PartnerRef]


class NetworkList(ResponseSchema):
    count: int
    items: list[NetworkItem]


class MunicipalityItem(MunicipalityOut):
    id: str
    region: str
    portal: str | None
    partners: int
    childcentres: int


class MunicipalityList(ResponseSchema):
    count: int
    items: list[MunicipalityItem]


# What the endpoints share.

NOT_FOUND_DOC = problem_doc("Nothing with this id is published on this site in any language (or the id is malformed).")
SLUG = re.compile(r"[-\w]{1,80}", re.ASCII)
LANGUAGE = F("locale__language_code")


def detail_extra(filterset_class) -> dict:
    """OpenAPI of a detail: the ``locale`` parameter, the 400 of a wrong parameter and the 404 of a wrong id."""
    extra = openapi_extra(filterset_class, extra=())
    extra["parameters"] = filterset_parameters()[:1]
    extra["responses"]["404"] = NOT_FOUND_DOC
    return extra


def read_item_query(request, filterset_class):
    """A detail's parameters: ``locale`` only (the FilterSet rejects the rest; ``limit`` is refused here)."""
    query = read_query(request, filterset_class, paged=False)
    if "limit" in request.GET:
        with translation.override(query.language):
            raise QueryProblem({"limit": [_("Unknown parameter.")]}, language=query.language)
    return query


def not_found(message) -> Http404:
    return Http404(str(message))


def parse_key(value: str, message) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise not_found(message) from None


def shown_in(rows, language: str) -> dict:
    """``rows`` (with ``translation_key`` and ``language``) one per translation key: ``language``'s, else the
    site language's (the source), else none."""
    chosen = {}
    for row in rows:
        current = chosen.get(row["translation_key"])
        if row["language"] == language or (current is None and row["language"] == default_language()):
            chosen[row["translation_key"]] = row
    return chosen


@dataclass(frozen=True)
class Scope:
    """What the requesting site shows: its pages that are live and not restricted (restrictions read once)."""

    site: Site | None
    restricted: list[str]

    def pages(self, model):
        return model.objects.shown_on(self.site, self.restricted)


def scope_of(request) -> Scope:
    return Scope(Site.find_for_request(request), restricted_paths())


def pages_per_translation(model, scope: Scope, locale):
    """The pages the site shows in ``locale``: each live public translation there, else its source page."""
    shown = scope.pages(model)
    in_locale = shown.filter(locale=locale)
    return in_locale | shown.filter(locale__language_code=default_language()).exclude(
        translation_key__in=in_locale.values("translation_key")
    )


def snippets_per_translation(queryset, locale):
    """Translatable snippets in ``locale``, else in the site's language (their source)."""
    in_locale = queryset.filter(locale=locale)
    return in_locale | queryset.filter(locale__language_code=default_language()).exclude(
        translation_key__in=in_locale.values("translation_key")
    )


def shown_page(model, key: str, query, scope: Scope, message) -> int:
    """The id of the page the site shows for translation key ``key`` in ``query``'s language (else the source page),
    or a 404."""
    key = parse_key(key, message)
    rows = scope.pages(model).filter(translation_key=key).values("pk", "translation_key", language=LANGUAGE)
    chosen = shown_in(rows, query.language).get(key)
    if chosen is None:
        raise not_found(message)
    return chosen["pk"]


def partner_refs(keys, language: str, scope, request) -> dict:
    """PartnerRefs of the partners the site shows among translation ``keys``, in ``language`` (else the source).

    Two queries whatever the number of partners (one when the fragment cache is on), none without keys.
    """
    keys = {key for key in keys if key is not None}
    if not keys:
        return {}
    rows = (
        scope.pages(PartnerPage)
        .filter(translation_key__in=keys, locale__language_code__in={language, default_language()})
        .values("translation_key", "title", "url_path", language=LANGUAGE)
    )
    urls = PageURLs(request)
    return {
        key: {"id": str(key), "title": row["title"], "url": urls(row["url_path"])}
        for key, row in shown_in(rows, language).items()
    }


def sorted_refs(refs) -> list[dict]:
    return sorted(refs, key=lambda ref: (ref["title"].lower(), ref["id"]))


def sdg_of(page) -> dict:
    targets = sorted(page.sdg_targets.all(), key=lambda t: (t.goal.number, t.position))
    return {
        "goals": sorted({target.goal.number for target in targets}),
        "targets": [target.code for target in targets],
    }


def sdg_labels(page, language: str) -> dict[str, str]:
    from learningcity.models import pick_text

    return {target.code: pick_text(target.texts, language) for target in page.sdg_targets.all()}


def address_of(page) -> dict:
    municipality = page.municipality
    return {
        "street": page.street,
        "postcode": page.postcode,
        "locality": page.locality,
        "town": page.town,
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


def place_labels(page, language: str) -> dict:
    return {
        "languages": {term.code: str(term.label) for term in page.languages.all()},
        "accessibility": {term.code: str(term.label) for term in page.accessibility.all()},
        "sdg_targets": sdg_labels(page, language),
    }


def localized_networks(locale) -> dict:
    """The networks' translations in ``locale`` by translation key (one query; there are few networks)."""
    return {network.translation_key: network for network in Network.objects.filter(locale=locale)}


def partner_fields(page, request, networks: dict) -> dict:
    item = place_fields(page, request)
    item.update(
        kind=page.kind,
        sector=page.sector,
        memberships=[
            code for code, member in (("aspnet", page.is_aspnet_member), ("gnlc", page.is_gnlc_member)) if member
        ],
        aspnet_since=page.aspnet_since,
        networks=[
            {
                "id": str(network.translation_key),
                "code": network.slug,
                "name": shown.name,
                "website": shown.website,
            }
            for network in page.networks.all()
            for shown in [networks.get(network.translation_key, network)]
        ],
    )
    return item


def partner_refs_of_centres(pages, language, scope, request) -> dict:
    return partner_refs(
        (partner.translation_key for page in pages for partner in page.member_partners.all()), language, scope, request
    )


def childcentre_fields(page, request, refs: dict) -> dict:
    item = place_fields(page, request)
    members = {partner.translation_key for partner in page.member_partners.all()}
    item.update(
        min_age_months=page.min_age_months,
        max_age_months=page.max_age_months,
        services=[service.code for service in page.services.all()],
        member_partners=sorted_refs(refs[key] for key in members if key in refs),
        capacity=page.capacity,
        registration_number=page.registration_number,
        enrolment_url=page.enrolment_url,
    )
    return item


# The partner directory and the child centres.


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
        query.filters.filter_queryset(pages_per_translation(PartnerPage, scope_of(request), query.locale))
        .order_by("title", "pk")
        .select_related("municipality", "locale")
        .prefetch_related("languages", "accessibility", "networks", sdg_targets_with_goal())
    )
    count, pages = query.page(pages)
    networks = localized_networks(query.locale)
    return answer(PartnerList, {"count": count, "items": [partner_fields(page, request, networks) for page in pages]})


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
    scope = scope_of(request)
    pages = (
        query.filters.filter_queryset(pages_per_translation(ChildCentrePage, scope, query.locale))
        .order_by("title", "pk")
        .select_related("municipality", "locale")
        .prefetch_related(
            "languages",
            "accessibility",
            Prefetch("services", queryset=ChildCentreService.objects.order_by("position")),
            Prefetch("member_partners", queryset=PartnerPage.objects.only("translation_key")),
            sdg_targets_with_goal(),
        )
    )
    count, pages = query.page(pages)
    refs = partner_refs_of_centres(pages, query.language, scope, request)
    return answer(
        ChildCentreList, {"count": count, "items": [childcentre_fields(page, request, refs) for page in pages]}
    )


def opening_hours_of(page) -> list[dict]:
    """Regular hours and the exceptions from today on (prefetched by ``detail_page``), as the page shows them."""
    exceptions = list(page.opening_hours_exceptions.all())
    specifications = opening_hours_specification(page.opening_hours.all(), exceptions)
    closed = [False] * (len(specifications) - len(exceptions)) + [
        exception.closed or not (exception.opens and exception.closes) for exception in exceptions
    ]
    return [
        {**{key: value for key, value in specification.items() if key != "@type"}, "closed": is_closed}
        for specification, is_closed in zip(specifications, closed, strict=True)
    ]


def detail_page(model, pk: int, exception_model, *prefetch):
    """The page with everything its detail reads, in a fixed number of queries."""
    return (
        model.objects.select_related("municipality", "locale")
        .prefetch_related(
            "languages",
            "accessibility",
            "opening_hours",
            Prefetch(
                "opening_hours_exceptions",
                queryset=exception_model.objects.filter(date__gte=timezone.localdate()).order_by("date", "pk"),
            ),
            sdg_targets_with_goal(),
            *prefetch,
        )
        .get(pk=pk)
    )


def stream_html(value, request, page) -> str:
    """A StreamField as the page renders it (its blocks' templates), with absolute links."""
    html = str(value.render_as_block(context={"request": request, "page": page, "self": page}))
    return ROOT_RELATIVE_LINK.sub(lambda m: f'{m[1]}="{request.build_absolute_uri(m[2])}"', html)


PARTNER_NOT_FOUND = gettext_lazy("No partner with this id on this site.")
CHILDCENTRE_NOT_FOUND = gettext_lazy("No child centre with this id on this site.")
PARTNERSHIP_NOT_FOUND = gettext_lazy("No partnership with this id on this site.")
NETWORK_NOT_FOUND = gettext_lazy("No network with this code or id.")
MUNICIPALITY_NOT_FOUND = gettext_lazy("No municipality with this code or id.")
NETWORK_CODE_DESCRIPTION = "The network's code (the ``network`` filter value) or its id."
MUNICIPALITY_CODE_DESCRIPTION = "The municipality's official code (the ``municipality`` filter value) or its id."
ID_DESCRIPTION = "The ``id`` of an item of the list: the translation key, the same in every language."


@router.get(
    "/partners/{id}/",
    response=error_responses(PartnerDetail),
    summary="A partner with everything its page shows",
    operation_id="partners_detail",
    openapi_extra=detail_extra(DetailFilterSet),
)
def partner_detail(request, id: str = Path(..., description=ID_DESCRIPTION)):  # noqa: A002 -- the path's name
    """The partner in the ``locale`` language (its live translation, else the source page): the list's fields,
    the body (as the page renders it, and as StreamField JSON like Wagtail's pages API), the image with its
    renditions, the opening hours (schema.org ``OpeningHoursSpecification``, exceptions from today on), its
    partnerships and the labels of its terms."""
    query = read_item_query(request, DetailFilterSet)
    scope = scope_of(request)
    with translation.override(query.language):
        pk = shown_page(PartnerPage, id, query, scope, PARTNER_NOT_FOUND)
        page = detail_page(
            PartnerPage,
            pk,
            PartnerOpeningHoursException,
            "networks",
            Prefetch("image", queryset=image_queryset()),
        )
        item = partner_fields(page, request, localized_networks(query.locale))
        partnerships = partnerships_in(
            Partnership.objects.filter(
                translation_key__in=Partnership.objects.filter(
                    participants__partner__translation_key=page.translation_key
                ).values("translation_key")
            ),
            query,
        )
        item.update(
            body_html=stream_html(page.body, request, page),
            body=page.body.stream_block.get_api_representation(page.body, {"request": request}),
            image=image_out(page.image, page.image_alt_text, request),
            opening_hours=opening_hours_of(page),
            partnerships=partnership_items(partnerships, query, scope, request),
            labels={
                **place_labels(page, query.language),
                "kind": str(page.get_kind_display()),
                "sector": str(page.get_sector_display()),
                "memberships": membership_labels(page),
            },
        )
    return answer(PartnerDetail, item)


def image_queryset():
    from wagtail.images import get_image_model

    from learningcity.api import IMAGE_RENDITIONS

    return get_image_model().objects.prefetch_renditions(*IMAGE_RENDITIONS.values())


def membership_labels(page) -> dict[str, str]:
    """The memberships as the page words them."""
    labels = {}
    if page.is_aspnet_member:
        labels["aspnet"] = (
            _("UNESCO Associated School (ASPnet) since %(year)s") % {"year": page.aspnet_since}
            if page.aspnet_since
            else _("UNESCO Associated School (ASPnet)")
        )
    if page.is_gnlc_member:
        labels["gnlc"] = _("Member of the UNESCO Global Network of Learning Cities")
    return labels


@router.get(
    "/childcentres/{id}/",
    response=error_responses(ChildCentreDetail),
    summary="A child centre with everything its page shows",
    operation_id="childcentres_detail",
    openapi_extra=detail_extra(DetailFilterSet),
)
def childcentre_detail(request, id: str = Path(..., description=ID_DESCRIPTION)):  # noqa: A002
    """The child centre in the ``locale`` language (its live translation, else the source page): the list's
    fields, the description and how to enrol (HTML), the opening hours (schema.org
    ``OpeningHoursSpecification``, exceptions from today on) and the labels of its services and other terms."""
    query = read_item_query(request, DetailFilterSet)
    scope = scope_of(request)
    with translation.override(query.language):
        pk = shown_page(ChildCentrePage, id, query, scope, CHILDCENTRE_NOT_FOUND)
        page = detail_page(
            ChildCentrePage,
            pk,
            ChildCentreOpeningHoursException,
            Prefetch("services", queryset=ChildCentreService.objects.order_by("position")),
            Prefetch("member_partners", queryset=PartnerPage.objects.only("translation_key")),
        )
        item = childcentre_fields(page, request, partner_refs_of_centres([page], query.language, scope, request))
        item.update(
            body_html=rich_text_html(page.body, request),
            enrolment_html=rich_text_html(page.enrolment, request),
            opening_hours=opening_hours_of(page),
            labels={
                **place_labels(page, query.language),
                "services": {service.code: str(service.label) for service in page.services.all()},
                "ages": page.age_range_label,
            },
        )
    return answer(ChildCentreDetail, item)


# Partnerships.


def partnerships_in(queryset, query) -> list:
    """``queryset``'s partnerships one per translation in ``query``'s language, newest first, with what their items
    read."""
    return list(
        snippets_per_translation(queryset, query.locale)
        .order_by("-start_date", "title", "pk")
        .select_related("locale", "agreement", "action_plan")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=PartnershipParticipant.objects.select_related("partner").only(
                    "partnership_id",
                    "sort_order",
                    "external_name",
                    "external_city",
                    "external_country",
                    "partner__title",
                    "partner__translation_key",
                ),
            ),
            Prefetch("sdg_targets", queryset=SDGTarget.objects.select_related("goal")),
        )
    )


def partnership_items(partnerships, query, scope, request) -> list[dict]:
    refs = partner_refs(
        (p.partner.translation_key for ship in partnerships for p in ship.participants.all() if p.partner_id),
        query.language,
        scope,
        request,
    )
    return [partnership_item(partnership, refs, request) for partnership in partnerships]


def document_out(document, request) -> dict | None:
    if document is None:
        return None
    return {"title": document.title, "url": request.build_absolute_uri(document.url)}


def partnership_item(partnership, refs: dict, request) -> dict:
    participants = []
    for participant in partnership.participants.all():
        if participant.partner_id:
            ref = refs.get(participant.partner.translation_key)
            name = ref["title"] if ref else participant.partner.title
        else:
            ref, name = None, participant.external_name
        participants.append(
            {
                "name": name,
                "partner": ref,
                "city": participant.external_city,
                "country": participant.external_country,
            }
        )
    return {
        "id": str(partnership.translation_key),
        "object_id": partnership.pk,
        "locale": partnership.locale.language_code,
        "title": partnership.title,
        "kind": partnership.kind,
        "status": partnership.status,
        "start_date": partnership.start_date,
        "end_date": partnership.end_date,
        "is_current": partnership.end_date is None or partnership.end_date >= timezone.localdate(),
        "description_html": rich_text_html(partnership.description, request),
        "agreement": document_out(partnership.agreement, request),
        "action_plan": document_out(partnership.action_plan, request),
        "participants": participants,
        "sdg": sdg_of(partnership),
        "labels": {"kind": str(partnership.get_kind_display()), "status": str(partnership.get_status_display())},
    }


def partnerships_on(scope):
    """Partnerships with at least one partner the site shows (by translation key, so any language counts)."""
    partners = scope.pages(PartnerPage).values("translation_key")
    return Partnership.objects.filter(
        translation_key__in=Partnership.objects.filter(participants__partner__translation_key__in=partners).values(
            "translation_key"
        )
    )


@router.get(
    "/partnerships/",
    response=error_responses(PartnershipList),
    summary="The partnerships of this site's partners",
    operation_id="partnerships_list",
    openapi_extra=openapi_extra(PartnershipFilterSet),
    tags=["partnerships"],
)
def list_partnerships(request):
    """Partnerships with at least one partner on this site, newest first, in the ``locale`` language (else the
    source); each partner of this site's directory as a PartnerRef, the others by name, city and country."""
    query = read_query(request, PartnershipFilterSet)
    scope = scope_of(request)
    with translation.override(query.language):
        count, rows = query.page(
            snippets_per_translation(partnerships_on(scope), query.locale).order_by("-start_date", "title", "pk")
        )
        partnerships = partnerships_in(Partnership.objects.filter(pk__in=[row.pk for row in rows]), query)
        return answer(
            PartnershipList, {"count": count, "items": partnership_items(partnerships, query, scope, request)}
        )


@router.get(
    "/partnerships/{id}/",
    response=error_responses(PartnershipOut),
    summary="A partnership",
    operation_id="partnerships_detail",
    openapi_extra=detail_extra(DetailFilterSet),
    tags=["partnerships"],
)
def partnership_detail(request, id: str = Path(..., description=ID_DESCRIPTION)):  # noqa: A002
    """A partnership with at least one partner on this site, in the ``locale`` language (else the source)."""
    query = read_item_query(request, DetailFilterSet)
    scope = scope_of(request)
    with translation.override(query.language):
        key = parse_key(id, PARTNERSHIP_NOT_FOUND)
        partnerships = partnerships_in(partnerships_on(scope).filter(translation_key=key), query)
        if not partnerships:
            raise not_found(PARTNERSHIP_NOT_FOUND)
        return answer(PartnershipOut, partnership_items(partnerships, query, scope, request)[0])


# Networks.


def network_items(networks, query, scope, request) -> list[dict]:
    keys = [network.translation_key for network in networks]
    members = (
        scope.pages(PartnerPage)
        .filter(networks__translation_key__in=keys)
        .values_list("networks__translation_key", "translation_key")
        .distinct()
    )
    by_network: dict = {}
    for network_key, partner_key in members:
        by_network.setdefault(network_key, set()).add(partner_key)
    refs = partner_refs((key for partners in by_network.values() for key in partners), query.language, scope, request)
    return [
        {
            "id": str(network.translation_key),
            "object_id": network.pk,
            "locale": network.locale.language_code,
            "code": network.slug,
            "name": network.name,
            "description": network.description,
            "website": network.website,
            "members": sorted_refs(refs[key] for key in by_network.get(network.translation_key, ()) if key in refs),
        }
        for network in networks
    ]


@router.get(
    "/networks/",
    response=error_responses(NetworkList),
    summary="The networks partners belong to",
    operation_id="networks_list",
    openapi_extra=openapi_extra(NetworkFilterSet),
    tags=["networks"],
)
def list_networks(request):
    """Every network (the directory's ``network`` filter values), by name, in the ``locale`` language (else the
    source), each with its members among this site's partners."""
    query = read_query(request, NetworkFilterSet)
    networks = snippets_per_translation(Network.objects.all(), query.locale).order_by("name", "pk")
    count, networks = query.page(networks.select_related("locale"))
    return answer(NetworkList, {"count": count, "items": network_items(networks, query, scope_of(request), request)})


@router.get(
    "/networks/{code}/",
    response=error_responses(NetworkItem),
    summary="A network",
    operation_id="networks_detail",
    openapi_extra=detail_extra(DetailFilterSet),
    tags=["networks"],
)
def network_detail(request, code: str = Path(..., description=NETWORK_CODE_DESCRIPTION)):
    """A network in the ``locale`` language (else the source), with its members among this site's partners."""
    query = read_item_query(request, DetailFilterSet)
    with translation.override(query.language):
        networks = Network.objects.all()
        try:
            networks = networks.filter(translation_key=uuid.UUID(code))
        except ValueError:
            if not SLUG.fullmatch(code):
                raise not_found(NETWORK_NOT_FOUND) from None
            networks = networks.filter(translation_key__in=Network.objects.filter(slug=code).values("translation_key"))
        found = list(snippets_per_translation(networks, query.locale).select_related("locale")[:2])
        if len(found) != 1:  # none, or one code for two networks
            raise not_found(NETWORK_NOT_FOUND)
        return answer(NetworkItem, network_items(found, query, scope_of(request), request)[0])


# Municipalities.


def municipality_items(municipalities, scope, request) -> list[dict]:
    pks = [municipality.pk for municipality in municipalities]
    counts = {}
    for model, name in ((PartnerPage, "partners"), (ChildCentrePage, "childcentres")):
        rows = (
            scope.pages(model)
            .filter(municipality__in=pks)
            .values("municipality")
            .annotate(count=Count("translation_key", distinct=True))
            .order_by()
        )
        counts[name] = {row["municipality"]: row["count"] for row in rows}
    return [
        {
            "id": str(municipality.uuid),
            "code": municipality.code,
            "name": municipality.name,
            "region": municipality.region,
            "portal": municipality.site.root_url + "/" if municipality.site else None,
            "partners": counts["partners"].get(municipality.pk, 0),
            "childcentres": counts["childcentres"].get(municipality.pk, 0),
        }
        for municipality in municipalities
    ]


@router.get(
    "/municipalities/",
    response=error_responses(MunicipalityList),
    summary="The municipalities of the region",
    operation_id="municipalities_list",
    openapi_extra=openapi_extra(MunicipalityFilterSet),
    tags=["municipalities"],
)
def list_municipalities(request):
    """Every municipality (the listings' ``municipality`` filter values), by name: its official code, region,
    the portal that serves it, and how many partners and child centres this site shows there."""
    query = read_query(request, MunicipalityFilterSet)
    count, municipalities = query.page(Municipality.objects.select_related("site").order_by("name", "code"))
    return answer(
        MunicipalityList, {"count": count, "items": municipality_items(municipalities, scope_of(request), request)}
    )


@router.get(
    "/municipalities/{code}/",
    response=error_responses(MunicipalityItem),
    summary="A municipality",
    operation_id="municipalities_detail",
    openapi_extra=detail_extra(DetailFilterSet),
    tags=["municipalities"],
)
def municipality_detail(request, code: str = Path(..., description=MUNICIPALITY_CODE_DESCRIPTION)):
    """A municipality by its official code or its id (the one in ``/changes/``)."""
    query = read_item_query(request, DetailFilterSet)
    with translation.override(query.language):
        municipalities = Municipality.objects.select_related("site")
        try:
            municipality = municipalities.filter(uuid=uuid.UUID(code)).first()
        except ValueError:
            municipality = municipalities.filter(code=code).first() if SLUG.fullmatch(code) else None
        if municipality is None:
            raise not_found(MUNICIPALITY_NOT_FOUND)
        return answer(MunicipalityItem, municipality_items([municipality], scope_of(request), request)[0])
