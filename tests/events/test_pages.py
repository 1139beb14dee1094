"""Event pages in the page tree and the admin, and what editors are told when a schedule makes no sense."""

from datetime import UTC, date, datetime, time

import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from events.models import AttendanceMode, EventIndexPage, EventPage, Frequency, Occurrence
from learningcity.models import HomePage
from partners.models import PartnerPage
from tests.learningcity.utils import make_portal

from .factories import EventIndexPageFactory, EventPageFactory, publish


class EventTreeTests(WagtailPageTestCase):
    def test_events_live_under_the_agenda_and_under_partners(self):
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage, PartnerPage})
        self.assertCanCreateAt(HomePage, EventIndexPage)
        self.assertCanNotCreateAt(HomePage, EventPage)
        self.assertAllowedSubpageTypes(EventPage, {})


@time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC))
class EventAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, _locales = make_portal()
        cls.agenda = EventIndexPageFactory(parent=cls.home)
        cls.user = get_user_model().objects.create_superuser("redacteur", "r@example.org", "geheim")

    def setUp(self):
        self.client.force_login(self.user)

    def form_data(self, **overrides):
        data = {
            "title": "Taalcafé",
            "slug": "taalcafe",
            "summary": "Oefen Nederlands.",
            "body": rich_text("<p>Welkom.</p>"),
            "start_date": "2026-03-02",
            "start_time": "19:00",
            "end_time": "21:00",
            "tzid": "Europe/Brussels",
            "frequency": "weekly",
            "interval": "1",
            "weekdays": ["0"],
            "until": "2026-04-27",
            "extra_dates": inline_formset([]),
            "excluded_dates": inline_formset([{"first_day": "2026-04-06", "last_day": "2026-04-19"}]),
            "occurrence_exceptions": inline_formset([{"original_date": "2026-03-09", "status": "cancelled"}]),
            "status": "scheduled",
            "attendance_mode": "offline",
            "is_free": "on",
            "currency": "EUR",
            "country": "BE",
            "registration_status": "open",
        }
        data.update(overrides)
        weekdays = data.pop("weekdays")  # nested_form_data would number a list's items
        return {**nested_form_data(data), "weekdays": weekdays}

    def test_an_editor_creates_a_weekly_course_and_its_dates_appear(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.agenda.pk]),
                {**self.form_data(), "action-publish": "publish"},
            )
        self.assertRedirects(response, reverse("wagtailadmin_explore", args=[self.agenda.pk]))
        page = EventPage.objects.get(slug="taalcafe")
        self.assertEqual(page.weekdays, [0])
        self.assertEqual(
            [o.recurrence_id[:10] for o in Occurrence.objects.for_event(page)],
            ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30", "2026-04-20", "2026-04-27"],
        )
        self.assertEqual(Occurrence.objects.for_event(page).visible().count(), 6)

    def test_the_editor_is_told_what_is_wrong(self):
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.agenda.pk]),
            self.form_data(weekdays=["1"], attendance_mode="online"),
        )
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertIn("weekdays", errors)
        self.assertIn("online_url", errors)

    def test_a_change_must_name_a_date_of_the_series(self):
        add = reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.agenda.pk])
        cases = {
            "a Tuesday of a Monday series": {"original_date": "2026-03-10"},
            "another time than the series'": {"original_date": "2026-03-09", "original_time": "18:00"},
            "a date left out of the series": {"original_date": "2026-04-13"},
            "after the series ended": {"original_date": "2026-05-04"},
        }
        for case, row in cases.items():
            with self.subTest(case):
                data = self.form_data(occurrence_exceptions=inline_formset([{**row, "status": "cancelled"}]))
                response = self.client.post(add, {**data, "action-publish": "publish"})
                self.assertEqual(response.status_code, 200)
                (errors,) = response.context["form"].formsets["occurrence_exceptions"].errors
                self.assertEqual(list(errors), ["original_date"])
                self.assertIn("vindt niet plaats op deze datum", errors["original_date"][0])  # the Dutch admin
                self.assertFalse(EventPage.objects.filter(slug="taalcafe").exists())
        # A date of the series, at its time or with the time given, and an extra date are accepted.
        data = self.form_data(
            extra_dates=inline_formset([{"date": "2026-05-06", "start_time": "10:00"}]),
            occurrence_exceptions=inline_formset(
                [
                    {"original_date": "2026-03-09", "status": "cancelled"},
                    {"original_date": "2026-03-16", "original_time": "19:00", "is_full": "on"},
                    {"original_date": "2026-05-06", "original_time": "10:00", "status": "cancelled"},
                ]
            ),
        )
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(add, {**data, "action-publish": "publish"})
        self.assertRedirects(response, reverse("wagtailadmin_explore", args=[self.agenda.pk]))
        self.assertEqual(EventPage.objects.get(slug="taalcafe").occurrence_exceptions.count(), 3)

    def test_the_edit_view_shows_every_tab(self):
        page = publish(EventPageFactory(parent=self.agenda), excluded=[date(2026, 3, 9)])
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        self.assertEqual(response.status_code, 200)
        with translation.override("nl"):  # the editor's admin language
            for heading in ("Dates", "Place and organisers", "Audience and practical", "SDGs"):
                self.assertContains(response, gettext(heading))


class EventValidationTests(WagtailPageTestCase):
    def test_inconsistent_schedules_are_refused(self):
        base = {"title": "x", "summary": "x", "start_date": date(2026, 3, 2), "start_time": time(19)}
        cases = [
            ({"start_time": None}, "start_time"),
            ({"end_date": date(2026, 3, 1)}, "end_date"),
            ({"end_date": date(2026, 3, 2), "end_time": time(18)}, "end_time"),
            ({"frequency": Frequency.DAILY, "until": date(2026, 4, 1), "count": 3}, "count"),
            ({"count": 3}, "frequency"),
            ({"frequency": Frequency.WEEKLY, "weekdays": [2]}, "weekdays"),
            ({"frequency": Frequency.DAILY, "weekdays": [0]}, "weekdays"),
            ({"frequency": Frequency.DAILY, "until": date(2026, 3, 1)}, "until"),
            ({"attendance_mode": AttendanceMode.MIXED}, "online_url"),
            ({"min_age": 12, "max_age": 6}, "max_age"),
            ({"is_free": False}, "price"),
            ({"tzid": "Europe/Lindeveld"}, "tzid"),
        ]
        for fields, field_name in cases:
            with self.subTest(field_name=field_name, fields=fields):
                page = EventPage(**{**base, **fields})
                with self.assertRaises(ValidationError) as raised:
                    page.full_clean(exclude=["path", "depth", "slug", "content_type"], validate_unique=False)
                self.assertIn(field_name, raised.exception.message_dict)

    def test_all_day_events_drop_their_times(self):
        page = EventPage(title="x", summary="x", start_date=date(2026, 3, 2), start_time=time(9), all_day=True)
        page.clean()
        self.assertIsNone(page.start_time)

    def test_new_events_take_the_default_time_zone_from_the_settings(self):
        with self.settings(LEERSTAD_EVENTS_DEFAULT_TZ="Europe/Amsterdam"):
            self.assertEqual(EventPage().tzid, "Europe/Amsterdam")
        self.assertEqual(EventPage().tzid, "Europe/Brussels")
