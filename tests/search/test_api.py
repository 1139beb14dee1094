"""``/api/v3/search/`` and its autocomplete: SDG goals, titles for what has been typed, queries per request, and
``update_search_index``."""

import re
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from learningcity.models import SearchDocument
from learningcity.search.index import index_keys

from ..learningcity.factories import ContentPageFactory
from ..learningcity.utils import queries_but_the_content_version
from .utils import AUTOCOMPLETE_API, SEARCH_API, SearchClient, build_small_portal, event, search_url

SWIMMING = [f"Zwemles {n:02d}" for n in range(1, 13)]
YOGA = ["Yoga in het park", "Yogales", "Ochtend yoga", "Stoelyoga"]


class AutocompleteAndIndexTests(SearchClient, TestCase):
    @classmethod
    def setUpTestData(cls):
        build_small_portal(cls, *SWIMMING, *YOGA, "Schaak voor beginners")

    # Autocomplete.

    def test_at_most_ten_titles(self):
        self.assertEqual(self.autocomplete("zwemles"), SWIMMING[:10])
        self.assertEqual(self.autocomplete("zwemles", limit=3), SWIMMING[:3])
        self.assertEqual(self.autocomplete("zwemles", limit=50), SWIMMING[:10])

    def test_the_last_word_is_the_start_of_a_word_and_titles_starting_with_the_text_come_first(self):
        self.assertEqual(self.autocomplete("yo"), ["Yoga in het park", "Yogales", "Ochtend yoga"])
        self.assertEqual(self.autocomplete("yoga"), ["Yoga in het park", "Yogales", "Ochtend yoga"])
        self.assertEqual(self.autocomplete("YÓGA"), ["Yoga in het park", "Yogales", "Ochtend yoga"])
        self.assertEqual(self.autocomplete("ochtend yo"), ["Ochtend yoga"])
        self.assertEqual(self.autocomplete("park yo"), ["Yoga in het park"])
        self.assertEqual(self.autocomplete("yoga pa"), ["Yoga in het park"])
        self.assertEqual(self.autocomplete("oga"), [])  # inside a word: not what is being typed
        self.assertEqual(self.autocomplete("yoga x"), [])

    def test_upcoming_events_come_before_other_titles_starting_alike(self):
        self.assertEqual(self.autocomplete("schaak"), ["Schaakavond", "Schaak voor beginners"])

    def test_items_say_what_and_where(self):
        response = self.client.get(AUTOCOMPLETE_API, {"q": "schaakav", "locale": "en"})
        (item,) = response.json()["items"]
        self.assertEqual(
            item,
            {"title": "Schaakavond", "type": "event", "type_label": "Activities", "url": self.chess.full_url},
        )

    def test_nothing_typed_suggests_nothing(self):
        for params in ({}, {"q": ""}, {"q": "!!"}, {"q": "zz"}):
            with self.subTest(params=params):
                response = self.client.get(AUTOCOMPLETE_API, params)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.json(), {"items": []})

    def test_the_search_box_knows_where_to_ask(self):
        response = self.page("fr")
        self.assertContains(response, f'data-autocomplete="{AUTOCOMPLETE_API}?locale=fr"')

    # SDG goals: a document per goal, in the language asked for.

    def test_each_sdg_goal_is_a_result_of_its_own(self):
        for locale, q, title in (
            ("nl", "onderwijs", "4. Kwaliteitsonderwijs"),
            ("en", "quality education", "4. Quality education"),
            ("fr", "education", "4. Éducation de qualité"),
        ):
            with self.subTest(locale=locale):
                item = self.api(q, locale=locale)["items"][0]
                self.assertEqual((item["title"], item["type"]), (title, "sdg"))
                self.assertEqual(item["url"], self.sdgs.full_url + "4/")
        counts = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in self.api(type="sdg")["facets"]}
        self.assertEqual(counts["sdg"], {str(number): 1 for number in range(1, 18)})
        self.assertEqual(self.titles("onderwijs", sdg="4"), ["4. Kwaliteitsonderwijs"])

    def test_without_words_or_facets_nothing_is_searched(self):
        for params in ({}, {"q": ""}, {"q": " "}, {"q": "%"}, {"q": '" -- ()'}):
            with self.subTest(params=params):
                response = self.client.get(SEARCH_API, params)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(
                    response.json(), {"count": 0, "searched_for": "", "suggestion": "", "items": [], "facets": []}
                )

    # update_search_index.

    def test_update_search_index_rebuilds_and_says_how_many_documents(self):
        imported = ContentPageFactory(parent=self.home, title="Zwemles op zondag")  # live, never published
        SearchDocument.objects.filter(kind="sdg").delete()
        SearchDocument.objects.filter(key=self.chess.translation_key).update(title="Verouderd", title_words="verouderd")
        self.assertEqual(self.titles("zwemles op zondag"), [])
        out, err = StringIO(), StringIO()
        call_command("update_search_index", stdout=out, stderr=err)
        written = int(re.fullmatch(r"Search index: (\d+) documents in \d+\.\d s\.\n", out.getvalue())[1])
        self.assertEqual(err.getvalue(), "")  # no page left out
        # Each language: the agenda, the chess evening, the content pages, the SDG overview and its 17 goals.
        pages = 1 + 1 + len(SWIMMING) + len(YOGA) + 1 + 1 + 18
        self.assertEqual(written, 3 * pages)
        self.assertEqual(SearchDocument.objects.count(), written)
        self.assertEqual(self.titles("zwemles op zondag"), [imported.title])
        self.assertEqual(self.titles("verouderd"), [])
        self.assertEqual(self.titles("onderwijs")[0], "4. Kwaliteitsonderwijs")


class QueryCountTests(SearchClient, TestCase):
    """The number of queries of a search does not grow with the number of results."""

    @classmethod
    def setUpTestData(cls):
        build_small_portal(cls, "Cursus koken", "Cursus naaien", "Cursus fotograferen")
        event(cls.agenda, "Cursus Spaans")
        event(cls.agenda, "Cursus tekenen", is_free=False, price="10.00")

    def queries(self, path, params) -> list[str]:
        self.client.get(path, params)  # what a running worker has loaded
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(path, params)
        self.assertEqual(response.status_code, 200)
        return queries_but_the_content_version(captured)

    def test_the_page_and_the_api_need_as_many_queries_for_5_as_for_40_results(self):
        cases = [
            (search_url("nl"), {"q": "cursus"}),
            (search_url("en"), {"q": "cursus", "type": "event"}),
            (search_url("nl"), {"q": "kursus"}),  # "did you mean"
            (search_url("nl"), {"type": "page"}),
            (SEARCH_API, {"q": "cursus", "limit": 5}),
            (SEARCH_API, {"q": "cursus", "limit": 1, "locale": "fr", "free": "yes", "type": ["page", "event"]}),
            (SEARCH_API, {"q": "kursus", "limit": 5}),
            (AUTOCOMPLETE_API, {"q": "cursus"}),
        ]
        self.assertEqual(self.api("cursus")["count"], 5)
        few = {str(case): self.queries(*case) for case in cases}

        pages = [ContentPageFactory(parent=self.home, title=f"Cursus {n}") for n in range(28)]
        index_keys(page.translation_key for page in pages)
        for n in range(7):
            event(self.agenda, f"Cursus {n} op avond")
        self.assertEqual(self.api("cursus")["count"], 40)
        self.assertEqual(self.api("kursus")["count"], 40)
        for case in cases:
            with self.subTest(case=case):
                many = self.queries(*case)
                self.assertEqual(len(many), len(few[str(case)]), "\n".join(many))
        response = self.page(q="cursus")
        self.assertEqual((response.context["result_count"], len(response.context["results"])), (40, 20))
