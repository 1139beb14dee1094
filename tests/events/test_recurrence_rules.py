"""Series as libraries run them: every first Wednesday, the last Friday, once a year; imported, entered in the admin,
written back to the calendar feed and told in words on the event page, in its JSON-LD and in the API."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from pathlib import Path
from time import monotonic
from unittest import mock
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import time_machine
import vobject
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from events.feeds.ics import ics_status
from events.ics_import import ImportFailed, parse_calendar
from events.models import EventPage, EventStatus, Frequency, Occurrence
from tests.learningcity.utils import make_portal, sync_translation
from tests.partners.factories import PartnerIndexPageFactory, PartnerPageFactory

from .factories import EventIndexPageFactory, publish

RECURRING = Path(__file__).parent / "data" / "recurring.ics"
ICALJS_CHECK = Path(__file__).parent / "icaljs_check.mjs"
NODE_MODULES = Path(__file__).parents[2] / "node_modules"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)
# The occurrence index covers 24 months back and 18 ahead of today (events.conf.occurrence_window).
WINDOW = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 8, 2, tzinfo=UTC))

BOOK_CLUB = {
    "nl": "Elke eerste woensdag van de maand, 14:00–16:00, van 7 januari tot 24 juni 2026 — niet op 1 april",
    "en": "Every first Wednesday of the month, 14:00–16:00, from 7 January until 24 June 2026 — not on 1 April",
    "fr": "Chaque premier mercredi du mois, de 14 h à 16 h, du 7 janvier au 24 juin 2026 — sauf le 1er avril",
}


def as_utc(value) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min, tzinfo=AMSTERDAM)
    return value.astimezone(UTC)


def icaljs_node() -> str:
    """Node.js, to run ical.js with: the npm packages of package-lock.json must be installed (``make test`` does so
    with ``npm ci`` when npm is there). Without them the test is skipped, saying why, except in CI (``CI`` set),
    where it fails."""
    node = shutil.which("node")
    if node is None:
        missing = "No Node.js: install Node.js and npm to check the feed with ical.js."
    elif not (NODE_MODULES / "ical.js" / "package.json").exists():
        missing = "ical.js is not installed: run npm ci (make test does) to check the feed with ical.js."
    else:
        missing = ""
    if missing and os.environ.get("CI"):
        raise AssertionError(f"{missing} CI must run this check.")
    if missing:
        raise unittest.SkipTest(missing)
    return node


def expand_with_icaljs(node: str, content: bytes, before: datetime) -> list[dict]:
    """The feed as ical.js expands it (tests/events/icaljs_check.mjs prints what it gives)."""
    result = subprocess.run(
        [node, str(ICALJS_CHECK), before.isoformat()], input=content, capture_output=True, timeout=60, check=False
    )
    if result.returncode:
        raise AssertionError(f"ical.js could not read the feed: {result.stderr.decode()}")
    return json.loads(result.stdout)


class RecurringCalendarTests(TestCase):
    """The calendar of tests/events/data/recurring.ics imported by ``import_ics`` on 1 February 2026."""

    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, cls.locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            directory = PartnerIndexPageFactory(parent=cls.home)
            cls.partner = PartnerPageFactory(parent=directory, slug="bib-noord")
            out = StringIO()
            with cls.captureOnCommitCallbacks(execute=True):
                call_command("import_ics", str(RECURRING), "--organiser", "bib-noord", stdout=out, stderr=StringIO())
            cls.output = out.getvalue()
            cls.pages = {page.source_uid.split("@")[0]: page for page in EventPage.objects.all()}

    def setUp(self):
        cache.clear()
        self.enterContext(time_machine.travel(NOW, tick=False))

    def test_the_calendar_imports_with_a_notice_for_the_rule_no_form_holds(self):
        self.assertIn("created: 7, updated: 0, unchanged: 0", self.output)
        self.assertIn("notice: werkdag@bib-noord.example: the repetition (BYSETPOS with several weekdays)", self.output)
        self.assertIn("imported as 6 dates", self.output)
        closing = self.pages["werkdag"]
        self.assertEqual(closing.frequency, "")
        self.assertEqual(
            [row.date for row in closing.extra_dates.all()],
            [date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 29), date(2026, 6, 30), date(2026, 7, 31)],
        )

    def test_a_rule_kept_as_dates_stops_at_the_index_window_and_the_count_limit(self):
        calendar = RECURRING.read_text().split("BEGIN:VEVENT")[0] + (
            "BEGIN:VEVENT\r\nUID:elke-12-uur@bib-noord.example\r\nDTSTAMP:20260110T090000Z\r\n"
            "SUMMARY:Open inloop\r\nDTSTART;TZID=Europe/Amsterdam:20260202T090000\r\n"
            "RRULE:FREQ=DAILY;BYHOUR=9,21\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "inloop.ics"
        path.write_text(calendar)
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("import_ics", str(path), "--organiser", "bib-noord", stdout=out)
        self.assertIn(
            "notice: elke-12-uur@bib-noord.example: the repetition (RRULE part BYHOUR) cannot be entered as a rule; "
            "imported as 1000 dates, up to 2027-06-16",
            out.getvalue(),
        )
        page = EventPage.objects.get(source_uid="elke-12-uur@bib-noord.example")
        self.assertEqual((page.frequency, page.extra_dates.count()), ("", 999))
        self.assertEqual(Occurrence.objects.for_event(page).count(), 1000)

    def test_rules_are_kept_as_rules(self):
        cases = {
            "leesclub-2026": (Frequency.MONTHLY, [2], [1], [], date(2026, 6, 24), None),
            "repaircafe-2026": (Frequency.MONTHLY, [4], [-1], [], date(2026, 11, 27), None),
            "boekenfeest": (Frequency.YEARLY, [], [], [], None, None),
            "bibdag": (Frequency.YEARLY, [6], [-1], [], None, None),
            "taalcafe": (Frequency.MONTHLY, [3], [2], [], None, 6),  # BYDAY=TH;BYSETPOS=2
            "spreekuur": (Frequency.MONTHLY, [], [], [1, 15], None, 8),
        }
        for key, expected in cases.items():
            page = self.pages[key]
            with self.subTest(key):
                actual = (page.frequency, page.weekdays, page.ordinals, page.month_days, page.until, page.count)
                self.assertEqual(actual, expected)
        self.assertTrue(self.pages["boekenfeest"].all_day)
        self.assertEqual(self.pages["boekenfeest"].end_date, date(2026, 4, 26))

    def api_occurrences(self) -> set:
        uids = {str(page.uuid): page.source_uid for page in self.pages.values()}
        found, offset = set(), 0
        while True:
            query = {"from": "2026-01-01", "to": "2027-08-01", "limit": 50, "offset": offset}
            query["status"] = list(EventStatus.values)  # listings hide cancelled dates unless asked
            response = self.client.get("/api/v3/events/", query)
            self.assertEqual(response.status_code, 200, response.content)
            items = response.json()["items"]
            found |= {
                (uids[item["event"]["id"]], datetime.fromisoformat(item["start"]).astimezone(UTC), item["status"])
                for item in items
            }
            if len(items) < 50:
                return found
            offset += 50

    def test_api_occurrences_equal_an_independent_expansion_of_the_file(self):
        calendar = icalendar.Calendar.from_ical(RECURRING.read_bytes())
        expected = set()
        for component in recurring_ical_events.of(calendar).between(*WINDOW):
            status = "cancelled" if str(component.get("STATUS", "")).upper() == "CANCELLED" else "scheduled"
            expected.add((str(component["UID"]), as_utc(component.start), status))
        self.assertEqual(self.api_occurrences(), expected)
        self.assertEqual(len(expected), 5 + 11 + 2 + 1 + 6 + 8 + 6)
        # Across the change to summer time the book club stays at 14:00 local time.
        starts = Occurrence.objects.for_event(self.pages["leesclub-2026"]).values_list("start", flat=True)
        self.assertEqual({start.astimezone(AMSTERDAM).time() for start in starts}, {time(14)})
        self.assertEqual({start.astimezone(UTC).hour for start in starts}, {12, 13})

    def feed(self) -> bytes:
        response = self.client.get("/feeds/events.ics")
        self.assertEqual(response.status_code, 200)
        return response.content

    def test_the_feed_gives_the_rules_back(self):
        calendar = icalendar.Calendar.from_ical(self.feed())
        rules = {
            str(event["UID"]): event["RRULE"].to_ical().decode()
            for event in calendar.walk("VEVENT")
            if "RECURRENCE-ID" not in event and "RRULE" in event
        }
        by_key = {key: rules.get(str(page.uuid)) for key, page in self.pages.items()}
        self.assertEqual(
            by_key,
            {
                "leesclub-2026": "FREQ=MONTHLY;UNTIL=20260624T215959Z;BYDAY=1WE",
                "repaircafe-2026": "FREQ=MONTHLY;UNTIL=20261127T225959Z;BYDAY=-1FR",
                "boekenfeest": "FREQ=YEARLY",
                "bibdag": "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=9",
                "taalcafe": "FREQ=MONTHLY;COUNT=6;BYDAY=2TH",
                "spreekuur": "FREQ=MONTHLY;COUNT=8;BYMONTHDAY=1,15",
                "werkdag": None,  # its dates, as RDATEs
            },
        )

    def test_the_feed_expands_to_the_indexed_occurrences_in_three_parsers(self):
        content = self.feed()
        self.assertEqual(icalendar.Calendar.from_ical(content).to_ical(), content)  # as icalendar writes it
        calendar = icalendar.Calendar.from_ical(content)
        first, last = date(2026, 1, 1), date(2027, 8, 1)
        expanded = {
            (str(e["UID"]), as_utc(e["DTSTART"].dt), str(e.get("STATUS")) == "CANCELLED")
            for e in recurring_ical_events.of(calendar).between(first, last + timedelta(days=1))
        }
        indexed = {
            (str(o.event_uuid), o.start, o.status == "cancelled") for o in Occurrence.objects.between(first, last)
        }
        self.assertEqual(expanded, indexed)
        parsed = vobject.readOne(content.decode())
        book_club = next(
            vevent
            for vevent in parsed.vevent_list
            if vevent.uid.value == str(self.pages["leesclub-2026"].uuid) and "recurrence_id" not in vevent.contents
        )
        starts = [start.astimezone(AMSTERDAM) for start in book_club.getrruleset(addRDate=True)]
        self.assertEqual(
            [start.date() for start in starts],
            [date(2026, 1, 7), date(2026, 2, 4), date(2026, 3, 4), date(2026, 5, 6), date(2026, 6, 3)],
        )

    def test_ical_js_expands_the_feed_to_the_api_occurrences(self):
        """Mozilla's parser (Thunderbird's) reads the rules, RDATEs, EXDATEs, overrides and VTIMEZONEs as written."""
        node = icaljs_node()
        book_club = self.pages["leesclub-2026"]
        moved = {"original_date": date(2026, 6, 3), "new_start_date": date(2026, 6, 10), "new_start_time": time(15)}
        publish(book_club, exceptions=[{**moved, "new_end_time": time(17), "status": "rescheduled"}])
        series = expand_with_icaljs(node, self.feed(), WINDOW[1])
        uids = {str(page.uuid): key for key, page in self.pages.items()}
        expanded = set()
        for event in series:
            for occurrence in event["occurrences"]:
                if "date" in occurrence:
                    start = as_utc(date.fromisoformat(occurrence["date"]))
                else:
                    start = datetime.fromtimestamp(occurrence["timestamp"], UTC)
                if WINDOW[0] <= start:
                    expanded.add((uids[event["uid"]], start, occurrence["status"]))
        from_api = {(key.split("@")[0], start, ics_status(status)) for key, start, status in self.api_occurrences()}
        self.assertEqual(expanded, from_api)
        self.assertIn(("leesclub-2026", datetime(2026, 6, 10, 13, tzinfo=UTC), "CONFIRMED"), expanded)
        self.assertIn(("repaircafe-2026", datetime(2026, 3, 27, 18, tzinfo=UTC), "CANCELLED"), expanded)
        self.assertIn(("boekenfeest", as_utc(date(2027, 4, 25)), "CONFIRMED"), expanded)
        rules = {uids[event["uid"]]: event["rrules"] for event in series}
        self.assertEqual(
            [rules[key] for key in ("leesclub-2026", "repaircafe-2026", "boekenfeest", "werkdag")],
            [
                [{"freq": "MONTHLY", "until": "2026-06-24T21:59:59Z", "byday": "1WE"}],
                [{"freq": "MONTHLY", "until": "2026-11-27T22:59:59Z", "byday": "-1FR"}],
                [{"freq": "YEARLY"}],
                [],  # its dates, as RDATEs
            ],
        )

    def test_the_feed_imports_back_to_the_same_schedules(self):
        """A portal subscribing to this one's feed gets the same dates: the start repeated as an RDATE (for ical.js)
        is one date, not an extra one."""
        parsed = {event.uid: event for event in parse_calendar(self.feed())}
        for key, page in self.pages.items():
            event = parsed[str(page.uuid)]
            with self.subTest(key):
                self.assertEqual(
                    (event.fields["frequency"], event.fields["start_date"], event.extra_dates),
                    (page.frequency, page.start_date, [(row.date, row.start_time) for row in page.extra_dates.all()]),
                )
        self.assertEqual(len(parsed[str(self.pages["werkdag"].uuid)].extra_dates), 5)

    def test_the_event_page_says_the_schedule_in_words_in_each_language(self):
        page = self.pages["leesclub-2026"]
        for language in ("en", "fr"):
            sync_translation(page, self.locales[language])
        for language, text in BOOK_CLUB.items():
            shown = page.get_translation(self.locales[language])
            with self.subTest(language):
                response = self.client.get(shown.url)
                self.assertContains(response, f'<p class="event-schedule">{escape(text)}</p>', html=True)
                self.assertEqual(response.context["structured_data"]["eventSchedule"]["description"], text)

    def test_json_ld_names_the_weekday_of_the_month(self):
        response = self.client.get(self.pages["repaircafe-2026"].url)
        schedule = response.context["structured_data"]["eventSchedule"]
        self.assertEqual(schedule["byDay"], ["https://schema.org/Friday"])
        self.assertEqual(schedule["byMonthWeek"], [-1])
        self.assertEqual(schedule["exceptDate"], ["2026-03-27"])
        self.assertEqual(schedule["repeatFrequency"], "P1M")

    def test_the_api_gives_the_schedule_in_words_and_the_rule(self):
        page = self.pages["repaircafe-2026"]
        for language, short in {
            "nl": "Elke laatste vrijdag van de maand, 19:00–21:00, tot 27 november 2026",
            "en": "Every last Friday of the month, 19:00–21:00, until 27 November 2026",
            "fr": "Chaque dernier vendredi du mois, de 19 h à 21 h, jusqu'au 27 novembre 2026",
        }.items():
            with self.subTest(language):
                body = self.client.get(f"/api/v3/events/{page.uuid}/", {"locale": language}).json()
                self.assertEqual(body["schedule_text"]["short"], short)
                self.assertTrue(body["schedule_text"]["full"].endswith(self.cancelled[language]))
        body = self.client.get(f"/api/v3/events/{self.pages['bibdag'].uuid}/").json()
        self.assertEqual(
            {key: body["recurrence"][key] for key in ("frequency", "weekdays", "positions", "month", "month_days")},
            {"frequency": "yearly", "weekdays": ["sunday"], "positions": [-1], "month": 9, "month_days": []},
        )
        self.assertEqual(body["schedule_text"]["short"], "Elk jaar op de laatste zondag van september, 10:00–17:00")

    cancelled = {"nl": "geannuleerd op 27 maart", "en": "cancelled on 27 March", "fr": "annulé le 27 mars"}

    def test_listings_the_embed_and_feeds_show_the_short_schedule(self):
        short = "Elke laatste vrijdag van de maand, 19:00–21:00, tot 27 november 2026"
        self.assertContains(self.client.get(self.agenda.url), f'<p class="meta schedule">{short}</p>', html=True)
        self.assertContains(self.client.get("/embed/events/"), f'<span class="schedule">{short}</span>', html=True)
        items = self.client.get("/feeds/events.json", {"limit": 50}).json()["items"]
        schedules = {item["title"].split(" (")[0]: item["_leerstad"]["schedule"] for item in items}
        self.assertEqual(schedules["Repair café"], short)
        self.assertEqual(schedules["Maandafsluiting"], "")  # kept as dates: no rule to tell
        repair = next(item for item in items if item["title"].startswith("Repair café ("))
        self.assertIn(short, repair["content_text"])


@time_machine.travel(NOW, tick=False)
class RuleAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, _locales = make_portal()
        cls.agenda = EventIndexPageFactory(parent=cls.home)
        cls.user = get_user_model().objects.create_superuser("redacteur", "r@example.org", "geheim")

    def setUp(self):
        self.client.force_login(self.user)
        self.url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.agenda.pk])

    def post(self, **overrides):
        data = {
            "title": "Leesclub",
            "slug": "leesclub",
            "summary": "Samen een boek bespreken.",
            "body": rich_text("<p>Welkom.</p>"),
            "start_date": "2026-03-04",
            "start_time": "14:00",
            "end_time": "16:00",
            "tzid": "Europe/Amsterdam",
            "frequency": "monthly",
            "interval": "1",
            "weekdays": ["2"],
            "ordinals": ["1"],
            "month_days": "",
            "until": "2026-06-24",
            "extra_dates": inline_formset([]),
            "excluded_dates": inline_formset([{"first_day": "2026-04-01"}]),
            "occurrence_exceptions": inline_formset([]),
            "status": "scheduled",
            "attendance_mode": "offline",
            "is_free": "on",
            "currency": "EUR",
            "country": "NL",
            "registration_status": "open",
            "action-publish": "publish",
        }
        data.update(overrides)
        lists = {name: data.pop(name) for name in ("weekdays", "ordinals")}  # nested_form_data numbers list items
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url, {**nested_form_data(data), **lists})

    def test_an_editor_enters_every_first_wednesday(self):
        response = self.post()
        self.assertRedirects(response, reverse("wagtailadmin_explore", args=[self.agenda.pk]))
        page = EventPage.objects.get(slug="leesclub")
        self.assertEqual((page.weekdays, page.ordinals), ([2], [1]))
        self.assertEqual(
            [o.recurrence_id for o in Occurrence.objects.for_event(page)],
            ["2026-03-04T14:00:00", "2026-05-06T14:00:00", "2026-06-03T14:00:00"],
        )
        response = self.client.get(page.url)
        self.assertContains(
            response, "Elke eerste woensdag van de maand, 14:00–16:00, van 4 maart tot 24 juni 2026 — niet op 1 april"
        )

    def test_an_editor_enters_the_last_friday_and_days_of_the_month(self):
        self.post(slug="repair", start_date="2026-03-27", weekdays=["4"], ordinals=["-1"], until="")
        page = EventPage.objects.get(slug="repair")
        self.assertEqual(
            [o.recurrence_id[:10] for o in Occurrence.objects.for_event(page)][:3],
            ["2026-03-27", "2026-04-24", "2026-05-29"],
        )
        self.post(
            slug="spreekuur",
            start_date="2026-03-15",
            weekdays=[],
            ordinals=[],
            month_days="1, 15",
            until="",
            excluded_dates=inline_formset([]),
        )
        page = EventPage.objects.get(slug="spreekuur")
        self.assertEqual(page.month_days, [1, 15])
        self.assertEqual(
            [o.recurrence_id[:10] for o in Occurrence.objects.for_event(page)][:3],
            ["2026-03-15", "2026-04-01", "2026-04-15"],
        )

    def test_an_editor_enters_a_yearly_event_on_the_last_sunday_of_september(self):
        self.post(slug="bibdag", start_date="2026-09-27", frequency="yearly", weekdays=["6"], ordinals=["-1"], until="")
        page = EventPage.objects.get(slug="bibdag")
        self.assertEqual(
            [o.recurrence_id[:10] for o in Occurrence.objects.for_event(page)], ["2026-09-27"]
        )  # 26 September 2027 lies after the index's window

    def test_invalid_combinations_get_a_dutch_message_on_the_field(self):
        cases = {
            "ordinals without a weekday": (
                {"weekdays": []},
                "weekdays",
                "Kies de weekdag, bv. woensdag voor elke eerste woensdag.",
            ),
            "a weekday without ordinals in a monthly series": (
                {"ordinals": []},
                "ordinals",
                "Kies welke weekdag van de maand, bv. eerste of laatste.",
            ),
            "a start that is not the first Wednesday": (
                {"start_date": "2026-03-11"},
                "ordinals",
                "De startdatum moet een datum van de reeks zijn: met 'eerste' en woensdag een eerste woensdag van "
                "de maand.",
            ),
            "ordinals in a weekly series": (
                {"frequency": "weekly"},
                "ordinals",
                "'Op de' geldt alleen voor maandelijkse en jaarlijkse reeksen.",
            ),
            "days of the month and a weekday": (
                {"month_days": "4"},
                "month_days",
                "Geef dagen van de maand of een weekdag met 'op de', niet allebei.",
            ),
            "days of the month in a yearly series": (
                {"frequency": "yearly", "weekdays": [], "ordinals": [], "month_days": "4"},
                "month_days",
                "Dagen van de maand gelden alleen voor maandelijkse reeksen.",
            ),
            "a day of the month that does not exist": (
                {"weekdays": [], "ordinals": [], "month_days": "4, 32"},
                "month_days",
                "Geef dagen van de maand van 1 tot 31, gescheiden door komma's, bv. 1, 15.",
            ),
            "a start date that is not one of the days": (
                {"weekdays": [], "ordinals": [], "month_days": "1, 15"},
                "month_days",
                "De startdatum moet op een van de dagen van de maand vallen.",
            ),
            "an ordinal that does not exist": ({"ordinals": ["5"]}, "ordinals", "Selecteer een geldige keuze."),
        }
        for name, (overrides, field, message) in cases.items():
            with self.subTest(name):
                response = self.post(**overrides)
                self.assertEqual(response.status_code, 200)
                errors = response.context["form"].errors
                self.assertIn(field, errors)
                self.assertTrue(any(error.startswith(message) for error in errors[field]), errors[field])
        self.assertFalse(EventPage.objects.filter(slug="leesclub").exists())


class UnboundedRuleTests(SimpleTestCase):
    """Rules whose expansion no bound could keep short are refused, naming the component; nothing is imported."""

    def test_rules_by_the_hour_and_rules_without_dates_are_refused(self):
        cases = {
            "FREQ=HOURLY;INTERVAL=12": "FREQ=HOURLY repeats more often than daily",
            "FREQ=MINUTELY;COUNT=5": "FREQ=MINUTELY repeats more often than daily",
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30": "the RRULE has no dates (BYMONTHDAY is not a day of BYMONTH)",
            # Each of these took dateutil 1 to 7 seconds to find that there is no date.
            "FREQ=DAILY;BYSETPOS=2": "the RRULE has no dates (BYSETPOS beyond the dates of one period)",
            "FREQ=DAILY;BYHOUR=10,11;BYSETPOS=3": "the RRULE has no dates (BYSETPOS beyond the dates of one period)",
            "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2": "the RRULE has no dates (BYSETPOS beyond the dates of one period)",
            "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6": "the RRULE has no dates (BYSETPOS beyond the dates of one period)",
            "FREQ=DAILY;BYYEARDAY=1;BYMONTH=2": "RRULE parts BYYEARDAY are not supported",
            "FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6": "RRULE parts BYWEEKNO are not supported",
        }
        for rule, reason in cases.items():
            with self.subTest(rule), translation.override("en"), self.assertRaises(ImportFailed) as raised:
                started = monotonic()
                parse_calendar(calendar_of([rule]))
            self.assertLess(monotonic() - started, 0.5)
            self.assertEqual([str(error) for error in raised.exception.errors], [f"regel-0@example.org: {reason}"])

    def test_the_last_positions_of_a_month_are_kept(self):
        # The fifth Monday exists in some months: the bound leaves such rules to the import, as dates.
        parsed = parse_calendar(calendar_of(["FREQ=MONTHLY;BYDAY=MO;BYSETPOS=5;COUNT=3"]))
        self.assertEqual(
            [extra[0] for extra in parsed[0].extra_dates], [date(2026, 3, 30), date(2026, 6, 29), date(2026, 8, 31)]
        )

    def test_rules_without_dates_no_check_catches_share_one_time_budget(self):
        # The fifth Monday is never one of the first three days of a month; dateutil searches to the year 9999.
        rules = ["FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1,2,3"] * 4
        with (
            mock.patch("events.ics_import.EXPANSION_SECONDS", 0.0),
            translation.override("en"),
            self.assertRaises(ImportFailed) as raised,
        ):
            parse_calendar(calendar_of(rules))
        reasons = [str(error) for error in raised.exception.errors]
        self.assertEqual(len(reasons), 4)
        self.assertTrue(all("the calendar's rules took too long" in reason for reason in reasons), reasons)


def calendar_of(rules: list[str]) -> bytes:
    """A calendar with one series per rule, from Monday 2 February 2026, 9:00 in Amsterdam."""
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:regel-{n}@example.org\r\nDTSTAMP:20260110T090000Z\r\nSUMMARY:Regel {n}\r\n"
        f"DTSTART;TZID=Europe/Amsterdam:20260202T090000\r\nRRULE:{rule}\r\nEND:VEVENT\r\n"
        for n, rule in enumerate(rules)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//NL\r\n{events}END:VCALENDAR\r\n".encode()
