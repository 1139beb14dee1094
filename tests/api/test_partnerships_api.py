"""``/partnerships/``, ``/networks/`` and ``/municipalities/``: lists and details, with their partners on this site."""

import uuid

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from learningcity.models import ChangeLog
from partners.models import Municipality

from ..learningcity.factories import HomePageFactory
from ..learningcity.utils import make_portal, sync_translation
from ..partners.factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    MunicipalityFactory,
    NetworkFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)
from .test_partner_detail import partnership_with, publish

PARTNERSHIPS = "/api/v3/partnerships/"
NETWORKS = "/api/v3/networks/"
MUNICIPALITIES = "/api/v3/municipalities/"


class PortalWithPartners(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.directory = PartnerIndexPageFactory(parent=cls.home)
        cls.noordveld = MunicipalityFactory(name="Noordveld", code="gm0901", region="Rivierenland")
        cls.library = publish(PartnerPageFactory(parent=cls.directory, title="Bibliotheek", municipality=cls.noordveld))
        cls.school = publish(PartnerPageFactory(parent=cls.directory, title="Basisschool De Linde"))
        cls.draft = PartnerPageFactory(parent=cls.directory, title="Nog niet klaar", live=False)
        cls.private = publish(PartnerPageFactory(parent=cls.directory, title="Besloten"))
        PageViewRestriction.objects.create(page=cls.private, restriction_type=PageViewRestriction.LOGIN)
        elsewhere_home = HomePageFactory(parent=cls.home.get_parent(), slug="elders", locale=cls.locales["nl"])
        Site.objects.create(hostname="localhost", port=80, root_page=elsewhere_home, site_name="Elders")
        cls.elsewhere = publish(
            PartnerPageFactory(
                parent=PartnerIndexPageFactory(parent=elsewhere_home), title="Elders", municipality=cls.noordveld
            )
        )
        sync_translation(cls.directory, cls.locales["en"])
        cls.library_en = sync_translation(cls.library, cls.locales["en"])
        cls.library_en.title = "Library"
        publish(cls.library_en)


class PartnershipsTests(PortalWithPartners):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.twinning = partnership_with(
            [cls.library, cls.school, cls.draft, cls.private, cls.elsewhere],
            "Scholenband",
            external=[("École Amahoro", "Kigali", "Rwanda")],
        )
        cls.twinning_en = cls.twinning.copy_for_translation(cls.locales["en"])
        cls.twinning_en.title = "School link"
        cls.twinning_en.save()
        cls.only_elsewhere = partnership_with([cls.elsewhere], "Alleen elders", external=[("Ergens", "", "")])

    def test_lists_partnerships_with_a_partner_on_this_site_and_only_those_partners_as_refs(self):
        data = self.client.get(PARTNERSHIPS).json()
        self.assertEqual(data["count"], 1)
        (item,) = data["items"]
        self.assertEqual(
            (item["id"], item["title"], item["locale"]), (str(self.twinning.translation_key), "Scholenband", "nl")
        )
        refs = {p["name"]: p["partner"] for p in item["participants"]}
        self.assertEqual(refs["Bibliotheek"]["id"], str(self.library.translation_key))
        self.assertEqual(refs["Basisschool De Linde"]["url"], self.school.get_full_url())
        for name in ("Nog niet klaar", "Besloten", "Elders", "École Amahoro"):
            with self.subTest(name):
                self.assertIsNone(refs[name])

    def test_in_the_locale_language(self):
        (item,) = self.client.get(PARTNERSHIPS, {"locale": "en"}).json()["items"]
        self.assertEqual((item["title"], item["locale"], item["object_id"]), ("School link", "en", self.twinning_en.pk))
        self.assertEqual(item["participants"][0]["partner"]["title"], "Library")
        self.assertEqual(item["labels"]["status"], "Active")

    def test_detail_and_its_404s(self):
        response = self.client.get(f"{PARTNERSHIPS}{self.twinning.translation_key}/", {"locale": "fr"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["title"], "Scholenband")
        for key in (self.only_elsewhere.translation_key, uuid.uuid4(), "x"):
            with self.subTest(key):
                response = self.client.get(f"{PARTNERSHIPS}{key}/")
                self.assertEqual((response.status_code, response["Content-Type"]), (404, "application/problem+json"))
        response = self.client.get(f"{PARTNERSHIPS}{self.only_elsewhere.translation_key}/", HTTP_HOST="localhost")
        self.assertEqual(response.status_code, 200)

    def test_query_count_does_not_grow_with_partnerships_or_participants(self):
        def count(limit):
            self.client.get(PARTNERSHIPS, {"limit": limit})
            with CaptureQueriesContext(connection) as captured:
                data = self.client.get(PARTNERSHIPS, {"limit": limit}).json()
            self.assertEqual(len(data["items"]), limit)  # a full window: counted both times
            return len(captured)

        before = count(1)
        for n in range(5):
            partner = publish(PartnerPageFactory(parent=self.directory, title=f"Partner {n}"))
            partnership_with([partner, self.library, self.school], f"Samenwerking {n}", external=[("X", "", "")])
        self.assertEqual(count(5), before)
        self.assertEqual(self.client.get(PARTNERSHIPS, {"limit": 3, "offset": 3}).json()["count"], 6)


class NetworksTests(PortalWithPartners):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.stem = NetworkFactory(name="STEM Noordveld", slug="stem", description="Techniek voor iedereen.")
        stem_en = cls.stem.copy_for_translation(cls.locales["en"])
        stem_en.name = "STEM network"
        stem_en.save()
        cls.mos = NetworkFactory(name="MOS", slug="mos")
        for partner in (cls.library, cls.school, cls.draft, cls.private):
            partner.networks.set([cls.stem])
            partner.save_revision().publish() if partner.live else partner.save()
        cls.elsewhere.networks.set([cls.stem])
        publish(cls.elsewhere)

    def test_lists_every_network_with_its_members_on_this_site(self):
        data = self.client.get(NETWORKS).json()
        self.assertEqual([item["code"] for item in data["items"]], ["mos", "stem"])
        stem = data["items"][1]
        self.assertEqual(stem["description"], "Techniek voor iedereen.")
        self.assertEqual([m["title"] for m in stem["members"]], ["Basisschool De Linde", "Bibliotheek"])
        self.assertEqual(data["items"][0]["members"], [])

    def test_detail_by_code_or_id_in_the_locale_language(self):
        by_code = self.client.get(f"{NETWORKS}stem/", {"locale": "en"}).json()
        by_id = self.client.get(f"{NETWORKS}{self.stem.translation_key}/", {"locale": "en"}).json()
        self.assertEqual(by_code, by_id)
        self.assertEqual((by_code["name"], by_code["locale"]), ("STEM network", "en"))
        self.assertEqual([m["title"] for m in by_code["members"]], ["Basisschool De Linde", "Library"])
        for code in ("nope", uuid.uuid4(), "a" * 200, "%00", "st%C3%A9m"):
            with self.subTest(code):
                self.assertEqual(self.client.get(f"{NETWORKS}{code}/").status_code, 404)

    def test_query_count_does_not_grow_with_networks_or_members(self):
        def count():
            self.client.get(NETWORKS)
            with CaptureQueriesContext(connection) as captured:
                self.client.get(NETWORKS, {"locale": "en"})
            return len(captured)

        before = count()
        for n in range(5):
            network = NetworkFactory()
            publish(PartnerPageFactory(parent=self.directory, title=f"Lid {n}")).networks.set([network, self.stem])
        self.assertEqual(count(), before)


class MunicipalitiesTests(PortalWithPartners):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        listing = ChildCentreIndexPageFactory(parent=cls.home)
        publish(ChildCentrePageFactory(parent=listing, municipality=cls.noordveld))
        cls.zuid = MunicipalityFactory(name="Zuiddorp", code="gm0902", site=Site.objects.get(hostname="localhost"))

    def test_lists_every_municipality_with_what_this_site_shows_there(self):
        items = self.client.get(MUNICIPALITIES).json()["items"]
        noordveld = next(item for item in items if item["code"] == "gm0901")
        self.assertEqual(noordveld["id"], str(self.noordveld.uuid))
        self.assertEqual((noordveld["name"], noordveld["region"]), ("Noordveld", "Rivierenland"))
        # The library and its English translation are one partner; the one elsewhere is another site's.
        self.assertEqual((noordveld["partners"], noordveld["childcentres"]), (1, 1))
        zuid = next(item for item in items if item["code"] == "gm0902")
        self.assertEqual(zuid["portal"], "http://localhost/")
        self.assertIsNone(noordveld["portal"])

    def test_detail_by_code_or_id(self):
        by_code = self.client.get(f"{MUNICIPALITIES}gm0901/").json()
        self.assertEqual(by_code, self.client.get(f"{MUNICIPALITIES}{self.noordveld.uuid}/").json())
        self.assertEqual(self.client.get(f"{MUNICIPALITIES}gm0901/", HTTP_HOST="localhost").json()["partners"], 1)
        for code in ("nope", uuid.uuid4(), "%00", "x" * 100):
            with self.subTest(code):
                self.assertEqual(self.client.get(f"{MUNICIPALITIES}{code}/").status_code, 404)

    def test_query_count_does_not_grow_with_municipalities(self):
        def count():
            self.client.get(MUNICIPALITIES)
            with CaptureQueriesContext(connection) as captured:
                self.client.get(MUNICIPALITIES)
            return len(captured)

        before = count()
        for n in range(5):
            publish(PartnerPageFactory(parent=self.directory, municipality=MunicipalityFactory(code=f"x{n}")))
        self.assertEqual(count(), before)

    def test_changes_report_municipalities_by_their_id(self):
        with self.captureOnCommitCallbacks(execute=True):
            created = Municipality.objects.create(name="Oostbroek", code="gm0903")
        with self.captureOnCommitCallbacks(execute=True):
            created.name = "Oostbroek-Dorp"
            created.save()
        rows = ChangeLog.objects.filter(translation_key=created.uuid)
        self.assertEqual([(row.action, row.language_code) for row in rows], [("created", "nl"), ("changed", "nl")])
        with self.settings(LEERSTAD_CHANGES_DELAY_SECONDS=0):
            items = self.client.get("/api/v3/changes/", {"limit": 100}).json()["items"]
        mine = [item for item in items if item["id"] == str(created.uuid)]
        self.assertEqual({item["type"] for item in mine}, {"municipality"})
        self.assertEqual(self.client.get(f"{MUNICIPALITIES}{mine[0]['id']}/").json()["name"], "Oostbroek-Dorp")
        with self.captureOnCommitCallbacks(execute=True):
            created.delete()
        self.assertEqual(ChangeLog.objects.filter(translation_key=created.uuid).last().action, "deleted")

    def test_partnerships_and_networks_are_logged_too(self):
        with self.captureOnCommitCallbacks(execute=True):
            network = NetworkFactory()
            partnership = partnership_with([self.library], "Nieuw", external=[("X", "", "")])
        types = {
            row.content_type.model
            for row in ChangeLog.objects.filter(
                translation_key__in=[network.translation_key, partnership.translation_key]
            )
        }
        self.assertEqual(types, {"network", "partnership"})
