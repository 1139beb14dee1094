"""Integral child centres (IKC): childcare, education and care for children aged 0–12 under one roof."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from learningcity.compat import SynchronisedManyToManyField
from learningcity.listing import FilteredListingMixin
from learningcity.models import SDGTaggedMixin
from learningcity.response_cache import ExpiresWithTheMinuteMixin
from learningcity.routing import ViewRestrictionsMixin

from .places import AddressMixin, OpeningHoursBase, OpeningHoursExceptionBase, validate_unique_external_id
from .querysets import ChildCentrePageManager
from .taxonomy import AccessibilityFacility, ChildCentreService, Language

MAX_AGE_MONTHS = 12 * 12 + 11  # up to and including 12 years and 11 months
SUGGESTED_SDG_TARGETS = ("4.2", "10.2")


def describe_age(months: int) -> str:
    """An age in words: "3 months", "2 years", "2 years and 6 months"."""
    years, months = divmod(months, 12)
    years_text = ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    months_text = ngettext("%(count)s month", "%(count)s months", months) % {"count": months}
    if years and months:
        return gettext("%(years)s and %(months)s") % {"years": years_text, "months": months_text}
    return years_text if years else months_text


def describe_age_range(youngest: int, oldest: int) -> str:
    """The ages a centre serves as a phrase: "From birth to 12 years", "From 3 months to 4 years"."""
    if youngest == 0:
        return gettext("From birth to %(oldest)s") % {"oldest": describe_age(oldest)}
    return gettext("From %(youngest)s to %(oldest)s") % {
        "youngest": describe_age(youngest),
        "oldest": describe_age(oldest),
    }


class ChildCentrePageForm(WagtailAdminPageForm):
    """A new child centre starts tagged with the targets child-centre work usually serves; editors may change them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound and "sdg_targets" in self.fields:
            from learningcity.models import SDGTarget

            self.initial["sdg_targets"] = list(
                SDGTarget.objects.filter(code__in=SUGGESTED_SDG_TARGETS).values_list("pk", flat=True)
            )


class ChildCentreIndexPage(FilteredListingMixin, ViewRestrictionsMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["learningcity.HomePage"]
    subpage_types = ["partners.ChildCentrePage"]

    class Meta:
        verbose_name = _("child centre listing")

    def get_context(self, request, *args, **kwargs):
        from ..context import listing_context
        from ..filters import ChildCentreFilterSet
        from ..structured_data import item_list

        context = super().get_context(request, *args, **kwargs)
        queryset = ChildCentrePage.objects.child_of(self).live().public()
        context.update(listing_context(request, ChildCentreFilterSet, queryset, locale=self.locale))
        context["structured_data"] = item_list(context["results"], request)
        return context


class ChildCentrePage(ExpiresWithTheMinuteMixin, SDGTaggedMixin, AddressMixin, ViewRestrictionsMixin, Page):
    """An integral child centre; its page lists its member partners' upcoming activities, so it expires with the
    minute."""

    external_id = models.CharField(
        _("external identifier"),
        max_length=50,
        blank=True,
        db_index=True,
        help_text=_("A stable identifier for imports, e.g. the registration number."),
    )
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences parents see in the listing.")
    )
    body = RichTextField(_("description"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ul", "ol"])
    min_age_months = models.PositiveSmallIntegerField(
        _("youngest age (months)"),
        default=0,
        validators=[MaxValueValidator(MAX_AGE_MONTHS)],
        help_text=_("E.g. 3 for babies from three months."),
    )
    max_age_months = models.PositiveSmallIntegerField(
        _("oldest age (months)"),
        default=144,
        validators=[MaxValueValidator(MAX_AGE_MONTHS)],
        help_text=_("E.g. 144 for children up to twelve years."),
    )
    services = ParentalManyToManyField(ChildCentreService, blank=True, related_name="+", verbose_name=_("services"))
    member_partners = ParentalManyToManyField(
        "partners.PartnerPage",
        blank=True,
        related_name="child_centres",
        verbose_name=_("member partners"),
        help_text=_("The schools, childcare providers and services that form this centre."),
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Number of places."))
    languages = ParentalManyToManyField(Language, blank=True, related_name="+", verbose_name=_("languages spoken"))
    accessibility = ParentalManyToManyField(
        AccessibilityFacility, blank=True, related_name="+", verbose_name=_("accessibility facilities")
    )
    enrolment = RichTextField(_("how to enrol"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    enrolment_url = models.URLField(_("enrolment link"), blank=True)
    registration_number = models.CharField(
        _("official registration number"),
        max_length=50,
        blank=True,
        help_text=_("E.g. the LRK number in the Netherlands or the Opgroeien file number in Flanders."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)

    objects = ChildCentrePageManager()

    override_translatable_fields = SDGTaggedMixin.override_translatable_fields + [
        SynchronisedManyToManyField("services"),
        SynchronisedManyToManyField("member_partners"),
        SynchronisedManyToManyField("languages"),
        SynchronisedManyToManyField("accessibility"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("min_age_months"), FieldPanel("max_age_months")], heading=_("Ages served")),
        FieldPanel("services", widget=forms.CheckboxSelectMultiple),
        FieldPanel("member_partners"),
        FieldPanel("capacity"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("enrolment"), FieldPanel("enrolment_url")], heading=_("Enrolment")),
    ]
    contact_panels = [
        MultiFieldPanel([FieldPanel("email"), FieldPanel("phone"), FieldPanel("website")], heading=_("Contact")),
        *AddressMixin.address_panels,
        InlinePanel("opening_hours", label=_("Opening hours")),
        InlinePanel("opening_hours_exceptions", label=_("Exceptions to the opening hours")),
        FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
        FieldPanel("accessibility", widget=forms.CheckboxSelectMultiple),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("registration_number"), FieldPanel("external_id")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(contact_panels, heading=_("Contact and address")),
            ObjectList([FieldPanel("sdg_targets")], heading=_("SDGs")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(settings_panels, heading=_("Settings")),
        ]
    )
    base_form_class = ChildCentrePageForm
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["partners.ChildCentreIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("integral child centre")
        verbose_name_plural = _("integral child centres")
        indexes = [models.Index(fields=["min_age_months", "max_age_months"])]

    def clean(self):
        super().clean()
        validate_unique_external_id(self)
        if self.max_age_months < self.min_age_months:
            raise ValidationError({"max_age_months": _("The oldest age is below the youngest age.")})

    def get_context(self, request, *args, **kwargs):
        from ..context import localized_pages, opening_hours_context
        from ..structured_data import opening_hours_specification, organisation

        context = super().get_context(request, *args, **kwargs)
        hours = opening_hours_context(self)
        context.update(hours)
        context["member_partners"] = localized_pages(self.member_partners.order_by("title"), self.locale)
        context["structured_data"] = organisation(
            self,
            request,
            opening_hours=opening_hours_specification(hours["opening_hours"], hours["opening_hours_exceptions"]),
        )
        return context

    @property
    def age_range_label(self) -> str:
        return describe_age_range(self.min_age_months, self.max_age_months)


class ChildCentreOpeningHours(OpeningHoursBase):
    page = ParentalKey(ChildCentrePage, on_delete=models.CASCADE, related_name="opening_hours")


class ChildCentreOpeningHoursException(OpeningHoursExceptionBase):
    page = ParentalKey(ChildCentrePage, on_delete=models.CASCADE, related_name="opening_hours_exceptions")
