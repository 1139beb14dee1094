"""``manage.py load_demo``: the fictional learning city Lindeveld, in Dutch with English and French translations.

Idempotent: what exists is left alone, so a second run changes nothing. Every installed app may add its own
part in a ``demo.py`` module with a ``load(report)`` function; they run in INSTALLED_APPS order.

The demo administrator has a published password, so outside development and test settings (those set
``LEERSTAD_DEMO_ALLOWED = True``) the command refuses to run unless it is given a password of its own.
"""

import importlib
import importlib.util
import os
import time

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from wagtail.users.models import UserProfile

from learningcity.caching import one_renewal
from learningcity.conf import demo_allowed
from learningcity.demo import point_site_at, site_address
from learningcity.demo_tools import DemoReport, deferred_indexing
from learningcity.models import ChangeLog

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "leerstad-demo"  # noqa: S105  (a demo login on the developer's own machine)
PASSWORD_VARIABLE = "LEERSTAD_DEMO_ADMIN_PASSWORD"  # noqa: S105  (the variable's name, not a password)


class Command(BaseCommand):
    help = "Load the demo learning city (idempotent) and create a demo administrator."

    def add_arguments(self, parser):
        parser.add_argument("--no-admin", action="store_true", help="Do not create the demo administrator account.")
        parser.add_argument(
            "--admin-password",
            help=f"The demo administrator's password (default: ${PASSWORD_VARIABLE}, or {DEMO_PASSWORD!r} under "
            "development settings). Required under production settings.",
        )
        parser.add_argument(
            "--site-url",
            help="The address the portal is served at, e.g. http://127.0.0.1:8080; feeds, the API, JSON-LD and the "
            "sitemap link to it (default: WAGTAILADMIN_BASE_URL).",
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        password = self.admin_password(options)
        site_url = options["site_url"] or settings.WAGTAILADMIN_BASE_URL
        try:
            site_address(site_url)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        report = DemoReport(write=self.progress)
        try:
            # The search and reference indexes, the content version and the change log are written once at the end,
            # not once per saved object. DEBUG would keep the SQL of each of the load's 100,000 queries (and on SQLite
            # ask the database to quote every query's parameters for it), a tenth of the time for nothing.
            with (
                override_settings(DEBUG=False),
                transaction.atomic(),
                deferred_indexing(),
                one_renewal(),
                ChangeLog.objects.in_bulk(),
            ):
                for app_config in apps.get_app_configs():
                    module_name = f"{app_config.name}.demo"
                    if importlib.util.find_spec(module_name) is None:
                        continue
                    self.progress(f"  {app_config.label}…")
                    started, before = time.monotonic(), len(report.created)
                    importlib.import_module(module_name).load(report)
                    self.progress(f" {len(report.created) - before} items, {time.monotonic() - started:.0f} s\n")
                root_url = point_site_at(site_url, report)
                if password is not None:
                    self.ensure_admin(password, report)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if report.created:
            self.stdout.write(self.style.SUCCESS(f"Demo content: {len(report.created)} items created or changed."))
            if options["verbosity"] > 1:
                for label in report.created:
                    self.stdout.write(f"  + {label}")
        else:
            self.stdout.write("Demo content is already complete; nothing changed.")
        self.stdout.write(f"Links point at {root_url}/")
        if password is not None:
            shown = DEMO_PASSWORD if password == DEMO_PASSWORD else "(the password you gave)"
            self.stdout.write(f"Admin login: {DEMO_USERNAME} / {shown}")

    def progress(self, message: str) -> None:
        if self.verbosity > 0:
            self.stdout.write(message, ending="")
            self.stdout.flush()

    def admin_password(self, options) -> str | None:
        """The password for a new demo administrator; None for no administrator."""
        if options["no_admin"]:
            return None
        password = options["admin_password"] or os.environ.get(PASSWORD_VARIABLE) or None
        if password is None:
            if not demo_allowed():
                raise CommandError(
                    f"These are not development settings, and the demo administrator's default password is public. "
                    f"Give a password of your own with --admin-password or ${PASSWORD_VARIABLE}, or use --no-admin."
                )
            return DEMO_PASSWORD
        if not demo_allowed():
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        return password

    def ensure_admin(self, password: str, report: DemoReport) -> None:
        User = get_user_model()
        if not User.objects.filter(username=DEMO_USERNAME).exists():
            user = User.objects.create_superuser(DEMO_USERNAME, "admin@lindeveld.example", password)
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = "nl"  # the admin speaks Dutch first
            profile.save()
            report.add(f"administrator {DEMO_USERNAME}")
