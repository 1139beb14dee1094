"""CORS for the headless API and the feeds: browsers on the listed origins may read ``/api/`` and ``/feeds/``.

Origins come from ``LEERSTAD_CORS_ALLOWED_ORIGINS`` (e.g. ``https://bib.example.org``), read on each request so
tests and deployments can change them. Everything is read-only, so only GET, HEAD and OPTIONS are allowed and
no credentials are shared.
"""

import re

from django.conf import settings
from django.http import HttpResponse
from django.middleware import locale
from django.utils import translation
from django.utils.cache import patch_vary_headers

CORS_PATHS = re.compile(r"^/(api|feeds)/")
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
MAX_AGE = "86400"


def allowed_origins() -> set[str]:
    return {origin.rstrip("/") for origin in getattr(settings, "LEERSTAD_CORS_ALLOWED_ORIGINS", [])}


class CorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not CORS_PATHS.match(request.path_info):
            return self.get_response(request)
        origin = request.headers.get("Origin")
        allowed = origin is not None and origin in allowed_origins()
        is_preflight = request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
        if is_preflight:
            response = HttpResponse(status=204 if allowed else 403)
            if allowed:
                response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
                requested = request.headers.get("Access-Control-Request-Headers")
                if requested:
                    response["Access-Control-Allow-Headers"] = requested
                response["Access-Control-Max-Age"] = MAX_AGE
        else:
            response = self.get_response(request)
        if allowed:
            response["Access-Control-Allow-Origin"] = origin
        patch_vary_headers(response, ["Origin"])
        return response


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's ``LocaleMiddleware``, except that a view's own 404 stays a 404.

    With ``i18n_patterns(prefix_default_language=True)`` Django answers a 404 on a path without a language prefix
    by redirecting to the same path under the visitor's language when that path resolves, and Wagtail's page view
    resolves every path. So a 404 from the API (an unknown page id) or a feed (an unknown event) became a 302 to
    ``/nl/api/…``, a page that does not exist either. A path that resolved to a view outside the pages (the API,
    feeds, embed) is not a page address missing its language: its 404 is the answer.
    """

    def process_response(self, request, response):
        resolved = getattr(request, "resolver_match", None) is not None
        if response.status_code == 404 and resolved and not translation.get_language_from_path(request.path_info):
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
