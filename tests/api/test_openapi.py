"""The OpenAPI document tells the truth: document checks, and a bounded property-based run with schemathesis.

schemathesis calls the Django application in-process through WSGI (no server, no network) and checks, for the
domain endpoints, that no answer is a 5xx and that every answer's status, content type and body match the
document.
"""

from datetime import UTC, date, datetime

import schemathesis
import time_machine
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import TestCase
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

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

DOMAIN_PATHS = ["/api/v3/sdgs/", "/api/v3/partners/", "/api/v3/childcentres/", "/api/v3/events/", "/api/v3/changes/"]
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
        cls.document = cls.client_class().get("/api/v3/openapi.json").json()

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
                with self.subTest(path=path, parameter=parameter["name"]):
                    response = self.client.get(path, {parameter["name"]: ""} if parameter["name"] != "locale" else {})
                    # Blank values of filters mean "no filter"; blank pagination values are invalid numbers.
                    self.assertIn(response.status_code, {200, 400})
                    self.assertNotEqual(response.status_code, 500)

    def test_docs_are_served_without_a_cdn(self):
        response = self.client.get("/api/v3/docs/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("/static/ninja/swagger-ui-bundle.js", html)
        self.assertNotRegex(html, r"(src|href)=\"(https?:)?//")


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
