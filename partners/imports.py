"""Imports in the admin: a file is uploaded, previewed (a dry run) and applied on confirmation.

The importers are the commands' own (``partners.importexport`` for CSV, ``events.ics_import`` for iCalendar, which
the events app registers from its ``AppConfig.ready()``), with the same rules: all or nothing, idempotent. The
upload waits between preview and confirmation in its ``ImportRun`` row (``data``), found by the run's random
token and the user who uploaded it; applying clears it.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .conf import import_history_days, max_import_bytes
from .enums import ImportKind, ImportStatus
from .importexport import CHILD_CENTRES, PARTNERS, CSVImportError, PageSpec, import_csv
from .models import ImportRun


@dataclass
class Outcome:
    """What an import did or would do: counts, each row or UID with its status, and every error."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[list[str]] = field(default_factory=list)  # [where, "new" | "updated" | "unchanged"]
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Importer:
    """One kind of file the admin imports."""

    kind: ImportKind
    extension: str  # what the file input accepts, e.g. ".csv"
    max_bytes: Callable[[], int]
    run: Callable[[bytes, ImportRun, bool], Outcome]  # (data, run, dry_run)
    needs_partner: bool = False  # the events' organiser


_importers: dict[str, Importer] = {}


def register_importer(importer: Importer) -> None:
    _importers[importer.kind] = importer


def importers() -> list[Importer]:
    return sorted(_importers.values(), key=lambda importer: list(ImportKind).index(importer.kind))


def get_importer(kind: str) -> Importer:
    return _importers[kind]


def _csv_runner(spec: PageSpec) -> Callable[[bytes, ImportRun, bool], Outcome]:
    def run(data: bytes, import_run: ImportRun, dry_run: bool) -> Outcome:
        try:
            result = import_csv(io.BytesIO(data), spec, dry_run=dry_run)
        except CSVImportError as error:
            return Outcome(errors=list(error.errors))
        return Outcome(
            created=len(result.created),
            updated=len(result.updated),
            unchanged=len(result.unchanged),
            rows=[
                [_("Line %(line)s: %(label)s") % {"line": line, "label": label}, status]
                for line, status, label in result.rows
            ],
        )

    return run


register_importer(Importer(ImportKind.PARTNERS, ".csv", max_import_bytes, _csv_runner(PARTNERS)))
register_importer(Importer(ImportKind.CHILD_CENTRES, ".csv", max_import_bytes, _csv_runner(CHILD_CENTRES)))


def _record(run: ImportRun, outcome: Outcome) -> None:
    run.created, run.updated, run.unchanged = outcome.created, outcome.updated, outcome.unchanged
    run.rows, run.errors = outcome.rows, outcome.errors


def preview(run: ImportRun) -> ImportRun:
    """Check ``run``'s upload as a dry run and save the run, with its upload, as a preview."""
    _record(run, get_importer(run.kind).run(bytes(run.data), run, True))
    run.status = ImportStatus.PREVIEW
    run.save()
    return run


def apply(run: ImportRun) -> ImportRun:
    """Import ``run``'s upload for real (checked again: the site may have changed since the preview).

    Nothing is written when any row or component is wrong. The upload is dropped either way.
    """
    with transaction.atomic():
        outcome = get_importer(run.kind).run(bytes(run.data), run, False)
        _record(run, outcome)
        run.status = ImportStatus.FAILED if outcome.errors else ImportStatus.APPLIED
        run.data = None
        run.finished_at = timezone.now()
        run.save()
    return run


def prune_runs() -> None:
    """Drop uploads left unconfirmed for a day and runs older than ``import_history_days()``."""
    now = timezone.now()
    ImportRun.objects.filter(status=ImportStatus.PREVIEW, created_at__lt=now - timedelta(days=1)).delete()
    ImportRun.objects.finished().filter(created_at__lt=now - timedelta(days=import_history_days())).delete()
