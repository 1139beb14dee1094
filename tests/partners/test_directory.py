import datetime
import json
import re

from django.test import TestCase
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from learningcity.models import SDGTarget
from partners.models import (
    AccessibilityFacility,
    Language,
    PartnerKind,
    PartnerPage,
    PartnershipParticipant,
    Sector,
)
from partners.structured_data import schema_type

from ..learningcity.utils import make_portal, sync_translation
from .factories import (
    MunicipalityFactory,
    NetworkFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    PartnershipFactory,
)

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(response) -> dict:
    return json.loads(JSON_LD.search(response.content.decode()).group(1))


def titles(response) -> list[str]:
    return [page.title for page in response.context["results"]]


class DirectoryFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.directory = PartnerIndexPageFactory(parent=cls.home)
        cls.noordveld = MunicipalityFactory(name="Noordveld", code="gm0901")
        cls.zuidwaard = MunicipalityFactory(name="Zuidwaard", code="gm0902")
        cls.stem = NetworkFactory(name="STEM-partnerschap", slug="stem")
        cls.platform = NetworkFactory(name="Scholenplatform", slug="scholenplatform")
        cls.library = PartnerPageFactory(
            parent=cls.directory,
            title="Bibliotheek Noordveld",
            kind=PartnerKind.LIBRARY,
            sector=Sector.GOVERNMENT,
            municipality=cls.noordveld,
            summary="Lezen, leren en ontmoeten.",
        )
        cls.school = PartnerPageFactory(
            parent=cls.directory,
            title="Basisschool De Linde",
            kind=PartnerKind.PRIMARY_SCHOOL,
            sector=Sector.EDUCATION,
            municipality=cls.zuidwaard,
            is_aspnet_member=True,
            aspnet_since=2019,
            summary="Een UNESCO-school voor wereldburgerschap.",
        )
        cls.company = PartnerPageFactory(
            parent=cls.directory,
            title="Technobedrijf Waal",
            kind=PartnerKind.BUSINESS,
            sector=Sector.BUSINESS,
            municipality=cls.zuidwaard,
            is_gnlc_member=True,
        )
        cls.library.languages.set(Language.objects.filter(code__in=["nl", "ar"]))
        cls.library.accessibility.set(AccessibilityFacility.objects.filter(code__in=["step-free", "induction-loop"]))
        cls.library.sdg_targets.set(SDGTarget.objects.filter(code="4.6"))
        cls.library.save()
        cls.school.languages.set(Language.objects.filter(code="nl"))
        cls.school.accessibility.set(AccessibilityFacility.objects.filter(code="step-free"))
        cls.school.networks.set([cls.platform, cls.stem])
        cls.school.sdg_targets.set(SDGTarget.objects.filter(code__in=["4.7", "11.3"]))
        cls.school.save()
        cls.company.networks.set([cls.stem])
        cls.company.languages.set(Language.objects.filter(code="en"))
        cls.company.sdg_targets.set(SDGTarget.objects.filter(code="8.6"))
        cls.company.save()
        sync_translation(cls.directory, cls.locales["en"])
        cls.url = "/nl/partners/"

    def get(self, query=""):
        return self.client.get(f"{self.url}?{query}" if query else self.url)

    def test_directory_lists_every_live_partner_alphabetically(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(titles(response), ["Basisschool De Linde", "Bibliotheek Noordveld", "Technobedrijf Waal"])
        self.assertContains(response, "3 partners gevonden")

    def test_each_filter_keeps_only_matching_partners(self):
        cases = [
            ("kind=library", ["Bibliotheek Noordveld"]),
            ("sector=education", ["Basisschool De Linde"]),
            ("municipality=gm0902", ["Basisschool De Linde", "Technobedrijf Waal"]),
            ("sdg=4", ["Basisschool De Linde", "Bibliotheek Noordveld"]),
            ("sdg=4.7", ["Basisschool De Linde"]),
            ("sdg=11", ["Basisschool De Linde"]),
            ("membership=aspnet", ["Basisschool De Linde"]),
            ("membership=gnlc", ["Technobedrijf Waal"]),
            ("network=stem", ["Basisschool De Linde", "Technobedrijf Waal"]),
            ("network=scholenplatform", ["Basisschool De Linde"]),
            ("language=ar", ["Bibliotheek Noordveld"]),
            ("accessibility=induction-loop", ["Bibliotheek Noordveld"]),
            ("accessibility=step-free", ["Basisschool De Linde", "Bibliotheek Noordveld"]),
        ]
        for query, expected in cases:
            with self.subTest(query=query):
                response = self.get(query)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(titles(response), expected)

    def test_repeated_values_of_one_parameter_are_ored(self):
        cases = [
            ("kind=library&kind=business", ["Bibliotheek Noordveld", "Technobedrijf Waal"]),
            ("membership=aspnet&membership=gnlc", ["Basisschool De Linde", "Technobedrijf Waal"]),
            ("language=ar&language=en", ["Bibliotheek Noordveld", "Technobedrijf Waal"]),
            ("sdg=4.6&sdg=8", ["Bibliotheek Noordveld", "Technobedrijf Waal"]),
        ]
        for query, expected in cases:
            with self.subTest(query=query):
                self.assertEqual(titles(self.get(query)), expected)

    def test_a_partner_matching_two_values_is_listed_once(self):
        response = self.get("network=stem&network=scholenplatform&accessibility=step-free&language=nl")
        self.assertEqual(titles(response), ["Basisschool De Linde"])
        self.assertEqual(response.context["result_count"], 1)

    def test_different_parameters_are_anded(self):
        cases = [
            ("municipality=gm0902&network=stem", ["Basisschool De Linde", "Technobedrijf Waal"]),
            ("municipality=gm0902&network=stem&membership=aspnet", ["Basisschool De Linde"]),
            ("kind=library&municipality=gm0902", []),
            ("sdg=4&accessibility=induction-loop", ["Bibliotheek Noordveld"]),
        ]
        for query, expected in cases:
            with self.subTest(query=query):
                self.assertEqual(titles(self.get(query)), expected)

    def test_search_finds_partners_by_words_in_their_summary(self):
        self.assertEqual(titles(self.get("q=wereldburgerschap")), ["Basisschool De Linde"])
        self.assertEqual(titles(self.get("q=wereldburgerschap&kind=library")), [])

    def test_blank_values_from_the_form_mean_no_filter(self):
        response = self.get("q=&kind=&sdg=")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(titles(response)), 3)

    def test_invalid_values_are_a_400_naming_the_parameter_and_allowed_values(self):
        cases = [
            ("kind=castle", "kind", "primary-school"),
            ("sector=army", "sector", "civil-society"),
            ("municipality=gm9999", "municipality", "gm0901"),
            ("sdg=18", "sdg", "4.7"),
            ("sdg=4.z", "sdg", "4.7"),
            ("membership=unicef", "membership", "aspnet, gnlc"),
            ("network=unknown", "network", "scholenplatform"),
            ("language=xx", "language", "nl"),
            ("accessibility=lift", "accessibility", "step-free"),
        ]
        for query, parameter, allowed in cases:
            with self.subTest(query=query):
                response = self.get(query)
                self.assertEqual(response.status_code, 400)
                self.assertIn(parameter, response.context["filter_errors"])
                message = " ".join(response.context["filter_errors"][parameter])
                self.assertIn(allowed, message)
                self.assertContains(response, f"<code>{parameter}</code>", status_code=400)
                self.assertEqual(response.context["result_count"], 0)

    def test_unknown_parameter_is_a_400(self):
        response = self.get("colour=blue")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(response.context["filter_errors"]), ["colour"])

    def test_the_400_page_shows_the_form_with_the_error(self):
        response = self.client.get("/en/partners/?kind=castle")
        self.assertContains(response, 'role="alert"', status_code=400)
        self.assertContains(response, "castle is not allowed. Allowed values:", status_code=400)
        self.assertContains(response, '<form class="filters" method="get"', status_code=400)

    def test_filter_form_keeps_the_chosen_filters_checked(self):
        response = self.get("kind=library&membership=aspnet&q=lezen")
        self.assertContains(response, 'name="kind" value="library" id="id_kind_6" checked')
        self.assertContains(response, 'name="membership" value="aspnet" id="id_membership_0" checked')
        self.assertContains(response, 'name="q" id="id_q" value="lezen"')

    def test_a_chip_removes_its_filter_and_keeps_the_others(self):
        response = self.get("kind=library&membership=aspnet&q=lezen")
        chips = {f"{chip.label}: {chip.value}": chip.url for chip in response.context["filter_chips"]}
        self.assertEqual(
            chips,
            {
                "Soort organisatie: Bibliotheek": "/nl/partners/?membership=aspnet&q=lezen",
                "Lidmaatschap: UNESCO-school (ASPnet)": "/nl/partners/?kind=library&q=lezen",
                "Zoeken: “lezen”": "/nl/partners/?kind=library&membership=aspnet",
            },
        )
        self.assertContains(response, 'href="/nl/partners/">Wis alle filters</a>')
        without_kind = self.client.get(chips["Soort organisatie: Bibliotheek"])
        self.assertEqual(
            [f"{chip.label}: {chip.value}" for chip in without_kind.context["filter_chips"]],
            ["Lidmaatschap: UNESCO-school (ASPnet)", "Zoeken: “lezen”"],
        )
        self.assertNotContains(without_kind, 'name="kind" value="library" id="id_kind_6" checked')

    def test_empty_state_offers_to_clear_the_filters(self):
        response = self.client.get("/en/partners/?kind=museum")
        self.assertContains(response, "No partners match these filters.")
        self.assertContains(response, "Clear all filters")


class DirectoryLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.directory = PartnerIndexPageFactory(parent=cls.home)
        cls.partner = PartnerPageFactory(
            parent=cls.directory,
            title="Bibliotheek Noordveld",
            kind=PartnerKind.LIBRARY,
            street="Marktplein 1",
            postcode="9000",
            municipality=MunicipalityFactory(name="Noordveld", code="gm0901"),
            latitude="51.054300",
            longitude="3.717400",
            email="info@bib.example",
            summary="Lezen </script><b>en</b> leren.",
        )
        for code in ("en", "fr"):
            sync_translation(cls.directory, cls.locales[code])
            sync_translation(cls.partner, cls.locales[code])

    def test_directory_renders_in_each_language_with_its_own_partners(self):
        for code in ("nl", "en", "fr"):
            with self.subTest(language=code):
                response = self.client.get(f"/{code}/partners/")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f'<html lang="{code}">')
                [partner] = response.context["results"]
                self.assertEqual(partner.locale.language_code, code)

    def test_interface_is_english_in_english(self):
        response = self.client.get("/en/partners/")
        self.assertContains(response, "Filter the partners")
        self.assertContains(response, "<legend>Kind of organisation</legend>", html=True)
        self.assertContains(response, "1 partner found")

    def test_search_only_finds_partners_in_the_requests_language(self):
        response = self.client.get("/fr/partners/?q=Noordveld")
        [partner] = response.context["results"]
        self.assertEqual(partner.locale.language_code, "fr")

    def test_partner_page_json_ld_describes_a_library_with_address_and_geo(self):
        for code in ("nl", "en", "fr"):
            with self.subTest(language=code):
                response = self.client.get(f"/{code}/partners/{self.partner.slug}/")
                self.assertContains(response, f'<html lang="{code}">')
                data = json_ld(response)
                self.assertEqual(data["@context"], "https://schema.org")
                self.assertEqual(data["@type"], "Library")
                self.assertEqual(data["name"], "Bibliotheek Noordveld")
                self.assertEqual(data["url"], f"http://testserver/{code}/partners/{self.partner.slug}/")
                self.assertEqual(
                    data["address"],
                    {
                        "@type": "PostalAddress",
                        "streetAddress": "Marktplein 1",
                        "postalCode": "9000",
                        "addressLocality": "Noordveld",
                        "addressCountry": "BE",
                    },
                )
                self.assertEqual(data["geo"], {"@type": "GeoCoordinates", "latitude": 51.0543, "longitude": 3.7174})
                self.assertEqual(data["email"], "info@bib.example")

    def test_json_ld_cannot_close_its_script_element(self):
        response = self.client.get(f"/nl/partners/{self.partner.slug}/")
        self.assertNotContains(response, "Lezen </script>")
        self.assertEqual(json_ld(response)["description"], "Lezen </script><b>en</b> leren.")

    def test_directory_json_ld_lists_the_partners_shown(self):
        data = json_ld(self.client.get("/en/partners/"))
        self.assertEqual(data["@type"], "ItemList")
        self.assertEqual(
            data["itemListElement"],
            [
                {
                    "@type": "ListItem",
                    "position": 1,
                    "url": f"http://testserver/en/partners/{self.partner.slug}/",
                    "name": "Bibliotheek Noordveld",
                }
            ],
        )


class SchemaTypeTests(TestCase):
    def test_schools_libraries_and_childcare_get_their_own_schema_type(self):
        cases = [
            (PartnerKind.PRIMARY_SCHOOL, "School"),
            (PartnerKind.ADULT_EDUCATION, "School"),
            (PartnerKind.LIBRARY, "Library"),
            (PartnerKind.CHILDCARE, "ChildCare"),
            (PartnerKind.SPORTS_LEISURE, "Organization"),
            (PartnerKind.OTHER, "Organization"),
        ]
        for kind, expected in cases:
            with self.subTest(kind=kind):
                self.assertEqual(schema_type(PartnerPage(kind=kind)), expected)


class PartnerPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.directory = PartnerIndexPageFactory(parent=cls.home)
        cls.school = PartnerPageFactory(
            parent=cls.directory,
            title="Basisschool De Linde",
            kind=PartnerKind.PRIMARY_SCHOOL,
            sector=Sector.EDUCATION,
            is_aspnet_member=True,
            aspnet_since=2019,
            phone="+32 9 123 45 67",
            website="https://delinde.example",
        )
        cls.library = PartnerPageFactory(parent=cls.directory, title="Bibliotheek Noordveld")
        cls.network = NetworkFactory(name="Regionaal scholenplatform", slug="scholenplatform")
        cls.english_network = sync_translation(cls.network, cls.locales["en"])
        cls.english_network.name = "Regional school platform"
        cls.english_network.save()
        cls.school.networks.set([cls.network])
        cls.school.languages.set(Language.objects.filter(code__in=["nl", "tr"]))
        cls.school.accessibility.set(AccessibilityFacility.objects.filter(code="low-stimulus"))
        cls.school.sdg_targets.set(SDGTarget.objects.filter(code="4.7"))
        cls.school.save_revision().publish()
        cls.school.opening_hours.create(
            first_day=0, last_day=4, opens=datetime.time(8, 30), closes=datetime.time(16, 0), sort_order=0
        )
        cls.school.opening_hours_exceptions.create(date=datetime.date(2099, 12, 25), closed=True, sort_order=0)
        cls.partnership = PartnershipFactory(
            title="Scholenband met Kisumu", start_date=datetime.date(2021, 9, 1), locale=cls.locales["nl"]
        )
        PartnershipParticipant.objects.create(partnership=cls.partnership, partner=cls.school, sort_order=0)
        PartnershipParticipant.objects.create(partnership=cls.partnership, partner=cls.library, sort_order=1)
        PartnershipParticipant.objects.create(
            partnership=cls.partnership,
            external_name="Kisumu Primary School",
            external_city="Kisumu",
            external_country="Kenya",
            sort_order=2,
        )
        for code in ("en", "fr"):
            sync_translation(cls.directory, cls.locales[code])
            sync_translation(cls.school, cls.locales[code])
        cls.english_library = sync_translation(cls.library, cls.locales["en"])

    def test_partner_page_shows_contact_hours_languages_accessibility_and_memberships(self):
        response = self.client.get(f"/en/partners/{self.school.slug}/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, '<a href="tel:+3291234567">+32 9 123 45 67</a>', html=True)
        self.assertContains(response, "Monday to Friday")
        self.assertContains(response, "08:30")
        self.assertContains(response, '<time datetime="2099-12-25">')
        self.assertContains(response, "closed")
        self.assertContains(response, "<li>Turkish</li>", html=True)
        self.assertContains(response, "<li>Low-stimulus space</li>", html=True)
        self.assertContains(response, "UNESCO Associated School (ASPnet) since 2019")
        self.assertContains(response, "Target 4.7")

    def test_networks_are_shown_in_the_visitors_language(self):
        self.assertContains(self.client.get(f"/en/partners/{self.school.slug}/"), "Regional school platform")
        self.assertContains(self.client.get(f"/nl/partners/{self.school.slug}/"), "Regionaal scholenplatform")

    def test_partnership_lists_the_other_partners_including_one_abroad(self):
        response = self.client.get(f"/en/partners/{self.school.slug}/")
        self.assertContains(response, "Scholenband met Kisumu")
        self.assertContains(response, "Kisumu Primary School (Kisumu, Kenya)")
        self.assertContains(
            response, f'<a href="/en/partners/{self.english_library.slug}/">{self.english_library.title}</a>', html=True
        )
        [partnership] = response.context["partnerships"]
        self.assertEqual(len(partnership.other_participants), 2)

    def test_partnership_is_shown_on_every_participants_page(self):
        response = self.client.get(f"/nl/partners/{self.library.slug}/")
        self.assertContains(response, "Scholenband met Kisumu")
        self.assertContains(response, f'<a href="/nl/partners/{self.school.slug}/">', html=False)

    def test_partner_without_translation_of_a_partner_links_to_the_original(self):
        response = self.client.get(f"/fr/partners/{self.school.slug}/")
        self.assertContains(response, '<html lang="fr">')
        self.assertContains(response, f'<a href="/nl/partners/{self.library.slug}/">')

    def test_json_ld_of_a_school_is_a_school(self):
        data = json_ld(self.client.get(f"/en/partners/{self.school.slug}/"))
        self.assertEqual(data["@type"], "School")
        self.assertEqual(data["telephone"], "+32 9 123 45 67")
        self.assertEqual(data["sameAs"], ["https://delinde.example"])
        self.assertEqual(data["knowsLanguage"], ["nl", "tr"])
        self.assertNotIn("geo", data)


class DirectoryPaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.directory = PartnerIndexPageFactory(parent=cls.home)
        for number in range(25):
            PartnerPageFactory(parent=cls.directory, title=f"Bibliotheek {number:02d}", kind=PartnerKind.LIBRARY)
        for number in range(3):
            PartnerPageFactory(parent=cls.directory, title=f"Museum {number:02d}", kind=PartnerKind.MUSEUM)

    def test_pagination_links_keep_the_filters(self):
        response = self.client.get("/nl/partners/?kind=library")
        self.assertEqual(response.context["result_count"], 25)
        self.assertEqual(len(response.context["results"]), 20)
        self.assertContains(response, 'href="?kind=library&amp;page=2"')
        page_two = self.client.get("/nl/partners/?kind=library&page=2")
        self.assertEqual(titles(page_two), [f"Bibliotheek {n}" for n in range(20, 25)])
        self.assertContains(page_two, 'href="?kind=library&amp;page=1"')

    def test_a_page_number_beyond_the_last_shows_the_last_page(self):
        response = self.client.get("/nl/partners/?page=99")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["page_obj"].number, 2)


class DirectoryQueryCountTests(TestCase):
    """Rendering the directory costs the same number of queries for 5 partners as for 50."""

    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.image = Image.objects.create(title="Logo", file=get_test_image_file())
        cls.network = NetworkFactory()

    def make_directory(self, slug, count):
        directory = PartnerIndexPageFactory(parent=self.home, slug=slug, title=slug)
        targets = list(SDGTarget.objects.filter(code__in=["4.7", "11.3"]))
        languages = list(Language.objects.filter(code__in=["nl", "fr"]))
        for number in range(count):
            partner = PartnerPageFactory(
                parent=directory, image=self.image, image_alt_text="Logo", is_aspnet_member=number % 2 == 0
            )
            partner.sdg_targets.set(targets)
            partner.languages.set(languages)
            partner.networks.set([self.network])
            partner.save()
        return directory

    def count_queries(self, url) -> int:
        self.client.get(url)  # generate the image renditions once
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_directory_query_count_does_not_grow_with_the_partners_shown(self):
        self.make_directory("five", 5)
        self.make_directory("fifty", 50)
        five = self.count_queries("/nl/five/")
        self.client.get("/nl/fifty/")
        with self.assertNumQueries(five):
            response = self.client.get("/nl/fifty/")
        self.assertEqual(len(response.context["results"]), 20)
        with self.assertNumQueries(five):
            self.client.get("/nl/fifty/?page=3")

    def test_filtered_directory_query_count_does_not_grow_with_the_partners_shown(self):
        self.make_directory("five", 5)
        self.make_directory("fifty", 50)
        query = "?sdg=4&language=nl&network=" + self.network.slug
        five = self.count_queries("/nl/five/" + query)
        self.client.get("/nl/fifty/" + query)
        with self.assertNumQueries(five):
            response = self.client.get("/nl/fifty/" + query)
        self.assertEqual(response.context["result_count"], 50)
