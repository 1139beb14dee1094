"""What keeps the agenda fast on a large index: a capped count and cached fragments, with the same answers."""

from datetime import UTC, date, datetime
from unittest import mock

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from tests.learningcity.utils import make_portal, queries_but_the_content_version
from tests.partners.factories import MunicipalityFactory, PartnerIndexPageFactory, PartnerPageFactory

from .factories import EventIndexPageFactory, EventPageFactory, publish

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
@override_settings(LEERSTAD_AGENDA_PER_PAGE=2)
class CappedCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            home, _locales = make_portal()
            agenda = EventIndexPageFactory(parent=home)
            for day in range(4, 9):
                publish(EventPageFactory(parent=agenda, title=f"Les {day}", start_date=date(2026, 3, day)))

    def test_beyond_the_cap_the_agenda_says_more_than_and_offers_the_pages_up_to_it(self):
        with mock.patch("events.context.CAPPED_COUNT", 3):
            response = self.client.get("/nl/agenda/")
            last = self.client.get("/nl/agenda/?page=2")
        self.assertContains(response, "Meer dan 3 datums gevonden")
        self.assertTrue(response.context["more_results"])
        self.assertEqual(response.context["page_obj"].paginator.num_pages, 2)
        self.assertEqual([o.page.title for o in last.context["results"]], ["Les 6"])

    def test_under_the_cap_the_count_is_exact(self):
        response = self.client.get("/nl/agenda/")
        self.assertContains(response, "5 datums gevonden")
        self.assertFalse(response.context["more_results"])
        self.assertEqual(response.context["page_obj"].paginator.num_pages, 3)


@time_machine.travel(NOW, tick=False)
@override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300)
class AgendaFragmentCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, _locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            directory = PartnerIndexPageFactory(parent=cls.home)
            north = MunicipalityFactory(code="99001", name="Lindeveld")
            library = PartnerPageFactory(parent=directory, title="Bibliotheek", municipality=north)
            for day in range(4, 9):
                publish(
                    EventPageFactory(
                        parent=cls.agenda, title=f"Les {day}", start_date=date(2026, 3, day), venue=library
                    )
                )

    def setUp(self):
        cache.clear()

    def test_a_warm_agenda_page_takes_no_queries(self):
        self.client.get("/nl/agenda/")  # the first request also creates the site's settings row
        self.client.get("/nl/agenda/")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/nl/agenda/")
        # Fragments, site and route come from the cache (learningcity.caching, learningcity.routing).
        self.assertEqual(queries_but_the_content_version(queries), [])
        for day in range(4, 9):
            self.assertContains(response, f">Les {day}</a>")
        self.assertContains(response, "5 datums gevonden")

    def test_the_cached_results_move_with_the_clock(self):
        self.assertContains(self.client.get("/nl/agenda/"), ">Les 4</a>")
        with time_machine.travel(datetime(2026, 3, 4, 21, 30, tzinfo=UTC), tick=False):
            response = self.client.get("/nl/agenda/")
        self.assertNotContains(response, ">Les 4</a>")
        self.assertContains(response, "4 datums gevonden")

    def test_a_new_municipality_shows_in_the_filter_form_at_once(self):
        self.assertNotContains(self.client.get("/nl/agenda/"), "Beekdonk")
        MunicipalityFactory(code="99002", name="Beekdonk")
        self.assertContains(self.client.get("/nl/agenda/"), "Beekdonk")

    def test_the_filter_form_keeps_each_querys_choices(self):
        self.client.get("/nl/agenda/")
        response = self.client.get("/nl/agenda/?theme=stem")
        self.assertContains(response, 'value="stem" id="id_theme_0" checked', html=False)

    def test_a_new_event_shows_on_the_next_request(self):
        self.client.get("/nl/agenda/")
        publish(EventPageFactory(parent=self.agenda, title="Nieuwe les", start_date=date(2026, 3, 5)))
        self.assertContains(self.client.get("/nl/agenda/"), "Nieuwe les")

    @override_settings(LEERSTAD_AGENDA_PER_PAGE=2)
    def test_paging_through_the_agenda_counts_once_and_again_after_a_publication(self):
        self.client.get("/nl/agenda/?page=3")  # the first request also creates the site's settings row
        self.assertContains(self.client.get("/nl/agenda/"), "5 datums gevonden")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/nl/agenda/?page=2")
        self.assertContains(response, "5 datums gevonden")
        self.assertContains(response, ">Les 6</a>")
        self.assertEqual([query["sql"] for query in queries if "COUNT(" in query["sql"]], [])
        publish(EventPageFactory(parent=self.agenda, title="Nieuwe les", start_date=date(2026, 3, 5)))
        self.assertContains(self.client.get("/nl/agenda/?page=3"), "6 datums gevonden")

    def test_each_choice_of_filters_has_its_own_count(self):
        self.assertContains(self.client.get("/nl/agenda/"), "5 datums gevonden")
        self.assertContains(self.client.get("/nl/agenda/?to=2026-03-05"), "2 datums gevonden")
        self.assertContains(self.client.get("/nl/agenda/?to=2026-03-04"), "1 datum gevonden")
        self.assertContains(self.client.get("/nl/agenda/?to=2026-03-05&page=2"), "2 datums gevonden")
