"""System checks of the assembled site (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTNAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0"})  # noqa: S104 (names, not a bind)


@register(Tags.sites, deploy=True)
def check_public_address(app_configs, **kwargs):
    """Absolute links (feeds, the API, JSON-LD, the sitemap, notification e-mails) must name the public host."""
    from urllib.parse import urlsplit

    from django.db import DatabaseError
    from wagtail.models import Site

    warnings = []
    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:  # not migrated yet: nothing to check
        site = None
    if site is not None and site.hostname.lower() in LOCAL_HOSTNAMES:
        warnings.append(
            Warning(
                f"The default Wagtail site is {site.root_url}: feeds, the API, JSON-LD and the sitemap link there.",
                hint=(
                    "Give the site its public hostname and port (443 for HTTPS) in the admin under Settings → Sites, "
                    "e.g. leren.example.org and 443."
                ),
                id="leerstad.W002",
            )
        )
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    if (urlsplit(base_url).hostname or "localhost").lower() in LOCAL_HOSTNAMES:
        warnings.append(
            Warning(
                f"WAGTAILADMIN_BASE_URL is {base_url or 'unset'}: links in notification e-mails lead nowhere.",
                hint="Set WAGTAILADMIN_BASE_URL to the public address, e.g. https://leren.example.org.",
                id="leerstad.W003",
            )
        )
    return warnings
