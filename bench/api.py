"""The events API benchmark: ``/api/v3/events/`` response times at 1k, 10k… events.

``make bench`` calls ``api_rows()`` from ``bench/agenda.py`` on the database it has just grown. Run on its own,
``.venv/bin/python bench/api.py [SIZE ...]`` (default 1000 10000) builds a throw-away test database the same way
(in memory on SQLite; ``test_<name>`` on PostgreSQL with ``DATABASE_URL``), never the developer's ``var/``
database, and prints per size the median time over repeated in-process requests with Django's test client, the
SQL query count and the response size of the first page, a filtered page and a page of 100. It asserts nothing.
"""

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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from bench.generate import make_events, make_partners, make_site  # noqa: E402
from events.indexing import build_occurrences  # noqa: E402

EVENTS_API = "/api/v3/events/"
# As in bench/agenda.py, which imports this module (so this one does not import it back).
REPEAT = 25
WARM_UP = 3
EVENTS_PER_PARTNER = 50


def api_requests(today) -> dict[str, str]:
    """The measured requests by label: the same filtered week as the agenda's benchmark."""
    week = (today + timedelta(days=1)).isoformat(), (today + timedelta(days=7)).isoformat()
    return {
        "API events, first page": EVENTS_API,
        "API events, filtered": f"{EVENTS_API}?from={week[0]}&to={week[1]}&theme=stem&free=true",
        "API events, limit=100": f"{EVENTS_API}?limit=100",
    }


def measure(client: Client, url: str) -> tuple[float, int, int, int]:
    """Median ms over REPEAT requests after WARM_UP, query count, response bytes and status of ``url``."""
    for _warm in range(WARM_UP):
        client.get(url)
    timings = []
    for _repeat in range(REPEAT):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(timings), len(queries), len(response.content), response.status_code


def api_rows(client: Client, context: dict) -> list[tuple[str, float, int, int, int]]:
    """(label, median ms, SQL queries, response bytes, HTTP status) per API request measured."""
    return [(label, *measure(client, url)) for label, url in api_requests(context["today"]).items()]


def main(sizes: list[int]) -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(sorted(sizes))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(sizes: list[int]) -> None:
    Locale.objects.get_or_create(language_code="nl")
    _home, agenda, directory = make_site()
    today = timezone.localdate()
    client = Client()
    print(f"database: {connection.vendor}; {REPEAT} requests per row after {WARM_UP} warm-up requests")
    header = f"{'events':>7}  {'request':<23} {'median ms':>9} {'queries':>7} {'bytes':>8}"
    print(header)
    print("-" * len(header))
    partners, made = [], 0
    for size in sizes:
        wanted = max(1, size // EVENTS_PER_PARTNER)
        partners += make_partners(directory, wanted - len(partners), first=len(partners))
        made += make_events(agenda, size - made, today, seed=size, first=made, partners=partners)
        build_occurrences(rebuild=True)
        context = {"agenda": agenda, "today": today, "partners": partners, "size": size}
        for n, (label, median, queries, size_bytes, status) in enumerate(api_rows(client, context)):
            lead = f"{size:>7}" if n == 0 else " " * 7
            note = "" if status == 200 else f"  (HTTP {status})"
            print(f"{lead}  {label:<23} {median:>9.2f} {queries:>7} {size_bytes:>8}{note}")


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [1000, 10000])
