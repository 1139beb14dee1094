"""Login throttling (django-axes), one admin login, and the Content-Security-Policy and Permissions-Policy headers."""

import base64
import hashlib
import re
from datetime import timedelta
from pathlib import Path

import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings
from django.utils import timezone

from leerstad_site.security import client_ip
from tests.events.factories import EventIndexPageFactory, EventPageFactory, publish
from tests.learningcity.utils import make_portal
from tests.partners.factories import MunicipalityFactory, PartnerIndexPageFactory, PartnerPageFactory

ROOT = Path(__file__).resolve().parent.parent
LOGIN = "/admin/login/"


def directives(response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as ``{directive: [sources]}``."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, AXES_COOLOFF_TIME=timedelta(minutes=15))
class LoginThrottlingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        users = get_user_model().objects
        cls.editor = users.create_superuser("redactie", "redactie@lindeveld.example", "juist-wachtwoord")
        cls.colleague = users.create_superuser("collega", "collega@lindeveld.example", "ander-wachtwoord")

    def login(self, username, password, address="192.0.2.10", **headers):
        return self.client.post(
            LOGIN,
            {"username": username, "password": password},
            REMOTE_ADDR=address,
            HTTP_ACCEPT_LANGUAGE="en",
            **headers,
        )

    def assertLoggedIn(self, response, user):
        self.assertEqual(response.status_code, 302, response.content[:300])
        self.assertEqual(self.client.session.get("_auth_user_id"), str(user.pk))
        self.client.logout()

    def assertRefused(self, response):
        self.assertNotEqual(response.status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)

    def fail_five_times(self, username="redactie", address="192.0.2.10", **headers):
        responses = [self.login(username, f"fout-{attempt}", address, **headers) for attempt in range(5)]
        for response in responses[:4]:
            self.assertEqual(response.status_code, 200)  # the login form again, with its error
        return responses[-1]

    def test_five_wrong_passwords_lock_the_right_one_out(self):
        locked = self.fail_five_times()
        self.assertEqual(locked.status_code, 429)
        response = self.login("redactie", "juist-wachtwoord")
        self.assertEqual(response.status_code, 429)
        self.assertRefused(response)
        self.assertContains(response, "Too many failed sign-in attempts", status_code=429)
        self.assertContains(response, "blocked for 15 minutes after 5 failed attempts", status_code=429)

    def test_four_wrong_passwords_do_not_lock_out(self):
        for attempt in range(4):
            self.login("redactie", f"fout-{attempt}")
        self.assertLoggedIn(self.login("redactie", "juist-wachtwoord"), self.editor)

    def test_another_user_from_another_address_is_unaffected(self):
        self.fail_five_times("redactie", "192.0.2.10")
        self.assertLoggedIn(self.login("collega", "ander-wachtwoord", "198.51.100.7"), self.colleague)

    def test_the_locked_address_and_the_locked_user_are_both_refused(self):
        self.fail_five_times("redactie", "192.0.2.10")
        # The address is locked for every user name, and the user name from every address.
        self.assertRefused(self.login("collega", "ander-wachtwoord", "192.0.2.10"))
        self.assertRefused(self.login("redactie", "juist-wachtwoord", "203.0.113.99"))

    def test_spreading_guesses_over_user_names_still_locks_the_address(self):
        for attempt in range(5):
            self.login(f"gok-{attempt}", "fout", "192.0.2.66")
        self.assertRefused(self.login("redactie", "juist-wachtwoord", "192.0.2.66"))

    def test_the_lockout_ends_after_the_cool_off(self):
        self.fail_five_times()
        with time_machine.travel(timezone.now() + timedelta(minutes=16)):
            self.assertLoggedIn(self.login("redactie", "juist-wachtwoord"), self.editor)

    def test_the_lockout_page_speaks_the_visitors_language(self):
        self.fail_five_times()
        cases = [
            ("nl", "Inloggen is 15 minuten geblokkeerd na 5 mislukte pogingen."),
            ("en", "Signing in is blocked for 15 minutes after 5 failed attempts."),
            ("fr", "La connexion est bloquée pendant 15 minutes après 5 tentatives échouées."),
        ]
        for language, message in cases:
            with self.subTest(language=language):
                response = self.client.post(
                    LOGIN,
                    {"username": "redactie", "password": "juist-wachtwoord"},
                    REMOTE_ADDR="192.0.2.10",
                    HTTP_ACCEPT_LANGUAGE=language,
                )
                self.assertContains(response, message, status_code=429)
                self.assertContains(response, f'lang="{language}"', status_code=429)

    def test_forwarded_for_is_ignored_without_a_trusted_proxy(self):
        # A client cannot pose as many clients by sending X-Forwarded-For itself.
        for attempt in range(5):
            self.login("redactie", "fout", "192.0.2.10", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}")
        self.assertRefused(self.login("redactie", "juist-wachtwoord", "192.0.2.10", HTTP_X_FORWARDED_FOR="10.9.9.9"))

    @override_settings(LEERSTAD_TRUSTED_PROXY_COUNT=1)
    def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(self):
        proxy = "10.0.0.2"
        for attempt in range(5):
            self.login(f"gok-{attempt}", "fout", proxy, HTTP_X_FORWARDED_FOR="192.0.2.66")
        self.assertRefused(self.login("collega", "ander-wachtwoord", proxy, HTTP_X_FORWARDED_FOR="192.0.2.66"))
        response = self.login("collega", "ander-wachtwoord", proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
        self.assertLoggedIn(response, self.colleague)


class ClientAddressTests(SimpleTestCase):
    def address(self, remote="10.0.0.2", forwarded=None):
        headers = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_ip(RequestFactory().get("/", **headers))

    def test_without_proxies_the_connection_address_counts(self):
        self.assertEqual(self.address(forwarded="192.0.2.1"), "10.0.0.2")

    def test_with_proxies_the_address_the_first_proxy_saw_counts(self):
        cases = [
            (1, "192.0.2.1", "192.0.2.1"),
            (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),  # the client's own entry is ignored
            (2, "6.6.6.6, 192.0.2.1, 10.0.0.1", "192.0.2.1"),
            (2, "192.0.2.1", "10.0.0.2"),  # fewer entries than proxies: misconfigured, use the connection
            (1, "not-an-address", "10.0.0.2"),
            (1, "", "10.0.0.2"),
            (1, "2001:db8::1", "2001:db8::1"),
        ]
        for proxies, forwarded, expected in cases:
            with (
                self.subTest(proxies=proxies, forwarded=forwarded),
                override_settings(LEERSTAD_TRUSTED_PROXY_COUNT=proxies),
            ):
                self.assertEqual(self.address(forwarded=forwarded), expected)


class OneLoginPageTests(TestCase):
    def test_django_admin_is_gone(self):
        for url in ("/django-admin/", "/django-admin/login/"):
            with self.subTest(url=url):
                # Only the redirect to the language-prefixed path, which is a portal 404.
                self.assertEqual(self.client.get(url, follow=True).status_code, 404)

    def test_wagtail_admin_login_is_the_login_page(self):
        self.assertEqual(self.client.get(LOGIN).status_code, 200)
        self.assertNotIn("/django-admin/", self.client.get("/robots.txt").content.decode())


class SecurityHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.agenda = EventIndexPageFactory(parent=cls.home)
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.library = PartnerPageFactory(
            parent=directory, title="Bibliotheek", municipality=MunicipalityFactory(code="99001")
        )
        upcoming = timezone.localdate() + timedelta(days=7)
        cls.event = publish(
            EventPageFactory(parent=cls.agenda, title="Taalcafé", venue=cls.library, start_date=upcoming)
        )
        cls.user = get_user_model().objects.create_superuser("redactie", "redactie@lindeveld.example", "geheim")

    def setUp(self):
        cache.clear()

    def assertStrictPolicy(self, response):
        policy = directives(response)
        self.assertEqual(policy["default-src"], ["'self'"])
        self.assertEqual(policy["object-src"], ["'none'"])
        self.assertEqual(policy["base-uri"], ["'self'"])
        for name in ("script-src", "style-src"):
            self.assertIn("'self'", policy[name])
            self.assertNotIn("'unsafe-inline'", policy[name])
            self.assertNotIn("'unsafe-eval'", policy[name])
        return policy

    def assertPermissionsPolicy(self, response):
        permissions = response["Permissions-Policy"]
        for feature in ("camera=()", "geolocation=()", "microphone=()", "payment=()"):
            self.assertIn(feature, permissions)

    def test_portal_pages_get_a_strict_policy_and_refuse_framing(self):
        for url in ("/nl/", self.event.url, self.library.url, "/en/", "/nl/bestaat-niet/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertIn(response.status_code, {200, 404})
                policy = self.assertStrictPolicy(response)
                self.assertEqual(policy["frame-ancestors"], ["'none'"])
                self.assertEqual(policy["form-action"], ["'self'"])
                self.assertPermissionsPolicy(response)

    def test_api_answers_and_feeds_carry_the_headers(self):
        for url in ("/api/v3/pages/", "/feeds/events.ics", "/feeds/events.json", "/healthz", "/robots.txt"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertStrictPolicy(response)
                self.assertPermissionsPolicy(response)

    def test_api_docs_render_under_the_strict_policy(self):
        response = self.client.get("/api/v3/docs/")
        self.assertEqual(response.status_code, 200)
        self.assertStrictPolicy(response)
        html = response.content.decode()
        # Swagger UI starts from its static files; its settings are JSON, which the policy does not run.
        for script in re.findall(r"<script\b([^>]*)>", html):
            self.assertTrue("src=" in script or 'type="application/json"' in script, script)

    def test_embed_may_be_framed_anywhere_and_allows_only_its_own_style(self):
        response = self.client.get("/embed/events/")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("X-Frame-Options", response)
        policy = self.assertStrictPolicy(response)
        self.assertEqual(policy["frame-ancestors"], ["*"])
        self.assertPermissionsPolicy(response)
        html = response.content.decode()
        self.assertIn("Taalcafé", html)
        style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        self.assertIn(f"'sha256-{digest}'", policy["style-src"])
        # The same answer again, now from the cache, still matches.
        self.assertEqual(directives(self.client.get("/embed/events/"))["style-src"], policy["style-src"])

    @override_settings(LEERSTAD_EMBED_FRAME_ANCESTORS=["https://bib.example.org", "https://cc.example.org"])
    def test_embed_framing_can_be_limited_to_listed_sites(self):
        response = self.client.get("/embed/events/")
        self.assertEqual(directives(response)["frame-ancestors"], ["https://bib.example.org", "https://cc.example.org"])

    def test_the_admin_renders_under_its_own_policy(self):
        self.client.force_login(self.user)
        urls = [
            "/admin/",
            f"/admin/pages/{self.agenda.pk}/",
            f"/admin/pages/{self.event.pk}/edit/",
            f"/admin/pages/{self.library.pk}/edit/",
            "/admin/snippets/",
            "/admin/images/",
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                policy = directives(response)
                self.assertIn("'unsafe-inline'", policy["script-src"])
                self.assertFalse(any(source.startswith("'nonce-") for source in policy["script-src"]))
                # The page preview is shown in a same-origin frame.
                self.assertEqual(policy["frame-ancestors"], ["'self'"])
                self.assertPermissionsPolicy(response)

    def test_the_login_page_renders_under_the_admin_policy(self):
        response = self.client.get(LOGIN)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(directives(response)["frame-ancestors"], ["'self'"])

    def test_the_page_preview_may_be_framed_by_the_admin(self):
        self.client.force_login(self.user)
        response = self.client.get(f"/admin/pages/{self.event.pk}/edit/preview/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(directives(response)["frame-ancestors"], ["'self'"])
        self.assertNotEqual(response.get("X-Frame-Options"), "DENY")

    def test_the_nonce_is_sent_only_to_a_page_that_uses_it(self):
        response = self.client.get("/nl/")
        self.assertFalse(any(source.startswith("'nonce-") for source in directives(response)["script-src"]))


class TemplatePolicyTests(SimpleTestCase):
    """The portal's templates stay within the strict policy: no inline code or style without a nonce."""

    def test_templates_have_no_inline_scripts_styles_or_handlers(self):
        for path in sorted((ROOT / "templates").rglob("*.html")):
            html = path.read_text(encoding="utf-8")
            with self.subTest(template=str(path.relative_to(ROOT))):
                for tag in re.findall(r"<script\b[^>]*>", html):
                    self.assertTrue("src=" in tag or "nonce=" in tag or 'type="application/' in tag, tag)
                if path.name != "embed.html":  # its one <style> is allowed by its hash
                    self.assertNotRegex(html, r"<style\b(?![^>]*nonce=)")
                self.assertNotRegex(html, r"\sstyle=\"")
                self.assertNotRegex(html, r"\son[a-z]+=\"")
