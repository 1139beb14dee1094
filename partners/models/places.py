"""Municipalities, addresses and opening hours: what partners, child centres and event venues share."""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Orderable


class Municipality(models.Model):
    """A municipality of the region; one installation can serve several, each with its own Wagtail site."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(
        _("official code"),
        max_length=20,
        unique=True,
        help_text=_("The official municipality code (e.g. NIS code 44021 or CBS code gm0363); used in filters."),
    )
    uuid = models.UUIDField(
        _("public id"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("The municipality's id in the API and its change feed; it stays when the code changes."),
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="municipalities",
        verbose_name=_("site"),
        help_text=_("The portal that serves this municipality's residents."),
    )

    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("region"), FieldPanel("site")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


class AddressMixin(models.Model):
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    locality = models.CharField(
        _("town or village"),
        max_length=100,
        blank=True,
        help_text=_("Only when it differs from the municipality's name, e.g. a borough."),
    )
    country = models.CharField(_("country"), max_length=2, default="BE", help_text=_("Two-letter country code."))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    address_panels = [
        MultiFieldPanel(
            [
                FieldPanel("street"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("locality")]),
                FieldRowPanel([FieldPanel("municipality"), FieldPanel("country")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Address"),
        )
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})

    @property
    def town(self) -> str:
        if self.locality:
            return self.locality
        return self.municipality.name if self.municipality_id else ""

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class OpeningHoursBase(Orderable):
    """Regular hours: a range of weekdays (e.g. Monday–Friday) with an opening and closing time."""

    first_day = models.PositiveSmallIntegerField(_("from"), choices=WEEKDAYS)
    last_day = models.PositiveSmallIntegerField(_("to"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    panels = [
        FieldRowPanel([FieldPanel("first_day"), FieldPanel("last_day")]),
        FieldRowPanel([FieldPanel("opens"), FieldPanel("closes")]),
    ]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def clean(self):
        super().clean()
        if self.last_day is not None and self.first_day is not None and self.last_day < self.first_day:
            raise ValidationError({"last_day": _("The last day comes before the first day.")})
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("The closing time must be after the opening time.")})

    @property
    def days(self) -> list[int]:
        return list(range(self.first_day, self.last_day + 1))


class OpeningHoursExceptionBase(Orderable):
    """A day with other hours than usual, or closed (a public holiday)."""

    date = models.DateField(_("date"))
    closed = models.BooleanField(_("closed all day"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("closed")]),
        FieldRowPanel([FieldPanel("opens"), FieldPanel("closes")]),
    ]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("exception to the opening hours")
        verbose_name_plural = _("exceptions to the opening hours")

    def clean(self):
        super().clean()
        if not self.closed and not (self.opens and self.closes):
            raise ValidationError({"opens": _("Give the opening and closing time, or mark the day as closed.")})
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("The closing time must be after the opening time.")})


def validate_unique_external_id(page) -> None:
    """An external id names one organisation: unique among the pages of its type in one language.

    Translations share it (it is synchronised), hence no database constraint: Page's locale lives on another table.
    """
    if not page.external_id:
        return
    clash = (
        type(page)
        .objects.filter(external_id=page.external_id, locale_id=page.locale_id)
        .exclude(translation_key=page.translation_key)
        .exists()
    )
    if clash:
        raise ValidationError({"external_id": _("Another page already uses this external identifier.")})
