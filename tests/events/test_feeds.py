"""Atom, RSS and JSON Feed of upcoming occurrences, as feed readers and integrators see them."""

import json
from datetime import date

import feedparser
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings
from django.urls import reverse

from events.models import Occurrence, SavedFeed

from .factories import EventPageFactory, publish
from .test_ics_feed import NOW, build_agenda

JSON_FEED_ITEM_KEYS = {"id", "url", "title", "content_text", "date_published", "date_modified"}


@time_machine.travel(NOW, tick=False)
class SyndicationFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            build_agenda(cls)

    def setUp(self):
        cache.clear()

    def upcoming(self, limit=20):
        return list(Occurrence.objects.upcoming().visible()[:limit])

    def test_atom_and_rss_parse_without_errors_and_list_upcoming_occurrences(self):
        expected = [f"urn:uuid:{o.event_uuid}#{o.recurrence_id}" for o in self.upcoming()]
        for path, content_type in (
            ("/feeds/events.atom", "application/atom+xml; charset=utf-8"),
            ("/feeds/events.rss", "application/rss+xml; charset=utf-8"),
        ):
            with self.subTest(path=path):
                response = self.client.get(path + "?locale=en")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], content_type)
                parsed = feedparser.parse(response.content)
                self.assertFalse(parsed.bozo, parsed.get("bozo_exception"))
                self.assertEqual([entry.id for entry in parsed.entries], expected)
                first = parsed.entries[0]
                self.assertTrue(first.link.startswith("http://testserver/nl/"))
                self.assertIn("When:", first.summary)
                self.assertIn("Status: Scheduled", first.summary)

    def test_cancelled_occurrences_are_hidden_unless_status_asks(self):
        titles = [e.title for e in feedparser.parse(self.client.get("/feeds/events.atom").content).entries]
        self.assertFalse(any(title.startswith("Afgelast") for title in titles))
        asked = feedparser.parse(self.client.get("/feeds/events.atom?status=cancelled&locale=en").content)
        self.assertTrue(asked.entries)
        self.assertTrue(all("Status: Cancelled" in entry.summary for entry in asked.entries))

    def test_json_feed_follows_version_1_1(self):
        response = self.client.get("/feeds/events.json?locale=en&limit=5")
        self.assertEqual(response["Content-Type"], "application/feed+json; charset=utf-8")
        document = json.loads(response.content)
        self.assertEqual(document["version"], "https://jsonfeed.org/version/1.1")
        self.assertTrue({"title", "home_page_url", "feed_url", "items"} <= set(document))
        self.assertEqual(len(document["items"]), 5)
        for item in document["items"]:
            self.assertTrue(set(item) >= JSON_FEED_ITEM_KEYS)
            self.assertTrue(all(key.startswith("_") for key in set(item) - JSON_FEED_ITEMS_SPEC))
            self.assertIn(item["_leerstad"]["status"], {"scheduled", "cancelled"})
        first = self.upcoming(1)[0]
        self.assertEqual(document["items"][0]["_leerstad"]["start"], first.start.isoformat())

    def test_entries_carry_venue_and_date(self):
        document = json.loads(self.client.get(f"/feeds/events.json?venue={self.library.pk}&limit=1").content)
        (item,) = document["items"]
        self.assertIn("Bibliotheek Noord", item["_leerstad"]["venue"])
        self.assertIn("Taalcafé", item["title"])

    def test_invalid_parameters_are_a_400_naming_the_parameter(self):
        for query, name in (
            ("?locale=xx", "locale"),
            ("?limit=0", "limit"),
            ("?limit=51", "limit"),
            ("?free=maybe", "free"),
            ("?organiser=99999999999999999999999", "organiser"),
        ):
            for path in ("/feeds/events.atom", "/feeds/events.rss", "/feeds/events.json"):
                with self.subTest(path=path, query=query):
                    response = self.client.get(path + query)
                    self.assertEqual(response.status_code, 400)
                    self.assertIn(f"{name}:", response.content.decode())

    def test_conditional_get_gives_304(self):
        for path in ("/feeds/events.atom", "/feeds/events.rss", "/feeds/events.json", "/embed/events/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(self.client.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code, 304)
                since = self.client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
                self.assertEqual(since.status_code, 304)
                other = self.client.get(path + "?locale=en", HTTP_IF_NONE_MATCH=response["ETag"])
                self.assertEqual(other.status_code, 200)

    def test_query_count_is_the_same_for_5_and_50_entries(self):
        for n in range(50):
            event = EventPageFactory(parent=self.agenda, start_date=date(2026, 3, 9 + n % 20), venue=self.library)
            event.organisers.set([self.library])
            publish(event)
        for path in ("/feeds/events.atom", "/feeds/events.rss", "/feeds/events.json", "/embed/events/"):
            for limit in (5, 50):
                cache.clear()
                with self.subTest(path=path, limit=limit), self.assertNumQueries(QUERIES_PER_LIST):
                    response = self.client.get(f"{path}?limit={limit}")
                    self.assertEqual(response.status_code, 200)

    @override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300)
    def test_a_304_comes_from_the_response_cache(self):
        cache.clear()
        etag = self.client.get("/feeds/events.json")["ETag"]
        for headers in ({"HTTP_IF_NONE_MATCH": etag}, {"HTTP_IF_MODIFIED_SINCE": "Fri, 01 Jan 2100 00:00:00 GMT"}):
            with self.subTest(headers=headers), self.assertNumQueries(1):  # the content version (no Redis here)
                response = self.client.get("/feeds/events.json", **headers)
            self.assertEqual(response.status_code, 304)


# Site, site root paths (2), view restrictions, locale, longest occurrence, the hidden events, occurrences, their
# events' summaries (events with their venues; themes; the series' dates without the event; no translations here:
# all are in the feed's language) and the agenda link.
QUERIES_PER_LIST = 12

JSON_FEED_ITEMS_SPEC = {
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "authors",
    "tags",
    "language",
    "attachments",
}


class SubscribeLinkTests(TestCase):
    def test_webcal_link_keeps_the_filters(self):
        from django.template import Context, Template
        from django.test import RequestFactory

        request = RequestFactory().get("/nl/agenda/")
        template = Template("{% load event_feeds %}{% events_webcal_url organiser=12 locale='en' %}")
        self.assertEqual(
            template.render(Context({"request": request})),
            "webcal://testserver/feeds/events.ics?organiser=12&amp;locale=en",
        )


@time_machine.travel(NOW, tick=False)
class SavedFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            build_agenda(cls)
            cls.feed = SavedFeed.objects.create(
                name="Bibliotheek Noord", slug="bibliotheek-noord", query=f"venue={cls.library.pk}"
            )

    def setUp(self):
        cache.clear()

    def test_saved_feed_has_a_stable_url_in_every_format(self):
        for fmt in ("ics", "atom", "rss", "json"):
            with self.subTest(fmt=fmt):
                response = self.client.get(reverse(f"events:saved_feed_{fmt}", kwargs={"slug": "bibliotheek-noord"}))
                self.assertEqual(response.status_code, 200)
                self.assertIn("Taalcafé", response.content.decode())
                self.assertNotIn("Lezing", response.content.decode())

    def test_subscription_survives_a_change_of_filters(self):
        url = "/feeds/saved/bibliotheek-noord.json?locale=en"
        etag = self.client.get(url)["ETag"]
        self.feed.query = "theme=stem"
        self.feed.save()
        response = self.client.get(url, HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(json.loads(response.content)["items"], [])

    def test_saved_filters_are_validated_by_the_agendas_filterset(self):
        for query, name in (("theme=cooking", "theme"), ("colour=red", "colour"), ("locale=en", "locale")):
            with self.subTest(query=query):
                feed = SavedFeed(name="Fout", slug="fout", query=query)
                with self.assertRaises(ValidationError) as raised:
                    feed.full_clean()
                self.assertIn(f"{name}:", str(raised.exception))
                with self.assertRaises(ValidationError):
                    feed.save()

    def test_only_locale_and_limit_may_be_added(self):
        self.assertEqual(self.client.get("/feeds/saved/bibliotheek-noord.rss?limit=5&locale=fr").status_code, 200)
        response = self.client.get("/feeds/saved/bibliotheek-noord.rss?theme=stem")
        self.assertEqual(response.status_code, 400)
        self.assertIn("theme:", response.content.decode())
        self.assertEqual(self.client.get("/feeds/saved/unknown.ics").status_code, 404)
