"""The agenda page: upcoming dates of the site's events, filtered, paginated and shown in the visitor's language."""

import html
import re
from datetime import UTC, date, datetime, time
from urllib.parse import parse_qs, urlencode, urlsplit

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from events.models import AudienceGroup, EventStatus, Occurrence, Theme
from learningcity.models import SDGTarget
from partners.models import AccessibilityFacility, Language
from tests.learningcity.factories import HomePageFactory
from tests.learningcity.utils import make_portal, sync_translation
from tests.partners.factories import MunicipalityFactory, PartnerIndexPageFactory, PartnerPageFactory

from .factories import EventIndexPageFactory, EventPageFactory, publish

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)  # a Tuesday


def listed(response) -> list[tuple[str, str]]:
    """(title shown, local start date) of each date on the page, in order."""
    return [(o.page.title, o.first_day.isoformat()) for o in response.context["results"]]


def titles(response) -> set[str]:
    return {title for title, _day in listed(response)}


def translate(page, locale, **fields):
    """Translate ``page`` into ``locale`` and publish the translation with ``fields`` changed."""
    translation = sync_translation(page, locale).specific
    for name, value in fields.items():
        setattr(translation, name, value)
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_revision().publish()
    return translation


@time_machine.travel(NOW, tick=False)
class AgendaTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, cls.locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            translate(cls.agenda, cls.locales["en"])
            cls.directory = directory = PartnerIndexPageFactory(parent=cls.home)
            cls.north = MunicipalityFactory(code="99001", name="Lindeveld")
            cls.south = MunicipalityFactory(code="99002", name="Beekdonk")
            cls.library = PartnerPageFactory(parent=directory, title="Bibliotheek", municipality=cls.north)
            cls.school = PartnerPageFactory(parent=directory, title="Sint-Jozefschool", municipality=cls.south)

            reading = EventPageFactory(
                parent=cls.agenda,
                title="Voorlezen",
                summary="Verhalen voor kleuters.",
                start_date=date(2026, 3, 4),
                min_age=3,
                max_age=6,
                venue=cls.library,
            )
            reading.organisers.set([cls.library])
            reading.audience_groups.set(AudienceGroup.objects.filter(code="children"))
            reading.languages.set(Language.objects.filter(code__in=["nl", "ar"]))
            reading.themes.set(Theme.objects.filter(code="reading"))
            reading.accessibility.set(AccessibilityFacility.objects.filter(code="step-free"))
            reading.sdg_targets.set(SDGTarget.objects.filter(code="4.2"))
            cls.reading = publish(reading)
            cls.reading_en = translate(cls.reading, cls.locales["en"], title="Reading aloud")

            # Under a partner's page, where the partner's editors keep it up to date.
            coding = EventPageFactory(
                parent=cls.school,
                title="Programmeren",
                start_date=date(2026, 3, 7),
                min_age=12,
                is_free=False,
                price=5,
                venue=cls.school,
            )
            coding.organisers.set([cls.school, cls.library])
            coding.themes.set(Theme.objects.filter(code="stem"))
            coding.languages.set(Language.objects.filter(code="nl"))
            coding.sdg_targets.set(SDGTarget.objects.filter(code="4.4"))
            cls.coding = publish(coding)

            cafe = EventPageFactory(
                parent=cls.agenda,
                title="Taalcafé",
                start_date=date(2026, 3, 3),
                frequency="weekly",
                weekdays=[1],
                count=4,
                municipality=cls.south,
                venue_name="Buurthuis",
            )
            cafe.languages.set(Language.objects.filter(code="fr"))
            cls.cafe = publish(
                cafe,
                exceptions=[
                    {"original_date": date(2026, 3, 10), "status": EventStatus.CANCELLED},
                    {"original_date": date(2026, 3, 17), "is_full": True, "reason": "Groot succes"},
                ],
            )

            # Indexed, but not the city's to list: another site's event, an unpublished one, a private one.
            other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="elders", locale=cls.locales["nl"])
            Site.objects.create(hostname="elders.example", port=80, root_page=other_home, site_name="Elders")
            other_agenda = EventIndexPageFactory(parent=other_home)
            publish(EventPageFactory(parent=other_agenda, title="Elders", start_date=date(2026, 3, 5)))
            hidden = publish(EventPageFactory(parent=cls.agenda, title="Ingetrokken", start_date=date(2026, 3, 5)))
            Page.objects.filter(pk=hidden.pk).update(live=False)  # the index has not caught up: the join must
            private = publish(EventPageFactory(parent=cls.agenda, title="Besloten", start_date=date(2026, 3, 5)))
            PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    def get(self, query="", language="en"):
        url = f"/{language}/agenda/"
        return self.client.get(f"{url}?{query}" if query else url)

    def test_agenda_lists_upcoming_dates_of_the_sites_events_including_those_under_partners(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            listed(response),
            [
                ("Taalcafé", "2026-03-03"),
                ("Reading aloud", "2026-03-04"),
                ("Programmeren", "2026-03-07"),
                ("Taalcafé", "2026-03-17"),
                ("Taalcafé", "2026-03-24"),
            ],
        )
        self.assertContains(response, "5 dates found")

    def test_events_of_another_site_unpublished_or_private_are_not_listed(self):
        indexed = Occurrence.objects.filter(event__title__in=["Elders", "Ingetrokken", "Besloten"])
        self.assertEqual(indexed.count(), 3)  # in the index, so it is the agenda that leaves them out
        shown = titles(self.get("from=2026-03-05&to=2026-03-05", language="nl"))
        self.assertEqual(shown, set())
        self.assertNotIn("Elders", titles(self.get()))

    @override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300, LEERSTAD_RESPONSE_CACHE=False)
    def test_with_the_data_caches_on_a_restriction_takes_an_event_off_at_once_and_lifting_it_brings_it_back(self):
        cache.clear()
        week = "from=2026-03-05&to=2026-03-08"  # a new query string each time below: built anew, not kept whole
        self.assertEqual(titles(self.get(week, language="nl")), {"Programmeren"})
        with self.captureOnCommitCallbacks(execute=True):
            restriction = PageViewRestriction.objects.create(page=self.coding, restriction_type="login")
        self.assertEqual(titles(self.get(f"{week}&page=1", language="nl")), set())
        self.assertEqual(titles(self.get(f"partner={self.school.pk}", language="nl")), set())
        with self.captureOnCommitCallbacks(execute=True):
            restriction.delete()
        self.assertEqual(titles(self.get(f"{week}&free=false", language="nl")), {"Programmeren"})

    def test_each_filter_keeps_only_matching_dates(self):
        library, school = str(self.library.pk), str(self.school.pk)
        cases = [
            ("from=2026-03-05&to=2026-03-08", {"Programmeren"}),
            ("from=2026-03-17", {"Taalcafé"}),
            ("to=2026-03-04", {"Taalcafé", "Reading aloud"}),
            ("when=today", {"Taalcafé"}),
            ("when=weekend", {"Programmeren"}),
            ("when=week", {"Taalcafé", "Reading aloud", "Programmeren"}),
            ("age=4", {"Reading aloud", "Taalcafé"}),
            ("age=13", {"Programmeren", "Taalcafé"}),
            ("audience=children", {"Reading aloud"}),
            ("language=fr", {"Taalcafé"}),
            ("free=false", {"Programmeren"}),
            ("free=true", {"Reading aloud", "Taalcafé"}),
            ("sdg=4.2", {"Reading aloud"}),
            ("sdg=4", {"Reading aloud", "Programmeren"}),
            (f"organiser={school}", {"Programmeren"}),
            (f"organiser={library}", {"Reading aloud", "Programmeren"}),
            (f"venue={library}", {"Reading aloud"}),
            (f"partner={library}", {"Reading aloud", "Programmeren"}),
            (f"partner={school}", {"Programmeren"}),
            ("municipality=99002", {"Programmeren", "Taalcafé"}),
            ("theme=stem", {"Programmeren"}),
            ("accessibility=step-free", {"Reading aloud"}),
            ("q=Reading", {"Reading aloud"}),
        ]
        for query, expected in cases:
            with self.subTest(query=query):
                response = self.get(query)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(titles(response), expected)

    def test_the_form_lists_organisers_and_venues_while_they_are_few(self):
        response = self.get(language="nl")
        self.assertContains(response, '<select name="organiser" id="id_organiser">', html=False)
        self.assertContains(response, f'<option value="{self.school.pk}">Sint-Jozefschool</option>', html=True)

    @override_settings(LEERSTAD_AGENDA_PARTNER_CHOICES_MAX=1)
    def test_with_many_partners_the_form_keeps_the_chosen_one_and_points_to_the_directory(self):
        response = self.get(f"organiser={self.school.pk}", language="nl")
        self.assertEqual(titles(response), {"Programmeren"})
        self.assertNotContains(response, 'id="id_organiser"')
        self.assertNotContains(response, "<option", html=False)
        chosen = f'name="organiser" value="{self.school.pk}" id="id_organiser_{self.school.pk}" checked'
        self.assertContains(response, chosen, html=False)
        self.assertContains(response, f'<label for="id_organiser_{self.school.pk}">Sint-Jozefschool</label>', html=True)
        hint = r'Zoekt u de activiteiten van één organisatie\?[^<]*<a href="/nl/[^"]+/"'
        self.assertRegex(response.content.decode(), hint)
        unfiltered = self.get(language="nl")
        self.assertNotContains(unfiltered, 'name="organiser"', html=False)

    @override_settings(
        LEERSTAD_AGENDA_PARTNER_CHOICES_MAX=1, LEERSTAD_FRAGMENT_CACHE_SECONDS=300, LEERSTAD_RESPONSE_CACHE=False
    )
    def test_the_directory_link_is_kept_until_a_publication(self):
        cache.clear()
        self.get(language="nl")  # what a running worker has made already (the site's settings)
        hint = r'Zoekt u de activiteiten van één organisatie\?[^<]*<a href="([^"]+)"'
        first = re.search(hint, self.get("when=week", language="nl").content.decode())
        self.assertEqual(first[1], "/nl/partners/")
        with CaptureQueriesContext(connection) as queries:
            again = self.get("when=month", language="nl")  # a new answer, the same directory
        self.assertEqual(re.search(hint, again.content.decode())[1], "/nl/partners/")
        self.assertFalse([query["sql"] for query in queries if "partners_partnerindexpage" in query["sql"]])
        directory = self.directory.specific
        directory.slug = "organisaties"
        with self.captureOnCommitCallbacks(execute=True):
            directory.save_revision().publish()
        moved = re.search(hint, self.get("when=week", language="nl").content.decode())
        self.assertEqual(moved[1], "/nl/organisaties/")
        cache.clear()

    def test_a_partner_page_links_to_its_activities_in_the_agenda(self):
        page = self.client.get(self.school.url)
        text = "De activiteiten van Sint-Jozefschool in de agenda"
        link = re.search(rf'<a href="([^"]+)">{text}</a>', page.content.decode())
        self.assertIsNotNone(link, "no agenda link on the partner page")
        self.assertEqual(html.unescape(link[1]), f"/nl/agenda/?partner={self.school.pk}")
        self.assertEqual(titles(self.client.get(html.unescape(link[1]))), {"Programmeren"})

    def test_the_form_keeps_a_partner_from_a_link_as_a_ticked_box(self):
        for most in (100, 1):  # with the lists of organisers and venues, and without
            with self.subTest(most=most), override_settings(LEERSTAD_AGENDA_PARTNER_CHOICES_MAX=most):
                response = self.get(f"partner={self.school.pk}", language="nl")
                self.assertEqual(titles(response), {"Programmeren"})
                self.assertContains(response, "<legend>Organisator of locatie</legend>", html=True)
                chosen = f'name="partner" value="{self.school.pk}" id="id_partner_{self.school.pk}" checked'
                self.assertContains(response, chosen, html=False)
                label = f'<label for="id_partner_{self.school.pk}">Sint-Jozefschool</label>'
                self.assertContains(response, label, html=True)
        self.assertNotContains(self.get(language="nl"), 'name="partner"', html=False)

    def test_cancelled_dates_are_hidden_unless_asked_for(self):
        self.assertNotIn(("Taalcafé", "2026-03-10"), listed(self.get()))
        self.assertEqual(listed(self.get("status=cancelled")), [("Taalcafé", "2026-03-10")])

    def test_repeated_values_are_ored_and_different_parameters_anded(self):
        self.assertEqual(titles(self.get("language=fr&language=ar")), {"Taalcafé", "Reading aloud"})
        self.assertEqual(titles(self.get("age=4&age=13")), {"Reading aloud", "Programmeren", "Taalcafé"})
        self.assertEqual(titles(self.get("language=nl&theme=stem")), {"Programmeren"})
        self.assertEqual(titles(self.get("language=fr&free=false")), set())

    def test_invalid_values_are_a_400_naming_the_parameter(self):
        cases = [
            ("from=2026-13-01", "from"),
            ("from=2026-03-10&to=2026-03-01", "to"),
            ("to=2031-01-01", "to"),
            ("when=someday", "when"),
            ("when=today&from=2026-03-04", "when"),
            ("age=old", "age"),
            ("audience=aliens", "audience"),
            ("language=xx", "language"),
            ("free=maybe", "free"),
            ("sdg=99", "sdg"),
            ("organiser=999999", "organiser"),
            ("organiser=99999999999999999999999", "organiser"),  # more than a database integer holds
            ("venue=abc", "venue"),
            ("municipality=nowhere", "municipality"),
            ("theme=astrology", "theme"),
            ("accessibility=jetpack", "accessibility"),
            ("status=lost", "status"),
            ("colour=red", "colour"),
        ]
        for query, parameter in cases:
            with self.subTest(query=query):
                response = self.get(query)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, f"<code>{parameter}</code>", status_code=400)
                self.assertEqual(response.context["results"], [])
                self.assertContains(response, "Some filters could not be used", status_code=400)

    def test_campaign_and_click_tracking_parameters_are_ignored(self):
        # A link in the city's newsletter or on social media carries them; it opens the agenda, not an error.
        plain = self.get("language=fr")
        tracked = self.get("language=fr&utm_source=nieuwsbrief&utm_medium=email&utm_campaign=week12&fbclid=AbC")
        self.assertEqual(tracked.status_code, 200)
        self.assertEqual(listed(tracked), listed(plain))
        # They are not filters: links that keep the filters leave them out.
        with override_settings(LEERSTAD_AGENDA_PER_PAGE=2):
            self.assertContains(
                self.get("language=fr&language=ar&utm_source=x"), 'href="?language=fr&amp;language=ar&amp;page=2"'
            )
        # Any other unknown name is still refused.
        self.assertEqual(self.get("language=fr&utmsource=x").status_code, 400)

    def test_filter_form_works_without_javascript_and_keeps_the_choices(self):
        response = self.get("from=2026-03-04&language=fr&free=true&when=")
        self.assertContains(response, '<input type="date" name="from" id="id_from" value="2026-03-04">', html=True)
        self.assertContains(response, '<label for="id_to">Until</label>', html=True)
        self.assertContains(response, "<legend>Language</legend>", html=True)
        self.assertContains(response, "<legend>When</legend>", html=True)
        self.assertContains(
            response, '<input type="radio" name="when" value="weekend" id="id_when_weekend">', html=True
        )
        self.assertContains(
            response, '<input type="radio" name="free" value="true" id="id_free_true" checked>', html=True
        )
        self.assertRegex(response.content.decode(), r'<input type="checkbox" name="language" value="fr"[^>]* checked>')
        self.assertContains(
            response,
            '<button type="submit" class="utrecht-button utrecht-button--primary-action">Show activities</button>',
            html=True,
        )
        self.assertContains(response, 'method="get"')

    def test_language_switcher_keeps_the_filters(self):
        response = self.get("theme=reading&age=4", language="nl")
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, '<a href="/en/agenda/?theme=reading&amp;age=4" hreflang="en" lang="en">English</a>', html=True
        )
        self.assertContains(
            response, '<link rel="alternate" hreflang="en" href="http://testserver/en/agenda/?theme=reading&amp;age=4">'
        )

    def test_pagination_keeps_the_filters(self):
        with override_settings(LEERSTAD_AGENDA_PER_PAGE=2):
            first = self.get("language=fr&language=ar")
            self.assertEqual(first.context["result_count"], 4)
            self.assertEqual(len(first.context["results"]), 2)
            self.assertContains(first, 'href="?language=fr&amp;language=ar&amp;page=2"')
            second = self.get("language=fr&language=ar&page=2")
        self.assertEqual(listed(second), [("Taalcafé", "2026-03-17"), ("Taalcafé", "2026-03-24")])
        self.assertContains(second, 'href="?language=fr&amp;language=ar&amp;page=1"')

    def test_dates_are_grouped_under_a_heading_per_day(self):
        response = self.get("when=week")
        headings = re.findall(r'<h3 id="day-\d+"><time datetime="([\d-]+)">', response.content.decode())
        self.assertEqual(headings, ["2026-03-03", "2026-03-04", "2026-03-07"])
        self.assertContains(response, "Tuesday 3 March 2026")

    def test_status_of_a_date_is_written_out(self):
        response = self.get("from=2026-03-17&to=2026-03-17")
        self.assertContains(response, '<strong class="status-label status-scheduled">Full</strong>', html=True)
        self.assertContains(response, "Groot succes")
        cancelled = self.get("status=cancelled")
        self.assertContains(cancelled, '<strong class="status-label status-cancelled">Cancelled</strong>', html=True)

    def test_empty_state_offers_to_clear_the_filters(self):
        response = self.get("theme=stem&language=fr")
        self.assertContains(response, "0 dates found")
        self.assertContains(response, "No activities match these filters.")
        # In the form, in the empty state and after the chips of the filters in use.
        self.assertContains(response, 'href="/en/agenda/">Clear all filters</a>', count=3)

    def test_filters_in_use_are_chips_that_each_remove_their_value(self):
        used = [
            ("language", "fr"),
            ("language", "ar"),
            ("free", "true"),
            ("organiser", str(self.library.pk)),
            ("sdg", "4.2"),
            ("from", "2026-03-04"),
        ]
        response = self.get(urlencode(used))
        chips = {chip.label + ": " + chip.value: chip.url for chip in response.context["filter_chips"]}
        names = [
            "Language: French",
            "Language: Arabic",
            "Cost: Free",
            "Organiser: Bibliotheek",
            "Sustainable development goal: Target 4.2",
            "From: 4 March 2026",
        ]
        without = {
            name: "/en/agenda/?" + urlencode([p for p in used if p != pair])
            for name, pair in zip(names, used, strict=True)
        }
        self.assertEqual(chips, without)
        self.assertContains(
            response,
            '<a class="filter-chip" href="/en/agenda/?language=ar&amp;free=true&amp;organiser='
            f'{self.library.pk}&amp;sdg=4.2&amp;from=2026-03-04"><span class="visually-hidden">Remove filter: </span>'
            'Language: French <span class="remove" aria-hidden="true">×</span></a>',
            html=True,
        )
        removed = self.client.get(chips["Language: French"])
        self.assertEqual(
            [chip.label + ": " + chip.value for chip in removed.context["filter_chips"]],
            [
                "Language: Arabic",
                "Cost: Free",
                "Organiser: Bibliotheek",
                "Sustainable development goal: Target 4.2",
                "From: 4 March 2026",
            ],
        )
        self.assertEqual(titles(removed), {"Reading aloud"})

    def test_the_last_chip_leads_to_the_whole_agenda_in_the_residents_language(self):
        response = self.get("theme=reading", language="nl")
        self.assertContains(
            response,
            '<a class="filter-chip" href="/nl/agenda/"><span class="visually-hidden">Verwijder filter: </span>'
            'Thema: Lezen en schrijven <span class="remove" aria-hidden="true">×</span></a>',
            html=True,
        )
        self.assertNotContains(self.get(), 'class="filter-chip"')

    def test_invalid_filters_show_their_errors_and_no_chips(self):
        response = self.get("language=xx")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.context["filter_chips"], [])

    def test_english_agenda_shows_translated_titles_and_falls_back_to_the_source(self):
        response = self.get()
        self.assertContains(response, '<a href="/en/agenda/voorlezen/">Reading aloud</a>', html=True)
        self.assertContains(response, f'href="/nl/partners/{self.school.slug}/programmeren/" lang="nl"')
        self.assertNotContains(response, ">Voorlezen<")

    def test_every_language_lists_the_same_dates(self):
        starts = {}
        for code in ("nl", "en"):
            response = self.get(language=code)
            self.assertContains(response, f'<html lang="{code}">')
            starts[code] = [occurrence.start for occurrence in response.context["results"]]
        self.assertEqual(starts["nl"], starts["en"])
        self.assertEqual(len(starts["nl"]), 5)


@time_machine.travel(NOW, tick=False)
@override_settings(LEERSTAD_AGENDA_PER_PAGE=20)
class AgendaQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, cls.locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            translate(cls.agenda, cls.locales["en"])
            cls.directory = PartnerIndexPageFactory(parent=cls.home)

    def add_events(self, first: int, last: int):
        for number in range(first, last):
            venue = PartnerPageFactory(parent=self.directory, title=f"Plek {number}")
            event = EventPageFactory(
                parent=self.agenda,
                title=f"Activiteit {number}",
                start_date=date(2026, 3, 4),
                venue=venue,
                start_time=time(8 + number % 12, 0),
            )
            event.organisers.set([venue])
            event.languages.set(Language.objects.filter(code="nl"))
            publish(event)
            if number % 5 == 0:
                translate(event, self.locales["en"], title=f"Activity {number}")
                sync_translation(venue, self.locales["en"])

    def count_queries(self) -> tuple[int, int]:
        self.client.get("/en/agenda/")  # warm the caches a long-running worker has warm
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/en/agenda/?when=week&language=nl")
        self.assertEqual(response.status_code, 200)
        return len(queries), len(response.context["results"])

    def test_query_count_does_not_grow_with_the_dates_on_the_page(self):
        self.add_events(0, 5)
        small, shown = self.count_queries()
        self.assertEqual(shown, 5)
        self.add_events(5, 20)
        large, shown = self.count_queries()
        self.assertEqual(shown, 20)
        self.assertEqual(small, large)
        with self.assertNumQueries(large):
            self.client.get("/en/agenda/?when=week&language=nl")


@time_machine.travel(NOW, tick=False)
class SubscribeLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, cls.locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            directory = PartnerIndexPageFactory(parent=cls.home)
            cls.library = PartnerPageFactory(parent=directory, title="Bibliotheek", slug="bibliotheek")

    def test_agenda_offers_a_webcal_subscription_keeping_its_filters(self):
        response = self.client.get(self.agenda.url + "?theme=stem&language=ar")
        self.assertEqual(response.status_code, 200)
        links = re.findall(r'href="(webcal://[^"]+)"', response.content.decode())
        self.assertEqual(len(links), 1)
        url = urlsplit(html.unescape(links[0]))
        self.assertEqual((url.netloc, url.path), ("testserver", "/feeds/events.ics"))
        self.assertEqual(parse_qs(url.query), {"theme": ["stem"], "language": ["ar"], "locale": ["nl"]})
        feed = self.client.get(f"{url.path}?{url.query}")
        self.assertEqual(feed.status_code, 200)
        self.assertEqual(feed["Content-Type"], "text/calendar; charset=utf-8")

    def test_partner_page_offers_a_subscription_to_its_own_activities(self):
        response = self.client.get(self.library.url)
        links = re.findall(r'href="(webcal://[^"]+)"', response.content.decode())
        self.assertEqual(len(links), 1)
        url = urlsplit(html.unescape(links[0]))
        self.assertEqual(parse_qs(url.query), {"partner": [str(self.library.pk)], "locale": ["nl"]})
        self.assertEqual(self.client.get(f"{url.path}?{url.query}").status_code, 200)
