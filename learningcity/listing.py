"""What every filtered listing page shares."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext


class FilteredListingMixin:
    """A page whose listing is filtered by query parameters (its context holds ``filter_errors``).

    Invalid parameters make the response a 400; the page still renders, with the errors next to the form.
    """

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if response.context_data.get("filter_errors"):
            response.status_code = 400
        return response


@dataclass(frozen=True)
class FilterChip:
    """A filter in use, shown above a listing's results: ``label`` ("Language"), ``value`` ("Dutch") and ``url``,
    the same listing without this value."""

    name: str
    label: str
    value: str
    url: str


def filter_chips(
    filters, url: str, *, labels: Mapping[str, Mapping[str, str]] | None = None, skip: Iterable[str] = ()
) -> list[FilterChip]:
    """The values ``filters`` (a valid ``ListingFilterSet``) filters on, each with the listing's ``url`` without it.

    A value is named by ``labels[name][value]`` when given (choices the FilterSet does not hold, such as the
    agenda's partners), else by its filter's choices, its date or its text. Parameters in ``skip`` get no chip.
    Invalid filters give none: the form shows their errors.
    """
    if not filters.is_valid():
        return []
    active = filters.active_filters
    chips = []
    for name, values in active.lists():
        if name in skip:
            continue
        filter_ = filters.filters[name]
        form_field = filters.form.fields[name]
        choices = {str(value): str(label) for value, label in getattr(form_field, "choices", ()) if value != ""}
        for value in values:
            rest = active.copy()
            rest.setlist(name, [other for other in values if other != value])
            query = rest.urlencode()
            chips.append(
                FilterChip(
                    name=name,
                    label=str(filter_.label or name),
                    value=_value_label(
                        name, value, (labels or {}).get(name, {}).get(value) or choices.get(value), filters
                    ),
                    url=f"{url}?{query}" if query else url,
                )
            )
    return chips


def _value_label(name: str, value: str, label: str | None, filters) -> str:
    from .filters import SDGFilter, SearchFilter

    if label:
        return label
    filter_ = filters.filters[name]
    if isinstance(filter_, SDGFilter):
        if "." in value:
            return gettext("Target %(code)s") % {"code": value}
        return gettext("SDG %(number)s") % {"number": value}
    if isinstance(filter_, SearchFilter):
        return f"“{value}”"
    cleaned = filters.form.cleaned_data.get(name)
    if isinstance(cleaned, date):
        return date_format(cleaned, "j F Y")
    return value
