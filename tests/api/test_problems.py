"""One error convention for the domain endpoints: a 400 problem naming each parameter, in one language."""

from django.test import TestCase

from ..learningcity.utils import make_portal

ENDPOINTS = ("/api/v3/sdgs/", "/api/v3/partners/", "/api/v3/childcentres/", "/api/v3/events/", "/api/v3/changes/")


class QueryProblemTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_portal()

    def test_every_endpoint_names_each_wrong_parameter_in_the_locale_language(self):
        expected = {
            "fr": ("Paramètres de requête non valides.", "Paramètre inconnu."),
            "en": ("Invalid query parameters.", "Unknown parameter."),
            "nl": ("Ongeldige parameters in de zoekopdracht.", "Onbekende parameter."),
        }
        for endpoint in ENDPOINTS:
            for language, (detail, unknown) in expected.items():
                with self.subTest(endpoint=endpoint, locale=language):
                    response = self.client.get(endpoint, {"locale": language, "limit": "0", "colour": "red"})
                    self.assertEqual(response.status_code, 400)
                    self.assertEqual(response["Content-Type"], "application/problem+json")
                    problem = response.json()
                    self.assertEqual(problem["detail"], detail)
                    errors = {error["loc"][1]: error["msg"] for error in problem["errors"]}
                    self.assertEqual(set(errors), {"limit", "colour"})
                    self.assertEqual(errors["colour"], unknown)

    def test_without_locale_messages_are_in_the_sites_language(self):
        for endpoint in ENDPOINTS:
            with self.subTest(endpoint):
                problem = self.client.get(endpoint, {"colour": "red"}).json()
                self.assertEqual(problem["detail"], "Ongeldige parameters in de zoekopdracht.")
                self.assertEqual(problem["errors"], [{"loc": ["query", "colour"], "msg": "Onbekende parameter."}])

    def test_tracking_parameters_are_no_problem(self):
        for endpoint in (*ENDPOINTS, "/feeds/events.ics", "/feeds/events.json", "/embed/events/"):
            with self.subTest(endpoint):
                response = self.client.get(endpoint, {"utm_source": "nieuwsbrief", "fbclid": "AbC"})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(self.client.get(endpoint, {"utm_source": "x", "colour": "red"}).status_code, 400)

    def test_an_unknown_locale_is_named_in_the_sites_language(self):
        problem = self.client.get("/api/v3/changes/", {"locale": "de", "since": "x"}).json()
        messages = {error["loc"][1]: error["msg"] for error in problem["errors"]}
        self.assertEqual(set(messages), {"locale", "since"})
        self.assertIn("is geen taal van deze site", messages["locale"])
        self.assertEqual(problem["detail"], "Ongeldige parameters in de zoekopdracht.")

    def test_the_change_feed_reads_its_cursor_like_every_other_number(self):
        for value in ("abc", "-1", "²", "1" * 40):
            with self.subTest(value):
                changes = self.client.get("/api/v3/changes/", {"since": value})
                offset = self.client.get("/api/v3/sdgs/", {"offset": value})
                self.assertEqual(changes.status_code, 400)
                self.assertEqual(changes.json()["errors"][0]["msg"], offset.json()["errors"][0]["msg"])
