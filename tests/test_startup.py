"""What a worker loads when it starts: the libraries only some requests need wait for the first of them.

icalendar (about 9 MB with what it brings) serves the calendar feeds and imports, openpyxl the report's XLSX; a
worker that serves the pages and the API never needs them.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

from tests.passes import database_independent

ROOT = Path(__file__).resolve().parent.parent
LOADED_LATER = ("icalendar", "openpyxl")
SCRIPT = f"""
import sys

import django

django.setup()
from django.urls import get_resolver

get_resolver().url_patterns  # every app's URLs and admin hooks, as the first request loads them
print(",".join(name for name in {LOADED_LATER!r} if name in sys.modules))
"""


@database_independent
class WorkerStartTests(SimpleTestCase):
    def test_a_worker_starts_without_the_calendar_and_spreadsheet_libraries(self):
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "leerstad_site.settings.test",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "site")]),
        }
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=environment, cwd=ROOT, timeout=120
        )
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        self.assertEqual(result.stdout.strip(), "", "loaded at start")
