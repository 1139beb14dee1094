"""The shared body of the CSV import and export commands; the logic lives in ``partners.importexport``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from partners.importexport import CSVImportError, PageSpec, export_csv, import_csv


class ImportCommand(BaseCommand):
    spec: PageSpec

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help="A UTF-8, comma-separated file with a header row (see the README); at most "
            "LEERSTAD_CSV_IMPORT_MAX_BYTES (5 MB) and LEERSTAD_CSV_IMPORT_MAX_ROWS (10,000 rows) by default.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
        parser.add_argument(
            "--parent", type=int, help="The id of the listing page new pages go under (default: the only one)."
        )

    def handle(self, *args, **options):
        # The command speaks English throughout, including Django's own validation messages.
        with translation.override("en"):
            self.run_import(options)

    def run_import(self, options):
        try:
            result = import_csv(
                options["file"],
                self.spec,
                parent_id=options["parent"],
                dry_run=options["dry_run"],
                progress=self.progress,
            )
        except CSVImportError as error:
            count = len(error.errors)
            raise CommandError(
                f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in {options['file']}:\n"
                + "\n".join(error.errors)
            ) from None
        if options["verbosity"] > 1:
            # One line per row, in file order: + new, ~ updated, = unchanged.
            marks = {"new": "+", "updated": "~", "unchanged": "="}
            for line, status, label in result.rows:
                self.stdout.write(f"  {marks[status]} line {line}: {label}")
        self.stdout.write(self.style.SUCCESS(result.summary()) if result.changed else result.summary())

    def progress(self, stage: str, done: int, total: int) -> None:
        self.stderr.write(f"{stage} {done}/{total} rows")


class ExportCommand(BaseCommand):
    spec: PageSpec

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the CSV file (UTF-8, comma-separated, with a header row).")

    def handle(self, *args, **options):
        with translation.override("en"):
            self.run_export(options)

    def run_export(self, options):
        try:
            count, skipped = export_csv(options["file"], self.spec)
        except OSError as error:
            raise CommandError(f"Cannot write {options['file']}: {error.strerror or error}.") from None
        for title in skipped:
            self.stderr.write(f"Left out {title!r}: it has no external identifier, so an import could not match it.")
        self.stdout.write(self.style.SUCCESS(f"Exported {count} {self.spec.noun} to {options['file']}."))
