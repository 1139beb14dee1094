"""The events' choices: status, attendance, recurrence, registration, course level and funding."""

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
    """A course's level: a general one, or for a language course the CEFR level (A1–C2)."""

    ALL = "all", _("All levels")
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    A1 = "A1", _("A1 (beginner language user)")
    A2 = "A2", _("A2 (elementary language user)")
    B1 = "B1", _("B1 (independent language user)")
    B2 = "B2", _("B2 (upper-intermediate language user)")
    C1 = "C1", _("C1 (proficient language user)")
    C2 = "C2", _("C2 (mastery of the language)")


class Funding(models.TextChoices):
    """Schemes that can pay (part of) a course for a resident or their employer."""

    LEARNING_RIGHTS = "learning-rights", _("Learning rights (Leerrechten)")
    TRAINING_VOUCHERS = "training-vouchers", _("Training vouchers (opleidingscheques)")
    TRAINING_LEAVE = "training-leave", _("Flemish training leave")
    SME_WALLET = "sme-wallet", _("SME wallet (kmo-portefeuille)")
