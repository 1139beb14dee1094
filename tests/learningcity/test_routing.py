"""Wagtail's site, route and view restrictions from the cache: no tree queries, and every change shows at once."""

import tempfile
import uuid
from collections import Counter
from unittest import mock

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.db.models.signals import post_migrate, pre_migrate
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY

from learningcity.caching import EVERYTHING, VERSION_KEY, content_version, one_renewal, token_key
from learningcity.compat import site_root_paths
from learningcity.models import ContentVersion
from tests.events.factories import EventIndexPageFactory
from tests.learningcity.factories import ContentPageFactory, SDGIndexPageFactory
from tests.learningcity.utils import make_portal

# What Wagtail's serving reads: the site, the active locale, each level's child by slug, the page's ancestors for
# their view restrictions. (A page's own context may read pages too: a content page lists its subpages.)
ROUTING_SQL = (
    'FROM "wagtailcore_site"',
    'FROM "wagtailcore_locale"',
    '"wagtailcore_page"."slug" =',
    '"wagtailcore_page"."slug" IN',
    '"wagtailcore_page"."alias_of_id" FROM',
)


def make_team_pages(cls) -> None:
    """The portal with ``/nl/over-ons/`` (``cls.about``) and ``/nl/over-ons/team/`` (``cls.team``)."""
    cls.home, cls.locales = make_portal()
    cls.about = ContentPageFactory(parent=cls.home, title="Over ons", slug="over-ons")
    cls.team = ContentPageFactory(parent=cls.about, title="Ons team", slug="team")


class RestrictionCases:
    """View restrictions behave as Wagtail's, with or without the cache (the tests below run both ways)."""

    @classmethod
    def setUpTestData(cls):
        make_team_pages(cls)
        cls.open = ContentPageFactory(parent=cls.home, title="Open", slug="open")

    def setUp(self):
        cache.clear()

    def assertAsksToLogIn(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302, url)
        self.assertIn("login", response["Location"])

    def test_a_restriction_applies_to_the_page_and_its_subpages_at_once(self):
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 200)
        PageViewRestriction.objects.create(page=self.about, restriction_type=PageViewRestriction.LOGIN)
        self.assertAsksToLogIn("/nl/over-ons/")
        self.assertAsksToLogIn("/nl/over-ons/team/")
        self.assertEqual(self.client.get("/nl/open/").status_code, 200)

    def test_an_alias_of_a_restricted_page_is_restricted_too(self):
        PageViewRestriction.objects.create(page=self.team, restriction_type=PageViewRestriction.LOGIN)
        self.team.create_alias(parent=self.open, update_slug="team-kopie")
        self.assertAsksToLogIn("/nl/open/team-kopie/")
        self.assertEqual(self.client.get("/nl/open/").status_code, 200)

    def test_lifting_a_restriction_opens_the_page_again(self):
        restriction = PageViewRestriction.objects.create(page=self.about, restriction_type=PageViewRestriction.LOGIN)
        self.assertAsksToLogIn("/nl/over-ons/team/")
        restriction.delete()
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 200)


class RestrictionTests(RestrictionCases, TestCase):
    pass


@override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300)
class CachedRestrictionTests(RestrictionCases, TestCase):
    pass


@override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300)
class CachedRoutingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_team_pages(cls)

    def setUp(self):
        cache.clear()

    def routing_queries(self, url: str, **headers) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url, **headers).status_code, 200)
        return [query["sql"] for query in captured if any(sql in query["sql"] for sql in ROUTING_SQL)]

    def test_a_second_request_does_not_route_again(self):
        self.client.get("/nl/")  # the first request also creates the site's settings row (a new content version)
        self.assertTrue(self.routing_queries("/nl/over-ons/team/"))
        self.assertEqual(self.routing_queries("/nl/over-ons/team/"), [])
        self.assertContains(self.client.get("/nl/over-ons/team/"), "<h1>Ons team</h1>", html=False)

    def test_each_language_has_its_own_route(self):
        self.client.get("/nl/")
        self.assertContains(self.client.get("/en/"), '<html lang="en">')
        self.assertContains(self.client.get("/nl/"), '<html lang="nl">')

    def test_unpublishing_a_page_takes_it_off_at_once(self):
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 200)
        self.team.unpublish()
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 404)

    def test_a_new_slug_moves_the_page_at_once(self):
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 200)
        self.team.slug = "medewerkers"
        self.team.save_revision().publish()
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 404)
        self.assertEqual(self.client.get("/nl/over-ons/medewerkers/").status_code, 200)

    def test_a_path_that_leads_nowhere_is_not_kept(self):
        self.assertEqual(self.client.get("/nl/bestaat-niet/").status_code, 404)
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 200)
        site = Site.objects.get(is_default_site=True)
        self.assertIsNone(cache.get(f"leerstad:route:{site.pk}:nl:bestaat-niet/"))
        self.assertIsNotNone(cache.get(f"leerstad:route:{site.pk}:nl:over-ons/team/"))

    def test_each_host_has_its_own_site(self):
        Site.objects.create(hostname="localhost", port=80, root_page=self.about, site_name="Over ons")
        self.client.get("/nl/", HTTP_HOST="localhost")  # creates the new site's settings row
        self.assertEqual(self.client.get("/nl/team/", HTTP_HOST="testserver").status_code, 404)
        self.assertContains(self.client.get("/nl/team/", HTTP_HOST="localhost"), "<h1>Ons team</h1>", html=False)
        self.assertEqual(self.client.get("/nl/team/", HTTP_HOST="testserver").status_code, 404)
        self.assertEqual(self.routing_queries("/nl/team/", HTTP_HOST="localhost"), [])

    def test_a_routable_pages_views_are_still_routed(self):
        SDGIndexPageFactory(parent=self.home)
        for _request in range(2):
            self.assertContains(self.client.get("/nl/sdg/"), "Kwaliteitsonderwijs")
            self.assertContains(self.client.get("/nl/sdg/11/"), "Duurzame steden")
        self.assertEqual(self.client.get("/nl/sdg/18/").status_code, 404)


class OneQueryRoutingTests(TestCase):
    """Without any cache, the pages on a path are read in one query, whatever its depth, and Wagtail's answers hold."""

    @classmethod
    def setUpTestData(cls):
        make_team_pages(cls)
        cls.city = ContentPageFactory(parent=cls.team, title="Stadhuis", slug="stadhuis")
        cls.open = ContentPageFactory(parent=cls.home, title="Open", slug="open")

    def tree_reads(self, url: str, status: int = 200) -> list[str]:
        """The queries that read pages of the path by their slugs."""
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url).status_code, status, url)
        slugs = ('"wagtailcore_page"."slug" IN', '"wagtailcore_page"."slug" =')
        return [query["sql"] for query in captured if any(sql in query["sql"] for sql in slugs)]

    def test_a_deep_page_reads_its_path_in_one_query(self):
        for url, title in (("/nl/over-ons/", "Over ons"), ("/nl/over-ons/team/stadhuis/", "Stadhuis")):
            with self.subTest(url):
                self.assertEqual(len(self.tree_reads(url)), 1)
                self.assertContains(self.client.get(url), f"<h1>{title}</h1>", html=False)

    def test_only_the_page_at_the_end_of_the_path_must_be_live(self):
        self.team.unpublish()
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 404)
        self.assertEqual(self.client.get("/nl/over-ons/team/stadhuis/").status_code, 200)  # as Wagtail routes

    def test_a_slug_under_another_parent_or_a_missing_level_leads_nowhere(self):
        for url in ("/nl/open/team/", "/nl/team/", "/nl/over-ons/stadhuis/", "/nl/over-ons/team/stadhuis/x/"):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_path_deeper_than_any_tree_is_a_not_found(self):
        # Deeper than 63 levels only a routable page's view can be: Wagtail's walk, which stops at the first miss.
        for levels, reads in ((63, 1), (64, 2), (500, 2)):
            with self.subTest(levels=levels):
                self.assertEqual(len(self.tree_reads("/nl/" + "over-ons/" * levels, status=404)), reads)

    def test_a_routable_page_routes_its_own_views(self):
        sdg = SDGIndexPageFactory(parent=self.about)
        self.assertContains(self.client.get(f"/nl/over-ons/{sdg.slug}/11/"), "Duurzame steden")
        self.assertEqual(self.client.get(f"/nl/over-ons/{sdg.slug}/18/").status_code, 404)


@override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300)
class ProcessCacheTests(TestCase):
    """Each process caching in its own memory (no REDIS_URL) keys on a content version kept in the database.

    Another process's edit is simulated here: rows changed without this process's signals, and a new version
    in the database, as that process writes when its change commits. ``test_worker_processes`` runs real ones.
    """

    @classmethod
    def setUpTestData(cls):
        make_team_pages(cls)

    def setUp(self):
        cache.clear()
        self.client.get("/nl/")  # creates the site's settings row

    def version_reads(self, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            self.client.get(url)
        return sum('FROM "learningcity_contentversion"' in query["sql"] for query in captured)

    def test_a_page_unpublished_by_another_process_is_gone_on_the_next_request(self):
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 200)
        Page.objects.filter(pk=self.team.pk).update(live=False)
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 200)  # cached, as nothing told it
        ContentVersion.objects.renew()
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 404)

    def test_a_restriction_made_by_another_process_applies_on_the_next_request(self):
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 200)
        PageViewRestriction.objects.bulk_create([PageViewRestriction(page=self.about, restriction_type="login")])
        ContentVersion.objects.renew()
        response = self.client.get("/nl/over-ons/team/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])

    def test_a_committed_change_renews_the_version_in_the_database(self):
        before = ContentVersion.objects.current()
        with self.captureOnCommitCallbacks(execute=True):
            self.team.unpublish()
        self.assertNotEqual(ContentVersion.objects.current(), before)

    def test_migrate_saves_content_before_the_version_table_exists_and_renews_the_version_after(self):
        # A data migration (Wagtail's default workflow, ours) saves content while the version's table may not exist
        # yet: nothing is written then, and everything is renewed once migrate is done.
        before = ContentVersion.objects.current()
        pre_migrate.send(sender=apps.get_app_config("learningcity"), app_config=apps.get_app_config("learningcity"))
        with self.captureOnCommitCallbacks(execute=True):
            self.team.unpublish()
        self.assertEqual(ContentVersion.objects.current(), before)
        post_migrate.send(sender=apps.get_app_config("learningcity"), app_config=apps.get_app_config("learningcity"))
        migrated = ContentVersion.objects.current()
        self.assertNotEqual(migrated, before)
        with self.captureOnCommitCallbacks(execute=True):  # and changes renew it again
            self.about.unpublish()
        self.assertNotEqual(ContentVersion.objects.current(), migrated)

    def test_a_bulk_load_renews_the_version_once_when_it_commits(self):
        before, token = ContentVersion.objects.current(), content_version()
        with CaptureQueriesContext(connection) as captured, self.captureOnCommitCallbacks() as callbacks:
            with one_renewal():
                self.team.unpublish()
                self.about.title = "Over Lindeveld"
                self.about.save_revision().publish()
                self.assertEqual(content_version(), token)  # nothing renewed one save at a time
            self.assertNotEqual(content_version(), token)  # this process sees the changes at once
        written = [
            query
            for query in captured
            if query["sql"].startswith(
                ('UPDATE "learningcity_contentversion"', 'INSERT INTO "learningcity_contentversion"')
            )
        ]
        self.assertEqual(written, [])
        with CaptureQueriesContext(connection) as captured:
            for callback in callbacks:
                callback()
        renewals = [query for query in captured if query["sql"].startswith('UPDATE "learningcity_contentversion"')]
        self.assertEqual(len(renewals), 2)  # the global and the cross-site tokens, once
        self.assertNotEqual(ContentVersion.objects.current(), before)
        self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 404)

    def test_a_bulk_load_that_changes_nothing_renews_nothing(self):
        token = content_version()
        with self.captureOnCommitCallbacks() as callbacks, one_renewal():
            self.client.get("/nl/over-ons/")
        self.assertEqual((callbacks, content_version()), ([], token))

    def test_a_request_reads_the_version_once(self):
        self.client.get("/nl/over-ons/team/")
        self.assertEqual(self.version_reads("/nl/over-ons/team/"), 1)

    def test_a_shared_cache_keeps_the_version_itself(self):
        with tempfile.TemporaryDirectory() as folder:
            shared = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": folder}}
            with self.settings(CACHES=shared):
                before = ContentVersion.objects.current()
                self.client.get("/nl/over-ons/team/")
                self.assertEqual(self.version_reads("/nl/over-ons/team/"), 0)
                with self.captureOnCommitCallbacks(execute=True):
                    self.team.unpublish()
                self.assertEqual(ContentVersion.objects.current(), before)
                self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 404)

    def test_with_a_shared_cache_a_request_reads_each_token_once_and_its_values_from_this_process(self):
        with tempfile.TemporaryDirectory() as folder:
            shared = {
                "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": folder},
                "template_fragments": settings.CACHES["template_fragments"],
            }
            with self.settings(CACHES=shared, LEERSTAD_RESPONSE_CACHE=False):  # each answer made anew
                self.client.get("/nl/over-ons/team/")
                shared_cache = caches["default"]
                with (
                    mock.patch.object(shared_cache, "get_many", wraps=shared_cache.get_many) as reads,
                    mock.patch.object(shared_cache, "get", wraps=shared_cache.get) as fragment_reads,
                ):
                    response = self.client.get("/nl/over-ons/team/")
                self.assertContains(response, "<footer")
                self.assertEqual(
                    [call.args[0] for call in fragment_reads.call_args_list if "template." in call.args[0]], []
                )
                read = Counter(key for call in reads.call_args_list for key in call.args[0])
                tokens = {key: read[key] for key in read if key.startswith(VERSION_KEY)}
                self.assertEqual(tokens, self.tokens(1))
                self.assertEqual([key for key in read if key.startswith("leerstad:route:")], [])  # a copy here
                # Wagtail's site root paths (for the page's links) come from this process's copy too, and a feed's.
                self.assertNotIn(SITE_ROOT_PATHS_CACHE_KEY, [call.args[0] for call in fragment_reads.call_args_list])
                EventIndexPageFactory(parent=self.home)  # the feed links to the agenda
                self.client.get("/feeds/events.json")
                with mock.patch.object(shared_cache, "get", wraps=shared_cache.get) as feed_reads:
                    self.assertEqual(self.client.get("/feeds/events.json?locale=nl").status_code, 200)
                self.assertNotIn(SITE_ROOT_PATHS_CACHE_KEY, [call.args[0] for call in feed_reads.call_args_list])
                kept = site_root_paths()
                self.assertEqual(kept, Site.get_site_root_paths())
                with self.captureOnCommitCallbacks(execute=True):
                    Site.objects.create(hostname="elders.example", port=80, root_page=self.team)
                self.assertEqual({root.site_id for root in kept}, {Site.objects.get(is_default_site=True).pk})
                self.assertEqual(len({root.site_id for root in site_root_paths()}), 2)  # a new site is in the next
                self.assertEqual(site_root_paths(), Site.get_site_root_paths())
                # Another process unpublishes the page: it changes the row and renews the shared cache's tokens, and
                # this process's copies, kept under the old tokens, are no longer read.
                Page.objects.filter(pk=self.team.pk).update(live=False)
                cache.set_many({token: uuid.uuid4().hex for token in self.tokens(1)}, timeout=None)
                self.assertEqual(self.client.get("/nl/over-ons/team/").status_code, 404)

    @staticmethod
    def tokens(value) -> dict:
        return {token_key(scope): value for scope in EVERYTHING}

    @override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=0)
    def test_without_caching_the_version_is_not_read(self):
        self.assertEqual(self.version_reads("/nl/over-ons/team/"), 0)
