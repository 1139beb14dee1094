"""``/api/v3/partners/{id}/`` and ``/api/v3/childcentres/{id}/``: what the pages show, in the ``locale`` language."""

import uuid
from datetime import time, timedelta

import wagtail_factories
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from learningcity.models import SDGTarget
from partners.models import (
    AccessibilityFacility,
    ChildCentreOpeningHours,
    ChildCentreOpeningHoursException,
    ChildCentreService,
    Language,
    PartnerKind,
    PartnerOpeningHours,
    PartnerOpeningHoursException,
    PartnershipParticipant,
    Sector,
)

from ..learningcity.factories import HomePageFactory
from ..learningcity.utils import make_portal, sync_translation
from ..partners.factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    MunicipalityFactory,
    NetworkFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    PartnershipFactory,
)

PARTNERS = "/api/v3/partners/"
CHILDCENTRES = "/api/v3/childcentres/"


def publish(page):
    with TestCase.captureOnCommitCallbacks(execute=True):
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def partnership_with(partners, title, *, external=(), **fields):
    """A partnership of directory ``partners`` and ``external`` (name, city, country) organisations."""
    partnership = PartnershipFactory(title=title, **fields)
    partnership.participants = [PartnershipParticipant(partner=partner) for partner in partners] + [
        PartnershipParticipant(external_name=name, external_city=city, external_country=country)
        for name, city, country in external
    ]
    partnership.save()
    return partnership


def filled_partner(directory, *, other, municipality, network):
    """A library with every field its page shows, and an exception to its hours in ten days."""
    soon = timezone.localdate() + timedelta(days=10)
    library = PartnerPageFactory(
        parent=directory,
        title="Bibliotheek Noordveld",
        kind=PartnerKind.LIBRARY,
        sector=Sector.GOVERNMENT,
        summary="De bibliotheek van Noordveld: lezen, leren en ontmoeten.",
        street="Kerkstraat 1",
        postcode="9000",
        municipality=municipality,
        latitude="51.054300",
        longitude="3.717400",
        email="info@bib.example.org",
        phone="+32 9 123 45 67",
        website="https://bib.example.org/",
        is_gnlc_member=True,
        image=wagtail_factories.ImageFactory(title="Gevel", file__width=640, file__height=480),
        image_alt_text="De gevel van de bibliotheek",
        body=[
            ("heading", {"text": "Wat we doen", "level": "h2"}),
            ("paragraph", f'<p>Samen met <a linktype="page" id="{other.pk}">De Linde</a> lezen we voor.</p>'),
            ("quote", {"quote": "Lezen opent deuren.", "attribution": "De bibliothecaris"}),
        ],
    )
    library.opening_hours = [
        PartnerOpeningHours(first_day=0, last_day=4, opens=time(9), closes=time(17)),
        PartnerOpeningHours(first_day=5, last_day=5, opens=time(10), closes=time(12, 30)),
    ]
    library.opening_hours_exceptions = [
        PartnerOpeningHoursException(date=soon, closed=True),
        PartnerOpeningHoursException(date=soon + timedelta(days=1), closed=False, opens=time(13), closes=time(16)),
        PartnerOpeningHoursException(date=timezone.localdate() - timedelta(days=3), closed=True),  # past: not shown
    ]
    library.languages.set(Language.objects.filter(code__in=["nl", "ar"]))
    library.accessibility.set(AccessibilityFacility.objects.filter(code__in=["step-free", "induction-loop"]))
    library.sdg_targets.set(SDGTarget.objects.filter(code__in=["4.7", "11.3"]))
    library.networks.set([network])
    return publish(library)


def filled_centre(listing, *, members, linked):
    """A child centre with every field its page shows; its description links to ``linked``."""
    centre = ChildCentrePageFactory(
        parent=listing,
        title="IKC De Linde",
        summary="Opvang en school onder één dak.",
        min_age_months=3,
        max_age_months=144,
        capacity=120,
        registration_number="LRK 123456789",
        enrolment_url="https://linde.example.org/inschrijven",
        body=f'<h2>Ons huis</h2><p>Zie ook <a linktype="page" id="{linked.pk}">de school</a>.</p>',
        enrolment="<p>Schrijf in <b>vóór 1 maart</b>.</p>",
        street="Lindelaan 4",
        postcode="9000",
        email="ikc@linde.example.org",
        phone="09 234 56 78",
    )
    centre.opening_hours = [ChildCentreOpeningHours(first_day=0, last_day=4, opens=time(7), closes=time(18, 30))]
    centre.opening_hours_exceptions = [
        ChildCentreOpeningHoursException(date=timezone.localdate() + timedelta(days=5), closed=True)
    ]
    centre.services.set(ChildCentreService.objects.filter(code__in=["childcare", "primary-education"]))
    centre.member_partners.set(members)
    centre.languages.set(Language.objects.filter(code__in=["nl", "tr"]))
    centre.accessibility.set(AccessibilityFacility.objects.filter(code="step-free"))
    centre.sdg_targets.set(SDGTarget.objects.filter(code__in=["4.2", "10.2"]))
    return publish(centre)


class PartnerDetailTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.directory = PartnerIndexPageFactory(parent=cls.home)
        cls.municipality = MunicipalityFactory(name="Noordveld", code="gm0901")
        cls.network = NetworkFactory(name="STEM Noordveld", slug="stem-noordveld", website="https://stem.example.org/")
        network_en = cls.network.copy_for_translation(cls.locales["en"])
        network_en.name = "STEM network Noordveld"
        network_en.save()
        cls.school = PartnerPageFactory(parent=cls.directory, title="Basisschool De Linde", kind="primary-school")
        cls.library = filled_partner(
            cls.directory, other=cls.school, municipality=cls.municipality, network=cls.network
        )
        cls.partnership = partnership_with(
            [cls.library, cls.school],
            "Scholenband met Kigali",
            external=[("École Amahoro", "Kigali", "Rwanda")],
            description='<p>Samen <b>lezen</b> met <a href="https://amahoro.example.org/">Amahoro</a>.</p>',
            agreement=wagtail_factories.DocumentFactory(title="Overeenkomst"),
        )
        cls.partnership.sdg_targets.set(SDGTarget.objects.filter(code="4.7"))
        cls.partnership.save()
        sync_translation(cls.directory, cls.locales["en"])
        cls.library_en = sync_translation(cls.library, cls.locales["en"])
        cls.library_en.title = "Noordveld Library"
        cls.library_en.summary = "Noordveld's library: reading, learning and meeting."
        publish(cls.library_en)

    def get(self, page, **params):
        return self.client.get(f"{PARTNERS}{page.translation_key}/", params)

    def test_the_item_has_the_lists_fields_and_what_the_page_adds(self):
        response = self.get(self.library)
        self.assertEqual(response.status_code, 200, response.content)
        item = response.json()
        listed = next(i for i in self.client.get(PARTNERS).json()["items"] if i["id"] == item["id"])
        for name, value in listed.items():
            with self.subTest(field=name):
                self.assertEqual(item[name], value)
        self.assertEqual(
            (item["id"], item["page_id"], item["locale"]), (str(self.library.translation_key), self.library.pk, "nl")
        )
        self.assertEqual(item["address"]["town"], "Noordveld")
        self.assertEqual(item["contact"]["phone"], "+32 9 123 45 67")
        self.assertEqual(item["labels"]["kind"], "Bibliotheek")
        self.assertEqual(item["labels"]["languages"], {"nl": "Nederlands", "ar": "Arabisch"})
        self.assertEqual(
            item["labels"]["memberships"], {"gnlc": "Lid van het wereldwijde UNESCO-netwerk van lerende steden (GNLC)"}
        )
        self.assertEqual(item["labels"]["sdg_targets"]["4.7"][:20], SDGTarget.objects.get(code="4.7").texts["nl"][:20])
        self.assertEqual(
            item["networks"],
            [
                {
                    "id": str(self.network.translation_key),
                    "code": "stem-noordveld",
                    "name": "STEM Noordveld",
                    "website": "https://stem.example.org/",
                }
            ],
        )

    def test_body_as_the_page_renders_it_with_absolute_links_and_as_streamfield_json(self):
        item = self.get(self.library).json()
        self.assertIn("<h2>Wat we doen</h2>", item["body_html"])
        self.assertIn(f'href="http://testserver{self.school.url}"', item["body_html"])
        self.assertIn("Lezen opent deuren.", item["body_html"])
        self.assertEqual([block["type"] for block in item["body"]], ["heading", "paragraph", "quote"])
        self.assertEqual(item["body"][0]["value"], {"text": "Wat we doen", "level": "h2"})
        self.assertTrue(all(block["id"] for block in item["body"]))

    def test_image_with_its_alt_text_and_renditions(self):
        image = self.get(self.library).json()["image"]
        self.assertEqual(image["alt"], "De gevel van de bibliotheek")
        self.assertEqual(set(image["renditions"]), {"square", "medium", "large"})
        square = image["renditions"]["square"]
        self.assertEqual((square["width"], square["height"]), (160, 160))
        self.assertTrue(square["url"].startswith("http://testserver/"), square["url"])
        self.assertIsNone(self.get(self.school).json()["image"])

    def test_opening_hours_are_schema_org_specifications_with_the_exceptions_from_today_on(self):
        hours = self.get(self.library).json()["opening_hours"]
        soon = timezone.localdate() + timedelta(days=10)
        weekdays = [f"https://schema.org/{day}" for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]
        self.assertEqual(
            hours[0],
            {
                "dayOfWeek": weekdays,
                "opens": "09:00",
                "closes": "17:00",
                "validFrom": None,
                "validThrough": None,
                "closed": False,
            },
        )
        self.assertEqual(hours[1]["dayOfWeek"], ["https://schema.org/Saturday"])
        self.assertEqual((hours[1]["opens"], hours[1]["closes"]), ("10:00", "12:30"))
        closed, short = hours[2:]
        self.assertEqual((closed["validFrom"], closed["validThrough"]), (soon.isoformat(), soon.isoformat()))
        self.assertEqual((closed["opens"], closed["closes"], closed["closed"]), ("00:00", "00:00", True))
        self.assertEqual((short["opens"], short["closes"], short["closed"]), ("13:00", "16:00", False))
        self.assertEqual(len(hours), 4)  # the exception in the past is left out, as on the page

    def test_the_pages_json_ld_carries_the_same_opening_hours(self):
        html = self.client.get(self.library.url).content.decode()
        self.assertIn('"openingHoursSpecification"', html)
        self.assertIn('"dayOfWeek": ["https://schema.org/Monday"', html)

    def test_partnerships_with_participants_as_partner_refs_or_by_name(self):
        (partnership,) = self.get(self.library).json()["partnerships"]
        self.assertEqual(partnership["id"], str(self.partnership.translation_key))
        self.assertEqual(partnership["title"], "Scholenband met Kigali")
        self.assertEqual(partnership["labels"], {"kind": "Schoolpartnerschap Noord–Zuid", "status": "Actief"})
        self.assertIn('href="https://amahoro.example.org/"', partnership["description_html"])
        self.assertTrue(partnership["agreement"]["url"].startswith("http://testserver/documents/"))
        self.assertIsNone(partnership["action_plan"])
        self.assertEqual(partnership["sdg"], {"goals": [4], "targets": ["4.7"]})
        participants = partnership["participants"]
        self.assertEqual(
            [p["name"] for p in participants], ["Bibliotheek Noordveld", "Basisschool De Linde", "École Amahoro"]
        )
        self.assertEqual(participants[1]["partner"]["id"], str(self.school.translation_key))
        self.assertEqual(participants[1]["partner"]["url"], f"http://testserver{self.school.url}")
        self.assertEqual(
            participants[2], {"name": "École Amahoro", "partner": None, "city": "Kigali", "country": "Rwanda"}
        )

    def test_in_the_locale_language_falling_back_to_the_source(self):
        english = self.get(self.library, locale="en").json()
        self.assertEqual(
            (english["title"], english["locale"], english["page_id"]), ("Noordveld Library", "en", self.library_en.pk)
        )
        self.assertEqual(english["networks"][0]["name"], "STEM network Noordveld")
        self.assertEqual(english["labels"]["kind"], "Library")
        self.assertEqual(english["partnerships"][0]["participants"][0]["name"], "Noordveld Library")
        french = self.get(self.library, locale="fr").json()
        self.assertEqual((french["title"], french["locale"]), ("Bibliotheek Noordveld", "nl"))
        self.assertEqual(french["labels"]["kind"], "Bibliothèque")

    def test_unknown_malformed_private_unpublished_and_other_sites_partners_are_404_problems(self):
        draft = PartnerPageFactory(parent=self.directory, title="Nog niet klaar", live=False)
        private = PartnerPageFactory(parent=self.directory, title="Besloten")
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        elsewhere_home = HomePageFactory(parent=self.home.get_parent(), slug="elders", locale=self.locales["nl"])
        Site.objects.create(hostname="localhost", port=80, root_page=elsewhere_home, site_name="Elders")
        elsewhere = PartnerPageFactory(parent=PartnerIndexPageFactory(parent=elsewhere_home), title="Elders")
        for label, path in (
            ("unknown", f"{PARTNERS}{uuid.uuid4()}/"),
            ("malformed", f"{PARTNERS}not-a-uuid/"),
            ("malformed with a NUL", f"{PARTNERS}%00/"),
            ("draft", f"{PARTNERS}{draft.translation_key}/"),
            ("private", f"{PARTNERS}{private.translation_key}/"),
            ("other site", f"{PARTNERS}{elsewhere.translation_key}/"),
            ("a child centre's id", f"{CHILDCENTRES}{self.library.translation_key}/"),
        ):
            with self.subTest(label):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], "application/problem+json")
        response = self.client.get(f"{PARTNERS}{elsewhere.translation_key}/", HTTP_HOST="localhost")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(str(elsewhere.translation_key), str(self.client.get(PARTNERS).json()))

    def test_a_404_speaks_the_locale_language(self):
        response = self.client.get(f"{PARTNERS}{uuid.uuid4()}/", {"locale": "fr"})
        self.assertEqual(response.json()["detail"], "Aucun partenaire avec cet identifiant sur ce site.")

    def test_parameters_other_than_locale_are_a_problem(self):
        for params in ({"limit": "5"}, {"kind": "library"}, {"locale": "de"}, {"offset": "1"}):
            with self.subTest(params):
                response = self.get(self.library, **params)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json()["errors"][0]["loc"], ["query", next(iter(params))])

    def test_query_count_does_not_grow_with_partnerships_networks_and_participants(self):
        def count():
            self.get(self.library, locale="en")  # warms Wagtail's cached site root paths
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.get(self.library, locale="en").status_code, 200)
            return len(captured)

        before = count()
        for n in range(4):
            partner = publish(PartnerPageFactory(parent=self.directory, title=f"Partner {n}"))
            partnership_with([self.library, partner, self.school], f"Samenwerking {n}", external=[("Elders", "", "")])
            self.library.networks.add(NetworkFactory())
        publish(self.library)
        self.assertEqual(count(), before)
        self.assertLessEqual(before, 26)


class ChildCentreDetailTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.school = publish(PartnerPageFactory(parent=directory, title="Basisschool De Linde"))
        cls.daycare = publish(PartnerPageFactory(parent=directory, title="Kinderopvang Olifantje"))
        cls.draft = PartnerPageFactory(parent=directory, title="Nog geen partner", live=False)
        cls.listing = ChildCentreIndexPageFactory(parent=cls.home)
        cls.centre = filled_centre(cls.listing, members=[cls.school, cls.daycare, cls.draft], linked=cls.school)

    def get(self, **params):
        host = params.pop("HTTP_HOST", "testserver")
        return self.client.get(f"{CHILDCENTRES}{self.centre.translation_key}/", params, HTTP_HOST=host)

    def test_the_item_has_the_lists_fields_and_what_the_page_adds(self):
        response = self.get()
        self.assertEqual(response.status_code, 200, response.content)
        item = response.json()
        listed = self.client.get(CHILDCENTRES).json()["items"][0]
        for name, value in listed.items():
            with self.subTest(field=name):
                self.assertEqual(item[name], value)
        self.assertIn("<h2>Ons huis</h2>", item["body_html"])
        self.assertIn(f'href="http://testserver{self.school.url}"', item["body_html"])
        self.assertIn("<b>vóór 1 maart</b>", item["enrolment_html"])
        self.assertEqual(
            item["labels"]["services"], {"childcare": "Kinderopvang", "primary-education": "Basisonderwijs"}
        )
        self.assertEqual(item["labels"]["ages"], "Van 3 maanden tot 12 jaar")
        self.assertEqual(item["opening_hours"][0]["opens"], "07:00")
        self.assertTrue(item["opening_hours"][1]["closed"])
        self.assertEqual(
            [partner["title"] for partner in item["member_partners"]],
            ["Basisschool De Linde", "Kinderopvang Olifantje"],
        )

    def test_labels_follow_the_locale(self):
        item = self.get(locale="en").json()
        self.assertEqual(item["labels"]["services"]["childcare"], "Childcare")
        self.assertEqual(item["labels"]["ages"], "From 3 months to 12 years")
        self.assertEqual(item["locale"], "nl")

    def test_the_list_and_details_answer_for_the_requesting_site(self):
        elsewhere_home = HomePageFactory(parent=self.home.get_parent(), slug="elders", locale=self.locales["nl"])
        Site.objects.create(hostname="localhost", port=80, root_page=elsewhere_home, site_name="Elders")
        elsewhere = publish(ChildCentrePageFactory(parent=ChildCentreIndexPageFactory(parent=elsewhere_home)))
        here = [item["id"] for item in self.client.get(CHILDCENTRES).json()["items"]]
        there = [item["id"] for item in self.client.get(CHILDCENTRES, HTTP_HOST="localhost").json()["items"]]
        self.assertEqual((here, there), ([str(self.centre.translation_key)], [str(elsewhere.translation_key)]))
        self.assertEqual(self.client.get(f"{CHILDCENTRES}{elsewhere.translation_key}/").status_code, 404)
        self.assertEqual(self.get(HTTP_HOST="localhost").status_code, 404)

    def test_a_partners_id_is_not_a_child_centre(self):
        response = self.client.get(f"{CHILDCENTRES}{self.school.translation_key}/")
        self.assertEqual(response.status_code, 404)

    def test_unpublished_centre_is_a_404(self):
        self.centre.unpublish()
        self.assertEqual(self.get().status_code, 404)

    def test_query_count_does_not_grow_with_member_partners(self):
        def count():
            self.get(locale="fr")
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.get(locale="fr").status_code, 200)
            return len(captured)

        before = count()
        for n in range(5):
            self.centre.member_partners.add(publish(PartnerPageFactory(parent=self.school.get_parent(), title=f"P{n}")))
        publish(self.centre)
        self.assertEqual(count(), before)
        self.assertEqual(len(self.get().json()["member_partners"]), 7)
