"""The events app's settings, read lazily so tests and deployments can override them at any time."""

from datetime import date
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone


def default_tzid() -> str:
    """The time zone a new event gets (``LEERSTAD_EVENTS_DEFAULT_TZ``, default Europe/Brussels)."""
    return getattr(settings, "LEERSTAD_EVENTS_DEFAULT_TZ", "Europe/Brussels")


def site_timezone() -> ZoneInfo:
    """The time zone in which listings read dates such as ``?from=2026-03-01``."""
    return ZoneInfo(settings.TIME_ZONE)


def window_months() -> tuple[int, int]:
    """How many months of occurrences the index keeps before and after today."""
    return (
        int(getattr(settings, "LEERSTAD_EVENTS_WINDOW_MONTHS_BACK", 24)),
        int(getattr(settings, "LEERSTAD_EVENTS_WINDOW_MONTHS_AHEAD", 18)),
    )


def occurrence_window(today: date | None = None) -> tuple[date, date]:
    """The first and last local date (inclusive) the occurrence index covers."""
    today = today or timezone.localdate(timezone=site_timezone())
    back, ahead = window_months()
    return today - relativedelta(months=back), today + relativedelta(months=ahead)
