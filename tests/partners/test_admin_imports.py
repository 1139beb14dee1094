"""Imports in the admin: upload, preview (a dry run), confirm; the importers' own rules, over HTTP."""

from datetime import UTC, datetime
from io import StringIO

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Revision
from wagtail.test.utils import WagtailPageTestCase

from events.models import EventPage
from partners.enums import ImportKind, ImportStatus
from partners.models import ImportRun, PartnerPage
from tests.events.test_calendar_subscriptions import calendar, vevent
from tests.learningcity.utils import make_portal

from .factories import (
    ChildCentreIndexPageFactory,
    MunicipalityFactory,
    NetworkFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)
from .test_editor_scope import make_user
from .test_importexport import partner_row, to_csv

PAGE = "/admin/imports/"


def upload(content, name="partners.csv"):
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


class AdminImportTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.directory = PartnerIndexPageFactory(parent=cls.home)
        ChildCentreIndexPageFactory(parent=cls.home)
        MunicipalityFactory(code="99001", name="Lindeveld")
        NetworkFactory(slug="scholenplatform", name="Scholenplatform", locale=cls.locales["nl"])
        cls.library = PartnerPageFactory(parent=cls.directory, title="Bibliotheek Noord", external_id="BIB-1")
        cls.mira = make_user("mira", Group.objects.get(name="Municipal editors"))

    def setUp(self):
        self.client.force_login(self.mira)

    def post_file(self, content, kind="partners", name="partners.csv", **data):
        return self.client.post(PAGE, {"kind": kind, "file": upload(content, name), **data})

    def state(self):
        return Page.objects.count(), Revision.objects.count()

    def test_a_municipal_editor_finds_imports_in_the_settings_menu_in_dutch(self):
        self.assertContains(self.client.get("/admin/"), PAGE)
        response = self.client.get(PAGE)
        self.assertContains(response, "Bestand controleren")
        self.assertContains(response, 'accept=".csv,.ics"')

    def test_a_good_csv_is_previewed_then_created_on_confirmation(self):
        before = self.state()
        response = self.post_file(to_csv([partner_row("BS-001"), partner_row("BS-002")]))
        run = ImportRun.objects.get()
        self.assertRedirects(response, f"{PAGE}{run.token}/")
        self.assertEqual(self.state(), before)  # the preview writes no page
        preview = self.client.get(f"{PAGE}{run.token}/")
        self.assertContains(preview, "Regel 2: BS-001 (Basisschool BS-001)")
        self.assertContains(preview, "Bevestigen en importeren")
        # The header names the import (not Wagtail's bare "Home").
        self.assertRegex(preview.content.decode(), r"(?s)<h1[^>]*>.*?Partners \(CSV\): partners.csv.*?</h1>")
        self.assertEqual((run.status, run.created, bytes(run.data)[:11]), (ImportStatus.PREVIEW, 2, b"external_id"))

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(f"{PAGE}{run.token}/")
        self.assertRedirects(response, f"{PAGE}{run.token}/")
        run.refresh_from_db()
        self.assertEqual((run.status, run.created, run.data), (ImportStatus.APPLIED, 2, None))
        pages = PartnerPage.objects.filter(external_id__in=["BS-001", "BS-002"])
        self.assertEqual([page.live for page in pages], [True, True])

        # A second confirmation does nothing more; a second upload of the file would change nothing.
        self.client.post(f"{PAGE}{run.token}/")
        self.assertEqual(PartnerPage.objects.filter(external_id__startswith="BS-").count(), 2)
        self.post_file(to_csv([partner_row("BS-001"), partner_row("BS-002")]))
        second = ImportRun.objects.latest("created_at")
        self.assertEqual((second.created, second.updated, second.unchanged), (0, 0, 2))
        self.assertContains(self.client.get(f"{PAGE}{second.token}/"), "Er zou niets veranderen")

    def test_a_csv_with_one_bad_row_names_the_row_and_writes_nothing(self):
        before = self.state()
        rows = [partner_row("BS-001"), partner_row("BS-002", kind="kasteel"), partner_row("BS-003")]
        self.post_file(to_csv(rows))
        run = ImportRun.objects.get()
        preview = self.client.get(f"{PAGE}{run.token}/")
        self.assertContains(preview, "Regel 3: kind: onbekende waarde")
        self.assertNotContains(preview, "Bevestigen en importeren")

        response = self.client.post(f"{PAGE}{run.token}/", follow=True)
        self.assertContains(response, "niets geïmporteerd")
        self.assertEqual(self.state(), before)
        self.assertFalse(PartnerPage.objects.filter(external_id="BS-001").exists())

    def test_an_oversize_file_is_refused_with_a_message(self):
        with override_settings(LEERSTAD_CSV_IMPORT_MAX_BYTES=100):
            response = self.post_file(to_csv([partner_row("BS-001")]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "een import neemt ten hoogste 100\xa0bytes")
        self.assertFalse(ImportRun.objects.exists())

    def test_a_preview_is_only_its_uploaders(self):
        self.post_file(to_csv([partner_row("BS-001")]))
        run = ImportRun.objects.get()
        other = make_user("mark", Group.objects.get(name="Municipal editors"))
        self.client.force_login(other)
        self.assertEqual(self.client.get(f"{PAGE}{run.token}/").status_code, 404)
        self.assertEqual(self.client.post(f"{PAGE}{run.token}/").status_code, 404)
        self.assertFalse(PartnerPage.objects.filter(external_id="BS-001").exists())

    def test_a_partner_editor_cannot_import(self):
        call_command("make_partner_editor", "lies", str(self.library.pk), stdout=StringIO())
        self.client.force_login(get_user_model().objects.get(username="lies"))
        self.assertNotContains(self.client.get("/admin/"), PAGE)
        response = self.post_file(to_csv([partner_row("BS-001")]))
        self.assertEqual(response.status_code, 302)  # Wagtail's "no permission" redirect
        self.assertFalse(ImportRun.objects.exists())

    @time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False)
    def test_a_calendar_is_previewed_and_imported_under_its_organiser(self):
        response = self.post_file(calendar(vevent("a@bib"), vevent("b@bib")), kind="calendar", name="agenda.ics")
        self.assertFormError(
            response.context["form"], "partner", "Kies de partner die de activiteiten van de agenda organiseert."
        )
        self.post_file(
            calendar(vevent("a@bib"), vevent("b@bib")), kind="calendar", name="agenda.ics", partner=self.library.pk
        )
        run = ImportRun.objects.get()
        self.assertEqual((run.kind, run.created, run.errors), (ImportKind.CALENDAR, 2, []))
        self.assertFalse(EventPage.objects.exists())
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"{PAGE}{run.token}/")
        self.assertEqual({event.get_parent().pk for event in EventPage.objects.all()}, {self.library.pk})

    @time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False)
    def test_a_calendar_with_a_bad_event_imports_nothing(self):
        self.post_file(
            calendar(vevent("a@bib"), vevent("b@bib", summary="")),
            kind="calendar",
            name="agenda.ics",
            partner=self.library.pk,
        )
        run = ImportRun.objects.get()
        self.assertContains(self.client.get(f"{PAGE}{run.token}/"), "b@bib: het evenement heeft geen SUMMARY")
        self.client.post(f"{PAGE}{run.token}/")
        self.assertFalse(EventPage.objects.exists())


class ImportsPanelTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, _locales = make_portal()
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.library = PartnerPageFactory(parent=directory, title="Bibliotheek Noord")
        cls.other = PartnerPageFactory(parent=directory, title="Buurthuis Zuid")
        call_command("make_partner_editor", "lies", str(cls.library.pk), stdout=StringIO())
        cls.lies = get_user_model().objects.get(username="lies")
        cls.mira = make_user("mira", Group.objects.get(name="Municipal editors"))
        for partner, error in ((cls.library, "noord@uid: the event has no SUMMARY"), (cls.other, "zuid-fout")):
            ImportRun.objects.create(
                kind=ImportKind.SUBSCRIPTION,
                status=ImportStatus.PARTIAL,
                partner=partner,
                source=f"https://{partner.slug}.example/agenda.ics",
                created=1,
                errors=[error],
            )
        ImportRun.objects.create(
            kind=ImportKind.PARTNERS, status=ImportStatus.PREVIEW, source="wacht.csv", user=cls.mira
        )

    def test_the_panel_shows_runs_with_their_errors_and_partner_editors_see_their_own(self):
        self.client.force_login(self.mira)
        response = self.client.get("/admin/")
        self.assertContains(response, "Laatste imports en abonnementen")
        self.assertContains(response, "noord@uid: the event has no SUMMARY")
        self.assertContains(response, "zuid-fout")
        self.assertNotContains(response, "wacht.csv")  # a preview waiting for confirmation is no import yet

        self.client.force_login(self.lies)
        response = self.client.get("/admin/")
        self.assertContains(response, "noord@uid")
        self.assertNotContains(response, "zuid-fout")
        theirs = ImportRun.objects.get(partner=self.other)
        self.assertEqual(self.client.get(f"{PAGE}{theirs.token}/").status_code, 404)
        mine = ImportRun.objects.get(partner=self.library)
        self.assertContains(self.client.get(f"{PAGE}{mine.token}/"), "noord@uid")

    def test_the_panel_costs_the_same_queries_for_many_runs(self):
        self.client.force_login(self.mira)
        self.client.get("/admin/")
        with CaptureQueriesContext(connection) as few:
            self.client.get("/admin/")
        for number in range(12):
            ImportRun.objects.create(
                kind=ImportKind.SUBSCRIPTION, status=ImportStatus.APPLIED, partner=self.library, source=f"{number}"
            )
        with self.assertNumQueries(len(few)):
            self.client.get("/admin/")
