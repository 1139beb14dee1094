"""The home page: this week's activities, entry points by life stage, featured offers and SDG tiles."""

import html
import re
from datetime import UTC, date, datetime, time

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext, override_settings
from wagtail.models import Page, PageViewRestriction, Site

from events.models import AudienceGroup, EventStatus
from learningcity.models import HomePage, HomePageFeaturedItem, SDGTarget
from tests.events.factories import EventIndexPageFactory, EventPageFactory, publish
from tests.partners.factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)

from .factories import ContentPageFactory, HomePageFactory, SDGIndexPageFactory
from .utils import make_portal, sync_translation

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)  # a Tuesday, 13:00 in Brussels
QUERIES = 43  # the home page's, with the fragment cache off as in the tests


def section(response, name: str) -> str:
    """The HTML of the home page's section with the class ``name``."""
    match = re.search(rf'<section class="home-section {name}".*?</section>', response.content.decode(), re.S)
    if match is None:
        raise AssertionError(f"no {name} section on the page")
    return match[0]


def this_week(response) -> list[tuple[str, str]]:
    """(title, start) of each date listed for this week."""
    rows = re.findall(r'<li class="activity[^"]*">(.*?)</li>', section(response, "this-week"), re.S)
    return [
        (
            html.unescape(re.search(r"<h3><a [^>]*>(.*?)</a></h3>", row, re.S)[1]),
            re.findall(r'datetime="([^"]+)"', row)[1],
        )
        for row in rows
    ]


def links(fragment: str) -> dict[str, str]:
    """The links of an HTML fragment, by their words."""
    return {
        html.unescape(text): html.unescape(url)
        for url, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', fragment)
    }


def tagged(page, *codes):
    page.sdg_targets.set(SDGTarget.objects.filter(code__in=codes))
    return page


@time_machine.travel(NOW, tick=False)
class HomePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, cls.locales = make_portal()
            en = cls.locales["en"]
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            directory = PartnerIndexPageFactory(parent=cls.home)
            cls.centres = ChildCentreIndexPageFactory(parent=cls.home)
            cls.sdg = SDGIndexPageFactory(parent=cls.home)
            for page in (cls.agenda, directory, cls.centres, cls.sdg):
                for code in ("en", "fr"):
                    sync_translation(page, cls.locales[code])
            cls.library = tagged(PartnerPageFactory(parent=directory, title="Bibliotheek Noord"), "4.7", "11.4")
            cls.library.save_revision().publish()
            cls.school = PartnerPageFactory(parent=directory, title="Sint-Jozefschool")
            cls.toddlers_centre = ChildCentrePageFactory(
                parent=cls.centres, title="Kindcentrum De Dreumes", min_age_months=0, max_age_months=47
            )
            cls.school_centre = ChildCentrePageFactory(
                parent=cls.centres, title="Kindcentrum De Brug", min_age_months=48, max_age_months=144
            )
            for centre in (cls.toddlers_centre, cls.school_centre):
                sync_translation(centre, en)
            groups = {group.code: group for group in AudienceGroup.objects.all()}

            def event(title, day, hour=19, **fields):
                audience = fields.pop("audience", ())
                sdg = fields.pop("sdg", ())
                page = EventPageFactory(
                    parent=fields.pop("parent", cls.agenda),
                    title=title,
                    start_date=day,
                    start_time=time(hour),
                    end_time=time(hour + 1),
                    venue=fields.pop("venue", cls.library),
                    **fields,
                )
                page.audience_groups.set([groups[code] for code in audience])
                tagged(page, *sdg)
                return publish(page)

            # In three days, for toddlers, translated into English.
            cls.language_cafe = event("Taalcafé", date(2026, 3, 6), min_age=0, max_age=3, sdg=("4.7",))
            english = sync_translation(cls.language_cafe, en)
            english.title = "Language café"
            publish(english)
            # Every day from today at 15:00: listed once, with its next date.
            cls.camp = event(
                "Voorjaarskamp", date(2026, 3, 3), hour=15, frequency="daily", count=5, min_age=4, max_age=11
            )
            # For adults, tomorrow.
            cls.course = event("Computercursus", date(2026, 3, 4), hour=10, min_age=18, audience=("adults",))
            # Not this week: in nine days, over this morning, cancelled, unpublished, private, another site's.
            event("Zomerschool", date(2026, 3, 12))
            event("Ochtendwandeling", date(2026, 3, 3), hour=9)
            event("Afgelast", date(2026, 3, 5), status=EventStatus.CANCELLED)
            draft = event("Ingetrokken", date(2026, 3, 5))
            with cls.captureOnCommitCallbacks(execute=True):
                draft.unpublish()
            private = event("Besloten", date(2026, 3, 5), sdg=("4.1",))
            PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
            other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="elders", locale=cls.locales["nl"])
            Site.objects.create(hostname="elders.example", port=80, root_page=other_home, site_name="Elders")
            event("Elders", date(2026, 3, 5), parent=EventIndexPageFactory(parent=other_home), venue=None, sdg=("4.1",))

            cls.news = ContentPageFactory(parent=cls.home, title="Leren in Lindeveld", intro="Wat de stad doet.")
            cls.withdrawn = ContentPageFactory(parent=cls.home, title="Oud nieuws")
            with cls.captureOnCommitCallbacks(execute=True):
                cls.withdrawn.unpublish()
            cls.home.featured_items.create(page=cls.language_cafe, sort_order=0)
            cls.home.featured_items.create(page=cls.withdrawn, sort_order=1)
            cls.home.featured_items.create(page=cls.library, sort_order=2)
            cls.home.featured_items.create(page=cls.news, sort_order=3)
            cls.home.save_revision().publish()
            for code in ("en", "fr"):
                sync_translation(cls.home, cls.locales[code])

    def setUp(self):
        # A test travelling to a later day leaves entries that, back on NOW, seem not to have expired yet.
        cache.clear()

    def test_this_week_lists_the_next_date_of_each_event_in_the_coming_seven_days(self):
        response = self.client.get("/nl/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            this_week(response),
            [
                ("Voorjaarskamp", "2026-03-03T15:00:00+01:00"),
                ("Computercursus", "2026-03-04T10:00:00+01:00"),
                ("Taalcafé", "2026-03-06T19:00:00+01:00"),
            ],
        )
        week = section(response, "this-week")
        self.assertIn('<h2 id="this-week-heading">Deze week</h2>', week)
        self.assertIn('<time datetime="2026-03-06">vrijdag 6 maart 2026</time>', week)
        self.assertIn(f'<a href="/nl/agenda/{self.language_cafe.slug}/">Taalcafé</a>', week)
        self.assertIn('<p class="place">Bibliotheek Noord', week)
        for absent in ("Zomerschool", "Ochtendwandeling", "Afgelast", "Ingetrokken", "Besloten", "Elders"):
            with self.subTest(absent=absent):
                self.assertNotIn(absent, week)

    def test_all_activities_this_week_leads_to_the_agenda_of_the_next_seven_days(self):
        week = section(self.client.get("/nl/"), "this-week")
        # The camp's five days, the course, the café, and this morning's walk (over, but in the agenda's week).
        url = links(week)["Alle activiteiten van deze week (8 datums)"]
        self.assertEqual(url, "/nl/agenda/?when=week")
        agenda = self.client.get(url)
        self.assertEqual(agenda.context["result_count"], 8)
        self.assertNotIn("Zomerschool", {item.page.title for item in agenda.context["results"]})

    def test_this_week_follows_the_visitors_language(self):
        response = self.client.get("/en/")
        week = section(response, "this-week")
        self.assertIn('<h2 id="this-week-heading">This week</h2>', week)
        self.assertIn(f'<a href="/en/agenda/{self.language_cafe.slug}/">Language café</a>', week)
        self.assertIn(f'<a href="/nl/agenda/{self.camp.slug}/" lang="nl" hreflang="nl">Voorjaarskamp</a>', week)
        self.assertIn('<time datetime="2026-03-06">Friday 6 March 2026</time>', week)
        self.assertEqual(links(week)["All activities this week (8 dates)"], "/en/agenda/?when=week")

    def test_a_week_without_activities_says_so_and_links_to_the_agenda(self):
        with time_machine.travel(datetime(2026, 5, 4, 12, tzinfo=UTC), tick=False):
            week = section(self.client.get("/nl/"), "this-week")
        self.assertIn('<p class="empty-state">Er staat de komende zeven dagen niets in de agenda.</p>', week)
        self.assertNotIn("<ul", week)
        self.assertEqual(links(week), {"Alle komende activiteiten in de agenda": "/nl/agenda/"})

    def test_life_stage_links_lead_to_the_agenda_and_child_centres_filtered_for_them(self):
        stages = section(self.client.get("/en/"), "life-stages")
        found = links(stages)
        self.assertEqual(
            list(found),
            [
                "Activities for children aged 0 to 4",
                "Child centres for children aged 0 to 4",
                "Activities for children aged 4 to 12",
                "Child centres for children aged 4 to 12",
                "Activities for young people aged 12 to 18",
                "Activities for adults",
                "Activities for seniors",
                "Activities for parents",
                "Activities for teachers",
            ],
        )
        for heading in ("0 to 4 years", "4 to 12 years", "12 to 18 years", "Adults", "Seniors (65+)", "Parents"):
            with self.subTest(heading=heading):
                self.assertIn(f"<h3>{heading}</h3>", stages)
        self.assertEqual(found["Activities for children aged 0 to 4"], "/en/agenda/?age=0&age=1&age=2&age=3")
        self.assertEqual(found["Activities for adults"], "/en/agenda/?audience=adults")

        def agenda_titles(url):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            return {item.page.title for item in response.context["results"]}

        # The agenda keeps the stage's ages as ticked boxes, so narrowing the list further keeps them.
        self.assertContains(
            self.client.get(found["Activities for children aged 0 to 4"]),
            '<input type="checkbox" name="age" value="3" id="id_age_3" checked>',
            html=False,
        )
        toddlers = agenda_titles(found["Activities for children aged 0 to 4"])
        self.assertIn("Language café", toddlers)
        self.assertNotIn("Computercursus", toddlers)
        self.assertNotIn("Voorjaarskamp", toddlers)
        self.assertIn("Voorjaarskamp", agenda_titles(found["Activities for children aged 4 to 12"]))
        self.assertEqual(agenda_titles(found["Activities for adults"]), {"Computercursus"})

        centres = self.client.get(found["Child centres for children aged 0 to 4"])
        self.assertEqual(centres.status_code, 200)
        self.assertEqual([page.title for page in centres.context["results"]], ["Kindcentrum De Dreumes"])
        older = self.client.get(found["Child centres for children aged 4 to 12"])
        self.assertEqual([page.title for page in older.context["results"]], ["Kindcentrum De Brug"])

    def test_featured_offers_show_in_each_language_and_leave_out_unpublished_pages(self):
        cases = {
            "nl": [
                ("Activiteit", "Taalcafé", f"/nl/agenda/{self.language_cafe.slug}/"),
                ("Partner", "Bibliotheek Noord", f"/nl/partners/{self.library.slug}/"),
                ("Inhoudspagina", "Leren in Lindeveld", f"/nl/{self.news.slug}/"),
            ],
            "en": [
                ("Event", "Language café", f"/en/agenda/{self.language_cafe.slug}/"),
                ("Partner", "Bibliotheek Noord", f"/nl/partners/{self.library.slug}/"),
                ("Content page", "Leren in Lindeveld", f"/nl/{self.news.slug}/"),
            ],
            "fr": [
                ("Activité", "Taalcafé", f"/nl/agenda/{self.language_cafe.slug}/"),
                ("Partenaire", "Bibliotheek Noord", f"/nl/partners/{self.library.slug}/"),
                ("Page de contenu", "Leren in Lindeveld", f"/nl/{self.news.slug}/"),
            ],
        }
        for language, expected in cases.items():
            with self.subTest(language=language):
                featured = section(self.client.get(f"/{language}/"), "featured")
                cards = re.findall(
                    r'<p class="card-kind"[^>]*>(.*?)</p>\s*<h3><a href="([^"]+)"[^>]*>(.*?)</a></h3>', featured
                )
                self.assertEqual([(kind, html.unescape(title), url) for kind, url, title in cards], expected)
                self.assertNotIn("Oud nieuws", featured)
        english = section(self.client.get("/en/"), "featured")
        self.assertIn('<li class="card" lang="nl">', english)
        self.assertIn("<p>Wat de stad doet.</p>", english)

    def test_sdg_tiles_count_the_live_public_pages_of_this_site_tagged_with_each_goal(self):
        tiles = section(self.client.get("/en/"), "sdg-tiles")
        found = re.findall(
            r'<li class="sdg-goal sdg-(\d+)[^"]*">\s*<a href="([^"]+)">.*?</a>\s*<p class="sdg-count">(.*?)</p>',
            tiles,
            re.S,
        )
        self.assertEqual([int(number) for number, _url, _count in found][:3], [4, 11, 1])
        self.assertEqual(len(found), 17)
        counts = {int(number): text for number, _url, text in found}
        # The café and its English translation count once; the private event and the other site's do not.
        self.assertEqual(counts[4], "1 partner · 1 event")
        self.assertEqual(counts[11], "1 partner")
        self.assertEqual(counts[1], "Nothing tagged yet")
        self.assertEqual(found[0][1], f"/en/{self.sdg.get_translation(self.locales['en']).slug}/4/")
        self.assertIn('class="sdg-goal sdg-4 sdg-goal--first"', tiles)
        goal = self.client.get(found[0][1])
        self.assertEqual(goal.status_code, 200)

    def test_the_home_page_reads_as_many_queries_with_many_events_and_partners(self):
        # Routing, settings and menus; this week (hidden events, count, first dates, events, translations, agenda);
        # the life stages' agenda and child-centre listing; the featured pages (rows, translations, one query per page
        # type); the SDG counts (one query per tagged page type), goals and overview page. Fragments are not cached in
        # the tests.
        self.client.get("/nl/")  # the first visit makes the site's settings
        with self.assertNumQueries(QUERIES):
            self.assertEqual(self.client.get("/nl/").status_code, 200)
        directory = self.library.get_parent()
        targets = list(SDGTarget.objects.filter(code__in=["4.3", "11.1", "13.3"]))
        for n in range(12):
            partner = PartnerPageFactory(parent=directory, title=f"Partner {n}")
            partner.sdg_targets.set(targets)
            partner.save_revision().publish()
            page = EventPageFactory(
                parent=self.agenda, title=f"Cursus {n}", start_date=date(2026, 3, 4 + n % 4), venue=partner
            )
            page.sdg_targets.set(targets)
            publish(page)
        with self.assertNumQueries(QUERIES):
            response = self.client.get("/nl/")
        self.assertEqual(len(this_week(response)), 6)
        self.assertIn("13 partners", section(response, "sdg-tiles"))

    def test_the_page_expires_with_the_minute_as_this_week_moves_on(self):
        with time_machine.travel(datetime(2026, 3, 3, 12, 0, 45, tzinfo=UTC), tick=False):
            self.assertEqual(self.client.get("/nl/")["Cache-Control"], "max-age=15")
        with time_machine.travel(datetime(2026, 3, 3, 15, 30, tzinfo=UTC), tick=False):  # the camp's day is over
            self.assertEqual(
                this_week(self.client.get("/nl/"))[:2],
                [("Computercursus", "2026-03-04T10:00:00+01:00"), ("Voorjaarskamp", "2026-03-04T15:00:00+01:00")],
            )

    @override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300)
    def test_the_offers_are_cached_under_the_content_version_while_this_week_moves_on(self):
        with time_machine.travel(datetime(2026, 3, 3, 14, 58, tzinfo=UTC), tick=False):
            self.client.get("/en/")  # the first visit makes the site's settings, a change of content
            before = self.client.get("/nl/")
        self.assertEqual(this_week(before)[0], ("Voorjaarskamp", "2026-03-03T15:00:00+01:00"))
        # Three minutes on (the page itself expired with its minute), the camp's day is over.
        with time_machine.travel(datetime(2026, 3, 3, 15, 1, tzinfo=UTC), tick=False):
            with CaptureQueriesContext(connection) as captured:
                after = self.client.get("/nl/")
            self.assertEqual(this_week(after)[0], ("Computercursus", "2026-03-04T10:00:00+01:00"))
            self.assertEqual(section(after, "featured"), section(before, "featured"))
            self.assertFalse([query for query in captured if "learningcity_homepagefeatureditem" in query["sql"]])
            with self.captureOnCommitCallbacks(execute=True):
                self.library.unpublish()
            featured = section(self.client.get("/nl/"), "featured")
        self.assertNotIn("Bibliotheek Noord", featured)
        self.assertIn("Taalcafé", featured)

    @override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300)
    def test_a_preview_shows_the_drafts_featured_offers_not_the_cached_ones(self):
        course = ContentPageFactory(parent=self.home, title="Nieuwe cursus")
        self.client.get("/en/")  # the first visit makes the site's settings, a change of content
        self.assertNotIn("Nieuwe cursus", section(self.client.get("/nl/"), "featured"))  # now cached
        draft = HomePage.objects.get(pk=self.home.pk)
        draft.featured_items.add(HomePageFeaturedItem(page=course))
        self.assertIn("Nieuwe cursus", section(draft.make_preview_request(), "featured"))
        self.assertNotIn("Nieuwe cursus", section(self.client.get("/nl/"), "featured"))
