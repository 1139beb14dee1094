"""Municipal editors invite and remove partner editors in the admin: an e-mail with a link to choose a password."""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase

from events.models import EventPage
from tests.learningcity.utils import make_portal

from .factories import PartnerIndexPageFactory, PartnerPageFactory
from .test_editor_scope import make_user
from .test_editors import event_form

PAGE = "/admin/partner-editors/"


class PartnerEditorsAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.library = PartnerPageFactory(parent=directory, title="Bibliotheek Noord")
        cls.mira = make_user("mira", Group.objects.get(name="Municipal editors"))

    def invite(self, **data):
        self.client.force_login(self.mira)
        form = {"partner": str(self.library.pk), "email": "Anna@Noord.example", "first_name": "Anna", **data}
        return self.client.post(PAGE, form)

    def test_a_municipal_editor_finds_the_page_in_the_settings_menu(self):
        self.client.force_login(self.mira)
        self.assertContains(self.client.get("/admin/"), PAGE)
        response = self.client.get(PAGE)
        self.assertContains(response, "Partnerredacteur uitnodigen")  # the Dutch admin

    def test_an_invited_person_chooses_a_password_and_edits_their_partner(self):
        response = self.invite()
        self.assertRedirects(response, PAGE)
        anna = get_user_model().objects.get(email="anna@noord.example")
        self.assertFalse(anna.has_usable_password())
        self.assertEqual(anna.first_name, "Anna")
        (message,) = mail.outbox
        self.assertEqual(message.to, ["anna@noord.example"])
        self.assertIn("Bibliotheek Noord", message.subject)
        link = re.search(r"http://testserver(/admin/password_reset/confirm/\S+)", message.body).group(1)

        self.client.logout()
        form = self.client.get(link, follow=True)
        self.assertEqual(form.status_code, 200)
        response = self.client.post(
            form.redirect_chain[-1][0] if form.redirect_chain else link,
            {"new_password1": "Leesclub-2026-noord", "new_password2": "Leesclub-2026-noord"},
        )
        self.assertEqual(response.status_code, 302)
        anna.refresh_from_db()
        self.assertTrue(anna.check_password("Leesclub-2026-noord"))
        self.assertTrue(self.client.login(username="anna@noord.example", password="Leesclub-2026-noord"))
        self.assertEqual(self.client.get(reverse("wagtailadmin_pages:edit", args=[self.library.pk])).status_code, 200)
        add = reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.library.pk])
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(add, event_form("van-anna", action="submit"))
        self.assertFalse(EventPage.objects.get(slug="van-anna").live)

    def test_a_removed_editor_can_no_longer_edit_the_partner(self):
        call_command("make_partner_editor", "lies", str(self.library.pk), stdout=StringIO())
        lies = get_user_model().objects.get(username="lies")
        self.client.force_login(self.mira)
        self.assertContains(self.client.get(PAGE), "lies")
        group = lies.groups.get()
        response = self.client.post(
            reverse("remove_partner_editor", args=[group.partner_editors.pk, lies.pk]), follow=True
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(lies.groups.exists())
        self.assertFalse(self.library.permissions_for_user(lies).can_edit())
        self.client.force_login(lies)
        self.assertNotEqual(self.client.get("/admin/").status_code, 200)

    def test_a_wrong_address_is_refused_and_nothing_is_made(self):
        response = self.invite(email="geen-adres")
        self.assertEqual(response.status_code, 200)
        self.assertIn("email", response.context["form"].errors)
        self.assertFalse(get_user_model().objects.filter(first_name="Anna").exists())
        self.assertEqual(mail.outbox, [])

    def test_partner_editors_cannot_invite_or_remove(self):
        call_command("make_partner_editor", "lies", str(self.library.pk), stdout=StringIO())
        lies = get_user_model().objects.get(username="lies")
        self.client.force_login(lies)
        self.assertNotContains(self.client.get("/admin/"), PAGE)
        self.assertEqual(self.client.get(PAGE).status_code, 302)
        response = self.client.post(PAGE, {"partner": str(self.library.pk), "email": "piet@noord.example"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(get_user_model().objects.filter(email="piet@noord.example").exists())
        link = lies.groups.get().partner_editors
        self.client.post(reverse("remove_partner_editor", args=[link.pk, lies.pk]))
        self.assertTrue(lies.groups.exists())
