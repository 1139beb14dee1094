"""The occurrence index: what the agenda, feeds and API will list for an event's schedule."""

from datetime import UTC, date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.test import TestCase

from events.models import EventPage, EventStatus, Frequency, Occurrence
from tests.learningcity.utils import make_portal, sync_translation

from .factories import EventIndexPageFactory, EventPageFactory, publish

BRUSSELS = ZoneInfo("Europe/Brussels")


def local(occurrence):
    return occurrence.start.astimezone(BRUSSELS)


@time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False)
class OccurrenceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.agenda = EventIndexPageFactory(parent=cls.home)

    def event(self, **fields):
        return EventPageFactory(parent=self.agenda, **fields)

    def occurrences(self, page):
        return list(Occurrence.objects.for_event(page).order_by("start"))

    def test_weekly_class_keeps_local_time_across_dst(self):
        page = publish(self.event(frequency=Frequency.WEEKLY, weekdays=[0], until=date(2026, 11, 30)))
        occurrences = self.occurrences(page)
        self.assertEqual(len(occurrences), 40)
        self.assertEqual({local(o).time() for o in occurrences}, {time(19, 0)})
        self.assertEqual({o.end.astimezone(BRUSSELS).time() for o in occurrences}, {time(21, 0)})
        by_day = {local(o).date(): o.start for o in occurrences}
        # Summer time starts on 29 March and ends on 25 October 2026.
        self.assertEqual(by_day[date(2026, 3, 23)], datetime(2026, 3, 23, 18, tzinfo=UTC))
        self.assertEqual(by_day[date(2026, 3, 30)], datetime(2026, 3, 30, 17, tzinfo=UTC))
        self.assertEqual(by_day[date(2026, 10, 19)], datetime(2026, 10, 19, 17, tzinfo=UTC))
        self.assertEqual(by_day[date(2026, 10, 26)], datetime(2026, 10, 26, 18, tzinfo=UTC))

    def test_excluded_dates_and_periods_and_extra_dates(self):
        page = publish(
            self.event(frequency=Frequency.WEEKLY, weekdays=[0], count=8),
            excluded=[date(2026, 3, 9), (date(2026, 4, 4), date(2026, 4, 19))],
            extra_dates=[date(2026, 3, 11), (date(2026, 5, 2), time(10, 0))],
        )
        starts = [local(o).replace(tzinfo=None) for o in self.occurrences(page)]
        self.assertEqual(
            starts,
            [
                datetime(2026, 3, 2, 19),
                datetime(2026, 3, 11, 19),  # extra date at the usual time
                datetime(2026, 3, 16, 19),
                datetime(2026, 3, 23, 19),
                datetime(2026, 3, 30, 19),
                # the Easter holidays skip 6 and 13 April
                datetime(2026, 4, 20, 19),
                datetime(2026, 5, 2, 10),  # extra date at its own time
            ],
        )

    def test_single_occurrences_can_be_cancelled_retimed_or_full(self):
        page = publish(
            self.event(frequency=Frequency.WEEKLY, weekdays=[0], count=4),
            exceptions=[
                {"original_date": date(2026, 3, 9), "status": EventStatus.CANCELLED, "reason": "Zaal bezet"},
                {"original_date": date(2026, 3, 16), "new_start_time": time(18, 0), "new_end_time": time(20, 0)},
                {"original_date": date(2026, 3, 23), "is_full": True},
            ],
        )
        occurrences = {o.recurrence_id: o for o in self.occurrences(page)}
        self.assertEqual(len(occurrences), 4)
        cancelled = occurrences["2026-03-09T19:00:00"]
        self.assertEqual((cancelled.status, cancelled.note), (EventStatus.CANCELLED, "Zaal bezet"))
        retimed = occurrences["2026-03-16T19:00:00"]
        self.assertEqual(local(retimed).time(), time(18, 0))
        self.assertEqual(retimed.end.astimezone(BRUSSELS).time(), time(20, 0))
        self.assertTrue(occurrences["2026-03-23T19:00:00"].is_full)
        self.assertEqual(occurrences["2026-03-02T19:00:00"].status, EventStatus.SCHEDULED)
        self.assertNotIn(cancelled, Occurrence.objects.between(date(2026, 3, 9), date(2026, 3, 9)).visible())

    def test_all_day_event_over_two_days_has_an_inclusive_end_date(self):
        page = publish(self.event(all_day=True, start_time=None, end_time=None, end_date=date(2026, 3, 3)))
        [occurrence] = self.occurrences(page)
        self.assertTrue(occurrence.all_day)
        self.assertEqual(occurrence.recurrence_id, "2026-03-02")
        self.assertEqual(local(occurrence), datetime(2026, 3, 2, tzinfo=BRUSSELS))
        self.assertEqual(occurrence.end.astimezone(BRUSSELS), datetime(2026, 3, 4, tzinfo=BRUSSELS))
        for day, expected in [
            (date(2026, 3, 1), 0),
            (date(2026, 3, 2), 1),
            (date(2026, 3, 3), 1),
            (date(2026, 3, 4), 0),
        ]:
            with self.subTest(day=day):
                self.assertEqual(Occurrence.objects.between(day, day).count(), expected)

    def test_multi_day_event_with_times(self):
        page = publish(self.event(start_time=time(9, 0), end_date=date(2026, 7, 10), end_time=time(16, 0)))
        [occurrence] = self.occurrences(page)
        self.assertEqual(occurrence.end.astimezone(BRUSSELS), datetime(2026, 7, 10, 16, tzinfo=BRUSSELS))
        self.assertEqual(Occurrence.objects.between(date(2026, 7, 8), date(2026, 7, 8)).count(), 1)

    def test_event_without_an_end_counts_as_its_start(self):
        page = publish(self.event(end_time=None))
        [occurrence] = self.occurrences(page)
        self.assertFalse(occurrence.has_end)
        self.assertEqual(occurrence.end, occurrence.start)
        self.assertEqual(Occurrence.objects.between(date(2026, 3, 2), date(2026, 3, 2)).count(), 1)
        self.assertEqual(Occurrence.objects.between(date(2026, 3, 3), date(2026, 3, 3)).count(), 0)

    def test_count_and_until_end_a_series(self):
        counted = publish(self.event(frequency=Frequency.DAILY, count=5))
        until = publish(self.event(frequency=Frequency.DAILY, interval=2, until=date(2026, 3, 10)))
        monthly = publish(self.event(frequency=Frequency.MONTHLY, count=3, start_date=date(2026, 1, 31)))
        self.assertEqual(len(self.occurrences(counted)), 5)
        self.assertEqual(
            [local(o).day for o in self.occurrences(until)], [2, 4, 6, 8, 10], "every other day up to 10 March"
        )
        # RFC 5545: a month without a 31st has no occurrence; COUNT counts the ones that exist.
        self.assertEqual(
            [local(o).date() for o in self.occurrences(monthly)][:2], [date(2026, 1, 31), date(2026, 3, 31)]
        )

    def test_event_spanning_midnight_ends_the_next_day(self):
        page = publish(self.event(start_time=time(22, 0), end_time=time(1, 0)))
        [occurrence] = self.occurrences(page)
        self.assertEqual(occurrence.end.astimezone(BRUSSELS), datetime(2026, 3, 3, 1, tzinfo=BRUSSELS))
        self.assertEqual(Occurrence.objects.between(date(2026, 3, 3), date(2026, 3, 3)).count(), 1)

    def test_open_ended_series_stops_at_the_window(self):
        page = publish(self.event(frequency=Frequency.WEEKLY, weekdays=[0]))
        last = self.occurrences(page)[-1]
        self.assertEqual(local(last).date(), date(2027, 7, 26))  # the last Monday before 1 August 2027

    def test_a_translation_shows_the_same_dates(self):
        page = publish(self.event(frequency=Frequency.WEEKLY, weekdays=[0], count=3))
        before = [(o.recurrence_id, o.start, o.event_id) for o in self.occurrences(page)]
        translation = sync_translation(page, self.locales["fr"])
        self.assertEqual(translation.uuid, page.uuid)
        self.assertEqual([(o.recurrence_id, o.start, o.event_id) for o in self.occurrences(translation)], before)
        self.assertEqual(Occurrence.objects.count(), 3)

    def test_schedule_comes_from_the_source_page(self):
        page = publish(self.event(count=3, frequency=Frequency.DAILY))
        translation = sync_translation(page, self.locales["en"])
        translation.count = 10
        publish(translation)
        self.assertEqual(len(self.occurrences(page)), 3)

    def test_unpublishing_removes_the_occurrences(self):
        page = publish(self.event(frequency=Frequency.DAILY, count=3))
        with self.captureOnCommitCallbacks(execute=True):
            page.unpublish()
        self.assertFalse(Occurrence.objects.exists())
        publish(page)
        self.assertEqual(Occurrence.objects.count(), 3)

    def test_deleting_removes_the_occurrences_but_deleting_a_translation_does_not(self):
        page = publish(self.event(frequency=Frequency.DAILY, count=3))
        translation = sync_translation(page, self.locales["fr"])
        with self.captureOnCommitCallbacks(execute=True):
            translation.delete()
        self.assertEqual(Occurrence.objects.count(), 3)
        with self.captureOnCommitCallbacks(execute=True):
            EventPage.objects.get(pk=page.pk).delete()
        self.assertFalse(Occurrence.objects.exists())

    def test_scheduled_publishing_adds_the_occurrences(self):
        page = self.event(live=False)
        revision = page.save_revision(approved_go_live_at=datetime(2026, 2, 2, tzinfo=UTC))
        self.assertIsNotNone(revision.approved_go_live_at)
        with time_machine.travel(datetime(2026, 2, 3, tzinfo=UTC)), self.captureOnCommitCallbacks(execute=True):
            call_command("publish_scheduled", stdout=StringIO())
        self.assertEqual(Occurrence.objects.count(), 1)

    def test_expiry_removes_the_occurrences(self):
        page = self.event(expire_at=datetime(2026, 2, 2, tzinfo=UTC))
        publish(page)
        self.assertEqual(Occurrence.objects.count(), 1)
        with time_machine.travel(datetime(2026, 2, 3, tzinfo=UTC)), self.captureOnCommitCallbacks(execute=True):
            call_command("publish_scheduled", stdout=StringIO())
        self.assertFalse(Occurrence.objects.exists())

    def test_public_id_names_an_occurrence(self):
        page = publish(self.event(frequency=Frequency.DAILY, count=2))
        occurrence = self.occurrences(page)[1]
        self.assertEqual(occurrence.public_id, f"{page.uuid}/2026-03-03T19:00:00")
        self.assertEqual(Occurrence.objects.by_public_id(occurrence.public_id), occurrence)
        self.assertIsNone(Occurrence.objects.by_public_id("not-a-uuid/2026-03-03T19:00:00"))

    def test_sequence_rises_when_the_schedule_changes(self):
        page = publish(self.event())
        self.assertEqual(page.sequence, 0)
        page.title = "Nieuwe titel"
        page = publish(page)
        self.assertEqual(page.sequence, 0)
        page.start_time = time(20, 0)
        page = publish(page)
        self.assertEqual(page.sequence, 1)
        page = publish(page, excluded=[date(2026, 3, 2)])
        self.assertEqual(page.sequence, 2)
        page.status = EventStatus.CANCELLED
        self.assertEqual(publish(page).sequence, 3)

    def test_build_occurrences_rolls_the_window_forward(self):
        page = publish(self.event(frequency=Frequency.WEEKLY, weekdays=[0]))
        Occurrence.objects.create(
            event=page,
            event_key=page.translation_key,
            event_uuid=page.uuid,
            recurrence_id="2020-01-01T19:00:00",
            start=datetime(2020, 1, 1, tzinfo=UTC),
            end=datetime(2020, 1, 1, tzinfo=UTC),
        )
        with time_machine.travel(datetime(2026, 8, 1, tzinfo=UTC)):
            out = StringIO()
            call_command("build_occurrences", stdout=out)
        self.assertIn("1 events", out.getvalue())
        self.assertEqual(local(self.occurrences(page)[-1]).date(), date(2028, 1, 31))
        self.assertFalse(Occurrence.objects.filter(recurrence_id="2020-01-01T19:00:00").exists())

    def test_rebuild_drops_rows_of_events_that_are_gone(self):
        page = publish(self.event())
        EventPage.objects.filter(pk=page.pk).update(live=False)  # behind the signals' back
        call_command("build_occurrences", "--rebuild", stdout=StringIO())
        self.assertFalse(Occurrence.objects.exists())
