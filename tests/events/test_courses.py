"""Learning offers as courses, and each date's places and status: the admin, the agenda, the event page, the API,
the feeds and the JSON-LD search engines read."""

import json
from datetime import UTC, date, datetime, time
from decimal import Decimal

import extruct
import feedparser
import icalendar
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text
from wagtail.users.models import UserProfile

from events.models import EventOccurrenceException, EventPage, EventStatus, Occurrence
from tests.learningcity.utils import make_portal

from .factories import EventIndexPageFactory, EventPageFactory, publish

NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)
MARCH = "from=2026-03-01&to=2026-03-31"


def course_page(parent, **fields) -> EventPage:
    """A weekly Dutch course (A2) on Mondays in March, with its dates' places changed: 9 March full, 16 March three
    places left, 23 March moved to the Tuesday, 30 March cancelled."""
    page = EventPageFactory(
        parent=parent,
        title="Nederlands A2",
        summary="Oefen Nederlands in een kleine groep.",
        start_date=date(2026, 3, 2),
        frequency="weekly",
        weekdays=[0],
        count=5,
        course_level="A2",
        session_count=5,
        total_hours=Decimal("10"),
        prerequisites="Je kent de basiswoorden.",
        certificate="Attest van deelname",
        funding="training-vouchers",
        capacity=12,
        registration_required=True,
        venue_name="Wijkcentrum De Brug",
        street="Brugstraat 1",
        postcode="2000",
        locality="Antwerpen",
        **fields,
    )
    return publish(
        page,
        exceptions=[
            {"original_date": date(2026, 3, 9), "places_left": 0},
            {"original_date": date(2026, 3, 16), "places_left": 3},
            {"original_date": date(2026, 3, 23), "new_start_date": date(2026, 3, 24), "reason": "Andere zaal"},
            {"original_date": date(2026, 3, 30), "status": EventStatus.CANCELLED, "reason": "Lesgever ziek"},
        ],
    )


@time_machine.travel(NOW, tick=False)
class CourseDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.home, cls.locales = make_portal()
            cls.agenda = EventIndexPageFactory(parent=cls.home)
            cls.course = course_page(cls.agenda)
            cls.talk = publish(
                EventPageFactory(
                    parent=cls.agenda,
                    title="Lezing online",
                    start_date=date(2026, 3, 3),
                    attendance_mode="online",
                    online_url="https://meet.example/lezing",
                )
            )

    def dates(self) -> dict[date, Occurrence]:
        return {row.start.date(): row for row in Occurrence.objects.for_event(self.course)}

    def agenda_titles(self, query: str) -> list[tuple[str, date]]:
        response = self.client.get(f"{self.agenda.url}?{MARCH}&{query}")
        self.assertEqual(response.status_code, 200)
        return [(item.page.title, item.start.date()) for item in response.context["results"]]

    def api(self, query: str):
        return self.client.get(f"/api/v3/events/?{MARCH}&{query}")

    # The index.

    def test_each_date_takes_the_series_capacity_and_its_own_places_left(self):
        dates = self.dates()
        self.assertEqual(
            {day: (row.capacity, row.places_left, row.is_full) for day, row in dates.items()},
            {
                date(2026, 3, 2): (12, None, False),
                date(2026, 3, 9): (12, 0, True),  # no place left: full
                date(2026, 3, 16): (12, 3, False),
                date(2026, 3, 24): (12, None, False),
                date(2026, 3, 30): (12, None, False),
            },
        )
        self.assertEqual(dates[date(2026, 3, 30)].status, EventStatus.CANCELLED)

    # The agenda.

    def test_the_agenda_filters_on_level_places_attendance_and_registration(self):
        course_dates = [
            ("Nederlands A2", date(2026, 3, 2)),
            ("Nederlands A2", date(2026, 3, 9)),
            ("Nederlands A2", date(2026, 3, 16)),
            ("Nederlands A2", date(2026, 3, 24)),
        ]
        self.assertEqual(self.agenda_titles("level=A2"), course_dates)
        self.assertEqual(self.agenda_titles("level=B1"), [])
        self.assertEqual(self.agenda_titles("level=A2&places=available"), [course_dates[0], *course_dates[2:]])
        self.assertEqual(self.agenda_titles("attendance=online"), [("Lezing online", date(2026, 3, 3))])
        self.assertEqual(
            self.agenda_titles("attendance=offline&registration=required"), course_dates, "the talk is online"
        )
        self.assertEqual(self.agenda_titles("registration=not-required"), [("Lezing online", date(2026, 3, 3))])

    def test_a_wrong_level_in_the_agenda_is_an_error_on_that_field(self):
        response = self.client.get(f"{self.agenda.url}?level=Z9")
        self.assertEqual(response.status_code, 400)
        self.assertIn("level", response.context["filter_errors"])
        self.assertEqual(response.context["results"], [])

    def test_the_agenda_shows_places_left_and_full_in_dutch(self):
        response = self.client.get(f"{self.agenda.url}?{MARCH}&level=A2")
        html = response.content.decode()
        self.assertInHTML('<span class="places-left">Nog 3 plaatsen vrij</span>', html)
        self.assertInHTML('<strong class="status-label status-scheduled">Vol</strong>', html)
        self.assertIn("Andere zaal", html)

    def test_when_the_whole_event_is_full_no_date_has_places_left(self):
        self.course.registration_status = "full"
        publish(self.course)
        self.assertEqual(self.agenda_titles("level=A2&places=available"), [])
        html = self.client.get(f"{self.agenda.url}?{MARCH}&level=A2").content.decode()
        self.assertNotIn('class="places-left"', html)
        self.assertEqual(html.count('<strong class="status-label status-scheduled">Vol</strong>'), 4)

    # The event page.

    def test_the_event_page_shows_each_dates_places_and_the_course(self):
        response = self.client.get(self.course.url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertInHTML('<span class="places-left">Nog 3 plaatsen vrij</span>', html)
        self.assertInHTML('<strong class="status-label status-scheduled">Vol</strong>', html)
        self.assertInHTML('<strong class="status-label status-cancelled">Geannuleerd</strong>', html)
        self.assertInHTML("<dd>A2 (basisgebruiker)</dd>", html)
        self.assertInHTML("<dd>5 lessen, 10 uur in totaal</dd>", html)
        self.assertInHTML("<dd>Opleidingscheques</dd>", html)

    def test_the_json_ld_of_a_course_is_a_schema_org_course_with_course_instances(self):
        html = self.client.get(self.course.url).content.decode()
        data = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
        courses = [item for item in data if item.get("@type") == "Course"]
        [course] = courses
        for name in ("name", "description", "url", "hasCourseInstance", "offers"):
            self.assertTrue(course.get(name), name)
        self.assertEqual(course["educationalLevel"], "A2")
        self.assertEqual(course["timeRequired"], "PT10H")
        self.assertEqual(course["coursePrerequisites"], "Je kent de basiswoorden.")
        self.assertEqual(course["educationalCredentialAwarded"], "Attest van deelname")
        instances = course["hasCourseInstance"]
        self.assertEqual(len(instances), 5)
        for instance in instances:
            self.assertEqual(instance["@type"], "CourseInstance")
            self.assertEqual(instance["courseMode"], "Onsite")
            self.assertEqual(instance["location"]["@type"], "Place")
            self.assertEqual(instance["courseSchedule"]["@type"], "Schedule")
            self.assertEqual(instance["courseSchedule"]["repeatFrequency"], "P1W")
            self.assertEqual(instance["courseSchedule"]["duration"], "PT120M")
            self.assertIn("startDate", instance)
            self.assertEqual(instance["maximumAttendeeCapacity"], 12)
        by_start = {instance["startDate"][:10]: instance for instance in instances}
        self.assertEqual(by_start["2026-03-09"]["remainingAttendeeCapacity"], 0)
        self.assertEqual(by_start["2026-03-09"]["offers"]["availability"], "https://schema.org/SoldOut")
        self.assertEqual(by_start["2026-03-16"]["remainingAttendeeCapacity"], 3)
        self.assertEqual(by_start["2026-03-16"]["offers"]["availability"], "https://schema.org/InStock")
        self.assertNotIn("remainingAttendeeCapacity", by_start["2026-03-02"])
        moved = by_start["2026-03-24"]
        self.assertEqual(moved["eventStatus"], "https://schema.org/EventRescheduled")
        self.assertEqual(moved["previousStartDate"], "2026-03-23T19:00:00+01:00")
        self.assertEqual(by_start["2026-03-30"]["eventStatus"], "https://schema.org/EventCancelled")

    def test_the_event_json_ld_lists_each_date_with_its_status_and_places(self):
        html = self.client.get(self.course.url).content.decode()
        data = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
        [event] = [item for item in data if item.get("@type") == "Event"]
        dates = {sub["startDate"][:10]: sub for sub in event["subEvent"]}
        self.assertEqual(dates["2026-03-30"]["eventStatus"], "https://schema.org/EventCancelled")
        self.assertEqual(dates["2026-03-24"]["previousStartDate"], "2026-03-23T19:00:00+01:00")
        self.assertEqual(dates["2026-03-16"]["remainingAttendeeCapacity"], 3)

    def test_an_event_that_is_no_course_has_no_course_json_ld(self):
        html = self.client.get(self.talk.url).content.decode()
        data = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
        types = [item.get("@type") for item in data]
        self.assertIn("Event", types)
        self.assertNotIn("Course", types)

    # The API.

    def test_the_api_lists_each_dates_places_and_the_course(self):
        response = self.api("level=A2&locale=en")
        self.assertEqual(response.status_code, 200)
        items = response.json()["items"]
        self.assertEqual(
            [(item["start"][:10], item["capacity"], item["places_left"], item["full"]) for item in items],
            [
                ("2026-03-02", 12, None, False),
                ("2026-03-09", 12, 0, True),
                ("2026-03-16", 12, 3, False),
                ("2026-03-24", 12, None, False),
            ],
        )
        self.assertEqual(items[3]["note"], "Andere zaal")
        self.assertEqual(
            items[0]["event"]["course"],
            {
                "level": {"code": "A2", "label": "A2 (elementary language user)"},
                "session_count": 5,
                "total_hours": "10.0",
                "funding": {"code": "training-vouchers", "label": "Training vouchers (opleidingscheques)"},
            },
        )
        self.assertEqual(items[0]["event"]["attendance_mode"], "offline")
        # The same event in another language: its course's terms in that language (events.api.listed_event).
        dutch = self.api("level=A2&locale=nl").json()["items"][0]["event"]["course"]
        self.assertEqual(dutch["level"], {"code": "A2", "label": "A2 (basisgebruiker)"})

    def test_the_api_filters_as_the_agenda_does(self):
        def listed(query):
            return [(item["event"]["title"], item["start"][:10]) for item in self.api(query).json()["items"]]

        self.assertEqual(
            listed("level=A2&places=available"),
            [("Nederlands A2", "2026-03-02"), ("Nederlands A2", "2026-03-16"), ("Nederlands A2", "2026-03-24")],
        )
        self.assertEqual(listed("attendance=online"), [("Lezing online", "2026-03-03")])
        self.assertEqual(listed("registration=not-required"), [("Lezing online", "2026-03-03")])
        [talk] = self.api("attendance=online").json()["items"]
        self.assertIsNone(talk["event"]["course"])

    def test_a_wrong_value_is_a_400_naming_the_parameter(self):
        for name, value in (("level", "Z9"), ("places", "maybe"), ("attendance", "teleport"), ("registration", "x")):
            with self.subTest(name=name):
                response = self.api(f"{name}={value}")
                self.assertEqual(response.status_code, 400)
                self.assertIn(name, json.dumps(response.json()))

    def test_the_event_detail_gives_the_course_and_each_dates_places(self):
        response = self.client.get(f"/api/v3/events/{self.course.uuid}/?{MARCH}&locale=en")
        self.assertEqual(response.status_code, 200)
        item = response.json()
        self.assertEqual(item["course"]["session_count"], 5)
        self.assertEqual(item["course"]["funding"]["code"], "training-vouchers")
        self.assertEqual(item["course"]["prerequisites"], "Je kent de basiswoorden.")
        places = {
            row["start"][:10]: (row["capacity"], row["places_left"], row["full"])
            for row in item["occurrences"]["items"]
        }
        self.assertEqual(places["2026-03-09"], (12, 0, True))
        self.assertEqual(places["2026-03-16"], (12, 3, False))

    def test_the_openapi_document_describes_the_new_fields_and_filters(self):
        document = self.client.get("/api/v3/openapi.json").json()
        parameters = {parameter["name"] for parameter in document["paths"]["/api/v3/events/"]["get"]["parameters"]}
        self.assertLessEqual({"level", "attendance", "registration", "places"}, parameters)
        schemas = document["components"]["schemas"]
        self.assertLessEqual({"capacity", "places_left", "full", "note"}, set(schemas["OccurrenceOut"]["properties"]))
        self.assertIn("course", schemas["EventOut"]["properties"])

    # The feeds.

    def test_the_calendar_gives_each_changed_date_its_status(self):
        response = self.client.get(reverse("events:event_ics", kwargs={"uuid": self.course.uuid}))
        calendar = icalendar.Calendar.from_ical(response.content)
        statuses = {
            event.get("RECURRENCE-ID").dt.date() if event.get("RECURRENCE-ID") else None: str(event["STATUS"])
            for event in calendar.walk("VEVENT")
        }
        self.assertEqual(statuses[None], "CONFIRMED")
        self.assertEqual(statuses[date(2026, 3, 30)], "CANCELLED")
        self.assertEqual(statuses[date(2026, 3, 23)], "CONFIRMED")

    def test_the_json_feed_and_atom_give_each_dates_places(self):
        feed = self.client.get(f"/feeds/events.json?{MARCH}&level=A2&locale=en").json()
        places = {
            item["_leerstad"]["start"][:10]: (item["_leerstad"]["places_left"], item["_leerstad"]["is_full"])
            for item in feed["items"]
        }
        self.assertEqual(places["2026-03-09"], (0, True))
        self.assertEqual(places["2026-03-16"], (3, False))
        atom = feedparser.parse(self.client.get(f"/feeds/events.atom?{MARCH}&level=A2&locale=en").content)
        self.assertFalse(atom.bozo)
        descriptions = " ".join(entry.summary for entry in atom.entries)
        self.assertIn("3 places left", descriptions)
        self.assertIn("Full", descriptions)
        self.assertEqual(self.client.get("/feeds/events.atom?level=Z9").status_code, 400)

    def test_the_embed_shows_each_dates_places(self):
        html = self.client.get(f"/embed/events/?{MARCH}&level=A2&locale=nl").content.decode()
        self.assertInHTML('<span class="places">Nog 3 plaatsen vrij</span>', html)
        self.assertInHTML('<span class="places">Vol</span>', html)


@time_machine.travel(NOW, tick=False)
class CourseAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, _locales = make_portal()
        cls.agenda = EventIndexPageFactory(parent=cls.home)
        cls.user = get_user_model().objects.create_superuser("redacteur", "r@example.org", "geheim")

    def setUp(self):
        profile = UserProfile.get_for_user(self.user)
        profile.preferred_language = "nl"  # the Dutch admin, whatever language an earlier test left active
        profile.save()
        self.client.force_login(self.user)
        # The form's errors are read here, after the request: in Dutch too.
        self.enterContext(translation.override("nl"))

    def post(self, **overrides):
        data = {
            "title": "Nederlands A1",
            "slug": "nederlands-a1",
            "summary": "Leer Nederlands.",
            "body": rich_text("<p>Welkom.</p>"),
            "start_date": "2026-03-02",
            "start_time": "19:00",
            "end_time": "21:00",
            "tzid": "Europe/Brussels",
            "frequency": "weekly",
            "weekdays": "0",
            "count": "4",
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
            "capacity": "15",
            "course_level": "A1",
            "session_count": "4",
            "total_hours": "8",
            "funding": "learning-rights",
            "certificate": "Attest",
            "action-publish": "publish",
        }
        data.update(overrides)
        url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.agenda.pk])
        with translation.override("nl"), self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, nested_form_data(data), HTTP_ACCEPT_LANGUAGE="nl")

    def test_the_course_tab_is_in_dutch(self):
        url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.agenda.pk])
        html = self.client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        for text in ("Cursus", "Aantal lessen", "Totaal aantal uren", "Financiering", "Vrije plaatsen"):
            self.assertIn(text, html)

    def test_an_editor_publishes_a_course_with_places_per_date(self):
        exception = {"original_date": "2026-03-09", "capacity": "10", "places_left": "2"}
        response = self.post(occurrence_exceptions=inline_formset([exception]))
        self.assertEqual(response.status_code, 302)
        page = EventPage.objects.get(slug="nederlands-a1")
        self.assertEqual(
            (page.course_level, page.session_count, page.total_hours, page.funding, page.capacity),
            ("A1", 4, Decimal("8.0"), "learning-rights", 15),
        )
        places = dict(Occurrence.objects.for_event(page).values_list("recurrence_id", "places_left"))
        capacities = dict(Occurrence.objects.for_event(page).values_list("recurrence_id", "capacity"))
        self.assertEqual(places["2026-03-09T19:00:00"], 2)
        self.assertEqual(capacities, {day: 10 if day.startswith("2026-03-09") else 15 for day in capacities})

    def test_bad_numbers_get_a_clear_dutch_message_and_nothing_is_saved(self):
        cases = [
            ({"capacity": "100001"}, "capacity", "hoogstens 100000"),
            ({"capacity": "-1"}, "capacity", "minstens 0"),
            ({"session_count": "0"}, "session_count", "minstens 1"),
            ({"session_count": "4", "total_hours": "0.5"}, "total_hours", "Reken minstens een kwartier per les."),
            ({"total_hours": "abc"}, "total_hours", "Voer een getal in."),
            ({"course_level": "Z9"}, "course_level", "Selecteer een geldige keuze"),
        ]
        for overrides, field_name, message in cases:
            with self.subTest(field_name=field_name, overrides=overrides):
                response = self.post(**overrides)
                self.assertEqual(response.status_code, 200)
                errors = response.context["form"].errors
                self.assertIn(field_name, errors)
                self.assertIn(message, " ".join(errors[field_name]))
        self.assertFalse(EventPage.objects.exists())

    def test_places_left_above_the_capacity_or_the_bound_is_refused_in_dutch(self):
        cases = [
            ({"places_left": "16"}, "Er kunnen niet meer plaatsen vrij zijn (16) dan er plaatsen zijn (15)."),
            (
                {"capacity": "5", "places_left": "6"},
                "Er kunnen niet meer plaatsen vrij zijn (6) dan er plaatsen zijn (5).",
            ),
            ({"places_left": "100001"}, "hoogstens 100000"),
            ({"capacity": "100001"}, "hoogstens 100000"),
        ]
        for fields, message in cases:
            with self.subTest(fields=fields):
                exception = {"original_date": "2026-03-09", **fields}
                response = self.post(occurrence_exceptions=inline_formset([exception]))
                self.assertEqual(response.status_code, 200)
                [row_errors] = response.context["form"].formsets["occurrence_exceptions"].errors
                self.assertIn(message, " ".join(message for messages in row_errors.values() for message in messages))
        self.assertFalse(EventPage.objects.exists())


class PlacesModelTests(TestCase):
    def test_a_dates_places_left_may_equal_but_not_exceed_its_own_capacity(self):
        row = EventOccurrenceException(
            original_date=date(2026, 3, 2), original_time=time(19), capacity=8, places_left=8
        )
        row.full_clean(exclude=["page", "locale", "translation_key"])
        row.places_left = 9
        with self.assertRaises(ValidationError) as raised:
            row.full_clean(exclude=["page", "locale", "translation_key"])
        self.assertIn("places_left", raised.exception.message_dict)
