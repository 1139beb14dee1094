"""One FilterSet per listing: the partner directory and the child-centre listing.

The HTML pages, the API and the feeds share these, so they accept and reject exactly the same parameters.
A FilterSet takes a queryset and returns a queryset; ``parameter_errors()`` gives the messages of a 400.
Repeated values of one parameter are OR'd, different parameters AND'd.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.models import Locale

from learningcity.caching import cached
from learningcity.filters import CodeFilter, ListingFilterSet, SDGFilter, SearchFilter, StrictFilterSet, term_choices

from .models import (
    AccessibilityFacility,
    ChildCentrePage,
    ChildCentreService,
    Language,
    Municipality,
    Network,
    PartnerKind,
    PartnerPage,
    Partnership,
    Sector,
)

MEMBERSHIPS = [("aspnet", _("UNESCO Associated School (ASPnet)")), ("gnlc", _("UNESCO Learning City network (GNLC)"))]
CHILD_AGES = range(0, 13)


def municipality_choices():
    return cached(
        "municipality-choices", lambda: list(Municipality.objects.order_by("name").values_list("code", "name"))
    )


def _network_choices():
    """One choice per network (not per translation), labelled in the active language when translated."""
    locale = Locale.get_active()
    names = {}
    for network in Network.objects.order_by("name"):
        if network.slug not in names or network.locale_id == locale.pk:
            names[network.slug] = network.name
    return sorted(names.items(), key=lambda item: str(item[1]).lower())


def _age_choices():
    return [(str(age), ngettext_lazy("%(age)s year", "%(age)s years", age) % {"age": age}) for age in CHILD_AGES]


class PartnerFilterSet(ListingFilterSet):
    """Filters of the partner directory: ``kind``, ``sector``, ``municipality``, ``sdg``, ``membership``,
    ``network``, ``language``, ``accessibility`` and ``q``."""

    q = SearchFilter()
    kind = CodeFilter("of_kind", label=_("Kind of organisation"), choices=PartnerKind.choices)
    sector = CodeFilter("in_sector", label=_("Sector"), choices=Sector.choices)
    municipality = CodeFilter("in_municipalities", label=_("Municipality"), choices=municipality_choices)
    sdg = SDGFilter()
    membership = CodeFilter("with_memberships", label=_("Membership"), choices=MEMBERSHIPS)
    network = CodeFilter("in_networks", label=_("Network"), choices=_network_choices)
    language = CodeFilter("speaking", label=_("Language spoken"), choices=term_choices(Language))
    accessibility = CodeFilter("with_facilities", label=_("Accessibility"), choices=term_choices(AccessibilityFacility))

    class Meta:
        model = PartnerPage
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = PartnerPage.objects.all()
        super().__init__(data, queryset=queryset, **kwargs)


class ChildCentreFilterSet(ListingFilterSet):
    """Filters of the child-centre listing: ``age`` (whole years, 0–12), ``service``, ``municipality``, ``q``."""

    q = SearchFilter()
    age = CodeFilter("for_ages", label=_("Age of your child"), choices=_age_choices)
    service = CodeFilter("offering", label=_("Services"), choices=term_choices(ChildCentreService))
    municipality = CodeFilter("in_municipalities", label=_("Municipality"), choices=municipality_choices)

    class Meta:
        model = ChildCentrePage
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = ChildCentrePage.objects.all()
        super().__init__(data, queryset=queryset, **kwargs)


class _Unfiltered(StrictFilterSet):
    """An endpoint without filters: any parameter but ``locale``, ``limit`` and ``offset`` is unknown (a 400)."""

    extra_parameters = frozenset()

    def __init__(self, data=None, queryset=None, *, locale=None, **kwargs):
        super().__init__(data, queryset=queryset if queryset is not None else self._meta.model.objects.none(), **kwargs)


class PartnershipFilterSet(_Unfiltered):
    class Meta:
        model = Partnership
        fields = []


class NetworkFilterSet(_Unfiltered):
    class Meta:
        model = Network
        fields = []


class MunicipalityFilterSet(_Unfiltered):
    class Meta:
        model = Municipality
        fields = []


class DetailFilterSet(_Unfiltered):
    """A detail endpoint: ``locale`` is its one parameter."""

    class Meta:
        model = PartnerPage
        fields = []
