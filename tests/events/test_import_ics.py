"""``manage.py import_ics``: idempotent, atomic, and faithful to the calendar's recurrence rules."""

import functools
import http.server
import tempfile
import threading
from datetime import UTC, date, datetime, time
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import time_machine
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import translation

from events.models import EventPage, EventStatus, Frequency, Occurrence
from tests.learningcity.utils import make_portal
from tests.partners.factories import PartnerIndexPageFactory, PartnerPageFactory

from .factories import EventIndexPageFactory

DATA = Path(__file__).parent / "data"
LIBRARY = DATA / "library.ics"
BROKEN = DATA / "broken.ics"
BRUSSELS = ZoneInfo("Europe/Brussels")


@time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False)
class ImportICSTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, _locales = make_portal()
        cls.agenda = EventIndexPageFactory(parent=cls.home)
        cls.partner = PartnerPageFactory(parent=PartnerIndexPageFactory(parent=cls.home), slug="bib-noord")

    def run_import(self, path, *args):
        out, err = StringIO(), StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("import_ics", str(path), "--organiser", "bib-noord", *args, stdout=out, stderr=err)
        return out.getvalue().strip()

    def test_a_second_run_changes_nothing(self):
        self.assertEqual(self.run_import(LIBRARY), "created: 3, updated: 0, unchanged: 0")
        occurrences = list(Occurrence.objects.values_list("event_uuid", "recurrence_id", "start", "status"))
        revisions = {page.pk: page.latest_revision_id for page in EventPage.objects.all()}
        self.assertEqual(self.run_import(LIBRARY), "created: 0, updated: 0, unchanged: 3")
        self.assertEqual(
            list(Occurrence.objects.values_list("event_uuid", "recurrence_id", "start", "status")), occurrences
        )
        self.assertEqual({page.pk: page.latest_revision_id for page in EventPage.objects.all()}, revisions)

    def test_events_are_created_under_the_organiser_with_their_schedule(self):
        self.run_import(LIBRARY)
        cafe = EventPage.objects.get(source_uid="taalcafe-2026@bib-noord.example")
        self.assertEqual(cafe.get_parent().pk, self.partner.pk)
        self.assertTrue(cafe.live)
        self.assertEqual(list(cafe.organisers.all()), [self.partner])
        self.assertEqual((cafe.tzid, cafe.start_time, cafe.end_time), ("Europe/Brussels", time(19), time(20, 30)))
        self.assertEqual((cafe.frequency, cafe.weekdays, cafe.until), (Frequency.WEEKLY, [0], date(2026, 6, 1)))
        self.assertEqual((cafe.sequence, cafe.venue_name), (1, "Bibliotheek Noord, leeszaal"))
        self.assertEqual(cafe.source_last_modified, datetime(2026, 1, 10, 9, tzinfo=UTC))
        self.assertEqual(cafe.summary, "Oefen Nederlands in een gezellige sfeer.")

        open_days = EventPage.objects.get(source_uid="opendeur-2026@bib-noord.example")
        self.assertEqual((open_days.all_day, open_days.end_date), (True, date(2026, 4, 26)))
        [occurrence] = Occurrence.objects.for_event(open_days)
        self.assertEqual(occurrence.recurrence_id, "2026-04-25")

        statuses = dict(Occurrence.objects.for_event(cafe).values_list("recurrence_id", "status"))
        self.assertEqual(statuses["2026-03-16T19:00:00"], EventStatus.CANCELLED)
        self.assertNotIn("2026-04-06T19:00:00", statuses)
        self.assertIn("2026-03-11T19:00:00", statuses)

    def test_occurrences_match_an_independent_expansion_of_the_calendar(self):
        self.run_import(LIBRARY)
        calendar = icalendar.Calendar.from_ical(LIBRARY.read_bytes())
        expected = set()
        for component in recurring_ical_events.of(calendar).between(datetime(2026, 1, 1), datetime(2027, 1, 1)):
            start = component.start
            if not isinstance(start, datetime):
                start = datetime.combine(start, time.min, tzinfo=BRUSSELS)
            status = "cancelled" if str(component.get("STATUS", "")).upper() == "CANCELLED" else "scheduled"
            expected.add((str(component["UID"]), start.astimezone(UTC), status))
        actual = {
            (source_uid, start, status)
            for source_uid, start, status in Occurrence.objects.values_list("event__source_uid", "start", "status")
        }
        self.assertEqual(actual, expected)
        self.assertEqual(len(actual), 18)  # 12 Mondays + 1 extra date, 1 open days, 4 readings

    def test_a_newer_sequence_updates_the_event(self):
        self.run_import(LIBRARY)
        text = LIBRARY.read_text().replace("SEQUENCE:1", "SEQUENCE:2").replace("T203000", "T210000")
        path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "library.ics"
        path.write_text(text)
        self.assertEqual(self.run_import(path), "created: 0, updated: 1, unchanged: 2")
        cafe = EventPage.objects.get(source_uid="taalcafe-2026@bib-noord.example")
        self.assertEqual((cafe.end_time, cafe.sequence), (time(21), 2))
        self.assertEqual(self.run_import(path), "created: 0, updated: 0, unchanged: 3")

    def test_a_broken_component_imports_nothing_and_is_named(self):
        with self.assertRaises(CommandError) as raised:
            self.run_import(BROKEN)
        self.assertIn("2 invalid component(s); nothing was imported", str(raised.exception))
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("import_ics", str(BROKEN), "--organiser", "bib-noord", stderr=err)
        self.assertIn("kapot@bib-noord.example: RRULE has both COUNT and UNTIL", err.getvalue())
        self.assertIn("zonder-begin@bib-noord.example: the event has no DTSTART", err.getvalue())
        self.assertFalse(EventPage.objects.exists())
        self.assertFalse(Occurrence.objects.exists())

    def test_events_go_under_the_given_parent(self):
        self.run_import(LIBRARY, "--parent", str(self.agenda.pk))
        self.assertEqual(EventPage.objects.child_of(self.agenda).count(), 3)

    def test_a_parent_that_cannot_hold_events_is_refused(self):
        with self.assertRaisesMessage(CommandError, "Events cannot be created under"):
            self.run_import(LIBRARY, "--parent", str(self.home.pk))

    def test_an_unknown_organiser_is_refused(self):
        with self.assertRaisesMessage(CommandError, "No partner with id or slug nergens"):
            call_command("import_ics", str(LIBRARY), "--organiser", "nergens")


class CalendarServer:
    """A calendar served over HTTP on the loopback interface, for the duration of a ``with`` block."""

    def __init__(self, directory: Path):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False)
@override_settings(LEERSTAD_CALENDAR_ALLOW_PRIVATE_ADDRESSES=True)  # the test server listens on the loopback
class ImportICSFromURLTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home, _locales = make_portal()
        PartnerPageFactory(parent=PartnerIndexPageFactory(parent=home), slug="bib-noord")

    def test_a_calendar_url_imports_like_a_file(self):
        out = StringIO()
        with CalendarServer(DATA) as base, self.captureOnCommitCallbacks(execute=True):
            call_command("import_ics", f"{base}/library.ics", "--organiser", "bib-noord", stdout=out)
        self.assertEqual(out.getvalue().strip(), "created: 3, updated: 0, unchanged: 0")

    def test_an_unreachable_url_is_a_clear_error(self):
        with CalendarServer(DATA) as base, self.assertRaisesMessage(CommandError, "Cannot fetch"):
            call_command("import_ics", f"{base}/missing.ics", "--organiser", "bib-noord")
        self.assertFalse(EventPage.objects.exists())

    def test_addresses_on_this_machine_are_refused_as_for_subscriptions(self):
        with (
            override_settings(LEERSTAD_CALENDAR_ALLOW_PRIVATE_ADDRESSES=False),
            CalendarServer(DATA) as base,
            self.assertRaises(CommandError) as raised,
        ):
            call_command("import_ics", f"{base}/library.ics", "--organiser", "bib-noord")
        self.assertIn(f"Cannot fetch {base}/library.ics", str(raised.exception))
        self.assertIn("private or local network address, which is refused. Nothing was imported", str(raised.exception))
        self.assertFalse(EventPage.objects.exists())


def vevent(uid, *lines, start="DTSTART;TZID=Europe/Brussels:20260302T190000"):
    return ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260110T090000Z", "SUMMARY:Taalcafé", start, *lines, "END:VEVENT"]


def calendar(*events, header=()):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Proefstad//Test//NL", *header]
    for event in events:
        lines += event
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


@time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False)
class ImportICSLimitTests(TestCase):
    """What an import cannot carry is refused, named by UID with the reason, and nothing is written."""

    @classmethod
    def setUpTestData(cls):
        home, _locales = make_portal()
        PartnerPageFactory(parent=PartnerIndexPageFactory(parent=home), slug="bib-noord")

    def write(self, text: str) -> Path:
        path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "agenda.ics"
        path.write_text(text, encoding="utf-8")
        return path

    def run_import(self, path):
        out, err = StringIO(), StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("import_ics", str(path), "--organiser", "bib-noord", stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def refused(self, path) -> tuple[str, str]:
        """The command's error and its report on stderr; asserts that nothing was imported."""
        err = StringIO()
        with self.assertRaises(CommandError) as raised, self.captureOnCommitCallbacks(execute=True):
            call_command("import_ics", str(path), "--organiser", "bib-noord", stderr=err)
        self.assertFalse(EventPage.objects.exists())
        self.assertFalse(Occurrence.objects.exists())
        return str(raised.exception), err.getvalue()

    @translation.override("en")  # the page's messages come in the active language, the site's by default
    def test_every_component_beyond_the_bounds_is_named_with_its_reason_and_nothing_is_imported(self):
        cases = [
            (
                "verzet@x",
                vevent("verzet@x", "DTEND;TZID=Europe/Brussels:20260302T210000", "RRULE:FREQ=WEEKLY;COUNT=4")
                + vevent(
                    "verzet@x",
                    "RECURRENCE-ID;TZID=Europe/Brussels:20260309T190000",
                    "DTEND:99991230T210000",
                    start="DTSTART;TZID=Europe/Brussels:20260309T190000",
                ),
                "new_end_date: New end date must fall between 2014-02-01 and 2032-08-01.",
            ),
            (
                "hele-dag@x",
                vevent("hele-dag@x", "DTEND;VALUE=DATE:99991230", start="DTSTART;VALUE=DATE:20260302"),
                "end_date: End date must fall between",
            ),
            ("lang@x", vevent("lang@x", "DTEND;TZID=Europe/Brussels:20270310T190000"), "end_date: End date is more"),
            ("ver@x", vevent("ver@x", start="DTSTART:20400302T190000Z"), "start_date: Start date must fall between"),
            ("tot@x", vevent("tot@x", "RRULE:FREQ=DAILY;UNTIL=20990101"), "until: Repeats until must fall between"),
            ("nul-interval@x", vevent("nul-interval@x", "RRULE:FREQ=WEEKLY;INTERVAL=0"), "interval: "),
            ("min-interval@x", vevent("min-interval@x", "RRULE:FREQ=WEEKLY;INTERVAL=-2"), "interval: "),
            ("telling@x", vevent("telling@x", "RRULE:FREQ=DAILY;COUNT=1000000000"), "count: "),
            ("volgnummer@x", vevent("volgnummer@x", "SEQUENCE:99999999999999"), "SEQUENCE is not between 0 and"),
            ("negatief@x", vevent("negatief@x", "SEQUENCE:-1"), "SEQUENCE is not between 0 and"),
            (
                "mars@x",
                vevent("mars@x", start="DTSTART;TZID=Mars/Olympus:20260302T190000"),
                "unknown time zone TZID=Mars/Olympus in DTSTART",
            ),
            ("nul@x", vevent("nul@x", "DESCRIPTION:een\x00twee"), "the event contains a NUL character"),
            ("roman@x", vevent("roman@x", "DESCRIPTION:" + "a" * 20_001), "DESCRIPTION is longer than 20000"),
            ("extra@x", vevent("extra@x", "RRULE:FREQ=WEEKLY", "RDATE;VALUE=DATE:99991231"), "date: Date must fall"),
        ]
        good = vevent("goed@x", "DTEND;TZID=Europe/Brussels:20260302T210000")
        message, report = self.refused(self.write(calendar(good, *(event for _uid, event, _reason in cases))))
        self.assertIn(f"{len(cases)} invalid component(s); nothing was imported", message)
        for uid, _event, reason in cases:
            with self.subTest(uid=uid):
                self.assertIn(f"{uid}: {reason}", report)
        self.assertNotIn("goed@x", report)
        self.assertNotIn("Traceback", report)

    @override_settings(LEERSTAD_EVENTS_IMPORT_MAX_BYTES=1000)
    def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(self):
        self.assertGreater(LIBRARY.stat().st_size, 1000)
        message, _report = self.refused(LIBRARY)
        self.assertIn("is larger than 1000 bytes", message)

    @override_settings(LEERSTAD_EVENTS_IMPORT_MAX_EVENTS=4)
    def test_a_calendar_with_too_many_events_is_refused_as_a_whole(self):
        message, _report = self.refused(LIBRARY)  # 5 VEVENTs, 2 of them changed dates
        self.assertIn("The calendar has 5 events", message)
        self.assertIn("at most 4 can be imported", message)

    def test_a_nul_byte_outside_the_events_refuses_the_file(self):
        path = self.write(calendar(vevent("goed@x"), header=["X-WR-CALNAME:Agenda\x00"]))
        message, _report = self.refused(path)
        self.assertIn("NUL character", message)

    def test_a_file_that_is_not_a_calendar_is_refused(self):
        message, _report = self.refused(self.write("<html>Not found</html>"))
        self.assertIn("Not an iCalendar file", message)

    @override_settings(LEERSTAD_EVENTS_IMPORT_MAX_COUNT=3, LEERSTAD_EVENTS_MAX_COUNT=3)
    def test_more_extra_dates_than_a_series_may_have_are_refused(self):
        dates = ",".join(f"202603{day:02d}" for day in range(10, 14))
        path = self.write(calendar(vevent("veel@x", "RRULE:FREQ=WEEKLY;COUNT=2", f"RDATE;VALUE=DATE:{dates}")))
        _message, report = self.refused(path)
        self.assertIn("veel@x: more than 3 RDATE dates", report)

    def test_a_valid_update_is_refused_whole_when_another_component_is_invalid(self):
        self.run_import(LIBRARY)
        before = {page.source_uid: page.latest_revision_id for page in EventPage.objects.all()}
        text = LIBRARY.read_text().replace("SEQUENCE:1", "SEQUENCE:2").replace("T203000", "T210000")
        text = text.replace("DURATION:PT45M", "DURATION:PT45M\r\nDESCRIPTION:a\x00b")
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("import_ics", str(self.write(text)), "--organiser", "bib-noord", stderr=err)
        self.assertIn("voorlezen-2026@bib-noord.example: the event contains a NUL character", err.getvalue())
        self.assertEqual({page.source_uid: page.latest_revision_id for page in EventPage.objects.all()}, before)
        self.assertEqual(EventPage.objects.get(source_uid="taalcafe-2026@bib-noord.example").end_time, time(20, 30))


@time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False)
class ImportICSURLLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home, _locales = make_portal()
        PartnerPageFactory(parent=PartnerIndexPageFactory(parent=home), slug="bib-noord")

    @override_settings(LEERSTAD_EVENTS_IMPORT_MAX_BYTES=1000, LEERSTAD_CALENDAR_ALLOW_PRIVATE_ADDRESSES=True)
    def test_a_calendar_url_over_the_size_limit_is_refused(self):
        message = "The calendar is larger than 1,000 bytes, the import's limit. Nothing was imported."
        with CalendarServer(DATA) as base, self.assertRaisesMessage(CommandError, message):
            call_command("import_ics", f"{base}/library.ics", "--organiser", "bib-noord")
        self.assertFalse(EventPage.objects.exists())
