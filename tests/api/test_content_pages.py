"""Content pages read through Wagtail's pages API: their content, not just their meta data."""

from django.test import TestCase

from learningcity.models import SDGTarget

from ..learningcity.factories import ContentPageFactory, SDGIndexPageFactory
from ..learningcity.utils import make_portal


class ContentPagesAPITests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, _locales = make_portal()
        cls.page = ContentPageFactory(
            parent=cls.home,
            title="Leren in de wijk",
            intro="Waar je in de buurt kunt leren.",
            body=[
                ("heading", {"text": "Samen leren", "level": "h2"}),
                ("paragraph", "<p>Elke <b>wijk</b> heeft een leerpunt.</p>"),
                ("quote", {"quote": "Leren doe je samen.", "attribution": "Een bewoner"}),
            ],
        )
        cls.page.sdg_targets.set(SDGTarget.objects.filter(code__in=["11.3", "4.7"]))
        cls.page.save_revision().publish()
        cls.sdgs = SDGIndexPageFactory(parent=cls.home, intro="De zeventien doelen.")

    def test_a_content_page_carries_its_intro_body_and_sdg_targets(self):
        response = self.client.get(f"/api/v3/pages/{self.page.pk}/")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["intro"], "Waar je in de buurt kunt leren.")
        self.assertEqual([block["type"] for block in data["body"]], ["heading", "paragraph", "quote"])
        self.assertEqual(data["body"][0]["value"], {"text": "Samen leren", "level": "h2"})
        self.assertIn("<b>wijk</b>", data["body"][1]["value"])
        self.assertEqual(data["sdg_target_codes"], ["4.7", "11.3"])

    def test_the_home_and_sdg_pages_carry_their_text(self):
        home = self.client.get(f"/api/v3/pages/{self.home.pk}/").json()
        self.assertEqual(home["city_name"], self.home.city_name)
        self.assertIn("intro", home)
        self.assertEqual(self.client.get(f"/api/v3/pages/{self.sdgs.pk}/").json()["intro"], "De zeventien doelen.")

    def test_the_listing_links_each_page_to_its_detail(self):
        response = self.client.get("/api/v3/pages/", {"type": "learningcity.ContentPage"})
        self.assertEqual(response.status_code, 200, response.content)
        [item] = response.json()["items"]
        self.assertTrue(item["meta"]["detail_url"].endswith(f"/api/v3/pages/{self.page.pk}/"))

    def test_the_document_describes_the_fields(self):
        schemas = self.client.get("/api/v3/openapi.json").json()["components"]["schemas"]
        self.assertIn("body", schemas["ContentPageSchema"]["properties"])
        self.assertIn("intro", schemas["ContentPageSchema"]["properties"])
