"""The events API benchmark: ``/api/v3/events/`` response times at 1k, 10k… events.

``make bench`` calls ``api_rows()`` from ``bench/agenda.py`` on the database it has just grown. Run on its own,
``.venv/bin/python bench/api.py [SIZE ...]`` (default 1000 10000) builds a throw-away test database the same way
(in memory on SQLite; ``test_<name>`` on PostgreSQL with ``DATABASE_URL``), never the developer's ``var/``
database, and prints per size the median time over repeated in-process requests with Django's test client, the
SQL query count and the response size of the first page, a filtered page and a page of 100 (fragments and answers
cached as in production), and of the first two with an empty cache. It asserts nothing.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerstad_site.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from bench.generate import make_events, make_partners, make_site  # noqa: E402
from bench.measure import PRODUCTION_CACHING, REPEAT, WARM_UP, measure  # noqa: E402
from events.indexing import build_occurrences  # noqa: E402

EVENTS_API = "/api/v3/events/"
EVENTS_PER_PARTNER = 50


def api_requests(today) -> dict[str, str]:
    """The measured requests by label: the same filtered week as the agenda's benchmark."""
    week = (today + timedelta(days=1)).isoformat(), (today + timedelta(days=7)).isoformat()
    return {
        "API events, first page": EVENTS_API,
        "API events, filtered": f"{EVENTS_API}?from={week[0]}&to={week[1]}&theme=stem&free=true",
        "API events, limit=100": f"{EVENTS_API}?limit=100",
    }


def api_rows(client: Client, context: dict) -> list[tuple[str, float, int, int, int]]:
    """(label, median ms, SQL queries, response bytes, HTTP status) per API request measured.

    Each request as a client repeats it (the answer kept under the content version, see
    ``learningcity.api.cached_answer``), then the first two with the cache emptied before each request.
    """
    requests = api_requests(context["today"])
    rows = [(label, *measure(client, url)) for label, url in requests.items()]
    for label, url in list(requests.items())[:2]:
        rows.append((label.replace("API events, ", "API ") + ", cold", *measure(client, url, cache.clear)))
    return rows


def main(sizes: list[int]) -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(**PRODUCTION_CACHING):
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
