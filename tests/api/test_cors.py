"""CORS: listed origins may read the API and the feeds from browsers; others and other paths get no CORS headers."""

from django.test import TestCase, override_settings

ALLOWED = "https://bib.example.org"


@override_settings(LEERSTAD_CORS_ALLOWED_ORIGINS=[ALLOWED])
class CorsTests(TestCase):
    def test_allowed_origin_may_read_the_api(self):
        response = self.client.get("/api/v3/sdgs/", HTTP_ORIGIN=ALLOWED)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Access-Control-Allow-Origin"], ALLOWED)
        self.assertIn("Origin", response["Vary"])

    def test_other_origins_get_no_cors_headers(self):
        response = self.client.get("/api/v3/sdgs/", HTTP_ORIGIN="https://evil.example.com")
        self.assertNotIn("Access-Control-Allow-Origin", response)

    def test_preflight_from_an_allowed_origin(self):
        response = self.client.options(
            "/api/v3/events/",
            HTTP_ORIGIN=ALLOWED,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept",
        )
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response["Access-Control-Allow-Origin"], ALLOWED)
        self.assertEqual(response["Access-Control-Allow-Methods"], "GET, HEAD, OPTIONS")
        self.assertEqual(response["Access-Control-Allow-Headers"], "accept")

    def test_preflight_from_another_origin_is_refused(self):
        response = self.client.options(
            "/feeds/events.ics", HTTP_ORIGIN="https://evil.example.com", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
        )
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Access-Control-Allow-Origin", response)

    def test_feeds_are_covered_and_pages_are_not(self):
        feed = self.client.get("/feeds/anything", HTTP_ORIGIN=ALLOWED)
        self.assertEqual(feed["Access-Control-Allow-Origin"], ALLOWED)
        page = self.client.get("/healthz", HTTP_ORIGIN=ALLOWED)
        self.assertNotIn("Access-Control-Allow-Origin", page)
