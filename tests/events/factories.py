from datetime import date, time

import factory
import wagtail_factories
from django.test import TestCase

from events.models import EventExcludedDate, EventExtraDate, EventIndexPage, EventOccurrenceException, EventPage


class EventIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventIndexPage

    title = "Agenda"
    slug = "agenda"


class EventPageFactory(wagtail_factories.PageFactory):
    """A one-off evening event; pass ``frequency``, ``until``… for a series."""

    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Activiteit {n}")
    summary = "Een activiteit van de lerende stad."
    tzid = "Europe/Brussels"
    start_date = date(2026, 3, 2)
    start_time = time(19, 0)
    end_time = time(21, 0)


def publish(page, *, extra_dates=(), excluded=(), exceptions=(), user=None):
    """Set the schedule's child rows and publish a revision, running the on-commit handlers as a real commit would.

    ``extra_dates``: dates (or (date, time) pairs); ``excluded``: dates or (first, last) pairs; ``exceptions``:
    dicts of ``EventOccurrenceException`` fields.
    """
    if extra_dates:
        page.extra_dates = [
            EventExtraDate(date=value[0], start_time=value[1])
            if isinstance(value, tuple)
            else EventExtraDate(date=value)
            for value in extra_dates
        ]
    if excluded:
        page.excluded_dates = [
            EventExcludedDate(first_day=value[0], last_day=value[1])
            if isinstance(value, tuple)
            else EventExcludedDate(first_day=value)
            for value in excluded
        ]
    if exceptions:
        page.occurrence_exceptions = [EventOccurrenceException(**fields) for fields in exceptions]
    with TestCase.captureOnCommitCallbacks(execute=True):
        page.save_revision(user=user).publish()
    page.refresh_from_db()
    return page
