"""The agenda, the event page and the events API without any cache: a fixed number of queries.

The test settings cache nothing (``LEERSTAD_FRAGMENT_CACHE_SECONDS = 0``), so these are the queries of a request
no cache answers (a new filter combination, a cache-busting client). Each count is the same for a page of 5 and
of 20 dates and for 6 and 30 events, with venues, organisers and translations on the page: rows are read in bulk,
never once per date, event or partner.
"""

from datetime import UTC, date, datetime, time

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from tests.learningcity.utils import make_portal, sync_translation
from tests.partners.factories import MunicipalityFactory, PartnerIndexPageFactory, PartnerPageFactory

from .factories import EventIndexPageFactory, EventPageFactory, publish

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)  # a Tuesday
# Wagtail's serve path (site, locale, route: root, the pages on the path in one query and their specific rows,
# view restrictions), the page frame (settings, language links, menu, social links), then the agenda's own: filter
# choices, the partner choices and the directory, SDG goals, the longest span, the restricted paths, the hidden
# events (kept under the content version in production), the capped count, the dates, their events and their
# events' translations.
AGENDA_QUERIES = 26  # with the dates without a series, for its schedule in words
# The serve path and frame as above, then the page's locale (for its calendar links), the event's dates, venue,
# organisers, their translations, its terms (one query for the four lists, one for the SDGs) and its schedule's rows
# (read once for the series in words and in JSON-LD).
EVENT_PAGE_QUERIES = 23  # at /nl/agenda/<event>/: its path read in one query, as the agenda's
# The requesting site (the API is scoped to it; cached when caching is on), restricted paths, hidden events, locale,
# longest span, dates, count, events, organisers, their terms (audiences, languages, SDGs: one query), the listed
# series' excluded dates (for their schedule in words), translations.
API_QUERIES = 12


def translate(page, locale, **fields):
    translation = sync_translation(page, locale).specific
    for name, value in fields.items():
        setattr(translation, name, value)
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_revision().publish()
    return translation


@time_machine.travel(NOW, tick=False)
class ColdPathQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, cls.locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            translate(cls.agenda, cls.locales["en"])
            cls.directory = PartnerIndexPageFactory(parent=cls.home)
            translate(cls.directory, cls.locales["en"])
            cls.municipality = MunicipalityFactory(code="99001", name="Lindeveld")
            cls.events = []
            cls.add_events(0, 6)

    @classmethod
    def add_events(cls, first: int, last: int) -> None:
        for number in range(first, last):
            venue = PartnerPageFactory(parent=cls.directory, title=f"Plek {number}", municipality=cls.municipality)
            organiser = PartnerPageFactory(parent=cls.directory, title=f"Organisator {number}")
            event = EventPageFactory(
                parent=cls.agenda,
                title=f"Activiteit {number}",
                start_date=date(2026, 3, 4 + number % 5),
                start_time=time(8 + number % 12, 0),
                venue=venue,
                **({"frequency": "weekly", "weekdays": [(2 + number % 5) % 7]} if number % 3 == 0 else {}),
            )
            event.organisers.set([venue, organiser])
            publish(event)
            if number % 2 == 0:
                translate(event, cls.locales["en"], title=f"Activity {number}")
                translate(venue, cls.locales["en"], title=f"Place {number}")
            cls.events.append(event)

    def grow(self) -> None:
        with time_machine.travel(NOW, tick=False):
            type(self).add_events(6, 16)

    def assert_queries(self, expected: int, url: str, *, listed: int | None = None) -> None:
        cache.clear()  # nothing another test left behind (e.g. a fragment cached under a key this one makes too)
        self.client.get(url)  # what a running worker has loaded: templates, URL patterns
        with self.assertNumQueries(expected):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        if listed is not None:
            self.assertEqual(len(response.context["results"]), listed)

    def test_agenda_queries_do_not_depend_on_page_size_or_events(self):
        for per_page in (5, 20):
            with self.subTest(events=6, per_page=per_page), override_settings(LEERSTAD_AGENDA_PER_PAGE=per_page):
                self.assert_queries(AGENDA_QUERIES, "/en/agenda/")
        self.grow()
        for per_page in (5, 20):
            with self.subTest(events=16, per_page=per_page), override_settings(LEERSTAD_AGENDA_PER_PAGE=per_page):
                self.assert_queries(AGENDA_QUERIES, "/en/agenda/", listed=per_page)
                self.assert_queries(AGENDA_QUERIES, "/en/agenda/?when=week&page=2")

    def test_agenda_shows_translations_and_venues_from_the_bulk_rows(self):
        response = self.client.get("/en/agenda/?when=week")
        self.assertContains(response, '<a href="/en/agenda/activiteit-0/">Activity 0</a>', html=True)
        self.assertContains(response, '<a href="/nl/agenda/activiteit-1/" lang="nl" hreflang="nl">Activiteit 1</a>')
        self.assertContains(response, "Place 0, Lindeveld")
        self.assertContains(response, "Plek 1, Lindeveld")

    def test_event_page_queries_do_not_depend_on_its_partners(self):
        series, one_off = self.events[0], self.events[1]
        self.assert_queries(EVENT_PAGE_QUERIES, series.url)
        self.assert_queries(EVENT_PAGE_QUERIES, one_off.url)
        one_off.organisers.set(self.directory.get_children().specific()[:12])
        publish(one_off)
        self.assert_queries(EVENT_PAGE_QUERIES, one_off.url)

    def test_events_api_queries_do_not_depend_on_page_size_or_events(self):
        for limit in (5, 20):
            with self.subTest(events=6, limit=limit):
                self.assert_queries(API_QUERIES, f"/api/v3/events/?locale=en&limit={limit}")
        self.grow()
        for limit in (5, 20):
            with self.subTest(events=16, limit=limit):
                self.assert_queries(API_QUERIES, f"/api/v3/events/?locale=en&limit={limit}")

    def test_events_api_counts_the_dates_without_joining_their_events(self):
        # The rows carry their events' course fields (a join); the count of all upcoming dates needs no event.
        self.grow()
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get("/api/v3/events/?limit=5")
        self.assertEqual(response.status_code, 200)
        self.assertGreater(response.json()["count"], 5)
        counts = [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()]
        self.assertEqual(len(counts), 1, counts)
        self.assertNotIn("events_eventpage", counts[0])
        self.assertEqual(response.json()["count"], self.client.get("/api/v3/events/?limit=100").json()["count"])
