"""Import events from an iCalendar file: ``manage.py import_ics calendar.ics --organiser library-noord``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale, Page

from events.ics_import import ImportFailed, import_calendar
from events.models import EventPage
from partners.models import PartnerPage


class Command(BaseCommand):
    help = (
        "Create or update event pages from an iCalendar file, keyed by UID. Imports nothing when any "
        "component is invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .ics file.")
        parser.add_argument("--organiser", required=True, help="The organising partner: its page id or slug.")
        parser.add_argument("--parent", type=int, help="The page id to create events under (default: the partner).")

    def handle(self, *args, path, organiser, parent=None, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        partner = self.find_partner(organiser)
        parent_page = self.find_parent(parent, partner)
        try:
            report = import_calendar(data, partner, parent_page)
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(f"{error.uid}: {error.reason}")
            raise CommandError(f"{len(failure.errors)} invalid component(s); nothing was imported.") from failure
        self.stdout.write(
            f"created: {len(report.created)}, updated: {len(report.updated)}, unchanged: {len(report.unchanged)}"
        )

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
