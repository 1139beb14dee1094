"""``/api/v3/events/``: the agenda's occurrences, filtered by the agenda's FilterSet, in the requested language."""

from datetime import UTC, date, datetime

import time_machine
from django.http import QueryDict
from django.test import TestCase

from events.api import public_occurrences
from events.filters import EventFilterSet
from events.models import AudienceGroup, EventStatus
from learningcity.models import SDGTarget
from partners.models import Language

from ..events.factories import EventIndexPageFactory, EventPageFactory, publish
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

    def test_falls_back_to_the_source_language_and_ignores_accept_language(self):
        response = self.get({"locale": "fr", "from": "2026-03-04", "to": "2026-03-04"}, HTTP_ACCEPT_LANGUAGE="en")
        (item,) = response.json()["items"]
        self.assertEqual((item["event"]["title"], item["locale"]), ("Voorlezen", "nl"))

    def test_returns_exactly_the_agendas_occurrences_for_the_same_filters(self):
        for string in ("", "status=cancelled", "from=2026-03-01&to=2026-03-31", "age=40", "free=false", "sdg=4"):
            with self.subTest(string):
                expected = [o.public_id for o in EventFilterSet(QueryDict(string), queryset=public_occurrences()).qs]
                response = self.client.get(f"{EVENTS}?{string}&limit=100")
                self.assertEqual(response.status_code, 200)
                self.assertEqual([item["id"] for item in response.json()["items"]], expected)
                self.assertEqual(response.json()["count"], len(expected))

    def test_cancelled_dates_only_when_asked(self):
        ids = [item["id"] for item in self.get({"status": "cancelled"}).json()["items"]]
        self.assertEqual(ids, [f"{self.cafe.uuid}/2026-03-10T19:00:00"])

    def test_invalid_filters_are_a_problem_naming_each_parameter(self):
        response = self.get({"from": "3 March", "age": "old", "organiser": "999999", "foo": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        named = {error["loc"][1] for error in response.json()["errors"]}
        self.assertEqual(named, {"from", "age", "organiser", "foo"})

    def test_query_count_does_not_grow_with_the_page_size(self):
        for n in range(6):
            event = EventPageFactory(parent=self.agenda, title=f"Cursus {n}", start_date=date(2026, 3, 5))
            event.organisers.set([self.library])
            event.languages.set(Language.objects.filter(code="nl"))
            publish(event)
        self.get({"limit": 5, "locale": "en"})  # warms Wagtail's cached site root paths
        with self.assertNumQueries(EVENT_QUERIES):
            self.assertEqual(len(self.get({"limit": 5, "locale": "en"}).json()["items"]), 5)
        for n in range(6, 60):
            publish(EventPageFactory(parent=self.agenda, title=f"Cursus {n}", start_date=date(2026, 3, 6)))
        with self.assertNumQueries(EVENT_QUERIES):
            self.assertEqual(len(self.get({"limit": 50, "locale": "en"}).json()["items"]), 50)


EVENT_QUERIES = 10
