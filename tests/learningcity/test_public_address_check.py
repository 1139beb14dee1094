"""``check --deploy`` warns while absolute links still point at this machine (leerstad.W002, leerstad.W003)."""

import io

from django.core.management import call_command
from django.test import TestCase, override_settings
from wagtail.models import Site

from learningcity.checks import check_public_address

PUBLIC = "https://leren.lindeveld.example"


def deploy_check_output() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("check", "--deploy", "--tag", "sites", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@override_settings(WAGTAILADMIN_BASE_URL=PUBLIC)
class PublicAddressCheckTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = Site.objects.get(is_default_site=True)

    def set_site(self, hostname, port):
        Site.objects.filter(pk=self.site.pk).update(hostname=hostname, port=port)

    def test_check_deploy_warns_while_the_default_site_is_this_machine(self):
        for hostname, port in (("localhost", 80), ("127.0.0.1", 8000)):
            with self.subTest(hostname=hostname):
                self.set_site(hostname, port)
                output = deploy_check_output()
                self.assertIn("leerstad.W002", output)
                self.assertIn("Settings → Sites", output)

    def test_check_deploy_is_quiet_with_a_public_site_and_base_url(self):
        self.set_site("leren.lindeveld.example", 443)
        self.assertNotIn("leerstad.W00", deploy_check_output())

    @override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
    def test_check_deploy_warns_while_the_admin_base_url_is_this_machine(self):
        self.set_site("leren.lindeveld.example", 443)
        self.assertEqual([warning.id for warning in check_public_address(None)], ["leerstad.W003"])
        self.assertIn("WAGTAILADMIN_BASE_URL", deploy_check_output())

    def test_the_check_only_runs_for_deployments(self):
        self.set_site("localhost", 80)
        out = io.StringIO()
        call_command("check", stdout=out, stderr=out)
        self.assertNotIn("leerstad.W002", out.getvalue())
