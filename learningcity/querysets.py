"""What every page listing asks of a page tree in several languages: the live translation, else the source."""

from django.db.models import Q
from wagtail.models import Page, PageQuerySet, Site

from .compat import site_root_paths


class TranslatedPageQuerySet(PageQuerySet):
    """Pages read in the visitor's language: ``translations_in()`` is the one place that looks them up."""

    def translations_in(self, locale, keys, *fields: str) -> dict:
        """The live pages in ``locale`` among the translations ``keys`` (translation keys), by translation key.

        One query, none when ``keys`` is empty. With ``fields``, rows of ``values("translation_key", *fields)``
        instead of page instances (building a page costs more than reading its row).
        """
        keys = {key for key in keys if key is not None}
        if not keys:
            return {}
        translations = self.live().filter(locale=locale, translation_key__in=keys).order_by()
        if fields:
            return {row["translation_key"]: row for row in translations.values("translation_key", *fields)}
        return {page.translation_key: page for page in translations}

    def on_site(self, site: Site | None):
        """Pages under ``site``'s root page in any of its languages (Wagtail's cached root paths; no query).

        No site (a host no site answers to, and no default site) means no pages.
        """
        return self.filter(under_site(site))

    def shown_in(self, locale, pages) -> list:
        """``pages`` (instances, in any language) as a visitor of ``locale`` sees them, in their order.

        Each is its live translation in ``locale``, else itself when it is live; pages with neither are left out.
        """
        pages = list(pages)
        translated = self.translations_in(
            locale, (page.translation_key for page in pages if page.locale_id != locale.pk)
        )
        return [
            translated.get(page.translation_key, page)
            for page in pages
            if page.live or page.translation_key in translated
        ]


def under_site(site: Site | None) -> Q:
    """The condition on a page's ``url_path`` of being under ``site``'s root in any of its languages."""
    under = Q(pk__in=[])
    if site is not None:
        for root in site_root_paths():
            if root.site_id == site.pk:
                under |= Q(url_path__startswith=root.root_path)
    return under


def pages_in_any_model() -> TranslatedPageQuerySet:
    """Pages of every type (a translation has its source's type, so one query serves events and partners)."""
    return TranslatedPageQuerySet(Page)
