from .feeds import SavedFeed
from .occurrences import Occurrence, OccurrenceQuerySet, note_in
from .pages import (
    AttendanceMode,
    CourseLevel,
    EventExcludedDate,
    EventExtraDate,
    EventIndexPage,
    EventOccurrenceException,
    EventPage,
    EventStatus,
    Frequency,
    RegistrationStatus,
)
from .subscriptions import CalendarSubscription
from .taxonomy import AudienceGroup, Theme

__all__ = [
    "AttendanceMode",
    "AudienceGroup",
    "CalendarSubscription",
    "CourseLevel",
    "EventExcludedDate",
    "EventExtraDate",
    "EventIndexPage",
    "EventOccurrenceException",
    "EventPage",
    "EventStatus",
    "Frequency",
    "Occurrence",
    "OccurrenceQuerySet",
    "RegistrationStatus",
    "SavedFeed",
    "Theme",
    "note_in",
]
