"""CORS: listed origins may read the API and the feeds from browsers; others and other paths get no CORS headers."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase, TestCase, override_settings

ROOT = Path(__file__).resolve().parent.parent.parent

ALLOWED = "https://bib.example.org"


@override_settings(CORS_ALLOWED_ORIGINS=[ALLOWED])
class CorsTests(TestCase):
    def test_allowed_origin_may_read_the_api(self):
        response = self.client.get("/api/v3/sdgs/", HTTP_ORIGIN=ALLOWED)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Access-Control-Allow-Origin"], ALLOWED)
        self.assertIn("origin", response["Vary"].lower())
        self.assertNotIn("Access-Control-Allow-Credentials", response)

    def test_other_origins_get_no_cors_headers(self):
        response = self.client.get("/api/v3/sdgs/", HTTP_ORIGIN="https://evil.example.com")
        self.assertNotIn("Access-Control-Allow-Origin", response)

    def test_preflight_from_an_allowed_origin(self):
        response = self.client.options(
            "/api/v3/events/",
            HTTP_ORIGIN=ALLOWED,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept, if-none-match",
        )
        self.assertLess(response.status_code, 300)
        self.assertEqual(response["Access-Control-Allow-Origin"], ALLOWED)
        self.assertEqual(response["Access-Control-Allow-Methods"], "GET, HEAD, OPTIONS")
        allowed_headers = {name.strip() for name in response["Access-Control-Allow-Headers"].split(",")}
        self.assertLessEqual({"accept", "if-none-match"}, allowed_headers)
        self.assertEqual(response["Access-Control-Max-Age"], "86400")

    def test_preflight_from_another_origin_is_refused(self):
        # Without Access-Control-Allow-Origin the browser refuses the request the preflight asked about.
        response = self.client.options(
            "/feeds/events.ics", HTTP_ORIGIN="https://evil.example.com", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
        )
        self.assertNotIn("Access-Control-Allow-Origin", response)
        self.assertNotIn("Access-Control-Allow-Methods", response)

    def test_only_reading_is_allowed(self):
        response = self.client.options(
            "/api/v3/events/", HTTP_ORIGIN=ALLOWED, HTTP_ACCESS_CONTROL_REQUEST_METHOD="DELETE"
        )
        self.assertNotIn("DELETE", response["Access-Control-Allow-Methods"])

    def test_feeds_are_covered_and_pages_are_not(self):
        feed = self.client.get("/feeds/anything", HTTP_ORIGIN=ALLOWED)
        self.assertEqual(feed["Access-Control-Allow-Origin"], ALLOWED)
        page = self.client.get("/healthz", HTTP_ORIGIN=ALLOWED)
        self.assertNotIn("Access-Control-Allow-Origin", page)
        self.assertNotIn("origin", page.get("Vary", "").lower())


class CorsSettingsTests(SimpleTestCase):
    def test_origins_come_from_the_environment_without_trailing_slashes(self):
        code = "from leerstad_site.settings import base; print(' '.join(base.CORS_ALLOWED_ORIGINS))"
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={**os.environ, "LEERSTAD_CORS_ALLOWED_ORIGINS": "https://a.example.org/, https://b.example"},
            cwd=ROOT / "site",
            timeout=60,
            check=True,
        )
        self.assertEqual(result.stdout.split(), ["https://a.example.org", "https://b.example"])
