"""Import events from an iCalendar file or URL: ``manage.py import_ics calendar.ics --organiser library-noord``.

A file or URL larger than ``LEERSTAD_EVENTS_IMPORT_MAX_BYTES`` is refused without being read whole. A URL is
fetched as calendar subscriptions are (``events.subscriptions.fetch_calendar``): http or https only, and no
address on this machine or its private network unless ``LEERSTAD_CALENDAR_ALLOW_PRIVATE_ADDRESSES`` is set.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from wagtail.models import Locale, Page

from events.conf import import_max_bytes
from events.ics_import import CalendarRefused, ImportFailed, import_calendar
from events.models import EventPage
from events.subscriptions import FetchError, fetch_calendar
from partners.models import PartnerPage


class Command(BaseCommand):
    help = (
        "Create or update event pages from an iCalendar file, keyed by UID. Imports nothing when any "
        "component is invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .ics file, or an http(s) URL of a calendar.")
        parser.add_argument("--timeout", type=int, default=30, help="Seconds to wait for a calendar URL.")
        parser.add_argument("--organiser", required=True, help="The organising partner: its page id or slug.")
        parser.add_argument("--parent", type=int, help="The page id to create events under (default: the partner).")

    def handle(self, *args, **options):
        # The command speaks English throughout, including the importer's messages.
        with translation.override("en"):
            self.run_import(**options)

    def run_import(self, *args, path, organiser, parent=None, timeout=30, **options):
        data = self.read(path, timeout)
        partner = self.find_partner(organiser)
        parent_page = self.find_parent(parent, partner)
        try:
            report = import_calendar(data, partner, parent_page)
        except CalendarRefused as refused:
            raise CommandError(f"{refused} Nothing was imported.") from refused
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(f"{error.uid}: {error.reason}")
            raise CommandError(f"{len(failure.errors)} invalid component(s); nothing was imported.") from failure
        for notice in report.notices:
            self.stdout.write(f"notice: {notice}")
        summary = f"created: {len(report.created)}, updated: {len(report.updated)}, unchanged: {len(report.unchanged)}"
        if report.waiting:
            summary += f", waiting for an editor's change to be approved: {len(report.waiting)}"
        self.stdout.write(summary)

    def read(self, path: str, timeout: int) -> bytes:
        """The calendar's bytes, read up to the size limit."""
        limit = import_max_bytes()
        if path.startswith(("http://", "https://")):
            try:
                data = fetch_calendar(path, timeout=timeout)
            except FetchError as error:
                raise CommandError(f"Cannot fetch {path}: {error} Nothing was imported.") from error
        else:
            try:
                with open(path, "rb") as file:
                    data = file.read(limit + 1)
            except OSError as exc:
                raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        if len(data) > limit:
            raise self.too_large(path, limit)
        return data

    def too_large(self, path: str, limit: int) -> CommandError:
        return CommandError(f"{path} is larger than {limit} bytes, the import's limit; nothing was imported.")

    def find_partner(self, value: str) -> PartnerPage:
        partners = (
            PartnerPage.objects.filter(pk=int(value)) if value.isdigit() else PartnerPage.objects.filter(slug=value)
        )
        partners = partners.order_by("pk")
        partner = partners.filter(locale=Locale.get_default()).first() or partners.first()
        if partner is None:
            raise CommandError(f"No partner with id or slug {value}.")
        return partner

    def find_parent(self, page_id: int | None, partner: PartnerPage) -> Page:
        if page_id is None:
            return partner
        parent = Page.objects.filter(pk=page_id).first()
        if parent is None:
            raise CommandError(f"No page with id {page_id}.")
        parent = parent.specific
        if not EventPage.can_create_at(parent):
            raise CommandError(f"Events cannot be created under {parent.title} ({parent.specific_class.__name__}).")
        return parent
