"""The agenda benchmark (``make bench``): occurrence build time and agenda response times at 1k, 10k… events.

Run: ``.venv/bin/python bench/agenda.py [SIZE ...]`` (default 1000 10000). It builds a throw-away test
database (in memory on SQLite; ``test_<name>`` on PostgreSQL with ``DATABASE_URL``), never the developer's
``var/`` database, grows it to each size in turn, and prints per size: the occurrence build time, then for
the agenda's first page, a filtered page and a bare Django view (the reference, measured the same way in the
same run) the median time over repeated in-process requests with Django's test client (in a fresh process,
``bench/measure.py``), the SQL query count and the response size. It prints figures and asserts nothing.
"""

import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerstad_site.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from bench.bytecode import compile_bytecode  # noqa: E402
from bench.explain import print_plans  # noqa: E402
from bench.generate import make_events, make_partners, make_site  # noqa: E402
from bench.measure import PRODUCTION_CACHING, REPEAT, WARM_UP, agenda_urls  # noqa: E402
from events.indexing import build_occurrences  # noqa: E402

EVENTS_PER_PARTNER = 50
AGENDA_PROCESSES = 3


def main(sizes: list[int], *, agenda_only: bool = False, explain: bool = False) -> None:
    compile_bytecode()  # the worker's memory as a deployed worker's, which loads byte-code
    setup_test_environment()
    with tempfile.TemporaryDirectory() as folder:
        if connection.vendor == "sqlite":  # a file, so that the worker process can open it too
            connection.settings_dict["TEST"]["NAME"] = str(Path(folder) / "bench.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            with override_settings(**PRODUCTION_CACHING):
                run(sorted(sizes), agenda_only=agenda_only, explain=explain)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def database_url() -> str:
    """The benchmark database as a DATABASE_URL, for the worker process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def redis_environment() -> dict[str, str]:
    """A Redis cache for the worker, as in production, when one answers on localhost (else the worker's own)."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return {}
    return {"REDIS_URL": "redis://127.0.0.1:6379/15", "CACHE_KEY_PREFIX": f"leerstad-bench-{os.getpid()}"}


def timed_rows(size: int, *, agenda_only: bool) -> list[tuple]:
    """The timed rows for the current database, measured in fresh processes (see bench/measure.py).

    The agenda's rows are measured in AGENDA_PROCESSES processes and each figure is the median of theirs: on a
    shared machine one process's medians differ from the next one's by up to half.
    """
    runs = [run_measure(size, "agenda") for _process in range(AGENDA_PROCESSES)]
    agenda = [
        (label, statistics.median(run[n][1] for run in runs), *rest)
        for n, (label, _median, *rest) in enumerate(runs[0])
    ]
    return agenda if agenda_only else agenda + run_measure(size, "others")


def run_measure(size: int, part: str) -> list[tuple]:
    command = [sys.executable, str(ROOT / "bench" / "measure.py"), str(size), part]
    result = subprocess.run(  # noqa: S603 (our own script, our own arguments)
        command, env={**os.environ, "DATABASE_URL": database_url()}, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"bench/measure.py failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def worker_memory(urls: list[str]) -> str:
    """Peak MB of a fresh process serving ``urls`` (see bench/worker.py)."""
    result = subprocess.run(  # noqa: S603 (our own script, our own arguments)
        [sys.executable, str(ROOT / "bench" / "worker.py"), *urls],
        env={**os.environ, "DATABASE_URL": database_url(), **redis_environment()},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() if result.returncode == 0 else f"failed: {result.stderr.strip()[-200:]}"


def run(sizes: list[int], *, agenda_only: bool = False, explain: bool = False) -> None:
    Locale.objects.get_or_create(language_code="nl")
    _home, agenda, directory = make_site()
    today = timezone.localdate()
    agenda_url, filtered = agenda_urls(agenda, today)
    print(
        f"database: {connection.vendor}; {REPEAT} requests per row after {WARM_UP} warm-up, in a fresh process "
        f"(the agenda's: the median of {AGENDA_PROCESSES} processes)"
    )
    print(f"agenda: {agenda_url}; filtered: {filtered.partition('?')[2]}")
    columns = f"{'request':<26} {'median ms':>9} {'queries':>7} {'bytes':>8}"
    header = f"{'events':>7} {'occurrences':>11} {'build s':>7}  {columns}"
    print(header)
    print("-" * len(header))
    partners, made = [], 0
    for size in sizes:
        wanted = max(1, size // EVENTS_PER_PARTNER)
        partners += make_partners(directory, wanted - len(partners), first=len(partners))
        made += make_events(agenda, size - made, today, seed=size, first=made, partners=partners)
        started = time.perf_counter()
        report = build_occurrences(rebuild=True)
        built = time.perf_counter() - started
        if connection.vendor == "postgresql":  # statistics and visibility map, as autovacuum keeps them
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        rows = timed_rows(size, agenda_only=agenda_only)
        for n, (label, median, queries, size_bytes, status) in enumerate(rows):
            lead = f"{size:>7} {report.occurrences:>11} {built:>7.1f}" if n == 0 else " " * 27
            note = "" if status in (200, 304) else f"  (HTTP {status})"
            print(f"{lead}  {label:<26} {median:>9.2f} {queries:>7} {size_bytes:>8}{note}")
        cache_note = "Redis cache" if redis_environment() else "local-memory cache"
        served = [agenda_url, filtered, "/api/v3/events/", "/feeds/events.json"]
        for what, urls in (
            ("the agenda, the events API and the JSON Feed", served),
            ("these and the full iCalendar feed", [*served, "/feeds/events.ics"]),
        ):
            memory = worker_memory(urls)
            print(f"{'':>27}  peak memory of a worker serving {what} ({cache_note}): {memory} MB")
    if explain:
        print_plans(today)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this benchmark process (generator included): {peak:.0f} MB")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(
        [int(size) for size in arguments if size.isdigit()] or [1000, 10000],
        agenda_only="--agenda-only" in arguments,
        explain="--explain" in arguments,
    )
