"""The search page: ``/nl/zoeken/``, ``/en/search/``, ``/fr/recherche/``."""

from collections.abc import Sequence
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
from .query import PER_PAGE, SearchOutcome, SearchRequest, search
from .results import facets, results


class FoundPage(Sequence):
    """A search's results as ``Paginator`` reads them: the number of all, the rows of the page that was read."""

    def __init__(self, outcome: SearchOutcome):
        self.outcome = outcome

    def __len__(self):
        return self.outcome.count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Only the page that was read can be sliced.")
        offset = self.outcome.offset
        return self.outcome.rows[index.start - offset : index.stop - offset]


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
        outcome = search(wanted, offset=(filters.page_number - 1) * PER_PAGE)
        if outcome.offset >= outcome.count > 0:  # past the last page: the last page, as Paginator.get_page has it
            outcome = search(wanted, offset=(outcome.count - 1) // PER_PAGE * PER_PAGE)
        paginator = Paginator(FoundPage(outcome), PER_PAGE)
        page_obj = paginator.get_page(outcome.offset // PER_PAGE + 1)
        context.update(
            searched=True,
            outcome=outcome,
            page_obj=page_obj,
            results=results(page_obj.object_list, request, relative=True),
            page_range=paginator.get_elided_page_range(page_obj.number),
            result_count=paginator.count,
            facets=facets(outcome.facet_counts, chosen),
            chosen=chosen,
            filter_query=filters.active_filters.urlencode(),
            filter_chips=filter_chips(filters, request.path, skip=("q",)),
            clear_filters_url=f"{request.path}?{urlencode({'q': filters.text})}" if filters.text else request.path,
        )
    response = TemplateResponse(request, "learningcity/search_page.html", context)
    if errors:
        response.status_code = 400
    return response
