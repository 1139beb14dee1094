"""Site-wide settings editors manage under Settings → Learning city."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, TranslatableMixin
from wagtail.snippets.models import register_snippet


@register_snippet
class FooterText(TranslatableMixin, models.Model):
    """The footer's text; translatable, so each language shows its own."""

    title = models.CharField(_("name"), max_length=100, help_text=_("Only for editors, to recognise it."))
    text = RichTextField(_("text"), features=["bold", "italic", "link"])

    panels = [FieldPanel("title"), FieldPanel("text")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("footer text")
        verbose_name_plural = _("footer texts")

    def __str__(self):
        return self.title


@register_setting(icon="site")
class LearningCitySettings(BaseSiteSetting, ClusterableModel):
    municipality_name = models.CharField(
        _("municipality name"),
        max_length=100,
        help_text=_("The official name, shown in the footer and feeds."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=30, blank=True)
    contact_address = models.TextField(_("contact address"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    logo_alt_text = models.CharField(
        _("logo alternative text"),
        max_length=200,
        blank=True,
        help_text=_("Read out by screen readers instead of the logo, e.g. 'City of Leerstad, home'."),
    )
    footer = models.ForeignKey(
        FooterText,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("footer text"),
        help_text=_("Shown at the bottom of every page, in the visitor's language when translated."),
    )

    panels = [
        FieldPanel("municipality_name"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("contact_address")],
            heading=_("Contact"),
        ),
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("logo_alt_text")], heading=_("Logo")),
        FieldPanel("footer"),
        InlinePanel("social_links", label=_("Social media links")),
    ]

    class Meta:
        verbose_name = _("learning city settings")


class SocialLink(Orderable):
    settings = ParentalKey(LearningCitySettings, on_delete=models.CASCADE, related_name="social_links")
    label = models.CharField(_("label"), max_length=50, help_text=_("The network's name, e.g. Mastodon."))
    url = models.URLField(_("address"))

    panels = [FieldPanel("label"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("social media link")
        verbose_name_plural = _("social media links")

    def __str__(self):
        return self.label
