from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page, Revision

from learningcity.models import ContentPage, HomePage


class LoadDemoTests(TestCase):
    def load_demo(self):
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", stdout=out)
        return out.getvalue()

    def test_builds_the_portal_in_three_languages(self):
        output = self.load_demo()
        self.assertIn("Admin login: admin / leerstad-demo", output)
        homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}
        self.assertEqual(set(homes), {"nl", "en", "fr"})
        self.assertEqual(homes["en"].city_name, "Learning City Lindeveld")
        self.assertEqual(homes["fr"].city_name, "Ville apprenante de Lindeveld")
        for code in ("nl", "en", "fr"):
            self.assertEqual(ContentPage.objects.filter(locale__language_code=code).live().count(), 4)
        response = self.client.get("/fr/")
        self.assertContains(response, "Ville apprenante de Lindeveld")
        self.assertContains(response, '<html lang="fr">')
        self.assertContains(self.client.get("/en/"), "Lifelong learning")

    def test_a_second_run_changes_nothing(self):
        self.load_demo()
        counts = (Page.objects.count(), Revision.objects.count(), get_user_model().objects.count())
        output = self.load_demo()
        self.assertIn("nothing changed", output)
        self.assertEqual((Page.objects.count(), Revision.objects.count(), get_user_model().objects.count()), counts)

    def test_demo_admin_uses_the_dutch_admin(self):
        self.load_demo()
        self.client.login(username="admin", password="leerstad-demo")
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'lang="nl"')
        self.assertContains(response, "Pagina's")
