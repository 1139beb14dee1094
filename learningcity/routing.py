"""Serving pages without re-reading the tree: Wagtail's site and route lookups kept under the content version.

For every page request Wagtail finds the site (one query), walks the tree from the site's root to the page
(a query for the active locale, then two per level: the child and its specific row) and reads the view
restrictions of the page and its ancestors (two queries). None of it depends on the visitor, only on the
content, so ``CachedRoutingMiddleware`` keeps the site per host and the route per site, language and path
under the content version (``learningcity.caching``), which any save of a page, site, locale or restriction
renews, for every worker process on its next request. It fills the per-request attributes Wagtail reads
(``request._wagtail_site`` and ``request._wagtail_route_for_request``), so Wagtail's own ``serve`` view and hooks
run unchanged.
``ViewRestrictionsMixin`` answers "no restrictions" from the cached list of restricted paths.

Both follow ``LEERSTAD_FRAGMENT_CACHE_SECONDS``: with 0 (the test settings) Wagtail works as it always does.
Without the cache, and on the first request of a path, ``OneQueryRoutingMixin`` (on the home page, where Wagtail's
routing starts) reads the pages on the path in one query instead of two per level.
"""

from django.http import Http404
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.models import Page, PageViewRestriction, Site

from .caching import GLOBAL, cached, fragment_seconds, restricted_paths
from .compat import site_root_paths

SAFE_METHODS = frozenset({"GET", "HEAD"})
# The deepest a page can be: treebeard's ``path`` holds 255 characters, four per level.
MAX_TREE_LEVELS = Page._meta.get_field("path").max_length // Page.steplen


class CachedRoutingMiddleware:
    """Gives Wagtail the request's site, its page route and the site root paths from the cache (see the module's
    docstring and ``compat.site_root_paths``)."""

    def __init__(self, get_response):
        from wagtail.views import serve  # not at import: the page models import this module

        self.get_response = get_response
        self.wagtail_serve = serve

    def __call__(self, request):
        remember_site(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in SAFE_METHODS or not fragment_seconds():
            return None
        site_root_paths(request)  # for the answer's links: this process's copy, not a round trip to the cache
        if view_func is not self.wagtail_serve:
            return None
        site = Site.find_for_request(request)
        if site is not None and not hasattr(request, "_wagtail_route_for_request"):
            path = view_kwargs.get("path", view_args[0] if view_args else "")
            route = cached_route(request, site, path)
            if route:
                request._wagtail_route_for_request = route
        return None


def remember_site(request) -> None:
    """Give Wagtail the request's site from the cache (``Site.find_for_request`` reads ``_wagtail_site``)."""
    if fragment_seconds() and not hasattr(request, "_wagtail_site"):
        request._wagtail_site = cached_site(request)


def cached_site(request) -> Site | None:
    """``Site.find_for_request()`` from the cache: the site matching the request's host and port.

    Kept under the version that sites, locales and every change but a publication renew (a publication does not
    change which site a host finds).
    """
    hostname = split_domain_port(request._get_raw_host())[0]  # as Wagtail does, before ALLOWED_HOSTS checks
    port = request.get_port()
    found = cached(f"site:{hostname}:{port}", lambda: Site._find_for_request(request) or False, scopes=(GLOBAL,))
    return found or None


def cached_route(request, site: Site, path: str):
    """Wagtail's route to ``path`` on ``site`` in the active language, from the cache when it is there.

    Paths that lead nowhere are not kept (anyone can make up new ones). Routes with view arguments (a routable
    page's sub-views) hold bound methods, so the cache only notes that Wagtail routes them itself (``False``, as
    the first request gets it: Wagtail then finds the route it kept on the request).
    """

    def route():
        found = Page.route_for_request(request, path)  # Wagtail keeps it on the request too
        return False if found is not None and (found.args or found.kwargs) else found

    return cached(f"route:{site.pk}:{get_language()}:{path}", route)


class OneQueryRoutingMixin:
    """Routes a path below this page (the site's root) with the pages on the way read in one query.

    Wagtail's ``Page.route`` reads a child by its slug, then that child's specific page, level by level: two queries
    per level, six for an event at ``/nl/partners/<partner>/<event>/``. This reads the pages of every level at once,
    by their slugs and depths under this page, and the last one's specific page: two queries, whatever the depth.
    Where a page on the way routes its own way (a routable page's sub-views), its ``route()`` takes over from there,
    so the answer is always Wagtail's: the same page, and a 404 where Wagtail gives one.
    """

    def route(self, request, path_components):
        if not path_components or len(path_components) > MAX_TREE_LEVELS:  # longer: only a routable page's view
            return super().route(request, path_components)
        depths = range(self.depth + 1, self.depth + len(path_components) + 1)
        on_the_way = Page.objects.filter(
            path__startswith=self.path, depth__in=depths, slug__in=set(path_components)
        ).order_by()
        found = {(page.depth, page.slug, page.path[: -Page.steplen]): page for page in on_the_way}
        parent_path = self.path
        for level, slug in enumerate(path_components):
            page = found.get((depths[level], slug, parent_path))
            if page is None:
                raise Http404
            remaining = path_components[level + 1 :]
            if remaining and getattr(page.specific_class, "route", Page.route) is not Page.route:
                return page.specific.route(request, remaining)
            parent_path = page.path
        return page.specific.route(request, [])


class ViewRestrictionsMixin:
    """Pages whose view restrictions are known to be none without a query (Wagtail reads two per request).

    Restrictions apply to a page through itself or an ancestor, or through the source page of an alias among
    them; with no alias in the tree, a page is unrestricted when no restricted page's path starts its own.
    """

    def get_view_restrictions(self):
        paths = restricted_paths()
        if not paths or (not any(self.path.startswith(path) for path in paths) and not tree_has_aliases()):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def tree_has_aliases() -> bool:
    return cached("page-aliases", lambda: Page.objects.filter(alias_of__isnull=False).exists())
