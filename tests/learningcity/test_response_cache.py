"""Whole answers for anonymous visitors: kept per site, language, path and query, renewed by every published change."""

from datetime import date, timedelta
from unittest import mock

import wagtail_factories
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from learningcity import caching, response_cache
from learningcity.caching import GLOBAL, content_version, site_scope
from learningcity.models import FooterText, LearningCitySettings
from tests.learningcity.factories import ContentPageFactory, HomePageFactory
from tests.learningcity.utils import make_portal, queries_but_the_content_version


@override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300)
class ResponseCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.site = Site.objects.get()
        cls.about = ContentPageFactory(parent=cls.home, title="Over ons", slug="over-ons", show_in_menus=True)
        cls.team = ContentPageFactory(parent=cls.about, title="Ons team", slug="team")
        # A second site on another host, with a page at the same path.
        other_home = HomePageFactory(
            parent=Page.get_first_root_node(), slug="andere", title="Anderstad", locale=cls.locales["nl"]
        )
        cls.other_site = Site.objects.create(hostname="localhost", port=80, root_page=other_home, site_name="Ander")
        cls.other_about = ContentPageFactory(parent=other_home, title="Over Anderstad", slug="over-ons")
        for site in (cls.site, cls.other_site):
            LearningCitySettings.for_site(site)  # made on first use: a save, which would renew the version
        cls.editor = get_user_model().objects.create_superuser("redacteur", "r@example.org", "geheim-wachtwoord")

    def setUp(self):
        cache.clear()

    def queries(self, url: str, **extra) -> list[str]:
        """The SQL of a GET of ``url`` but the content version's (read once a request without a shared cache)."""
        with CaptureQueriesContext(connection) as captured:
            self.client.get(url, **extra)
        return queries_but_the_content_version(captured)

    def text(self, url: str, **extra) -> str:
        response = self.client.get(url, **extra)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def kept(self, url: str, **extra) -> list[str]:
        """The response-cache keys written while answering a GET of ``url``."""
        with mock.patch.object(caching.cache, "set", wraps=caching.cache.set) as written:
            self.client.get(url, **extra)
        return [call.args[0] for call in written.call_args_list if call.args[0].startswith(response_cache.KEY_PREFIX)]

    # Hits and keys.

    def test_a_second_anonymous_request_is_answered_from_the_cache_without_queries(self):
        for url in ("/nl/over-ons/", "/api/v3/sdgs/?limit=2", "/feeds/events.json"):
            with self.subTest(url=url):
                first = self.client.get(url)
                self.assertEqual(self.queries(url), [])
                second = self.client.get(url)
                self.assertEqual(second.content, first.content)
                self.assertEqual(second["Content-Type"], first["Content-Type"])
                self.assertEqual(second.get("Vary"), first.get("Vary"))

    @override_settings(LEERSTAD_RESPONSE_CACHE=False)
    def test_without_the_response_cache_each_answer_is_built_from_the_cached_routes_and_menus(self):
        self.client.get("/nl/over-ons/")
        self.assertEqual(self.kept("/nl/over-ons/"), [])
        queries = self.queries("/nl/over-ons/")
        self.assertTrue(queries)  # built anew, but not routed anew: the site and the route come from the cache
        self.assertFalse([sql for sql in queries if "wagtailcore_site" in sql], queries)
        with override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=0):
            self.assertGreater(len(self.queries("/nl/over-ons/")), len(queries))

    def test_a_head_request_is_answered_from_the_cache_too(self):
        self.client.get("/nl/over-ons/")
        with CaptureQueriesContext(connection) as captured:
            response = self.client.head("/nl/over-ons/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(queries_but_the_content_version(captured), [])

    def test_each_site_has_its_own_answers_at_the_same_path(self):
        self.assertIn("Over ons", self.text("/nl/over-ons/"))
        self.assertIn("Over Anderstad", self.text("/nl/over-ons/", HTTP_HOST="localhost"))
        self.assertIn("Over ons", self.text("/nl/over-ons/"))

    def test_each_language_and_query_has_its_own_answer_but_the_order_of_parameters_does_not_count(self):
        self.assertEqual(len(self.kept("/api/v3/sdgs/?locale=nl&limit=2")), 1)
        self.assertEqual(self.kept("/api/v3/sdgs/?limit=2&locale=nl"), [])  # the same answer
        self.assertEqual(len(self.kept("/api/v3/sdgs/?locale=en&limit=2")), 1)
        self.assertEqual(len(self.kept("/api/v3/sdgs/?locale=nl&limit=3")), 1)
        english, french = self.client.get("/api/v3/sdgs/?locale=en&limit=2"), self.client.get("/api/v3/sdgs/?limit=2")
        self.assertNotEqual(english.content, french.content)
        self.assertEqual(len(self.kept("/en/")), 1)
        self.assertEqual(self.kept("/en/"), [])

    def test_tracking_parameters_share_the_answer_and_leave_no_trace_in_it(self):
        plain = self.text("/nl/over-ons/")
        self.assertEqual(self.queries("/nl/over-ons/?utm_source=nieuwsbrief&fbclid=AbC"), [])
        cache.clear()
        tracked = self.text("/nl/over-ons/?utm_source=nieuwsbrief&utm_medium=email")
        self.assertNotIn("utm_", tracked)
        self.assertEqual(tracked, plain)

    def test_a_kept_page_answers_a_conditional_get_with_a_304(self):
        etag = self.client.get("/nl/over-ons/")["ETag"]
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get("/nl/over-ons/", HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(response.status_code, 304)
        self.assertEqual(queries_but_the_content_version(captured), [])

    # What is never kept.

    def test_a_logged_in_editor_is_never_answered_from_nor_written_to_the_cache(self):
        anonymous = self.text("/nl/over-ons/")
        self.client.force_login(self.editor)
        self.assertEqual(self.kept("/nl/over-ons/"), [])
        self.assertNotEqual(self.queries("/nl/over-ons/"), [])
        self.assertIn("wagtail-userbar", self.text("/nl/over-ons/"))
        self.client.logout()
        self.client.cookies.clear()
        self.assertEqual(self.text("/nl/over-ons/"), anonymous)
        self.assertNotIn("wagtail-userbar", anonymous)

    def test_errors_redirects_and_restricted_pages_are_not_kept(self):
        PageViewRestriction.objects.create(page=self.team, restriction_type=PageViewRestriction.LOGIN)
        PageViewRestriction.objects.create(
            page=self.other_about, restriction_type=PageViewRestriction.PASSWORD, password="open sesam"
        )
        for url, extra, status in (
            ("/nl/bestaat-niet/", {}, 404),
            ("/api/v3/events/?from=gisteren", {}, 400),
            ("/nl/over-ons/team/", {}, 302),  # to the login
            ("/nl/over-ons/", {"HTTP_HOST": "localhost"}, 200),  # the password form, with a CSRF token
        ):
            with self.subTest(url=url, **extra):
                self.assertEqual(self.client.get(url, **extra).status_code, status)
                self.assertEqual(self.kept(url, **extra), [])

    def test_a_response_that_sets_a_cookie_is_not_kept(self):
        def with_cookie(request, *args, **kwargs):
            response = serve(request, *args, **kwargs)
            response.set_cookie("tracker", "1")
            return response

        from wagtail.views import serve

        middleware = response_cache.ResponseCacheMiddleware(lambda request: with_cookie(request, "over-ons/"))
        request = self.client.get("/nl/over-ons/").wsgi_request
        request.response_cache_entry = ("leerstad:response:test", "version")
        self.assertTrue(middleware(request).cookies)
        self.assertIsNone(cache.get("leerstad:response:test"))

    # What renews the answers, and what does not.

    def test_a_draft_renews_nothing(self):
        self.client.get("/nl/over-ons/")
        before = content_version(GLOBAL, site_scope(self.site.pk))
        page = Page.objects.get(pk=self.about.pk).specific
        page.title = "Over ons (concept)"
        page.save_revision()
        self.assertEqual(content_version(GLOBAL, site_scope(self.site.pk)), before)
        self.assertEqual(self.queries("/nl/over-ons/"), [])
        self.assertNotIn("concept", self.text("/nl/over-ons/"))

    def test_publishing_shows_at_once_and_leaves_the_other_sites_answers(self):
        self.client.get("/nl/over-ons/")
        self.client.get("/nl/over-ons/", HTTP_HOST="localhost")
        other_site = content_version(GLOBAL, site_scope(self.other_site.pk))
        page = Page.objects.get(pk=self.about.pk).specific
        page.title = "Over de stad"
        with self.captureOnCommitCallbacks(execute=True):
            page.save_revision().publish()
        self.assertIn("Over de stad", self.text("/nl/over-ons/"))
        self.assertEqual(content_version(GLOBAL, site_scope(self.other_site.pk)), other_site)
        self.assertEqual(self.queries("/nl/over-ons/", HTTP_HOST="localhost"), [])

    def test_unpublishing_moving_and_restricting_take_the_page_off_every_site_at_once(self):
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 200)
        with self.captureOnCommitCallbacks(execute=True):
            Page.objects.get(pk=self.team.pk).specific.move(self.home, pos="last-child")
        moved = self.client.get("/nl/over-ons/team/")  # Wagtail's redirect from the old address
        self.assertEqual((moved.status_code, moved["Location"]), (301, "http://testserver/nl/team/"))
        self.assertEqual(self.client.get("/nl/team/").status_code, 200)

        with self.captureOnCommitCallbacks(execute=True):
            PageViewRestriction.objects.create(page=Page.objects.get(pk=self.team.pk), restriction_type="login")
        self.assertEqual(self.client.get("/nl/team/").status_code, 302)

        self.assertEqual(self.client.get("/nl/over-ons/").status_code, 200)
        with self.captureOnCommitCallbacks(execute=True):
            Page.objects.get(pk=self.about.pk).specific.unpublish()
        self.assertEqual(self.client.get("/nl/over-ons/").status_code, 404)

    def test_snippet_settings_and_image_saves_renew_every_answer(self):
        self.assertNotIn("Voettekst van de stad", self.text("/nl/over-ons/"))
        footer = FooterText.objects.create(title="Voet", text="<p>Voettekst van de stad</p>", locale=self.locales["nl"])
        city = LearningCitySettings.for_site(self.site)
        city.footer = footer
        city.municipality_name = "Gemeente Proefstad"
        with self.captureOnCommitCallbacks(execute=True):
            city.save()
        page = self.text("/nl/over-ons/")
        self.assertIn("Voettekst van de stad", page)
        self.assertIn("Gemeente Proefstad", page)

        with self.captureOnCommitCallbacks(execute=True):
            footer.text = "<p>Nieuwe voettekst</p>"
            footer.save()
        self.assertIn("Nieuwe voettekst", self.text("/nl/over-ons/"))

        before = content_version(GLOBAL, site_scope(self.site.pk))
        with self.captureOnCommitCallbacks(execute=True):
            wagtail_factories.ImageFactory()
        self.assertNotEqual(content_version(GLOBAL, site_scope(self.site.pk)), before)
        self.assertNotEqual(self.queries("/nl/over-ons/"), [])

    def test_publishing_an_event_renews_its_sites_agenda_and_leaves_the_other_site(self):
        from tests.events.factories import EventIndexPageFactory, EventPageFactory, publish

        agenda = EventIndexPageFactory(parent=self.home)
        self.assertNotIn("Voorleesuur", self.text(agenda.url))
        other_site = content_version(GLOBAL, site_scope(self.other_site.pk))
        publish(EventPageFactory(parent=agenda, title="Voorleesuur", start_date=date.today() + timedelta(days=30)))
        self.assertIn("Voorleesuur", self.text(agenda.url))
        self.assertEqual(content_version(GLOBAL, site_scope(self.other_site.pk)), other_site)

    def test_publishing_a_page_renews_the_sites_whose_pages_link_to_it(self):
        from wagtail.models import ReferenceIndex

        from tests.events.factories import EventIndexPageFactory, EventPageFactory
        from tests.partners.factories import PartnerIndexPageFactory, PartnerPageFactory

        library = PartnerPageFactory(parent=PartnerIndexPageFactory(parent=self.home), title="Bibliotheek")
        other_agenda = EventIndexPageFactory(parent=Page.objects.get(pk=self.other_site.root_page_id))
        event = EventPageFactory(parent=other_agenda, venue=library)
        ReferenceIndex.create_or_update_for_object(event)
        other_site = content_version(GLOBAL, site_scope(self.other_site.pk))
        library.title = "Bibliotheek Noord"
        with self.captureOnCommitCallbacks(execute=True):
            library.save_revision().publish()
        self.assertNotEqual(content_version(GLOBAL, site_scope(self.other_site.pk)), other_site)

    @override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=0)
    def test_with_caching_off_nothing_is_kept(self):
        self.assertEqual(self.kept("/nl/over-ons/"), [])
        self.assertNotEqual(self.queries("/nl/over-ons/"), [])
