"""``/api/v3/events/``: the agenda's occurrences, filtered by the agenda's FilterSet, in the requested language."""

from datetime import UTC, date, datetime
from unittest import mock

import time_machine
from django.http import QueryDict
from django.test import TestCase, override_settings
from wagtail.models import Page, PageViewRestriction, Site

from events.filters import EventFilterSet
from events.models import AudienceGroup, EventStatus, Occurrence
from learningcity.models import SDGTarget
from partners.models import Language

from ..events.factories import EventIndexPageFactory, EventPageFactory, publish
from ..learningcity.factories import HomePageFactory
from ..learningcity.utils import make_portal, sync_translation
from ..partners.factories import MunicipalityFactory, PartnerIndexPageFactory, PartnerPageFactory

EVENTS = "/api/v3/events/"
NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)  # a Tuesday


@time_machine.travel(NOW, tick=False)
class EventsAPITests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, cls.locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            directory = PartnerIndexPageFactory(parent=cls.home)
            cls.library = PartnerPageFactory(
                parent=directory, title="Bibliotheek", municipality=MunicipalityFactory(code="99001")
            )
            reading = EventPageFactory(
                parent=cls.agenda, title="Voorlezen", start_date=date(2026, 3, 4), min_age=3, max_age=6
            )
            reading.venue = cls.library
            reading.organisers.set([cls.library])
            reading.audience_groups.set(AudienceGroup.objects.filter(code="children"))
            reading.languages.set(Language.objects.filter(code__in=["nl", "ar"]))
            reading.sdg_targets.set(SDGTarget.objects.filter(code="4.2"))
            cls.reading = publish(reading)
            cafe = EventPageFactory(
                parent=cls.agenda,
                title="Taalcafé",
                start_date=date(2026, 3, 3),
                frequency="weekly",
                weekdays=[1],
                count=4,
                is_free=False,
                price="2.50",
            )
            cls.cafe = publish(cafe, exceptions=[{"original_date": date(2026, 3, 10), "status": EventStatus.CANCELLED}])
            sync_translation(cls.agenda, cls.locales["en"])
            sync_translation(directory, cls.locales["en"])
            cls.reading_en = sync_translation(cls.reading, cls.locales["en"])
            cls.reading_en.title = "Story time"
            with cls.captureOnCommitCallbacks(execute=True):
                cls.reading_en.save_revision().publish()

    def get(self, params=None, **extra):
        return self.client.get(EVENTS, params or {}, **extra)

    def test_an_occurrence_item_in_the_requested_language(self):
        response = self.get({"locale": "en", "from": "2026-03-04", "to": "2026-03-04"})
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["count"], 1)
        (item,) = data["items"]
        self.assertEqual(item["id"], f"{self.reading.uuid}/2026-03-04T19:00:00")
        self.assertEqual(item["start"], "2026-03-04T19:00:00+01:00")
        self.assertEqual(item["end"], "2026-03-04T21:00:00+01:00")
        self.assertEqual((item["all_day"], item["status"], item["locale"]), (False, "scheduled", "en"))
        event = item["event"]
        self.assertEqual(event["id"], str(self.reading.uuid))
        self.assertEqual(event["title"], "Story time")
        self.assertTrue(event["url"].endswith("/en/agenda/" + self.reading.slug + "/"), event["url"])
        self.assertEqual(event["venue"]["id"], str(self.library.translation_key))
        self.assertEqual(event["venue"]["address"]["municipality"]["code"], "99001")
        self.assertEqual([o["title"] for o in event["organisers"]], ["Bibliotheek"])
        self.assertEqual(event["audience"], {"min_age": 3, "max_age": 6, "groups": ["children"]})
        self.assertEqual(sorted(event["languages"]), ["ar", "nl"])
        self.assertEqual(event["sdg"], {"goals": [4], "targets": ["4.2"]})
        self.assertEqual(event["cost"]["free"], True)

    def test_each_item_tells_its_series_in_words_in_the_requested_language(self):
        texts = {
            "nl": "Elke dinsdag, 19:00–21:00, 4 keer",
            "en": "Every Tuesday, 19:00–21:00, 4 times",
            "fr": "Chaque mardi, de 19 h à 21 h, 4 fois",
        }
        for locale, short in texts.items():
            with self.subTest(locale):
                response = self.get({"locale": locale, "from": "2026-03-03", "to": "2026-03-04"})
                schedules = {
                    item["event"]["title"]: item["event"]["schedule_text"] for item in response.json()["items"]
                }
                self.assertEqual(schedules["Taalcafé"], {"short": short})
                self.assertEqual(schedules["Story time" if locale == "en" else "Voorlezen"], {"short": ""})  # one-off
        # The OpenAPI document says what it holds.
        schema = self.client.get("/api/v3/openapi.json").json()["components"]["schemas"]
        self.assertEqual(
            schema["EventOut"]["properties"]["schedule_text"], {"$ref": "#/components/schemas/ScheduleBriefOut"}
        )
        self.assertIn(
            "Every first Wednesday of the month", schema["ScheduleBriefOut"]["properties"]["short"]["description"]
        )

    def test_falls_back_to_the_source_language_and_ignores_accept_language(self):
        response = self.get({"locale": "fr", "from": "2026-03-04", "to": "2026-03-04"}, HTTP_ACCEPT_LANGUAGE="en")
        (item,) = response.json()["items"]
        self.assertEqual((item["event"]["title"], item["locale"]), ("Voorlezen", "nl"))

    def test_returns_exactly_the_agendas_occurrences_for_the_same_filters(self):
        on_site = Occurrence.objects.on_site(Site.objects.get())
        for string in ("", "status=cancelled", "from=2026-03-01&to=2026-03-31", "age=40", "free=false", "sdg=4"):
            with self.subTest(string):
                expected = [o.public_id for o in EventFilterSet(QueryDict(string), queryset=on_site).qs]
                response = self.client.get(f"{EVENTS}?{string}&limit=100")
                self.assertEqual(response.status_code, 200)
                self.assertEqual([item["id"] for item in response.json()["items"]], expected)
                self.assertEqual(response.json()["count"], len(expected))

    def test_cancelled_dates_only_when_asked(self):
        ids = [item["id"] for item in self.get({"status": "cancelled"}).json()["items"]]
        self.assertEqual(ids, [f"{self.cafe.uuid}/2026-03-10T19:00:00"])

    def test_invalid_filters_are_a_problem_naming_each_parameter(self):
        response = self.get({"from": "3 March", "age": "old", "organiser": "99999999999999999999999", "foo": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        named = {error["loc"][1] for error in response.json()["errors"]}
        self.assertEqual(named, {"from", "age", "organiser", "foo"})

    def add_events(self, first: int, count: int, day: date) -> None:
        """Events with everything an item shows: a venue, two organisers (one translated), audience, languages,
        SDGs; every third one translated into English."""
        museum = self.museum
        for n in range(first, first + count):
            event = EventPageFactory(parent=self.agenda, title=f"Cursus {n}", start_date=day, venue=self.library)
            event.organisers.set([self.library, museum])
            event.audience_groups.set(AudienceGroup.objects.filter(code="children"))
            event.languages.set(Language.objects.filter(code__in=["nl", "ar"]))
            event.sdg_targets.set(SDGTarget.objects.filter(code__in=["4.2", "4.7"]))
            publish(event)
            if n % 3 == 0:
                sync_translation(event, self.locales["en"])

    def test_query_count_depends_neither_on_the_page_size_nor_on_the_number_of_events(self):
        self.museum = publish(PartnerPageFactory(parent=self.library.get_parent(), title="Museum"))
        sync_translation(self.museum, self.locales["en"])
        self.add_events(0, 6, date(2026, 3, 5))
        self.get({"limit": 5, "locale": "en"})  # warms Wagtail's cached site root paths
        with self.assertNumQueries(EVENT_QUERIES["en"]):
            self.assertEqual(len(self.get({"limit": 5, "locale": "en"}).json()["items"]), 5)
        self.add_events(6, 24, date(2026, 3, 6))
        for locale, limit in (("en", 5), ("en", 20), ("nl", 5), ("nl", 20)):
            with self.subTest(locale=locale, limit=limit), self.assertNumQueries(EVENT_QUERIES[locale]):
                items = self.get({"limit": limit, "locale": locale}).json()["items"]
                self.assertEqual(len(items), limit)
                self.assertEqual([ref["title"] for ref in items[-1]["event"]["organisers"]], ["Bibliotheek", "Museum"])

    def test_unpublished_and_private_events_are_left_out_at_no_extra_query(self):
        withdrawn = publish(EventPageFactory(parent=self.agenda, title="Ingetrokken", start_date=date(2026, 3, 4)))
        withdrawn.unpublish()  # its dates stay in the index until the on-commit refresh, which never runs here
        private = publish(EventPageFactory(parent=self.agenda, title="Besloten", start_date=date(2026, 3, 4)))
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        self.get({"limit": 3})
        with self.assertNumQueries(EVENT_QUERIES["nl"]):
            data = self.get({"limit": 3}).json()
        self.assertEqual(data["count"], 4)
        self.assertEqual([item["event"]["title"] for item in data["items"]], ["Taalcafé", "Voorlezen", "Taalcafé"])

    @override_settings(ALLOWED_HOSTS=["testserver", "elders.example"])
    def test_only_the_requesting_sites_events_are_listed(self):
        other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="elders", locale=self.locales["nl"])
        Site.objects.create(hostname="elders.example", port=80, root_page=other_home, site_name="Elders")
        other_agenda = EventIndexPageFactory(parent=other_home)
        publish(EventPageFactory(parent=other_agenda, title="Elders", start_date=date(2026, 3, 5)))
        here = [item["event"]["title"] for item in self.get({"limit": 50}).json()["items"]]
        self.assertNotIn("Elders", here)
        self.assertEqual(len(here), 4)
        there = [item["event"]["title"] for item in self.get({"limit": 50}, HTTP_HOST="elders.example").json()["items"]]
        self.assertEqual(there, ["Elders"])
        # Many events elsewhere: each date's page is looked up instead.
        with mock.patch("events.models.occurrences.HIDDEN_IDS_MAX", 0):
            self.assertEqual([item["event"]["title"] for item in self.get({"limit": 50}).json()["items"]], here)
            there = self.get({"limit": 50}, HTTP_HOST="elders.example").json()["items"]
            self.assertEqual([item["event"]["title"] for item in there], ["Elders"])

    def test_a_page_that_is_not_full_needs_no_count(self):
        self.get({"limit": 10})
        with self.assertNumQueries(EVENT_QUERIES["nl"] - 1):
            self.assertEqual(self.get({"limit": 10}).json()["count"], 4)
        self.assertEqual(self.get({"limit": 3, "offset": 3}).json()["count"], 4)
        self.assertEqual(self.get({"limit": 3, "offset": 6}).json(), {"count": 4, "items": []})


# The requesting site (the routing middleware takes it from the cache when caching is on), restrictions, hidden events,
# locale, the longest occurrence, count, the page, events with their venues, organisers, their terms (audience groups,
# languages and SDG targets in one query), the listed series' excluded dates (for their schedule in words); in English
# also the translations (everything here is in Dutch).
EVENT_QUERIES = {"nl": 11, "en": 12}
