"""System checks of the assembled site (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

from .caching import fragment_seconds

PROCESS_LOCAL_CACHES = frozenset(
    {"django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"}
)


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Cached pages, routes, view restrictions and API answers must be shared by every worker process."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if not fragment_seconds() or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            "Pages, page routes, view restrictions and API answers are cached in each worker process's own memory.",
            hint=(
                "With several worker processes an edit (a new view restriction too) reaches the other workers only "
                "after LEERSTAD_FRAGMENT_CACHE_SECONDS. Set REDIS_URL (a cache shared by all workers), run one "
                "worker process, or set LEERSTAD_FRAGMENT_CACHE_SECONDS=0."
            ),
            id="leerstad.W001",
        )
    ]
