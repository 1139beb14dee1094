"""The search page and the box in every page's header; parameters the page and the API refuse; hostile input."""

import re
from urllib.parse import urlencode

from django.test import TestCase

from learningcity.models import SearchDocument

from .utils import AUTOCOMPLETE_API, PROBLEM, SEARCH_API, SearchClient, build_small_portal, search_url

SITE_SEARCH_FORM = re.compile(r'<form class="site-search"[^>]*>')
SEARCH_LANDMARK = re.compile(r'<form [^>]*role="search"[^>]*>')
# Words a query syntax would read (tsquery, FTS5, LIKE, SQL), and texts no search box sends.
HOSTILE = (
    '"',
    "'",
    "&|!:*()",
    "a & b | !c",
    "taal:*",
    "schaak:* & !avond",
    "(schaak",
    "<->",
    "\\",
    "%",
    "_",
    "%_%",
    "' OR '1'='1",
    "'; DROP TABLE learningcity_searchdocument; --",
    "1) UNION SELECT password FROM auth_user --",
    "<script>alert(1)</script>",
    "\u202eavond",
    "\u0301",
    "ǅ ﬁ ß ² ½ ٣",
    "🙂 schaak",
    "a " * 100,
    " ".join(f"w{n}" for n in range(40)),  # more words than are searched
    "x" * 200,
    "schaakavond" * 18,
)
TOO_LONG = "a" * 10_000


def attributes(tag: str) -> dict[str, str]:
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


class SearchPageTests(SearchClient, TestCase):
    @classmethod
    def setUpTestData(cls):
        build_small_portal(cls, "Schaakles voor kinderen")

    def test_results_with_their_count_in_a_search_landmark(self):
        response = self.page("en", q="schaak")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<h2 id="results-heading" aria-live="polite">2 results</h2>', html=True)
        self.assertContains(response, f'<a href="{self.chess.url}">Schaakavond</a>', html=True)
        self.assertContains(response, '<meta name="robots" content="noindex">', html=True)
        self.assertEqual(response.context["result_count"], 2)
        landmarks = [attributes(tag) for tag in SEARCH_LANDMARK.findall(response.content.decode())]
        self.assertEqual(len(landmarks), 2)  # the header's box and the page's own form
        labels = [landmark.get("aria-label", "") for landmark in landmarks]
        self.assertTrue(all(labels), labels)
        self.assertEqual(len(set(labels)), 2, "two search landmarks need different names")
        self.assertContains(response, 'name="q" id="search-page-q" value="schaak"', html=False)

    def test_the_query_is_shown_escaped(self):
        response = self.page("en", q='"><script>alert(1)</script>')
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<script>alert(1)")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_dutch_and_french_pages(self):
        for language in ("nl", "fr"):
            with self.subTest(language=language):
                response = self.page(language, q="schaakavond")
                self.assertEqual(response.status_code, 200)
                heading = re.search(r'<h2 id="results-heading"[^>]*>([^<]*)</h2>', response.content.decode())
                self.assertTrue(heading[1].startswith("1 "), heading[1])
                self.assertContains(response, f'lang="{language}"')

    def test_one_result_and_none(self):
        response = self.page("en", q="schaakavond")
        self.assertContains(response, '<h2 id="results-heading" aria-live="polite">1 result</h2>', html=True)
        response = self.page("en", q="qqqqzz")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<h2 id="results-heading" aria-live="polite">0 results</h2>', html=True)
        self.assertContains(response, 'class="empty-state"')

    def test_without_a_query_the_page_asks_for_one(self):
        for params in ({}, {"q": ""}, {"q": "   "}, {"q": "%"}, {"q": "?! *"}):
            with self.subTest(params=params):
                response = self.page("en", **params)
                self.assertEqual(response.status_code, 200)
                self.assertFalse(response.context["searched"])
                self.assertNotContains(response, "results-heading")

    def test_every_page_has_the_search_box_in_its_header(self):
        pages = {
            "home": self.home.url,
            "event": self.chess.url,
            "content page": self.pages[0].url,
            "sdg goal": self.sdgs.url + "4/",
            "english home": self.home.get_translation(self.locales["en"]).url,
            "search": search_url("nl"),
            "not found": "/nl/bestaat-niet/",
        }
        for name, url in pages.items():
            with self.subTest(page=name, url=url):
                response = self.client.get(url)
                self.assertIn(response.status_code, (200, 404))
                (form,) = SITE_SEARCH_FORM.findall(response.content.decode())
                form = attributes(form)
                self.assertEqual(form["role"], "search")
                self.assertTrue(form["aria-label"])
                self.assertEqual(form["action"], search_url(url.split("/")[1]))
                # Named for screen readers; the "Search" button beside the box says it to everyone else.
                self.assertContains(
                    response, '<label for="site-search-q" class="visually-hidden">', status_code=response.status_code
                )
                self.assertContains(
                    response, 'name="q" id="site-search-q"', html=False, status_code=response.status_code
                )

    def test_the_search_page_is_translated_with_its_query(self):
        response = self.page("nl", q="schaak")
        links = {link.language_code: link.url for link in response.wsgi_request._leerstad_language_links}
        self.assertEqual(links["en"], search_url("en") + "?q=schaak")
        self.assertEqual(links["fr"], search_url("fr") + "?q=schaak")

    def test_pages_beyond_the_last_show_the_last(self):
        self.assertEqual(self.page("nl", q="schaak", page="999").status_code, 200)

    # Refused parameters: a 400 naming the parameter, never a 500.

    def assert_page_names(self, query: str, name: str):
        response = self.client.get(f"{search_url('nl')}?{query}")
        self.assertEqual(response.status_code, 400, query)
        self.assertIn(name, response.context["filter_errors"])
        self.assertContains(response, 'role="search"', status_code=400)

    def assert_api_names(self, path: str, query: str, name: str):
        response = self.client.get(f"{path}?{query}")
        self.assertEqual(response.status_code, 400, query)
        self.assertEqual(response["Content-Type"], PROBLEM)
        self.assertIn(name, {error["loc"][1] for error in response.json()["errors"]})

    def test_refused_parameters_are_named(self):
        cases = {
            "type": "q=schaak&type=nope",
            "age": "age=40",
            "sdg": "sdg=18",
            "municipality": "municipality=00000",
            "free": "free=no",
            "q": "q=a&q=b",
            "page": "q=schaak&page=abc",
            "foo": "q=schaak&foo=1",
        }
        for name, query in cases.items():
            with self.subTest(name=name):
                self.assert_page_names(query, name)
                if name != "page":
                    self.assert_api_names(SEARCH_API, query, name)
        self.assert_api_names(SEARCH_API, "q=schaak&page=2", "page")
        self.assert_api_names(SEARCH_API, "q=schaak&limit=0", "limit")
        self.assert_api_names(SEARCH_API, "q=schaak&offset=-1", "offset")
        self.assert_api_names(SEARCH_API, "q=schaak&locale=xx", "locale")
        self.assert_api_names(SEARCH_API, "q=schaak&locale=nl&locale=en", "locale")
        self.assert_api_names(AUTOCOMPLETE_API, "q=schaak&type=event", "type")
        self.assert_api_names(AUTOCOMPLETE_API, "q=schaak&offset=5", "offset")
        self.assert_api_names(AUTOCOMPLETE_API, "q=a&q=b", "q")

    def test_a_long_query_or_a_nul_is_refused_by_name(self):
        for q in (TOO_LONG, "a\x00b", "x" * 201):
            with self.subTest(q=q[:12]):
                self.assert_page_names(urlencode({"q": q}), "q")
                self.assert_api_names(SEARCH_API, urlencode({"q": q}), "q")
                self.assert_api_names(AUTOCOMPLETE_API, urlencode({"q": q}), "q")

    def test_hostile_queries_are_answered(self):
        # The page and the API search alike; each language has its own text-search configuration.
        paths = [search_url("nl"), *(f"{SEARCH_API}?locale={language}&" for language in ("nl", "en", "fr"))]
        paths += [f"{AUTOCOMPLETE_API}?locale=fr&"]
        for path in paths:
            for q in (*HOSTILE, TOO_LONG, "a\x00b"):
                with self.subTest(path=path, q=q[:20]):
                    separator = "" if path.endswith("&") else "?"
                    response = self.client.get(f"{path}{separator}{urlencode({'q': q})}")
                    self.assertIn(response.status_code, (200, 400), response.content[:300])
                    if q in HOSTILE:
                        self.assertEqual(response.status_code, 200)

    def test_query_syntax_is_read_as_words(self):
        self.assertEqual(self.titles("schaak:* & !avond"), ["Schaakavond"])
        self.assertEqual(self.titles('"Schaakavond'), ["Schaakavond"])
        self.assertCountEqual(self.titles("(schaak"), ["Schaakles voor kinderen", "Schaakavond"])
        self.assertEqual(self.titles("'; DROP TABLE learningcity_searchdocument; --"), [])
        self.assertEqual(SearchDocument.objects.count(), self.documents)
