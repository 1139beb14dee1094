"""Feed timings for 1k and 10k events: the full ICS and the JSON Feed, cold, as a 304, and after one edit.

Run: ``.venv/bin/python bench/feeds.py [SIZE ...]`` (default 1000 10000), in a throw-away test database.
Prints figures, asserts nothing.
"""

import os
import sys
import time
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
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.generate import make_events, make_site  # noqa: E402
from events.indexing import build_occurrences  # noqa: E402
from events.models import EventPage  # noqa: E402
from learningcity.models import ChangeLog  # noqa: E402


def timed(client, url, **headers) -> tuple[float, object]:
    started = time.perf_counter()
    response = client.get(url, **headers)
    return (time.perf_counter() - started) * 1000, response


def main(sizes: list[int]) -> None:
    # Production caches in Redis; the local-memory cache of the test settings culls at 300 entries, fewer than
    # the VEVENTs of 1k events, so give it room for the whole calendar.
    settings.CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 1_000_000
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        home, agenda, _directory = make_site()
        ChangeLog.objects.create(
            content_type_id=1,
            object_id=home.pk,
            translation_key=home.translation_key,
            language_code="nl",
            action="changed",
        )
        today = timezone.localdate()
        client = Client()
        print(f"database: {connection.vendor}")
        print(
            f"{'events':>8} {'ics cold ms':>12} {'ics KiB':>8} {'ics 304 ms':>11} {'ics 1 edit ms':>14} "
            f"{'json cold ms':>13} {'json 304 ms':>12}"
        )
        made = 0
        for size in sorted(sizes):
            made += make_events(agenda, size - made, today, seed=size, first=made)
            build_occurrences(rebuild=True)
            row = [size]
            cache.clear()
            for url in ("/feeds/events.ics", "/feeds/events.json?limit=50"):
                cold, response = timed(client, url)
                if response.status_code != 200:
                    raise RuntimeError(response.content[:500])
                runs = [timed(client, url, HTTP_IF_NONE_MATCH=response["ETag"])[0] for _n in range(20)]
                row += [cold, len(response.content) / 1024, sorted(runs)[len(runs) // 2]]
            # One event changes: the calendar is rebuilt, reusing the other events' serialised VEVENTs.
            event = EventPage.objects.live().order_by("pk").first()
            event.title += " *"
            event.save_revision().publish()
            one_changed, response = timed(client, "/feeds/events.ics")
            row.append(one_changed)
            print(
                f"{row[0]:>8} {row[1]:>12.0f} {row[2]:>8.0f} {row[3]:>11.2f} {row[7]:>14.0f} "
                f"{row[4]:>13.0f} {row[6]:>12.2f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [1000, 10000])
