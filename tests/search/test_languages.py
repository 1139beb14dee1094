"""What a word finds in each language: parts of compounds, accents, stemming (PostgreSQL), misspellings.

The same questions are asked on both databases where both answer them; stemming and ``pg_trgm`` are PostgreSQL's,
and the SQLite tests pin down what the fallback does instead.
"""

from django.test import TestCase

from learningcity.models import SearchDocument, SearchWord
from learningcity.search.index import rebuild_index

from ..events.factories import publish
from .utils import SearchClient, build_portal, postgres_only, sqlite_only


class MatchingTests(SearchClient, TestCase):
    @classmethod
    def setUpTestData(cls):
        build_portal(cls)

    # Dutch.

    def test_the_first_part_of_a_compound_finds_it(self):
        self.assertEqual(self.titles("taal"), ["Taalcafé Nederlands"])

    def test_a_word_of_a_hyphenated_title_finds_it(self):
        self.assertEqual(self.titles("robot"), ["STEM-workshop: robots bouwen"])
        self.assertEqual(self.titles("workshop"), ["STEM-workshop: robots bouwen"])

    def test_with_or_without_accent_and_in_any_case_the_last_part_of_a_compound_finds_it(self):
        for q in ("cafe", "café", "CAFÉ", "Cafe"):
            with self.subTest(q=q):
                self.assertEqual(self.titles(q), ["Taalcafé Nederlands"])

    def test_every_word_must_be_found(self):
        self.assertEqual(self.titles("taalcafé nederlands"), ["Taalcafé Nederlands"])
        self.assertEqual(self.titles("taalcafé robots"), [])

    def test_a_misspelt_word_is_searched_as_the_closest_title_word_and_the_answer_says_so(self):
        data = self.api("biblioteek")
        self.assertEqual(data["suggestion"], "bibliotheek")
        self.assertEqual(data["searched_for"], "bibliotheek")
        self.assertEqual([item["title"] for item in data["items"]], ["Bibliotheek Lindeveld"])

    def test_a_query_that_finds_something_suggests_nothing(self):
        data = self.api("bibliotheek")
        self.assertEqual((data["suggestion"], data["searched_for"]), ("", "bibliotheek"))
        self.assertEqual([item["title"] for item in data["items"]], ["Bibliotheek Lindeveld"])

    def test_nothing_like_any_title_finds_nothing_and_suggests_nothing(self):
        data = self.api("xylofoonqwz")
        self.assertEqual((data["count"], data["items"], data["suggestion"]), (0, [], ""))

    def test_the_vocabulary_holds_each_languages_title_words_as_pages_are_published(self):
        self.assertTrue(SearchWord.objects.filter(locale=self.locales["nl"], word="bibliotheek").exists())
        self.assertTrue(SearchWord.objects.filter(locale=self.locales["fr"], word="bibliotheque").exists())
        self.assertFalse(SearchWord.objects.filter(locale=self.locales["nl"], word="bibliotheque").exists())
        self.assertFalse(SearchWord.objects.filter(word__in=["de", "la"]).exists())  # too short to suggest
        self.library.title = "Mediatheek Lindeveld"
        with self.captureOnCommitCallbacks(execute=True):
            publish(self.library)
        data = self.api("mediateek")
        self.assertEqual((data["suggestion"], data["count"]), ("mediatheek", 1))

    def test_a_word_no_title_holds_any_more_is_not_suggested(self):
        self.assertEqual(self.api("regnboog")["suggestion"], "regenboog")
        self.centre.title = "Kindcentrum De Zonnebloem"
        with self.captureOnCommitCallbacks(execute=True):
            publish(self.centre)
        # The old word stays in the vocabulary until the next rebuild, but finds nothing, so it is not offered.
        self.assertTrue(SearchWord.objects.filter(locale=self.locales["nl"], word="regenboog").exists())
        data = self.api("regnboog")
        self.assertEqual((data["suggestion"], data["count"], data["searched_for"]), ("", 0, "regnboog"))
        rebuild_index()
        self.assertFalse(SearchWord.objects.filter(locale=self.locales["nl"], word="regenboog").exists())
        self.assertTrue(SearchWord.objects.filter(locale=self.locales["nl"], word="zonnebloem").exists())

    def test_the_page_says_what_it_searched_instead(self):
        response = self.page(q="biblioteek")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="search-suggestion"')
        self.assertContains(response, "<strong>bibliotheek</strong>", html=False)
        self.assertContains(response, "Bibliotheek Lindeveld")

    def test_labels_and_places_are_found_in_the_language_asked_for(self):
        stem = ["STEM-workshop: robots bouwen", "Breien"]
        self.assertCountEqual(self.titles("wiskunde"), stem)
        self.assertCountEqual(self.titles("maths", locale="en"), stem)
        self.assertCountEqual(self.titles("mathématiques", locale="fr"), stem)
        self.assertEqual(self.titles("maths"), [])
        found = self.titles("oosterhout")
        self.assertCountEqual(found, ["Museum Oosterhout", "STEM-workshop: robots bouwen", "Kindcentrum De Regenboog"])
        self.assertEqual(found[0], "Museum Oosterhout")  # the title match first

    # English: a translation is searched in English, a page without one in its own language.

    def test_english_finds_the_translation_and_the_dutch_pages_without_one(self):
        for q in ("language", "café", "CAFE"):
            with self.subTest(q=q):
                self.assertEqual(self.titles(q, locale="en"), ["Dutch language café"])
        self.assertEqual(self.titles("robot", locale="en"), ["STEM-workshop: robots bouwen"])
        self.assertEqual(self.titles("taalcafé", locale="en"), [])  # its English page has another title
        self.assertEqual(self.titles("taalcafé", locale="fr"), ["Taalcafé Nederlands"])  # no French translation

    # French.

    def test_french_with_or_without_accents(self):
        for q in ("bibliothèque", "bibliotheque", "BIBLIOTHÈQUE", "Bibliothéque"):
            with self.subTest(q=q):
                self.assertEqual(self.titles(q, locale="fr"), ["Bibliothèque Lindeveld"])

    def test_each_language_has_a_document_per_page(self):
        self.assertEqual(self.documents, 3 * SearchDocument.objects.filter(locale=self.locales["nl"]).count())
        titles = set(SearchDocument.objects.filter(locale=self.locales["fr"]).values_list("title", flat=True))
        self.assertIn("Bibliothèque Lindeveld", titles)
        self.assertNotIn("Bibliotheek Lindeveld", titles)
        self.assertIn("Taalcafé Nederlands", titles)

    # PostgreSQL: stemming per language and pg_trgm.

    @postgres_only
    def test_dutch_stemming(self):
        self.assertEqual(self.titles("bibliotheken"), ["Bibliotheek Lindeveld"])
        self.assertEqual(self.titles("workshops"), ["STEM-workshop: robots bouwen"])
        self.assertEqual(self.titles("bouwt robot"), [])  # "bouwt" is not a form of "bouwen" to the stemmer
        self.assertEqual(self.api("bibliotheken")["suggestion"], "")

    @postgres_only
    def test_english_stemming(self):
        self.assertEqual(self.titles("languages", locale="en"), ["Dutch language café"])
        self.assertEqual(self.api("languages", locale="en")["suggestion"], "")

    @postgres_only
    def test_french_stemming_without_accents(self):
        for q in ("bibliothèques", "bibliotheques"):
            with self.subTest(q=q):
                self.assertEqual(self.titles(q, locale="fr"), ["Bibliothèque Lindeveld"])

    @postgres_only
    def test_misspellings_in_english_and_french(self):
        data = self.api("languge", locale="en")
        self.assertEqual(data["suggestion"], "language")
        self.assertEqual([item["title"] for item in data["items"]], ["Dutch language café"])
        data = self.api("biblioteque", locale="fr")
        self.assertEqual(data["suggestion"], "bibliotheque")
        self.assertEqual([item["title"] for item in data["items"]], ["Bibliothèque Lindeveld"])

    @postgres_only
    def test_documents_have_a_vector_in_their_own_language(self):
        self.assertFalse(SearchDocument.objects.filter(vector__isnull=True).exists())
        languages = dict(
            SearchDocument.objects.filter(title__in=["Dutch language café", "Bibliothèque Lindeveld"]).values_list(
                "title", "language"
            )
        )
        self.assertEqual(languages, {"Dutch language café": "en", "Bibliothèque Lindeveld": "fr"})

    # SQLite: words inside the indexed text, no stemming; difflib for misspellings.

    @sqlite_only
    def test_the_fallback_finds_words_inside_the_text_without_stemming(self):
        self.assertFalse(SearchDocument.objects.filter(vector__isnull=False).exists())
        # Another form of a word finds nothing as such: the closest title word is searched instead, and said.
        for q, locale, suggestion in (("bibliotheken", "nl", "bibliotheek"), ("languages", "en", "language")):
            with self.subTest(q=q):
                self.assertEqual(self.api(q, locale=locale)["suggestion"], suggestion)
        self.assertEqual(self.titles("languag", locale="en"), ["Dutch language café"])
        self.assertEqual(self.titles("obots"), ["STEM-workshop: robots bouwen"])  # any part of a word

    @sqlite_only
    def test_the_fallback_suggests_close_title_words_in_each_language(self):
        data = self.api("languge", locale="en")
        self.assertEqual(
            (data["suggestion"], [item["title"] for item in data["items"]]), ("language", ["Dutch language café"])
        )
        data = self.api("biblioteque", locale="fr")
        self.assertEqual(data["suggestion"], "bibliotheque")
        self.assertEqual([item["title"] for item in data["items"]], ["Bibliothèque Lindeveld"])
