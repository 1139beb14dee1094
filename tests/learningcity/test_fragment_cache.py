"""Cached page fragments (menu, language switcher, footer): fewer queries, and an edit shows at once."""

import re
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import SimpleTestCase, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from learningcity.caching import content_version
from learningcity.models import LearningCitySettings
from tests.learningcity.factories import ContentPageFactory
from tests.learningcity.utils import make_portal, sync_translation
from tests.passes import database_independent


@override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300)
class FragmentCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.about = ContentPageFactory(parent=cls.home, title="Over ons", slug="over-ons", show_in_menus=True)
        english = sync_translation(cls.about, cls.locales["en"])
        english.slug = "about-us"
        english.save_revision().publish()
        # Made on first use otherwise, which renews the content version between a test's first two requests.
        LearningCitySettings.for_site(Site.objects.get(is_default_site=True))

    def setUp(self):
        cache.clear()

    def queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(captured)

    def test_a_second_request_reuses_the_menu_switcher_and_footer(self):
        first = self.queries("/nl/over-ons/")
        second = self.queries("/nl/over-ons/")
        self.assertLess(second, first)
        response = self.client.get("/nl/over-ons/")
        self.assertContains(response, 'aria-current="page">Over ons</a>')
        self.assertContains(response, 'hreflang="en"')

    def test_publishing_a_page_changes_the_menu_on_the_next_request(self):
        self.assertNotContains(self.client.get("/nl/"), ">Nieuws</a>")
        before = content_version()
        ContentPageFactory(parent=self.home, title="Nieuws", slug="nieuws", show_in_menus=True)
        self.assertNotEqual(content_version(), before)
        self.assertContains(self.client.get("/nl/"), ">Nieuws</a>")

    def test_changing_the_site_settings_changes_the_footer_and_title(self):
        self.client.get("/nl/")
        city = LearningCitySettings.for_site(Site.objects.get(is_default_site=True))
        city.municipality_name = "Gemeente Proefstad"
        city.contact_email = "leren@proefstad.example"
        city.save()
        response = self.client.get("/nl/")
        self.assertContains(response, "| Gemeente Proefstad</title>")
        self.assertContains(response, 'href="mailto:leren@proefstad.example"')

    def test_each_language_and_page_has_its_own_fragments(self):
        self.client.get("/nl/")
        response = self.client.get("/en/")
        self.assertContains(response, '<html lang="en">')
        self.assertNotContains(response, 'aria-current="page">Over ons</a>')
        self.assertContains(self.client.get("/nl/over-ons/"), 'aria-current="page">Over ons</a>')

    def test_a_cached_switcher_keeps_each_requests_own_query(self):
        self.client.get("/nl/over-ons/?theme=reading")
        response = self.client.get("/nl/over-ons/?theme=languages")
        self.assertContains(response, 'href="/en/about-us/?theme=languages"', count=1)
        self.assertContains(response, 'href="http://testserver/en/about-us/?theme=languages"', count=1)
        self.assertNotContains(response, "theme=reading")
        plain = self.client.get("/nl/over-ons/")
        self.assertContains(plain, 'href="/en/about-us/"')
        self.assertNotContains(plain, "theme=")

    @override_settings(LEERSTAD_RESPONSE_CACHE=False)  # each answer built, from the fragments
    def test_a_new_query_string_reuses_the_menu_and_the_language_targets(self):
        self.queries("/nl/over-ons/?theme=reading")
        repeated = self.queries("/nl/over-ons/?theme=reading")
        self.assertEqual(self.queries("/nl/over-ons/?theme=languages"), repeated)
        response = self.client.get("/nl/over-ons/?theme=arts")
        self.assertContains(response, 'aria-current="page">Over ons</a>')
        self.assertContains(response, 'href="/en/about-us/?theme=arts"')

    def test_the_search_pages_switcher_keeps_each_searchs_words(self):
        self.client.get("/nl/zoeken/?q=taal")
        response = self.client.get("/nl/zoeken/?q=lezen")
        self.assertContains(response, 'href="/en/search/?q=lezen"')
        self.assertNotContains(response, "q=taal")

    def test_error_pages_render_without_the_fragment_context(self):
        response = self.client.get("/nl/bestaat-niet/")
        self.assertEqual(response.status_code, 404)


@database_independent
class FragmentKeyTests(SimpleTestCase):
    def test_every_fragment_varies_on_the_content_version(self):
        # Each process keeps copies of the fragments it read (learningcity.caching.LocalCopiesCache): only a key
        # naming the content version is never stale.
        tags = [
            (path.name, tag)
            for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
            for tag in re.findall(r"{% cache [^%]*%}", path.read_text())
        ]
        self.assertTrue(tags)
        self.assertEqual([(name, tag) for name, tag in tags if not tag.rstrip(" %}").endswith("content_version")], [])
