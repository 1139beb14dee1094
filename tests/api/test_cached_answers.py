"""API answers kept whole by the response cache: no queries when warm, every change at once."""

from datetime import UTC, date, datetime

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from ..events.factories import EventIndexPageFactory, EventPageFactory, publish
from ..learningcity.utils import make_portal, queries_but_the_content_version
from ..partners.factories import PartnerIndexPageFactory, PartnerPageFactory

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
@override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300)
class CachedAnswerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, _locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            cls.directory = PartnerIndexPageFactory(parent=cls.home)
            PartnerPageFactory(parent=cls.directory, title="Bibliotheek")
            # Today 19:00–21:00 (18:00–20:00 UTC), and tomorrow evening.
            cls.today = publish(EventPageFactory(parent=cls.agenda, title="Vandaag", start_date=date(2026, 3, 3)))
            publish(EventPageFactory(parent=cls.agenda, title="Morgen", start_date=date(2026, 3, 4)))

    def setUp(self):
        cache.clear()

    def titles(self, url="/api/v3/events/"):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, response.content)
        return [item["event"]["title"] for item in response.json()["items"]]

    def test_a_second_identical_request_takes_no_queries_and_gives_the_same_answer(self):
        for url in ("/api/v3/events/", "/api/v3/partners/", "/api/v3/sdgs/?limit=3"):
            with self.subTest(url=url):
                first = self.client.get(url)
                with CaptureQueriesContext(connection) as queries:
                    second = self.client.get(url)
                self.assertEqual(queries_but_the_content_version(queries), [])
                self.assertEqual(second.json(), first.json())

    def test_each_set_of_parameters_has_its_own_answer(self):
        self.assertEqual(self.titles(), ["Vandaag", "Morgen"])
        self.assertEqual(self.titles("/api/v3/events/?from=2026-03-04"), ["Morgen"])
        self.assertEqual(self.client.get("/api/v3/events/?limit=1").json()["count"], 2)

    def test_a_published_event_shows_on_the_next_request(self):
        self.assertEqual(self.titles(), ["Vandaag", "Morgen"])
        publish(EventPageFactory(parent=self.agenda, title="Overmorgen", start_date=date(2026, 3, 5)))
        self.assertEqual(self.titles(), ["Vandaag", "Morgen", "Overmorgen"])

    def test_an_unpublished_event_goes_at_once(self):
        self.assertEqual(self.titles(), ["Vandaag", "Morgen"])
        with self.captureOnCommitCallbacks(execute=True):
            self.today.unpublish()
        self.assertEqual(self.titles(), ["Morgen"])

    def test_ongoing_and_upcoming_moves_with_the_clock(self):
        self.assertEqual(self.titles(), ["Vandaag", "Morgen"])
        with time_machine.travel(datetime(2026, 3, 3, 20, 30, tzinfo=UTC), tick=False):
            self.assertEqual(self.titles(), ["Morgen"])

    def test_the_events_list_and_the_agenda_are_kept_to_the_end_of_the_minute_the_partners_longer(self):
        with time_machine.travel(datetime(2026, 3, 3, 12, 0, 45, tzinfo=UTC), tick=False):
            self.assertEqual(self.client.get("/api/v3/events/")["Cache-Control"], "max-age=15")
            self.assertEqual(self.client.get(self.agenda.url)["Cache-Control"], "max-age=15")
            self.assertNotIn("Cache-Control", self.client.get("/api/v3/partners/"))
            self.assertIn("no-store", self.client.get("/api/v3/changes/")["Cache-Control"])

    def test_errors_are_answered_every_time_and_not_kept(self):
        for _request in range(2):
            response = self.client.get("/api/v3/events/?from=gisteren")
            self.assertEqual(response.status_code, 400)
            self.assertIn("from", response.content.decode())
        self.assertEqual(self.titles(), ["Vandaag", "Morgen"])
