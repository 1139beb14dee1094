"""Which documents a search lists and in what order: facets and their counts, ranking, and what is never listed
(drafts, unpublished, deleted and private pages, other sites' pages)."""

from django.test import TestCase, override_settings
from wagtail.models import Page, PageViewRestriction, Site

from learningcity.models import SearchDocument
from learningcity.search.index import rebuild_index

from ..events.factories import EventIndexPageFactory, publish
from ..learningcity.factories import ContentPageFactory, HomePageFactory
from .utils import SearchClient, build_portal, event, long_ago, soon, translate

PARTNERS = ["Bibliotheek Lindeveld", "Museum Oosterhout"]


class FacetAndRankingTests(SearchClient, TestCase):
    """``lerende`` is in the summary of every event and partner: five events, two partners."""

    @classmethod
    def setUpTestData(cls):
        build_portal(cls)

    def counts(self, q="lerende", **chosen):
        return {
            facet["name"]: {value["value"]: value["count"] for value in facet["values"]}
            for facet in self.api(q, **chosen)["facets"]
        }

    def assert_counts_are_what_choosing_the_value_gives(self, q="lerende", **chosen):
        """Each value's count is the number of results when it is chosen instead of its facet's other values."""
        picked = {name: [values] if isinstance(values, str) else values for name, values in chosen.items()}
        data = self.api(q, **chosen)
        self.assertTrue(data["facets"])
        for facet in data["facets"]:
            for value in facet["values"]:
                with self.subTest(chosen=chosen, facet=facet["name"], value=value["value"]):
                    narrowed = {**chosen, facet["name"]: value["value"]}
                    self.assertEqual(self.api(q, **narrowed)["count"], value["count"])
                    self.assertEqual(value["chosen"], value["value"] in picked.get(facet["name"], []))

    def test_counts_per_value(self):
        counts = self.counts()
        self.assertEqual(self.api("lerende")["count"], 7)
        self.assertEqual(counts["type"], {"event": 5, "partner": 2})
        self.assertEqual(counts["theme"], {"stem": 2, "arts-culture": 2, "citizenship": 2})
        self.assertEqual(counts["audience"], {"children": 1, "adults": 1, "seniors": 1, "newcomers": 1})
        self.assertEqual(counts["municipality"], {"99001": 3, "99002": 2})
        self.assertEqual(counts["free"], {"yes": 4})
        # An event without ages is for everyone; the robots are for 8 to 12.
        self.assertEqual(counts["age"], {"0-4": 4, "4-12": 5, "12-18": 5, "adults": 4, "seniors": 4})
        self.assertNotIn("sdg", counts)  # no value has results: the facet is left out

    def test_each_count_is_what_choosing_the_value_gives(self):
        self.assert_counts_are_what_choosing_the_value_gives()

    def test_two_facets_narrow_and_each_keeps_its_other_values(self):
        self.assertEqual(len(self.titles("lerende", type="event")), 5)
        both = self.titles("lerende", type="event", municipality="99001")
        self.assertCountEqual(both, ["Taalcafé Nederlands", "Breien voor beginners"])
        counts = self.counts(type="event", municipality="99001")
        # Disjunctive: a chosen facet still counts its other values (with the other facet's choice applied).
        self.assertEqual(counts["type"], {"event": 2, "partner": 1})
        self.assertEqual(counts["municipality"], {"99001": 2, "99002": 1})
        self.assertEqual(counts["theme"], {"citizenship": 1, "arts-culture": 1})
        self.assert_counts_are_what_choosing_the_value_gives(type="event", municipality="99001")

    def test_values_of_one_facet_are_alternatives(self):
        stem = self.titles("lerende", theme="stem")
        self.assertCountEqual(stem, ["STEM-workshop: robots bouwen", "Breien"])
        either = self.titles("lerende", theme=["stem", "citizenship"])
        self.assertCountEqual(either, [*stem, "Taalcafé Nederlands", "Bordspellenmiddag"])
        counts = self.counts(theme=["stem", "citizenship"])
        self.assertEqual(counts["theme"], {"stem": 2, "arts-culture": 2, "citizenship": 2})
        self.assertEqual(counts["type"], {"event": 4})

    def test_a_facet_without_words_lists_its_documents(self):
        self.assertCountEqual(self.titles(type="partner"), PARTNERS)
        self.assertCountEqual(self.titles(type="childcentre", age="0-4"), ["Kindcentrum De Regenboog"])
        self.assertEqual(self.titles(type="childcentre", age="12-18"), [])

    def test_the_page_shows_the_facets_with_counts_and_the_chosen_values_checked(self):
        response = self.page("en", q="lerende", type="event")
        self.assertEqual(response.status_code, 200)
        facets = {
            facet.name: {v.value: (v.count, v.chosen) for v in facet.values} for facet in response.context["facets"]
        }
        # In English the café is its translation, whose summary has other words.
        self.assertEqual(facets["type"], {"event": (4, True), "partner": (2, False)})
        self.assertContains(response, 'name="type" value="event" id="facet-type-event" checked', html=False)
        self.assertContains(response, '<h2 id="results-heading" aria-live="polite">4 results</h2>', html=True)

    # Ranking.

    def test_a_title_holding_the_word_comes_before_a_text_holding_it(self):
        self.assertEqual(self.titles("schaakclub"), ["Schaakclub De Toren", "Bordspellenmiddag"])
        response = self.page(q="schaakclub")
        self.assertEqual([result.title for result in response.context["results"]], self.titles("schaakclub"))

    def test_an_event_with_dates_to_come_before_one_without(self):
        data = self.api("breien")
        self.assertEqual([item["title"] for item in data["items"]], ["Breien voor beginners", "Breien"])
        self.assertIsNotNone(data["items"][0]["next_start"])
        self.assertIsNone(data["items"][1]["next_start"])

    def test_the_next_date_follows_an_event_whose_dates_change(self):
        self.knitting.start_date = long_ago(10)
        publish(self.knitting)
        self.knitting_past.start_date = soon(3)
        publish(self.knitting_past)
        data = self.api("breien")
        self.assertEqual([item["title"] for item in data["items"]], ["Breien", "Breien voor beginners"])
        self.assertIsNotNone(data["items"][0]["next_start"])
        self.assertIsNone(data["items"][1]["next_start"])
        self.assertEqual(self.autocomplete("breien"), ["Breien", "Breien voor beginners"])

    def test_results_say_what_they_are_and_link_to_the_page(self):
        (item,) = self.api("robots")["items"]
        self.assertEqual((item["type"], item["page_id"]), ("event", self.robots.pk))
        self.assertEqual(item["url"], "http://testserver" + self.robots.url)
        (item,) = self.api("robots", locale="en")["items"]  # no English translation: the Dutch page
        self.assertEqual(item["url"], "http://testserver" + self.robots.url)
        (item,) = self.api("language", locale="en")["items"]
        self.assertEqual((item["page_id"], item["url"]), (self.cafe_en.pk, "http://testserver" + self.cafe_en.url))
        self.assertTrue(item["url"].startswith("http://testserver/en/agenda/"), item["url"])
        (item,) = self.api("bibliotheque", locale="fr")["items"]
        self.assertEqual((item["type"], item["page_id"]), ("partner", self.library_fr.pk))
        self.assertTrue(item["url"].startswith("http://testserver/fr/"), item["url"])
        response = self.page(q="robots")
        self.assertContains(response, f'<a href="{self.robots.url}">STEM-workshop: robots bouwen</a>', html=True)

    def test_limit_and_offset_page_through_the_same_order(self):
        everything = self.titles("lerende")
        self.assertEqual(len(everything), 7)
        pages = [self.api("lerende", limit=3, offset=offset) for offset in (0, 3, 6)]
        self.assertEqual([item["title"] for page in pages for item in page["items"]], everything)
        self.assertEqual({page["count"] for page in pages}, {7})


class VisibilityTests(SearchClient, TestCase):
    @classmethod
    def setUpTestData(cls):
        build_portal(cls)

    def assert_not_found(self, q, title, locales=("nl", "en", "fr")):
        for locale in locales:
            with self.subTest(q=q, locale=locale):
                self.assertNotIn(title, self.titles(q, locale=locale))
                self.assertNotIn(title, self.autocomplete(q, locale=locale))

    def test_a_page_published_later_is_found_in_every_language(self):
        event(self.agenda, "Zwemles voor volwassenen")
        for locale in ("nl", "en", "fr"):
            self.assertEqual(self.titles("zwemles", locale=locale), ["Zwemles voor volwassenen"])
        self.assertEqual(self.autocomplete("zwem"), ["Zwemles voor volwassenen"])

    def test_a_page_never_published_is_never_listed(self):
        ContentPageFactory(parent=self.home, title="Zwemles in ontwerp", live=False)
        rebuild_index()
        self.assert_not_found("zwemles", "Zwemles in ontwerp")

    def test_a_draft_of_a_live_page_is_not_searched(self):
        self.robots.title = "Drones programmeren"
        with self.captureOnCommitCallbacks(execute=True):
            self.robots.save_revision()
        self.assertEqual(self.titles("drones"), [])
        self.assertEqual(self.titles("robots"), ["STEM-workshop: robots bouwen"])
        publish(self.robots)
        self.assertEqual(self.titles("drones"), ["Drones programmeren"])
        self.assertEqual(self.titles("robots"), [])

    def test_a_translation_published_later_replaces_the_source_page_in_its_language(self):
        translate(self.robots, self.locales["en"], title="Building robots")
        self.assertEqual(self.titles("robots", locale="en"), ["Building robots"])
        self.assertEqual(self.titles("robots", locale="fr"), ["STEM-workshop: robots bouwen"])
        self.assertEqual(self.titles("robots"), ["STEM-workshop: robots bouwen"])

    def test_unpublishing_removes_a_page_in_every_language(self):
        self.assertEqual(self.titles("robots"), ["STEM-workshop: robots bouwen"])
        with self.captureOnCommitCallbacks(execute=True):
            self.robots.unpublish()
        self.assert_not_found("robots", "STEM-workshop: robots bouwen")
        self.assertFalse(SearchDocument.objects.filter(key=self.robots.translation_key).exists())
        publish(self.robots)  # and publishing it again brings it back
        self.assertEqual(self.titles("robots", locale="fr"), ["STEM-workshop: robots bouwen"])

    def test_a_deleted_page_is_gone(self):
        with self.captureOnCommitCallbacks(execute=True):
            Page.objects.get(pk=self.museum.pk).delete()
        self.assert_not_found("museum", "Museum Oosterhout")

    def test_an_unpublished_translation_leaves_its_language_to_the_source_page(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.library_fr.unpublish()
        found = self.titles("lindeveld", locale="fr")
        self.assertIn("Bibliotheek Lindeveld", found)
        self.assertNotIn("Bibliothèque Lindeveld", found)

    def test_a_page_with_a_view_restriction_is_never_listed_nor_suggested(self):
        PageViewRestriction.objects.create(page=self.robots, restriction_type=PageViewRestriction.LOGIN)
        PageViewRestriction.objects.create(
            page=self.library, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )
        self.assert_not_found("robots", "STEM-workshop: robots bouwen")
        # Its French translation is a page of its own, without a restriction.
        self.assert_not_found("bibliotheek", "Bibliotheek Lindeveld", locales=("nl", "en"))
        self.assertEqual(self.api("biblioteek")["suggestion"], "")  # no spelling taken from a private title
        self.assertEqual(self.api("lerende")["count"], 5)
        counts = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in self.api("lerende")["facets"]}
        self.assertEqual(counts["type"], {"event": 4, "partner": 1})

    def test_everything_under_a_restricted_page_is_private(self):
        PageViewRestriction.objects.create(page=self.directory, restriction_type=PageViewRestriction.LOGIN)
        self.assertEqual(self.titles(type="partner"), [])
        self.assertEqual(self.autocomplete("museum"), [])
        self.assertEqual(self.titles("taalcafé"), ["Taalcafé Nederlands"])

    @override_settings(ALLOWED_HOSTS=["testserver", "elders.example"])
    def test_only_the_requesting_sites_pages_are_listed(self):
        other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="elders", locale=self.locales["nl"])
        Site.objects.create(hostname="elders.example", port=80, root_page=other_home, site_name="Elders")
        other_agenda = EventIndexPageFactory(parent=other_home)
        event(other_agenda, "Zwemles in Elders")
        self.assertEqual(self.titles("zwemles"), [])
        self.assertEqual(self.autocomplete("zwemles"), [])
        self.assertEqual(self.page(q="zwemles").context["result_count"], 0)
        there = self.client.get("/api/v3/search/", {"q": "zwemles"}, HTTP_HOST="elders.example").json()
        self.assertEqual([item["title"] for item in there["items"]], ["Zwemles in Elders"])
        self.assertTrue(there["items"][0]["url"].startswith("http://elders.example/"), there["items"][0]["url"])
        # Moved to the other site, a page leaves this one's results.
        with self.captureOnCommitCallbacks(execute=True):
            Page.objects.get(pk=self.robots.pk).move(other_agenda, pos="last-child")
        self.assertEqual(self.titles("robots"), [])
        there = self.client.get("/api/v3/search/", {"q": "robots"}, HTTP_HOST="elders.example").json()
        self.assertEqual([item["title"] for item in there["items"]], ["STEM-workshop: robots bouwen"])
