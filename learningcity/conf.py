"""The learning city's settings, read lazily so tests and deployments can override them at any time."""

from datetime import timedelta

from django.conf import settings


def fragment_cache_seconds() -> int:
    """How long cached fragments and answers live (``LEERSTAD_FRAGMENT_CACHE_SECONDS``, default 300; 0: off)."""
    return int(getattr(settings, "LEERSTAD_FRAGMENT_CACHE_SECONDS", 300))


def response_cache_enabled() -> bool:
    """Whether whole answers are cached (``LEERSTAD_RESPONSE_CACHE``, default on; only while fragments are cached).

    Off, every request builds its answer, from the routes, menus and lists kept under the content version: for a
    cache in front (CDN, Varnish) that keeps whole answers itself, or to measure the path of a new query string.
    """
    return bool(getattr(settings, "LEERSTAD_RESPONSE_CACHE", True))


def changes_delay() -> timedelta:
    """How far the change feed trails commit time (``LEERSTAD_CHANGES_DELAY_SECONDS``, default 5)."""
    return timedelta(seconds=float(getattr(settings, "LEERSTAD_CHANGES_DELAY_SECONDS", 5)))


# RPDE (OpenActive's Realtime Paged Data Exchange) keeps tombstones at least seven days.
CHANGES_KEEP_DAYS_MIN = 7


def changes_keep_days() -> int:
    """How long the change feed keeps superseded changes and tombstones (``LEERSTAD_CHANGES_KEEP_DAYS``, default
    30, at least 7)."""
    return max(CHANGES_KEEP_DAYS_MIN, int(getattr(settings, "LEERSTAD_CHANGES_KEEP_DAYS", 30)))


def api_limit_max() -> int:
    """The most items an API page holds (Wagtail's ``WAGTAILAPI_LIMIT_MAX``, default 20)."""
    return int(getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20) or 20)


def demo_allowed() -> bool:
    """Whether ``load_demo`` may publish its login (``LEERSTAD_DEMO_ALLOWED``: development and test settings)."""
    return bool(getattr(settings, "LEERSTAD_DEMO_ALLOWED", False))
