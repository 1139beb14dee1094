"""The events' choices: status, attendance, recurrence, registration and course level."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventStatus(models.TextChoices):
    """The schema.org event statuses residents see next to the date."""

    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")
    RESCHEDULED = "rescheduled", _("Rescheduled")
    MOVED_ONLINE = "moved-online", _("Moved online")


class AttendanceMode(models.TextChoices):
    OFFLINE = "offline", _("On site")
    ONLINE = "online", _("Online")
    MIXED = "mixed", _("On site and online")


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")


class Ordinal(models.IntegerChoices):
    """Which of a month's weekdays a monthly or yearly series takes (RFC 5545 ``BYDAY=1WE``, ``-1FR``)."""

    FIRST = 1, _("first")
    SECOND = 2, _("second")
    THIRD = 3, _("third")
    FOURTH = 4, _("fourth")
    LAST = -1, _("last")


class RegistrationStatus(models.TextChoices):
    OPEN = "open", _("Places available")
    WAITING_LIST = "waiting-list", _("Full, waiting list open")
    FULL = "full", _("Full")


class CourseLevel(models.TextChoices):
    ALL = "all", _("All levels")
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
