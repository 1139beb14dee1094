import io
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page, Revision

from partners.models import (
    ChildCentreIndexPage,
    ChildCentrePage,
    Municipality,
    Network,
    PartnerIndexPage,
    PartnerPage,
    Partnership,
)


class PartnersDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with cls.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", "--no-admin", stdout=io.StringIO())

    def test_builds_the_directory_in_three_languages(self):
        for code in ("nl", "en", "fr"):
            with self.subTest(language=code):
                partners = PartnerPage.objects.filter(locale__language_code=code).live()
                self.assertEqual(partners.count(), 40)
                self.assertEqual(ChildCentrePage.objects.filter(locale__language_code=code).live().count(), 6)
                self.assertEqual(Network.objects.filter(locale__language_code=code).count(), 2)
                self.assertEqual(Partnership.objects.filter(locale__language_code=code).count(), 6)
        self.assertTrue(PartnerIndexPage.objects.get(locale__language_code="nl").show_in_menus)
        self.assertTrue(ChildCentreIndexPage.objects.get(locale__language_code="nl").show_in_menus)
        self.assertEqual(Municipality.objects.filter(region="Lindestreek").count(), 3)

    def test_partners_span_kinds_sectors_and_municipalities(self):
        partners = PartnerPage.objects.filter(locale__language_code="nl")
        self.assertGreaterEqual(partners.values("kind").distinct().count(), 15)
        self.assertEqual(partners.values("sector").distinct().count(), 5)
        self.assertEqual(partners.values("municipality").distinct().count(), 3)
        aspnet = partners.get(is_aspnet_member=True)
        self.assertEqual(aspnet.aspnet_since, 2019)
        self.assertFalse(partners.filter(sdg_targets__isnull=True).exists())
        self.assertFalse(partners.exclude(email__endswith=".example").exists())
        self.assertFalse(partners.exclude(phone="").exists())

    def test_titles_summaries_and_networks_are_translated(self):
        school = PartnerPage.objects.get(locale__language_code="fr", external_id="LDV-BS-001")
        self.assertEqual(school.title, "École primaire De Linde")
        self.assertIn("Lindeveld", school.summary)
        self.assertEqual(school.aspnet_since, 2019)
        self.assertEqual(sorted(school.sdg_targets.values_list("code", flat=True)), ["4.1", "4.2", "4.7"])
        network = Network.objects.get(locale__language_code="en", slug="stem-lindestreek")
        self.assertEqual(network.name, "Lindestreek STEM partnership")
        centre = ChildCentrePage.objects.get(locale__language_code="en", external_id="IKC-99001-01")
        self.assertEqual(centre.title, "De Linde Integral Child Centre")
        self.assertEqual(sorted(centre.sdg_targets.values_list("code", flat=True)), ["10.2", "4.2"])

    def test_partnerships_include_a_north_south_school_partnership_and_a_twin_town(self):
        school_partnership = Partnership.objects.get(locale__language_code="nl", kind="north-south-school")
        abroad = school_partnership.participants.get(partner__isnull=True)
        self.assertEqual(abroad.external_country, "Senegal")
        self.assertTrue(Partnership.objects.filter(locale__language_code="nl", kind="twin-town").exists())
        for partnership in Partnership.objects.filter(locale__language_code="nl"):
            with self.subTest(partnership=partnership.title):
                self.assertGreaterEqual(partnership.participants.count(), 2)

    def test_child_centres_have_members_hours_ages_and_services(self):
        for centre in ChildCentrePage.objects.filter(locale__language_code="nl"):
            with self.subTest(centre=centre.title):
                self.assertGreaterEqual(centre.member_partners.count(), 2)
                self.assertTrue(centre.opening_hours.exists())
                self.assertTrue(centre.services.exists())
                self.assertLessEqual(centre.min_age_months, centre.max_age_months)

    def test_a_second_run_changes_nothing(self):
        counts = (Page.objects.count(), Revision.objects.count(), Partnership.objects.count(), Network.objects.count())
        out = io.StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", "--no-admin", stdout=out)
        self.assertIn("nothing changed", out.getvalue())
        self.assertEqual(
            (Page.objects.count(), Revision.objects.count(), Partnership.objects.count(), Network.objects.count()),
            counts,
        )

    def test_the_demo_exports_and_imports_back_unchanged(self):
        with TemporaryDirectory() as folder:
            for export, import_ in (
                ("export_partners", "import_partners"),
                ("export_childcentres", "import_childcentres"),
            ):
                path = str(Path(folder) / f"{export}.csv")
                call_command(export, path, stdout=io.StringIO())
                out = io.StringIO()
                call_command(import_, path, stdout=out, stderr=io.StringIO())
                self.assertIn("Nothing changed", out.getvalue())
