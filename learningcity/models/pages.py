"""The portal's own page types: the home page, content pages and the SDG pages."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..blocks import BodyBlock
from ..response_cache import ExpiresWithTheMinuteMixin
from ..routing import OneQueryRoutingMixin, ViewRestrictionsMixin
from .sdg import SDGGoal, SDGTaggedMixin


class HomePage(ExpiresWithTheMinuteMixin, OneQueryRoutingMixin, ViewRestrictionsMixin, Page):
    """The portal's front page: this week's activities, entry points by life stage, the offers the editors feature
    and the SDG goals (``learningcity.home``). Its answers expire with the minute, as "this week" moves on."""

    city_name = models.CharField(
        _("city name"),
        max_length=100,
        help_text=_("Shown as the portal's title, e.g. 'Leerstad Rivierenland'."),
    )
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("The welcome text residents read first."),
    )
    gnlc_member_since = models.PositiveSmallIntegerField(
        _("GNLC member since"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2013), MaxValueValidator(2100)],
        help_text=_("Year the city joined UNESCO's Global Network of Learning Cities; leave empty if not a member."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("city_name"),
        FieldPanel("intro"),
        FieldPanel("gnlc_member_since"),
        InlinePanel(
            "featured_items",
            label=_("Featured offers"),
            max_num=6,
            help_text=_(
                "Up to six events, partners or pages residents see as cards on the home page, in this order. "
                "Translations of the home page show the chosen pages' translations."
            ),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    # Wagtail's pages API (/api/v3/pages/{id}/) shows these beside the page's meta data.
    api_fields = [
        APIField("city_name"),
        APIField("intro"),
        APIField("gnlc_member_since"),
        APIField("featured_items"),
    ]
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("portal home page")

    def get_context(self, request, *args, **kwargs):
        from ..home import home_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(self, request))
        context["sections"] = self.get_children().live().public().in_menu().specific()
        return context


class HomePageFeaturedItem(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_items")
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
        help_text=_(
            "An event, partner or page to feature. Residents see its title and summary on a card; "
            "it is left out while it is not published."
        ),
    )

    panels = [FieldPanel("page")]
    api_fields = [APIField("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured offer")
        verbose_name_plural = _("featured offers")


class ContentPage(SDGTaggedMixin, ViewRestrictionsMixin, Page):
    intro = models.TextField(
        _("introduction"),
        blank=True,
        max_length=500,
        help_text=_("A short lead shown under the title and in listings."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    settings_panels = Page.settings_panels
    promote_panels = Page.promote_panels + [
        MultiFieldPanel([FieldPanel("sdg_targets")], heading=_("Sustainable development goals"))
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    # The body as StreamField JSON (each block's type, value and id), as Wagtail's pages API gives it.
    api_fields = [APIField("intro"), APIField("body"), APIField("sdg_target_codes")]

    class Meta:
        verbose_name = _("content page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = self.get_children().live().public().specific()
        return context


class SDGIndexPage(RoutablePageMixin, ViewRestrictionsMixin, Page):
    """Lists the 17 goals; one sub-URL per goal (``.../4/``) shows what the site tagged with it."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["learningcity.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("SDG overview page")

    @path("")
    def goal_list(self, request):
        """The goals, each with how many pages of the site are tagged with it (goals with none say so)."""
        from ..sdg import count_labels, tagged_counts

        counts = tagged_counts(self.get_site())
        goals = [(goal, count_labels(counts.get(goal.number, {}))) for goal in SDGGoal.objects.all()]
        return self.render(request, context_overrides={"goals": goals})

    @path("<int:number>/", name="goal")
    def goal_detail(self, request, number):
        """What the site tagged with the goal, how many of each kind, and the listings filtered for it."""
        from .. import registry
        from ..sdg import count_labels, tagged_counts, tagged_pages

        try:
            goal = SDGGoal.objects.prefetch_related("targets").get(number=number)
        except SDGGoal.DoesNotExist as exc:
            raise Http404 from exc
        site = self.get_site()
        links = [link(request, self.locale, goal.code) for link in registry.sdg_links()]
        return self.render(
            request,
            template="learningcity/sdg_goal_page.html",
            context_overrides={
                "goal": goal,
                "tagged_groups": tagged_pages(goal, locale=self.locale, site=site),
                "counts": count_labels(tagged_counts(site).get(goal.number, {})),
                "listing_links": [link for link in links if link is not None],
            },
        )

    def goal_url(self, goal) -> str:
        return self.url + self.reverse_subpage("goal", args=[goal.number])
