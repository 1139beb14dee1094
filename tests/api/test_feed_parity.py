"""The API and the iCalendar feed give the same dates as the agenda for the same filters."""

from datetime import UTC, date, datetime, timedelta

import recurring_ical_events
import time_machine
from django.core.cache import cache
from django.test import TestCase

from events.models import EventStatus
from tests.events.test_ics_feed import NOW, as_utc, build_agenda, parse

ALL_STATUSES = "&".join(f"status={status}" for status in EventStatus.values)


@time_machine.travel(NOW, tick=False)
class APIFeedParityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            build_agenda(cls)

    def setUp(self):
        cache.clear()

    def api_dates(self, query):
        dates, offset = set(), 0
        while True:
            response = self.client.get(f"/api/v3/events/?{query}&limit=100&offset={offset}")
            self.assertEqual(response.status_code, 200, response.content)
            body = response.json()
            for item in body["items"]:
                event_uuid = item["id"].split("/", 1)[0]
                dates.add((event_uuid, datetime.fromisoformat(item["start"]).astimezone(UTC)))
            offset += len(body["items"])
            if offset >= body["count"] or not body["items"]:
                return dates

    def ics_dates(self, query, first, last):
        calendar = parse(self.client.get(f"/feeds/events.ics?{query}"))
        return {
            (str(event["UID"]), as_utc(event["DTSTART"].dt))
            for event in recurring_ical_events.of(calendar).between(first, last + timedelta(days=1))
        }

    def test_api_and_expanded_calendar_give_the_same_dates_with_every_status(self):
        first, last = date(2026, 3, 1), date(2026, 12, 31)
        query = f"from={first}&to={last}&{ALL_STATUSES}"
        api = self.api_dates(query)
        self.assertGreater(len(api), 20)
        self.assertEqual(api, self.ics_dates(query, first, last))

    def test_they_agree_for_a_narrower_range_across_the_dst_change(self):
        first, last = date(2026, 3, 20), date(2026, 4, 10)
        query = f"from={first}&to={last}&{ALL_STATUSES}"
        api = self.api_dates(query)
        self.assertTrue(api)
        calendar_dates = self.ics_dates(query, first, last)
        self.assertEqual(api, calendar_dates)
