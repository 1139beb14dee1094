"""``manage.py load_demo``: the fictional learning city Lindeveld, in Dutch with English and French translations.

Idempotent: what exists is left alone, so a second run changes nothing. Every installed app may add its own
part in a ``demo.py`` module with a ``load(report)`` function; they run in INSTALLED_APPS order.
"""

import importlib
import importlib.util

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.users.models import UserProfile

from learningcity.demo_tools import DemoReport, deferred_indexing

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "leerstad-demo"  # noqa: S105  (a demo login on the developer's own machine)


class Command(BaseCommand):
    help = "Load the demo learning city (idempotent) and create a demo administrator."

    def add_arguments(self, parser):
        parser.add_argument("--no-admin", action="store_true", help="Do not create the demo administrator account.")

    def handle(self, *args, **options):
        report = DemoReport()
        with transaction.atomic(), deferred_indexing():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                importlib.import_module(module_name).load(report)
            if not options["no_admin"]:
                self.ensure_admin(report)
        if report.created:
            self.stdout.write(self.style.SUCCESS(f"Demo content: created {len(report.created)} items."))
            for label in report.created:
                self.stdout.write(f"  + {label}")
        else:
            self.stdout.write("Demo content is already complete; nothing changed.")

    def ensure_admin(self, report: DemoReport) -> None:
        User = get_user_model()
        if not User.objects.filter(username=DEMO_USERNAME).exists():
            user = User.objects.create_superuser(DEMO_USERNAME, "admin@lindeveld.example", DEMO_PASSWORD)
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = "nl"  # the admin speaks Dutch first
            profile.save()
            report.add(f"administrator {DEMO_USERNAME}")
        self.stdout.write(f"Admin login: {DEMO_USERNAME} / {DEMO_PASSWORD}")
