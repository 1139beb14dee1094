"""Search statements built once per shape and filled with each search's words (``learningcity.search.statements``):
the filled statement is the one the ORM would build for those words, and whatever changes what a visitor may find
(a view restriction, the site's root) gives a statement of its own."""

from django.test import SimpleTestCase, TestCase
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from wagtail.models import Locale, PageViewRestriction, Site

from learningcity.search import query
from learningcity.search.statements import Statement, fill, marks
from learningcity.search.text import query_words

from ..learningcity.factories import HomePageFactory
from .utils import SearchClient, build_portal, event, postgres_only

# What query_words() can give: folded letters and digits, among them the letters the index folds to.
WORDS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789éüçœ", min_size=1, max_size=12), max_size=8)


class StatementTests(SimpleTestCase):
    def test_a_statement_is_built_once_per_shape_and_number_of_words(self):
        built = []

        def build(shape, words):
            built.append((shape, len(words)))
            return "SELECT %s, %s, %s", [shape, " | ".join(f"{word}:*" for word in words), 7]

        statement = Statement(build)
        self.assertEqual(statement("nl", ["taal"]), ("SELECT %s, %s, %s", ["nl", "taal:*", 7]))
        self.assertEqual(statement("nl", ["robot"]), ("SELECT %s, %s, %s", ["nl", "robot:*", 7]))
        self.assertEqual(statement("nl", ["taal", "cafe"])[1], ["nl", "taal:* | cafe:*", 7])
        self.assertEqual(statement("fr", ["langue"])[1], ["fr", "langue:*", 7])
        self.assertEqual(built, [("nl", 1), ("nl", 2), ("fr", 1)])

    def test_the_shapes_kept_are_bounded(self):
        built = []
        statement = Statement(lambda shape, words: (built.append(shape) or "SELECT %s", [*words]), size=2)
        for shape in ("a", "b", "c", "a"):
            statement(shape, ["woord"])
        self.assertEqual(built, ["a", "b", "c", "a"])  # "a" was let go for "c"

    def test_no_query_word_holds_a_mark(self):
        for mark in marks(8):
            self.assertEqual(query_words(f"taal{mark}cafe"), ["taal", mark[1:-1], "cafe"])
        self.assertEqual(fill("%\u20450\u2046% \u20451\u2046", ["a", "b"]), "%a% b")
        self.assertEqual(fill(12, ["a"]), 12)

    def test_query_words_are_letters_and_digits(self):
        # An underscore is a LIKE wildcard: it separates words, as punctuation does.
        self.assertEqual(query_words("e_learning 3D-printen Taalcafé"), ["e", "learning", "3d", "printen", "taalcafe"])


class FilledStatementTests(HypothesisTestCase):
    """On either database the filled statement is the ORM's own for the words (on SQLite the search does not use
    them, but they build all the same)."""

    def setUp(self):
        self.locale = Locale.objects.get_or_create(language_code="nl")[0]
        self.site = Site.objects.get(is_default_site=True)
        Site.clear_site_root_paths_cache()  # another test's sites may be kept there
        self.assertTrue(query.visibility(self.locale, self.site)[3], "the site has a root")

    def test_a_site_without_roots_finds_nothing(self):
        shape = (query.visibility(self.locale, None), ())
        self.assertIsNone(query.FOUND(shape, ["taal"]))
        self.assertEqual(query.search(query.SearchRequest("taal", self.locale, None)).count, 0)
        self.assertEqual(query.autocomplete("taal", self.locale, None), [])

    @settings(max_examples=60, deadline=None)
    @given(words=WORDS, chosen=st.sampled_from([(), (("type", ("event",)),), (("theme", ("stem", "arts-culture")),)]))
    def test_the_search_statement_for_any_words_is_the_orms(self, words, chosen):
        words = list(dict.fromkeys(words))
        shape = (query.visibility(self.locale, self.site), chosen)
        sql, params = query._found_statement(shape, words)
        self.assertEqual(query.FOUND(shape, words), (sql, list(params)))

    @settings(max_examples=40, deadline=None)
    @given(words=WORDS.filter(bool), limit=st.integers(1, 10))
    def test_the_autocomplete_statement_for_any_words_is_the_orms(self, words, limit):
        words = list(dict.fromkeys(words))
        shape = (query.visibility(self.locale, self.site), limit)
        sql, params = query._autocomplete_statement(shape, words)
        self.assertEqual(query.AUTOCOMPLETE(shape, words), (sql, list(params)))

    @postgres_only  # pg_trgm's similarity
    @settings(max_examples=30, deadline=None)
    @given(word=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=20))
    def test_the_close_words_statement_for_any_word_is_the_orms(self, word):
        sql, params = query._close_words_statement(self.locale, [word])
        self.assertEqual(query.CLOSE_WORDS(self.locale, [word]), (sql, list(params)))


class WhatChangesTheStatementTests(SearchClient, TestCase):
    """A search after a change that hides pages does not reuse the statement of the search before it."""

    @classmethod
    def setUpTestData(cls):
        build_portal(cls)

    def test_a_new_view_restriction_hides_the_page_from_the_next_search(self):
        self.assertIn("STEM-workshop: robots bouwen", self.titles("robots"))
        self.assertIn("STEM-workshop: robots bouwen", self.autocomplete("robots"))
        PageViewRestriction.objects.create(page=self.robots, restriction_type=PageViewRestriction.LOGIN)
        self.assertEqual(self.titles("robots"), [])
        self.assertEqual(self.titles("workshop"), [])  # another word, the same shape
        self.assertEqual(self.autocomplete("robots"), [])

    def test_a_new_root_of_the_site_takes_the_old_trees_pages_out_of_its_results(self):
        self.assertIn("Taalcafé Nederlands", self.titles("taalcafe"))
        new_home = HomePageFactory(parent=self.home.get_parent(), slug="nieuw", locale=self.locales["nl"])
        event(new_home, "Taalcafé in het nieuwe huis")
        site = Site.objects.get(is_default_site=True)
        site.root_page = new_home
        site.save()  # Wagtail forgets the root paths it kept
        self.addCleanup(Site.clear_site_root_paths_cache)  # the roll-back does not
        self.assertEqual(self.titles("taalcafe"), ["Taalcafé in het nieuwe huis"])
        self.assertEqual(self.autocomplete("taalcafe"), ["Taalcafé in het nieuwe huis"])
