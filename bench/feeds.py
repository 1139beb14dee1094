"""Feed timings: the full iCalendar feed and the JSON Feed, cold, after one edit, cached and as a 304.

``bench/measure.py`` calls ``feed_rows()`` in a fresh process on the database ``bench/agenda.py`` has grown (``make
bench``). It prints figures and asserts nothing.

"Cold" means an empty cache before each request: no cached answer, no cached site root paths. "One edit"
publishes a change to one listed event (a new revision, a change-log row and its occurrences rebuilt, as the
admin does), then requests the feed, which is built again (the response cache's content version changed).
"""

import itertools
import statistics
import time

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.measure import REPEAT
from events.models import EventPage, Occurrence

ICS_URL = "/feeds/events.ics"
JSON_URL = "/feeds/events.json?limit=50"
COLD_RUNS = 5
EDIT_RUNS = 5

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
