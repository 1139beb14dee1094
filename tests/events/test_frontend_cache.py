"""A CDN or Varnish in front (``wagtail.contrib.frontend_cache``): publishing an event purges what shows it."""

from datetime import date

import time_machine
from django.test import TestCase, override_settings
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from .factories import EventPageFactory, publish
from .test_ics_feed import NOW, build_agenda

PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    """A frontend cache that notes the URLs it is asked to purge."""

    def purge(self, url) -> None:
        PURGED.append(url)


FRONTEND_CACHE = {"recording": {"BACKEND": f"{__name__}.RecordingBackend"}}
LISTINGS = [
    *(f"http://testserver/{language}/agenda/" for language in ("nl", "en", "fr")),
    "http://testserver/feeds/events.ics",
    "http://testserver/feeds/events.atom",
    "http://testserver/feeds/events.rss",
    "http://testserver/feeds/events.json",
    "http://testserver/embed/events/",
    "http://testserver/api/v3/events/",
]


def page_urls(page) -> list[str]:
    """The page's address in each language, as Wagtail purges it (its language prefix replaced)."""
    return [f"http://testserver/{language}{page.url[3:]}" for language in ("nl", "en", "fr")]


@time_machine.travel(NOW, tick=False)
@override_settings(WAGTAILFRONTENDCACHE=FRONTEND_CACHE)
class FrontendCachePurgeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            build_agenda(cls)

    def setUp(self):
        PURGED.clear()

    def test_publishing_an_event_purges_its_page_the_agenda_the_feeds_and_the_events_api(self):
        event = EventPageFactory(
            parent=self.agenda, title="Voorleesuur", slug="voorleesuur", start_date=date(2026, 3, 5)
        )
        publish(event)
        self.assertEqual(sorted(set(PURGED)), sorted([*page_urls(event), *LISTINGS]))

    def test_unpublishing_an_event_purges_the_same(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.course.unpublish()
        self.assertEqual(sorted(set(PURGED)), sorted([*page_urls(self.course), *LISTINGS]))

    def test_nothing_is_purged_before_the_commit(self):
        self.course.unpublish()
        self.assertNotIn("http://testserver/feeds/events.ics", PURGED)

    @override_settings(WAGTAILFRONTENDCACHE={})
    def test_without_a_frontend_cache_nothing_is_purged(self):
        publish(EventPageFactory(parent=self.agenda, start_date=date(2026, 3, 5)))
        self.assertEqual(PURGED, [])
