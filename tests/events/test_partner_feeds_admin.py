"""A partner editor copies their own embed code and feed links from the admin; they work as given."""

import html
import re
from datetime import timedelta
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase

from tests.learningcity.utils import make_portal
from tests.partners.factories import PartnerIndexPageFactory, PartnerPageFactory
from tests.partners.test_editor_scope import make_user

from .factories import EventIndexPageFactory, EventPageFactory, publish

PAGE = "/admin/activities-on-your-site/"


class PartnerFeedsAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        EventIndexPageFactory(parent=cls.home)
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.library = publish(PartnerPageFactory(parent=directory, title="Bibliotheek Noord"))
        cls.school = publish(PartnerPageFactory(parent=directory, title="Basisschool De Eik"))
        next_week = timezone.localdate() + timedelta(days=7)
        for partner, title in ((cls.library, "Voorlezen"), (cls.school, "Ouderavond")):
            event = EventPageFactory(parent=partner, title=title, start_date=next_week)
            event.organisers.set([partner])
            publish(event)
        call_command("make_partner_editor", "lies", str(cls.library.pk), stdout=StringIO())
        cls.lies = get_user_model().objects.get(username="lies")
        cls.mira = make_user("mira", Group.objects.get(name="Municipal editors"))

    def test_a_partner_editor_copies_embed_code_and_feeds_that_list_their_activities(self):
        self.client.force_login(self.lies)
        self.assertContains(self.client.get("/admin/"), PAGE)
        response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertNotIn("Basisschool De Eik", page)
        code = html.unescape(re.search(r'<textarea id="embed-nl"[^>]*>(.*?)</textarea>', page, re.S).group(1))
        embed = re.search(r'src="http://testserver([^"]+)"', code).group(1)
        self.assertIn(f"partner={self.library.pk}", embed)
        self.client.logout()
        listed = self.client.get(embed).content.decode()
        self.assertIn("Voorlezen", listed)
        self.assertNotIn("Ouderavond", listed)
        calendar = re.search(r'href="http://testserver(/feeds/events\.ics\?[^"]+)"', page).group(1)
        ics = self.client.get(html.unescape(calendar)).content.decode()
        self.assertIn("SUMMARY:Voorlezen", ics)
        self.assertNotIn("Ouderavond", ics)

    def test_a_partner_editor_cannot_see_another_partners_page(self):
        self.client.force_login(self.lies)
        for value in (str(self.school.pk), "x", "9" * 40):
            with self.subTest(value):
                self.assertEqual(self.client.get(PAGE, {"partner": value}).status_code, 404)

    def test_a_municipal_editor_chooses_any_partner(self):
        self.client.force_login(self.mira)
        page = self.client.get(PAGE).content.decode()
        self.assertIn("Basisschool De Eik", page)
        self.assertIn("Bibliotheek Noord", page)
        self.assertNotIn("<textarea", page)  # none chosen yet
        response = self.client.get(PAGE, {"partner": self.school.pk})
        self.assertContains(response, f"partner={self.school.pk}")
