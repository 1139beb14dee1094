"""Feed timings: the full iCalendar feed and the JSON Feed, cold, after one edit, cached and as a 304.

``feed_rows()`` measures one populated database (``make bench`` calls it from ``bench/agenda.py`` at each
size). Run alone, ``.venv/bin/python bench/feeds.py [SIZE ...]`` (default 1000 10000) builds a throw-away test
database like the agenda benchmark's and prints the rows per size. It prints figures and asserts nothing.

"Cold" means an empty cache before each request: no cached body, no cached VEVENT blocks, no cached site
root paths. "One edit" publishes a change to one listed event (a new revision, a change-log row and its
occurrences rebuilt, as the admin does), then requests the feed: the calendar reuses the other events' blocks.
"Unrelated change" moves the change log without touching the calendar's events (as an edit elsewhere on the
site does): the calendar is assembled from its blocks alone.
"""

import itertools
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerstad_site.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.generate import make_events, make_partners, make_site  # noqa: E402
from events.indexing import build_occurrences  # noqa: E402
from events.models import EventPage, Occurrence  # noqa: E402
from learningcity.models import ChangeLog  # noqa: E402

ICS_URL = "/feeds/events.ics"
JSON_URL = "/feeds/events.json?limit=50"
COLD_RUNS = 5
EDIT_RUNS = 5
REPEAT = 25
EVENTS_PER_PARTNER = 50

Row = tuple[str, float, int, int, int]


def _timed(client: Client, url: str, **headers) -> tuple[float, object]:
    started = time.perf_counter()
    response = client.get(url, **headers)
    return (time.perf_counter() - started) * 1000, response


def _row(label: str, client: Client, url: str, runs: int, before=None, **headers) -> Row:
    """Median of ``runs`` requests, each after ``before()``; queries, size and status of the last one."""
    timings = []
    for _run in range(runs):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as queries:
            elapsed, response = _timed(client, url, **headers)
        timings.append(elapsed)
    return label, statistics.median(timings), len(queries), len(response.content), response.status_code


def _listed_events(count: int) -> list[EventPage]:
    """Events the full calendar lists (they have an upcoming occurrence), to edit one by one."""
    ids = list(Occurrence.objects.upcoming().order_by("start", "event_id").values_list("event_id", flat=True)[:200])
    unique = list(dict.fromkeys(ids))[:count]
    return list(EventPage.objects.filter(pk__in=unique).order_by("pk"))


def feed_rows(client: Client, context: dict) -> list[Row]:
    """(label, median ms, SQL queries, response bytes, HTTP status) for each feed measurement."""
    if connection.vendor == "postgresql":
        # A database filled a moment ago has no planner statistics yet (autovacuum gathers them in production, and
        # is often off on test servers); without them PostgreSQL plans the calendar's queries for empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rows = [_row("ICS full, cold", client, ICS_URL, COLD_RUNS, before=cache.clear)]
    rows.append(_row("ICS full, cached", client, ICS_URL, REPEAT))
    etag = client.get(ICS_URL)["ETag"]
    rows.append(_row("ICS 304", client, ICS_URL, REPEAT, HTTP_IF_NONE_MATCH=etag))

    agenda = context["agenda"]

    def unrelated_change():
        ChangeLog.objects.create(
            content_type_id=agenda.content_type_id,
            object_id=agenda.pk,
            translation_key=agenda.translation_key,
            language_code="nl",
            action="changed",
        )

    rows.append(_row("ICS full, unrelated change", client, ICS_URL, EDIT_RUNS, before=unrelated_change))

    listed = _listed_events(EDIT_RUNS)
    if listed:
        events = itertools.cycle(listed)

        def edit_one():
            event = next(events)
            event.title += " *"
            event.save_revision().publish()

        rows.append(_row("ICS full, one edit", client, ICS_URL, EDIT_RUNS, before=edit_one))

    rows.append(_row("JSON Feed, cold", client, JSON_URL, COLD_RUNS, before=cache.clear))
    rows.append(_row("JSON Feed, cached", client, JSON_URL, REPEAT))
    etag = client.get(JSON_URL)["ETag"]
    rows.append(_row("JSON Feed 304", client, JSON_URL, REPEAT, HTTP_IF_NONE_MATCH=etag))
    return rows


def main(sizes: list[int]) -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _home, agenda, directory = make_site()
        today = timezone.localdate()
        client = Client()
        print(f"database: {connection.vendor}; medians of {COLD_RUNS} cold or changed, {REPEAT} other requests")
        header = f"{'events':>7}  {'request':<26} {'median ms':>9} {'queries':>7} {'bytes':>9}"
        print(header)
        print("-" * len(header))
        partners, made = [], 0
        for size in sorted(sizes):
            wanted = max(1, size // EVENTS_PER_PARTNER)
            partners += make_partners(directory, wanted - len(partners), first=len(partners))
            made += make_events(agenda, size - made, today, seed=size, first=made, partners=partners)
            build_occurrences(rebuild=True)
            context = {"agenda": agenda, "today": today, "partners": partners, "size": size}
            for n, (label, median, queries, size_bytes, status) in enumerate(feed_rows(client, context)):
                lead = f"{size:>7}" if n == 0 else " " * 7
                note = "" if status in (200, 304) else f"  (HTTP {status})"
                print(f"{lead}  {label:<26} {median:>9.2f} {queries:>7} {size_bytes:>9}{note}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [1000, 10000])
