"""One date of an event as a calendar of its own ("add this date to my calendar"), read with icalendar."""

from datetime import date, datetime, timedelta
from urllib.parse import quote

import icalendar
import recurring_ical_events
import time_machine
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site

from events.models import Occurrence
from tests.learningcity.factories import HomePageFactory
from tests.learningcity.utils import sync_translation

from .factories import EventIndexPageFactory, EventPageFactory, publish
from .test_ics_feed import BRUSSELS, NOW, build_agenda


def date_url(event, recurrence_id: str, query: str = "") -> str:
    url = reverse("events:occurrence_ics", kwargs={"uuid": event.uuid, "recurrence_id": recurrence_id})
    return url + query


@time_machine.travel(NOW, tick=False)
class DateCalendarTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            build_agenda(cls)

    def setUp(self):
        cache.clear()

    def get_event(self, event, recurrence_id: str, query: str = "") -> icalendar.Event:
        """The one VEVENT of the date's calendar."""
        response = self.client.get(date_url(event, recurrence_id, query))
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        (vevent,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        return vevent

    def test_a_one_off_date_is_one_event_with_its_own_uid(self):
        vevent = self.get_event(self.lecture, "2026-03-05T18:00:00")
        self.assertEqual(vevent["DTSTART"].dt, datetime(2026, 3, 5, 18, tzinfo=BRUSSELS))
        self.assertEqual(vevent["DTEND"].dt, datetime(2026, 3, 5, 20, tzinfo=BRUSSELS))
        self.assertEqual(str(vevent["UID"]), f"{self.lecture.uuid}-20260305T180000")
        self.assertEqual(str(vevent["SUMMARY"]), "Lezing")
        self.assertEqual(str(vevent["STATUS"]), "CONFIRMED")
        self.assertEqual(str(vevent["URL"]), self.lecture.get_full_url())
        self.assertIn("Markt 1", str(vevent["LOCATION"]))
        for absent in ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"):
            self.assertNotIn(absent, vevent)

    def test_a_date_of_a_series_is_that_date_alone_with_its_changes(self):
        moved = self.get_event(self.course, "2026-04-07T19:00:00")
        self.assertEqual(moved["DTSTART"].dt, datetime(2026, 4, 7, 20, tzinfo=BRUSSELS))
        self.assertEqual(moved["DTEND"].dt, datetime(2026, 4, 7, 22, tzinfo=BRUSSELS))
        self.assertEqual(str(moved["UID"]), f"{self.course.uuid}-20260407T190000")
        self.assertEqual(str(moved["SUMMARY"]), "Taalcafé")
        self.assertIn("Bibliotheek Noord", str(moved["LOCATION"]))
        self.assertNotIn("RRULE", moved)
        cancelled = self.get_event(self.course, "2026-03-24T19:00:00")
        self.assertEqual(str(cancelled["STATUS"]), "CANCELLED")
        self.assertNotEqual(cancelled["UID"], moved["UID"])

    def test_each_date_matches_the_series_as_calendar_apps_expand_it(self):
        series = icalendar.Calendar.from_ical(
            self.client.get(reverse("events:event_ics", args=[self.course.uuid])).content
        )
        expanded = {
            event["DTSTART"].dt: event
            for event in recurring_ical_events.of(series).between(date(2026, 3, 1), date(2026, 5, 1))
        }
        occurrences = Occurrence.objects.for_event(self.course).between(date(2026, 3, 1), date(2026, 4, 30))
        self.assertEqual(len(occurrences), len(expanded))
        for occurrence in occurrences:
            with self.subTest(date=occurrence.recurrence_id):
                alone = self.get_event(self.course, occurrence.recurrence_id)
                in_series = expanded[alone["DTSTART"].dt]
                self.assertEqual(alone["DTEND"].dt, in_series["DTEND"].dt)
                self.assertEqual(str(alone["STATUS"]), str(in_series["STATUS"]))

    def test_an_all_day_date_has_dates_and_no_time_zone(self):
        response = self.client.get(date_url(self.open_days, "2026-03-14"))
        calendar = icalendar.Calendar.from_ical(response.content)
        (vevent,) = calendar.walk("VEVENT")
        self.assertEqual(vevent["DTSTART"].dt, date(2026, 3, 14))
        self.assertEqual(vevent["DTEND"].dt, date(2026, 3, 16))  # exclusive: the two days
        self.assertEqual(str(vevent["UID"]), f"{self.open_days.uuid}-20260314")
        self.assertEqual(calendar.walk("VTIMEZONE"), [])

    def test_a_timed_date_carries_the_time_zone_of_its_year(self):
        response = self.client.get(date_url(self.course, "2026-03-31T19:00:00"))
        (zone,) = icalendar.Calendar.from_ical(response.content).walk("VTIMEZONE")
        self.assertEqual(str(zone["TZID"]), "Europe/Brussels")
        self.assertEqual(icalendar.Calendar.from_ical(response.content).to_ical(), response.content)

    def test_texts_and_link_follow_the_locale(self):
        english = sync_translation(self.lecture, self.locales["en"])
        english.title = "Lecture"
        publish(english)
        vevent = self.get_event(self.lecture, "2026-03-05T18:00:00", "?locale=en")
        self.assertEqual(str(vevent["SUMMARY"]), "Lecture")
        self.assertEqual(str(vevent["URL"]), english.get_full_url())
        self.assertEqual(str(vevent["UID"]), f"{self.lecture.uuid}-20260305T180000")  # the same in every language

    def test_the_answer_is_kept_and_validated_like_the_other_calendars(self):
        url = date_url(self.lecture, "2026-03-05T18:00:00")
        response = self.client.get(url)
        self.assertIn("max-age", response["Cache-Control"])
        self.assertEqual(self.client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code, 304)

    def test_unknown_dates_and_events_are_404_and_no_input_is_a_500(self):
        course = self.course.uuid
        cases = {
            date_url(self.course, "2026-03-17T19:00:00"): 404,  # excluded from the series
            date_url(self.course, "2026-03-03T18:00:00"): 404,  # not the series' time
            date_url(self.course, "2026-03-03"): 404,  # a timed series' date needs its time
            date_url(self.lecture, "2026-03-03T19:00:00"): 404,  # another event's date
            "/feeds/events/00000000-0000-0000-0000-000000000000/2026-03-03T19:00:00.ics": 404,
            f"/feeds/events/{course}/2026-99-99T99:99:99.ics": 404,
            f"/feeds/events/{course}/tomorrow.ics": 404,
            f"/feeds/events/{course}/{quote('٢٠٢٦-٠٣-٠٣')}.ics": 404,
            f"/feeds/events/{course}/2026-03-03T19%3A00%3A00.ics": 200,
            f"/feeds/events/{course}/2026-03-03T19:00:00.ics/": 404,
            f"/feeds/events/{course}/%00.ics": 404,
            f"/feeds/events/{course}/{'9' * 5000}.ics": 404,
            date_url(self.course, "2026-03-03T19:00:00", "?locale=de"): 400,
            date_url(self.course, "2026-03-03T19:00:00", "?locale=en&locale=fr"): 400,
            date_url(self.course, "2026-03-03T19:00:00", "?age=7"): 400,
        }
        for url, status in cases.items():
            with self.subTest(url=url[:120]):
                self.assertEqual(self.client.get(url).status_code, status)
        self.assertIn(b"locale:", self.client.get(date_url(self.course, "2026-03-03T19:00:00", "?locale=de")).content)


@time_machine.travel(NOW, tick=False)
class DateCalendarVisibilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            build_agenda(cls)
            PageViewRestriction.objects.create(page=cls.lecture, restriction_type="password", password="geheim")
            other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="elders", locale=cls.locales["nl"])
            Site.objects.create(hostname="elders.example", port=80, root_page=other_home, site_name="Elders")
            cls.elsewhere = publish(
                EventPageFactory(
                    parent=EventIndexPageFactory(parent=other_home), title="Elders", start_date=date(2026, 3, 5)
                )
            )

    def test_private_events_and_other_sites_events_are_404(self):
        self.assertEqual(self.client.get(date_url(self.lecture, "2026-03-05T18:00:00")).status_code, 404)
        elsewhere = date_url(self.elsewhere, "2026-03-05T19:00:00")
        self.assertEqual(self.client.get(elsewhere).status_code, 404)
        with self.settings(ALLOWED_HOSTS=["testserver", "elders.example"]):
            self.assertEqual(self.client.get(elsewhere, HTTP_HOST="elders.example").status_code, 200)

    def test_a_date_moves_out_of_the_agenda_with_its_event(self):
        url = date_url(self.cancelled, (NOW + timedelta(days=4)).strftime("%Y-%m-%dT19:00:00"))
        self.assertEqual(self.client.get(url).status_code, 200)
        with self.captureOnCommitCallbacks(execute=True):
            self.cancelled.unpublish()
        self.assertEqual(self.client.get(url).status_code, 404)
