"""The admin's dashboard shows each editor what needs their attention, and only what they may change."""

import re
from datetime import timedelta
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils import WagtailPageTestCase

from events.wagtail_hooks import ChangedDatesThisWeekPanel, UntranslatedEventsPanel
from learningcity.models import SDGTarget
from partners.models import PartnerPage
from partners.wagtail_hooks import StalePartnersPanel
from tests.events.factories import EventIndexPageFactory, EventPageFactory, publish
from tests.partners.factories import PartnerIndexPageFactory, PartnerPageFactory
from tests.partners.test_editor_scope import make_user

from .utils import make_portal, sync_translation


class DashboardTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        agenda = EventIndexPageFactory(parent=cls.home)
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.library = publish(PartnerPageFactory(parent=directory, title="Bibliotheek Noord"))
        cls.school = publish(PartnerPageFactory(parent=directory, title="Basisschool De Eik"))
        tomorrow = timezone.localdate() + timedelta(days=1)
        cls.reading = publish(
            EventPageFactory(parent=cls.library, title="Voorlezen", start_date=tomorrow),
            exceptions=[{"original_date": tomorrow, "status": "cancelled"}],
        )
        cls.parents = publish(
            EventPageFactory(parent=cls.school, title="Ouderavond", start_date=tomorrow),
            exceptions=[{"original_date": tomorrow, "is_full": True}],
        )
        cls.later = publish(
            EventPageFactory(parent=agenda, title="Later vol", start_date=tomorrow + timedelta(days=9)),
            exceptions=[{"original_date": tomorrow + timedelta(days=9), "is_full": True}],
        )
        for locale in ("en", "fr"):
            for page in (agenda, directory, cls.later, cls.school):
                sync_translation(page, cls.locales[locale])
        # The school's profile was last published two years ago.
        PartnerPage.objects.filter(pk=cls.school.pk).update(last_published_at=timezone.now() - timedelta(days=730))
        cls.image = get_image_model().objects.create(title="Zonder beschrijving", file=get_test_image_file())
        call_command("make_partner_editor", "lies", str(cls.library.pk), stdout=StringIO())
        cls.lies = get_user_model().objects.get(username="lies")
        cls.mira = make_user("mira", Group.objects.get(name="Municipal editors"))

    def dashboard(self, user) -> str:
        self.client.force_login(user)
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def panel(self, html: str, name: str) -> str:
        start = html.index(f'id="{name}')
        return html[start : html.index("</section>", start)]

    def test_a_municipal_editor_sees_what_needs_attention_across_the_city(self):
        html = self.dashboard(self.mira)
        changed = self.panel(html, "changed_dates_this_week")
        self.assertIn("Voorlezen", changed)
        self.assertIn("Ouderavond", changed)
        self.assertNotIn("Later vol", changed)  # in ten days
        untranslated = self.panel(html, "untranslated_events")
        self.assertIn("Voorlezen", untranslated)
        self.assertNotIn("Later vol", untranslated)  # translated into English and French
        self.assertIn("Basisschool De Eik", self.panel(html, "stale_partners"))
        self.assertNotIn("Bibliotheek Noord", self.panel(html, "stale_partners"))
        self.assertIn("Bibliotheek Noord", self.panel(html, "untranslated_partners"))
        self.assertIn("Zonder beschrijving", self.panel(html, "images_without_alt_text"))

    def test_a_partner_editor_sees_only_their_own_partner(self):
        html = self.dashboard(self.lies)
        changed = self.panel(html, "changed_dates_this_week")
        self.assertIn("Voorlezen", changed)
        self.assertNotIn("Ouderavond", changed)
        self.assertNotIn("Basisschool De Eik", self.panel(html, "stale_partners"))
        # The image is in the root collection, which is not theirs.
        self.assertNotIn("Zonder beschrijving", self.panel(html, "images_without_alt_text"))

    def test_the_sdg_coverage_counts_tagged_pages_per_type(self):
        self.reading.sdg_targets.set(SDGTarget.objects.filter(code__in=["4.6", "4.7"]))
        publish(self.reading)
        html = self.dashboard(self.mira)
        panel = self.panel(html, "sdg_coverage")
        rows = {
            cells[0]: cells[1:]
            for cells in (
                [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                for row in re.findall(r"<tr>(.*?)</tr>", panel, re.S)
            )
        }
        # Three events published in Dutch, one tagged (with two targets of goal 4: it counts once).
        self.assertEqual(rows["Activiteiten"], ["1 van 3", "1", "0"])
        self.assertIn('href="/admin/reports/learning-city/"', panel)  # the whole picture

    def test_an_empty_panel_says_so(self):
        centre = publish(PartnerPageFactory(parent=self.library.get_parent(), title="Buurthuis De Linde"))
        call_command("make_partner_editor", "piet", str(centre.pk), stdout=StringIO())
        html = self.dashboard(get_user_model().objects.get(username="piet"))  # a Dutch admin
        self.assertIn("Deze week geannuleerd of vol", html)
        self.assertIn(
            "Geen datum in de komende zeven dagen is geannuleerd of vol.", self.panel(html, "changed_dates_this_week")
        )
        self.assertIn(
            "Elk partnerprofiel is in de afgelopen twaalf maanden gepubliceerd.", self.panel(html, "stale_partners")
        )

    def test_each_panel_costs_the_same_queries_whatever_the_number_of_items(self):
        request = RequestFactory().get("/admin/")
        request.user = self.mira
        panels = (ChangedDatesThisWeekPanel, UntranslatedEventsPanel, StalePartnersPanel)
        for panel_class in panels:
            panel_class(request).get_context_data()  # the editor's rights, read once per request
        counts = {panel_class: self.count_queries(panel_class(request)) for panel_class in panels}
        tomorrow = timezone.localdate() + timedelta(days=1)
        for number in range(12):
            publish(
                EventPageFactory(parent=self.library, title=f"Extra {number}", start_date=tomorrow),
                exceptions=[{"original_date": tomorrow, "status": "cancelled"}],
            )
        PartnerPage.objects.update(last_published_at=timezone.now() - timedelta(days=730))
        for panel_class in panels:
            with self.subTest(panel_class.__name__), self.assertNumQueries(counts[panel_class]):
                context = panel_class(request).get_context_data()
            self.assertLessEqual(len(context["rows"]), 10)

    def count_queries(self, panel) -> int:
        with CaptureQueriesContext(connection) as captured:
            panel.get_context_data()
        return len(captured)
