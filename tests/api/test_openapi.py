"""The OpenAPI document tells the truth: document checks, and a bounded property-based run with schemathesis.

schemathesis calls the Django application in-process through WSGI (no server, no network) and checks, for the
domain endpoints, that no answer is a 5xx and that every answer's status, content type and body match the
document.
"""

from datetime import UTC, date, datetime

import schemathesis
import time_machine
from django.contrib.auth import get_user_model
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import TestCase
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from wagtail.models import APIToken, Page

from events.models import EventPage
from learningcity.models import SDGTarget
from partners.models import Language

from ..events.factories import EventIndexPageFactory, EventPageFactory, publish
from ..learningcity.utils import make_portal
from ..partners.factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)

DOMAIN_PATHS = [
    "/api/v3/sdgs/",
    "/api/v3/partners/",
    "/api/v3/childcentres/",
    "/api/v3/events/",
    "/api/v3/events/{uuid}/",
    "/api/v3/changes/",
    "/api/v3/terms/",
    "/api/v3/partnerships/",
    "/api/v3/networks/",
    "/api/v3/municipalities/",
]
NOW = datetime(2026, 3, 3, 12, tzinfo=UTC)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def portal_with_content():
    home, _locales = make_portal()
    directory = PartnerIndexPageFactory(parent=home)
    partner = PartnerPageFactory(parent=directory, title="Bibliotheek", latitude="51.05", longitude="3.71")
    partner.languages.set(Language.objects.filter(code="nl"))
    partner.sdg_targets.set(SDGTarget.objects.filter(code="4.7"))
    publish(partner)
    listing = ChildCentreIndexPageFactory(parent=home)
    centre = ChildCentrePageFactory(parent=listing)
    centre.member_partners.set([partner])
    publish(centre)
    agenda = EventIndexPageFactory(parent=home)
    event = EventPageFactory(parent=agenda, start_date=date(2026, 3, 4), venue=partner, is_free=False, price=3)
    event.organisers.set([partner])
    publish(event)


class OpenAPIDocumentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            portal_with_content()
        cls.document = cls.client_class().get("/api/v3/openapi.json").json()

    @staticmethod
    def concrete(path: str) -> str:
        """``path`` with its path parameters filled in from the content (the event's uuid)."""
        return path.replace("{uuid}", str(EventPage.objects.get().uuid))

    def test_domain_endpoints_document_their_filters_and_the_400_problem(self):
        operation = self.document["paths"]["/api/v3/partners/"]["get"]
        names = [parameter["name"] for parameter in operation["parameters"]]
        self.assertEqual(names[:3], ["locale", "limit", "offset"])
        self.assertIn("kind", names)
        kind = next(p for p in operation["parameters"] if p["name"] == "kind")
        self.assertIn("library", kind["schema"]["items"]["enum"])
        self.assertIn("application/problem+json", operation["responses"]["400"]["content"])
        events = self.document["paths"]["/api/v3/events/"]["get"]
        self.assertIn("from", [parameter["name"] for parameter in events["parameters"]])
        since = self.document["paths"]["/api/v3/changes/"]["get"]["parameters"][0]
        self.assertEqual(since["name"], "since")

    def test_every_documented_filter_is_accepted(self):
        for path in DOMAIN_PATHS:
            for parameter in self.document["paths"][path]["get"]["parameters"]:
                if parameter["in"] == "path":
                    continue
                with self.subTest(path=path, parameter=parameter["name"]):
                    query = {parameter["name"]: ""} if parameter["name"] != "locale" else {}
                    response = self.client.get(self.concrete(path), query)
                    # Blank values of filters mean "no filter"; blank pagination values are invalid numbers.
                    self.assertIn(response.status_code, {200, 400})
                    self.assertNotEqual(response.status_code, 500)

    def test_the_document_is_valid_openapi(self):
        validate(self.document)  # raises on the first error
        self.assertNotIn("AllowAnonymous", self.document["components"]["securitySchemes"])

    def test_it_lists_no_write_operation(self):
        methods = {method for operations in self.document["paths"].values() for method in operations}
        self.assertEqual(methods, {"get"})
        self.assertNotIn("PageCreateSchema", self.document["components"]["schemas"])

    def test_domain_endpoints_come_first(self):
        paths = list(self.document["paths"])
        first_wagtail = paths.index("/api/v3/pages/")
        for path in DOMAIN_PATHS:
            with self.subTest(path=path):
                self.assertLess(paths.index(path), first_wagtail)
        self.assertEqual(self.document["tags"][0]["name"], self.document["paths"][paths[0]]["get"]["tags"][0])

    def test_wagtails_read_operations_declare_their_problems_and_anonymous_access(self):
        detail = self.document["paths"]["/api/v3/pages/{page_id}/"]["get"]
        for status in ("401", "404", "422"):
            with self.subTest(status=status):
                self.assertIn("application/problem+json", detail["responses"][status]["content"])
        self.assertIn({}, detail["security"])
        self.assertNotIn({}, self.document["paths"]["/api/v3/sites/"]["get"]["security"])

    def test_docs_are_served_without_a_cdn(self):
        response = self.client.get("/api/v3/docs/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("/static/ninja/swagger-ui-bundle.js", html)
        self.assertNotRegex(html, r"(src|href)=\"(https?:)?//")


class ReadOnlyTests(TestCase):
    """Wagtail's write operations answer 405 even to a superuser's API token, and change nothing."""

    @classmethod
    def setUpTestData(cls):
        cls.home, _locales = make_portal()
        user = get_user_model().objects.create_superuser("beheer", "beheer@example.org", "x")
        _token, cls.token = APIToken.create_token(user=user, name="front-end")

    def call(self, method, path, **data):
        return getattr(self.client, method)(
            path, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {self.token}"
        )

    def test_writes_are_refused(self):
        pages = Page.objects.count()
        for method, path in (
            ("post", "/api/v3/pages/"),
            ("patch", f"/api/v3/pages/{self.home.pk}/"),
            ("delete", f"/api/v3/pages/{self.home.pk}/"),
            ("post", f"/api/v3/pages/{self.home.pk}/actions/unpublish/"),
            ("post", "/api/v3/sites/"),
        ):
            with self.subTest(method=method, path=path):
                response = self.call(method, path, title="Nieuw", type="learningcity.ContentPage", parent=self.home.pk)
                self.assertEqual(response.status_code, 405)
                self.assertEqual(response["Content-Type"], "application/problem+json")
                self.assertEqual(response["Allow"], "GET, HEAD, OPTIONS")
        self.assertEqual(Page.objects.count(), pages)
        self.home.refresh_from_db()
        self.assertTrue(self.home.live)

    def test_an_unknown_id_is_a_404_not_a_redirect_to_a_page(self):
        for path in (
            "/api/v3/pages/99999/",
            "/api/v3/pages/find/?html_path=/nergens/",
            "/feeds/events/00000000-0000-0000-0000-000000000000.ics",
        ):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Location", response)
        # A page address without its language still goes to the visitor's language.
        self.assertRedirects(self.client.get("/nergens/"), "/nl/nergens/", target_status_code=404)

    def test_finding_a_page_is_a_documented_redirect_to_its_detail(self):
        response = self.client.get("/api/v3/pages/find/", {"id": self.home.pk})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(f"/api/v3/pages/{self.home.pk}/"), response["Location"])
        document = self.client.get("/api/v3/openapi.json").json()
        self.assertIn("302", document["paths"]["/api/v3/pages/find/"]["get"]["responses"])

    def test_reads_with_the_token_still_answer(self):
        response = self.client.get(f"/api/v3/pages/{self.home.pk}/", HTTP_AUTHORIZATION=f"Bearer {self.token}")
        self.assertEqual(response.status_code, 200)


@time_machine.travel(NOW, tick=False)
class PropertyBasedTests(TestCase):
    """A bounded run: a few examples per endpoint, each within the test's transaction."""

    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            portal_with_content()

    def setUp(self):
        # Django's test client does the same: a real WSGI handler would close the connection at the end of each
        # request (PostgreSQL: outside autocommit) and lose the test's transaction.
        for signal in (signals.request_started, signals.request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)

    def test_domain_endpoints_answer_as_documented(self):
        schema = schemathesis.openapi.from_wsgi("/api/v3/openapi.json", get_wsgi_application())
        for path in DOMAIN_PATHS:
            operation = schema[path]["GET"]

            @settings(
                max_examples=15,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy())
            def check(case):
                case.call_and_validate(checks=CHECKS)

            with self.subTest(path=path):
                check()

    def test_every_other_get_operation_answers_as_documented(self):
        """Wagtail's own read operations: status and content type (their bodies are Wagtail's to describe)."""
        schema = schemathesis.openapi.from_wsgi("/api/v3/openapi.json", get_wsgi_application())
        paths = [path for path in schema.raw_schema["paths"] if path not in DOMAIN_PATHS]
        self.assertIn("/api/v3/pages/{page_id}/", paths)
        for path in paths:
            operation = schema[path]["GET"]

            @settings(
                max_examples=5,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy())
            def check(case):
                case.call_and_validate(checks=[not_a_server_error, status_code_conformance, content_type_conformance])

            with self.subTest(path=path):
                check()
