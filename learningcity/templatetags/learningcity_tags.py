import html

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
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


def _localized_home(request):
    """The site's home page in the active language (its live translation, else itself), once per request.

    One query: the translation is read as its specific type (``root_page.localized.specific`` reads the active
    locale, the translation and its specific row: three queries, and the menu and the header each asked).
    """
    if request is None:
        return None
    if not hasattr(request, "_leerstad_localized_home"):
        site = Site.find_for_request(request)
        home = None
        if site is not None:
            root = site.root_page
            translations = root.specific_class.objects.filter(translation_key=root.translation_key, live=True)
            home = translations.filter(locale__language_code=translation.get_language()).first()
            home = home or root.specific
        request._leerstad_localized_home = home
    return request._leerstad_localized_home


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The live, in-menu children of the home page in the visitor's language, marking the current section."""
    home = _localized_home(context.get("request"))
    if home is None:
        return []
    current = context.get("page")
    current_path = current.path if current is not None and getattr(current, "path", None) else ""
    return [
        {"page": item, "is_active": bool(current_path) and current_path.startswith(item.path)}
        for item in home.get_children().live().public().in_menu()
    ]


@register.simple_tag(takes_context=True)
def localized_home(context):
    return _localized_home(context.get("request"))


@register.simple_tag
def search_urls():
    """The search page's URL and the autocomplete endpoint's, or ``None`` where the site serves no search page."""
    from django.urls import NoReverseMatch, reverse

    try:
        page = reverse("search")
    except NoReverseMatch:
        return None
    try:
        autocomplete = reverse("wagtailapi_v3:search_autocomplete")
    except NoReverseMatch:
        autocomplete = ""
    return {"page": page, "autocomplete": autocomplete}


CHECKBOX_GROUP_TEMPLATE = "partners/includes/checkbox_group.html"


@register.simple_tag
def checkbox_group(field):
    """A multiple-choice filter as a fieldset of checkboxes: the HTML of ``partners/includes/checkbox_group.html``.

    That template reads each option through Django's ``BoundField`` iteration, which builds a widget context for
    every choice: rendering the agenda's ten groups took 2 ms of every agenda page. Here the options are written
    from the field's choices and value, as Django names and checks them (``id_<name>_<index>``, ``checked`` when
    the value's text is among the chosen). Choices in groups are left to the template.
    """
    choices = list(field.field.choices)
    if any(isinstance(label, (list, tuple)) for _value, label in choices):
        return render_to_string(CHECKBOX_GROUP_TEMPLATE, {"field": field})
    if not choices:
        return ""
    name = field.name
    base_id = field.field.widget.attrs.get("id") or field.auto_id
    chosen = {str(value) for value in field.field.widget.format_value(field.value())}
    errors = field.errors
    described = format_html(' aria-describedby="filter-{}-errors"', name) if errors else ""
    error_list = ""
    if errors:
        items = format_html_join("", "<li>{}</li>", ((error,) for error in errors))
        error_list = format_html('<ul class="errorlist" id="filter-{}-errors">{}</ul>', name, items)
    name_html = escaped(name)
    options = []
    for index, (value, label) in enumerate(choices):
        option_id = escaped(f"{base_id}_{index}" if base_id else "")
        checked = " checked" if str(value) in chosen else ""
        options.append(
            f'<div class="filter-option"><input type="checkbox" name="{name_html}" value="{escaped(value)}" '
            f'id="{option_id}"{checked}><label for="{option_id}">{escaped(label)}</label></div>'
        )
    return format_html(
        '<fieldset class="filter-group" id="filter-{}"{}><legend>{}</legend>{}{}</fieldset>',
        name,
        described,
        field.label,
        error_list,
        mark_safe("".join(options)),  # noqa: S308 (each part escaped above)
    )


def escaped(value) -> str:
    """``conditional_escape(value)``, as text: without the lazy-text wrapper of Django's ``escape``, which costs more
    than the escaping for the many short texts of a filter panel's options."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
