"""The events API's rows of ``make bench``: ``/api/v3/events/`` as clients repeat it, and with an empty cache.

``bench/measure.py`` calls ``api_rows()`` in a fresh process on the database ``bench/agenda.py`` has grown: the
first page, a filtered week and a page of 100 (answers cached as in production), then the first two with the
cache emptied before each request. It asserts nothing.
"""

from datetime import timedelta

from django.core.cache import cache
from django.test import Client

from bench.measure import measure

EVENTS_API = "/api/v3/events/"


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

    Each request as a client repeats it (the whole answer kept under the content version, see
    ``learningcity.response_cache``), then the first two with the cache emptied before each request.
    """
    requests = api_requests(context["today"])
    rows = [(label, *measure(client, url)) for label, url in requests.items()]
    for label, url in list(requests.items())[:2]:
        rows.append((label.replace("API events, ", "API ") + ", cold", *measure(client, url, cache.clear)))
    return rows
