"""Query logic of the directory and the child-centre listing, shared by the pages, the API and the feeds.

Filters on many-to-many tags use a ``pk__in`` subquery rather than a join, so a page that matches two
values is not returned twice and no DISTINCT is needed.
"""

from django.db.models import Prefetch, Q, QuerySet
from wagtail.models import PageManager

from learningcity.querysets import TranslatedPageQuerySet

LISTING_IMAGE_FILTER = "fill-160x160"


def _sdg_targets_with_goal():
    from learningcity.models import SDGTarget

    return Prefetch("sdg_targets", queryset=SDGTarget.objects.select_related("goal"))


class _TaggedPageQuerySet(TranslatedPageQuerySet):
    def shown_on(self, site, restricted: list[str] | None = None):
        """Live pages under ``site``'s root that no view restriction hides: what the API of that site shows.

        ``restricted``: the tree paths of restricted pages, by default ``restricted_paths()`` from the cache (a
        query only when the fragment cache is off), where Wagtail's ``public()`` reads every restriction each time.
        """
        from learningcity.caching import restricted_paths

        queryset = self.live().on_site(site)
        for path in restricted_paths() if restricted is None else restricted:
            queryset = queryset.exclude(path__startswith=path)
        return queryset

    def _having(self, lookup: str, values) -> "TranslatedPageQuerySet":
        """Pages with at least one of ``values`` for ``lookup`` (OR within one parameter)."""
        if not isinstance(values, QuerySet):
            values = list(values)
        return self.filter(pk__in=self.model._base_manager.filter(**{f"{lookup}__in": values}).values("pk"))

    def in_municipalities(self, codes):
        return self.filter(municipality__code__in=list(codes))

    def speaking(self, language_codes):
        return self._having("languages__code", language_codes)

    def with_facilities(self, facility_codes):
        return self._having("accessibility__code", facility_codes)


class PartnerPageQuerySet(_TaggedPageQuerySet):
    def of_kind(self, kinds):
        return self.filter(kind__in=list(kinds))

    def in_sector(self, sectors):
        return self.filter(sector__in=list(sectors))

    def with_memberships(self, memberships):
        """``aspnet`` (UNESCO Associated Schools) and/or ``gnlc`` (Global Network of Learning Cities)."""
        condition = Q(pk__in=[])
        if "aspnet" in memberships:
            condition |= Q(is_aspnet_member=True)
        if "gnlc" in memberships:
            condition |= Q(is_gnlc_member=True)
        return self.filter(condition)

    def in_networks(self, slugs):
        """Partners in any of the networks, whichever translation of the network the partner points at."""
        from .partners import Network

        keys = Network.objects.filter(slug__in=list(slugs)).values("translation_key")
        return self._having("networks__translation_key", keys)

    def for_listing(self):
        """Everything the directory renders per partner, in a constant number of queries."""
        from wagtail.images import get_image_model

        images = get_image_model().objects.prefetch_renditions(LISTING_IMAGE_FILTER)
        return self.select_related("municipality", "locale").prefetch_related(
            Prefetch("image", queryset=images), _sdg_targets_with_goal()
        )


class ChildCentrePageQuerySet(_TaggedPageQuerySet):
    def for_ages(self, years):
        """Centres whose age range overlaps any of the children's ages (N years 0 months … N years 11 months)."""
        condition = Q(pk__in=[])
        for year in years:
            year = int(year)
            condition |= Q(min_age_months__lte=12 * year + 11, max_age_months__gte=12 * year)
        return self.filter(condition)

    def offering(self, service_codes):
        return self._having("services__code", service_codes)

    def for_listing(self):
        from .taxonomy import ChildCentreService

        return self.select_related("municipality", "locale").prefetch_related(
            Prefetch("services", queryset=ChildCentreService.objects.order_by("position")), _sdg_targets_with_goal()
        )


PartnerPageManager = PageManager.from_queryset(PartnerPageQuerySet)
ChildCentrePageManager = PageManager.from_queryset(ChildCentrePageQuerySet)
