"""The learning city's part of the headless API (Wagtail's v3 API on django-ninja): SDGs and the change feed.

Also the helpers the other apps' routers share (``read_query``, ``filterset_parameters``, ``localized``,
``ResponseSchema``, ``PageURLs``), so every domain endpoint validates, paginates and answers errors the same way:

- all of ``request.GET`` goes through the app's FilterSet; no typed ninja query parameters (they would
  answer 422 before the FilterSet could answer 400);
- ``locale`` (``nl`` by default, ``en``, ``fr``) chooses the language of the response, never Accept-Language;
- ``limit``/``offset`` as in Wagtail's v3 API (``limit`` at most ``WAGTAILAPI_LIMIT_MAX``), in its
  ``{"count", "items"}`` envelope;
- an unknown or invalid parameter is a 400 ``application/problem+json`` naming each parameter: ``read_query``
  (the one parser, ``/changes/`` included) raises ``QueryProblem`` and one exception handler on the API answers
  it, every message in the ``locale`` language (the site's language without one).
"""

import functools
import re
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from typing import Any
from urllib.parse import quote

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, Min, OuterRef, Q
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from ninja import Router
from ninja.decorators import decorate_view
from pydantic import BaseModel, TypeAdapter
from wagtail.api.v3.errors import ProblemDetail, problem_response
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Locale, Page, Site

from . import registry
from .caching import cached, count_name
from .compat import PageLink, site_root_paths
from .conf import api_limit_max, changes_delay
from .filters import (
    REPEATED,
    WHOLE_NUMBER,
    StrictFilterSet,
    parse_integer,
    search_terms,
    shown,
    unknown_parameters,
)
from .models import ChangeLog, SDGGoal, pick_text
from .routing import cached_site

DEFAULT_LIMIT = 20
JSON = "application/json; charset=utf-8"
PROBLEM_JSON = "application/problem+json"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def default_language() -> str:
    return settings.LANGUAGE_CODE.split("-")[0]


class ResponseSchema(BaseModel):
    """The base of the response schemas: a plain pydantic model, so pydantic-core alone validates a response.

    The views return dicts. ninja's ``Schema`` (made to read ORM objects) would fetch every field of every nested
    object through Python, about 0.1 ms per occurrence of ``/events/``: more than all the queries of a page.
    The OpenAPI document does not change.
    """


class QueryProblem(Exception):
    """A request whose parameters are wrong; ``errors`` maps a parameter name to its messages.

    Raised anywhere in a domain endpoint and answered by ``query_problem_response``, the one exception handler
    for it on the API (registered in ``LearningCityConfig.ready``).
    """

    def __init__(self, errors: dict[str, list[str]], *, language: str | None = None):
        super().__init__("Invalid query parameters")
        self.errors = errors
        self.language = language or default_language()


def query_problem_response(request, problem: QueryProblem):
    """A 400 ``application/problem+json`` naming each parameter, in the request's language (``locale``)."""
    with translation.override(problem.language):
        detail = str(_("Invalid query parameters."))
    return problem_response(
        status=400,
        detail=detail,
        errors=[
            {"loc": ["query", name], "msg": str(message)}
            for name, messages in sorted(problem.errors.items())
            for message in messages
        ],
    )


@dataclass
class Query:
    """A validated API request: its language, page window, own parameters and (bound, valid) FilterSet."""

    language: str
    locale: Locale | None
    limit: int
    offset: int
    filters: Any = None
    values: dict[str, int] = field(default_factory=dict)

    def page(self, queryset, counted=None, *, kept_as: str = "") -> tuple[int, list]:
        """The count and the rows of the requested window: two queries, one when the window holds the last rows.

        A window that is not full tells the count without counting, which is most of the cost of a large listing.
        ``counted`` is the same rows without what only their fields need: a count keeps every join of the
        queryset's ``values()``, and joining each of 40,000 counted dates to its event doubles the count's time.
        ``kept_as`` (``count_name``): the count is kept under that name and the content version.
        """
        rows = list(queryset[self.offset : self.offset + self.limit])
        if len(rows) < self.limit and (rows or not self.offset):
            return self.offset + len(rows), rows
        counted = queryset if counted is None else counted
        return (cached(kept_as, counted.count) if kept_as else counted.count()), rows

    def count_name(self, listing: str, site: Site | None) -> str:
        """A name for the count of ``listing`` with these filters on ``site``, in this language and this minute:
        paging through a listing (other offsets, other limits) counts its rows once a minute, not on every page.
        """
        return count_name(listing, site, self.language, type(self.filters).canonical_items(self.filters.data))


@dataclass(frozen=True)
class IntegerParameter:
    """A whole-number parameter an endpoint reads itself (``since``), with its default and bounds."""

    default: int
    minimum: int
    maximum: int | None = None


def _single(request, name: str, errors: dict) -> str | None:
    values = request.GET.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        errors.setdefault(name, []).append(str(REPEATED))
        return None
    return values[0]


def _integer(request, name: str, errors: dict, spec: IntegerParameter) -> int:
    raw = _single(request, name, errors)
    if raw is None:
        return spec.default
    try:
        return parse_integer(raw, minimum=spec.minimum, maximum=spec.maximum)
    except ValidationError as error:
        errors.setdefault(name, []).extend(error.messages)
        return spec.default


def _language(request, errors: dict) -> str:
    """The ``locale`` parameter, else the site's language; an error when it is not one of the site's."""
    language = _single(request, "locale", errors) or default_language()
    if "locale" not in errors and language not in language_codes():
        with translation.override(default_language()):
            errors["locale"] = [
                str(_("%(value)s is not a language of this site. Allowed values: %(allowed)s."))
                % {"value": shown(language), "allowed": ", ".join(language_codes())}
            ]
        language = default_language()
    return language


def read_query(
    request,
    filterset_class=None,
    *,
    integers: dict[str, IntegerParameter] | None = None,
    paged=True,
    **filterset_kwargs,
) -> Query:
    """Validate ``locale``, ``limit``, ``offset``, the endpoint's ``integers`` and every other parameter.

    The one parser of the domain endpoints: every other parameter goes through ``filterset_class`` (without one,
    it is unknown). ``paged=False`` leaves ``offset`` out (a cursor endpoint). Raises ``QueryProblem``. The
    FilterSet validates with ``locale``'s language active, so translated choices (networks) and every message
    follow it, not Accept-Language.
    """
    errors: dict[str, list[str]] = {}
    language = _language(request, errors)
    integers = integers or {}
    with translation.override(language):
        limit = _integer(request, "limit", errors, IntegerParameter(DEFAULT_LIMIT, 1, api_limit_max()))
        offset = _integer(request, "offset", errors, IntegerParameter(0, 0)) if paged else 0
        values = {name: _integer(request, name, errors, spec) for name, spec in integers.items()}
        locale = None
        if filterset_class is not None:
            locale = cached(f"api-locale-{language}", lambda: Locale.objects.filter(language_code=language).first())
            if locale is None and "locale" not in errors:
                errors["locale"] = [str(_("%(value)s has no content on this site.") % {"value": language})]
        data = request.GET.copy()
        for name in ("locale", "limit", *(("offset",) if paged else ()), *integers):
            data.pop(name, None)
        filters = None
        if filterset_class is not None:
            filters = filterset_class(data, locale=locale, **filterset_kwargs)
            if not filters.is_valid():
                errors.update(filters.parameter_errors())
            # StrictFilterSet lets ``page`` through for the HTML listings; the API pages with limit/offset.
            if "page" in data and "page" not in filters.filters:
                errors["page"] = [str(_("Unknown parameter. The API pages with limit and offset."))]
        else:
            for name in unknown_parameters(data, ()):
                errors[name] = [str(_("Unknown parameter."))]
    if errors:
        raise QueryProblem(errors, language=language)
    return Query(language=language, locale=locale, limit=limit, offset=offset, filters=filters, values=values)


# Errors outside the domain endpoints: unknown API paths, server errors, Wagtail's own endpoints.


class AnsweredHere:
    """A URLconf without routes, set on a request the API has answered for good.

    After a 404, ``LocaleMiddleware`` would redirect ``/api/v3/nope`` to ``/nl/api/v3/nope/`` (the page tree
    answers any path under a language) and ``CommonMiddleware`` to ``/api/v3/nope/``; both look for another
    route in ``request.urlconf``, and find none here.
    """

    urlpatterns = ()


def not_found(request, *args, **kwargs):
    """Any ``/api/…`` path that no endpoint serves: a 404 problem, or the path with a slash if that is served."""
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/", getattr(request, "urlconf", None))
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    request.urlconf = AnsweredHere
    return problem_response(status=404, detail="No API endpoint at this address. See /api/v3/docs/.")


def bad_request(request, exception, template_name="400.html"):
    """``handler400``: a problem document under ``/api/`` (a host the site does not serve, a request too large),
    the site's page elsewhere."""
    if request.path_info.startswith("/api/"):
        return problem_response(status=400, detail="The server cannot read this request.")
    return defaults.bad_request(request, exception, template_name)


def server_error(request, template_name="500.html"):
    """``handler500``: a problem document under ``/api/``, Django's page elsewhere."""
    if request.path_info.startswith("/api/"):
        return problem_response(status=500, detail="The server could not answer this request.")
    return defaults.server_error(request, template_name)


def _search_words(run):
    """Wagtail's ``search`` parameter, reduced to its words before it reaches the search backend.

    The database backends hand a quote, a ``*`` or a NUL on to SQLite's FTS5 or PostgreSQL, which fail on them;
    ``search`` without any word is a 422, as Wagtail answers other invalid parameters.
    """

    @functools.wraps(run)
    def answer(request, *args, **kwargs):
        if "search" in request.GET:
            query = request.GET.copy()
            words = [search_terms(value) for value in query.getlist("search")]
            if not all(words):
                return problem_response(
                    status=422,
                    detail="Validation failed",
                    errors=[{"loc": ["query", "search"], "msg": "Search for at least one word."}],
                )
            query.setlist("search", words)
            request.GET = query
        return run(request, *args, **kwargs)

    return answer


# The largest whole number a database column holds (a signed 64-bit integer), and how many digits it has.
LARGEST_STORED_NUMBER = 2**63 - 1
LARGEST_STORED_DIGITS = len(str(LARGEST_STORED_NUMBER))
# Wagtail's routers whose endpoints take parameters (ours read theirs with ``read_query``).
WAGTAIL_ROUTERS_WITH_PARAMETERS = (
    "wagtail.api.v3.routers.pages",
    "wagtail.api.v3.routers.sites",
    "wagtail.contrib.redirects.api.v3.router",
    "wagtail.snippets.api.v3.router",
    "wagtail.images.api.v3.router",
    "wagtail.documents.api.v3.router",
)


def _storable_values(run):
    """A value no database column can hold is a 422 naming its parameter, as Wagtail answers other invalid ones.

    Wagtail's own endpoints hand their parameters (``offset``, ``locale``, ``html_path``, any model field's
    filter such as ``?site=`` on redirects) to the database as they come, and the driver failed on two kinds of
    value, a 500: a NUL character on PostgreSQL ("text fields cannot contain NUL"), and a whole number past 64
    bits (an offset on SQLite and PostgreSQL, "bigint out of range"; a filter on SQLite). Other values are
    answered as Wagtail answers them (nothing found, an empty page).
    """

    @functools.wraps(run)
    def answer(request, *args, **kwargs):
        errors = [
            {"loc": ["query", name], "msg": message}
            for name, values in request.GET.lists()
            for value in values
            if (message := _unstorable(value))
        ]
        if errors:
            return problem_response(status=422, detail="Validation failed", errors=errors)
        return run(request, *args, **kwargs)

    return answer


def _unstorable(value: str) -> str:
    """Why a database cannot hold ``value``, or ``""``."""
    if "\x00" in value:
        return "A NUL character is not allowed."
    if WHOLE_NUMBER.fullmatch(value) and _beyond_storage(value):
        return f"{shown(value)} is not a number from {-LARGEST_STORED_NUMBER - 1} to {LARGEST_STORED_NUMBER}."
    return ""


def _beyond_storage(number: str) -> bool:
    digits = number.lstrip("-").lstrip("0")
    if len(digits) != LARGEST_STORED_DIGITS:  # compared by length first: int() of thousands of digits is slow
        return len(digits) > LARGEST_STORED_DIGITS
    return not -LARGEST_STORED_NUMBER - 1 <= int(number) <= LARGEST_STORED_NUMBER


def _token_only(view):
    """Images and documents are listed to API token holders only: no page or endpoint of this API links to them
    (pages link files in their HTML), so an anonymous list would only show what nobody published."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return answer


_hardened: set[int] = set()


def harden_wagtail_api(api) -> None:
    """Wagtail's own endpoints: read-only, ``search`` made safe, values a database can hold, images and documents
    for token holders only.

    The site calls it from its URLconf: Wagtail's image and document routers exist once their apps are ready,
    and ninja freezes its routers when ``api.urls`` is read.
    """
    if id(api) in _hardened:
        return
    from wagtail.documents.api.v3.router import router as documents_router
    from wagtail.images.api.v3.router import router as images_router

    from .openapi import refuse_writes

    api.add_decorator(refuse_writes, mode="view")
    api.add_decorator(_search_words, mode="view")
    for module in WAGTAIL_ROUTERS_WITH_PARAMETERS:
        import_module(module).router.add_decorator(_storable_values, mode="view")
    for router in (images_router, documents_router):
        router.add_decorator(_token_only)
    _hardened.add(id(api))


# Wagtail's serve pattern (with WAGTAIL_APPEND_SLASH) and how reverse() quotes a path.
SERVED_PATH = re.compile(r"(?:[\w\-]+/)*")
PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"


class PageURLs:
    """``page.get_full_url(request)`` for pages read with ``values()``, known by their ``url_path``.

    Wagtail switches to the site's language and reverses the path for every page (about 35 µs, a tenth of a
    listing's time). What it chooses (site, root URL, language, prefix) depends only on which site roots the path
    lies under, and those roots are nested, so Wagtail is asked once per set of roots for the URL of the deepest
    one; a page's URL is that plus the rest of its path, quoted as ``reverse()`` quotes it. Anything unusual
    (no trailing slashes, a path Wagtail would not serve) is left to Wagtail.
    """

    def __init__(self, request=None, *, relative: bool = False):
        """``relative``: as ``page.get_url(request)``, without the host for pages of the request's site."""
        self.request = request
        self.site_root_paths = site_root_paths(request)
        self.relative = relative
        self.bases: dict[tuple, tuple[str, str] | None] = {}

    def _wagtail_url(self, link: "PageLink") -> str | None:
        return link.get_url(self.request) if self.relative else link.get_full_url(self.request)

    def __call__(self, url_path: str) -> str | None:
        link = PageLink(url_path, self.site_root_paths)
        roots = link._get_relevant_site_root_paths()
        if roots not in self.bases:
            self.bases[roots] = self._base(roots)
        base = self.bases[roots]
        if base is not None:
            root_path, root_url = base
            rest = url_path[len(root_path) :]
            if SERVED_PATH.fullmatch(rest):
                return root_url + quote(rest, safe=PATH_SAFE)
        return self._wagtail_url(link)

    def _base(self, roots) -> tuple[str, str] | None:
        """The deepest root's path and Wagtail's full URL for it, or ``None`` to ask Wagtail for every page."""
        if not roots or not WAGTAIL_APPEND_SLASH:
            return None
        deepest = max((root.root_path for root in roots), key=len)
        url = self._wagtail_url(PageLink(deepest, self.site_root_paths))
        return None if url is None else (deepest, url)


# OpenAPI: the parameters a FilterSet accepts, and the 400 it answers.


def problem_doc(description: str) -> dict:
    """An OpenAPI response that is a problem document (RFC 9457)."""
    return {"description": description, "content": {PROBLEM_JSON: {"schema": ProblemDetail.model_json_schema()}}}


PROBLEM_RESPONSE_DOC = problem_doc(
    "Unknown or invalid query parameters; ``errors`` names each one (``loc: [query, name]``)."
)


def _static_choices(filter_) -> list[str] | None:
    choices = filter_.extra.get("choices")
    if choices is None or callable(choices):
        return None
    return [str(value) for value, _label in choices] or None


def _parameter_schema(filter_) -> dict:
    choices = _static_choices(filter_)
    item: dict = {"type": "string"}
    if isinstance(filter_, django_filters.DateFilter):
        item = {"type": "string", "format": "date"}
    elif choices:
        item = {"type": "string", "enum": choices}
    if isinstance(filter_, django_filters.MultipleChoiceFilter):
        return {"type": "array", "items": item}
    return item


def filterset_parameters(filterset_class=None, *, extra: tuple[dict, ...] = ()) -> list[dict]:
    """OpenAPI query parameters: ``locale``, ``limit``, ``offset`` and each filter of ``filterset_class``."""
    parameters = [
        {
            "name": "locale",
            "in": "query",
            "required": False,
            "description": "The language of the response (not Accept-Language).",
            "schema": {"type": "string", "enum": language_codes(), "default": default_language()},
        },
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": "Items per page, at most WAGTAILAPI_LIMIT_MAX.",
            "schema": {"type": "integer", "minimum": 1, "maximum": api_limit_max(), "default": DEFAULT_LIMIT},
        },
        {
            "name": "offset",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 0, "default": 0},
        },
        *extra,
    ]
    if filterset_class is not None:
        with translation.override("en"):
            parameters += _filter_parameters(filterset_class)
    return parameters


def _filter_parameters(filterset_class) -> list[dict]:
    parameters = []
    for name, filter_ in filterset_class.base_filters.items():
        schema = _parameter_schema(filter_)
        parameter = {
            "name": name,
            "in": "query",
            "required": False,
            "description": str(filter_.label or name)
            + (". Repeat to match any of several values." if schema["type"] == "array" else ""),
            "schema": schema,
        }
        if schema["type"] == "array":
            parameter.update(style="form", explode=True)
        parameters.append(parameter)
    return parameters


def openapi_extra(filterset_class=None, *, extra: tuple[dict, ...] = ()) -> dict:
    return {
        "parameters": filterset_parameters(filterset_class, extra=extra),
        "responses": {"400": PROBLEM_RESPONSE_DOC},
    }


def error_responses(schema) -> dict:
    """ninja's ``response=`` for a domain endpoint; its 400 is documented by ``openapi_extra``."""
    return {200: schema}


@functools.cache
def _adapter(schema) -> TypeAdapter:
    return TypeAdapter(schema)


def answer(schema, data) -> HttpResponse:
    """A domain endpoint's 200: ``data`` validated against ``schema`` (its ``response=``) and written as JSON.

    What ninja does with a returned dict, in less than half the time: ninja validates it too, but then dumps the
    model to Python objects and has Python's ``json`` write them (0.45 ms for a page of twenty dates of
    ``/events/``, a tenth of the request); pydantic-core writes the validated model at once (0.18 ms), as Wagtail's
    problem documents are written. The JSON is compact, and a time keeps its microseconds.
    """
    adapter = _adapter(schema)
    return HttpResponse(adapter.dump_json(adapter.validate_python(data)), content_type=JSON)


# Images and rich text in items.

# The sizes the portal's pages use (a listing's square, an article's width) and one for large screens.
IMAGE_RENDITIONS = {"square": "fill-160x160", "medium": "width-640", "large": "width-1280"}


class RenditionOut(ResponseSchema):
    url: str
    width: int
    height: int


class ImageOut(ResponseSchema):
    alt: str
    width: int
    height: int
    renditions: dict[str, RenditionOut]


def image_out(image, alt: str, request) -> dict | None:
    """An image with its alt text and the renditions of ``IMAGE_RENDITIONS`` (absolute URLs), or None.

    Prefetch ``prefetch_renditions(*IMAGE_RENDITIONS.values())`` on the images of a list to read them at once.
    Without a request the URLs are as the storage gives them.
    """
    if image is None:
        return None
    absolute = request.build_absolute_uri if request is not None else str
    renditions = image.get_renditions(*IMAGE_RENDITIONS.values())
    return {
        "alt": alt,
        "width": image.width,
        "height": image.height,
        "renditions": {
            name: {
                "url": absolute(renditions[spec].url),
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for name, spec in IMAGE_RENDITIONS.items()
        },
    }


ROOT_RELATIVE_LINK = re.compile(r'\b(href|src)="(/(?!/)[^"]*)"')


def rich_text_html(value: str, request=None) -> str:
    """Rich text as the page shows it (Wagtail's links and embeds expanded), with absolute links.

    A front-end on another origin gets links that lead to the portal, not to its own host.
    """
    from wagtail.rich_text import expand_db_html

    html = expand_db_html(value or "")
    if request is None:
        return html
    return ROOT_RELATIVE_LINK.sub(lambda m: f'{m[1]}="{request.build_absolute_uri(m[2])}"', html)


# The SDG taxonomy.

router = Router(tags=["sdgs"])


class SDGTargetOut(ResponseSchema):
    code: str
    text: str


class SDGGoalOut(ResponseSchema):
    number: int
    code: str
    title: str
    description: str
    colour: str
    targets: list[SDGTargetOut]


class SDGGoalList(ResponseSchema):
    count: int
    items: list[SDGGoalOut]


class SDGFilterSet(StrictFilterSet):
    """The goals take no filters; the class exists so unknown parameters are rejected the usual way."""

    extra_parameters = frozenset()

    class Meta:
        model = SDGGoal
        fields = []

    def __init__(self, data=None, queryset=None, *, locale=None, **kwargs):
        super().__init__(data, queryset=queryset if queryset is not None else SDGGoal.objects.all(), **kwargs)


@router.get(
    "/sdgs/",
    response=error_responses(SDGGoalList),
    summary="The 17 sustainable development goals with their targets",
    operation_id="sdgs_list",
    openapi_extra=openapi_extra(SDGFilterSet),
)
def list_sdgs(request):
    """Goals in UN order, each with its targets; texts in the ``locale`` language (English when missing)."""
    query = read_query(request, SDGFilterSet)
    count, goals = query.page(SDGGoal.objects.prefetch_related("targets").order_by("number"))
    language = query.language
    items = [
        {
            "number": goal.number,
            "code": goal.code,
            "title": pick_text(goal.titles, language),
            "description": pick_text(goal.descriptions, language),
            "colour": goal.colour,
            "targets": [{"code": t.code, "text": pick_text(t.texts, language)} for t in goal.targets.all()],
        }
        for goal in goals
    ]
    return answer(SDGGoalList, {"count": count, "items": items})


# The term lists: every filter's values with their labels.


class TermOut(ResponseSchema):
    code: str
    label: str


TermLists = dict[str, dict[str, list[TermOut]]]


@router.get(
    "/terms/",
    response=error_responses(TermLists),
    summary="The values of every listing's filters, with their labels",
    operation_id="terms_list",
    tags=["terms"],
    openapi_extra={
        "parameters": [filterset_parameters()[0]],
        "responses": {"400": PROBLEM_RESPONSE_DOC},
    },
)
def list_terms(request):
    """Per listing (``events``, ``partners``, ``childcentres``) and per filter parameter, the values it takes, in
    list order, each with its label in the ``locale`` language: what a front-end needs for its filter forms.

    Filters without a fixed list (dates, ``q``, ``age`` of events, ``sdg``, ``organiser``, ``venue``) are left out;
    ``/sdgs/`` lists the goals and targets.
    """
    query = read_query(request, paged=False, integers={})
    if "limit" in request.GET:
        raise QueryProblem({"limit": [str(_("Unknown parameter."))]}, language=query.language)
    locale = Locale.objects.filter(language_code=query.language).first()
    with translation.override(query.language):
        lists = {name: _term_lists(filterset_class, locale) for name, filterset_class in registry.listings().items()}
    return answer(TermLists, lists)


def _term_lists(filterset_class, locale) -> dict[str, list[dict]]:
    lists = {}
    for name, filter_ in filterset_class(None, locale=locale).filters.items():
        terms = [
            {"code": str(code), "label": str(label)}
            for code, label in getattr(filter_.field, "choices", None) or ()
            if code not in ("", None)
        ]
        if terms:
            lists[name] = terms
    return lists


# The change feed.


class ChangeOut(ResponseSchema):
    cursor: int
    action: str
    type: str
    id: str
    locale: str
    page_id: int
    timestamp: datetime


class ChangeList(ResponseSchema):
    items: list[ChangeOut]
    next: int
    more: bool


def of_another_site(site):
    """The condition on a change of being a change of a page that lives outside ``site``.

    A correlated lookup of the change's page by id, so it costs a probe per change read, not a list of pages.
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from .querysets import under_site

    page_types = Q(pk__in=[])
    for label in registry.change_types():
        model = apps.get_model(label)
        if issubclass(model, Page):
            page_types |= Q(app_label=model._meta.app_label, model=model._meta.model_name)
    elsewhere = Page.objects.filter(pk=OuterRef("object_id")).exclude(under_site(site))
    return Q(content_type__in=ContentType.objects.filter(page_types)) & Q(Exists(elsewhere))


SINCE = IntegerParameter(default=0, minimum=0)
SINCE_PARAMETER = {
    "name": "since",
    "in": "query",
    "required": False,
    "description": "The cursor of the last change you have seen (the ``next`` of the previous answer); 0 for all.",
    "schema": {"type": "integer", "minimum": 0, "default": 0},
}


@router.get(
    "/changes/",
    response=error_responses(ChangeList),
    summary="What was created, changed, unpublished or deleted since a cursor",
    operation_id="changes_list",
    openapi_extra={
        "parameters": [SINCE_PARAMETER, *filterset_parameters()[:2]],
        "responses": {"400": PROBLEM_RESPONSE_DOC},
    },
)
@decorate_view(never_cache)  # answers trail the clock, not the content version: never kept
def list_changes(request):
    """Changes in commit order, ``limit`` at a time, with the ``next`` cursor to ask from.

    ``id`` is the translation_key (the same in every language; the partners', child centres' and events' id in
    this API), ``type`` the name the model's app registered (``partner``, ``childcentre``, ``event``,
    ``partnership``, ``network``, ``municipality``, and the pages read through Wagtail's pages API: ``homepage``,
    ``contentpage``, ``sdgindexpage``, ``eventindexpage``, …); ``page_id`` is the object's id in its language. A
    municipality is not translated: its ``id`` is its own (``/municipalities/{id}/``), its ``locale`` the site's
    language. A ``deleted`` change is a tombstone.
    Answers trail commit time by ``LEERSTAD_CHANGES_DELAY_SECONDS`` so a slow transaction is not skipped.

    The feed follows OpenActive's RPDE with its "incrementing unique change number" ordering: the cursor orders every
    change, an object appears again whenever it changes, and the last change of every live object stays, so
    ``since=0`` is a full sync. Superseded changes and tombstones (``deleted``, ``unpublished``) are kept
    ``LEERSTAD_CHANGES_KEEP_DAYS`` days (at least 7, default 30): a client that pauses longer syncs from 0 again.

    Changes of pages are those of the requesting site's pages (and tombstones, whose page is gone); partnerships,
    networks and municipalities are everyone's.
    """
    query = read_query(request, integers={"since": SINCE}, paged=False)
    since, limit = query.values["since"], query.limit
    changes = ChangeLog.objects.since(since).exclude(of_another_site(cached_site(request)))
    cutoff = timezone.now() - changes_delay()
    # Stop before the first change that is too recent, so a later one never overtakes it.
    first_recent = changes.filter(timestamp__gt=cutoff).aggregate(first=Min("pk"))["first"]
    if first_recent is not None:
        changes = changes.filter(pk__lt=first_recent)
    rows = list(changes.select_related("content_type")[: limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    items = [
        {
            "cursor": row.pk,
            "action": row.action,
            "type": registry.change_type(f"{row.content_type.app_label}.{row.content_type.model}"),
            "id": str(row.translation_key),
            "locale": row.language_code,
            "page_id": row.object_id,
            "timestamp": timezone.localtime(row.timestamp),
        }
        for row in rows
    ]
    return answer(ChangeList, {"items": items, "next": rows[-1].pk if rows else since, "more": more})
