"""``Occurrence.objects.between()``: the date semantics every listing, feed and API endpoint shares."""

from datetime import UTC, date, datetime, time

import time_machine
from django.test import TestCase, override_settings

from events.models import Occurrence
from tests.learningcity.utils import make_portal

from .factories import EventIndexPageFactory, EventPageFactory, publish


@time_machine.travel(datetime(2026, 3, 3, 12, tzinfo=UTC), tick=False)
class BetweenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home, _locales = make_portal()
        agenda = EventIndexPageFactory(parent=home)
        with time_machine.travel(datetime(2026, 3, 3, 12, tzinfo=UTC), tick=False):
            cls.evening = publish(EventPageFactory(parent=agenda, title="avond", start_date=date(2026, 3, 2)))
            cls.night = publish(
                EventPageFactory(
                    parent=agenda, title="nacht", start_date=date(2026, 3, 2), start_time=time(23), end_time=time(0)
                )
            )
            cls.open_end = publish(
                EventPageFactory(
                    parent=agenda, title="open", start_date=date(2026, 3, 4), start_time=time(0), end_time=None
                )
            )
            cls.week = publish(
                EventPageFactory(
                    parent=agenda,
                    title="week",
                    all_day=True,
                    start_time=None,
                    end_time=None,
                    start_date=date(2026, 3, 2),
                    end_date=date(2026, 3, 8),
                )
            )
            cls.morning = publish(
                EventPageFactory(
                    parent=agenda, title="ochtend", start_date=date(2026, 3, 3), start_time=time(9), end_time=time(11)
                )
            )
            cls.same_time = publish(
                EventPageFactory(
                    parent=agenda, title="tegelijk", start_date=date(2026, 3, 3), start_time=time(9), end_time=time(10)
                )
            )

    def titles(self, queryset):
        return [occurrence.event.title for occurrence in queryset.select_related("event")]

    def test_occurrences_overlapping_the_local_dates_in_start_order(self):
        cases = [
            # (from, to, expected) — an event ending at midnight is not on the next day.
            (date(2026, 3, 2), date(2026, 3, 2), ["week", "avond", "nacht"]),
            (date(2026, 3, 3), date(2026, 3, 3), ["week", "ochtend", "tegelijk"]),
            (date(2026, 3, 4), date(2026, 3, 4), ["week", "open"]),
            (date(2026, 3, 5), date(2026, 3, 8), ["week"]),
            (date(2026, 3, 9), date(2026, 3, 31), []),
            (date(2026, 3, 1), date(2026, 3, 1), []),
        ]
        for from_date, to_date, expected in cases:
            with self.subTest(from_date=from_date, to_date=to_date):
                self.assertEqual(self.titles(Occurrence.objects.between(from_date, to_date)), expected)

    def test_ties_are_ordered_by_event(self):
        occurrences = list(Occurrence.objects.between(date(2026, 3, 3), date(2026, 3, 3)))
        self.assertLess(occurrences[1].event_id, occurrences[2].event_id)

    def test_without_from_lists_ongoing_and_upcoming(self):
        self.assertEqual(self.titles(Occurrence.objects.between()), ["week", "open"])
        self.assertEqual(self.titles(Occurrence.objects.upcoming()), ["week", "open"])

    def test_without_to_lists_everything_from_the_date(self):
        self.assertEqual(self.titles(Occurrence.objects.between(date(2026, 3, 4))), ["week", "open"])

    @override_settings(TIME_ZONE="America/New_York")
    def test_dates_are_read_in_the_site_time_zone(self):
        # 2 March 23:00 in Brussels is 17:00 in New York; the midnight event ends at 18:00 there.
        self.assertEqual(
            self.titles(Occurrence.objects.between(date(2026, 3, 2), date(2026, 3, 2))),
            ["week", "avond", "nacht"],
        )
        # The open-ended event at 4 March 00:00 in Brussels starts on 3 March (18:00) in New York.
        self.assertEqual(
            self.titles(Occurrence.objects.between(date(2026, 3, 3), date(2026, 3, 3))),
            ["week", "ochtend", "tegelijk", "open"],
        )


@time_machine.travel(datetime(2026, 3, 3, 12, tzinfo=UTC), tick=False)
class LongOccurrenceTests(TestCase):
    """The index scan starts at ``from`` minus the longest span: long events must still be found, and ended ones not."""

    @classmethod
    def setUpTestData(cls):
        home, _locales = make_portal()
        agenda = EventIndexPageFactory(parent=home)
        with time_machine.travel(datetime(2026, 3, 3, 12, tzinfo=UTC), tick=False):
            publish(
                EventPageFactory(
                    parent=agenda,
                    title="tentoonstelling",
                    all_day=True,
                    start_time=None,
                    end_time=None,
                    start_date=date(2026, 1, 5),
                    end_date=date(2026, 4, 30),
                )
            )
            publish(EventPageFactory(parent=agenda, title="lezing", start_date=date(2026, 2, 20)))
            publish(EventPageFactory(parent=agenda, title="workshop", start_date=date(2026, 3, 10)))

    def titles(self, queryset):
        return [occurrence.event.title for occurrence in queryset.select_related("event")]

    def test_an_event_that_began_months_before_from_is_still_going_on(self):
        self.assertEqual(
            self.titles(Occurrence.objects.between(date(2026, 3, 10), date(2026, 3, 10))),
            ["tentoonstelling", "workshop"],
        )
        self.assertEqual(self.titles(Occurrence.objects.between()), ["tentoonstelling", "workshop"])
        self.assertEqual(self.titles(Occurrence.objects.between(date(2026, 5, 1))), [])

    def test_the_span_is_end_minus_start(self):
        exhibition = Occurrence.objects.get(event__title="tentoonstelling")
        self.assertEqual(exhibition.span, exhibition.end - exhibition.start)
        self.assertEqual(Occurrence.objects.order_by("-span").first(), exhibition)
