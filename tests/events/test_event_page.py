"""The event page: next dates, place, organisers, practical information and schema.org Event JSON-LD."""

import json
import re
from datetime import UTC, date, datetime, time

import icalendar
import time_machine
from django.conf.urls.i18n import i18n_patterns
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from wagtail import urls as wagtail_urls

from events.context import ics_url
from events.models import AttendanceMode, AudienceGroup, CourseLevel, EventStatus, RegistrationStatus
from learningcity.models import SDGTarget
from partners.models import AccessibilityFacility, Language, PartnerKind
from tests.learningcity.utils import make_portal, queries_but_the_content_version, sync_translation
from tests.partners.factories import MunicipalityFactory, PartnerIndexPageFactory, PartnerPageFactory

from .factories import EventIndexPageFactory, EventPageFactory, publish

NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)  # a Tuesday
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(response) -> dict:
    return json.loads(JSON_LD.search(response.content.decode()).group(1))


class URLsWithoutCalendar:
    urlpatterns = i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=True)


def translate(page, locale, **fields):
    translation = sync_translation(page, locale).specific
    for name, value in fields.items():
        setattr(translation, name, value)
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_revision().publish()
    return translation


@time_machine.travel(NOW, tick=False)
class EventPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, cls.locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            directory = PartnerIndexPageFactory(parent=cls.home)
            cls.library = PartnerPageFactory(
                parent=directory,
                title="Bibliotheek Noord",
                kind=PartnerKind.LIBRARY,
                street="Marktplein 1",
                postcode="9000",
                municipality=MunicipalityFactory(name="Lindeveld", code="99001"),
                latitude="51.054300",
                longitude="3.717400",
            )
            for code in ("en", "fr"):
                translate(cls.agenda, cls.locales[code])
                translate(directory, cls.locales[code])
            cls.library_en = translate(cls.library, cls.locales["en"], title="North Library")
            translate(cls.library, cls.locales["fr"], title="Bibliothèque Nord")

            workshop = EventPageFactory(
                parent=cls.agenda,
                title="Robotica-atelier",
                summary="Bouw je eerste robot.",
                start_date=date(2026, 3, 7),
                start_time=time(10, 0),
                end_time=time(12, 0),
                venue=cls.library,
                min_age=8,
                max_age=12,
                is_free=False,
                price="5.50",
                price_note="Halve prijs met UiTPAS",
                registration_required=True,
                registration_url="https://bib.example/inschrijven",
                capacity=12,
                course_level=CourseLevel.BEGINNER,
                prerequisites="Geen voorkennis nodig.",
                certificate="Deelnamebewijs",
            )
            workshop.organisers.set([cls.library])
            workshop.audience_groups.set(AudienceGroup.objects.filter(code="children"))
            workshop.languages.set(Language.objects.filter(code="nl"))
            workshop.accessibility.set(AccessibilityFacility.objects.filter(code="step-free"))
            cls.workshop = publish(workshop)
            cls.workshop_en = translate(cls.workshop, cls.locales["en"], title="Robotics workshop")
            cls.workshop_fr = translate(cls.workshop, cls.locales["fr"], title="Atelier de robotique")

            course = EventPageFactory(
                parent=cls.agenda,
                title="Nederlands voor nieuwkomers",
                start_date=date(2026, 3, 3),
                start_time=time(19, 0),
                end_time=time(21, 0),
                frequency="weekly",
                weekdays=[1, 3],
                until=date(2026, 6, 30),
                municipality=cls.library.municipality,
                street="Kerkstraat 5",
                venue_name="Buurthuis De Brug",
            )
            course.languages.set(Language.objects.filter(code__in=["nl", "en"]))
            cls.course = publish(
                course,
                excluded=[(date(2026, 4, 6), date(2026, 4, 12))],
                exceptions=[
                    {"original_date": date(2026, 3, 5), "status": EventStatus.CANCELLED, "reason": "Docent ziek"},
                    {"original_date": date(2026, 3, 10), "is_full": True},
                ],
            )

            cls.online = publish(
                EventPageFactory(
                    parent=cls.agenda,
                    title="Ouderavond",
                    start_date=date(2026, 3, 12),
                    attendance_mode=AttendanceMode.ONLINE,
                    online_url="https://meet.example/ouderavond",
                    status=EventStatus.MOVED_ONLINE,
                    status_reason="De zaal is niet beschikbaar.",
                    registration_status=RegistrationStatus.FULL,
                )
            )
            for code in ("en", "fr"):
                translate(cls.course, cls.locales[code])
                translate(cls.online, cls.locales[code])

    def test_event_page_renders_in_each_language_with_its_title_and_lang(self):
        titles = {"nl": "Robotica-atelier", "en": "Robotics workshop", "fr": "Atelier de robotique"}
        for code, title in titles.items():
            with self.subTest(language=code):
                response = self.client.get(f"/{code}/agenda/{self.workshop.slug}/")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f'<html lang="{code}">')
                self.assertContains(response, f"<h1>{title}</h1>", html=True)
                self.assertEqual(json_ld(response)["name"], title)

    def test_event_page_shows_place_organisers_and_practical_information(self):
        response = self.client.get(f"/en/agenda/{self.workshop.slug}/")
        venue_link = f'<a href="/en/partners/{self.library.slug}/">North Library</a>'
        self.assertContains(response, f"<p>{venue_link}</p>", html=True)
        self.assertContains(response, "Marktplein 1")
        self.assertContains(response, f"<li>{venue_link}</li>", html=True)
        for text in (
            "8 to 12 years",
            "Children",
            "5.50 EUR",
            "Halve prijs met UiTPAS",
            "Registration required",
            "https://bib.example/inschrijven",
            "Step-free access",
            "Dutch",
            "Beginner",
            "Geen voorkennis nodig.",
            "Deelnamebewijs",
            "Saturday 7 March 2026",
        ):
            with self.subTest(text=text):
                self.assertContains(response, text)

    def test_next_dates_show_the_status_of_each_date_in_words(self):
        response = self.client.get(f"/en/agenda/{self.course.slug}/")
        content = response.content.decode()
        self.assertIn('<strong class="status-label status-cancelled">Cancelled</strong> — Docent ziek', content)
        self.assertIn('<strong class="status-label status-scheduled">Full</strong>', content)
        starts = [occurrence.start for occurrence in response.context["occurrences"]]
        self.assertEqual(starts[0], datetime(2026, 3, 3, 18, tzinfo=UTC))
        self.assertEqual(len(starts), 12)

    def test_event_status_and_reason_are_shown(self):
        response = self.client.get(f"/en/agenda/{self.online.slug}/")
        self.assertContains(
            response, '<strong class="status-label status-moved-online">Moved online</strong>', html=True
        )
        self.assertContains(response, "De zaal is niet beschikbaar.")
        self.assertContains(response, "https://meet.example/ouderavond")

    def test_one_off_event_json_ld(self):
        data = json_ld(self.client.get(f"/en/agenda/{self.workshop.slug}/"))
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "Event")
        self.assertEqual(data["url"], f"http://testserver/en/agenda/{self.workshop.slug}/")
        self.assertEqual(data["startDate"], "2026-03-07T10:00:00+01:00")
        self.assertEqual(data["endDate"], "2026-03-07T12:00:00+01:00")
        self.assertEqual(data["eventStatus"], "https://schema.org/EventScheduled")
        self.assertEqual(data["eventAttendanceMode"], "https://schema.org/OfflineEventAttendanceMode")
        self.assertEqual(
            data["location"],
            {
                "@type": "Place",
                "name": "North Library",
                "url": f"http://testserver/en/partners/{self.library.slug}/",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "Marktplein 1",
                    "postalCode": "9000",
                    "addressLocality": "Lindeveld",
                    "addressCountry": "BE",
                },
                "geo": {"@type": "GeoCoordinates", "latitude": 51.0543, "longitude": 3.7174},
            },
        )
        self.assertEqual(
            data["organizer"],
            [
                {
                    "@type": "Organization",
                    "name": "North Library",
                    "url": f"http://testserver/en/partners/{self.library.slug}/",
                }
            ],
        )
        self.assertEqual(data["offers"]["price"], 5.5)
        self.assertEqual(data["offers"]["priceCurrency"], "EUR")
        self.assertEqual(data["offers"]["availability"], "https://schema.org/InStock")
        self.assertIs(data["isAccessibleForFree"], False)
        self.assertEqual(data["typicalAgeRange"], "8-12")
        self.assertEqual(data["inLanguage"], "nl")
        self.assertNotIn("eventSchedule", data)

    def test_weekly_series_json_ld_has_a_schedule_with_its_exceptions(self):
        data = json_ld(self.client.get(f"/nl/agenda/{self.course.slug}/"))
        self.assertEqual(data["startDate"], "2026-03-03T19:00:00+01:00")
        self.assertEqual(
            data["eventSchedule"],
            {
                "@type": "Schedule",
                "repeatFrequency": "P1W",
                "byDay": ["https://schema.org/Tuesday", "https://schema.org/Thursday"],
                "startDate": "2026-03-03",
                "endDate": "2026-06-30",
                "startTime": "19:00:00",
                "endTime": "21:00:00",
                "scheduleTimezone": "Europe/Brussels",
                "exceptDate": ["2026-03-05", "2026-04-07", "2026-04-09"],
                "description": "Elke dinsdag en donderdag, 19:00–21:00, van 3 maart tot 30 juni 2026 — niet van "
                "6 april tot en met 12 april, geannuleerd op 5 maart",
            },
        )
        self.assertEqual(data["location"]["@type"], "Place")
        self.assertEqual(data["location"]["name"], "Buurthuis De Brug")
        self.assertEqual(data["location"]["address"]["streetAddress"], "Kerkstraat 5")
        self.assertEqual(data["offers"]["price"], 0)
        self.assertIs(data["isAccessibleForFree"], True)
        self.assertEqual(data["inLanguage"], ["nl", "en"])
        self.assertNotIn("typicalAgeRange", data)

    def test_online_event_json_ld_has_a_virtual_location(self):
        data = json_ld(self.client.get(f"/fr/agenda/{self.online.slug}/"))
        self.assertEqual(data["eventStatus"], "https://schema.org/EventMovedOnline")
        self.assertEqual(data["eventAttendanceMode"], "https://schema.org/OnlineEventAttendanceMode")
        self.assertEqual(data["location"], {"@type": "VirtualLocation", "url": "https://meet.example/ouderavond"})
        self.assertEqual(data["offers"]["availability"], "https://schema.org/SoldOut")

    def test_event_page_offers_the_whole_series_to_download_and_to_subscribe_to(self):
        response = self.client.get(f"/en/agenda/{self.course.slug}/")
        series = f"/feeds/events/{self.course.uuid}.ics?locale=en"
        self.assertContains(response, f'<a href="{series}" download>Add to calendar</a>', html=True)
        webcal = f"webcal://testserver{series}"
        link = f'<a href="{webcal}">Subscribe to this event in your calendar app</a>'
        self.assertContains(response, link, html=True)
        self.assertContains(
            response,
            '<label for="event-calendar-address">Copy this address into your calendar app</label>',
            html=True,
        )
        field = (
            f'<input type="text" id="event-calendar-address" value="http://testserver{series}" readonly'
            ' spellcheck="false" autocomplete="off">'
        )
        self.assertContains(response, field, html=True)
        feed = self.client.get(series)
        self.assertEqual((feed.status_code, feed["Content-Type"]), (200, "text/calendar; charset=utf-8"))

    def test_each_listed_date_can_be_added_on_its_own(self):
        response = self.client.get(f"/fr/agenda/{self.course.slug}/")
        content = response.content.decode()
        links = re.findall(r'<p class="add-date"><a href="([^"]+)" download="([^"]+)">(.*?)</a></p>', content)
        listed = [o for o in response.context["occurrences"] if o.status != EventStatus.CANCELLED]
        self.assertEqual(len(links), len(listed))
        first_href, first_file, first_text = links[0]
        self.assertEqual(first_href, f"/feeds/events/{self.course.uuid}/2026-03-03T19:00:00.ics?locale=fr")
        self.assertEqual(first_file, f"{self.course.slug}-2026-03-03.ics")
        self.assertEqual(
            first_text,
            'Ajouter cette date à mon calendrier<span class="visually-hidden">: mardi 3 mars 2026, 19:00</span>',
        )
        # The cancelled date of 5 March has none; the others each name their own date.
        self.assertNotIn("2026-03-05T19:00:00.ics", content)
        self.assertEqual(len({href for href, _file, _text in links}), len(links))
        calendar = icalendar.Calendar.from_ical(self.client.get(first_href).content)
        (vevent,) = calendar.walk("VEVENT")
        self.assertEqual(vevent["DTSTART"].dt.isoformat(), "2026-03-03T19:00:00+01:00")
        self.assertEqual(str(vevent["SUMMARY"]), "Nederlands voor nieuwkomers")

    @override_settings(ROOT_URLCONF=URLsWithoutCalendar)
    def test_no_calendar_link_without_the_calendar_url(self):
        self.assertIsNone(ics_url(self.workshop))
        response = self.client.get(f"/en/agenda/{self.workshop.slug}/")
        self.assertEqual(response.status_code, 200)
        for text in ("Add to calendar", "Add this date to my calendar", "webcal:", "event-calendar-address"):
            self.assertNotContains(response, text)


@time_machine.travel(NOW, tick=False)
@override_settings(LEERSTAD_FRAGMENT_CACHE_SECONDS=300, LEERSTAD_RESPONSE_CACHE=False)
class EventPageDetailsCacheTests(TestCase):
    """The page's details (place, organisers, terms, SDG targets) are kept under the content version: a built event
    page reads its dates only, and an edit shows once published."""

    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            home, _locales = make_portal()
            agenda = EventIndexPageFactory(parent=home)
            cls.event = EventPageFactory(parent=agenda, title="Leesclub", start_date=date(2026, 3, 4))
            cls.event.sdg_targets.set(SDGTarget.objects.filter(code__in=["4.6", "11.4"]))
            publish(cls.event)

    def setUp(self):
        cache.clear()

    def test_a_built_event_page_reads_only_its_dates_and_shows_its_sdg_targets(self):
        url = self.event.url
        self.client.get(url)  # the first request also creates the site's settings row
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        read = queries_but_the_content_version(queries)
        self.assertEqual(len(read), 1, read)
        self.assertTrue(read[0].startswith('SELECT "events_occurrence".'), read)
        self.assertContains(response, '<span class="sdg-badge sdg-4">Subdoel 4.6</span>', html=False)
        self.assertContains(response, '<span class="sdg-badge sdg-11">Subdoel 11.4</span>', html=False)

    def test_changed_sdg_targets_show_once_published(self):
        self.client.get(self.event.url)
        self.event.sdg_targets.set(SDGTarget.objects.filter(code="4.7"))
        self.event.save_revision()
        self.assertContains(self.client.get(self.event.url), "Subdoel 4.6")  # a draft changes nothing
        publish(self.event)
        response = self.client.get(self.event.url)
        self.assertContains(response, "Subdoel 4.7")
        self.assertNotContains(response, "Subdoel 4.6")
