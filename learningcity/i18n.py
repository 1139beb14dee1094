"""The same page in the other languages: for the language switcher, hreflang alternates and the sitemap."""

from dataclasses import dataclass
from urllib.parse import unquote_plus

from django.conf import settings
from django.utils import translation
from django.utils.encoding import iri_to_uri
from wagtail.models import Locale, Page, Site

from .filters import is_tracking_parameter


@dataclass(frozen=True)
class LanguageLink:
    language_code: str
    name: str
    url: str
    is_current: bool
    is_translation: bool  # False when the page has no live translation and the link leads to that language's home


def language_links(request, page: Page | None = None) -> list[LanguageLink]:
    """One link per configured language: the page's live translation, else that language's home page.

    A link to a translation keeps what the request added to the page's address: a routable page's sub-path
    (``/nl/sdg/4/`` leads to ``/en/sdg/4/``) and the query string (a listing's filters). The links thus vary with
    the request's path and query; the targets do not, and are kept per page, site and host under the content
    version (two queries when they are not: the page's translations and the site root's), so a listing with a new
    filter pays for its own query string only.
    """
    from .caching import cached

    site = Site.find_for_request(request)
    page_id = page.pk if page is not None and page.pk else 0
    key = f"language-targets-{page_id}-{site.pk if site else 0}-{request.scheme}-{request.get_host()}"
    targets = cached(key, lambda: language_targets(request, page if page_id else None, site))
    suffix = request_suffix(request, page) if page_id else ""
    current = translation.get_language()
    return [
        LanguageLink(code, name, url + suffix if is_translation and url else url, code == current, is_translation)
        for code, name, url, is_translation in targets
    ]


def language_targets(request, page: Page | None, site: Site | None) -> list[tuple[str, str, str, bool]]:
    """Per configured language: its code, name, the URL of ``page``'s live translation (else of that language's
    home page) and whether it is a translation of the page."""
    translations = {}
    if page is not None:
        for other in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[other.locale.language_code] = other
    homes = {}
    if site is not None:
        for home in site.root_page.get_translations(inclusive=True).live().select_related("locale"):
            homes[home.locale.language_code] = home
    targets = []
    for code, name in settings.LANGUAGES:
        target = translations.get(code)
        is_translation = target is not None
        target = target or homes.get(code)
        url = target.get_url(request) if target is not None else f"/{code}/"
        targets.append((code, str(name), url, is_translation))
    return targets


def request_suffix(request, page: Page) -> str:
    """What the request adds to ``page``'s address: the sub-path of a routable page's route and the query (without
    tracking parameters).

    Translations share the page's class, hence its routes, so the sub-path (``4/``) leads to the same route of a
    translation. Empty when the request is not for the page's address (a preview, another view).
    """
    parts = page.get_url_parts(request)
    page_path = parts[2] if parts else None
    if not page_path or not request.path.startswith(page_path):
        return ""
    suffix = request.path[len(page_path) :]
    # The query as given, but for tracking parameters: a shared link's campaign is not the visitor's.
    query = "&".join(
        part
        for part in request.META.get("QUERY_STRING", "").split("&")
        if part and not is_tracking_parameter(unquote_plus(part.partition("=")[0]))
    )
    if query:
        suffix += "?" + iri_to_uri(query)
    return suffix


def active_locales() -> dict[str, Locale]:
    return {locale.language_code: locale for locale in Locale.objects.all()}
