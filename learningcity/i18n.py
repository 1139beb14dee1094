"""The same page in the other languages: for the language switcher, hreflang alternates and the sitemap."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page, Site


@dataclass(frozen=True)
class LanguageLink:
    language_code: str
    name: str
    url: str
    is_current: bool
    is_translation: bool  # False when the page has no live translation and the link leads to that language's home


def language_links(request, page: Page | None = None) -> list[LanguageLink]:
    """One link per configured language: the page's live translation, else that language's home page.

    Two queries whatever the number of languages: the page's translations and the site root's.
    """
    current = translation.get_language()
    translations = {}
    if page is not None and page.pk:
        for other in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[other.locale.language_code] = other
    homes = {}
    site = Site.find_for_request(request)
    if site is not None:
        for home in site.root_page.get_translations(inclusive=True).live().select_related("locale"):
            homes[home.locale.language_code] = home
    links = []
    for code, name in settings.LANGUAGES:
        target = translations.get(code)
        is_translation = target is not None
        target = target or homes.get(code)
        if target is not None:
            url = target.get_url(request)
        else:
            with translation.override(code):
                url = f"/{code}/"
        links.append(LanguageLink(code, name, url, code == current, is_translation))
    return links


def active_locales() -> dict[str, Locale]:
    return {locale.language_code: locale for locale in Locale.objects.all()}
