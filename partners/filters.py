"""One FilterSet per listing: the partner directory and the child-centre listing.

The HTML pages, the API and the feeds share these, so they accept and reject exactly the same parameters.
A FilterSet takes a queryset and returns a queryset; ``parameter_errors()`` gives the messages of a 400.
Repeated values of one parameter are OR'd, different parameters AND'd.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.models import Locale

from learningcity.filters import SDGFilter, StrictFilterSet

from .models import (
    AccessibilityFacility,
    ChildCentrePage,
    ChildCentreService,
    Language,
    Municipality,
    Network,
    PartnerKind,
    PartnerPage,
    Sector,
)

MEMBERSHIPS = [("aspnet", _("UNESCO Associated School (ASPnet)")), ("gnlc", _("UNESCO Learning City network (GNLC)"))]
CHILD_AGES = range(0, 13)


class CodeField(forms.MultipleChoiceField):
    """A repeatable parameter whose error message lists the values it accepts."""

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {
        "invalid_choice": _("%(value)s is not allowed. Allowed values: %(allowed)s."),
    }

    def validate(self, value):
        for val in value:
            if not self.valid_value(val):
                allowed = ", ".join(str(key) for key, _label in self.choices)
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": val, "allowed": allowed},
                )


class CodeFilter(django_filters.MultipleChoiceFilter):
    """``?kind=library&kind=museum``: calls the queryset method ``method_name`` with the list of codes."""

    field_class = CodeField

    def __init__(self, queryset_method: str, *args, **kwargs):
        self.queryset_method = queryset_method
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return getattr(qs, self.queryset_method)(value)


def _term_choices(model):
    def choices():
        return [(term.code, term.label) for term in model.objects.order_by("position")]

    return choices


def _municipality_choices():
    return list(Municipality.objects.order_by("name").values_list("code", "name"))


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


class SearchFilter(django_filters.CharFilter):
    """``?q=…``: Wagtail search among the pages in the filter set's locale."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Search"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        candidates = qs.model.objects.filter(locale=self.parent.locale)
        pks = [page.pk for page in candidates.search(value)]
        return qs.filter(pk__in=pks)


class ListingFilterSet(StrictFilterSet):
    """Blank values (an empty select, an empty search box) mean "no filter", as a GET form sends them."""

    def __init__(self, data=None, *args, locale: Locale | None = None, **kwargs):
        self.locale = locale or Locale.get_active()
        super().__init__(_without_blanks(data, known=self.base_filters), *args, **kwargs)

    @property
    def active_filters(self) -> QueryDict:
        """The filter parameters in use, for links that keep them (pagination)."""
        query = QueryDict(mutable=True)
        if isinstance(self.data, QueryDict):
            for name, values in self.data.lists():
                if name in self.filters:
                    query.setlist(name, values)
        return query


def _without_blanks(data, known):
    """Drop blank values of known parameters; unknown ones stay, so they are still rejected."""
    if data is None:
        return None
    cleaned = QueryDict(mutable=True)
    if hasattr(data, "lists"):
        items = data.lists()
    else:
        items = ((key, value if isinstance(value, list | tuple) else [value]) for key, value in data.items())
    for name, values in items:
        kept = [str(value).strip() for value in values if str(value).strip()]
        if name not in known:
            cleaned.setlist(name, list(values))
        elif kept:
            cleaned.setlist(name, kept)
    return cleaned


class PartnerFilterSet(ListingFilterSet):
    """Filters of the partner directory: ``kind``, ``sector``, ``municipality``, ``sdg``, ``membership``,
    ``network``, ``language``, ``accessibility`` and ``q``."""

    q = SearchFilter()
    kind = CodeFilter("of_kind", label=_("Kind of organisation"), choices=PartnerKind.choices)
    sector = CodeFilter("in_sector", label=_("Sector"), choices=Sector.choices)
    municipality = CodeFilter("in_municipalities", label=_("Municipality"), choices=_municipality_choices)
    sdg = SDGFilter()
    membership = CodeFilter("with_memberships", label=_("Membership"), choices=MEMBERSHIPS)
    network = CodeFilter("in_networks", label=_("Network"), choices=_network_choices)
    language = CodeFilter("speaking", label=_("Language spoken"), choices=_term_choices(Language))
    accessibility = CodeFilter(
        "with_facilities", label=_("Accessibility"), choices=_term_choices(AccessibilityFacility)
    )

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
    service = CodeFilter("offering", label=_("Services"), choices=_term_choices(ChildCentreService))
    municipality = CodeFilter("in_municipalities", label=_("Municipality"), choices=_municipality_choices)

    class Meta:
        model = ChildCentrePage
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = ChildCentrePage.objects.all()
        super().__init__(data, queryset=queryset, **kwargs)
