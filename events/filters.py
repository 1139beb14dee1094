"""The agenda's FilterSet, shared by the agenda page, the feeds and the API.

It filters the occurrence index: ``from``/``to`` (local ISO dates) or a preset ``when``, and the event's
attributes ``age``, ``audience``, ``language``, ``free``, ``sdg``, ``organiser``, ``venue``, ``partner`` (organiser or
venue), ``municipality``, ``theme``, ``accessibility``, ``status``, ``q``, and for learning offers ``level`` (a
course level, CEFR A1–C2 included), ``attendance`` (``online``/``offline``), ``registration``
(``required``/``not-required``) and ``places=available`` (dates with places left). Repeated values of one parameter are
OR'd, different parameters AND'd; an invalid value is a 400 naming the parameter. Cancelled occurrences are hidden
unless ``status`` asks for them.

``age`` lists the events whose age range includes the age, both bounds included; an empty bound is open, so an
event without an age range (shown as "All ages") is listed for every age, and an event from 18 years is not listed
for ``age=7``. Audience groups play no part in it (see ``events.audience``).
"""

from datetime import date, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from learningcity.filters import (
    CodeField,
    CodeFilter,
    ListingFilterSet,
    RepeatableValuesMixin,
    SDGFilter,
    SearchFilter,
    parse_integer,
    shown,
    term_choices,
)
from learningcity.sdg import filter_by_sdg
from learningcity.search.query import matching_keys
from partners.filters import municipality_choices
from partners.models import AccessibilityFacility, Language, PartnerPage

from .conf import occurrence_window, site_timezone
from .enums import CourseLevel
from .models import AudienceGroup, EventPage, EventStatus, Occurrence, Theme

WHEN_PRESETS = [("today", _("Today")), ("weekend", _("This weekend")), ("week", _("Next 7 days"))]
FREE_CHOICES = [("true", _("Free")), ("false", _("Paying"))]
ATTENDANCE_CHOICES = [("offline", _("On site")), ("online", _("Online"))]
REGISTRATION_CHOICES = [("required", _("Registration required")), ("not-required", _("No registration needed"))]
PLACES_CHOICES = [("available", _("Places left"))]
MAX_AGE = 120
RENAMED = {"date_from": "from", "date_to": "to"}


def preset_dates(preset: str, today: date) -> tuple[date, date]:
    """The local dates a ``when`` preset covers, inclusive."""
    if preset == "today":
        return today, today
    if preset == "weekend":
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:  # on Sunday, "this weekend" is today
            saturday = today - timedelta(days=1)
        return max(saturday, today), saturday + timedelta(days=1)
    return today, today + timedelta(days=6)


class ISODateField(forms.DateField):
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter a date as YYYY-MM-DD.")}


class ISODateFilter(django_filters.DateFilter):
    field_class = ISODateField


class AgeField(CodeField):
    """Whole years, 0–120; repeatable."""

    default_error_messages = {"invalid_choice": _("%(value)s is not an age in whole years from 0 to 120.")}

    def to_python(self, value):
        ages = []
        for val in super().to_python(value):
            try:
                ages.append(str(parse_integer(val, minimum=0, maximum=MAX_AGE)))
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": shown(val)}
                ) from None
        return list(dict.fromkeys(ages))

    def validate(self, value):
        pass  # to_python() checked every age


class AgeFilter(CodeFilter):
    """``?age=7``: events for a 7-year-old: ``min_age <= 7 <= max_age``, an empty bound open (no range: every age)."""

    field_class = AgeField


class PartnerIdField(RepeatableValuesMixin, forms.MultipleChoiceField):
    """Partner page ids (of any language); repeatable. Unknown ids are an error, so typos don't go unnoticed."""

    default_error_messages = {"invalid_choice": _("%(value)s is not the id of a partner.")}

    def to_python(self, value):
        # The ids as the database writes them ("007" is 7), so they compare with the partners found.
        values = super().to_python(value)
        for val in values:
            if not self.valid_value(val):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": shown(val)}
                )
        return list(dict.fromkeys(str(int(val)) for val in values))

    def valid_value(self, value):
        try:
            parse_integer(value, minimum=1)
        except ValidationError:
            return False
        return True

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        known = {
            str(pk) for pk in PartnerPage.objects.filter(pk__in=[int(v) for v in value]).values_list("pk", flat=True)
        }
        for val in value:
            if val not in known:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": val}
                )


class PartnerFilter(django_filters.MultipleChoiceFilter):
    """Events linked to the partners given by id, in any language, through any of ``lookups``.

    ``?organiser=12``: organised by partner 12; ``?venue=12``: held at its building; ``?partner=12``: either (the
    activities a partner page lists and links to).
    """

    field_class = PartnerIdField

    def __init__(self, *lookups: str, **kwargs):
        self.lookups = lookups
        kwargs.setdefault("choices", [])
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        # The partners' pages in every language, read from Wagtail's page table alone (the ids were checked to be
        # partners'): joining the partners' own table too doubled what PostgreSQL plans for each statement.
        translations = Page.objects.filter(pk__in=[int(v) for v in value]).values("translation_key")
        partners = Page.objects.filter(translation_key__in=translations).values("pk")
        # One IN over the union of the lookups' events: PostgreSQL then starts from the partner's few events, where
        # an OR of two INs made it read every upcoming date and test each against both (10 ms against 1 ms at
        # 10,000 events, for each of a partner page's two statements).
        first, *others = (
            EventPage.objects.filter(**{f"{lookup}__in": partners}).order_by().values("pk") for lookup in self.lookups
        )
        return qs.filter(event__in=first.union(*others, all=True) if others else first)


class EventSearchFilter(SearchFilter):
    """``?q=…``: the site search's matching (``q=taal`` lists the Taalcafé's dates) in the filter set's locale."""

    def search(self, qs, terms: str):
        return qs.filter(event_key__in=matching_keys(terms, self.parent.locale, kind="event"))


class EventFilterForm(forms.Form):
    """Checks the dates together: ``to`` not before ``from``, both inside the occurrence window."""

    today: date

    def clean(self):
        data = super().clean()
        first, last = occurrence_window(self.today)
        date_from, date_to, when = data.get("from"), data.get("to"), data.get("when")
        if when and (date_from or date_to):
            self.add_error("when", _("Use either when or from and to, not both."))
        for name, value in (("from", date_from), ("to", date_to)):
            if value and not first <= value <= last:
                self.add_error(
                    name,
                    _("%(date)s is outside the agenda, which runs from %(first)s to %(last)s.")
                    % {"date": value.isoformat(), "first": first.isoformat(), "last": last.isoformat()},
                )
        if date_from and date_to and date_to < date_from:
            self.add_error("to", _("The end date comes before the start date."))
        return data


class DateWindowFilterSet(ListingFilterSet):
    """``from``/``to`` over the occurrence index, with the agenda's bounds; ``qs`` is ordered by start, then event.

    Without dates: what is ongoing and upcoming. The detail of an event (``/events/{uuid}/``) pages its dates
    with this FilterSet alone; the agenda's adds its other filters.
    """

    date_from = ISODateFilter(label=_("From"), method="filter_noop")
    date_to = ISODateFilter(label=_("Until"), method="filter_noop")

    class Meta:
        model = Occurrence
        fields = []
        form = EventFilterForm

    @classmethod
    def get_filters(cls):
        # "from" is a Python keyword, so the date filters are declared under other names and renamed here.
        filters = super().get_filters()
        return type(filters)({RENAMED.get(name, name): filter_ for name, filter_ in filters.items()})

    def __init__(self, data=None, queryset=None, *, today: date | None = None, **kwargs):
        self.today = today or timezone.localdate(timezone=site_timezone())
        if queryset is None:
            queryset = Occurrence.objects.all()
        super().__init__(data, queryset=queryset, **kwargs)
        self.form.today = self.today

    def date_range(self) -> tuple[date | None, date | None]:
        """The local dates the listing covers; ``(None, None)`` means ongoing and upcoming."""
        data = self.form.cleaned_data
        return data.get("from"), data.get("to")

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.between(*self.date_range()))

    def filter_noop(self, queryset, name, value):
        return queryset  # dates are applied together in filter_queryset()


class EventFilterSet(DateWindowFilterSet):
    """Filters of the agenda; ``qs`` is a queryset of occurrences ordered by start, then event."""

    when = django_filters.ChoiceFilter(label=_("When"), choices=WHEN_PRESETS, method="filter_noop")
    q = EventSearchFilter()
    age = AgeFilter("for_ages", label=_("Age"), choices=[])
    audience = CodeFilter("for_audience", label=_("For"), choices=term_choices(AudienceGroup))
    language = CodeFilter("in_languages", label=_("Language"), choices=term_choices(Language))
    free = django_filters.ChoiceFilter(label=_("Cost"), choices=FREE_CHOICES, method="filter_free")
    sdg = SDGFilter(method="filter_sdg")
    organiser = PartnerFilter("organisers", label=_("Organiser"))
    venue = PartnerFilter("venue", label=_("Venue"))
    partner = PartnerFilter("organisers", "venue", label=_("Organiser or venue"))
    municipality = CodeFilter("in_municipalities", label=_("Municipality"), choices=municipality_choices)
    theme = CodeFilter("with_themes", label=_("Theme"), choices=term_choices(Theme))
    accessibility = CodeFilter("with_facilities", label=_("Accessibility"), choices=term_choices(AccessibilityFacility))
    status = CodeFilter("with_status", label=_("Status"), choices=EventStatus.choices)
    level = CodeFilter("at_levels", label=_("Level"), choices=CourseLevel.choices)
    attendance = CodeFilter("attended", label=_("Online or on site"), choices=ATTENDANCE_CHOICES)
    registration = CodeFilter("with_registration", label=_("Registration"), choices=REGISTRATION_CHOICES)
    places = CodeFilter("with_places", label=_("Places"), choices=PLACES_CHOICES)

    class Meta(DateWindowFilterSet.Meta):
        pass

    def date_range(self) -> tuple[date | None, date | None]:
        """The local dates the listing covers, after presets; ``(None, None)`` means ongoing and upcoming."""
        data = self.form.cleaned_data
        if data.get("when"):
            return preset_dates(data["when"], self.today)
        return super().date_range()

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.visible()
        return super().filter_queryset(queryset)

    def filter_sdg(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(event__in=filter_by_sdg(EventPage.objects.all(), value).values("pk"))

    def filter_free(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(event__is_free=value == "true")
