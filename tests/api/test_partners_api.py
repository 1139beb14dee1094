"""``/api/v3/partners/`` and ``/api/v3/childcentres/``: the directory's FilterSets, one item per organisation."""

from django.test import TestCase

from learningcity.models import SDGTarget
from partners.models import Language, PartnerKind

from ..learningcity.utils import make_portal, sync_translation
from ..partners.factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    MunicipalityFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)

PARTNERS = "/api/v3/partners/"
CHILDCENTRES = "/api/v3/childcentres/"


class PartnersAPITests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.directory = PartnerIndexPageFactory(parent=cls.home)
        cls.noordveld = MunicipalityFactory(name="Noordveld", code="gm0901")
        cls.library = PartnerPageFactory(
            parent=cls.directory,
            title="Bibliotheek Noordveld",
            kind=PartnerKind.LIBRARY,
            municipality=cls.noordveld,
            latitude="51.054300",
            longitude="3.717400",
            is_aspnet_member=False,
            is_gnlc_member=True,
        )
        cls.library.languages.set(Language.objects.filter(code__in=["nl", "ar"]))
        cls.library.sdg_targets.set(SDGTarget.objects.filter(code__in=["4.7", "11.3"]))
        cls.library.save_revision().publish()
        cls.school = PartnerPageFactory(parent=cls.directory, title="Basisschool De Linde", kind="primary-school")
        sync_translation(cls.directory, cls.locales["en"])
        cls.library_en = sync_translation(cls.library, cls.locales["en"])
        cls.library_en.title = "Noordveld Library"
        cls.library_en.save_revision().publish()

    def test_lists_one_item_per_organisation_in_the_requested_language_falling_back_to_the_source(self):
        response = self.client.get(PARTNERS, {"locale": "en"})
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["count"], 2)
        by_id = {item["id"]: item for item in data["items"]}
        library = by_id[str(self.library.translation_key)]
        self.assertEqual(library["title"], "Noordveld Library")
        self.assertEqual(library["locale"], "en")
        self.assertEqual(library["page_id"], self.library_en.pk)
        self.assertTrue(library["url"].endswith("/en/partners/" + self.library.slug + "/"), library["url"])
        school = by_id[str(self.school.translation_key)]
        self.assertEqual((school["title"], school["locale"]), ("Basisschool De Linde", "nl"))

    def test_item_carries_address_coordinates_memberships_and_sdg(self):
        item = next(
            i for i in self.client.get(PARTNERS).json()["items"] if i["id"] == str(self.library.translation_key)
        )
        self.assertEqual(item["address"]["municipality"], {"code": "gm0901", "name": "Noordveld"})
        self.assertEqual(item["coordinates"], {"latitude": "51.054300", "longitude": "3.717400"})
        self.assertEqual(item["memberships"], ["gnlc"])
        self.assertEqual(sorted(item["languages"]), ["ar", "nl"])
        self.assertEqual(item["sdg"], {"goals": [4, 11], "targets": ["4.7", "11.3"]})
        self.assertEqual(item["kind"], "library")

    def test_filters_are_the_directorys(self):
        response = self.client.get(PARTNERS, {"kind": "library", "sdg": "11"})
        self.assertEqual([i["title"] for i in response.json()["items"]], ["Bibliotheek Noordveld"])
        response = self.client.get(PARTNERS, {"municipality": "gm0901", "kind": "primary-school"})
        self.assertEqual(response.json()["count"], 0)

    def test_language_follows_locale_never_accept_language(self):
        response = self.client.get(PARTNERS, HTTP_ACCEPT_LANGUAGE="en")
        titles = [item["title"] for item in response.json()["items"]]
        self.assertIn("Bibliotheek Noordveld", titles)

    def test_unknown_and_invalid_parameters_are_a_problem_naming_each(self):
        response = self.client.get(PARTNERS, {"kind": "castle", "colour": "red", "locale": "de", "limit": "0"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        named = {tuple(error["loc"]) for error in response.json()["errors"]}
        self.assertEqual(named, {("query", "kind"), ("query", "colour"), ("query", "locale"), ("query", "limit")})

    def test_limit_above_the_maximum_and_page_are_rejected(self):
        for params in ({"limit": "101"}, {"page": "2"}, {"offset": "-1"}, {"limit": "x"}, {"locale": ["en", "fr"]}):
            with self.subTest(params):
                self.assertEqual(self.client.get(PARTNERS, params).status_code, 400)

    def test_limit_and_offset_page_through_in_title_order(self):
        first = self.client.get(PARTNERS, {"limit": 1}).json()
        second = self.client.get(PARTNERS, {"limit": 1, "offset": 1}).json()
        self.assertEqual((first["count"], second["count"]), (2, 2))
        self.assertEqual(
            [first["items"][0]["title"], second["items"][0]["title"]], ["Basisschool De Linde", "Bibliotheek Noordveld"]
        )

    def test_unpublished_partners_are_not_listed(self):
        self.school.unpublish()
        titles = [item["title"] for item in self.client.get(PARTNERS).json()["items"]]
        self.assertEqual(titles, ["Bibliotheek Noordveld"])

    def test_query_count_does_not_grow_with_the_page_size(self):
        for n in range(8):
            partner = PartnerPageFactory(parent=self.directory, title=f"Partner {n:02}")
            partner.languages.set(Language.objects.filter(code="fr"))
            partner.sdg_targets.set(SDGTarget.objects.filter(code="4.1"))
            partner.save_revision().publish()
        self.client.get(PARTNERS, {"limit": 5, "locale": "en"})  # warms Wagtail's cached site root paths
        with self.assertNumQueries(NUM_QUERIES):
            self.assertEqual(len(self.client.get(PARTNERS, {"limit": 5, "locale": "en"}).json()["items"]), 5)
        for n in range(8, 60):
            PartnerPageFactory(parent=self.directory, title=f"Partner {n:02}")
        with self.assertNumQueries(NUM_QUERIES):
            self.assertEqual(len(self.client.get(PARTNERS, {"limit": 50, "locale": "en"}).json()["items"]), 50)


NUM_QUERIES = 10


class ChildCentresAPITests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.school = PartnerPageFactory(parent=directory, title="Basisschool De Linde", kind="primary-school")
        listing = ChildCentreIndexPageFactory(parent=cls.home)
        cls.centre = ChildCentrePageFactory(parent=listing, title="IKC De Linde", min_age_months=3, max_age_months=48)
        cls.centre.member_partners.set([cls.school])
        cls.centre.save_revision().publish()
        cls.older = ChildCentrePageFactory(parent=listing, title="IKC Beekdonk", min_age_months=48)
        cls.listing = listing

    def test_items_carry_ages_and_member_partners(self):
        response = self.client.get(CHILDCENTRES, {"age": "2"})
        self.assertEqual(response.status_code, 200)
        (item,) = response.json()["items"]
        self.assertEqual((item["min_age_months"], item["max_age_months"]), (3, 48))
        self.assertEqual([p["title"] for p in item["member_partners"]], ["Basisschool De Linde"])
        self.assertEqual(item["member_partners"][0]["id"], str(self.school.translation_key))

    def test_invalid_age_is_a_problem(self):
        response = self.client.get(CHILDCENTRES, {"age": "13"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"][0]["loc"], ["query", "age"])

    def test_query_count_does_not_grow_with_the_page_size(self):
        def get(limit):
            return self.client.get(CHILDCENTRES, {"limit": limit, "locale": "fr"})

        for n in range(6):
            centre = ChildCentrePageFactory(parent=self.listing, title=f"IKC {n:02}")
            centre.member_partners.set([self.school])
            centre.save_revision().publish()
        get(5)  # warms Wagtail's cached site root paths
        with self.assertNumQueries(CHILDCENTRE_QUERIES):
            self.assertEqual(len(get(5).json()["items"]), 5)
        for n in range(6, 60):
            ChildCentrePageFactory(parent=self.listing, title=f"IKC {n:02}")
        with self.assertNumQueries(CHILDCENTRE_QUERIES):
            self.assertEqual(len(get(50).json()["items"]), 50)


CHILDCENTRE_QUERIES = 11
