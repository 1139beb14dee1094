"""Production settings: ``check --deploy`` is clean, and the site refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path
from tempfile import TemporaryDirectory

from django.test import SimpleTestCase

from tests.passes import database_independent

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "REDIS_URL", "LEERSTAD_FRAGMENT_CACHE_SECONDS", "DATABASE_URL"}
    }
    # An empty database of its own: the checks must not see the developer's demo Site (leerstad.W002).
    with TemporaryDirectory() as var:
        environment.update(DJANGO_SETTINGS_MODULE="leerstad_site.settings.production", LEERSTAD_VAR_DIR=var, **env)
        return subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), *args],
            capture_output=True,
            text=True,
            env=environment,
            cwd=ROOT,
            timeout=120,
            check=False,
        )


@database_independent
class ProductionSettingsTests(SimpleTestCase):
    def test_check_deploy_prints_nothing_with_production_values(self):
        result = manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            SECRET_KEY="a-production-secret-" + "x" * 50,
            ALLOWED_HOSTS="leren.lindeveld.example",
            REDIS_URL="redis://127.0.0.1:6379/0",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "System check identified no issues (1 silenced).")
        self.assertEqual(result.stderr.strip(), "")

    def test_check_deploy_prints_nothing_without_redis_either(self):
        # Each worker then caches in its own memory and reads the content version from the database.
        result = manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            SECRET_KEY="a-production-secret-" + "x" * 50,
            ALLOWED_HOSTS="leren.lindeveld.example",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "System check identified no issues (1 silenced).")

    def test_production_refuses_to_start_without_a_secret_key(self):
        result = manage("check", ALLOWED_HOSTS="leren.lindeveld.example")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY must be set", result.stderr)
