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
from django.test import TestCase

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
        self.assertIn("kapot@bib-noord.example: unsupported repetition FREQ=YEARLY", err.getvalue())
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
