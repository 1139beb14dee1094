"""Whole responses for anonymous visitors: pages, the API and the feeds, kept under the content version.

``ResponseCacheMiddleware`` keeps the answer to an anonymous GET of a page (Wagtail's ``serve`` view), of the
API (``/api/``) or of a feed (``/feeds/``, ``/embed/``) and gives it to the next request with the same scheme,
host, language, path and query (its parameters sorted; a view may name a FilterSet that also drops repeated
values, ``canonical_query``). The answer is kept with the content version (``learningcity.caching``): of the request's
site for a page, of every page for the API and the feeds (they read across sites), so a publication,
unpublication, move, view restriction, snippet, setting or image saved makes the next request answer anew, in
every worker process. A draft renews nothing.

Nothing that may differ per visitor is kept: requests with a session cookie (logged-in editors, previews,
passed page passwords) are neither answered from nor written to the cache, and a response is kept only when it
is a complete 200, sets no cookie, used no CSRF token (a form) nor CSP nonce, and does not say ``private``,
``no-cache`` or ``no-store`` (``django.views.decorators.cache.never_cache``). A restricted page is a redirect
to the login or a password form with a CSRF token, so it is never kept.

How long an answer is kept: the response's ``s-maxage`` or ``max-age`` when it gives one (listings whose
"upcoming" moves with the clock expire with the minute, ``expire_with_the_minute``), else
``LEERSTAD_FRAGMENT_CACHE_SECONDS`` (default 300; 0 turns this cache off, as the test settings do;
``LEERSTAD_RESPONSE_CACHE = False`` turns off this cache alone, keeping the fragments and routes). A kept
answer carries an ``ETag`` (its body's digest), so Django's ``ConditionalGetMiddleware`` answers a conditional
GET with a 304 from the cache.

Django's own ``UpdateCacheMiddleware``/``FetchFromCacheMiddleware`` key on the full URL and headers only, and
would keep a page for its whole lifetime after an edit; this middleware uses Django's helpers for the rest
(``get_max_age``, ``patch_cache_control``, ``set_response_etag``).
"""

import functools
import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.cache import get_max_age, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.translation import get_language

from .caching import EVERYTHING, GLOBAL, fragment_seconds, site_scope, versioned_get, versioned_set
from .conf import response_cache_enabled
from .filters import StrictFilterSet

SAFE_METHODS = frozenset({"GET", "HEAD"})
CACHED_PATHS = re.compile(r"^/(api|feeds|embed)/")
KEY_PREFIX = "leerstad:response"
UNCACHEABLE_DIRECTIVES = re.compile(r"\b(private|no-cache|no-store)\b", re.IGNORECASE)


class ResponseCacheMiddleware:
    """Answers anonymous GET and HEAD requests from the cache (see the module's docstring).

    Place it after ``LocaleMiddleware`` (the language is part of the key) and before the middleware that routes
    pages (``learningcity.routing.CachedRoutingMiddleware``), which a cached answer makes unnecessary.
    """

    def __init__(self, get_response):
        from wagtail.views import serve  # not at import: the page models import this module

        self.get_response = get_response
        self.wagtail_serve = serve

    def __call__(self, request):
        response = self.get_response(request)
        entry = getattr(request, "response_cache_entry", None)
        if entry is not None and request.method == "GET" and is_cacheable(request, response):
            seconds = kept_seconds(response)
            if seconds > 0:
                if not response.has_header("ETag"):
                    set_response_etag(response)
                if getattr(request, "session", None) is not None and request.session.accessed:
                    # What SessionMiddleware adds to this answer and, the session untouched, not to a hit: a cache
                    # in front must not give an editor the page an anonymous visitor got.
                    patch_vary_headers(response, ["Cookie"])
                versioned_set(*entry, response, seconds)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not fragment_seconds() or not response_cache_enabled() or request.method not in SAFE_METHODS:
            return None
        if is_visitor_with_session(request):
            return None
        if view_func is self.wagtail_serve:
            from wagtail.models import Site

            site = Site.find_for_request(request)
            scopes = (GLOBAL, site_scope(site.pk)) if site else EVERYTHING
        elif CACHED_PATHS.match(request.path_info):
            scopes = EVERYTHING
        else:
            return None
        filterset_class = getattr(view_func, "canonical_query", StrictFilterSet)
        key = response_key(request, filterset_class.canonical_items(request.GET))
        version, response = versioned_get(key, scopes)
        if response is not None:
            return response
        request.response_cache_entry = (key, version)
        return None


def is_visitor_with_session(request) -> bool:
    """Whether the request comes with a session (an editor, a preview, a page password given): never cached."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def response_key(request, query_items) -> str:
    """The cache key of a request's answer: scheme, host, language, path and query (the version is in the value)."""
    address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(query_items)}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:40]
    return f"{KEY_PREFIX}:{get_language()}:{digest}"


def is_cacheable(request, response) -> bool:
    """Whether ``response`` is the same for every anonymous visitor and complete (see the module's docstring)."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not bool(getattr(request, "csp_nonce", None))  # django-csp's lazy nonce is false until it is used
        and not UNCACHEABLE_DIRECTIVES.search(response.get("Cache-Control", ""))
        and not (hasattr(request, "session") and request.session.modified)
    )


def kept_seconds(response) -> int:
    """How long to keep ``response``: its ``s-maxage`` or ``max-age``, else the cache's lifetime."""
    directives = dict(
        (part.split("=", 1) + [""])[:2] for part in re.split(r"\s*,\s*", response.get("Cache-Control", "")) if part
    )
    shared = directives.get("s-maxage")
    if shared and shared.isdigit():
        return min(int(shared), 24 * 60 * 60)
    max_age = get_max_age(response)
    return fragment_seconds() if max_age is None else max_age


def seconds_to_the_next_minute() -> int:
    now = timezone.now()
    return max(1, 60 - now.second)


def expire_with_the_minute(response):
    """Let caches keep ``response`` to the end of this minute, for listings of what is ongoing and upcoming."""
    patch_cache_control(response, max_age=seconds_to_the_next_minute())
    return response


def per_minute(view):
    """View decorator: the view's answers expire with the minute (``expire_with_the_minute``)."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        return expire_with_the_minute(view(request, *args, **kwargs))

    return answer


def canonical_query(filterset_class):
    """View decorator: the response cache keys the view's query as ``filterset_class.canonical_items`` does.

    Without it the parameters are only sorted; a FilterSet also drops repeated values of repeatable filters.
    """

    def decorator(view):
        view.canonical_query = filterset_class
        return view

    return decorator


class ExpiresWithTheMinuteMixin:
    """For page types whose content moves with the clock ("upcoming"): their answers expire with the minute."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # An editor's page (with the user bar) is for no cache to keep, not even the browser's for a minute.
        return response if is_visitor_with_session(request) else expire_with_the_minute(response)
