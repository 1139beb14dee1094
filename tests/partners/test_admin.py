import datetime
import re

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from learningcity.models import SDGTarget
from partners.models import PartnershipParticipant

from ..learningcity.utils import make_portal
from .factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    MunicipalityFactory,
    NetworkFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    PartnershipFactory,
)


class AdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.directory = PartnerIndexPageFactory(parent=cls.home)
        cls.partner = PartnerPageFactory(parent=cls.directory, title="Bibliotheek Noordveld")
        cls.listing = ChildCentreIndexPageFactory(parent=cls.home)
        cls.centre = ChildCentrePageFactory(parent=cls.listing)
        cls.network = NetworkFactory(name="STEM-partnerschap", slug="stem", locale=cls.locales["nl"])
        cls.municipality = MunicipalityFactory(name="Noordveld", code="gm0901")
        cls.partnership = PartnershipFactory(
            title="Scholenband met Kisumu", start_date=datetime.date(2021, 9, 1), locale=cls.locales["nl"]
        )
        PartnershipParticipant.objects.create(partnership=cls.partnership, partner=cls.partner, sort_order=0)
        PartnershipParticipant.objects.create(
            partnership=cls.partnership, external_name="Kisumu Primary School", external_country="Kenya", sort_order=1
        )
        cls.user = get_user_model().objects.create_superuser("admin", "admin@example.com", "secret")

    def setUp(self):
        self.client.force_login(self.user)

    def test_page_edit_and_add_views_render_with_their_tabs(self):
        cases = [
            (reverse("wagtailadmin_pages:edit", args=[self.partner.pk]), "Memberships"),
            (reverse("wagtailadmin_pages:edit", args=[self.centre.pk]), "Contact and address"),
            (reverse("wagtailadmin_pages:add", args=["partners", "partnerpage", self.directory.pk]), "SDGs"),
            (reverse("wagtailadmin_pages:add", args=["partners", "childcentrepage", self.listing.pk]), "SDGs"),
            (reverse("wagtailadmin_pages:edit", args=[self.directory.pk]), "Partners"),
            (reverse("wagtailadmin_pages:edit", args=[self.listing.pk]), "Kindcentra"),
        ]
        for url, text in cases:
            with self.subTest(url=url):
                response = self.client.get(url, headers={"accept-language": "en"})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, text)

    def test_a_new_child_centre_is_suggested_sdg_targets_4_2_and_10_2(self):
        url = reverse("wagtailadmin_pages:add", args=["partners", "childcentrepage", self.listing.pk])
        html = self.client.get(url).content.decode()
        checked = {
            SDGTarget.objects.get(pk=int(pk)).code
            for pk in re.findall(r'type="checkbox" name="sdg_targets" value="(\d+)"[^>]*checked', html)
        }
        self.assertEqual(checked, {"4.2", "10.2"})
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.centre.pk])).content.decode()
        self.assertNotRegex(edit, r'name="sdg_targets" value="\d+"[^>]*checked')

    def test_snippet_listings_show_search_and_filter(self):
        cases = [
            ("partners_network", "STEM-partnerschap"),
            ("partners_partnership", "Kisumu Primary School"),
            ("partners_municipality", "gm0901"),
        ]
        for model, text in cases:
            with self.subTest(model=model):
                url = reverse(f"wagtailsnippets_{model}:list")
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, text)
                self.assertEqual(self.client.get(url, {"q": "nothing-like-this"}).status_code, 200)

    def test_partnerships_can_be_searched_and_filtered(self):
        url = reverse("wagtailsnippets_partners_partnership:list")
        response = self.client.get(url, {"q": "Kisumu"})
        self.assertContains(response, "Scholenband met Kisumu")
        response = self.client.get(url, {"status": "ended"})
        self.assertNotContains(response, "Scholenband met Kisumu")
        response = self.client.get(url, {"status": "active"})
        self.assertContains(response, "Scholenband met Kisumu")

    def test_snippet_edit_views_render(self):
        for model, pk in [
            ("partners_network", self.network.pk),
            ("partners_partnership", self.partnership.pk),
            ("partners_municipality", self.municipality.pk),
        ]:
            with self.subTest(model=model):
                response = self.client.get(reverse(f"wagtailsnippets_{model}:edit", args=[pk]))
                self.assertEqual(response.status_code, 200)

    def test_partners_menu_groups_the_snippets(self):
        response = self.client.get(reverse("wagtailadmin_home"), headers={"accept-language": "en"})
        menu = response.content.decode()
        for label in ("Networks", "Partnerships", "Municipalities"):
            self.assertIn(label, menu)
        self.assertIn(reverse("wagtailsnippets_partners_partnership:list"), menu)
