"""``/sitemap.xml``: every live page in every language, each with its hreflang alternates."""

from collections import defaultdict

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class MultilingualSitemap(Sitemap):
    """Wagtail's sitemap covers the site root's tree only; this one covers its translations too."""

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_any_tree = Q()
        for root in roots:
            in_any_tree |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(in_any_tree)
            .live()
            .public()
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        alternates = defaultdict(list)
        for item in items:
            alternates[item.translation_key].append(
                {"lang_code": item.locale.language_code, "location": item.get_full_url(self.request)}
            )
        urls = []
        for item in items:
            for url_info in item.get_sitemap_urls(self.request):
                if len(alternates[item.translation_key]) > 1:
                    url_info["alternates"] = sorted(alternates[item.translation_key], key=lambda a: a["lang_code"])
                urls.append(url_info)
        lastmods = [url.get("lastmod") for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls
