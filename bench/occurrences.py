"""Occurrence build time for 1k and 10k events (30% weekly series), in a throw-away test database.

Run: ``.venv/bin/python bench/occurrences.py [SIZE ...]`` (default 1000 10000). Prints figures, asserts nothing.
"""

import os
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
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.generate import make_events, make_site  # noqa: E402
from events.indexing import build_occurrences  # noqa: E402
from events.models import Occurrence  # noqa: E402


def main(sizes: list[int]) -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _home, agenda, _directory = make_site()
        today = timezone.localdate()
        print(f"database: {connection.vendor}")
        print(f"{'events':>8} {'generate s':>11} {'build s':>8} {'occurrences':>12} {'between ms':>11}")
        made = 0
        for size in sorted(sizes):
            started = time.perf_counter()
            made += make_events(agenda, size - made, today, seed=size, first=made)
            generated = time.perf_counter() - started
            started = time.perf_counter()
            report = build_occurrences(rebuild=True)
            built = time.perf_counter() - started
            started = time.perf_counter()
            for _repeat in range(20):
                list(Occurrence.objects.between(today, today + timedelta(days=7))[:20])
            between = (time.perf_counter() - started) / 20 * 1000
            print(f"{size:>8} {generated:>11.1f} {built:>8.1f} {report.occurrences:>12} {between:>11.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [1000, 10000])
