import xml.etree.ElementTree as ET
from unittest import mock

from django.db import DatabaseError
from django.test import TestCase
from wagtail.contrib.redirects.models import Redirect

from .factories import ContentPageFactory, SDGIndexPageFactory
from .utils import make_portal, sync_translation

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


class LanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.page = ContentPageFactory(parent=cls.home, title="Over ons", slug="over-ons")
        cls.english = sync_translation(cls.page, cls.locales["en"])
        cls.english.title = "About us"
        cls.english.slug = "about-us"
        cls.english.save_revision().publish()

    def test_root_redirects_to_dutch_by_default(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/nl/")

    def test_the_root_redirects_without_rendering_a_not_found_page(self):
        # The site, and an editor's redirect of the address with and without its query string (Wagtail's).
        with self.assertTemplateNotUsed("404.html"), self.assertNumQueries(3):
            response = self.client.get("/?utm_source=poster")
        self.assertEqual(response["Location"], "/nl/?utm_source=poster")
        self.assertEqual(self.client.get("/nl/bestaat-niet/").status_code, 404)
        self.assertTemplateUsed(self.client.get("/bestaat-niet/", follow=True), "404.html")

    def test_a_pages_address_without_its_language_redirects_without_rendering_a_not_found_page(self):
        # The site, and an editor's redirect of the address (with and without its query string, when it has one).
        cases = [("/over-ons/", "/nl/over-ons/", 2), ("/agenda/?when=week", "/nl/agenda/?when=week", 3)]
        for path, expected, queries in cases:
            with self.subTest(path=path), self.assertTemplateNotUsed("404.html"), self.assertNumQueries(queries):
                response = self.client.get(path, headers={"accept-language": "nl"})
            self.assertEqual((response.status_code, response["Location"]), (302, expected))
        self.assertEqual(self.client.get("/en/about-us/").status_code, 200)
        self.assertEqual(self.client.get("/about-us/", headers={"accept-language": "en"})["Location"], "/en/about-us/")
        # Addresses of views outside the pages answer themselves, their 404s included.
        self.assertEqual(self.client.get("/api/v3/pages/999999/").status_code, 404)
        self.assertEqual(self.client.get("/feeds/events.json").status_code, 200)

    def test_an_editors_redirect_of_an_address_without_its_language_comes_first(self):
        Redirect.objects.create(old_path="/flyer", redirect_link="/nl/over-ons/", is_permanent=True)
        response = self.client.get("/flyer/")
        self.assertEqual((response.status_code, response["Location"]), (301, "/nl/over-ons/"))

    def test_an_editors_redirect_of_the_root_comes_first(self):
        Redirect.objects.create(old_path="/", redirect_link="https://leren.example/welkom/", is_permanent=False)
        response = self.client.get("/")
        self.assertEqual((response.status_code, response["Location"]), (302, "https://leren.example/welkom/"))

    def test_root_redirects_to_the_visitors_best_language(self):
        for header, expected in [("fr-BE,fr;q=0.9", "/fr/"), ("en-GB,en;q=0.8", "/en/"), ("de-DE", "/nl/")]:
            with self.subTest(accept_language=header):
                response = self.client.get("/", headers={"accept-language": header})
                self.assertEqual(response["Location"], expected)

    def test_each_language_has_its_own_home_with_the_right_lang(self):
        for code in ("nl", "en", "fr"):
            with self.subTest(language=code):
                response = self.client.get(f"/{code}/")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f'<html lang="{code}">')

    def test_interface_strings_are_translated(self):
        self.assertContains(self.client.get("/nl/"), "Naar de hoofdinhoud")
        self.assertContains(self.client.get("/fr/"), "Aller au contenu principal")
        self.assertContains(self.client.get("/en/"), "Skip to main content")

    def test_hreflang_alternates_name_every_translation(self):
        response = self.client.get("/nl/over-ons/")
        self.assertContains(response, '<link rel="alternate" hreflang="nl" href="http://testserver/nl/over-ons/">')
        self.assertContains(response, '<link rel="alternate" hreflang="en" href="http://testserver/en/about-us/">')
        self.assertNotContains(response, 'hreflang="fr" href')

    def test_switcher_leads_to_the_translation_or_that_languages_home(self):
        response = self.client.get("/nl/over-ons/")
        self.assertContains(response, '<a href="/en/about-us/" hreflang="en" lang="en">English</a>', html=True)
        self.assertContains(response, '<a href="/fr/" hreflang="fr" lang="fr">Français</a>', html=True)
        self.assertContains(response, '<span aria-current="true" lang="nl">Nederlands</span>', html=True)

    def test_switcher_and_alternates_keep_a_routable_pages_sub_path(self):
        sdg = SDGIndexPageFactory(parent=self.home)
        sync_translation(sdg, self.locales["en"])
        response = self.client.get("/nl/sdg/4/")
        self.assertContains(response, '<a href="/en/sdg/4/" hreflang="en" lang="en">English</a>', html=True)
        self.assertContains(response, '<link rel="alternate" hreflang="en" href="http://testserver/en/sdg/4/">')
        self.assertContains(response, '<link rel="alternate" hreflang="nl" href="http://testserver/nl/sdg/4/">')
        # Not translated into French: that language's home, not a goal page that does not exist.
        self.assertContains(response, '<a href="/fr/" hreflang="fr" lang="fr">Français</a>', html=True)
        self.assertEqual(self.client.get("/en/sdg/4/").status_code, 200)

    def test_switcher_and_alternates_keep_the_query(self):
        response = self.client.get("/nl/over-ons/?theme=languages&q=caf%C3%A9")
        self.assertContains(
            response,
            '<a href="/en/about-us/?theme=languages&amp;q=caf%C3%A9" hreflang="en" lang="en">English</a>',
            html=True,
        )
        self.assertContains(
            response,
            '<link rel="alternate" hreflang="en" href="http://testserver/en/about-us/?theme=languages&amp;q=caf%C3%A9">',
        )
        self.assertContains(response, '<a href="/fr/" hreflang="fr" lang="fr">Français</a>', html=True)

    def test_unknown_page_is_a_translated_404(self):
        response = self.client.get("/fr/nexiste-pas/")
        self.assertEqual(response.status_code, 404)


class HealthTests(TestCase):
    def test_healthz_answers_ok_when_the_database_answers(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "database": "ok"})

    def test_healthz_is_503_when_the_database_fails(self):
        with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError("down")):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["database"], "unavailable")

    def test_robots_txt_points_at_the_sitemap(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        self.assertIn("Sitemap: http://testserver/sitemap.xml", response.content.decode())
        self.assertIn("Disallow: /admin/", response.content.decode())

    def test_favicon_ico_leads_to_the_portals_icon(self):
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].endswith("leerstad/img/favicon.svg"))
        self.assertEqual(self.client.get(response["Location"]).status_code, 200)


class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.page = ContentPageFactory(parent=cls.home, title="Over ons", slug="over-ons")
        for code in ("en", "fr"):
            sync_translation(cls.page, cls.locales[code])
        cls.draft = ContentPageFactory(parent=cls.home, title="Concept", slug="concept", live=False)

    def test_sitemap_lists_every_live_page_in_every_language_with_alternates(self):
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        tree = ET.fromstring(response.content)
        locations = {url.findtext("sm:loc", namespaces=SITEMAP_NS): url for url in tree.findall("sm:url", SITEMAP_NS)}
        expected = {f"http://testserver/{code}/{path}" for code in ("nl", "en", "fr") for path in ("", "over-ons/")}
        self.assertEqual(set(locations), expected)
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in locations["http://testserver/nl/over-ons/"].findall("xhtml:link", SITEMAP_NS)
        }
        self.assertEqual(
            alternates,
            {code: f"http://testserver/{code}/over-ons/" for code in ("nl", "en", "fr")},
        )
