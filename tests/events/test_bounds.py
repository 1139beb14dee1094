"""No date, duration, count or interval an editor can give, or a stored row can hold, breaks the site."""

from datetime import UTC, date, datetime, time, timedelta
from io import StringIO

import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from events.conf import date_bounds
from events.models import EventExcludedDate, EventExtraDate, EventOccurrenceException, EventPage, Frequency, Occurrence
from events.recurrence import LATEST, Schedule, expand
from tests.learningcity.utils import make_portal

from .factories import EventIndexPageFactory, EventPageFactory, publish

NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)  # the bounds are 2014-02-01 to 2032-08-01 with the default settings
PAGE_EXCLUDE = ["path", "depth", "slug", "content_type"]


def errors_of(instance, exclude=()):
    with TestCase().assertRaises(ValidationError) as raised:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    return raised.exception.message_dict


@time_machine.travel(NOW, tick=False)
class ModelBoundsTests(TestCase):
    base = {"title": "x", "summary": "x", "start_date": date(2026, 3, 2), "start_time": time(19)}

    def test_the_bounds_are_the_window_widened_by_the_settings(self):
        self.assertEqual(date_bounds(), (date(2014, 2, 1), date(2032, 8, 1)))
        with self.settings(LEERSTAD_EVENTS_MAX_YEARS_BACK=0, LEERSTAD_EVENTS_MAX_YEARS_AHEAD=1):
            self.assertEqual(date_bounds(), (date(2024, 2, 1), date(2028, 8, 1)))

    def test_event_dates_durations_intervals_and_counts_out_of_bounds_are_refused(self):
        daily = {"frequency": Frequency.DAILY}
        cases = [
            ({"start_date": date(2014, 1, 31)}, "start_date"),
            ({"start_date": date(9999, 12, 31)}, "start_date"),
            ({"end_date": date(9999, 12, 30)}, "end_date"),
            ({"all_day": True, "end_date": date(9999, 12, 30)}, "end_date"),
            ({"all_day": True, "end_date": date(2027, 3, 3)}, "end_date"),  # longer than 366 days
            ({**daily, "until": date(2032, 8, 2)}, "until"),
            ({**daily, "interval": 53}, "interval"),
            ({**daily, "interval": 0}, "interval"),
            ({**daily, "count": 1001}, "count"),
        ]
        for fields, field_name in cases:
            with self.subTest(fields=fields):
                self.assertIn(field_name, errors_of(EventPage(**{**self.base, **fields}), PAGE_EXCLUDE))

    def test_events_within_the_bounds_are_valid(self):
        page = EventPage(
            **self.base, all_day=True, end_date=date(2027, 3, 2), frequency=Frequency.DAILY, until=date(2032, 8, 1)
        )
        page.full_clean(exclude=PAGE_EXCLUDE, validate_unique=False)
        EventOccurrenceException(original_date=date(2026, 3, 2), new_end_date=date(2027, 3, 2)).full_clean(["page"])

    @translation.override("en")
    def test_the_message_names_the_field_and_the_bounds(self):
        errors = errors_of(EventPage(**self.base, end_date=date(9999, 12, 30)), PAGE_EXCLUDE)
        self.assertEqual(errors["end_date"], ["End date must fall between 2014-02-01 and 2032-08-01."])
        errors = errors_of(EventPage(**self.base, end_date=date(2027, 3, 4)), PAGE_EXCLUDE)
        self.assertEqual(errors["end_date"], ["End date is more than 366 days after the start."])
        with translation.override("nl"):  # the admin's language
            errors = errors_of(EventPage(**self.base, end_date=date(9999, 12, 30)), PAGE_EXCLUDE)
        self.assertEqual(errors["end_date"], ["Einddatum moet tussen 2014-02-01 en 2032-08-01 liggen."])

    def test_the_bounds_follow_the_settings(self):
        page = EventPage(**self.base, frequency=Frequency.WEEKLY, interval=5, count=20)
        page.full_clean(exclude=PAGE_EXCLUDE, validate_unique=False)
        settings = {
            "LEERSTAD_EVENTS_MAX_INTERVAL": 4,
            "LEERSTAD_EVENTS_MAX_COUNT": 10,
            "LEERSTAD_EVENTS_MAX_DURATION_DAYS": 1,
        }
        with self.settings(**settings):
            page.end_date = date(2026, 3, 4)
            self.assertEqual(set(errors_of(page, PAGE_EXCLUDE)), {"interval", "count", "end_date"})

    def test_schedule_rows_out_of_bounds_are_refused(self):
        day = date(2026, 3, 2)
        cases = [
            (EventExtraDate(date=date(9999, 12, 30)), "date"),
            (EventExcludedDate(first_day=date(1, 1, 1)), "first_day"),
            (EventExcludedDate(first_day=day, last_day=date(9999, 12, 31)), "last_day"),
            (EventOccurrenceException(original_date=date(9999, 12, 31)), "original_date"),
            (EventOccurrenceException(original_date=day, new_start_date=date(2040, 1, 1)), "new_start_date"),
            (EventOccurrenceException(original_date=day, new_end_date=date(9999, 12, 30)), "new_end_date"),
            (EventOccurrenceException(original_date=day, new_end_date=date(2027, 3, 3)), "new_end_date"),  # 367 days
            (EventOccurrenceException(original_date=day, new_end_date=date(2026, 3, 1)), "new_end_date"),
        ]
        for row, field_name in cases:
            with self.subTest(row=row, field_name=field_name):
                self.assertIn(field_name, errors_of(row, ["page"]))

    def test_expanding_a_schedule_at_the_calendar_limits_does_not_overflow(self):
        schedule = Schedule(tzid="America/New_York", start=datetime(2026, 3, 2, 19), end=datetime.max)
        [instance] = expand(schedule, date(2026, 3, 1), date(2026, 3, 31))
        self.assertLessEqual(instance.end, LATEST.replace(tzinfo=UTC) + timedelta(days=1))
        schedule = Schedule(tzid="Pacific/Kiritimati", start=datetime(9999, 12, 31, 23), end=datetime.max)
        self.assertEqual(expand(schedule, date(9999, 12, 1), date(9999, 12, 30)), [])


@time_machine.travel(NOW, tick=False)
class AdminBoundsTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, _locales = make_portal()
        cls.agenda = EventIndexPageFactory(parent=cls.home)
        cls.user = get_user_model().objects.create_superuser("redacteur", "r@example.org", "geheim")

    def setUp(self):
        self.client.force_login(self.user)

    def post(self, url, **overrides):
        data = {
            "title": "Taalcafé",
            "slug": "taalcafe",
            "summary": "Oefen Nederlands.",
            "body": rich_text("<p>Welkom.</p>"),
            "start_date": "2026-03-02",
            "start_time": "19:00",
            "end_time": "21:00",
            "tzid": "Europe/Brussels",
            "interval": "1",
            "extra_dates": inline_formset([]),
            "excluded_dates": inline_formset([]),
            "occurrence_exceptions": inline_formset([]),
            "status": "scheduled",
            "attendance_mode": "offline",
            "is_free": "on",
            "currency": "EUR",
            "country": "BE",
            "registration_status": "open",
            "action-publish": "publish",
        }
        data.update(overrides)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, nested_form_data(data))

    def add_url(self):
        return reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.agenda.pk])

    def test_a_change_to_one_date_ending_in_9999_is_a_form_error_and_nothing_is_saved(self):
        exception = {"original_date": "2026-03-02", "new_end_date": "9999-12-30", "new_end_time": "21:00"}
        response = self.post(self.add_url(), occurrence_exceptions=inline_formset([exception]))
        self.assertEqual(response.status_code, 200)
        [row_errors] = response.context["form"].formsets["occurrence_exceptions"].errors
        self.assertIn("new_end_date", row_errors)
        self.assertFalse(EventPage.objects.exists())
        self.assertFalse(Occurrence.objects.exists())

    def test_an_all_day_event_ending_in_9999_is_a_form_error_and_nothing_is_saved(self):
        response = self.post(self.add_url(), all_day="on", end_date="9999-12-30")
        self.assertEqual(response.status_code, 200)
        self.assertIn("end_date", response.context["form"].errors)
        self.assertFalse(EventPage.objects.exists())
        self.assertFalse(Occurrence.objects.exists())

    def test_extra_and_excluded_dates_out_of_bounds_are_form_errors(self):
        response = self.post(
            self.add_url(),
            frequency="weekly",
            weekdays="0",
            count="10",
            extra_dates=inline_formset([{"date": "9999-12-31"}]),
            excluded_dates=inline_formset([{"first_day": "2026-03-09", "last_day": "9999-12-31"}]),
        )
        self.assertEqual(response.status_code, 200)
        formsets = response.context["form"].formsets
        self.assertIn("date", formsets["extra_dates"].errors[0])
        self.assertIn("last_day", formsets["excluded_dates"].errors[0])
        self.assertFalse(EventPage.objects.exists())

    def test_editing_a_live_event_to_an_out_of_bounds_date_changes_nothing(self):
        page = publish(EventPageFactory(parent=self.agenda))
        occurrences = list(Occurrence.objects.values_list("start", "end"))
        revision = page.latest_revision_id
        response = self.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]), slug=page.slug, end_date="2027-03-04", end_time="21:00"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("end_date", response.context["form"].errors)
        page.refresh_from_db()
        self.assertEqual((page.latest_revision_id, page.end_date), (revision, None))
        self.assertEqual(list(Occurrence.objects.values_list("start", "end")), occurrences)


@time_machine.travel(NOW, tick=False)
class StoredRowTests(TestCase):
    """Rows stored before the bounds existed, or without ``clean()``, are read without overflowing."""

    @classmethod
    def setUpTestData(cls):
        cls.home, _locales = make_portal()
        cls.agenda = EventIndexPageFactory(parent=cls.home)
        cls.course = publish(EventPageFactory(parent=cls.agenda, title="Cursus", start_date=date(2026, 3, 2)))

    def test_a_change_to_one_date_ending_in_9999_breaks_no_page_feed_or_listing(self):
        # Wagtail's save_revision() does not clean the schedule's rows: this stores what the admin now refuses.
        page = publish(
            EventPageFactory(parent=self.agenda, title="Eindeloos", start_date=date(2026, 3, 3)),
            exceptions=[{"original_date": date(2026, 3, 3), "new_end_date": date(9999, 12, 30)}],
        )
        [occurrence] = Occurrence.objects.for_event(page)
        self.assertLessEqual(occurrence.span, timedelta(days=366))
        paths = [
            self.agenda.url,
            page.url,
            "/api/v3/events/",
            "/api/v3/events/?from=2026-03-10",
            "/feeds/events.ics",
            f"/feeds/events/{page.uuid}.ics",
            "/feeds/events.atom",
            "/feeds/events.rss",
            "/feeds/events.json",
            "/embed/events/",
        ]
        for path in paths:
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 200)
        call_command("build_occurrences", "--rebuild", stdout=StringIO())
        self.assertEqual(Occurrence.objects.for_event(page).get().span, occurrence.span)

    def test_between_survives_an_occurrence_spanning_millennia(self):
        source = Occurrence.objects.for_event(self.course).get()
        Occurrence.objects.filter(pk=source.pk).update(
            end=datetime(9999, 12, 30, tzinfo=UTC), span=datetime(9999, 12, 30, tzinfo=UTC) - source.start
        )
        cases = [
            (date(2026, 3, 10), None, [source.pk]),
            (date(2026, 3, 10), date(2026, 3, 10), [source.pk]),
            (date(2026, 2, 1), date(2026, 2, 28), []),
            (date.min, date.max, [source.pk]),
            (None, None, [source.pk]),
        ]
        for from_date, to_date, expected in cases:
            with self.subTest(from_date=from_date, to_date=to_date):
                found = Occurrence.objects.between(from_date, to_date).values_list("pk", flat=True)
                self.assertEqual(list(found), expected)
        self.assertEqual(self.client.get(self.agenda.url).status_code, 200)


@time_machine.travel(NOW, tick=False)
class BuildOccurrencesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, _locales = make_portal()
        cls.agenda = EventIndexPageFactory(parent=cls.home)
        cls.course = publish(EventPageFactory(parent=cls.agenda, title="Cursus", frequency="weekly", count=4))
        cls.broken = publish(EventPageFactory(parent=cls.agenda, title="Kapot"))

    def build(self, *args):
        out, err = StringIO(), StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("build_occurrences", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_an_event_that_cannot_be_expanded_is_named_and_skipped_and_the_others_are_indexed(self):
        EventPage.objects.filter(pk=self.broken.pk).update(tzid="Mars/Olympus")  # written around clean()
        Occurrence.objects.all().delete()
        for args in ((), ("--rebuild",)):
            with self.subTest(args=args), self.assertLogs("events.indexing", "ERROR") as logs:
                out, err = self.build(*args)
                self.assertIn("1 events skipped", out)
                self.assertIn(f"Skipped event {self.broken.pk} (Kapot)", err)
                self.assertIn(f"Skipped event {self.broken.pk} (Kapot)", logs.output[0])
                self.assertEqual(Occurrence.objects.for_event(self.course).count(), 4)
                self.assertFalse(Occurrence.objects.for_event(self.broken).exists())

    def test_an_all_day_event_stored_ending_on_the_last_day_of_the_calendar_is_indexed_with_a_bounded_span(self):
        EventPage.objects.filter(pk=self.broken.pk).update(
            all_day=True, start_time=None, end_time=None, end_date=date(9999, 12, 31)
        )
        out, err = self.build()
        self.assertIn("0 events skipped", out)
        self.assertEqual(err, "")
        [occurrence] = Occurrence.objects.for_event(self.broken)
        self.assertEqual(occurrence.span, timedelta(days=366))
        self.assertEqual(self.client.get(self.agenda.url).status_code, 200)

    @override_settings(LEERSTAD_EVENTS_MAX_DURATION_DAYS=2)
    def test_the_span_of_a_stored_event_is_cut_to_the_longest_duration_allowed(self):
        EventPage.objects.filter(pk=self.broken.pk).update(end_date=date(2026, 3, 12))
        self.build("--rebuild")
        [occurrence] = Occurrence.objects.for_event(self.broken)
        self.assertEqual(occurrence.span, timedelta(days=2))
