"""The demo learning city (``load_demo``): every app's demo content, loaded once for the whole class.

Loading the demo is the slowest thing the suite does, so one class checks the learning city, the partner
directory and the agenda, the second-run idempotency and the site address; each database run loads the demo
twice at most. The demo is loaded for port 8123, as ``make run PORT=8123`` does.
"""

import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from unittest import mock

import icalendar
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import timezone
from wagtail.models import Locale, Page, ReferenceIndex, Revision, Site

from events.models import AttendanceMode, EventIndexPage, EventPage, EventStatus, Occurrence
from learningcity.models import ContentPage, HomePage
from partners.models import (
    ChildCentreIndexPage,
    ChildCentrePage,
    Municipality,
    Network,
    PartnerIndexPage,
    PartnerPage,
    Partnership,
)
from tests.passes import database_independent


def load_demo(testcase_class, *args):
    out = io.StringIO()
    with testcase_class.captureOnCommitCallbacks(execute=True):
        call_command("load_demo", *args, stdout=out)
    return out.getvalue()


SITE_URL = "http://127.0.0.1:8123"
ROOT = Path(__file__).resolve().parent.parent


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = load_demo(cls, "--site-url", SITE_URL)

    # Idempotency.

    def test_a_second_run_changes_nothing(self):
        def counts():
            return (
                Page.objects.count(),
                Revision.objects.count(),
                get_user_model().objects.count(),
                Partnership.objects.count(),
                Network.objects.count(),
                Occurrence.objects.count(),
            )

        before = counts()
        output = load_demo(type(self), "--site-url", SITE_URL)
        self.assertIn("nothing changed", output)
        self.assertEqual(counts(), before)

    # The site's address: absolute links answer where the portal runs.

    def test_feeds_and_sitemap_link_to_the_port_the_demo_was_loaded_for(self):
        calendar = icalendar.Calendar.from_ical(self.client.get("/feeds/events.ics").content)
        urls = [str(event["URL"]) for event in calendar.walk("VEVENT")]
        self.assertGreater(len(urls), 50)
        self.assertTrue(all(url.startswith(f"{SITE_URL}/nl/") for url in urls), urls[:3])
        sitemap = ET.fromstring(self.client.get("/sitemap.xml").content)
        locations = [element.text for element in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
        self.assertGreater(len(locations), 100)
        self.assertTrue(all(location.startswith(f"{SITE_URL}/") for location in locations), locations[:3])
        event = self.client.get("/api/v3/events/?limit=1").json()["items"][0]["event"]
        self.assertTrue(event["url"].startswith(f"{SITE_URL}/"), event["url"])

    def test_loading_for_another_port_moves_the_site_and_changes_nothing_else(self):
        pages = Page.objects.count()
        output = load_demo(type(self), "--site-url", "http://127.0.0.1:9000")
        self.assertIn("Links point at http://127.0.0.1:9000/", output)
        self.assertEqual(Page.objects.count(), pages)
        sitemap = ET.fromstring(self.client.get("/sitemap.xml").content)
        location = next(sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")).text
        self.assertTrue(location.startswith("http://127.0.0.1:9000/"), location)
        event = self.client.get("/api/v3/events/?limit=1").json()["items"][0]["event"]
        self.assertTrue(event["url"].startswith("http://127.0.0.1:9000/"), event["url"])
        # Feed bodies are cached per change-log entry, which a Site edit does not add; make run restarts the
        # server (and its memory cache) after load_demo, which this stands for.
        cache.clear()
        calendar = icalendar.Calendar.from_ical(self.client.get("/feeds/events.ics").content)
        self.assertTrue(str(next(iter(calendar.walk("VEVENT")))["URL"]).startswith("http://127.0.0.1:9000/nl/"))
        self.assertIn("nothing changed", load_demo(type(self), "--site-url", "http://127.0.0.1:9000"))

    @override_settings(WAGTAILADMIN_BASE_URL="https://leren.lindeveld.example")
    def test_without_a_site_url_the_site_takes_the_admin_base_url(self):
        load_demo(type(self))
        site = Site.objects.get(is_default_site=True)
        self.assertEqual((site.hostname, site.port), ("leren.lindeveld.example", 443))
        self.assertEqual(site.root_url, "https://leren.lindeveld.example")

    def test_a_site_url_wagtail_cannot_serve_is_refused_before_loading(self):
        for url in ("https://127.0.0.1:8443", "127.0.0.1:8000", "http://127.0.0.1:8000/portal/"):
            with self.subTest(url=url), self.assertRaises(CommandError):
                call_command("load_demo", "--site-url", url, stdout=io.StringIO())
        self.assertEqual(Site.objects.get(is_default_site=True).root_url, SITE_URL)

    # The demo administrator outside development settings.

    @override_settings(LEERSTAD_DEMO_ALLOWED=False)
    def test_production_settings_refuse_the_published_admin_password(self):
        get_user_model().objects.filter(username="admin").delete()
        with self.assertRaisesMessage(CommandError, "--admin-password"):
            call_command("load_demo", stdout=io.StringIO())
        with self.assertRaises(CommandError):  # a password the validators reject
            call_command("load_demo", "--admin-password", "12345678", stdout=io.StringIO())
        self.assertFalse(get_user_model().objects.filter(username="admin").exists())

    @override_settings(LEERSTAD_DEMO_ALLOWED=False)
    def test_production_settings_create_the_admin_with_the_password_given(self):
        User = get_user_model()
        for how in ("option", "environment"):
            with self.subTest(how=how):
                User.objects.filter(username="admin").delete()
                password = f"a-long-{how}-passphrase-for-lindeveld"
                if how == "option":
                    output = load_demo(type(self), "--admin-password", password)
                else:
                    with mock.patch.dict(os.environ, {"LEERSTAD_DEMO_ADMIN_PASSWORD": password}):
                        output = load_demo(type(self))
                self.assertTrue(User.objects.get(username="admin").check_password(password))
                self.assertNotIn(password, output)
                self.assertNotIn("leerstad-demo", output)
        User.objects.filter(username="admin").delete()
        load_demo(type(self), "--no-admin")
        self.assertFalse(User.objects.filter(username="admin").exists())

    def test_says_how_far_it_got_as_it_goes(self):
        # One line per app; the long steps count as they go, so that make run is never silent for long.
        self.assertRegex(self.output, r"(?m)^  learningcity… \d+ items, \d+ s$")
        self.assertRegex(self.output, r"(?m)^  partners… translated 20 40 \d+, \d+ items, \d+ s$")
        self.assertRegex(
            self.output, r"(?m)^  events… in Dutch 25 50 [\d ]+, translated 25 50 [\d ]+, \d+ items, \d+ s$"
        )

    # The learning city.

    def test_builds_the_portal_in_three_languages(self):
        self.assertIn("Admin login: admin / leerstad-demo", self.output)
        homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}
        self.assertEqual(set(homes), {"nl", "en", "fr"})
        self.assertEqual(homes["en"].city_name, "Learning City Lindeveld")
        self.assertEqual(homes["fr"].city_name, "Ville apprenante de Lindeveld")
        for code in ("nl", "en", "fr"):
            self.assertEqual(ContentPage.objects.filter(locale__language_code=code).live().count(), 4)
        response = self.client.get("/fr/")
        self.assertContains(response, "Ville apprenante de Lindeveld")
        self.assertContains(response, '<html lang="fr">')
        self.assertContains(self.client.get("/en/"), "Lifelong learning")

    def test_the_home_page_shows_featured_offers_and_this_weeks_activities_in_three_languages(self):
        featured = {
            "nl": ("Bibliotheek Lindeveld", "Taalcafé Nederlands", "Deze week"),
            "en": ("Lindeveld Library", "Dutch language café", "This week"),
            "fr": ("Bibliothèque Lindeveld", "Café linguistique néerlandais", "Cette semaine"),
        }
        for code, (library, cafe, week) in featured.items():
            with self.subTest(language=code):
                body = self.client.get(f"/{code}/").content.decode()
                cards = body[body.index('class="home-section featured"') :]
                self.assertIn(library, cards[: cards.index("</section>")])
                self.assertIn(cafe, cards[: cards.index("</section>")])
                self.assertIn(f'<h2 id="this-week-heading">{week}</h2>', body)
                this_week = body[body.index('class="home-section this-week"') :]
                self.assertGreaterEqual(this_week[: this_week.index("</section>")].count('<li class="activity'), 3)
        homes = HomePage.objects.all()
        self.assertEqual({home.featured_items.count() for home in homes}, {6})

    def test_demo_admin_uses_the_dutch_admin(self):
        self.client.login(username="admin", password="leerstad-demo")
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'lang="nl"')
        self.assertContains(response, "Pagina's")

    # The partner directory.

    def test_builds_the_directory_in_three_languages(self):
        for code in ("nl", "en", "fr"):
            with self.subTest(language=code):
                partners = PartnerPage.objects.filter(locale__language_code=code).live()
                self.assertEqual(partners.count(), 40)
                self.assertEqual(ChildCentrePage.objects.filter(locale__language_code=code).live().count(), 6)
                self.assertEqual(Network.objects.filter(locale__language_code=code).count(), 2)
                self.assertEqual(Partnership.objects.filter(locale__language_code=code).count(), 6)
        self.assertTrue(PartnerIndexPage.objects.get(locale__language_code="nl").show_in_menus)
        self.assertTrue(ChildCentreIndexPage.objects.get(locale__language_code="nl").show_in_menus)
        self.assertEqual(Municipality.objects.filter(region="Lindestreek").count(), 3)

    def test_partners_span_kinds_sectors_and_municipalities(self):
        partners = PartnerPage.objects.filter(locale__language_code="nl")
        self.assertGreaterEqual(partners.values("kind").distinct().count(), 15)
        self.assertEqual(partners.values("sector").distinct().count(), 5)
        self.assertEqual(partners.values("municipality").distinct().count(), 3)
        aspnet = partners.get(is_aspnet_member=True)
        self.assertEqual(aspnet.aspnet_since, 2019)
        self.assertFalse(partners.filter(sdg_targets__isnull=True).exists())
        self.assertFalse(partners.exclude(email__endswith=".example").exists())
        self.assertFalse(partners.exclude(phone="").exists())

    def test_titles_summaries_and_networks_are_translated(self):
        school = PartnerPage.objects.get(locale__language_code="fr", external_id="LDV-BS-001")
        self.assertEqual(school.title, "École primaire De Linde")
        self.assertIn("Lindeveld", school.summary)
        self.assertEqual(school.aspnet_since, 2019)
        self.assertEqual(sorted(school.sdg_targets.values_list("code", flat=True)), ["4.1", "4.2", "4.7"])
        network = Network.objects.get(locale__language_code="en", slug="stem-lindestreek")
        self.assertEqual(network.name, "Lindestreek STEM partnership")
        centre = ChildCentrePage.objects.get(locale__language_code="en", external_id="IKC-99001-01")
        self.assertEqual(centre.title, "De Linde Integral Child Centre")
        self.assertEqual(sorted(centre.sdg_targets.values_list("code", flat=True)), ["10.2", "4.2"])

    def test_partnerships_include_a_north_south_school_partnership_and_a_twin_town(self):
        school_partnership = Partnership.objects.get(locale__language_code="nl", kind="north-south-school")
        abroad = school_partnership.participants.get(partner__isnull=True)
        self.assertEqual(abroad.external_country, "Senegal")
        self.assertTrue(Partnership.objects.filter(locale__language_code="nl", kind="twin-town").exists())
        for partnership in Partnership.objects.filter(locale__language_code="nl"):
            with self.subTest(partnership=partnership.title):
                self.assertGreaterEqual(partnership.participants.count(), 2)

    def test_child_centres_have_members_hours_ages_and_services(self):
        for centre in ChildCentrePage.objects.filter(locale__language_code="nl"):
            with self.subTest(centre=centre.title):
                self.assertGreaterEqual(centre.member_partners.count(), 2)
                self.assertTrue(centre.opening_hours.exists())
                self.assertTrue(centre.services.exists())
                self.assertLessEqual(centre.min_age_months, centre.max_age_months)

    def test_the_demo_exports_and_imports_back_unchanged(self):
        with TemporaryDirectory() as folder:
            for export, import_ in (
                ("export_partners", "import_partners"),
                ("export_childcentres", "import_childcentres"),
            ):
                path = str(Path(folder) / f"{export}.csv")
                call_command(export, path, stdout=io.StringIO())
                out = io.StringIO()
                call_command(import_, path, stdout=out, stderr=io.StringIO())
                self.assertIn("Nothing changed", out.getvalue())

    # The agenda.

    def test_the_agenda_is_in_the_menu_in_three_languages(self):
        agendas = {page.locale.language_code: page for page in EventIndexPage.objects.live().select_related("locale")}
        self.assertEqual(set(agendas), {"nl", "en", "fr"})
        self.assertTrue(agendas["nl"].show_in_menus)
        self.assertEqual(agendas["nl"].get_parent().specific_class, HomePage)
        self.assertEqual(agendas["en"].title, "Events")

    def test_about_150_events_in_three_languages_organised_by_demo_partners(self):
        for code in ("nl", "en", "fr"):
            with self.subTest(language=code):
                self.assertEqual(EventPage.objects.filter(locale__language_code=code).live().count(), 151)
        events = EventPage.objects.filter(locale__language_code="nl")
        self.assertFalse(events.filter(organisers__isnull=True).exists())
        self.assertFalse(
            events.filter(organisers__external_id="").exists(), "every organiser is a demo partner (external_id)"
        )
        under_partners = sum(isinstance(page.get_parent().specific, PartnerPage) for page in events)
        self.assertGreater(under_partners, 100)
        self.assertGreater(events.child_of(EventIndexPage.objects.get(locale__language_code="nl")).count(), 0)

    def test_events_cover_the_kinds_of_the_learning_offer(self):
        events = EventPage.objects.filter(locale__language_code="nl")
        self.assertGreaterEqual(events.filter(frequency="weekly", excluded_dates__isnull=False).distinct().count(), 10)
        self.assertGreaterEqual(events.filter(all_day=True).count(), 14)
        self.assertTrue(events.filter(all_day=True, end_date__gte=timezone.localdate() - timedelta(days=400)).exists())
        self.assertTrue(any(page.end_date and page.end_date > page.start_date for page in events.filter(all_day=True)))
        self.assertEqual(events.filter(status=EventStatus.CANCELLED).count(), 2)
        self.assertGreaterEqual(events.filter(attendance_mode=AttendanceMode.ONLINE).count(), 6)
        self.assertFalse(events.filter(attendance_mode=AttendanceMode.ONLINE, online_url="").exists())
        for theme in ("stem", "reading", "languages", "parenting", "digital-skills"):
            with self.subTest(theme=theme):
                self.assertGreaterEqual(events.filter(themes__code=theme).count(), 5)
        self.assertFalse(
            events.exclude(registration_email="").exclude(registration_email__endswith=".example").exists()
        )

    def test_occurrences_lie_around_today_with_one_cancelled_date_in_a_series(self):
        today = timezone.localdate()
        self.assertGreater(Occurrence.objects.between(today, today + timedelta(days=30)).count(), 50)
        self.assertTrue(Occurrence.objects.filter(start__lt=timezone.now()).exists())
        cancelled_date = Occurrence.objects.filter(status=EventStatus.CANCELLED, event__status=EventStatus.SCHEDULED)
        self.assertEqual(cancelled_date.count(), 1)
        self.assertEqual(cancelled_date.get().event.frequency, "weekly")

    def test_event_texts_are_translated(self):
        french, english = Locale.objects.get(language_code="fr"), Locale.objects.get(language_code="en")
        robots = EventPage.objects.get(locale__language_code="nl", slug="robots-bouwen-1").get_translation(french)
        self.assertEqual(robots.title, "Atelier STEM : construire des robots")
        cancelled = EventPage.objects.get(locale__language_code="nl", slug="schrijversavond-9").get_translation(english)
        self.assertEqual(cancelled.status_reason, "The library is closed for renovation.")
        self.assertEqual(cancelled.status, EventStatus.CANCELLED)

    def test_translated_pages_have_slugs_from_their_translated_titles(self):
        dutch_cafe = "/bibliotheek-lindeveld/taalcafe-1/"
        cafe = EventPage.objects.get(locale__language_code="nl", url_path__endswith=dutch_cafe)
        urls = {page.locale.language_code: page.url for page in cafe.get_translations().select_related("locale")}
        self.assertEqual(
            urls,
            {
                "en": "/en/partners/lindeveld-library/dutch-language-cafe/",
                "fr": "/fr/partenaires/bibliotheque-lindeveld/cafe-linguistique-neerlandais/",
            },
        )
        for url in urls.values():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        agendas = {page.locale.language_code: page.url for page in EventIndexPage.objects.select_related("locale")}
        self.assertEqual(agendas, {"nl": "/nl/agenda/", "en": "/en/events/", "fr": "/fr/agenda/"})
        # Only a page whose title is the same in Dutch (a name: "Contact", "Wereldklas") keeps the Dutch slug.
        dutch = {key: (slug, title) for key, slug, title in self.pages_in("nl")}
        for code in ("en", "fr"):
            for key, slug, title in self.pages_in(code):
                if slug == dutch[key][0]:
                    with self.subTest(language=code, slug=slug):
                        self.assertEqual(title, dutch[key][1])

    @staticmethod
    def pages_in(language_code):
        pages = Page.objects.filter(locale__language_code=language_code, depth__gt=2)
        return pages.values_list("translation_key", "slug", "title")

    def test_demo_pages_are_in_the_search_and_reference_indexes(self):
        # load_demo indexes each object once at the end (deferred_indexing); the result must match per-save indexing.
        french = Locale.objects.get(language_code="fr")
        results = EventPage.objects.live().filter(locale=french).search("robots")
        self.assertEqual({page.title for page in results}, {"Atelier STEM : construire des robots"})
        library = PartnerPage.objects.get(locale__language_code="nl", external_id="LDV-BIB-001")
        self.assertTrue(ReferenceIndex.get_references_to(library).exists())


@database_independent
class ProductionDemoTests(SimpleTestCase):
    def test_load_demo_under_the_production_settings_module_refuses_without_a_password(self):
        environment = {key: value for key, value in os.environ.items() if not key.startswith("LEERSTAD_DEMO")}
        with TemporaryDirectory() as var:
            environment.update(
                DJANGO_SETTINGS_MODULE="leerstad_site.settings.production",
                SECRET_KEY="a-production-secret-" + "x" * 50,
                ALLOWED_HOSTS="leren.lindeveld.example",
                DATABASE_URL=f"sqlite:///{var}/empty.sqlite3",
                LEERSTAD_VAR_DIR=var,
            )
            result = subprocess.run(  # noqa: S603
                [sys.executable, str(ROOT / "manage.py"), "load_demo"],
                capture_output=True,
                text=True,
                env=environment,
                cwd=ROOT,
                timeout=120,
                check=False,
            )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("--admin-password", result.stderr)


@database_independent
class FreshDatabaseTests(SimpleTestCase):
    def test_migrate_builds_an_empty_database_under_the_settings_make_run_uses(self):
        # As `make run` on a fresh clone: the development settings, page fragments cached, each process its own
        # cache (the content version then lives in a table that data migrations run before).
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE") and not key.startswith("LEERSTAD_")
        }
        with TemporaryDirectory() as var:
            environment.update(DJANGO_SETTINGS_MODULE="leerstad_site.settings.dev", LEERSTAD_VAR_DIR=var)
            result = subprocess.run(  # noqa: S603
                [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input"],
                capture_output=True,
                text=True,
                env=environment,
                cwd=ROOT,
                timeout=300,
                check=False,
            )
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
