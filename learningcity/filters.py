"""Filtering shared by every listing, API endpoint and feed: strict parameter checking and the SDG filter.

Every parameter is read here the same way for the HTML listings, the feeds and the API:

- a whole number is ASCII digits only (``parse_integer``): ``str.isdigit()`` and ``int()`` also take "²", "٣"
  or "１", and a number of thousands of digits costs seconds to convert;
- a repeatable parameter (``?age=7&age=9``) loses its duplicates and takes at most ``MAX_VALUES`` values;
- any other parameter may be given once;
- ``q`` is reduced to its words (``search_terms``) before it reaches a search backend.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from .compat import FieldCopies, FilterCopies
from .sdg import filter_by_sdg, valid_codes

MAX_DIGITS = 9
MAX_VALUES = 20
MAX_SEARCH_LENGTH = 200
MAX_QUERY_WORDS = 8  # more words narrow nothing a resident means, and each one is a condition
SHOWN_LENGTH = 40
WHOLE_NUMBER = re.compile(r"-?[0-9]+")  # [0-9], not \d: \d matches every script's digits
WORD = re.compile(r"\w+")

NOT_A_NUMBER = _("%(value)s is not a whole number. Use at most %(digits)s digits 0-9.")
OUT_OF_RANGE = _("%(value)s is not a number from %(min)s to %(max)s.")
BELOW_MINIMUM = _("%(value)s is not a number of at least %(min)s.")
REPEATED = _("Give this parameter once.")
# What newsletters, social media and advertising platforms add to the links that lead here: never a filter, so
# never refused (a link in the city's newsletter must not open on an error) and left out of cache keys.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl"}
)
TOO_MANY_VALUES = _("Give at most %(max)s different values.")


def shown(value) -> str:
    """A value as an error message quotes it: cut short, so a long value does not fill the answer."""
    text = str(value)
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + "…"


def parse_integer(raw, *, minimum: int | None = None, maximum: int | None = None, digits: int = MAX_DIGITS) -> int:
    """A whole number written with ASCII digits (and a minus sign when ``minimum`` allows negative numbers).

    Raises ``ValidationError`` (code ``invalid`` or ``range``) whose message quotes the value.
    """
    text = str(raw)
    negative_allowed = minimum is None or minimum < 0
    if (
        not WHOLE_NUMBER.fullmatch(text)
        or len(text.lstrip("-")) > digits
        or (text.startswith("-") and not negative_allowed)
    ):
        raise ValidationError(NOT_A_NUMBER, code="invalid", params={"value": shown(text), "digits": digits})
    value = int(text)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        message = BELOW_MINIMUM if maximum is None else OUT_OF_RANGE
        raise ValidationError(message, code="range", params={"value": shown(text), "min": minimum, "max": maximum})
    return value


class RepeatableValuesMixin:
    """For a repeatable parameter's form field: duplicates are dropped, at most ``MAX_VALUES`` values remain.

    600 copies of ``age=7`` are one ``age=7``, not 600 conditions (SQLite refuses an expression that deep).
    """

    def to_python(self, value):
        values = list(dict.fromkeys(super().to_python(value)))
        if len(values) > MAX_VALUES:
            raise ValidationError(TOO_MANY_VALUES, code="too_many", params={"max": MAX_VALUES})
        return values


def is_tracking_parameter(name: str) -> bool:
    """Whether ``name`` is a campaign or click tracking parameter (``utm_source``, ``fbclid``…)."""
    return name.startswith("utm_") or name in TRACKING_PARAMETERS


def unknown_parameters(data, known) -> list[str]:
    """The names in ``data`` (a query) that are not ``known`` and not tracking parameters, sorted: each a 400."""
    return sorted(name for name in (data or {}) if name not in known and not is_tracking_parameter(name))


def search_terms(value) -> str:
    """The words of a search box's text, for a search backend: nothing a query syntax could read.

    Quotes, ``*``, ``(``, ``-``, ``:`` and NUL are left out; what remains are words separated by spaces, which
    the SQLite (FTS5) and PostgreSQL backends quote as terms (so ``NEAR`` or ``OR`` are words, not operators).
    Each word is kept once, and at most ``MAX_QUERY_WORDS`` of them, as the site search does: every word is a
    condition of its own (a hundred times "a" took Wagtail's page search almost a second).
    """
    words = WORD.findall(str(value or "")[:MAX_SEARCH_LENGTH])
    return " ".join(list(dict.fromkeys(words))[:MAX_QUERY_WORDS])


class SDGCodeField(RepeatableValuesMixin, forms.MultipleChoiceField):
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


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet that also rejects parameters it does not know, or gives twice when they take one value.

    ``extra_parameters`` names parameters the caller handles itself (``page``, ``locale``…); each is given at
    most once, and ``page`` is a page number (``page_number``). Its filters are copied cheaply
    (``compat.FilterCopies``), its form class is made once per FilterSet class, and each form copies that class's
    fields cheaply (``compat.FieldCopies``).
    """

    extra_parameters: frozenset[str] = frozenset({"page"})

    @classmethod
    def get_filters(cls):
        return FilterCopies(super().get_filters())

    @classmethod
    def is_repeatable(cls, name: str) -> bool:
        """Whether ``name`` may be given several times (its values are OR'd)."""
        filter_ = cls.base_filters.get(name)
        return isinstance(filter_, django_filters.MultipleChoiceFilter)

    @classmethod
    def canonical_items(cls, data) -> list[tuple[str, str]]:
        """``data`` as sorted pairs, each repeatable parameter's values once: a cache key for what it selects.

        Only the order and the duplicates of repeatable values, which change nothing, and tracking parameters are
        left out; anything else (a repeated single value, an unknown name) stays, so such a request is still
        checked and refused.
        """
        items = []
        for name, values in data.lists():
            if is_tracking_parameter(name):
                continue
            if cls.is_repeatable(name):
                values = sorted(set(values))
            items += [(name, value) for value in values]
        return sorted(items)

    def get_form_class(self):
        cls = type(self)
        if "_form_class" not in cls.__dict__:  # the fields depend on the class's filters only
            form_class = super().get_form_class()
            form_class.base_fields = FieldCopies(form_class.base_fields)
            cls._form_class = form_class
        return cls._form_class

    def unknown_parameters(self) -> list[str]:
        known = set(self.filters) | set(self.extra_parameters)
        return unknown_parameters(self.data, known)

    def repeated_parameters(self) -> list[str]:
        """Known parameters that take one value but were given more than once."""
        if not hasattr(self.data, "getlist"):
            return []
        known = set(self.filters) | set(self.extra_parameters)
        return sorted(
            name
            for name in self.data
            if name in known and not self.is_repeatable(name) and len(self.data.getlist(name)) > 1
        )

    @cached_property
    def page_errors(self) -> list[str]:
        if "page" not in self.extra_parameters or "page" in self.repeated_parameters():
            return []
        try:
            self.page_number  # noqa: B018 -- parsing is the check
        except ValidationError as error:
            return [str(message) for message in error.messages]
        return []

    @cached_property
    def page_number(self) -> int:
        """The ``page`` parameter (1 when absent); raises ``ValidationError`` unless a number of at least 1."""
        raw = self.data.get("page") if self.data else None
        if raw is None or not str(raw).strip():
            return 1
        return parse_integer(str(raw).strip(), minimum=1)

    def is_valid(self) -> bool:
        return (
            super().is_valid()
            and not self.unknown_parameters()
            and not self.repeated_parameters()
            and not self.page_errors
        )

    def parameter_errors(self) -> dict[str, list[str]]:
        """Messages per parameter name, for a 400 response."""
        errors = {name: [str(message) for message in messages] for name, messages in self.form.errors.items()}
        for name in self.repeated_parameters():
            errors[name] = [str(REPEATED)]
        if self.page_errors:
            errors["page"] = self.page_errors
        for name in self.unknown_parameters():
            errors[name] = [str(_("Unknown parameter."))]
        return errors


class CodeField(RepeatableValuesMixin, forms.MultipleChoiceField):
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
    """``?q=…``: the site search's matching among the pages in the filter set's locale, for the words of ``q``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", MAX_SEARCH_LENGTH)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = search_terms(value)
        if not value:
            return qs
        return self.search(qs, value)

    def search(self, qs, terms: str):
        """``qs`` narrowed to the pages matching ``terms`` (words only, see ``search_terms``)."""
        from .search.query import matching_keys

        return qs.filter(translation_key__in=matching_keys(terms, self.parent.locale))


class ListingFilterSet(StrictFilterSet):
    """Blank values (an empty select, an empty search box) mean "no filter", as a GET form sends them."""

    def __init__(self, data=None, *args, locale: Locale | None = None, **kwargs):
        self.locale = locale or Locale.get_active()
        super().__init__(_without_blanks(data, known=self.base_filters), *args, **kwargs)

    @property
    def active_filters(self) -> QueryDict:
        """The filter parameters in use, for links that keep them (pagination, the chips' links), each value once:
        a value given many times filters once, and each chip's link copies this query (``filter_chips``)."""
        query = QueryDict(mutable=True)
        if isinstance(self.data, QueryDict):
            for name, values in self.data.lists():
                if name in self.filters:
                    query.setlist(name, list(dict.fromkeys(values)))
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
