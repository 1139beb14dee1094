from django import template
from wagtail.models import Site

from ..i18n import language_links as build_language_links

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to this page in every language (or to that language's home when untranslated)."""
    request = context.get("request")
    if request is None:
        return []
    cache_key = "_leerstad_language_links"
    cached = getattr(request, cache_key, None)
    if cached is None:
        cached = build_language_links(request, context.get("page"))
        setattr(request, cache_key, cached)
    return cached


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The live, in-menu children of the home page in the visitor's language, marking the current section."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    home = site.root_page.localized
    current = context.get("page")
    current_path = current.path if current is not None and getattr(current, "path", None) else ""
    return [
        {"page": item, "is_active": bool(current_path) and current_path.startswith(item.path)}
        for item in home.get_children().live().public().in_menu()
    ]


@register.simple_tag(takes_context=True)
def localized_home(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page.localized if site else None
