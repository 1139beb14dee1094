"""Event pages: the city agenda's index page, the event page and its schedule rows."""

import hashlib
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from learningcity.caching import cached, cached_locale
from learningcity.compat import SynchronisedManyToManyField
from learningcity.listing import FilteredListingMixin
from learningcity.models import SDGGoal, SDGTaggedMixin
from learningcity.querysets import TranslatedPageQuerySet
from learningcity.response_cache import ExpiresWithTheMinuteMixin
from learningcity.routing import ViewRestrictionsMixin
from partners.models import AccessibilityFacility, AddressMixin, Language

from ..audience import age_range_label
from ..conf import date_bounds, default_tzid, max_count, max_duration, max_interval
from ..enums import AttendanceMode, CourseLevel, EventStatus, Frequency, Funding, RegistrationStatus
from ..forms import EventPageForm, too_many_places_left
from ..recurrence import Override, Schedule, clamp, shift
from .fields import MonthDaysField, OrdinalsField, WeekdaysField
from .taxonomy import AudienceGroup, Theme

# available_timezones() walks the tz database on disk at every call; the set does not change while running.
known_timezones = cache(available_timezones)

# The most places an event or one of its dates can have; a larger number is a typing error.
MAX_PLACES = 100_000
MAX_SESSIONS = 1000
MAX_HOURS = 10_000


def places_validators() -> list:
    return [MinValueValidator(0), MaxValueValidator(MAX_PLACES)]


def validate_tzid(value: str) -> None:
    if value not in known_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone. Use a name such as Europe/Brussels."), params={"value": value}
        )


def date_bound_errors(instance: models.Model, names: tuple[str, ...]) -> dict[str, ValidationError]:
    """Errors for the date fields of ``instance`` that lie outside ``conf.date_bounds()``, by field name."""
    first, last = date_bounds()
    errors = {}
    for name in names:
        value = getattr(instance, name)
        if value is not None and not first <= value <= last:
            errors[name] = ValidationError(
                _("%(field)s must fall between %(first)s and %(last)s."),
                code="date_out_of_bounds",
                params={
                    "field": capfirst(instance._meta.get_field(name).verbose_name),
                    "first": first.isoformat(),
                    "last": last.isoformat(),
                },
            )
    return errors


def too_long_error(field: str) -> ValidationError:
    return ValidationError(
        _("%(field)s is more than %(days)s days after the start."),
        code="too_long",
        params={"field": field, "days": max_duration().days},
    )


class EventPageQuerySet(TranslatedPageQuerySet):
    def summaries(self, locale, request=None, **options) -> dict:
        """The ``EventSummary`` of each event, by page id, in ``locale`` (see ``events.summaries.summarise``)."""
        from ..summaries import summarise

        return summarise(self, locale, request, **options)


EventPageManager = PageManager.from_queryset(EventPageQuerySet)


class EventIndexPage(ExpiresWithTheMinuteMixin, FilteredListingMixin, ViewRestrictionsMixin, Page):
    """The municipality's agenda; its listing arrives with the agenda issue."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["learningcity.HomePage"]
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("agenda")

    def get_context(self, request, *args, **kwargs):
        from wagtail.models import Site

        from ..context import agenda_context, agenda_filter_chips, partner_choices
        from ..filters import EventFilterSet

        context = super().get_context(request, *args, **kwargs)
        site = Site.find_for_request(request) or self.get_site()
        locale = cached_locale(self.locale_id)
        context.update(agenda_context(request, site, locale=locale))
        context["partner_choices"] = partner_choices(request, context["filters"], locale)
        context["filter_chips"] = agenda_filter_chips(request, context["filters"], context["partner_choices"])
        context["clear_filters_url"] = request.path
        context["when_presets"] = EventFilterSet.base_filters["when"].extra["choices"]
        context["sdg_goals"] = cached("sdg-goals", lambda: list(SDGGoal.objects.all()))
        context["selected_sdg_targets"] = [code for code in request.GET.getlist("sdg") if "." in code]
        return context


class EventPage(ExpiresWithTheMinuteMixin, SDGTaggedMixin, AddressMixin, ViewRestrictionsMixin, Page):
    """A lifelong-learning event: a one-off, a multi-day event or a series."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, editable=False, db_index=True)
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences residents see in the agenda.")
    )
    body = RichTextField(
        _("description"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ul", "ol", "document-link"]
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    image_alt_text = models.CharField(
        _("alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describes the image for residents who cannot see it; required when there is an image."),
    )
    themes = ParentalManyToManyField(
        Theme, blank=True, related_name="+", verbose_name=_("themes"), help_text=_("Residents can filter on themes.")
    )

    # The schedule, in the event's own time zone.
    tzid = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_tzid,
        validators=[validate_tzid],
        help_text=_("Times are local to this zone, e.g. Europe/Brussels; residents see them in local time."),
    )
    all_day = models.BooleanField(
        _("all day"), default=False, help_text=_("Residents see dates only, e.g. an open day or a summer school.")
    )
    start_date = models.DateField(_("start date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("The last day, for events over several days. Leave empty for an event on one day."),
    )
    end_time = models.TimeField(
        _("end time"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the end is open. An end time before the start time means the next day."),
    )
    frequency = models.CharField(
        _("repeats"),
        max_length=10,
        choices=Frequency.choices,
        blank=True,
        help_text=_("Residents see every date of the series in the agenda."),
    )
    interval = models.PositiveSmallIntegerField(
        _("every"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(max_interval)],
        help_text=_("E.g. 2 with 'Weekly' for every other week."),
    )
    weekdays = WeekdaysField(
        _("on weekdays"),
        help_text=_(
            "For weekly series, and with 'on the' for monthly and yearly ones; the start date must be one of them."
        ),
    )
    ordinals = OrdinalsField(
        _("on the"),
        help_text=_(
            "For monthly and yearly series on a weekday: e.g. 'first' and Wednesday for every first Wednesday of the "
            "month; a yearly series takes the start date's month."
        ),
    )
    month_days = MonthDaysField(
        _("on days of the month"),
        help_text=_("For monthly series on fixed days, e.g. 1, 15; months without such a day are skipped."),
    )
    until = models.DateField(_("repeats until"), null=True, blank=True, help_text=_("The last possible date."))
    count = models.PositiveSmallIntegerField(
        _("number of times"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(max_count)],
        help_text=_("Instead of an end date: how many times the series takes place."),
    )
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED)
    status_reason = models.TextField(
        _("reason"),
        blank=True,
        max_length=500,
        help_text=_("Shown to residents next to the status, e.g. 'The speaker is ill; new date follows.'"),
    )
    sequence = models.PositiveIntegerField(
        _("revision of the schedule"),
        default=0,
        editable=False,
        help_text=_("Rises whenever the schedule changes, so calendar subscribers update their copy."),
    )
    schedule_fingerprint = models.CharField(max_length=40, blank=True, editable=False)
    source_uid = models.CharField(_("source UID"), max_length=255, blank=True, editable=False, db_index=True)
    source_last_modified = models.DateTimeField(_("source last modified"), null=True, blank=True, editable=False)

    # Where.
    attendance_mode = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceMode.choices, default=AttendanceMode.OFFLINE
    )
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Where residents join online; required for online events.")
    )
    venue = models.ForeignKey(
        "partners.PartnerPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_events",
        verbose_name=_("venue"),
        help_text=_("A partner's building; residents see its address. Or leave empty and give an address below."),
    )
    venue_name = models.CharField(
        _("place name"), max_length=200, blank=True, help_text=_("For an address that is not a partner's, e.g. a park.")
    )
    organisers = ParentalManyToManyField(
        "partners.PartnerPage",
        blank=True,
        related_name="organised_events",
        verbose_name=_("organisers"),
        help_text=_("Residents see them on the event and can filter on them."),
    )

    # Who.
    min_age = models.PositiveSmallIntegerField(
        _("youngest age (years)"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("oldest age (years)"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    audience_groups = ParentalManyToManyField(
        AudienceGroup, blank=True, related_name="+", verbose_name=_("for"), help_text=_("Residents filter on these.")
    )
    languages = ParentalManyToManyField(
        Language,
        blank=True,
        related_name="+",
        verbose_name=_("languages"),
        help_text=_("The languages the event is held in."),
    )
    accessibility = ParentalManyToManyField(
        AccessibilityFacility, blank=True, related_name="+", verbose_name=_("accessibility facilities")
    )

    # Cost and registration.
    is_free = models.BooleanField(_("free"), default=True)
    price = models.DecimalField(
        _("price"), max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", help_text=_("E.g. EUR."))
    price_note = models.CharField(
        _("reduced prices"),
        max_length=250,
        blank=True,
        help_text=_("Shown with the price, e.g. 'Half price with a UiTPAS or for job seekers'."),
    )
    registration_required = models.BooleanField(_("registration required"), default=False)
    registration_url = models.URLField(_("registration link"), blank=True)
    registration_email = models.EmailField(_("registration e-mail"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=places_validators(),
        help_text=_("Number of places on each date; a change to one date can give it other numbers."),
    )
    registration_status = models.CharField(
        _("places"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.OPEN,
        help_text=_("Residents see whether they can still register."),
    )

    # Courses.
    course_level = models.CharField(_("level"), max_length=20, choices=CourseLevel.choices, blank=True)
    prerequisites = models.TextField(
        _("prerequisites"), blank=True, max_length=1000, help_text=_("What residents need to know or bring.")
    )
    certificate = models.CharField(
        _("certificate"), max_length=200, blank=True, help_text=_("E.g. 'Certificate of attendance'.")
    )
    session_count = models.PositiveSmallIntegerField(
        _("number of sessions"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSIONS)],
        help_text=_("How many lessons the whole course has."),
    )
    total_hours = models.DecimalField(
        _("total hours"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_HOURS)],
        help_text=_("The hours of teaching of the whole course, e.g. 24 or 37.5."),
    )
    funding = models.CharField(
        _("funding"),
        max_length=20,
        choices=Funding.choices,
        blank=True,
        help_text=_("A scheme that can pay for the course; residents see it with the price."),
    )

    objects = EventPageManager()

    override_translatable_fields = SDGTaggedMixin.override_translatable_fields + [
        SynchronisedManyToManyField("themes"),
        SynchronisedManyToManyField("organisers"),
        SynchronisedManyToManyField("audience_groups"),
        SynchronisedManyToManyField("languages"),
        SynchronisedManyToManyField("accessibility"),
        SynchronizedField("tzid", overridable=False),
        SynchronizedField("weekdays", overridable=False),
        SynchronizedField("ordinals", overridable=False),
        SynchronizedField("month_days", overridable=False),
        SynchronizedField("currency", overridable=False),
        SynchronizedField("postcode", overridable=False),
        SynchronizedField("country", overridable=False),
    ]
    exclude_fields_in_copy = ["uuid", "sequence", "schedule_fingerprint", "source_uid", "source_last_modified"]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt_text")], heading=_("Image")),
        FieldPanel("body"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
    ]
    schedule_panels = [
        FieldPanel("all_day"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")], heading=_("Start")),
        FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")], heading=_("End")),
        FieldPanel("tzid"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("frequency"), FieldPanel("interval")]),
                FieldPanel("weekdays"),
                FieldRowPanel([FieldPanel("ordinals"), FieldPanel("month_days")]),
                FieldRowPanel([FieldPanel("until"), FieldPanel("count")]),
            ],
            heading=_("Repetition"),
        ),
        InlinePanel("extra_dates", label=_("Extra dates")),
        InlinePanel("excluded_dates", label=_("Dates without the event")),
        InlinePanel("occurrence_exceptions", label=_("Changes to one date")),
        MultiFieldPanel([FieldPanel("status"), FieldPanel("status_reason")], heading=_("Status")),
    ]
    place_panels = [
        FieldRowPanel([FieldPanel("attendance_mode"), FieldPanel("online_url")]),
        FieldPanel("venue"),
        FieldPanel("venue_name"),
        *AddressMixin.address_panels,
        FieldPanel("organisers"),
    ]
    practical_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age")]),
                FieldPanel("audience_groups", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Audience"),
            help_text=_(
                "Without ages, residents read 'All ages' and the agenda lists the event for every age. "
                "For adults only, give 18 as the youngest age."
            ),
        ),
        FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("is_free"),
                FieldRowPanel([FieldPanel("price"), FieldPanel("currency")]),
                FieldPanel("price_note"),
            ],
            heading=_("Cost"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration_required"),
                FieldRowPanel([FieldPanel("registration_url"), FieldPanel("registration_email")]),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_status")]),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("accessibility", widget=forms.CheckboxSelectMultiple),
    ]
    course_panels = [
        FieldPanel("course_level"),
        FieldRowPanel([FieldPanel("session_count"), FieldPanel("total_hours")]),
        FieldPanel("prerequisites"),
        FieldPanel("certificate"),
        FieldPanel("funding"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(schedule_panels, heading=_("Dates")),
            ObjectList(place_panels, heading=_("Place and organisers")),
            ObjectList(practical_panels, heading=_("Audience and practical")),
            ObjectList(course_panels, heading=_("Course")),
            ObjectList([FieldPanel("sdg_targets")], heading=_("SDGs")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    base_form_class = EventPageForm
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["events.EventIndexPage", "partners.PartnerPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        errors = {}
        if self.all_day:
            self.start_time = self.end_time = None
        elif self.start_time is None:
            errors["start_time"] = _("Give a start time, or mark the event as all day.")
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date comes before the start date.")
        elif (
            self.end_date
            and self.end_date == self.start_date
            and self.start_time
            and self.end_time
            and self.end_time <= self.start_time
        ):
            errors["end_time"] = _("The end comes before the start.")
        if self.until and self.count:
            errors["count"] = _("Give an end date or a number of times, not both.")
        if not self.frequency and (self.until or self.count or self.weekdays or self.ordinals or self.month_days):
            errors["frequency"] = _("Choose how often the event repeats.")
        errors.update(self.rule_errors())
        if self.until and self.start_date and self.until < self.start_date:
            errors["until"] = _("The series ends before it starts.")
        for name, error in date_bound_errors(self, ("start_date", "end_date", "until")).items():
            errors.setdefault(name, error)
        if self.end_date and self.start_date and self.local_end - self.local_start > max_duration():
            errors.setdefault("end_date", too_long_error(capfirst(self._meta.get_field("end_date").verbose_name)))
        if self.attendance_mode != AttendanceMode.OFFLINE and not self.online_url:
            errors["online_url"] = _("Give the link residents use to join online.")
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            errors["max_age"] = _("The oldest age is below the youngest age.")
        if not self.is_free and self.price is None:
            errors["price"] = _("Give the price, or mark the event as free.")
        if self.session_count and self.total_hours is not None and self.total_hours * 4 < self.session_count:
            errors["total_hours"] = _("Count at least a quarter of an hour for each session.")
        if self.image_id and not self.image_alt_text:
            errors["image_alt_text"] = _("Describe the image for residents who cannot see it.")
        if errors:
            raise ValidationError(errors)

    def rule_errors(self) -> dict[str, str]:
        """What is wrong with the combination of frequency, weekdays, ordinals and days of the month."""
        errors = {}
        by_position = self.frequency in (Frequency.MONTHLY, Frequency.YEARLY)
        if self.weekdays and self.frequency not in (Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY):
            errors["weekdays"] = _("Weekdays apply to weekly series, and with 'on the' to monthly and yearly ones.")
        elif self.weekdays and by_position and not self.ordinals:
            errors["ordinals"] = _("Choose which of the month's weekdays, e.g. first or last.")
        elif self.weekdays and self.start_date and self.start_date.weekday() not in self.weekdays:
            errors["weekdays"] = _("The start date must fall on one of the chosen weekdays.")
        if self.ordinals and not by_position:
            errors["ordinals"] = _("'On the' applies only to monthly and yearly series.")
        elif self.ordinals and not self.weekdays:
            errors["weekdays"] = _("Choose the weekday, e.g. Wednesday for every first Wednesday.")
        if self.month_days and self.frequency != Frequency.MONTHLY:
            errors["month_days"] = _("Days of the month apply only to monthly series.")
        elif self.month_days and self.ordinals:
            errors["month_days"] = _("Give days of the month or a weekday with 'on the', not both.")
        elif self.month_days and self.start_date and self.start_date.day not in self.month_days:
            errors["month_days"] = _("The start date must fall on one of the days of the month.")
        ends_first = self.until and self.start_date and self.until < self.start_date
        if not errors and not ends_first and self.frequency and self.start_date and self.ordinals:
            # Each month has every ordinal weekday, so the first date of the series lies within a year.
            start = self.local_start
            rule = Schedule(
                tzid=self.tzid,
                start=start,
                frequency=str(self.frequency),
                interval=self.interval or 1,
                weekdays=tuple(self.weekdays),
                ordinals=tuple(self.ordinals),
            ).rule()
            if rule.after(start, inc=True) != start:
                errors["ordinals"] = _(
                    "The start date must be one of the series' dates: with 'first' and Wednesday, a first "
                    "Wednesday of the month."
                )
        return errors

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None:
            self._adopt_translation_uuid()
            self._update_sequence()
        return super().save(*args, **kwargs)

    # The schedule.

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tzid)

    @property
    def local_start(self) -> datetime:
        return datetime.combine(self.start_date, time.min if self.all_day else (self.start_time or time.min))

    @property
    def local_end(self) -> datetime | None:
        """The naive local end; for all-day events the midnight after the last day. ``None``: no end."""
        next_day = timedelta(days=1)
        if self.all_day:
            return shift(datetime.combine(self.end_date or self.start_date, time.min), next_day)
        if self.end_time is None:
            return shift(datetime.combine(self.end_date, time.min), next_day) if self.end_date else None
        end = datetime.combine(self.end_date or self.start_date, self.end_time)
        if self.end_date is None and end <= self.local_start:
            end = shift(end, next_day)  # 22:00–01:00 ends the next day
        return end

    def schedule(self) -> Schedule:
        """This event's schedule; uses the in-memory child rows of an unsaved revision.

        ``clean()`` keeps dates and durations within bounds; a row stored without it (or before the bounds
        existed) is read with its times clamped and its durations cut to ``conf.max_duration()``, so that nothing
        computed from the schedule can overflow.
        """
        start = clamp(self.local_start)
        end = self.local_end
        longest = max_duration()
        if end is not None:
            end = min(clamp(end), shift(start, longest))
        overrides = {}
        for exception in self.occurrence_exceptions.all():
            original = exception.original_local_start(self.all_day, self.start_time)
            overrides[clamp(original)] = exception.as_override(self, original)
        return Schedule(
            tzid=self.tzid,
            start=start,
            end=end,
            all_day=self.all_day,
            status=str(self.status),
            frequency=str(self.frequency),
            interval=self.interval or 1,
            weekdays=tuple(self.weekdays),
            ordinals=tuple(self.ordinals),
            month_days=tuple(self.month_days),
            until=self.until,
            count=self.count,
            extra=tuple(sorted({clamp(extra.local_start(self)) for extra in self.extra_dates.all()})),
            excluded=tuple(sorted((row.first_day, row.last_day or row.first_day) for row in self.excluded_dates.all())),
            overrides=dict(sorted(overrides.items())),
        )

    def compute_schedule_fingerprint(self) -> str:
        schedule = self.schedule()
        text = repr(schedule)
        if schedule.ordinals or schedule.month_days:  # not in repr(), see Schedule
            text += repr((schedule.ordinals, schedule.month_days))
        return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()

    def _update_sequence(self) -> None:
        """Raise SEQUENCE when the schedule changed, unless the caller (an import) already raised it."""
        fingerprint = self.compute_schedule_fingerprint()
        stored = None
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values_list("sequence", "schedule_fingerprint").first()
        if stored:
            sequence, previous = stored
            if previous and previous != fingerprint and self.sequence <= sequence:
                self.sequence = sequence + 1
            else:
                self.sequence = max(self.sequence, sequence)
        self.schedule_fingerprint = fingerprint

    def _adopt_translation_uuid(self) -> None:
        """A new translation takes the uuid of the pages it translates; a copy keeps its own."""
        if self.pk is not None or not self.translation_key:
            return
        existing = (
            EventPage.objects.filter(translation_key=self.translation_key)
            .order_by("pk")
            .values_list("uuid", flat=True)
            .first()
        )
        if existing:
            self.uuid = existing

    def get_context(self, request, *args, **kwargs):
        from ..context import event_page_context
        from ..structured_data import course, event

        context = super().get_context(request, *args, **kwargs)
        context.update(event_page_context(self, request))
        related = {
            "venue": context["venue"],
            "organisers": context["organisers"],
            "languages": context["event_languages"],
            "occurrences": context["occurrences"],
            "schedule": context["event_schedule"],
        }
        context["structured_data"] = event(self, request, **related)
        context["course_structured_data"] = course(self, request, **related)
        return context

    @property
    def is_course(self) -> bool:
        """A learning offer with a level, lessons or a certificate: published as a schema.org Course too."""
        return bool(self.course_level or self.session_count or self.total_hours or self.certificate)

    @property
    def age_range_label(self) -> str:
        """The ages the event is for, in words ("All ages", "8 to 12 years"; see ``events.audience``)."""
        return age_range_label(self.min_age, self.max_age)

    @property
    def place(self):
        """What residents see as the place: the venue partner, else this page's own address."""
        return self.venue if self.venue_id else self

    @property
    def event_municipality(self):
        return self.venue.municipality if self.venue_id else self.municipality


class EventExtraDate(Orderable):
    """An extra date (RDATE): a series also takes place on this day."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="extra_dates")
    date = models.DateField(_("date"))
    start_time = models.TimeField(
        _("start time"), null=True, blank=True, help_text=_("Leave empty for the event's usual start time.")
    )

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("start_time")])]

    class Meta(Orderable.Meta):
        verbose_name = _("extra date")
        verbose_name_plural = _("extra dates")

    def clean(self):
        super().clean()
        errors = date_bound_errors(self, ("date",))
        if errors:
            raise ValidationError(errors)

    def local_start(self, event: EventPage) -> datetime:
        if event.all_day:
            return datetime.combine(self.date, time.min)
        return datetime.combine(self.date, self.start_time or event.start_time or time.min)


class EventExcludedDate(Orderable):
    """A day or a period without the event (EXDATE), e.g. the school holidays in a weekly course."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="excluded_dates")
    first_day = models.DateField(_("date"))
    last_day = models.DateField(_("until"), null=True, blank=True, help_text=_("For a period, e.g. a holiday."))

    panels = [FieldRowPanel([FieldPanel("first_day"), FieldPanel("last_day")])]

    class Meta(Orderable.Meta):
        verbose_name = _("date without the event")
        verbose_name_plural = _("dates without the event")

    def clean(self):
        super().clean()
        errors = date_bound_errors(self, ("first_day", "last_day"))
        if self.last_day and self.first_day and self.last_day < self.first_day:
            errors.setdefault("last_day", _("The period ends before it starts."))
        if errors:
            raise ValidationError(errors)


class EventOccurrenceException(TranslatableMixin, Orderable):
    """A change to one date of a series, keyed by that date's original local start (its RECURRENCE-ID).

    Translatable (wagtail-localize), so that its note is translated; a translation's rows are copies of the source
    page's rows with the note translated, and everything else (the dates, the status) synchronised.
    """

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="occurrence_exceptions")
    original_date = models.DateField(_("date in the series"))
    original_time = models.TimeField(
        _("time in the series"), null=True, blank=True, help_text=_("Leave empty for the series' usual start time.")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EventStatus.choices,
        blank=True,
        help_text=_("Leave empty to keep the event's status."),
    )
    is_full = models.BooleanField(_("full"), default=False, help_text=_("Residents see that this date is full."))
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=places_validators(),
        help_text=_("Leave empty for the event's capacity."),
    )
    places_left = models.PositiveIntegerField(
        _("places left"),
        null=True,
        blank=True,
        validators=places_validators(),
        help_text=_("Residents see how many places are left on this date; 0 shows the date as full."),
    )
    new_start_date = models.DateField(_("new date"), null=True, blank=True)
    new_start_time = models.TimeField(_("new start time"), null=True, blank=True)
    new_end_date = models.DateField(_("new end date"), null=True, blank=True)
    new_end_time = models.TimeField(_("new end time"), null=True, blank=True)
    reason = models.CharField(
        _("note"), max_length=250, blank=True, help_text=_("Shown to residents with this date, e.g. 'Other room'.")
    )

    panels = [
        FieldRowPanel([FieldPanel("original_date"), FieldPanel("original_time")]),
        FieldRowPanel([FieldPanel("status"), FieldPanel("is_full")]),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("places_left")]),
        FieldRowPanel([FieldPanel("new_start_date"), FieldPanel("new_start_time")]),
        FieldRowPanel([FieldPanel("new_end_date"), FieldPanel("new_end_time")]),
        FieldPanel("reason"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("change to one date")
        verbose_name_plural = _("changes to one date")

    def clean(self):
        super().clean()
        errors = date_bound_errors(self, ("original_date", "new_start_date", "new_end_date"))
        first_day = self.new_start_date or self.original_date
        if self.new_end_date and first_day and "new_end_date" not in errors:
            if self.new_end_date < first_day:
                errors["new_end_date"] = _("The new end comes before the start.")
            elif self.new_end_date - first_day + timedelta(days=1) > max_duration():  # the last day counts whole
                errors["new_end_date"] = too_long_error(capfirst(self._meta.get_field("new_end_date").verbose_name))
        # The event's capacity is checked by the page's form (EventPageForm.check_places), which has its new value.
        if self.places_left is not None and self.capacity is not None and self.places_left > self.capacity:
            errors.setdefault("places_left", too_many_places_left(self.places_left, self.capacity))
        if errors:
            raise ValidationError(errors)

    def original_local_start(self, all_day: bool, default_time: time | None = None) -> datetime:
        if all_day:
            return datetime.combine(self.original_date, time.min)
        return datetime.combine(self.original_date, self.original_time or default_time or time.min)

    def as_override(self, event: EventPage, original: datetime) -> Override:
        start = end = None
        if self.new_start_date or self.new_start_time:
            start = datetime.combine(
                self.new_start_date or original.date(),
                time.min if event.all_day else (self.new_start_time or original.time()),
            )
        if self.new_end_date or self.new_end_time:
            end_day: date = self.new_end_date or (start or original).date()
            end = (
                shift(datetime.combine(end_day, time.min), timedelta(days=1))
                if event.all_day or self.new_end_time is None
                else datetime.combine(end_day, self.new_end_time)
            )
            # As in EventPage.schedule(): a row stored without clean() still gives a bounded date.
            end = min(clamp(end), shift(clamp(start or original), max_duration()))
        if start is not None:
            start = clamp(start)
        return Override(status=str(self.status), is_full=self.is_full, start=start, end=end, reason=self.reason)
