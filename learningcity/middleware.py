"""Middleware of the learning city's site."""

from django.middleware import locale
from django.utils import translation


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
