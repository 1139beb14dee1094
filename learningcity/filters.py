"""Filtering shared by every listing, API endpoint and feed: strict parameter checking and the SDG filter."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

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


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet that also rejects parameters it does not know.

    ``extra_parameters`` names parameters the caller handles itself (``page``, ``locale``…).
    """

    extra_parameters: frozenset[str] = frozenset({"page"})

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
