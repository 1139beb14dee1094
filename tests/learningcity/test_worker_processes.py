"""Several worker processes: an editor's unpublish or view restriction reaches every one on its next request.

Each test runs a site of its own: a SQLite file in a temporary folder, two gunicorn processes serving it (as two
workers of one server, each with its own memory) and an editor's process that changes it, as the admin would
in yet another worker. Both workers serve the pages and the API first, so their whole answers, routes, view
restrictions and menus are cached; after each edit, both answer the very next request without the page, and a
draft changes nothing anyone sees.
"""

import os
import select
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

from django.test import SimpleTestCase

from tests.passes import database_independent

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
SECONDS = 90  # the longest wait for a process, on a busy machine

SETTINGS = """from leerstad_site.settings.test import *  # noqa: F403

DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {database!r}}}}}
DATABASES["default"]["OPTIONS"] = {{"timeout": 20}}
CACHES = {{"default": {cache!r}}}
LEERSTAD_FRAGMENT_CACHE_SECONDS = 300


class NoMigrations(dict):
    # The tables straight from the models (makemigrations --check keeps them the same): migrating takes a minute.
    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


MIGRATION_MODULES = NoMigrations()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WorkerProcessCases:
    """Two workers and an editor on one database; ``cache`` is each process's ``CACHES["default"]``."""

    cache: dict

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        settings = SETTINGS.format(database=str(self.folder / "site.sqlite3"), cache=self.cache)
        (self.folder / "worker_settings.py").write_text(settings)
        self.environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "LEERSTAD_FRAGMENT_CACHE_SECONDS"}
        }
        self.environment.update(
            DJANGO_SETTINGS_MODULE="worker_settings",
            PYTHONPATH=os.pathsep.join([str(self.folder), str(ROOT), str(ROOT / "site")]),
        )
        # The editor makes the tables while the workers start.
        self.editor = self.start("editor", "-m", "tests.learningcity.worker_site", stdin=subprocess.PIPE)
        self.ports = [free_port(), free_port()]
        for number, port in enumerate(self.ports):
            self.start(
                f"worker-{number}",
                *("-m", "gunicorn", "--pythonpath", "site", "leerstad_site.wsgi"),
                *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", str(SECONDS)),
            )
        self.expect_from_editor("ready")
        for port in self.ports:
            self.wait_until_serving(port)

    def start(self, name: str, *args, stdin=subprocess.DEVNULL) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("w")
        self.addCleanup(log.close)
        stdout = subprocess.PIPE if name == "editor" else log
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, *args], cwd=ROOT, env=self.environment, stdin=stdin, stdout=stdout, stderr=log
        )
        self.addCleanup(self.stop, process)
        return process

    @staticmethod
    def stop(process: subprocess.Popen) -> None:
        if process.stdin:
            process.stdin.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()

    def logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in sorted(self.folder.glob("*.log")))

    def expect_from_editor(self, word: str) -> None:
        received, deadline = b"", time.monotonic() + SECONDS
        while not received.endswith(b"\n"):
            readable, _, _ = select.select([self.editor.stdout], [], [], max(0, deadline - time.monotonic()))
            chunk = os.read(self.editor.stdout.fileno(), 100) if readable else b""
            if not chunk:
                self.fail(f"The editor did not say {word!r}.\n{self.logs()}")
            received += chunk
        self.assertEqual(received.decode().strip(), word)

    def edit(self, name: str) -> None:
        self.editor.stdin.write(f"{name}\n".encode())
        self.editor.stdin.flush()
        self.expect_from_editor("done")

    def wait_until_serving(self, port: int) -> None:
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            try:
                if self.get(port, "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.fail(f"The worker on port {port} did not start.\n{self.logs()}")

    @staticmethod
    def get(port: int, path: str) -> tuple[int, str, str]:
        """The status, ``Location`` and body of a GET (redirects are not followed)."""
        connection = HTTPConnection("127.0.0.1", port, timeout=SECONDS)
        try:
            connection.request("GET", path, headers={"Host": "localhost"})
            response = connection.getresponse()
            return response.status, response.getheader("Location", ""), response.read().decode()
        finally:
            connection.close()

    def assert_answers_kept(self) -> None:
        """That the workers keep whole answers (where the test can see their cache)."""

    def test_an_unpublished_or_restricted_page_leaves_every_worker_on_the_next_request(self):
        for port in self.ports:
            for _request in range(2):
                self.assertEqual(self.get(port, "/nl/nieuws/")[0], 200)
                self.assertEqual(self.get(port, "/nl/geheim/")[0], 200)
                self.assertIn(">Nieuws</a>", self.get(port, "/nl/")[2])  # the menu
        self.assert_answers_kept()

        self.edit("draft")
        for port in self.ports:
            with self.subTest("draft", port=port):
                self.assertNotIn("concept", self.get(port, "/nl/nieuws/")[2])
                self.assertNotIn("concept", self.get(port, "/nl/")[2])

        self.edit("unpublish")
        for port in self.ports:
            with self.subTest("unpublished", port=port):
                self.assertEqual(self.get(port, "/nl/nieuws/")[0], 404)
                self.assertNotIn(">Nieuws</a>", self.get(port, "/nl/")[2])

        self.edit("restrict")
        for port in self.ports:
            with self.subTest("restricted", port=port):
                status, location, _body = self.get(port, "/nl/geheim/")
                self.assertEqual(status, 302)
                self.assertIn("login", location)

    def test_an_unpublished_partner_leaves_every_workers_api_and_page_on_the_next_request(self):
        for port in self.ports:
            for _request in range(2):
                self.assertIn('"Bibliotheek"', self.get(port, "/api/v3/partners/")[2])
                self.assertEqual(self.get(port, "/nl/partners/bibliotheek/")[0], 200)
        self.assert_answers_kept()

        self.edit("unpublish-partner")
        for port in self.ports:
            with self.subTest(port=port):
                self.assertNotIn('"Bibliotheek"', self.get(port, "/api/v3/partners/")[2])
                self.assertEqual(self.get(port, "/nl/partners/bibliotheek/")[0], 404)


@database_independent
class LocalMemoryWorkerTests(WorkerProcessCases, SimpleTestCase):
    """Without REDIS_URL: each worker caches in its own memory, the content version comes from the database."""

    cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


@database_independent
class SharedCacheWorkerTests(WorkerProcessCases, SimpleTestCase):
    """With REDIS_URL: the workers share the cache and the content version in it."""

    prefix = f"leerstad-test-workers-{uuid.uuid4().hex[:8]}"
    cache = {"BACKEND": "learningcity.compat.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}

    def setUp(self):
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        try:
            client.ping()
        except redis.ConnectionError:
            self.skipTest(f"No Redis at {REDIS_URL}")
        self.addCleanup(client.close)
        self.redis = client
        self.addCleanup(self.forget_keys, client)
        super().setUp()

    def assert_answers_kept(self) -> None:
        self.assertTrue(list(self.redis.scan_iter(match=f"{self.prefix}:*leerstad:response:*")), self.logs())

    def forget_keys(self, client) -> None:
        for key in client.scan_iter(match=f"{self.prefix}:*"):
            client.delete(key)
