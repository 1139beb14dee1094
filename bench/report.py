"""The learning city report benchmark (part of ``make bench``): the admin's report at 10,000 events, 1,000 partners.

Run: ``.venv/bin/python bench/report.py [--events N] [--partners N]`` (default 10,000 events and 1,000 partners).
The database: ``DATABASE_URL`` when it is set, else the local PostgreSQL server when it answers, else SQLite; in
each case a throw-away database (``bench_report_<name>`` on PostgreSQL, a file in a temporary folder on SQLite).

It builds the benchmark learning city (``bench/generate.py``), tags every partner and event with one to three SDG
targets (drawn from the targets partners name most, and a few others), builds the occurrences, and then asks for
``/admin/reports/learning-city/`` as a superuser with Django's test client: the page for this calendar year, the
same for one municipality and by quarter, the CSV zip and the XLSX, and a plain admin page (Wagtail's locked pages
report) as the floor to read them against. It prints per request the median (p50) and 90th percentile in
milliseconds over repeated requests after a warm-up, and the SQL queries of one request, then the load average. It
prints figures and asserts nothing; the issue's goal is an answer under a second on PostgreSQL.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerstad_site.settings.test")

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/leerstad"


def local_postgres() -> str:
    """The local PostgreSQL server's URL when it answers, else '' (SQLite then)."""
    try:
        import psycopg

        psycopg.connect(LOCAL_POSTGRES.rsplit("/", 1)[0] + "/postgres", connect_timeout=2).close()
    except Exception:  # no driver, no server, no such role: SQLite then
        return ""
    return LOCAL_POSTGRES


if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = local_postgres()

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

REPEAT = 9
WARM_UP = 2
TARGETS = ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.a", "10.2", "11.3", "11.4", "11.7", "8.6", "3.4"]


def main(arguments: list[str]) -> None:
    events = _option(arguments, "--events", 10_000)
    partners = _option(arguments, "--partners", 1_000)
    setup_test_environment()
    with tempfile.TemporaryDirectory() as folder:
        db = connection.settings_dict
        if connection.vendor == "sqlite":
            db["TEST"]["NAME"] = str(Path(folder) / "bench-report.sqlite3")
        else:
            db["TEST"]["NAME"] = f"bench_report_{db['NAME']}"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            build(events, partners)
            measure()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def _option(arguments: list[str], name: str, default: int) -> int:
    return int(arguments[arguments.index(name) + 1]) if name in arguments else default


def build(events: int, partners: int) -> None:
    from bench.generate import make_events, make_partners, make_site, without_site_search
    from events.indexing import build_occurrences
    from events.models import EventPage
    from learningcity.models import SDGTarget
    from partners.models import PartnerPage

    started = time.perf_counter()
    with without_site_search():
        _home, agenda, directory = make_site()
        made = make_partners(directory, partners)
        make_events(agenda, events, timezone.localdate(), seed=events, partners=made)
    rng = random.Random(11)
    targets = list(SDGTarget.objects.filter(code__in=TARGETS).values_list("pk", flat=True))
    for model in (PartnerPage, EventPage):
        through = model.sdg_targets.through
        rows = [
            through(**{f"{model._meta.model_name}_id": pk, "sdgtarget_id": target})
            for pk in model.objects.values_list("pk", flat=True)
            for target in rng.sample(targets, rng.randint(1, 3))
        ]
        through.objects.bulk_create(rows, batch_size=5_000)
    occurrences = build_occurrences(rebuild=True).occurrences
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"{connection.vendor}: {events:,} events, {partners:,} partners, {occurrences:,} occurrences "
        f"(built in {time.perf_counter() - started:.0f} s)"
    )


def measure() -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("bench", "bench@example.invalid", "bench")
    client = Client()
    client.force_login(user)
    report = "/admin/reports/learning-city/"
    for label, url, params in (
        ("admin's locked pages (reference)", "/admin/reports/locked/", {}),
        ("report, this year", report, {}),
        ("report, one municipality", report, {"municipality": "bench"}),
        ("report, by quarter", report, {"interval": "quarter"}),
        ("CSV zip of every table", report, {"export": "zip"}),
        ("XLSX", report, {"export": "xlsx"}),
    ):
        for _ in range(WARM_UP):
            client.get(url, params)
        timings = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(url, params)
        p90 = statistics.quantiles(timings, n=10)[-1]
        sql = sorted((float(query["time"]) * 1000, query["sql"]) for query in captured)
        print(
            f"{label:34} {response.status_code}  p50 {statistics.median(timings):7.1f} ms  p90 {p90:7.1f} ms  "
            f"{len(captured)} queries ({sum(ms for ms, _sql in sql):.0f} ms in SQL)  {len(response.content):,} bytes"
        )
        if "--slowest" in sys.argv:
            for ms, statement in sql[-3:]:
                print(f"    {ms:6.1f} ms  {statement[:160]}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average {load} on {os.cpu_count()} CPUs (the machine may be shared: read the rows against the floor)")


if __name__ == "__main__":
    main(sys.argv[1:])
