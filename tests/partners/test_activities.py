"""Partner and child-centre pages list their upcoming activities: what the partners organise or host."""

import html
import re
from datetime import UTC, date, datetime, time

import time_machine
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from events.models import EventStatus
from tests.events.factories import EventIndexPageFactory, EventPageFactory, publish
from tests.learningcity.factories import HomePageFactory
from tests.learningcity.utils import make_portal, sync_translation

from .factories import ChildCentreIndexPageFactory, ChildCentrePageFactory, PartnerIndexPageFactory, PartnerPageFactory

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)  # a Tuesday
SECTION = re.compile(r'<section class="upcoming-activities".*?</section>', re.S)


def activities(response) -> str:
    """The HTML of the page's upcoming activities section."""
    match = SECTION.search(response.content.decode())
    if match is None:
        raise AssertionError("no upcoming activities on the page")
    return match[0]


def listed(response) -> list[tuple[str, str]]:
    """(title, start) of each listed date, as the section's links and ``<time>`` elements give them."""
    rows = re.findall(r"<li class=\"activity[^\"]*\">(.*?)</li>", activities(response), re.S)
    return [
        (
            html.unescape(re.search(r"<h3><a [^>]*>(.*?)</a></h3>", row, re.S)[1]),
            re.findall(r'datetime="([^"]+)"', row)[1],
        )
        for row in rows
    ]


def agenda_link(response) -> tuple[str, str]:
    """The section's link to the agenda: (its URL, its text)."""
    link = re.search(r'<p class="more"><a href="([^"]+)">(.*?)</a></p>', activities(response), re.S)
    if link is None:
        raise AssertionError("no link to the agenda")
    return html.unescape(link[1]), link[2]


@time_machine.travel(NOW, tick=False)
class PartnerActivitiesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, cls.locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            directory = PartnerIndexPageFactory(parent=cls.home)
            centres = ChildCentreIndexPageFactory(parent=cls.home)
            cls.library = PartnerPageFactory(parent=directory, title="Bibliotheek Noord")
            cls.school = PartnerPageFactory(parent=directory, title="Sint-Jozefschool")
            cls.quiet = PartnerPageFactory(parent=directory, title="Stille Partner")
            cls.centre_hall = PartnerPageFactory(parent=directory, title="Buurthuis")
            cls.centre = ChildCentrePageFactory(parent=centres, title="Kindcentrum De Linde")
            cls.centre.member_partners.set([cls.library, cls.school])
            cls.centre.save_revision().publish()
            for page in (cls.agenda, directory, centres, cls.centre):
                sync_translation(page, cls.locales["en"])
            cls.english_library = sync_translation(cls.library, cls.locales["en"])

            # Every Wednesday at the library, organised by it; the second date is cancelled.
            reading = EventPageFactory(
                parent=cls.agenda,
                title="Voorlezen",
                start_date=date(2026, 3, 4),
                start_time=time(14, 0),
                end_time=time(15, 0),
                frequency="weekly",
                weekdays=[2],
                count=6,
                venue=cls.library,
            )
            reading.organisers.set([cls.library])
            cls.reading = publish(
                reading, exceptions=[{"original_date": date(2026, 3, 11), "status": EventStatus.CANCELLED}]
            )
            english = sync_translation(cls.reading, cls.locales["en"])
            english.title = "Story time"
            publish(english)
            # At the library, organised by the school.
            talk = EventPageFactory(parent=cls.agenda, title="Lezing", start_date=date(2026, 3, 5), venue=cls.library)
            talk.organisers.set([cls.school])
            cls.talk = publish(talk)
            # Not the library's: over, private, on another site, or someone else's.
            over = EventPageFactory(parent=cls.agenda, title="Voorbij", start_date=date(2026, 3, 2), venue=cls.library)
            publish(over)
            private = EventPageFactory(parent=cls.agenda, title="Besloten", start_date=date(2026, 3, 6))
            private.organisers.set([cls.library])
            publish(private)
            PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
            other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="elders", locale=cls.locales["nl"])
            Site.objects.create(hostname="elders.example", port=80, root_page=other_home, site_name="Elders")
            elsewhere = EventPageFactory(
                parent=EventIndexPageFactory(parent=other_home), title="Elders", start_date=date(2026, 3, 6)
            )
            elsewhere.organisers.set([cls.library])
            publish(elsewhere)
            market = EventPageFactory(
                parent=cls.agenda, title="Buurtmarkt", start_date=date(2026, 3, 6), venue=cls.centre_hall
            )
            market.organisers.set([cls.centre_hall])
            publish(market)

    def test_partner_page_lists_the_next_dates_it_organises_or_hosts(self):
        response = self.client.get(self.library.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            listed(response),
            [
                ("Voorlezen", "2026-03-04T14:00:00+01:00"),
                ("Lezing", "2026-03-05T19:00:00+01:00"),
                ("Voorlezen", "2026-03-18T14:00:00+01:00"),
                ("Voorlezen", "2026-03-25T14:00:00+01:00"),
                ("Voorlezen", "2026-04-01T14:00:00+02:00"),
            ],
        )
        section = activities(response)
        self.assertIn('<h2 id="upcoming-activities-heading">Komende activiteiten</h2>', section)
        self.assertIn('<time datetime="2026-03-04">woensdag 4 maart 2026</time>', section)
        self.assertIn(f'<a href="/nl/agenda/{self.reading.slug}/">Voorlezen</a>', section)
        for absent in ("Voorbij", "Besloten", "Elders", "Buurtmarkt", "2026-03-11"):
            with self.subTest(absent=absent):
                self.assertNotIn(absent, section)

    def test_the_agenda_link_counts_and_lists_the_same_dates(self):
        response = self.client.get(self.library.url)
        url, text = agenda_link(response)
        self.assertEqual(url, f"/nl/agenda/?partner={self.library.pk}")
        self.assertEqual(text, "Alle activiteiten in de agenda (6 datums)")
        agenda = self.client.get(url)
        self.assertContains(agenda, "6 datums gevonden")
        shown = [(item.page.title, timezone.localtime(item.start).isoformat()) for item in agenda.context["results"]]
        self.assertEqual(shown[:5], listed(response))
        # The partner page's own links to the agenda and the calendar name the same activities.
        self.assertContains(response, f'href="/nl/agenda/?partner={self.library.pk}"', count=2)
        self.assertRegex(
            response.content.decode(),
            rf'href="webcal://testserver/feeds/events.ics\?partner={self.library.pk}&amp;locale=nl"',
        )

    def test_titles_and_links_follow_the_visitors_language(self):
        response = self.client.get(f"/en/partners/{self.library.slug}/")
        section = activities(response)
        self.assertIn("Upcoming activities", section)
        self.assertIn(f'<a href="/en/agenda/{self.reading.slug}/">Story time</a>', section)
        self.assertIn(f'<a href="/nl/agenda/{self.talk.slug}/" lang="nl" hreflang="nl">Lezing</a>', section)
        self.assertIn('<time datetime="2026-03-04">Wednesday 4 March 2026</time>', section)
        self.assertEqual(
            agenda_link(response),
            (f"/en/agenda/?partner={self.english_library.pk}", "All activities in the agenda (6 dates)"),
        )

    def test_a_partner_that_only_organises_elsewhere_lists_those_dates(self):
        response = self.client.get(self.school.url)
        self.assertEqual(listed(response), [("Lezing", "2026-03-05T19:00:00+01:00")])
        self.assertEqual(agenda_link(response)[1], "Alle activiteiten in de agenda (1 datum)")

    def test_a_partner_without_activities_says_so(self):
        response = self.client.get(self.quiet.url)
        section = activities(response)
        self.assertIn('<p class="empty-state">Geen komende activiteiten.</p>', section)
        self.assertNotIn("<ul", section)
        self.assertNotIn('class="more"', section)
        # The subscription stays: activities may come.
        self.assertContains(response, "Abonneer u op de activiteiten van Stille Partner")

    def test_child_centre_lists_what_its_member_partners_organise_or_host(self):
        response = self.client.get(f"/en/kindcentra/{self.centre.slug}/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            [title for title, _start in listed(response)],
            ["Story time", "Lezing", "Story time", "Story time", "Story time"],
        )
        url, text = agenda_link(response)
        # The partners as the English page names them: the library's translation, the untranslated school.
        self.assertEqual(url, f"/en/agenda/?partner={self.school.pk}&partner={self.english_library.pk}")
        self.assertEqual(text, "All activities in the agenda (6 dates)")
        self.assertEqual(self.client.get(url).context["result_count"], 6)
        self.assertNotIn("Buurtmarkt", activities(response))

    def test_the_pages_expire_with_the_minute_as_upcoming_moves_on(self):
        with time_machine.travel(datetime(2026, 3, 3, 12, 0, 45, tzinfo=UTC), tick=False):
            for page in (self.library, self.centre):
                with self.subTest(page=page.title):
                    self.assertEqual(self.client.get(page.url)["Cache-Control"], "max-age=15")
        with time_machine.travel(datetime(2026, 3, 4, 15, 30, tzinfo=UTC), tick=False):
            self.assertEqual(listed(self.client.get(self.library.url))[0], ("Lezing", "2026-03-05T19:00:00+01:00"))


@time_machine.travel(NOW, tick=False)
class PartnerActivitiesQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            home, cls.locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=home)
            directory = PartnerIndexPageFactory(parent=home)
            cls.library = PartnerPageFactory(parent=directory, title="Bibliotheek")
            sync_translation(cls.agenda, cls.locales["en"])
            sync_translation(directory, cls.locales["en"])
            cls.english_library = sync_translation(cls.library, cls.locales["en"])

    def add_events(self, first: int, last: int):
        for number in range(first, last):
            event = EventPageFactory(
                parent=self.agenda,
                title=f"Activiteit {number}",
                start_date=date(2026, 3, 4 + number),
                venue=self.library if number % 2 else None,
            )
            event.organisers.set([] if number % 2 else [self.library])
            publish(event)
            if number % 3 == 0:
                translated = sync_translation(event, self.locales["en"])
                translated.title = f"Activity {number}"
                publish(translated)

    def count_queries(self, url: str, shown: int) -> int:
        self.client.get(url)  # warm the caches a long-running worker has warm
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(listed(response)), shown)
        return len(queries)

    def test_partner_page_reads_as_many_queries_for_2_activities_as_for_10(self):
        url = f"/en/partners/{self.library.slug}/"
        self.add_events(0, 2)
        few = self.count_queries(url, 2)
        self.add_events(2, 10)
        self.assertEqual(self.count_queries(url, 5), few)  # the page lists 5 of them
        self.assertIn("(10 dates)", agenda_link(self.client.get(url))[1])

    def test_listing_10_dates_reads_as_many_queries_as_listing_2(self):
        self.add_events(0, 12)
        template = Template("{% load event_feeds %}{% upcoming_activities page limit=limit %}")
        counts = {}
        for limit in (2, 2, 10):  # the first warms the caches
            context = Context({"request": RequestFactory().get("/en/"), "page": self.english_library, "limit": limit})
            with CaptureQueriesContext(connection) as queries:
                rendered = template.render(context)
            self.assertEqual(rendered.count('<li class="activity'), limit)
            counts[limit] = len(queries)
        self.assertEqual(counts[10], counts[2])
