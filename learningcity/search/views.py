"""The search page: ``/nl/zoeken/``, ``/en/search/``, ``/fr/recherche/``."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Site

from ..i18n import LanguageLink
from ..listing import filter_chips
from ..models import SearchDocument
from .filters import SiteSearchFilterSet
from .query import SearchRequest, facet_counts, search
from .results import facets, results

PER_PAGE = 20


def _language_links(request) -> list[LanguageLink]:
    """The search page in every language, with the same query."""
    from django.conf import settings

    current = translation.get_language()
    return [
        LanguageLink(code, name, translate_url(request.get_full_path(), code), code == current, True)
        for code, name in settings.LANGUAGES
    ]


def search_page(request):
    locale = Locale.get_active()
    site = Site.find_for_request(request)
    filters = SiteSearchFilterSet(request.GET, queryset=SearchDocument.objects.none(), locale=locale)
    errors = {} if filters.is_valid() else filters.parameter_errors()
    request._leerstad_language_links = _language_links(request)
    context = {
        "filters": filters,
        "filter_form": filters.form,
        "filter_errors": errors,
        "query": filters.text if not errors else "",
        "searched": False,
    }
    chosen = filters.chosen_facets() if not errors else {}
    if not errors and (filters.words or chosen):
        wanted = SearchRequest(filters.text, locale, site, chosen)
        outcome = search(wanted)
        paginator = Paginator(outcome.documents, PER_PAGE)
        page_obj = paginator.get_page(filters.page_number)
        context.update(
            searched=True,
            outcome=outcome,
            page_obj=page_obj,
            results=results(page_obj.object_list, request, relative=True),
            page_range=paginator.get_elided_page_range(page_obj.number),
            result_count=paginator.count,
            facets=facets(facet_counts(outcome, wanted), chosen),
            chosen=chosen,
            filter_query=filters.active_filters.urlencode(),
            filter_chips=filter_chips(filters, request.path, skip=("q",)),
            clear_filters_url=f"{request.path}?{urlencode({'q': filters.text})}" if filters.text else request.path,
        )
    response = TemplateResponse(request, "learningcity/search_page.html", context)
    if errors:
        response.status_code = 400
    return response
