"""The events app's settings, read lazily so tests and deployments can override them at any time.

The bounds below keep every date, duration and count an editor or an import can give within what the occurrence
index, its queries and the feeds can compute with; the model's ``clean()``, the admin and ``import_ics`` refuse
anything beyond them.
"""

import functools
from datetime import date, timedelta
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
    return months_around(today, *window_months())


@functools.lru_cache(maxsize=64)
def months_around(today: date, back: int, ahead: int) -> tuple[date, date]:
    """``back`` months before ``today`` and ``ahead`` months after it; kept, as every listing's form asks each day."""
    return today - relativedelta(months=back), today + relativedelta(months=ahead)


def date_bounds(today: date | None = None) -> tuple[date, date]:
    """The first and last date an event may name: the occurrence window widened by some years on each side.

    ``LEERSTAD_EVENTS_MAX_YEARS_BACK`` (10) years before the window, ``LEERSTAD_EVENTS_MAX_YEARS_AHEAD`` (5) after.
    """
    first, last = occurrence_window(today)
    back = int(getattr(settings, "LEERSTAD_EVENTS_MAX_YEARS_BACK", 10))
    ahead = int(getattr(settings, "LEERSTAD_EVENTS_MAX_YEARS_AHEAD", 5))
    return first - relativedelta(years=back), last + relativedelta(years=ahead)


def max_duration() -> timedelta:
    """The longest an event or one of its dates may last (``LEERSTAD_EVENTS_MAX_DURATION_DAYS``, 366 days)."""
    return timedelta(days=int(getattr(settings, "LEERSTAD_EVENTS_MAX_DURATION_DAYS", 366)))


def max_interval() -> int:
    """The largest "every n days/weeks/months" of a series (``LEERSTAD_EVENTS_MAX_INTERVAL``, 52)."""
    return int(getattr(settings, "LEERSTAD_EVENTS_MAX_INTERVAL", 52))


def max_count() -> int:
    """The most times a series may take place (``LEERSTAD_EVENTS_MAX_COUNT``, 1000); also the most extra dates,
    dates without the event and changes to one date an imported event may have."""
    return int(getattr(settings, "LEERSTAD_EVENTS_MAX_COUNT", 1000))


def import_max_bytes() -> int:
    """The largest calendar ``import_ics`` reads (``LEERSTAD_EVENTS_IMPORT_MAX_BYTES``, 5 MB)."""
    return int(getattr(settings, "LEERSTAD_EVENTS_IMPORT_MAX_BYTES", 5 * 1024 * 1024))


def import_max_events() -> int:
    """The most VEVENTs, overrides included, one calendar may hold (``LEERSTAD_EVENTS_IMPORT_MAX_EVENTS``, 2000)."""
    return int(getattr(settings, "LEERSTAD_EVENTS_IMPORT_MAX_EVENTS", 2000))


def import_max_text_length() -> int:
    """The longest SUMMARY, DESCRIPTION or LOCATION an import accepts (``LEERSTAD_EVENTS_IMPORT_MAX_TEXT_LENGTH``,
    20,000 characters)."""
    return int(getattr(settings, "LEERSTAD_EVENTS_IMPORT_MAX_TEXT_LENGTH", 20_000))


def agenda_per_page() -> int:
    """Occurrences per agenda page (``LEERSTAD_AGENDA_PER_PAGE``, default 20)."""
    return int(getattr(settings, "LEERSTAD_AGENDA_PER_PAGE", 20))


def agenda_partner_choices_max() -> int:
    """Above this many partners the agenda's form offers no organiser and venue lists
    (``LEERSTAD_AGENDA_PARTNER_CHOICES_MAX``, default 100): two lists of thousands of names are no help to anyone
    and would be most of the page."""
    return int(getattr(settings, "LEERSTAD_AGENDA_PARTNER_CHOICES_MAX", 100))


def embed_frame_ancestors() -> list[str]:
    """The sites that may frame the embed: ``LEERSTAD_EMBED_FRAME_ANCESTORS`` (origins, or ``*`` for any)."""
    return list(getattr(settings, "LEERSTAD_EMBED_FRAME_ANCESTORS", ["*"]))


def calendar_fetch_timeout() -> int:
    """Seconds a calendar subscription's fetch may take in all (``LEERSTAD_CALENDAR_FETCH_TIMEOUT``, 30)."""
    return int(getattr(settings, "LEERSTAD_CALENDAR_FETCH_TIMEOUT", 30))


def calendar_allow_private_addresses() -> bool:
    """Whether a calendar subscription may fetch from a private, loopback or link-local address
    (``LEERSTAD_CALENDAR_ALLOW_PRIVATE_ADDRESSES``, default off: a subscription must not reach the servers
    behind the portal)."""
    return bool(getattr(settings, "LEERSTAD_CALENDAR_ALLOW_PRIVATE_ADDRESSES", False))
