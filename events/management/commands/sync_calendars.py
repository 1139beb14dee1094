"""Import every active calendar subscription: ``manage.py sync_calendars`` (from cron or a systemd timer)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from events.models import CalendarSubscription
from events.subscriptions import sync_subscription
from partners.enums import ImportStatus
from partners.imports import prune_runs


class Command(BaseCommand):
    help = (
        "Fetch and import every active calendar subscription: create and update its events, unpublish those that "
        "vanished from the calendar, skip and report invalid events."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partner", type=int, help="Only the subscriptions of this partner page id.")

    def handle(self, *args, partner=None, **options):
        # The runs' errors are kept for the editors, in the site's language; the command reports in English.
        with translation.override("en"):
            subscriptions = CalendarSubscription.objects.filter(active=True).select_related("partner").order_by("pk")
            if partner is not None:
                subscriptions = subscriptions.filter(partner_id=partner)
            failures = 0
            for subscription in subscriptions:
                with translation.override(settings.LANGUAGE_CODE):
                    run = sync_subscription(subscription)
                failures += run.status != ImportStatus.APPLIED
                self.stdout.write(
                    f"{subscription}: {run.get_status_display()}; created {run.created}, updated {run.updated}, "
                    f"unchanged {run.unchanged}, unpublished {run.unpublished}"
                )
                for error in run.errors:
                    self.stderr.write(f"  {error}")
            prune_runs()
            if failures:
                self.stderr.write(f"{failures} subscription(s) with errors.")
