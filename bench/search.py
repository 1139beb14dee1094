"""The site search benchmark (part of ``make bench``; alone: ``make bench-search``).

Run: ``.venv/bin/python bench/search.py [--events N] [--partners N] [--explain] [--keep]`` (default 10,000 events
and 1,000 partners). The database: ``DATABASE_URL`` when it is set, else the local PostgreSQL server
(``postgres://postgres@127.0.0.1:5432``) when it answers, else SQLite; in each case a throw-away database
(``bench_search_<name>`` on PostgreSQL, a file in a temporary folder on SQLite), never the developer's.

It builds the benchmark learning city with Dutch titles and summaries (``bench/generate.py``) in three languages
(nl, en, fr: a document per page and language, as the demo has), the occurrences, then the search index, and
prints the index's build time, rows and sizes on disk; then it runs ``VACUUM ANALYZE``, as autovacuum soon would
after a rebuild. Then, in a fresh process (as ``bench/measure.py`` does, for
the same reason), for several queries, uncached (no response cache; the site, locale and view restrictions cached
as in production), after a warm-up:

- ``search()``: the Python API as a results page uses it: the first 20 rows, the count and the facet counts;
- the API, ``/api/v3/search/?q=…&locale=nl``, and the search page, ``/nl/zoeken/?q=…``, with Django's test client;
- ``autocomplete()`` and ``/api/v3/search/autocomplete/``;
- a bare Django view (``bench/urls.py``), the floor to read the others against;

the median (p50) and 90th percentile in milliseconds and the SQL queries of one call. On PostgreSQL it then prints
the execution times of the main queries under ``EXPLAIN ANALYZE`` (their plans too with ``--explain``). It prints
figures and asserts nothing; the issue's goals are a p50 of at most 30 ms for a search and 10 ms for autocomplete,
on PostgreSQL. SQLite has no stemming and no trigrams: its figures are smaller sites' and not the goals'.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerstad_site.settings.test")

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/leerstad"
MEASURING = "--measure" in sys.argv


def local_postgres() -> str:
    """The local PostgreSQL server's URL when it answers (for a benchmark without ``DATABASE_URL``), else ''."""
    try:
        import psycopg

        psycopg.connect(LOCAL_POSTGRES.rsplit("/", 1)[0] + "/postgres", connect_timeout=2).close()
    except Exception:  # no driver, no server, no such role: SQLite then
        return ""
    return LOCAL_POSTGRES


if not MEASURING and not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = local_postgres() or ""

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from bench.measure import PRODUCTION_CACHING  # noqa: E402

REPEAT = 25
WARM_UP = 3
PER_PAGE = 20
LANGUAGES = ("nl", "en", "fr")

# What residents type (the generator's vocabulary, bench/generate.py), each with the facets chosen.
QUERIES = {
    "common word (cursus)": ("cursus", {}),
    "compound prefix (taal)": ("taal", {}),
    "two words (taalcafe bibliotheek)": ("taalcafé bibliotheek", {}),
    "misspelt (biblioteek)": ("biblioteek", {}),
    "word + 2 facets": ("workshop", {"theme": ["arts-culture"], "free": ["yes"]}),
    "no match (xylofoon)": ("xylofoon", {}),
}
TYPED = {
    "autocomplete (taa)": "taa",
    "autocomplete (computerc)": "computerc",
    "autocomplete (yoga voor s)": "yoga voor s",
}

# Uncached: without the response cache, which would answer a repeated search from memory; the rest of the
# production caching (the site, locales, view restrictions) as a worker keeps it between requests.
UNCACHED = {
    **PRODUCTION_CACHING,
    "MIDDLEWARE": [m for m in settings.MIDDLEWARE if m != "learningcity.response_cache.ResponseCacheMiddleware"],
}


def main(arguments: list[str]) -> None:
    events = _option(arguments, "--events", 10_000)
    partners = _option(arguments, "--partners", 1_000)
    setup_test_environment()
    with tempfile.TemporaryDirectory() as folder:
        db = connection.settings_dict
        if connection.vendor == "sqlite":  # a file, so that the measuring process can open it too
            db["TEST"]["NAME"] = str(Path(folder) / "bench-search.sqlite3")
        else:  # not test_<name>, which the test suite may be using meanwhile
            db["TEST"]["NAME"] = f"bench_search_{db['NAME']}"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            build(events, partners)
            report(run_measure(explain="--explain" in arguments))
        finally:
            connection.close()
            if "--keep" in arguments:
                print(f"kept the database {connection.settings_dict['NAME']}")
            else:
                connection.creation.destroy_test_db(old_name, verbosity=0)


def _option(arguments: list[str], name: str, default: int) -> int:
    return int(arguments[arguments.index(name) + 1]) if name in arguments else default


def build(events: int, partners: int) -> None:
    from wagtail.models import Locale

    from bench.generate import make_events, make_partners, make_site, without_site_search
    from events.indexing import build_occurrences
    from learningcity.models import SearchDocument
    from learningcity.search.index import rebuild_index

    for code in LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    print(f"database: {database_description()}")
    started = time.perf_counter()
    with without_site_search():  # indexed once below, timed
        _home, agenda, directory = make_site()
        made = make_partners(directory, partners, dutch=True)
        make_events(agenda, events, timezone.localdate(), seed=events, partners=made, dutch=True)
    occurrences = build_occurrences(rebuild=True).occurrences
    print(
        f"generated {events:,} events ({occurrences:,} occurrences) and {partners:,} partners with Dutch texts "
        f"in {time.perf_counter() - started:.0f} s"
    )
    started = time.perf_counter()
    documents = rebuild_index().documents
    built = time.perf_counter() - started
    print(f"search index: {documents:,} documents ({', '.join(LANGUAGES)}), built in {built:.1f} s (rebuild_index)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = SearchDocument._meta.db_table
            cursor.execute(
                "SELECT pg_size_pretty(pg_total_relation_size(%s)), pg_size_pretty(pg_relation_size(%s)),"
                " pg_size_pretty(pg_indexes_size(%s))",
                [table, table, table],
            )
            total, heap, indexes = cursor.fetchone()
            print(f"  {table}: {total} in all (table {heap}, indexes {indexes})")
            cursor.execute(
                "SELECT indexrelname, pg_size_pretty(pg_relation_size(indexrelid)) FROM pg_stat_user_indexes"
                " WHERE relname = %s ORDER BY pg_relation_size(indexrelid) DESC",
                [SearchDocument._meta.db_table],
            )
            print("  " + ", ".join(f"{name} {size}" for name, size in cursor.fetchall()))
            # What autovacuum does soon after a rebuild: the index writes each document twice (its row, then its
            # vector), and the planner reads the GIN indexes only once the dead rows are gone and it has statistics.
            cursor.execute("VACUUM ANALYZE")


def database_description() -> str:
    if connection.vendor != "postgresql":
        return f"{connection.vendor} (no stemming, no trigrams: not the goals' database)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), current_setting('jit')")
        version, jit = cursor.fetchone()
    return f"PostgreSQL {version} (jit {jit})"


def database_url() -> str:
    """The benchmark database as a DATABASE_URL, for the measuring process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def run_measure(*, explain: bool) -> dict:
    command = [sys.executable, __file__, "--measure", *(["--explain"] if explain else [])]
    result = subprocess.run(  # noqa: S603 (our own script, our own arguments)
        command, env={**os.environ, "DATABASE_URL": database_url()}, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"bench/search.py --measure failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(measured: dict) -> None:
    print(
        f"\n{REPEAT} calls per row after {WARM_UP} warm-up, in a fresh process; uncached (no response cache); "
        f"{measured['load']}"
    )
    header = f"{'query':<34} {'via':<14} {'p50 ms':>7} {'p90 ms':>7} {'queries':>7} {'results':>7}  note"
    print(header)
    print("-" * len(header))
    for label, via, p50, p90, queries, found, note in measured["rows"]:
        print(f"{label:<34} {via:<14} {p50:>7.2f} {p90:>7.2f} {queries:>7} {found:>7}  {note}")
    for label, lines in measured["plans"]:
        print(f"\n-- EXPLAIN ANALYZE: {label}")
        print("\n".join(lines))


# The measuring process.


def timed(call) -> tuple[float, float, int, object]:
    """p50 and p90 in ms over REPEAT calls after WARM_UP, the SQL queries of one more call, and its answer."""
    for _warm in range(WARM_UP):
        call()
    timings = []
    for _repeat in range(REPEAT):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        answer = call()
    return statistics.median(timings), statistics.quantiles(timings, n=10)[-1], len(queries), answer


def measure(explain: bool) -> dict:
    from wagtail.models import Locale, Site

    from learningcity.search.query import SearchRequest, autocomplete, search

    locale = Locale.objects.get(language_code="nl")
    site = Site.objects.get(is_default_site=True)
    client = Client()
    # The floor, as bench/agenda.py has it: what Django and the test client cost on this machine, in this run.
    p50, p90, queries, _response = timed(lambda: client.get("/bench/bare/"))
    rows = [("bare Django view", "HTTP", p50, p90, queries, "", "")]

    def results_page(wanted):
        def call():
            outcome = search(wanted, limit=PER_PAGE)
            return outcome.count, outcome.rows, outcome.suggestion

        return call

    with translation.override("nl"):
        page_url = reverse("search")
    for label, (text, facets) in QUERIES.items():
        wanted = SearchRequest(text, locale, site, facets)
        p50, p90, queries, (count, _page, suggestion) = timed(results_page(wanted))
        note = f"did you mean: {suggestion}" if suggestion else ""
        rows.append((label, "search()", p50, p90, queries, count, note))
        query = {"q": text, "locale": "nl", **facets}
        p50, p90, queries, response = timed(lambda query=query: client.get("/api/v3/search/", query))
        found = response.json().get("count", 0) if response.status_code == 200 else f"HTTP {response.status_code}"
        rows.append(("", "API", p50, p90, queries, found, ""))
        page_query = {"q": text, **facets}
        p50, p90, queries, response = timed(lambda query=page_query: client.get(page_url, query))
        note = "" if response.status_code == 200 else f"HTTP {response.status_code}"
        rows.append(("", "search page", p50, p90, queries, "", note))
    for label, text in TYPED.items():
        p50, p90, queries, found = timed(lambda text=text: list(autocomplete(text, locale, site)))
        rows.append((label, "autocomplete()", p50, p90, queries, len(found), ""))
        query = {"q": text, "locale": "nl"}
        p50, p90, queries, response = timed(lambda query=query: client.get("/api/v3/search/autocomplete/", query))
        found = len(response.json()["items"]) if response.status_code == 200 else f"HTTP {response.status_code}"
        rows.append(("", "API", p50, p90, queries, found, ""))
    plans = query_plans(locale, site, explain) if connection.vendor == "postgresql" else []
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return {"rows": rows, "plans": plans, "load": f"load average {load} on {os.cpu_count()} CPUs"}


def query_plans(locale, site, explain: bool) -> list[tuple[str, list[str]]]:
    """``EXPLAIN ANALYZE`` of the statements of a search for a common word (the page, count and facet counts;
    the page's rows) and of autocomplete."""
    from learningcity.search import query as search_query

    statements = []
    for label, call in (
        ("cursus", lambda: search_query.search(search_query.SearchRequest("cursus", locale, site, {}))),
        ("autocomplete taa", lambda: list(search_query.autocomplete("taa", locale, site))),
    ):
        with CaptureQueriesContext(connection) as captured:
            call()
        statements += [(f"{label}, statement {n}", query["sql"]) for n, query in enumerate(captured, start=1)]
    plans = []
    for label, sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            lines = [row[0] for row in cursor.fetchall()]
        plans.append((label, lines if explain else [line for line in lines if line.endswith(" ms")]))
    return plans


if __name__ == "__main__":
    if MEASURING:
        setup_test_environment()
        with override_settings(**UNCACHED):
            print(json.dumps(measure("--explain" in sys.argv), default=str))
    else:
        main(sys.argv[1:])
