"""Filtering shared by every listing, API endpoint and feed: strict parameter checking and the SDG filter."""

import copy

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from .sdg import filter_by_sdg, valid_codes


class SDGCodeField(forms.MultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _(
            "%(value)s is not an SDG goal or target. Use a goal number from 1 to 17 or a target code such as 4.7."
        ),
    }

    def valid_value(self, value):
        return value in valid_codes()


class SDGFilter(django_filters.MultipleChoiceFilter):
    """``?sdg=4&sdg=11.3``: pages tagged with goal 4 or target 11.3."""

    field_class = SDGCodeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Sustainable development goal"))
        kwargs.setdefault("choices", [])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return filter_by_sdg(qs, value)


class FilterCopies(dict):
    """A FilterSet's declared filters, which every instance copies one by one (and shallowly).

    django-filter deep-copies the declared filters for each FilterSet, so on every request, with their lists
    of choices; that took a fifth of a cached agenda page. A request changes nothing in a filter but its
    ``model``, its ``parent`` (the FilterSet) and the ``method`` bound to that parent, and the copies get
    those anew.
    """

    def __deepcopy__(self, memo):
        return {name: _copy_filter(filter_) for name, filter_ in self.items()}


def _copy_filter(filter_: django_filters.Filter) -> django_filters.Filter:
    copied = copy.copy(filter_)
    copied.__dict__.pop("_field", None)  # each FilterSet's form gets fields of its own
    if filter_.method is not None:
        copied.method = filter_.method  # binds a new FilterMethod to the copy, not to the declared filter
    return copied


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet that also rejects parameters it does not know.

    ``extra_parameters`` names parameters the caller handles itself (``page``, ``locale``…). Its filters are
    copied cheaply (``FilterCopies``) and its form class is made once per FilterSet class.
    """

    extra_parameters: frozenset[str] = frozenset({"page"})

    @classmethod
    def get_filters(cls):
        return FilterCopies(super().get_filters())

    def get_form_class(self):
        cls = type(self)
        if "_form_class" not in cls.__dict__:  # the fields depend on the class's filters only
            cls._form_class = super().get_form_class()
        return cls._form_class

    def unknown_parameters(self) -> list[str]:
        known = set(self.filters) | set(self.extra_parameters)
        return sorted(name for name in (self.data or {}) if name not in known)

    def is_valid(self) -> bool:
        return super().is_valid() and not self.unknown_parameters()

    def parameter_errors(self) -> dict[str, list[str]]:
        """Messages per parameter name, for a 400 response."""
        errors = {name: [str(message) for message in messages] for name, messages in self.form.errors.items()}
        for name in self.unknown_parameters():
            errors[name] = [str(_("Unknown parameter."))]
        return errors


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


def term_choices(model):
    """The choices of a fixed term list (a CodedTerm model): codes with their translated labels, in list order.

    They come from the model's ``LABELS`` (the data migrations load the rows in that order), so filter forms
    need no query for them.
    """
    return list(model.LABELS.items())


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
