"""Site-level endpoints that belong to no app: health check, robots.txt, the icon browsers ask for, and the
not-found page."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseNotFound, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learningcity.middleware import redirected_to_a_language

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 when the application and its database answer, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    """``/favicon.ico``, which browsers and feed readers ask for whatever a page links: the portal's icon."""
    return HttpResponsePermanentRedirect(static("leerstad/img/favicon.svg"))


def page_not_found(request, exception, template_name="404.html"):
    """``handler404``: Django's page, except for a page's address without its language (``/agenda/`` from a flyer).

    ``LocaleMiddleware`` answers that 404 with a redirect to the address under the visitor's language, so the page
    rendered for it was thrown away: most of the 9–12 ms such a redirect took. It gets an empty 404 instead, which
    Wagtail's redirects still see first (an editor's redirect of the address wins) and the middleware then turns
    into the redirect.
    """
    if redirected_to_a_language(request):
        return HttpResponseNotFound()
    return defaults.page_not_found(request, exception, template_name)
