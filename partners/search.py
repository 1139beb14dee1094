"""What the site search keeps of partners and child centres: texts, the labels they are known by, facets."""

from django.utils.translation import gettext_lazy as _

from learningcity.search import SearchEntry
from learningcity.search.facets import life_stages, sdg_goals

from .enums import PartnerKind, Sector


def _place(page) -> list[str]:
    return [page.municipality.name if page.municipality_id else "", page.locality, page.street, page.postcode]


def _municipality(page) -> list[str]:
    return [page.municipality.code] if page.municipality_id else []


def describe_partner(page):
    networks = list(page.networks.all())
    yield SearchEntry(
        title=page.title,
        summary=page.summary,
        body=page.body,
        keywords=[
            PartnerKind(page.kind).label if page.kind in PartnerKind.values else "",
            Sector(page.sector).label if page.sector in Sector.values else "",
            _("UNESCO Associated Schools (ASPnet)") if page.is_aspnet_member else "",
            *(network.name for network in networks),
            *_place(page),
        ],
        facets={"municipality": _municipality(page), "sdg": sdg_goals(page)},
    )


def describe_child_centre(page):
    services = list(page.services.all())
    months = (page.min_age_months, page.max_age_months)
    years = [None if value is None else value // 12 for value in months]
    yield SearchEntry(
        title=page.title,
        summary=page.summary,
        body=" ".join(str(part) for part in (page.body, page.enrolment) if part),
        keywords=[_("Integral child centre"), *(service.label for service in services), *_place(page)],
        facets={
            "age": life_stages(*years) if any(value is not None for value in months) else life_stages(0, 11),
            "municipality": _municipality(page),
            "sdg": sdg_goals(page),
        },
    )


def register():
    from learningcity import registry

    from .models import ChildCentreIndexPage, ChildCentrePage, Municipality, PartnerIndexPage, PartnerPage

    registry.register_searchable(
        PartnerPage,
        "partner",
        describe_partner,
        label=_("Organisations"),
        prefetch=["networks", "sdg_targets"],
        select=["municipality"],
    )
    registry.register_searchable(
        ChildCentrePage,
        "childcentre",
        describe_child_centre,
        label=_("Child centres"),
        prefetch=["services", "sdg_targets"],
        select=["municipality"],
    )
    registry.register_searchable(PartnerIndexPage, "page", label=_("Pages"))
    registry.register_searchable(ChildCentreIndexPage, "page", label=_("Pages"))
    registry.register_search_facet(
        "municipality",
        _("Municipality"),
        lambda: dict(Municipality.objects.order_by("name").values_list("code", "name")),
    )
