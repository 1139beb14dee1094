"""``/api/v3/search/`` and ``/api/v3/search/autocomplete/``: the site search for front-ends."""

from datetime import datetime

from django.utils import translation
from ninja import Router

from ..api import ResponseSchema, error_responses, openapi_extra, read_query
from ..routing import cached_site
from .filters import AutocompleteFilterSet, SiteSearchFilterSet
from .query import AUTOCOMPLETE_LIMIT, SearchRequest, autocomplete, search
from .results import facets, results

router = Router(tags=["search"])


class SearchResultOut(ResponseSchema):
    type: str
    type_label: str
    page_id: int
    title: str
    summary: str
    url: str
    next_start: datetime | None


class FacetValueOut(ResponseSchema):
    value: str
    label: str
    count: int
    chosen: bool


class FacetOut(ResponseSchema):
    name: str
    label: str
    values: list[FacetValueOut]


class SearchOut(ResponseSchema):
    count: int
    searched_for: str
    suggestion: str
    items: list[SearchResultOut]
    facets: list[FacetOut]


class SuggestionOut(ResponseSchema):
    title: str
    type: str
    type_label: str
    url: str


class SuggestionList(ResponseSchema):
    items: list[SuggestionOut]


@router.get(
    "/search/",
    response=error_responses(SearchOut),
    summary="Search events, partners, child centres, pages and SDG goals, with facets",
    operation_id="search",
    openapi_extra=openapi_extra(SiteSearchFilterSet),
)
def site_search(request):
    """One result per event (with its next date), partner, child centre, content page or SDG goal of the
    requesting site, in the ``locale`` language, best first: title matches first, upcoming events before past
    ones. ``facets`` gives, per facet, how many results each value would give with the other facets' choices.

    When nothing matches and a word looks misspelt, the closest spelling the titles hold is searched instead:
    ``suggestion`` then says what was searched ("did you mean"), else it is empty. Without ``q`` and facets
    there is nothing to search: ``count`` is 0.
    """
    query = read_query(request, SiteSearchFilterSet)
    filters = query.filters
    chosen = filters.chosen_facets()
    if not filters.words and not chosen:
        return {"count": 0, "searched_for": "", "suggestion": "", "items": [], "facets": []}
    wanted = SearchRequest(filters.text, query.locale, cached_site(request), chosen)
    with translation.override(query.language):
        outcome = search(wanted, offset=query.offset, limit=query.limit)
        return {
            "count": outcome.count,
            "searched_for": " ".join(outcome.words),
            "suggestion": outcome.suggestion,
            "items": [vars(result) for result in results(outcome.rows, request, relative=False)],
            "facets": [
                {"name": f.name, "label": f.label, "values": [vars(v) for v in f.values]}
                for f in facets(outcome.facet_counts, chosen)
            ],
        }


@router.get(
    "/search/autocomplete/",
    response=error_responses(SuggestionList),
    summary=f"At most {AUTOCOMPLETE_LIMIT} titles for what has been typed",
    operation_id="search_autocomplete",
    url_name="search_autocomplete",
    openapi_extra=openapi_extra(AutocompleteFilterSet),
)
def search_autocomplete(request):
    """Titles (of the requesting site, in the ``locale`` language) holding every word of ``q``, the last one as
    the start of a word; titles starting with the text first, then upcoming events. For a search box's
    suggestions: at most ten (fewer with ``limit``)."""
    query = read_query(request, AutocompleteFilterSet, paged=False)
    with translation.override(query.language):
        documents = autocomplete(query.filters.text, query.locale, cached_site(request), query.limit)
        return {
            "items": [
                {"title": r.title, "type": r.type, "type_label": r.type_label, "url": r.url}
                for r in results(documents, request, relative=False)
            ]
        }
