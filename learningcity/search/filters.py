"""The search's parameters: ``q`` and the facets, checked as every listing's are (unknown or wrong values are
errors naming the parameter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from ..filters import CodeField, ListingFilterSet, SearchFilter
from ..models import SearchDocument
from .facets import FACETS, facet_label, value_labels
from .text import query_words


class FacetFilter(django_filters.MultipleChoiceFilter):
    """A facet's values (repeatable); the search reads them from the form, so filtering does nothing here."""

    field_class = CodeField

    def __init__(self, name: str, *args, **kwargs):
        kwargs.setdefault("choices", lambda: list(value_labels(name).items()))
        kwargs.setdefault("label", facet_label(name))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs


class QueryFilter(SearchFilter):
    def filter(self, qs, value):
        return qs


class SiteSearchFilterSet(ListingFilterSet):
    q = QueryFilter(label=_("Search for"))
    type = FacetFilter("type")
    theme = FacetFilter("theme")
    audience = FacetFilter("audience")
    age = FacetFilter("age")
    municipality = FacetFilter("municipality")
    sdg = FacetFilter("sdg")
    free = FacetFilter("free")

    class Meta:
        model = SearchDocument
        fields = []

    def chosen_facets(self) -> dict[str, list[str]]:
        data = self.form.cleaned_data if self.is_valid() else {}
        return {name: list(data.get(name) or []) for name in FACETS if data.get(name)}

    @property
    def text(self) -> str:
        return (self.form.cleaned_data.get("q") or "") if self.is_valid() else ""

    @property
    def words(self) -> list[str]:
        """The words searched for: a ``q`` of punctuation alone searches nothing."""
        return query_words(self.text)


class AutocompleteFilterSet(ListingFilterSet):
    q = QueryFilter(label=_("What has been typed"))

    class Meta:
        model = SearchDocument
        fields = []

    @property
    def text(self) -> str:
        return (self.form.cleaned_data.get("q") or "") if self.is_valid() else ""
