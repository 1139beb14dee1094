"""Calendar subscriptions: ``sync_calendars`` imports each active one, unpublishes vanished events, skips bad ones;
a partner editor manages only their own partner's subscriptions."""

import http.server
import threading
from datetime import UTC, datetime
from io import StringIO
from unittest import mock

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.test.utils import WagtailPageTestCase

from events.models import CalendarSubscription, EventPage
from events.subscriptions import FetchError, fetch_calendar, sync_subscription
from partners.enums import ImportKind, ImportStatus
from partners.models import ImportRun
from tests.learningcity.utils import make_portal
from tests.partners.factories import PartnerIndexPageFactory, PartnerPageFactory
from tests.partners.test_editor_scope import make_user

PAGE = "/admin/calendar-subscriptions/"


def vevent(uid, summary="Voorleesuur", start="20260304T150000", sequence=0, extra=""):
    return (
        "BEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20260110T090000Z\r\nSEQUENCE:{sequence}\r\n"
        + (f"SUMMARY:{summary}\r\n" if summary else "")
        + f"DTSTART;TZID=Europe/Brussels:{start}\r\nDTEND;TZID=Europe/Brussels:{start[:9]}160000\r\n{extra}"
        "END:VEVENT\r\n"
    )


def calendar(*events):
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bib//NL\r\n" + "".join(events) + "END:VCALENDAR\r\n").encode()


class CalendarServer:
    """Serves ``body`` (changeable between requests) on the loopback interface for a ``with`` block."""

    def __init__(self, body=b"", status=200, headers=None):
        server = self
        self.body, self.status, self.headers = body, status, headers or {}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(server.status)
                self.send_header("Content-Type", "text/calendar")
                self.send_header("Content-Length", str(len(server.body)))
                for name, value in server.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/agenda.ics"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False)
@override_settings(LEERSTAD_CALENDAR_ALLOW_PRIVATE_ADDRESSES=True)
class SyncTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, _locales = make_portal()
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.library = PartnerPageFactory(parent=directory, title="Bibliotheek Noord")
        cls.other = PartnerPageFactory(parent=directory, title="Buurthuis Zuid")

    def setUp(self):
        self.enterContext(translation.override("en"))

    def subscribe(self, url, partner=None, active=True):
        return CalendarSubscription.objects.create(partner=partner or self.library, url=url, active=active)

    def sync(self, subscription):
        with self.captureOnCommitCallbacks(execute=True):
            run = sync_subscription(subscription)
        subscription.refresh_from_db()
        return run

    def test_a_run_never_publishes_an_editors_change_awaiting_approval(self):
        call_command("make_partner_editor", "lies", str(self.library.pk), stdout=StringIO())
        lies = get_user_model().objects.get(username="lies")
        with CalendarServer(calendar(vevent("a@bib"), vevent("b@bib", start="20260311T150000"))) as server:
            subscription = self.subscribe(server.url)
            self.sync(subscription)
            first, second = (EventPage.objects.get(source_uid=uid) for uid in ("a@bib", "b@bib"))
            # The partner editor changes both; their changes wait for the municipality's approval.
            for event in (first, second):
                draft = event.get_latest_revision_as_object()
                draft.venue_name = "Bij Lies thuis"
                draft.save_revision(user=lies)
            second.unpublish()
            server.body = calendar(
                vevent("a@bib", summary="Voorleesuur (nieuw)", sequence=1),
                vevent("b@bib", summary="Voorleesuur (ook nieuw)", start="20260311T150000", sequence=1),
            )
            run = self.sync(subscription)
        first.refresh_from_db()
        second.refresh_from_db()
        # The live event takes the calendar's change on its live content, without the editor's.
        self.assertEqual((first.title, first.live), ("Voorleesuur (nieuw)", True))
        self.assertNotEqual(first.venue_name, "Bij Lies thuis")
        # The unpublished one holds only the editor's draft: it waits, neither changed nor published.
        self.assertEqual((second.title, second.live), ("Voorleesuur", False))
        self.assertEqual((run.updated, run.rows), (1, [["a@bib", "updated"], ["b@bib", "waiting"]]))

    def test_a_second_run_changes_nothing_and_a_vanished_uid_is_unpublished(self):
        with CalendarServer(calendar(vevent("a@bib"), vevent("b@bib", start="20260311T150000"))) as server:
            subscription = self.subscribe(server.url)
            run = self.sync(subscription)
            self.assertEqual((run.status, run.created, run.updated, run.unchanged), (ImportStatus.APPLIED, 2, 0, 0))
            events = EventPage.objects.filter(source_uid__in=["a@bib", "b@bib"])
            self.assertEqual({event.get_parent().pk for event in events}, {self.library.pk})
            self.assertTrue(all(event.live for event in events))
            revisions = sorted(events.values_list("latest_revision_id", flat=True))

            run = self.sync(subscription)
            self.assertEqual((run.created, run.updated, run.unchanged, run.unpublished), (0, 0, 2, 0))
            self.assertEqual(sorted(events.values_list("latest_revision_id", flat=True)), revisions)

            server.body = calendar(vevent("a@bib"))
            run = self.sync(subscription)
        self.assertEqual((run.unchanged, run.unpublished), (1, 1))
        self.assertEqual(run.rows, [["b@bib", "unpublished"]])
        self.assertFalse(EventPage.objects.get(source_uid="b@bib").live)
        self.assertTrue(EventPage.objects.get(source_uid="a@bib").live)
        self.assertEqual(subscription.known_uids, ["a@bib"])
        self.assertEqual((subscription.last_status, subscription.last_unpublished), (ImportStatus.APPLIED, 1))

    def test_an_event_that_comes_back_is_published_again_but_not_one_an_editor_unpublished(self):
        with CalendarServer(calendar(vevent("a@bib"), vevent("b@bib"))) as server:
            subscription = self.subscribe(server.url)
            self.sync(subscription)
            EventPage.objects.get(source_uid="a@bib").unpublish()  # an editor's choice
            server.body = calendar()  # the partner's calendar was briefly empty
            run = self.sync(subscription)
            self.assertEqual(run.unpublished, 1)
            self.assertEqual(subscription.unpublished_uids, ["b@bib"])
            server.body = calendar(vevent("a@bib"), vevent("b@bib"))
            run = self.sync(subscription)
        self.assertEqual(run.rows, [["b@bib", "republished"]])
        self.assertTrue(EventPage.objects.get(source_uid="b@bib").live)
        self.assertFalse(EventPage.objects.get(source_uid="a@bib").live)
        self.assertEqual(subscription.unpublished_uids, [])

    def test_a_bad_component_is_reported_and_skipped_while_the_good_ones_import(self):
        body = calendar(vevent("good@bib"), vevent("bad@bib", summary=""), vevent("also-good@bib"))
        with CalendarServer(body) as server:
            subscription = self.subscribe(server.url)
            run = self.sync(subscription)
        self.assertEqual((run.status, run.created), (ImportStatus.PARTIAL, 2))
        self.assertEqual(run.errors, ["bad@bib: the event has no SUMMARY"])
        self.assertEqual(subscription.last_errors, run.errors)
        self.assertEqual(set(EventPage.objects.values_list("source_uid", flat=True)), {"good@bib", "also-good@bib"})

    def test_a_bad_component_that_was_good_before_keeps_its_event(self):
        with CalendarServer(calendar(vevent("a@bib"))) as server:
            subscription = self.subscribe(server.url)
            self.sync(subscription)
            server.body = calendar(vevent("a@bib", summary="", sequence=1))
            run = self.sync(subscription)
        self.assertEqual((run.status, run.unpublished), (ImportStatus.PARTIAL, 0))
        self.assertTrue(EventPage.objects.get(source_uid="a@bib").live)
        self.assertEqual(subscription.known_uids, ["a@bib"])

    def test_the_errors_are_kept_in_the_sites_language_for_the_editors(self):
        body = calendar(vevent("good@bib"), vevent("bad@bib", summary=""))
        with CalendarServer(body) as server:
            subscription = self.subscribe(server.url)
            with self.captureOnCommitCallbacks(execute=True):
                call_command("sync_calendars", stdout=StringIO(), stderr=StringIO())
        subscription.refresh_from_db()
        self.assertEqual(subscription.last_errors, ["bad@bib: het evenement heeft geen SUMMARY"])

    def test_a_subscription_never_touches_another_partners_event_with_the_same_uid(self):
        with CalendarServer(calendar(vevent("same@uid"))) as server:
            self.sync(self.subscribe(server.url, partner=self.other))
            server.body = calendar(vevent("same@uid", summary="Anders", sequence=3))
            self.sync(self.subscribe(server.url))
        titles = dict(EventPage.objects.values_list("path", "title"))
        self.assertEqual(sorted(titles.values()), ["Anders", "Voorleesuur"])
        self.assertEqual(EventPage.objects.child_of(self.other).get().title, "Voorleesuur")

    def test_a_run_that_cannot_fetch_records_the_reason_and_changes_nothing(self):
        with CalendarServer(b"not found", status=404) as server:
            subscription = self.subscribe(server.url)
            run = self.sync(subscription)
        self.assertEqual((run.status, run.errors), (ImportStatus.FAILED, ["The calendar's server answered 404."]))
        self.assertEqual(subscription.last_status, ImportStatus.FAILED)
        self.assertFalse(EventPage.objects.exists())

    def test_a_calendar_over_the_size_limit_is_refused(self):
        with (
            override_settings(LEERSTAD_EVENTS_IMPORT_MAX_BYTES=200),
            CalendarServer(calendar(vevent("a@bib"))) as server,
            self.assertRaisesMessage(FetchError, "larger than 200 bytes"),
        ):
            fetch_calendar(server.url)

    def test_a_calendar_that_is_not_icalendar_fails_the_run(self):
        with CalendarServer(b"<html>hello</html>") as server:
            run = self.sync(self.subscribe(server.url))
        self.assertEqual(run.status, ImportStatus.FAILED)
        self.assertIn("Not an iCalendar file", run.errors[0])

    def test_the_command_runs_active_subscriptions_only(self):
        with CalendarServer(calendar(vevent("a@bib"))) as server:
            active = self.subscribe(server.url)
            inactive = self.subscribe(server.url, partner=self.other, active=False)
            out = StringIO()
            with self.captureOnCommitCallbacks(execute=True):
                call_command("sync_calendars", stdout=out, stderr=StringIO())
        self.assertIn("created 1, updated 0, unchanged 0, unpublished 0", out.getvalue())
        active.refresh_from_db(), inactive.refresh_from_db()
        self.assertIsNotNone(active.last_run_at)
        self.assertIsNone(inactive.last_run_at)
        run = ImportRun.objects.get()
        self.assertEqual((run.kind, run.partner_id), (ImportKind.SUBSCRIPTION, self.library.pk))


class FetchLimitsTests(TestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))

    def test_loopback_and_private_addresses_are_refused_by_default(self):
        with (
            CalendarServer(calendar(vevent("a@bib"))) as server,
            self.assertRaisesMessage(FetchError, "private or local network address"),
        ):
            fetch_calendar(server.url)
        for url in ("http://10.0.0.1/agenda.ics", "http://[::1]/agenda.ics", "http://169.254.169.254/latest"):
            with self.subTest(url=url), self.assertRaisesMessage(FetchError, "private or local network address"):
                fetch_calendar(url)

    def test_only_http_and_https_are_fetched(self):
        for url in ("file:///etc/passwd", "ftp://example.org/agenda.ics", "gopher://example.org/"):
            with self.subTest(url=url), self.assertRaisesMessage(FetchError, "Only http and https"):
                fetch_calendar(url)

    @override_settings(LEERSTAD_CALENDAR_ALLOW_PRIVATE_ADDRESSES=True)
    def test_a_redirect_to_another_scheme_is_refused(self):
        with (
            CalendarServer(status=302, headers={"Location": "file:///etc/passwd"}) as server,
            self.assertRaises(FetchError),
        ):
            fetch_calendar(server.url)

    @override_settings(LEERSTAD_CALENDAR_ALLOW_PRIVATE_ADDRESSES=True, LEERSTAD_CALENDAR_FETCH_TIMEOUT=1)
    def test_a_server_that_does_not_answer_in_time_is_given_up(self):
        import socket

        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        self.addCleanup(listener.close)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/agenda.ics"
        with self.assertRaisesMessage(FetchError, "longer than 1 seconds"):
            fetch_calendar(url)


class SubscriptionAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, _locales = make_portal()
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.library = PartnerPageFactory(parent=directory, title="Bibliotheek Noord")
        cls.other = PartnerPageFactory(parent=directory, title="Buurthuis Zuid")
        out = StringIO()
        call_command("make_partner_editor", "lies", str(cls.library.pk), stdout=out)
        call_command("make_partner_editor", "piet", str(cls.other.pk), stdout=out)
        cls.lies = get_user_model().objects.get(username="lies")
        cls.mira = make_user("mira", Group.objects.get(name="Municipal editors"))
        cls.theirs = CalendarSubscription.objects.create(
            partner=cls.other, url="https://zuid.example/agenda.ics", active=True
        )

    def test_a_partner_editor_adds_their_calendar_and_it_waits_for_the_municipality(self):
        self.client.force_login(self.lies)
        self.assertContains(self.client.get("/admin/"), PAGE)
        response = self.client.get(PAGE)
        self.assertContains(response, "Agenda-abonnementen")  # the Dutch admin
        self.assertNotContains(response, 'name="active"')
        response = self.client.post(
            PAGE, {"partner": self.library.pk, "url": "https://noord.example/agenda.ics", "active": "on"}
        )
        self.assertRedirects(response, PAGE)
        subscription = CalendarSubscription.objects.get(partner=self.library)
        self.assertFalse(subscription.active)

    def test_a_partner_editor_cannot_see_or_run_another_partners_subscription(self):
        self.client.force_login(self.lies)
        self.assertNotContains(self.client.get(PAGE), "zuid.example")
        pk = self.theirs.pk
        self.assertEqual(self.client.get(f"{PAGE}{pk}/").status_code, 404)
        self.assertEqual(self.client.post(f"{PAGE}{pk}/", {"url": "https://x.example/a.ics"}).status_code, 404)
        with mock.patch("events.subscription_views.sync_subscription") as sync:
            self.assertEqual(self.client.post(f"{PAGE}{pk}/run/").status_code, 404)
        sync.assert_not_called()
        self.assertEqual(self.client.post(f"{PAGE}{pk}/delete/").status_code, 404)
        self.assertTrue(CalendarSubscription.objects.filter(pk=pk, url="https://zuid.example/agenda.ics").exists())
        response = self.client.post(PAGE, {"partner": self.other.pk, "url": "https://noord.example/a.ics"})
        self.assertFormError(
            response.context["form"], "partner", "Selecteer een geldige keuze. Deze keuze is niet beschikbaar."
        )

    def test_changing_the_address_switches_a_partner_editors_subscription_off(self):
        mine = CalendarSubscription.objects.create(partner=self.library, url="https://noord.example/a.ics", active=True)
        self.client.force_login(self.lies)
        response = self.client.post(f"{PAGE}{mine.pk}/", {"partner": self.library.pk, "url": "https://elders.example/"})
        self.assertRedirects(response, PAGE)
        mine.refresh_from_db()
        self.assertEqual((mine.url, mine.active), ("https://elders.example/", False))

    def test_a_municipal_editor_switches_a_subscription_on_and_runs_it(self):
        self.client.force_login(self.mira)
        self.assertContains(self.client.get(PAGE), "zuid.example")
        mine = CalendarSubscription.objects.create(partner=self.library, url="https://noord.example/a.ics")
        response = self.client.post(f"{PAGE}{mine.pk}/", {"partner": self.library.pk, "url": mine.url, "active": "on"})
        self.assertRedirects(response, PAGE)
        mine.refresh_from_db()
        self.assertTrue(mine.active)
        with mock.patch("events.subscription_views.sync_subscription") as sync:
            sync.return_value = ImportRun(status=ImportStatus.APPLIED, created=2)
            self.assertRedirects(self.client.post(f"{PAGE}{mine.pk}/run/"), PAGE)
        sync.assert_called_once_with(mine, user=self.mira)

    def test_only_http_and_https_addresses_are_accepted(self):
        self.client.force_login(self.mira)
        response = self.client.post(PAGE, {"partner": self.library.pk, "url": "ftp://noord.example/a.ics"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(CalendarSubscription.objects.filter(partner=self.library).exists())

    def test_the_listing_costs_the_same_queries_for_many_subscriptions(self):
        self.client.force_login(self.mira)
        self.client.get(PAGE)
        with CaptureQueriesContext(connection) as one:
            self.client.get(PAGE)
        for number in range(5):
            CalendarSubscription.objects.create(partner=self.library, url=f"https://noord.example/{number}.ics")
        with self.assertNumQueries(len(one)):
            self.assertContains(self.client.get(PAGE), "noord.example/4.ics")
