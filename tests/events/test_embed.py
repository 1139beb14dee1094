"""The embeddable agenda: a self-contained page partner sites put in an ``<iframe>``."""

import re

import time_machine
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.utils import timezone

from events.models import Occurrence

from .test_ics_feed import NOW, build_agenda


@time_machine.travel(NOW, tick=False)
@override_settings(X_FRAME_OPTIONS="DENY")
class EmbedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            build_agenda(cls)

    def setUp(self):
        cache.clear()

    def get(self, query="", **headers):
        return self.client.get("/embed/events/" + query, **headers)

    def test_embed_lists_upcoming_occurrences_in_the_requested_language(self):
        response = self.get("?locale=en&limit=3", HTTP_ACCEPT_LANGUAGE="fr")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('<html lang="en">', html)
        self.assertEqual(html.count("<li"), 3)
        self.assertIn("Full agenda", html)
        first = Occurrence.objects.upcoming().visible().select_related("event").first()
        self.assertIn(first.event.title, html)
        self.assertIn(f'datetime="{timezone.localtime(first.start).isoformat()}"', html)
        self.assertIn('href="http://testserver/nl/agenda/"', html)

    def test_embed_can_be_framed_and_sets_no_cookies(self):
        response = self.get()
        self.assertNotIn("X-Frame-Options", response)
        self.assertNotIn("Set-Cookie", response)
        self.assertFalse(response.cookies)
        self.assertNotIn("Cookie", response.get("Vary", ""))

    def test_other_pages_still_refuse_framing(self):
        self.assertEqual(self.client.get("/healthz")["X-Frame-Options"], "DENY")

    def test_embed_loads_no_external_assets(self):
        html = self.get().content.decode()
        self.assertNotRegex(html, r"<(script|link|img|iframe)\b")
        self.assertNotIn("src=", html)
        self.assertNotRegex(html, r"url\(")
        self.assertIn("<style>", html)
        # Links only lead to the portal's own pages.
        for href in re.findall(r'href="([^"]+)"', html):
            self.assertTrue(href.startswith("http://testserver/"), href)

    def test_filters_apply(self):
        html = self.get(f"?venue={self.library.pk}&limit=50").content.decode()
        self.assertIn("Taalcafé", html)
        self.assertNotIn("Lezing", html)

    def test_limit_must_be_1_to_50(self):
        for value in ("0", "51", "ten", "-1"):
            with self.subTest(limit=value):
                response = self.get(f"?limit={value}")
                self.assertEqual(response.status_code, 400)
                self.assertIn("limit:", response.content.decode())
        self.assertEqual(self.get("?limit=50").status_code, 200)
