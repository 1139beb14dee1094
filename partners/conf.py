"""The partner directory's settings, read lazily so tests and deployments can override them at any time."""

from django.conf import settings


def max_import_bytes() -> int:
    """The largest CSV file an import reads (``LEERSTAD_CSV_IMPORT_MAX_BYTES``, default 5 MB)."""
    return int(getattr(settings, "LEERSTAD_CSV_IMPORT_MAX_BYTES", 5 * 1024 * 1024))


def max_import_rows() -> int:
    """The most data rows a CSV import takes (``LEERSTAD_CSV_IMPORT_MAX_ROWS``, default 10,000)."""
    return int(getattr(settings, "LEERSTAD_CSV_IMPORT_MAX_ROWS", 10_000))


def import_history_days() -> int:
    """How long the admin keeps finished imports and subscription runs (``LEERSTAD_IMPORT_HISTORY_DAYS``, 180);
    an upload not confirmed is dropped after a day."""
    return int(getattr(settings, "LEERSTAD_IMPORT_HISTORY_DAYS", 180))
