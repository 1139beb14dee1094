"""Roll the occurrence window forward (run nightly), or rebuild the whole index.

An event whose dates cannot be indexed is skipped and named; the command still succeeds for the others.
"""

import time

from django.core.management.base import BaseCommand

from events.conf import occurrence_window
from events.indexing import build_occurrences


class Command(BaseCommand):
    help = "Expand every live event into the occurrence index over the configured window."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Empty the index first, dropping rows of events no longer live."
        )

    def handle(self, *args, rebuild=False, **options):
        first_day, last_day = occurrence_window()
        started = time.perf_counter()
        report = build_occurrences(rebuild=rebuild)
        seconds = time.perf_counter() - started
        for page_id, title in report.skipped:
            self.stderr.write(f"Skipped event {page_id} ({title}): its dates cannot be indexed; see the log.")
        self.stdout.write(
            f"{report.events} events, {report.occurrences} occurrences from {first_day} to {last_day} "
            f"({report.removed} old rows removed, {len(report.skipped)} events skipped) in {seconds:.1f} s"
        )
