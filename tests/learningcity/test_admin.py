import re

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail.users.models import UserProfile

from learningcity.models import ContentPage, SDGTarget

from .factories import ContentPageFactory
from .utils import make_portal


class ContentPageAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.page = ContentPageFactory(parent=cls.home, title="Leesbevordering")
        cls.page.sdg_targets.set(SDGTarget.objects.filter(code="4.6"))
        cls.page.save_revision().publish()
        cls.user = get_user_model().objects.create_superuser("redactie", "redactie@lindeveld.example", "geheim")

    def setUp(self):
        self.client.force_login(self.user)

    def test_targets_are_checkboxes_grouped_by_goal_with_4_and_11_first(self):
        response = self.client.get(f"/admin/pages/{self.page.pk}/edit/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertEqual(len(re.findall(r'type="checkbox" name="sdg_targets"', html)), 169)
        groups = re.findall(r"<summary>\D*(\d+):", html)
        self.assertEqual(groups[:3], ["4", "11", "1"])
        self.assertEqual(len(groups), 17)
        target = SDGTarget.objects.get(code="4.6")
        self.assertRegex(html, rf'type="checkbox" name="sdg_targets" value="{target.pk}"[^>]*checked')

    def test_editor_can_tag_a_page_through_the_admin(self):
        target = SDGTarget.objects.get(code="11.4")
        data = nested_form_data(
            {
                "title": "Leesbevordering",
                "slug": "leesbevordering",
                "intro": "Samen lezen.",
                "body": streamfield([]),
                "comments": inline_formset([]),
                "action-publish": "publish",
            }
        )
        data["sdg_targets"] = [str(target.pk)]
        response = self.client.post(f"/admin/pages/{self.page.pk}/edit/", data)
        self.assertEqual(response.status_code, 302)
        page = ContentPage.objects.get(pk=self.page.pk)
        self.assertEqual(list(page.sdg_targets.values_list("code", flat=True)), ["11.4"])


class AdminQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_portal()
        cls.user = get_user_model().objects.create_superuser("redactie", "redactie@lindeveld.example", "geheim")

    def setUp(self):
        self.client.force_login(self.user)

    def test_a_nul_character_in_a_query_parameter_is_a_400(self):
        # Wagtail looked the snippet listing's locale up as it came: on PostgreSQL a NUL in it was a 500.
        for path in ("/admin/snippets/partners/network/", "/admin/snippets/partners/partnership/", "/admin/pages/"):
            for query in ("locale=nl%00", "q=a%00b", "%00=1"):
                with self.subTest(path=path, query=query):
                    response = self.client.get(f"{path}?{query}")
                    self.assertEqual(response.status_code, 400)
                    self.assertContains(response, "Ongeldig verzoek", status_code=400)
            with self.subTest(path=path, query="locale=nl"):
                self.assertEqual(self.client.get(f"{path}?locale=nl").status_code, 200)

    def test_outside_the_admin_a_nul_character_gets_the_pages_own_answer(self):
        # The listings name the parameter next to its field; the check above is the admin's only.
        response = self.client.get("/nl/zoeken/?q=a%00b")
        self.assertEqual(response.status_code, 400)
        self.assertIn("q", response.context["filter_errors"])


class LoginPageTests(TestCase):
    def test_the_sign_in_form_is_dutch_throughout(self):
        html = self.client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        self.assertIn("Gebruikersnaam", html)
        self.assertIn("Wachtwoord", html)
        self.assertNotIn(">Password", html.replace("\n", "").replace(" ", ""))


class TranslationSubmissionTests(TestCase):
    """A page submitted for translation is a draft in the other language until its translation is published."""

    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.page = ContentPageFactory(parent=cls.home, title="Leesbevordering", slug="leesbevordering")
        cls.page.save_revision().publish()
        cls.user = get_user_model().objects.create_superuser("redactie", "redactie@lindeveld.example", "geheim")

    def test_the_translation_is_not_live_before_it_is_translated(self):
        self.client.force_login(self.user)
        english = self.locales["en"]
        response = self.client.post(
            reverse("wagtail_localize:submit_page_translation", args=[self.page.pk]), {"locales": [english.pk]}
        )
        self.assertEqual(response.status_code, 302)
        translation = self.page.get_translation(english)
        self.assertFalse(translation.live)
        self.client.logout()
        self.assertEqual(self.client.get(translation.url).status_code, 404)
        self.assertEqual(self.client.get(self.page.url).status_code, 200)

        translation.save_revision().publish()
        self.assertEqual(self.client.get(translation.url).status_code, 200)

    def test_the_translation_editor_names_the_language_after_a_space(self):
        # wagtail-localize's own Dutch and French catalogues drop it ("Publiceer inEngels").
        self.client.force_login(self.user)
        for language, expected in (("nl", '"Publish in ": "Publiceer in "'), ("fr", '"Publish in ": "Publier en "')):
            with self.subTest(language=language):
                profile = UserProfile.get_for_user(self.user)
                profile.preferred_language = language
                profile.save()
                response = self.client.get(reverse("wagtail_localize:javascript_catalog"))
                self.assertContains(response, expected)
