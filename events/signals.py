"""Signal handlers: the occurrence index and a cache in front follow publishing, unpublishing and deletion.

They act when the transaction commits: wagtail-localize publishes translations on commit, and a rolled-back
edit must leave no occurrences behind. Connected in ``EventsConfig.ready``.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from django.urls import reverse
from wagtail.signals import page_published, page_unpublished


def refresh_occurrences_on_commit(sender, instance, **kwargs):
    from .indexing import refresh_event

    key = instance.translation_key
    transaction.on_commit(lambda: refresh_event(key))


# What a published or unpublished event changes besides its own page, which Wagtail's frontend cache app purges:
# the agenda pages, and the feeds and the events API as they are without parameters (a CDN cannot purge every
# query string; it keeps those for their max-age, at most ten minutes for a filtered feed, a minute for the API).
LISTING_URL_NAMES = (
    "events:events_ics",
    "events:events_atom",
    "events:events_rss",
    "events:events_json",
    "events:events_embed",
    "wagtailapi_v3:list_events",
)


def purge_listings_on_commit(sender, instance, **kwargs):
    """With a CDN or Varnish in front (``WAGTAILFRONTENDCACHE``), purge the event's listings once it is committed."""
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        transaction.on_commit(lambda: purge_listings(instance))


def purge_listings(page) -> None:
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    from .models import EventIndexPage

    batch = PurgeBatch()
    batch.add_pages(EventIndexPage.objects.live())
    site = page.get_site()
    if site is not None:
        batch.add_urls(site.root_url + reverse(name) for name in LISTING_URL_NAMES)
    batch.purge()


def connect():
    from .models import EventPage

    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("deleted", post_delete)):
        signal.connect(refresh_occurrences_on_commit, sender=EventPage, dispatch_uid=f"occurrences-{name}")
    for name, signal in (("published", page_published), ("unpublished", page_unpublished)):
        signal.connect(purge_listings_on_commit, sender=EventPage, dispatch_uid=f"frontend-cache-{name}")
