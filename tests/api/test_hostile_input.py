"""No URL breaks the site: hostile parameters on the agenda, the listings, the feeds and the API are a 400 naming
the parameter (or a harmless answer), never a 500; unknown API paths and API errors are problem documents."""

from datetime import UTC, date, datetime
from unittest import mock
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import TestCase, override_settings
from wagtail.models import APIToken

from events.feeds import views as feed_views
from learningcity import caching

from ..events.factories import EventIndexPageFactory, EventPageFactory, publish
from ..learningcity.utils import make_portal
from ..partners.factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)
BRUSSELS = ZoneInfo("Europe/Brussels")
FEEDS = ("/feeds/events.ics", "/feeds/events.atom", "/feeds/events.rss", "/feeds/events.json", "/embed/events/")
EVENT_APIS = ("/api/v3/events/",)
PROBLEM = "application/problem+json"
# Digits int() reads ("٣", "１") or refuses ("²"), and a number far too long.
NOT_ASCII_NUMBERS = ("²", "٣", "１", "7²", "9" * 5000, "12345678901", "+7", "0x1f", "7\x00")
SEARCH_SYNTAX = (
    '"',
    '"Voorlezen',
    "Voor*",
    "(",
    ")",
    "NEAR",
    "NEAR(a b)",
    "-",
    "a -b",
    "a:b",
    "'",
    "\\",
    "^",
    "\u202e",
)


def build_portal(cls):
    home, cls.locales = make_portal()
    cls.directory = PartnerIndexPageFactory(parent=home)
    cls.library = publish(PartnerPageFactory(parent=cls.directory, title="Bibliotheek"))
    cls.centres = ChildCentreIndexPageFactory(parent=home)
    publish(ChildCentrePageFactory(parent=cls.centres, title="Kindcentrum Zon"))
    cls.agenda = EventIndexPageFactory(parent=home)
    reading = EventPageFactory(parent=cls.agenda, title="Voorlezen", start_date=date(2026, 3, 4), min_age=3, max_age=9)
    reading.organisers.set([cls.library])
    cls.reading = publish(reading)


@time_machine.travel(NOW, tick=False)
class HostileParameterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            build_portal(cls)

    def setUp(self):
        cache.clear()

    def get(self, path, query: str = "", **extra):
        return self.client.get(f"{path}?{query}" if query else path, **extra)

    def assert_names(self, response, name):
        """A 400 naming ``name``: in the problem's errors (API), the feed's text, or the listing's error list."""
        self.assertEqual(response.status_code, 400, response.content[:300])
        if response["Content-Type"] == PROBLEM:
            self.assertIn(name, {error["loc"][1] for error in response.json()["errors"]})
        elif response["Content-Type"].startswith("text/plain"):
            self.assertIn(f"{name}:", response.content.decode())
        else:
            self.assertIn(name, response.context["filter_errors"])

    @property
    def listings(self):
        return (self.agenda.url, self.directory.url, self.centres.url)

    # Numbers.

    def test_numbers_in_other_scripts_or_too_long_are_a_400_naming_the_parameter(self):
        cases = [(path, name) for path in (self.agenda.url, *FEEDS, *EVENT_APIS) for name in ("age", "organiser")]
        cases += [(self.agenda.url, "venue"), ("/feeds/events.json", "venue"), ("/api/v3/events/", "venue")]
        cases += [(path, "limit") for path in ("/feeds/events.atom", "/embed/events/", "/api/v3/partners/")]
        cases += [("/api/v3/events/", "offset"), ("/api/v3/changes/", "since"), ("/api/v3/changes/", "limit")]
        cases += [(path, "page") for path in self.listings]
        for path, name in cases:
            for value in NOT_ASCII_NUMBERS:
                with self.subTest(path=path, name=name, value=value[:12]):
                    self.assert_names(self.get(path, urlencode({name: value})), name)

    def test_ascii_numbers_are_still_read(self):
        self.assertEqual(self.get("/api/v3/events/", f"organiser={self.library.pk}&age=07").json()["count"], 1)
        self.assertEqual(self.get(self.agenda.url, "age=7&page=1").status_code, 200)
        self.assertEqual(self.get("/api/v3/changes/", "since=0&limit=5").status_code, 200)

    def test_a_page_that_is_not_a_number_is_a_400_and_one_beyond_the_last_shows_the_last(self):
        for path in self.listings:
            with self.subTest(path=path):
                self.assert_names(self.get(path, "page=abc"), "page")
                self.assert_names(self.get(path, "page=0"), "page")
                self.assertEqual(self.get(path, "page=999").status_code, 200)

    # Search.

    def test_search_syntax_never_breaks_a_listing_a_feed_or_the_api(self):
        paths = (*self.listings, *FEEDS, "/api/v3/events/", "/api/v3/partners/", "/api/v3/childcentres/")
        for path in paths:
            for value in SEARCH_SYNTAX:
                with self.subTest(path=path, q=value):
                    self.assertEqual(self.get(path, urlencode({"q": value})).status_code, 200)
            with self.subTest(path=path, q="NUL"):
                self.assert_names(self.get(path, "q=a%00b"), "q")

    def test_a_search_keeps_its_words_and_drops_the_syntax(self):
        items = self.get("/api/v3/events/", urlencode({"q": '"Voorlezen'})).json()["items"]
        self.assertEqual([item["event"]["title"] for item in items], ["Voorlezen"])

    def test_a_search_longer_than_200_characters_is_a_400(self):
        for path in (self.agenda.url, "/api/v3/partners/", "/feeds/events.json"):
            with self.subTest(path=path):
                self.assert_names(self.get(path, "q=" + "a" * 201), "q")

    def test_wagtails_page_search_takes_words_only(self):
        for value in SEARCH_SYNTAX:
            with self.subTest(search=value):
                response = self.get("/api/v3/pages/", urlencode({"search": value}))
                self.assertIn(response.status_code, (200, 422))
                self.assertLess(response.status_code, 500)
        self.assertEqual(self.get("/api/v3/pages/", urlencode({"search": '"Voorlezen'})).status_code, 200)
        self.assertEqual(self.get("/api/v3/pages/", urlencode({"search": '"'})).status_code, 422)

    def test_wagtails_page_search_reads_each_word_once_and_at_most_eight(self):
        # Every word is a condition of its own: a hundred times "a" took the search almost a second.
        def titles(search):
            response = self.get("/api/v3/pages/", urlencode({"search": search, "search_operator": "or"}))
            self.assertEqual(response.status_code, 200, response.content[:300])
            return [item["title"] for item in response.json()["items"]]

        others = " ".join(f"zzq{number}" for number in range(8))
        self.assertEqual(titles(f"Voorlezen {others}"), ["Voorlezen"])
        self.assertEqual(titles(f"{others} Voorlezen"), [])  # the ninth word is not searched
        self.assertEqual(titles(" ".join(["zzq"] * 45 + ["Voorlezen"])), ["Voorlezen"])

    def test_wagtails_endpoints_refuse_numbers_no_database_holds_naming_the_parameter(self):
        # Wagtail hands offset and its field filters to the database unbounded: past 64 bits the driver failed.
        beyond = str(2**63)
        for path, name in (
            ("/api/v3/pages/", "offset"),
            ("/api/v3/redirects/", "offset"),
            ("/api/v3/redirects/", "site"),
        ):
            for value in (beyond, f"-{2**63 + 1}", "9" * 5000):
                with self.subTest(path=path, name=name, value=value[:20]):
                    response = self.get(path, urlencode({name: value}))
                    self.assertEqual(response.status_code, 422, response.content[:300])
                    self.assertEqual([error["loc"] for error in response.json()["errors"]], [["query", name]])
        largest = str(2**63 - 1)
        self.assertEqual(self.get("/api/v3/pages/", f"offset={largest}").json()["items"], [])
        self.assertEqual(self.get("/api/v3/redirects/", f"site={largest}").json()["count"], 0)
        self.assertGreater(self.get("/api/v3/pages/", "offset=0000000000000000000000001").json()["count"], 1)
        # Ours keep their own rule and status: at most nine digits, a 400.
        self.assert_names(self.get("/api/v3/events/", f"offset={beyond}"), "offset")

    def test_wagtails_endpoints_refuse_a_nul_character_naming_the_parameter(self):
        # PostgreSQL's text cannot hold one: the driver failed on Wagtail's locale, site and html_path.
        for path, name in (
            ("/api/v3/pages/", "locale"),
            ("/api/v3/pages/", "site"),
            ("/api/v3/pages/", "title"),
            ("/api/v3/pages/find/", "html_path"),
            ("/api/v3/redirects/find/", "html_path"),
        ):
            with self.subTest(path=path, name=name):
                response = self.get(path, urlencode({name: "nl\x00"}))
                self.assertEqual(response.status_code, 422, response.content[:300])
                self.assertEqual([error["loc"] for error in response.json()["errors"]], [["query", name]])
        self.assertEqual(self.get("/api/v3/pages/", "locale=nl").status_code, 200)

    # Repeated parameters.

    def test_hundreds_of_copies_of_one_value_count_once(self):
        for path in (self.agenda.url, *FEEDS, "/api/v3/events/"):
            with self.subTest(path=path):
                response = self.get(path, "&".join(["age=7"] * 5000))
                self.assertEqual(response.status_code, 200)
        self.assertEqual(self.get("/api/v3/events/", "&".join(["age=7"] * 600)).json()["count"], 1)

    def test_a_listing_shows_a_value_given_thousands_of_times_as_one_filter(self):
        # Each chip links to the listing without its value, built from a copy of the filters in use: with every
        # copy of the value kept, 5,000 copies took the agenda 9 s (5,000 chips of 5,000 values each).
        for path, name, value in (
            (self.agenda.url, "age", "7"),
            (self.directory.url, "kind", "library"),
            (self.centres.url, "age", "4"),
        ):
            with self.subTest(path=path):
                response = self.get(path, "&".join([f"{name}={value}"] * 5000))
                self.assertEqual(response.status_code, 200)
                (chip,) = response.context["filter_chips"]
                self.assertEqual(chip.url, path)
                self.assertEqual(response.context["filter_query"], f"{name}={value}")

    def test_more_than_20_values_of_one_parameter_are_a_400(self):
        ages = "&".join(f"age={age}" for age in range(21))
        for path in (self.agenda.url, *FEEDS, "/api/v3/events/"):
            with self.subTest(path=path):
                self.assert_names(self.get(path, ages), "age")
        self.assertEqual(self.get("/api/v3/events/", "&".join(f"age={age}" for age in range(20))).status_code, 200)
        kinds = "&".join(f"sdg={goal}" for goal in range(1, 18)) + "&sdg=4.1&sdg=4.2&sdg=4.3&sdg=4.4"
        self.assert_names(self.get("/api/v3/partners/", kinds), "sdg")

    def test_a_single_valued_parameter_given_twice_is_a_400(self):
        cases = {
            "from": "from=2026-03-04&from=2026-03-05",
            "to": "to=2026-03-04&to=2026-03-05",
            "when": "when=today&when=week",
            "q": "q=a&q=b",
            "free": "free=true&free=false",
        }
        for path in (self.agenda.url, "/feeds/events.json", "/feeds/events.ics", "/api/v3/events/"):
            for name, query in cases.items():
                with self.subTest(path=path, name=name):
                    self.assert_names(self.get(path, query), name)
        for path in ("/feeds/events.atom", "/embed/events/"):
            with self.subTest(path=path):
                self.assert_names(self.get(path, "limit=5&limit=6"), "limit")
                self.assert_names(self.get(path, "locale=nl&locale=en"), "locale")
        self.assert_names(self.get(self.directory.url, "q=a&q=b"), "q")
        self.assert_names(self.get(self.agenda.url, "page=1&page=2"), "page")

    # The feed cache.

    @override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300)
    def test_feed_cache_keys_ignore_order_and_duplicates_of_filter_values(self):
        cache.clear()
        first = self.get("/feeds/events.json", f"age=9&age=7&organiser={self.library.pk}")
        self.assertEqual(first.status_code, 200)
        with self.assertNumQueries(1):  # the content version; the answer comes from the response cache
            again = self.get("/feeds/events.json", f"organiser={self.library.pk}&age=7&age=9&age=7")
        self.assertEqual(again.content, first.content)
        self.assertEqual(again["ETag"], first["ETag"])

    @override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=3600)
    def test_filtered_feeds_are_kept_ten_minutes_the_plain_feed_to_midnight_and_errors_never(self):
        cache.clear()
        with mock.patch.object(caching.cache, "set", wraps=caching.cache.set) as kept:
            self.get("/feeds/events.atom")
            self.get("/feeds/events.atom", "locale=en&limit=5")
            self.get("/feeds/events.atom", "q=voorlezen")
            self.get("/feeds/events.ics", "age=7")
            for query in ("age=²", "q=a&q=a", "nope=1", "age=" + "9" * 5000):
                self.assertEqual(self.get("/feeds/events.atom", query).status_code, 400)
        timeouts = [call.args[2] for call in kept.call_args_list if call.args[0].startswith("leerstad:response")]
        to_midnight = int((datetime(2026, 3, 4, tzinfo=BRUSSELS) - NOW).total_seconds())
        ten_minutes = feed_views.FILTERED_CACHE_SECONDS
        # plain, plain in English, a search, a filtered calendar; nothing for errors
        self.assertEqual(timeouts, [to_midnight, to_midnight, ten_minutes, ten_minutes])


class APIErrorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_portal()

    def test_an_unknown_api_path_is_a_404_problem_without_a_redirect(self):
        for path in ("/api/v3/nope", "/api/v3/nope/", "/api/nope", "/api/v3/events/1/x", "/api/v3/" + quote("é")):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], PROBLEM)
                problem = response.json()
                self.assertEqual(
                    (problem["status"], problem["title"], problem["type"]), (404, "Not Found", "about:blank")
                )
                self.assertTrue(problem["detail"])

    def test_a_known_api_path_without_its_slash_still_redirects(self):
        response = self.client.get("/api/v3/events?limit=1")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/api/v3/events/?limit=1")

    def test_a_server_error_in_the_api_is_a_500_problem(self):
        self.client.raise_request_exception = False
        with mock.patch("events.api.read_query", side_effect=RuntimeError("boom")):
            response = self.client.get("/api/v3/events/")
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response["Content-Type"], PROBLEM)
        self.assertEqual(response.json()["status"], 500)
        self.assertNotIn("boom", response.content.decode())

    def test_a_bad_request_in_the_api_is_a_400_problem_and_elsewhere_the_sites_page(self):
        # A host the site does not serve is refused before any view: the API's convention still holds.
        response = self.client.get("/api/v3/events/", HTTP_HOST="elsewhere.example")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], PROBLEM)
        self.assertEqual(response.json()["status"], 400)
        response = self.client.get("/nl/", HTTP_HOST="elsewhere.example")
        self.assertContains(response, "Ongeldig verzoek", status_code=400)
        self.assertContains(response, '<a href="/">startpagina</a>', status_code=400)  # the way back it offers

    def test_errors_of_our_endpoints_are_problems_of_the_same_shape(self):
        response = self.client.get("/api/v3/partners/?kind=castle")
        self.assertEqual(response["Content-Type"], PROBLEM)
        self.assertEqual(
            {key: response.json()[key] for key in ("type", "title", "status")},
            {"type": "about:blank", "title": "Bad Request", "status": 400},
        )

    def test_images_and_documents_are_listed_to_token_holders_only(self):
        for path in ("/api/v3/images/", "/api/v3/documents/", "/api/v3/images/1/", "/api/v3/documents/1/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response["Content-Type"], PROBLEM)
        user = get_user_model().objects.create_superuser("editor", "editor@example.org", "x")
        _token, plaintext = APIToken.create_token(user=user, name="front-end")
        for path in ("/api/v3/images/", "/api/v3/documents/"):
            with self.subTest(path=path, token=True):
                response = self.client.get(path, HTTP_AUTHORIZATION=f"Bearer {plaintext}")
                self.assertEqual(response.status_code, 200)
        for path in ("/api/v3/images/", "/api/v3/documents/", "/api/v3/sites/", "/api/v3/snippets/partners.Network/"):
            with self.subTest(path=path, token=True, offset="past 64 bits"):
                response = self.client.get(f"{path}?offset={2**63}", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
                self.assertEqual(response.status_code, 422, response.content[:300])
