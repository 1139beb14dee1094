"""Write the site search's index anew from the live pages (after an upgrade, or nightly)."""

import time

from django.core.management.base import BaseCommand

from learningcity.search.index import rebuild_index, vacuum


class Command(BaseCommand):
    help = (
        "Rebuild the site search's index: a document per live page (and SDG goal) and language. Publishing keeps "
        "it in step; run this nightly to refresh what pages show of others (an organiser's new name)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        report = rebuild_index()
        vacuum()
        self.stdout.write(f"Search index: {report.documents} documents in {time.monotonic() - started:.1f} s.")
        for page_id, title in report.skipped:
            self.stderr.write(f"Left out page {page_id} ({title}): its content could not be read (see the log).")
