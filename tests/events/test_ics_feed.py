"""The iCalendar feed: what calendar clients read, checked with icalendar, vobject and recurring-ical-events."""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import time_machine
import vobject
from django.core.cache import cache
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from wagtail.models import PageViewRestriction

from events.feeds.ics import PeriodicRule, series_last_day
from events.models import EventStatus, Occurrence
from events.recurrence import Schedule
from partners.models import Language
from tests.learningcity.utils import make_portal
from tests.partners.factories import MunicipalityFactory, PartnerIndexPageFactory, PartnerPageFactory

from .factories import EventIndexPageFactory, EventPageFactory, publish

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)  # a Monday
BRUSSELS = ZoneInfo("Europe/Brussels")
ICS_STATUS = {EventStatus.CANCELLED: "CANCELLED", EventStatus.POSTPONED: "TENTATIVE"}


def build_agenda(cls):
    """A small agenda: a weekly series across both DST changes with an excluded date, a cancelled and a moved
    date; an all-day two-day event; an all-day weekly series; a one-off; a cancelled one-off."""
    home, cls.locales = make_portal()
    cls.agenda = EventIndexPageFactory(parent=home)
    directory = PartnerIndexPageFactory(parent=home)
    town = MunicipalityFactory(code="99001", name="Lindeveld")
    cls.library = PartnerPageFactory(
        parent=directory, title="Bibliotheek Noord", municipality=town, email="noord@example.org"
    )
    course = EventPageFactory(
        parent=cls.agenda,
        title="Taalcafé",
        start_date=date(2026, 3, 3),
        frequency="weekly",
        weekdays=[1],
        until=date(2026, 11, 3),
        venue=cls.library,
    )
    course.organisers.set([cls.library])
    course.languages.set(Language.objects.filter(code="nl"))
    cls.course = publish(
        course,
        excluded=[date(2026, 3, 17)],
        exceptions=[
            {"original_date": date(2026, 3, 24), "status": EventStatus.CANCELLED},
            {"original_date": date(2026, 4, 7), "new_start_time": time(20, 0), "new_end_time": time(22, 0)},
        ],
    )
    cls.open_days = publish(
        EventPageFactory(
            parent=cls.agenda,
            title="Opendeurdagen",
            all_day=True,
            start_date=date(2026, 3, 14),
            end_date=date(2026, 3, 15),
            start_time=None,
            end_time=None,
        )
    )
    cls.saturdays = publish(
        EventPageFactory(
            parent=cls.agenda,
            title="Zaterdagatelier",
            all_day=True,
            start_date=date(2026, 3, 7),
            start_time=None,
            end_time=None,
            frequency="weekly",
            weekdays=[5],
            until=date(2026, 4, 4),
        )
    )
    cls.lecture = publish(
        EventPageFactory(
            parent=cls.agenda,
            title="Lezing",
            start_date=date(2026, 3, 5),
            start_time=time(18, 0),
            end_time=time(20, 0),
            latitude="51.000000",
            longitude="4.500000",
            street="Markt 1",
        )
    )
    cls.cancelled = publish(
        EventPageFactory(parent=cls.agenda, title="Afgelast", start_date=date(2026, 3, 6), status="cancelled")
    )


def parse(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content)


def masters(calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e}


def as_utc(value, tzid="Europe/Brussels") -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min, tzinfo=ZoneInfo(tzid))
    return value.astimezone(UTC)


@time_machine.travel(NOW, tick=False)
class CalendarFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            build_agenda(cls)

    def setUp(self):
        cache.clear()

    def get(self, query=""):
        return self.client.get("/feeds/events.ics" + query)

    def test_calendar_expands_to_exactly_the_indexed_occurrences(self):
        calendar = parse(self.get())
        first, last = date(2026, 3, 1), date(2026, 12, 31)
        expanded = {
            (str(e["UID"]), as_utc(e["DTSTART"].dt), str(e.get("STATUS")))
            for e in recurring_ical_events.of(calendar).between(first, last + timedelta(days=1))
        }
        indexed = {
            (str(o.event_uuid), o.start, ICS_STATUS.get(o.status, "CONFIRMED"))
            for o in Occurrence.objects.between(first, last)
        }
        self.assertEqual(expanded, indexed)
        self.assertEqual(len(masters(calendar)), 5)

    def test_weekly_series_keeps_local_time_across_both_dst_changes(self):
        calendar = parse(self.get())
        uid = str(self.course.uuid)
        starts = {
            e["DTSTART"].dt.astimezone(BRUSSELS).date(): e["DTSTART"].dt.astimezone(BRUSSELS).time()
            for e in recurring_ical_events.of(calendar).between(date(2026, 3, 1), date(2026, 11, 4))
            if str(e["UID"]) == uid
        }
        self.assertEqual(starts[date(2026, 3, 10)], time(19, 0))  # CET
        self.assertEqual(starts[date(2026, 3, 31)], time(19, 0))  # CEST
        self.assertEqual(starts[date(2026, 11, 3)], time(19, 0))  # CET again
        self.assertEqual(starts[date(2026, 4, 7)], time(20, 0))  # the moved date
        self.assertNotIn(date(2026, 3, 17), starts)  # the excluded date

    def test_vtimezone_holds_both_dst_transitions_of_the_series(self):
        calendar = parse(self.get())
        (zone,) = calendar.walk("VTIMEZONE")
        self.assertEqual(str(zone["TZID"]), "Europe/Brussels")
        tz = zone.to_tz()
        for day, hours in ((date(2026, 3, 24), 1), (date(2026, 4, 7), 2), (date(2026, 11, 3), 1)):
            with self.subTest(day=day):
                local = datetime.combine(day, time(19, 0), tzinfo=tz)
                self.assertEqual(local.utcoffset(), timedelta(hours=hours))
        text = zone.to_ical().decode()
        self.assertIn("20260329T030000", text)
        self.assertIn("20261025T030000", text)
        # Each onset an RDATE of its own, the first (DTSTART) too: ical.js reads one value per RDATE and skips
        # DTSTART once there are RDATEs (tests/events/test_recurrence_rules.py runs it on a feed).
        for observance in zone.walk("DAYLIGHT") + zone.walk("STANDARD"):
            rdates = observance.get("RDATE", [])
            rdates = rdates if isinstance(rdates, list) else [rdates]
            with self.subTest(observance["DTSTART"].dt):
                self.assertTrue(all(len(rdate.dts) == 1 for rdate in rdates))
                if rdates:
                    self.assertEqual(rdates[0].dts[0].dt, observance["DTSTART"].dt)

    def test_series_are_rules_with_exclusions_and_overrides(self):
        calendar = parse(self.get())
        course = masters(calendar)[str(self.course.uuid)]
        self.assertEqual(course["DTSTART"].dt, datetime(2026, 3, 3, 19, tzinfo=BRUSSELS))
        self.assertEqual(course["DTSTART"].params["TZID"], "Europe/Brussels")
        rule = course["RRULE"]
        self.assertEqual(rule["FREQ"], ["WEEKLY"])
        self.assertEqual(rule["UNTIL"][0], datetime(2026, 11, 3, 22, 59, 59, tzinfo=UTC))
        exdate = course["EXDATE"]
        exdates = [d.dt for d in (exdate if isinstance(exdate, list) else [exdate]).pop().dts]
        self.assertEqual(exdates, [datetime(2026, 3, 17, 19, tzinfo=BRUSSELS)])
        overrides = {
            e["RECURRENCE-ID"].dt: e
            for e in calendar.walk("VEVENT")
            if "RECURRENCE-ID" in e and str(e["UID"]) == str(self.course.uuid)
        }
        cancelled = overrides[datetime(2026, 3, 24, 19, tzinfo=BRUSSELS)]
        self.assertEqual(cancelled["STATUS"], "CANCELLED")
        moved = overrides[datetime(2026, 4, 7, 19, tzinfo=BRUSSELS)]
        self.assertEqual(moved["DTSTART"].dt, datetime(2026, 4, 7, 20, tzinfo=BRUSSELS))

    def test_filtered_series_keeps_its_first_start(self):
        course = masters(parse(self.get("?from=2026-04-01&to=2026-04-30")))[str(self.course.uuid)]
        self.assertEqual(course["DTSTART"].dt.date(), date(2026, 3, 3))

    def test_all_day_events_use_dates_with_exclusive_end_and_date_until(self):
        response = self.get()
        events = masters(parse(response))
        open_days = events[str(self.open_days.uuid)]
        self.assertEqual(open_days["DTSTART"].dt, date(2026, 3, 14))
        self.assertEqual(open_days["DTEND"].dt, date(2026, 3, 16))
        saturdays = events[str(self.saturdays.uuid)]
        until = saturdays["RRULE"]["UNTIL"][0]
        self.assertIsInstance(until, date)
        self.assertNotIsInstance(until, datetime)
        self.assertIn(b"UNTIL=20260404", response.content.replace(b"\r\n ", b""))

    def test_cancelled_event_is_emitted_with_status_cancelled(self):
        event = masters(parse(self.get()))[str(self.cancelled.uuid)]
        self.assertEqual(event["STATUS"], "CANCELLED")

    def test_event_properties_for_clients(self):
        calendar = parse(self.get())
        self.assertEqual(calendar["X-WR-TIMEZONE"], "Europe/Brussels")
        self.assertIn("X-WR-CALNAME", calendar)
        course = masters(calendar)[str(self.course.uuid)]
        self.assertEqual(course["SEQUENCE"], self.course.sequence)
        modified = self.course.last_published_at.astimezone(UTC).replace(microsecond=0)
        self.assertEqual(course["LAST-MODIFIED"].dt, modified)
        self.assertEqual(course["DTSTAMP"].dt, modified)
        self.assertIn("Bibliotheek Noord", str(course["LOCATION"]))
        self.assertEqual(str(course["ORGANIZER"]), "mailto:noord@example.org")
        self.assertEqual(course["ORGANIZER"].params["CN"], "Bibliotheek Noord")
        self.assertTrue(str(course["URL"]).startswith("http://testserver/nl/"))
        lecture = masters(calendar)[str(self.lecture.uuid)]
        self.assertEqual((lecture["GEO"].latitude, lecture["GEO"].longitude), (51.0, 4.5))

    def test_a_second_parser_reads_the_same_events(self):
        text = self.get().content.decode()
        calendar = vobject.readOne(text)
        uids = {vevent.uid.value for vevent in calendar.vevent_list}
        self.assertEqual(uids, set(masters(parse(self.get()))))
        course = next(
            v
            for v in calendar.vevent_list
            if v.uid.value == str(self.course.uuid) and "recurrence_id" not in v.contents
        )
        starts = list(course.getrruleset(addRDate=True))
        self.assertEqual(starts[0].astimezone(BRUSSELS), datetime(2026, 3, 3, 19, tzinfo=BRUSSELS))
        self.assertEqual(starts[-1].astimezone(BRUSSELS), datetime(2026, 11, 3, 19, tzinfo=BRUSSELS))
        self.assertNotIn(datetime(2026, 3, 17, 19, tzinfo=BRUSSELS), starts)

    def test_unchanged_calendar_is_byte_identical(self):
        first = self.get().content
        cache.clear()
        with time_machine.travel(NOW + timedelta(hours=3), tick=False):
            second = self.get().content
        self.assertEqual(first, second)

    def test_output_is_crlf_folded_at_75_octets(self):
        response = self.get()
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        lines = response.content.split(b"\r\n")
        self.assertEqual(lines[-1], b"")
        self.assertFalse(any(b"\n" in line for line in lines))
        self.assertLessEqual(max(len(line) for line in lines), 75)

    def test_uid_is_the_same_in_every_language_and_texts_follow_the_locale(self):
        from tests.learningcity.utils import sync_translation

        english = sync_translation(self.lecture, self.locales["en"])
        english.title = "Lecture"
        publish(english)
        cache.clear()
        dutch = masters(parse(self.get()))[str(self.lecture.uuid)]
        translated = masters(parse(self.get("?locale=en")))[str(self.lecture.uuid)]
        self.assertEqual(str(dutch["SUMMARY"]), "Lezing")
        self.assertEqual(str(translated["SUMMARY"]), "Lecture")
        self.assertTrue(str(translated["URL"]).startswith("http://testserver/en/"))
        # French falls back to the source text; Accept-Language changes nothing.
        french = masters(parse(self.client.get("/feeds/events.ics?locale=fr", HTTP_ACCEPT_LANGUAGE="en")))
        self.assertEqual(str(french[str(self.lecture.uuid)]["SUMMARY"]), "Lezing")

    def test_invalid_parameters_are_a_400_naming_the_parameter(self):
        for query, name in (
            ("?locale=de", "locale"),
            ("?age=old", "age"),
            ("?colour=red", "colour"),
            ("?venue=99999999999999999999999", "venue"),
        ):
            with self.subTest(query=query):
                response = self.get(query)
                self.assertEqual(response.status_code, 400)
                self.assertIn(f"{name}:", response.content.decode())

    def test_filters_select_events(self):
        uids = set(masters(parse(self.get(f"?venue={self.library.pk}"))))
        self.assertEqual(uids, {str(self.course.uuid)})

    def test_conditional_get_gives_304_until_an_event_changes(self):
        response = self.get()
        etag = response["ETag"]
        self.assertIn("Last-Modified", response)
        self.assertEqual(self.client.get("/feeds/events.ics", HTTP_IF_NONE_MATCH=etag).status_code, 304)
        self.lecture.title = "Lezing (nieuw)"
        publish(self.lecture)
        changed = self.client.get("/feeds/events.ics", HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(changed.status_code, 200)
        self.assertIn(b"Lezing (nieuw)", changed.content)

    def test_per_event_calendar(self):
        url = reverse("events:event_ics", kwargs={"uuid": self.course.uuid})
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        calendar = parse(response)
        self.assertEqual({str(e["UID"]) for e in calendar.walk("VEVENT")}, {str(self.course.uuid)})
        self.assertEqual(len(calendar.walk("VTIMEZONE")), 1)
        missing = reverse("events:event_ics", kwargs={"uuid": "00000000-0000-0000-0000-000000000000"})
        self.assertEqual(self.client.get(missing).status_code, 404)

    def test_calendar_is_written_as_icalendar_writes_it(self):
        # The VEVENTs are formatted without icalendar's objects: parsing and writing them again changes no byte.
        for query in ("", "?locale=en"):
            with self.subTest(query=query):
                content = self.get(query).content
                self.assertEqual(icalendar.Calendar.from_ical(content).to_ical(), content)

    def test_urls_are_the_pages_urls_in_the_feeds_language(self):
        from tests.learningcity.utils import sync_translation

        english = sync_translation(self.lecture, self.locales["en"])
        for query, page in (("", self.lecture), ("?locale=en", english)):
            with self.subTest(query=query):
                lecture = masters(parse(self.get(query)))[str(self.lecture.uuid)]
                self.assertEqual(str(lecture["URL"]), page.get_full_url())

    def test_query_count_does_not_grow_with_events(self):
        self.get()  # warm up per-process caches (content types)
        cache.clear()
        # Locale, site, longest occurrence, site root paths (2), view restrictions, the hidden events; the events'
        # versions, their organisers, their partners; the events in full (streamed), themes, extra dates, excluded
        # dates and changed dates.
        # (A feed in another language than the events' also reads their translations and their partners'.)
        with self.assertNumQueries(15):
            self.get()
        for _n in range(10):
            event = EventPageFactory(parent=self.agenda, start_date=date(2026, 3, 9), venue=self.library)
            event.organisers.set([self.library])
            publish(event)
        cache.clear()
        with self.assertNumQueries(15):
            self.get()


@time_machine.travel(NOW, tick=False)
class PrivateEventTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            build_agenda(cls)
            PageViewRestriction.objects.create(page=cls.lecture, restriction_type="password", password="geheim")

    def test_restricted_events_stay_out_of_every_feed(self):
        cache.clear()
        self.assertNotIn(str(self.lecture.uuid), masters(parse(self.client.get("/feeds/events.ics"))))
        self.assertNotIn(b"Lezing", self.client.get("/feeds/events.json?limit=50").content)
        url = reverse("events:event_ics", kwargs={"uuid": self.lecture.uuid})
        self.assertEqual(self.client.get(url).status_code, 404)


@time_machine.travel(NOW, tick=False)
class CalendarReuseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            build_agenda(cls)

    def assert_rebuilt_like_cold(self, url: str, expected: str) -> None:
        """After a change, the calendar rebuilt from the unchanged events' blocks equals one built from scratch."""
        warm = self.client.get(url).content
        self.assertIn(expected, warm.decode())
        cache.clear()
        self.assertEqual(self.client.get(url).content, warm)

    def test_rebuilt_calendar_reusing_unchanged_events_equals_a_cold_build(self):
        cache.clear()
        self.client.get("/feeds/events.ics")
        self.course.title = "Taalcafé (nieuw lokaal)"
        publish(self.course, excluded=[date(2026, 3, 17), date(2026, 3, 31)])
        self.assert_rebuilt_like_cold("/feeds/events.ics", "Taalcafé (nieuw lokaal)")

    def test_a_changed_venue_is_written_again_in_its_events(self):
        cache.clear()
        self.client.get("/feeds/events.ics")
        self.library.title = "Bibliotheek Noord-Oost"
        with TestCase.captureOnCommitCallbacks(execute=True):
            self.library.save_revision().publish()
        self.assert_rebuilt_like_cold("/feeds/events.ics", "LOCATION:Bibliotheek Noord-Oost")

    def test_a_new_translation_is_written_again(self):
        from tests.learningcity.utils import sync_translation

        cache.clear()
        self.client.get("/feeds/events.ics?locale=en")
        english = sync_translation(self.lecture, self.locales["en"])
        english.title = "Lecture"
        publish(english)
        self.assert_rebuilt_like_cold("/feeds/events.ics?locale=en", "SUMMARY:Lecture")


class PeriodicRuleTests(SimpleTestCase):
    """Daily and weekly rules computed by arithmetic give dateutil's dates."""

    def test_dates_match_dateutil(self):
        rng = random.Random(5)
        for _n in range(500):
            start = datetime(2026, 1, 1, 19) + timedelta(days=rng.randint(0, 700), hours=rng.randint(-10, 4))
            frequency = rng.choice(["daily", "weekly", "weekly"])
            weekdays = tuple(sorted(rng.sample(range(7), rng.randint(1, 3)))) if frequency == "weekly" else ()
            end = rng.choice([{"count": rng.randint(1, 60)}, {"until": start.date() + timedelta(days=400)}, {}])
            schedule = Schedule(
                tzid="Europe/Brussels",
                start=start,
                frequency=frequency,
                interval=rng.choice([1, 2, 3]),
                weekdays=weekdays,
                **end,
            )
            after = datetime.combine(start.date() + timedelta(days=rng.randint(-20, 300)), time.min)
            before = datetime.combine(after.date() + timedelta(days=rng.randint(0, 40)), time.max)
            with self.subTest(schedule=schedule, after=after, before=before):
                rule = PeriodicRule.of(schedule)
                self.assertEqual(rule.between(after, before), schedule.rule().between(after, before, inc=True))
                if schedule.count:
                    self.assertEqual(rule.nth(schedule.count - 1), list(schedule.rule())[-1])

    def test_monthly_rules_are_left_to_dateutil(self):
        schedule = Schedule(tzid="Europe/Brussels", start=datetime(2026, 1, 31, 19), frequency="monthly", count=3)
        self.assertIsNone(PeriodicRule.of(schedule))
        # 31 January, 31 March and 31 May (February and April have no 31st), plus the day of margin after the last.
        self.assertEqual(series_last_day(schedule), date(2026, 6, 1))
