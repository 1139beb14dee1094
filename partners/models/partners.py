"""The partner directory: organisations of the learning ecosystem, their networks and partnerships."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from learningcity.blocks import BodyBlock
from learningcity.caching import cached_unless_preview
from learningcity.compat import SynchronisedManyToManyField
from learningcity.listing import FilteredListingMixin
from learningcity.models import SDGGoal, SDGTaggedMixin
from learningcity.response_cache import ExpiresWithTheMinuteMixin
from learningcity.routing import ViewRestrictionsMixin

from ..enums import SCHOOL_KINDS, PartnerKind, PartnershipKind, PartnershipStatus, Sector
from .places import AddressMixin, OpeningHoursBase, OpeningHoursExceptionBase, validate_unique_external_id
from .querysets import PartnerPageManager
from .taxonomy import AccessibilityFacility, Language


class Network(TranslatableMixin, models.Model):
    """A network partners belong to: a regional school platform, a STEM partnership, MOS…"""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("code"), max_length=80, help_text=_("Used in the directory's filter address, e.g. stem-lindeveld.")
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("website")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="unique_network_slug_per_locale")]

    def __str__(self):
        return self.name


class PartnerIndexPage(FilteredListingMixin, ViewRestrictionsMixin, Page):
    """The partner directory of a municipality or region."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["learningcity.HomePage"]
    subpage_types = ["partners.PartnerPage"]

    class Meta:
        verbose_name = _("partner directory")

    def get_context(self, request, *args, **kwargs):
        from ..context import listing_context
        from ..filters import PartnerFilterSet
        from ..structured_data import item_list

        context = super().get_context(request, *args, **kwargs)
        queryset = PartnerPage.objects.child_of(self).live().public()
        context.update(listing_context(request, PartnerFilterSet, queryset, locale=self.locale))
        context["sdg_goals"] = SDGGoal.objects.all()
        context["selected_sdg_targets"] = [code for code in request.GET.getlist("sdg") if "." in code]
        context["structured_data"] = item_list(context["results"], request)
        return context


class PartnerPage(ExpiresWithTheMinuteMixin, SDGTaggedMixin, AddressMixin, ViewRestrictionsMixin, Page):
    """One organisation of the learning ecosystem; its page lists its upcoming activities, so it expires with the
    minute."""

    external_id = models.CharField(
        _("external identifier"),
        max_length=50,
        blank=True,
        db_index=True,
        help_text=_("A stable identifier such as the official school number; imports use it to update this page."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences residents see in the directory.")
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("about the organisation"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo or image"),
    )
    image_alt_text = models.CharField(
        _("alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describes the image for residents who cannot see it; required when there is an image."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    languages = ParentalManyToManyField(
        Language,
        blank=True,
        related_name="+",
        verbose_name=_("languages spoken"),
        help_text=_("Languages residents can be helped in."),
    )
    accessibility = ParentalManyToManyField(
        AccessibilityFacility, blank=True, related_name="+", verbose_name=_("accessibility facilities")
    )
    is_aspnet_member = models.BooleanField(
        _("UNESCO Associated School (ASPnet)"),
        default=False,
        help_text=_("Member of UNESCO's Associated Schools Network."),
    )
    aspnet_since = models.PositiveSmallIntegerField(
        _("ASPnet member since"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1953), MaxValueValidator(2100)],
    )
    is_gnlc_member = models.BooleanField(
        _("GNLC member"),
        default=False,
        help_text=_("Takes part in UNESCO's Global Network of Learning Cities (e.g. as a city)."),
    )
    networks = ParentalManyToManyField(Network, blank=True, related_name="+", verbose_name=_("networks"))

    objects = PartnerPageManager()

    override_translatable_fields = SDGTaggedMixin.override_translatable_fields + [
        SynchronisedManyToManyField("languages"),
        SynchronisedManyToManyField("accessibility"),
        SynchronisedManyToManyField("networks"),
    ]

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("sector")]),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt_text")], heading=_("Image")),
        FieldPanel("body"),
    ]
    contact_panels = [
        MultiFieldPanel([FieldPanel("email"), FieldPanel("phone"), FieldPanel("website")], heading=_("Contact")),
        *AddressMixin.address_panels,
        InlinePanel("opening_hours", label=_("Opening hours")),
        InlinePanel("opening_hours_exceptions", label=_("Exceptions to the opening hours")),
        FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
        FieldPanel("accessibility", widget=forms.CheckboxSelectMultiple),
    ]
    membership_panels = [
        MultiFieldPanel([FieldPanel("is_aspnet_member"), FieldPanel("aspnet_since")], heading=_("UNESCO")),
        FieldPanel("is_gnlc_member"),
        FieldPanel("networks", widget=forms.CheckboxSelectMultiple),
    ]
    sdg_panels = [FieldPanel("sdg_targets")]
    settings_panels = Page.settings_panels + [FieldPanel("external_id")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(contact_panels, heading=_("Contact and address")),
            ObjectList(membership_panels, heading=_("Memberships")),
            ObjectList(sdg_panels, heading=_("SDGs")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
        index.FilterField("sector"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["partners.PartnerIndexPage"]
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["sector"])]

    def clean(self):
        super().clean()
        validate_unique_external_id(self)
        if self.image_id and not self.image_alt_text:
            raise ValidationError({"image_alt_text": _("Describe the image for residents who cannot see it.")})
        if self.aspnet_since and not self.is_aspnet_member:
            raise ValidationError({"aspnet_since": _("Only ASPnet member schools have a year of joining.")})

    def get_context(self, request, *args, **kwargs):
        """The page's relations (``partner_page_details``), kept under the content version for the live page; a
        preview reads the draft's own."""
        from ..context import partner_page_details
        from ..structured_data import opening_hours_specification, organisation

        context = super().get_context(request, *args, **kwargs)
        name = f"partner-page-{self.pk}-{get_language()}"
        details = cached_unless_preview(request, name, lambda: partner_page_details(self))
        today = timezone.localdate()  # they may have been read on an earlier day: from today on
        exceptions = [exception for exception in details["opening_hours_exceptions"] if exception.date >= today]
        details = {**details, "opening_hours_exceptions": exceptions}
        if details["municipality"] is not None:
            self.municipality = details["municipality"]  # the address's town, without reading it again
        context.update(details)
        context["structured_data"] = organisation(
            self,
            request,
            opening_hours=opening_hours_specification(details["opening_hours"], details["opening_hours_exceptions"]),
            languages=details["spoken_languages"],
        )
        return context

    @property
    def is_school(self) -> bool:
        return self.kind in SCHOOL_KINDS


class PartnerOpeningHours(OpeningHoursBase):
    page = ParentalKey(PartnerPage, on_delete=models.CASCADE, related_name="opening_hours")


class PartnerOpeningHoursException(OpeningHoursExceptionBase):
    page = ParentalKey(PartnerPage, on_delete=models.CASCADE, related_name="opening_hours_exceptions")


class Partnership(TranslatableMixin, SDGTaggedMixin, ClusterableModel):
    """Two or more partners working together, some perhaps outside the city (a partner school abroad)."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=PartnershipKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=PartnershipStatus.choices, default=PartnershipStatus.ACTIVE
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "link", "ul"])
    agreement = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("partnership agreement"),
    )
    action_plan = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("yearly action plan"),
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        InlinePanel("participants", label=_("Partners"), min_num=2),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("agreement"), FieldPanel("action_plan")], heading=_("Documents")),
        FieldPanel("sdg_targets"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["-start_date", "title"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date comes before the start date.")})


class PartnershipParticipant(Orderable):
    """A partner in a partnership: a partner page of the directory, or an organisation elsewhere."""

    partnership = ParentalKey(Partnership, on_delete=models.CASCADE, related_name="participants")
    partner = models.ForeignKey(
        PartnerPage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partnership_participations",
        verbose_name=_("partner in the directory"),
    )
    external_name = models.CharField(
        _("organisation elsewhere"), max_length=200, blank=True, help_text=_("E.g. a partner school abroad.")
    )
    external_city = models.CharField(_("city"), max_length=100, blank=True)
    external_country = models.CharField(_("country"), max_length=100, blank=True)

    panels = [
        FieldPanel("partner"),
        FieldPanel("external_name"),
        FieldRowPanel([FieldPanel("external_city"), FieldPanel("external_country")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("partner in the partnership")
        verbose_name_plural = _("partners in the partnership")

    def __str__(self):
        return self.partner.title if self.partner_id else self.external_name

    def clean(self):
        super().clean()
        if bool(self.partner_id) == bool(self.external_name):
            raise ValidationError(
                {"partner": _("Choose a partner from the directory, or name an organisation elsewhere.")}
            )
