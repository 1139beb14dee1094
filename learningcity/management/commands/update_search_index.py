"""Write the site search's index anew from the live pages (after an upgrade, or nightly)."""

import time

from django.core.management.base import BaseCommand

from learningcity.search.index import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the site search's index: a document per live page (and SDG goal) and language. Publishing keeps "
        "it in step; run this nightly to refresh what pages show of others (an organiser's new name)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        written = rebuild_index()
        self.stdout.write(f"Search index: {written} documents in {time.monotonic() - started:.1f} s.")
