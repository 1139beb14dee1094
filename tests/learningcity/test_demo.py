from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page, Revision

from learningcity.models import ContentPage, HomePage


def load_demo(testcase_class, *args):
    out = StringIO()
    with testcase_class.captureOnCommitCallbacks(execute=True):
        call_command("load_demo", *args, stdout=out)
    return out.getvalue()


class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = load_demo(cls)

    def test_builds_the_portal_in_three_languages(self):
        self.assertIn("Admin login: admin / leerstad-demo", self.output)
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
        counts = (Page.objects.count(), Revision.objects.count(), get_user_model().objects.count())
        output = load_demo(type(self))
        self.assertIn("nothing changed", output)
        self.assertEqual((Page.objects.count(), Revision.objects.count(), get_user_model().objects.count()), counts)

    def test_demo_admin_uses_the_dutch_admin(self):
        self.client.login(username="admin", password="leerstad-demo")
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'lang="nl"')
        self.assertContains(response, "Pagina's")
