"""``/api/v3/terms/``: every listing filter's values with labels in the asked language, the same the API accepts."""

from django.test import TestCase

from partners.models import Network

from ..learningcity.utils import make_portal
from ..partners.factories import MunicipalityFactory

URL = "/api/v3/terms/"


class TermListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        MunicipalityFactory(code="gent", name="Gent")
        Network.objects.create(name="Leesbevorderingsnetwerk", slug="lezen", locale=cls.locales["nl"])

    def test_lists_per_listing_and_parameter_in_dutch_by_default(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        terms = response.json()
        self.assertEqual(list(terms), ["partners", "childcentres", "events"])
        self.assertIn({"code": "library", "label": "Bibliotheek"}, terms["partners"]["kind"])
        self.assertIn({"code": "gent", "label": "Gent"}, terms["partners"]["municipality"])
        self.assertIn({"code": "lezen", "label": "Leesbevorderingsnetwerk"}, terms["partners"]["network"])
        self.assertEqual(
            terms["events"]["free"], [{"code": "true", "label": "Gratis"}, {"code": "false", "label": "Betalend"}]
        )
        self.assertIn("theme", terms["events"])
        self.assertIn("service", terms["childcentres"])
        # Filters without a fixed list are not term lists.
        for name in ("q", "from", "to", "sdg", "organiser"):
            self.assertNotIn(name, terms["events"])

    def test_labels_follow_locale(self):
        kinds = {
            term["code"]: term["label"] for term in self.client.get(URL, {"locale": "en"}).json()["partners"]["kind"]
        }
        self.assertEqual(kinds["library"], "Library")
        kinds = {
            term["code"]: term["label"] for term in self.client.get(URL, {"locale": "fr"}).json()["partners"]["kind"]
        }
        self.assertNotEqual(kinds["library"], "Library")

    def test_every_listed_value_is_accepted_by_its_endpoint(self):
        terms = self.client.get(URL).json()
        for listing, lists in terms.items():
            for parameter, values in lists.items():
                for term in values:
                    with self.subTest(listing=listing, parameter=parameter, code=term["code"]):
                        response = self.client.get(f"/api/v3/{listing}/", {parameter: term["code"]})
                        self.assertEqual(response.status_code, 200, response.content)

    def test_other_parameters_are_a_400_naming_them(self):
        for query in ({"kind": "library"}, {"limit": "5"}, {"locale": "de"}):
            with self.subTest(query=query):
                response = self.client.get(URL, query)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response["Content-Type"], "application/problem+json")
                self.assertEqual(response.json()["errors"][0]["loc"], ["query", next(iter(query))])
