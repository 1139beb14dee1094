"""Middleware of the learning city's site."""

from django.core.exceptions import BadRequest
from django.http import HttpResponseNotFound
from django.middleware import locale
from django.urls import NoReverseMatch, reverse
from django.utils import translation


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's ``LocaleMiddleware``, except that a view's own 404 stays a 404.

    With ``i18n_patterns(prefix_default_language=True)`` Django answers a 404 on a path without a language prefix
    by redirecting to the same path under the visitor's language when that path resolves, and Wagtail's page view
    resolves every path. So a 404 from the API (an unknown page id) or a feed (an unknown event) became a 302 to
    ``/nl/api/…``, a page that does not exist either. A path that resolved to a view outside the pages (the API,
    feeds, embed) is not a page address missing its language: its 404 is the answer.

    A page's address without its language (the site's root ``/``, or ``/agenda/`` from a printed flyer) is
    redirected without rendering a not-found page first: the site's ``handler404`` answers it with an empty 404
    when this middleware will redirect it (``redirected_to_a_language``).
    """

    def process_response(self, request, response):
        resolved = getattr(request, "resolver_match", None) is not None
        if response.status_code == 404 and resolved and not translation.get_language_from_path(request.path_info):
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)


def redirected_to_a_language(request) -> bool:
    """Whether ``LocaleMiddleware`` answers a 404 of ``request`` with a redirect to its address under the visitor's
    language (``/agenda/`` → ``/nl/agenda/``): a page's address without its language, which no view served."""
    if getattr(request, "resolver_match", None) is not None:
        return False
    not_found = HttpResponseNotFound()
    return LocaleMiddleware(lambda request: not_found).process_response(request, not_found) is not not_found


class AdminQueryMiddleware:
    """A NUL character in a query parameter of the admin is a 400.

    Wagtail's admin hands some parameters to the database as they come (a translatable snippet listing's
    ``?locale=``), and PostgreSQL's text cannot hold a NUL: a 500. No form of the admin sends one, and Django's form
    fields refuse it; the public pages and the API refuse it with their own errors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A NUL reaches a parameter only written as %00 (servers refuse the raw byte): no need to parse the query.
        if "%00" in request.META.get("QUERY_STRING", "") and _in_admin(request):
            raise BadRequest("A query parameter of the admin holds a NUL character.")
        return self.get_response(request)


def _in_admin(request) -> bool:
    try:
        return request.path_info.startswith(reverse("wagtailadmin_home", urlconf=getattr(request, "urlconf", None)))
    except NoReverseMatch:  # a URLconf without the admin
        return False
