"""Drop the change feed's rows no client needs any more: run nightly (cron, a systemd timer, a scheduled job)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from learningcity.conf import CHANGES_KEEP_DAYS_MIN, changes_keep_days
from learningcity.models import ChangeLog


class Command(BaseCommand):
    help = (
        "Delete changes older than LEERSTAD_CHANGES_KEEP_DAYS (default 30, at least 7) that a later change of the "
        "same object supersedes, and tombstones (deleted, unpublished) that old. The last change of every live "
        "object stays."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Keep this many days instead of LEERSTAD_CHANGES_KEEP_DAYS.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would go, delete nothing.")

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is None:
            days = changes_keep_days()
        elif not CHANGES_KEEP_DAYS_MIN <= days <= 3650:
            raise CommandError(f"--days must be between {CHANGES_KEEP_DAYS_MIN} and 3650 (clients poll within a week).")
        before = timezone.now() - timedelta(days=days)
        prunable = ChangeLog.objects.prunable(before)
        if dry_run:
            self.stdout.write(f"{prunable.count()} changes older than {days} days would be deleted.")
            return
        deleted, _by_model = ChangeLog.objects.filter(pk__in=prunable.values("pk")).delete()
        self.stdout.write(f"{deleted} changes older than {days} days deleted; {ChangeLog.objects.count()} kept.")
