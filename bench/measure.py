"""The timed requests of ``make bench``, run in a fresh process as a web worker would serve them.

``bench/agenda.py`` grows the benchmark database, then runs ``bench/measure.py SIZE agenda|others`` against it
(``DATABASE_URL``) for each size: it prints one JSON list of rows ``[label, median ms, SQL queries, response
bytes, HTTP status]``. A fresh process matters: the generator's process holds hundreds of megabytes of objects it
made, and Python's garbage collector walks them during the requests, which slowed every row (the bare view too)
by up to half again.
"""

import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerstad_site.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

REPEAT = 25
WARM_UP = 3

# Fragments cached as in production (the test settings turn them off), in a cache big enough for them.
PRODUCTION_CACHING = {
    "ROOT_URLCONF": "bench.urls",
    "LEERSTAD_FRAGMENT_CACHE_SECONDS": 300,
    "CACHES": {"default": {**settings.CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 100_000}}},
}


def agenda_urls(agenda, today) -> tuple[str, str]:
    """The agenda's first page and a filtered page (a week of free STEM activities)."""
    url = agenda.get_url()
    week = (today + timedelta(days=1)).isoformat(), (today + timedelta(days=7)).isoformat()
    return url, f"{url}?from={week[0]}&to={week[1]}&theme=stem&free=true"


def measure(client: Client, url: str, before=None) -> tuple[float, int, int, int]:
    """Median ms over REPEAT requests after WARM_UP, query count, response bytes and status of ``url``.

    ``before`` runs before each request, outside the timing (e.g. to empty the cache).
    """
    before = before or (lambda: None)
    for _warm in range(WARM_UP):
        before()
        client.get(url)
    timings = []
    for _repeat in range(REPEAT):
        before()
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    before()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(timings), len(queries), len(response.content), response.status_code


def rows(size: int, part: str) -> list[tuple]:
    """The rows of ``part``: ``agenda`` (the agenda's pages and the bare view) or ``others`` (feeds and API)."""
    from events.models import EventIndexPage

    agenda = EventIndexPage.objects.order_by("pk").first()
    today = timezone.localdate()
    client = Client()
    if part == "agenda":
        agenda_url, filtered = agenda_urls(agenda, today)
        requests = {
            "agenda, first page": (agenda_url, None),
            "agenda, filtered": (filtered, None),
            "agenda, cold cache": (agenda_url, cache.clear),
            "filtered, cold cache": (filtered, cache.clear),
            "bare Django view": ("/bench/bare/", None),
        }
        return [(label, *measure(client, url, before)) for label, (url, before) in requests.items()]
    from bench.api import api_rows
    from bench.feeds import feed_rows

    context = {"agenda": agenda, "today": today, "size": size}
    return feed_rows(client, context) + api_rows(client, context)


def main(arguments: list[str]) -> None:
    setup_test_environment()
    size, part = int(arguments[0]), arguments[1]
    cache.clear()
    with override_settings(**PRODUCTION_CACHING):
        measured = rows(size, part)
    print(json.dumps(measured))


if __name__ == "__main__":
    main(sys.argv[1:])
