"""The calendar importer in the admin's imports (``partners.imports``): ``import_calendar`` under the organiser's
page, all or nothing, as ``manage.py import_ics`` does."""

from partners.enums import ImportKind
from partners.imports import Importer, Outcome, register_importer

from .conf import import_max_bytes


def run_calendar_import(data: bytes, run, dry_run: bool) -> Outcome:
    # icalendar (about 9 MB) is loaded by the worker that imports or serves a calendar, not by every worker at start.
    from .ics_import import CalendarRefused, ImportFailed, import_calendar

    try:
        report = import_calendar(data, run.partner, run.partner, dry_run=dry_run)
    except CalendarRefused as refused:
        return Outcome(errors=[str(refused)])
    except ImportFailed as failure:
        return Outcome(errors=[str(error) for error in failure.errors])
    return Outcome(
        created=len(report.created),
        updated=len(report.updated),
        unchanged=len(report.unchanged),
        rows=[[uid, "new"] for uid in report.created]
        + [[uid, "updated"] for uid in report.updated]
        + [[uid, "waiting"] for uid in report.waiting]
        + [[uid, "unchanged"] for uid in report.unchanged],
    )


def register() -> None:
    register_importer(Importer(ImportKind.CALENDAR, ".ics", import_max_bytes, run_calendar_import, needs_partner=True))
