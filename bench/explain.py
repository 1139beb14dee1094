"""Query plans of ``Occurrence.objects.between()`` at SIZE events (default 10000), in a throw-away test database.

Run: ``.venv/bin/python bench/explain.py [SIZE]`` (``DATABASE_URL=postgres://…`` for PostgreSQL). Prints the
plans of an upcoming-first-page query and a one-week query; asserts nothing.
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

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Site  # noqa: E402

from bench.generate import make_events, make_partners, make_site  # noqa: E402
from events.context import CAPPED_COUNT  # noqa: E402
from events.indexing import build_occurrences  # noqa: E402
from events.models import Occurrence  # noqa: E402


def print_plans(today) -> None:
    """The plans of the agenda's queries on the data in the database now."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    options = {"analyze": True} if connection.vendor == "postgresql" else {}
    listed = Occurrence.objects.on_site(Site.objects.get(is_default_site=True)).select_related("event")
    week = today, today + timedelta(days=6)
    for label, queryset in (
        ("upcoming, first 20", Occurrence.objects.between().visible()[:20]),
        ("one week, first 20", Occurrence.objects.between(*week).visible()[:20]),
        ("agenda: upcoming on the site, first 20", listed.between().visible()[:20]),
        ("agenda: one week on the site, first 20", listed.between(*week).visible()[:20]),
        ("agenda: one week on the site, 41st to 60th", listed.between(*week).visible()[40:60]),
    ):
        print(f"\n-- {label}\n{queryset.explain(**options)}")
    counted = listed.between().visible().order_by()[: CAPPED_COUNT + 1]
    with connection.cursor() as cursor:
        sql, params = counted.query.sql_with_params()
        prefix = "EXPLAIN ANALYZE" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
        query = f"{prefix} SELECT COUNT(*) FROM ({sql}) counted"  # noqa: S608 (SQL built by Django)
        cursor.execute(query, params)
        plan = "\n".join(" ".join(str(cell) for cell in row) for row in cursor.fetchall())
    print(f"\n-- agenda: count of the upcoming, capped at {CAPPED_COUNT + 1}\n{plan}")


def main(size: int) -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _home, agenda, directory = make_site()
        today = timezone.localdate()
        partners = make_partners(directory, max(1, size // 50))
        make_events(agenda, size, today, seed=size, partners=partners)
        report = build_occurrences(rebuild=True)
        print(f"{connection.vendor}: {size} events, {report.occurrences} occurrences")
        print_plans(today)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
