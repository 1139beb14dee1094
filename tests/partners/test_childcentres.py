import json
import re

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from learningcity.models import SDGTarget
from partners.filters import ChildCentreFilterSet
from partners.models import ChildCentrePage, ChildCentreService, PartnerKind
from partners.models.childcentres import describe_age_range

from ..learningcity.utils import make_portal, sync_translation
from .factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    MunicipalityFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def titles(response) -> list[str]:
    return [page.title for page in response.context["results"]]


class ChildCentreFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.listing = ChildCentreIndexPageFactory(parent=cls.home)
        cls.noordveld = MunicipalityFactory(name="Noordveld", code="gm0901")
        cls.zuidwaard = MunicipalityFactory(name="Zuidwaard", code="gm0902")
        # Babies from 3 months up to 3 years 11 months.
        cls.baby = ChildCentrePageFactory(
            parent=cls.listing, title="IKC Dreumes", min_age_months=3, max_age_months=47, municipality=cls.noordveld
        )
        # From 2 years 6 months up to exactly 12 years.
        cls.school = ChildCentrePageFactory(
            parent=cls.listing,
            title="IKC De Linde",
            min_age_months=30,
            max_age_months=144,
            municipality=cls.zuidwaard,
            summary="Basisonderwijs en buitenschoolse opvang met een moestuin.",
        )
        # Only 12-year-olds: 12 years 0 months to 12 years 11 months.
        cls.twelve = ChildCentrePageFactory(
            parent=cls.listing, title="IKC Brugklas", min_age_months=150, max_age_months=155, municipality=cls.zuidwaard
        )
        cls.baby.services.set(ChildCentreService.objects.filter(code__in=["childcare", "parenting-support"]))
        cls.baby.save()
        cls.school.services.set(ChildCentreService.objects.filter(code__in=["primary-education", "out-of-school-care"]))
        cls.school.save()
        cls.twelve.services.set(ChildCentreService.objects.filter(code="out-of-school-care"))
        cls.twelve.save()
        sync_translation(cls.listing, cls.locales["en"])

    def get(self, query=""):
        return self.client.get(f"/nl/kindcentra/?{query}")

    def test_listing_shows_every_centre_with_its_ages_in_words(self):
        response = self.client.get("/en/kindcentra/")
        self.assertEqual(response.status_code, 200)
        response = self.get()
        self.assertEqual(titles(response), ["IKC Brugklas", "IKC De Linde", "IKC Dreumes"])

    def test_age_finds_centres_whose_range_overlaps_that_year_of_life(self):
        cases = [
            ("0", ["IKC Dreumes"]),  # 3 months falls within 0 years 0–11 months
            ("2", ["IKC De Linde", "IKC Dreumes"]),  # 30 months is within 24–35
            ("3", ["IKC De Linde", "IKC Dreumes"]),  # 47 months is within 36–47
            ("4", ["IKC De Linde"]),
            ("11", ["IKC De Linde"]),
            ("12", ["IKC Brugklas", "IKC De Linde"]),  # 144 months is 12 years 0 months
        ]
        for age, expected in cases:
            with self.subTest(age=age):
                response = self.get(f"age={age}")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(titles(response), expected)

    def test_repeated_ages_are_ored(self):
        self.assertEqual(titles(self.get("age=0&age=12")), ["IKC Brugklas", "IKC De Linde", "IKC Dreumes"])

    def test_age_outside_0_to_12_or_not_a_whole_number_is_a_400(self):
        for age in ("13", "-1", "abc", "2.5", "１"):
            with self.subTest(age=age):
                response = self.get(f"age={age}")
                self.assertEqual(response.status_code, 400)
                message = " ".join(response.context["filter_errors"]["age"])
                self.assertIn("0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12", message)

    def test_service_and_municipality_filters(self):
        cases = [
            ("service=childcare", ["IKC Dreumes"]),
            ("service=out-of-school-care", ["IKC Brugklas", "IKC De Linde"]),
            ("service=childcare&service=primary-education", ["IKC De Linde", "IKC Dreumes"]),
            ("municipality=gm0902", ["IKC Brugklas", "IKC De Linde"]),
            ("municipality=gm0902&age=4", ["IKC De Linde"]),
            ("service=out-of-school-care&age=2", ["IKC De Linde"]),
            ("service=childcare&municipality=gm0902", []),
        ]
        for query, expected in cases:
            with self.subTest(query=query):
                self.assertEqual(titles(self.get(query)), expected)

    def test_invalid_service_or_municipality_is_a_400_listing_the_allowed_values(self):
        for query, parameter, allowed in [
            ("service=swimming", "service", "youth-health-care"),
            ("municipality=nowhere", "municipality", "gm0901, gm0902"),
            ("sdg=4", "sdg", "Unknown parameter"),
        ]:
            with self.subTest(query=query):
                response = self.client.get(f"/en/kindcentra/?{query}")
                self.assertEqual(response.status_code, 400)
                self.assertIn(allowed, " ".join(response.context["filter_errors"][parameter]))

    def test_search_finds_centres_by_their_summary(self):
        self.assertEqual(titles(self.get("q=moestuin")), ["IKC De Linde"])

    def test_age_select_keeps_the_chosen_age(self):
        response = self.client.get("/en/kindcentra/?age=4")
        self.assertContains(response, '<option value="4" selected>4 years</option>', html=True)
        self.assertContains(response, "No child centres match these filters.")

    def test_filterset_works_on_any_queryset_for_the_api_and_feeds(self):
        filters = ChildCentreFilterSet(
            {"age": ["0", "12"], "service": "childcare"}, queryset=ChildCentrePage.objects.all()
        )
        self.assertTrue(filters.is_valid())
        self.assertEqual([page.title for page in filters.qs], ["IKC Dreumes"])
        filters = ChildCentreFilterSet({"age": "13"})
        self.assertFalse(filters.is_valid())
        self.assertEqual(list(filters.parameter_errors()), ["age"])


class AgeRangeTests(TestCase):
    def test_ages_are_described_in_years_and_months(self):
        cases = [
            (0, 144, "From birth to 12 years"),
            (3, 47, "From 3 months to 3 years and 11 months"),
            (12, 48, "From 1 year to 4 years"),
            (30, 155, "From 2 years and 6 months to 12 years and 11 months"),
            (0, 1, "From birth to 1 month"),
        ]
        with translation.override("en"):
            for youngest, oldest, expected in cases:
                with self.subTest(youngest=youngest, oldest=oldest):
                    self.assertEqual(describe_age_range(youngest, oldest), expected)


class ChildCentrePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.school = PartnerPageFactory(parent=directory, title="Basisschool De Linde", kind=PartnerKind.PRIMARY_SCHOOL)
        cls.daycare = PartnerPageFactory(parent=directory, title="Kinderopvang Hummel", kind=PartnerKind.CHILDCARE)
        cls.listing = ChildCentreIndexPageFactory(parent=cls.home)
        cls.centre = ChildCentrePageFactory(
            parent=cls.listing,
            title="IKC De Linde",
            min_age_months=3,
            max_age_months=144,
            street="Lindelaan 4",
            postcode="9000",
            municipality=MunicipalityFactory(name="Noordveld", code="gm0901"),
            latitude="51.1",
            longitude="3.7",
            enrolment="<p>Schrijf in via het aanmeldformulier.</p>",
            enrolment_url="https://aanmelden.example/linde",
            registration_number="LRK 123456789",
        )
        cls.centre.services.set(ChildCentreService.objects.filter(code__in=["childcare", "primary-education"]))
        cls.centre.member_partners.set([cls.school, cls.daycare])
        cls.centre.sdg_targets.set(SDGTarget.objects.filter(code__in=["4.2", "10.2"]))
        cls.centre.save_revision().publish()
        sync_translation(directory, cls.locales["en"])
        cls.english_school = sync_translation(cls.school, cls.locales["en"])
        for code in ("en", "fr"):
            sync_translation(cls.listing, cls.locales[code])
            sync_translation(cls.centre, cls.locales[code])

    def test_page_renders_in_each_language_with_the_right_lang(self):
        for code in ("nl", "en", "fr"):
            with self.subTest(language=code):
                response = self.client.get(f"/{code}/kindcentra/{self.centre.slug}/")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f'<html lang="{code}">')

    def test_page_shows_ages_services_enrolment_and_targets(self):
        response = self.client.get(f"/en/kindcentra/{self.centre.slug}/")
        self.assertContains(response, "From 3 months to 12 years")
        self.assertContains(response, "<li>Childcare</li>", html=True)
        self.assertContains(response, "Schrijf in via het aanmeldformulier.")
        self.assertContains(response, 'href="https://aanmelden.example/linde"')
        self.assertContains(response, "LRK 123456789")
        self.assertContains(response, "Target 10.2")

    def test_member_partners_are_linked_in_the_current_language(self):
        response = self.client.get(f"/en/kindcentra/{self.centre.slug}/")
        self.assertContains(response, f'<a href="/en/partners/{self.english_school.slug}/">', html=False)
        # Not translated into English: linked in Dutch rather than left out.
        self.assertContains(response, f'<a href="/nl/partners/{self.daycare.slug}/">Kinderopvang Hummel</a>', html=True)

    def test_json_ld_is_childcare_with_address_and_geo(self):
        response = self.client.get(f"/fr/kindcentra/{self.centre.slug}/")
        data = json.loads(JSON_LD.search(response.content.decode()).group(1))
        self.assertEqual(data["@type"], "ChildCare")
        self.assertEqual(data["name"], "IKC De Linde")
        self.assertEqual(data["address"]["streetAddress"], "Lindelaan 4")
        self.assertEqual(data["address"]["addressLocality"], "Noordveld")
        self.assertEqual(data["geo"], {"@type": "GeoCoordinates", "latitude": 51.1, "longitude": 3.7})

    def test_listing_json_ld_lists_the_centres(self):
        response = self.client.get("/en/kindcentra/")
        data = json.loads(JSON_LD.search(response.content.decode()).group(1))
        self.assertEqual(data["@type"], "ItemList")
        self.assertEqual([item["name"] for item in data["itemListElement"]], ["IKC De Linde"])


class ChildCentreQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        services = list(ChildCentreService.objects.filter(code__in=["childcare", "pre-school"]))
        for slug, count in (("five", 5), ("fifty", 50)):
            listing = ChildCentreIndexPageFactory(parent=cls.home, slug=slug, title=slug)
            for _number in range(count):
                centre = ChildCentrePageFactory(parent=listing)
                centre.services.set(services)
                centre.save()

    def test_listing_query_count_does_not_grow_with_the_centres_shown(self):
        for query in ("", "?age=3&service=childcare"):
            with self.subTest(query=query):
                self.client.get("/nl/five/" + query)  # warm the per-process caches (site root paths)
                with CaptureQueriesContext(connection) as five:
                    self.client.get("/nl/five/" + query)
                with self.assertNumQueries(len(five)):
                    response = self.client.get("/nl/fifty/" + query)
                self.assertEqual(len(response.context["results"]), 20)
