import csv
import io
import tempfile
from datetime import date, time
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase
from wagtail.models import Page, Revision

from partners.importexport import (
    CHILD_CENTRES,
    PARTNERS,
    CellError,
    CSVImportError,
    OpeningExceptions,
    OpeningHours,
    import_csv,
    read_csv,
)
from partners.models import ChildCentrePage, PartnerPage
from tests.learningcity.utils import make_portal

from .factories import (
    ChildCentreIndexPageFactory,
    MunicipalityFactory,
    NetworkFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)

PARTNER_HEADER = [
    "external_id",
    "title",
    "kind",
    "sector",
    "summary",
    "email",
    "website",
    "street",
    "postcode",
    "municipality",
    "country",
    "opening_hours",
    "languages",
    "accessibility",
    "aspnet",
    "aspnet_since",
    "networks",
    "sdg_targets",
]


def partner_row(external_id="BS-001", **cells):
    row = {
        "external_id": external_id,
        "title": f"Basisschool {external_id}",
        "kind": "primary-school",
        "sector": "education",
        "summary": "Een school voor kinderen van 2,5 tot 12 jaar.",
        "email": "info@school.example",
        "website": "https://school.example/",
        "street": "Schoolstraat 1",
        "postcode": "9999",
        "municipality": "99001",
        "country": "BE",
        "opening_hours": "ma-di 08:30-15:30; wo 08:30-12:00; do-vr 08:30-15:30",
        "languages": "nl; fr",
        "accessibility": "step-free",
        "aspnet": "yes",
        "aspnet_since": "2019",
        "networks": "scholenplatform",
        "sdg_targets": "4.1; 4.7",
    }
    row.update(cells)
    return row


def to_csv(rows, header=PARTNER_HEADER, bom=False):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" if bom else "") + buffer.getvalue()


class ImportExportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.index = PartnerIndexPageFactory(parent=cls.home)
        cls.centres = ChildCentreIndexPageFactory(parent=cls.home)
        cls.municipality = MunicipalityFactory(code="99001", name="Lindeveld")
        cls.network = NetworkFactory(slug="scholenplatform", name="Scholenplatform", locale=cls.locales["nl"])

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, content: str, name="import.csv") -> str:
        path = Path(self.tmp.name) / name
        path.write_text(content, encoding="utf-8")
        return str(path)

    def call(self, command, *args, **options):
        out, err = io.StringIO(), io.StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command(command, *args, stdout=out, stderr=err, **options)
        return out.getvalue(), err.getvalue()

    def state(self):
        return Page.objects.count(), Revision.objects.count()


class ImportPartnersTests(ImportExportTestCase):
    def test_creates_published_pages_with_every_column(self):
        path = self.write(to_csv([partner_row("BS-001"), partner_row("BS-002", aspnet="no", aspnet_since="")]))
        out, err = self.call("import_partners", path)
        self.assertIn("Created 2, updated 0, unchanged 0 partners.", out)
        self.assertIn("checked 2/2 rows", err)
        page = PartnerPage.objects.get(external_id="BS-001")
        self.assertTrue(page.live)
        self.assertEqual(page.get_parent().specific, self.index)
        self.assertEqual(page.locale, self.locales["nl"])
        self.assertEqual(page.municipality, self.municipality)
        self.assertEqual(page.aspnet_since, 2019)
        self.assertEqual(sorted(page.languages.values_list("code", flat=True)), ["fr", "nl"])
        self.assertEqual(list(page.networks.all()), [self.network])
        self.assertEqual(sorted(page.sdg_targets.values_list("code", flat=True)), ["4.1", "4.7"])
        hours = [(h.first_day, h.last_day, h.opens, h.closes) for h in page.opening_hours.all()]
        self.assertEqual(hours[1], (2, 2, time(8, 30), time(12, 0)))
        # The tags travel with the revision, so a later publish from it keeps them.
        revision_page = page.get_latest_revision_as_object()
        self.assertEqual(sorted(t.code for t in revision_page.sdg_targets.all()), ["4.1", "4.7"])

    def test_a_second_import_of_the_same_file_changes_nothing(self):
        path = self.write(to_csv([partner_row("BS-001"), partner_row("BS-002")], bom=True))
        self.call("import_partners", path)
        before = self.state()
        out, _err = self.call("import_partners", path)
        self.assertIn("Nothing changed: all 2 partners in the file match the site.", out)
        self.assertEqual(self.state(), before)

    def test_a_changed_row_updates_the_page_with_its_external_id(self):
        self.call("import_partners", self.write(to_csv([partner_row("BS-001"), partner_row("BS-002")])))
        page = PartnerPage.objects.get(external_id="BS-001")
        revisions = page.revisions.count()
        changed = partner_row("BS-001", title="Basisschool De Linde", languages="nl; ar", sdg_targets="4.1")
        out, _err = self.call("import_partners", self.write(to_csv([changed, partner_row("BS-002")])))
        self.assertIn("Created 0, updated 1, unchanged 1 partners.", out)
        self.assertEqual(PartnerPage.objects.count(), 2)
        page.refresh_from_db()
        self.assertEqual(page.title, "Basisschool De Linde")
        self.assertEqual(page.revisions.count(), revisions + 1)
        self.assertFalse(page.has_unpublished_changes)
        self.assertEqual(sorted(page.languages.values_list("code", flat=True)), ["ar", "nl"])
        self.assertEqual(list(page.sdg_targets.values_list("code", flat=True)), ["4.1"])

    def test_columns_left_out_of_the_file_are_left_alone(self):
        self.call("import_partners", self.write(to_csv([partner_row("BS-001")])))
        header = ["external_id", "title", "kind", "sector", "summary"]
        row = {key: value for key, value in partner_row("BS-001", summary="Nieuw.").items() if key in header}
        self.call("import_partners", self.write(to_csv([row], header=header)))
        page = PartnerPage.objects.get(external_id="BS-001")
        self.assertEqual(page.summary, "Nieuw.")
        self.assertEqual(page.email, "info@school.example")
        self.assertEqual(page.networks.count(), 1)

    def test_dry_run_reports_and_writes_nothing(self):
        before = self.state()
        out, _err = self.call("import_partners", self.write(to_csv([partner_row()])), dry_run=True)
        self.assertIn("Dry run: would create 1", out)
        self.assertIn("nothing was written", out)
        self.assertEqual(self.state(), before)

    def test_bad_rows_are_reported_with_line_number_and_reason(self):
        cases = [
            ({"kind": "school"}, "Line 3: kind: unknown value 'school'; allowed: primary-school, secondary-school"),
            ({"municipality": "12345"}, "Line 3: municipality: unknown municipality code '12345'; known codes: 99001"),
            ({"postcode": "99"}, "Line 3: postcode: '99' is not a postcode of BE"),
            ({"email": "not-an-email"}, "Line 3: email: Enter a valid email address."),
            ({"website": "school"}, "Line 3: website: Enter a valid URL."),
            ({"title": ""}, "Line 3: title is required."),
            ({"languages": "nl; xx"}, "Line 3: languages: unknown language 'xx'; allowed: nl, fr, en"),
            ({"networks": "mos"}, "Line 3: networks: unknown network 'mos'; allowed: scholenplatform"),
            ({"sdg_targets": "4.9"}, "Line 3: sdg_targets: unknown SDG target '4.9'"),
            ({"opening_hours": "maandag 9-5"}, "Line 3: opening_hours: cannot read opening hours 'maandag 9-5'"),
            ({"opening_hours": "ma 17:00-09:00"}, "Line 3: opening_hours: The closing time must be after"),
            ({"aspnet": "no"}, "Line 3: aspnet_since: Only ASPnet member schools have a year of joining."),
            ({"aspnet": "perhaps"}, "Line 3: aspnet: 'perhaps' is not yes or no"),
        ]
        for cells, message in cases:
            with self.subTest(cells=cells):
                path = self.write(to_csv([partner_row("BS-001"), partner_row("BS-002", **cells)]))
                before = self.state()
                with self.assertRaisesMessage(CommandError, message) as raised:
                    self.call("import_partners", path)
                self.assertIn("Nothing was imported", str(raised.exception))
                self.assertEqual(self.state(), before)
                self.assertFalse(PartnerPage.objects.exists())

    def test_a_duplicate_external_id_in_the_file_names_both_lines(self):
        path = self.write(to_csv([partner_row("BS-001"), partner_row("BS-002"), partner_row("BS-001")]))
        with self.assertRaisesMessage(CommandError, "Line 4: external_id 'BS-001' is also on line 2."):
            self.call("import_partners", path)
        self.assertFalse(PartnerPage.objects.exists())

    def test_a_failing_import_leaves_existing_pages_and_revisions_unchanged(self):
        self.call("import_partners", self.write(to_csv([partner_row("BS-001")])))
        before = self.state()
        rows = [partner_row("BS-001", title="Nieuwe naam"), partner_row("BS-002"), partner_row("BS-003", kind="x")]
        with self.assertRaises(CommandError):
            self.call("import_partners", self.write(to_csv(rows)))
        self.assertEqual(self.state(), before)
        self.assertEqual(PartnerPage.objects.get().title, "Basisschool BS-001")

    def test_header_problems_are_reported(self):
        cases = [
            (["external_id", "title", "kind", "summary"], "Line 1: missing required column(s): sector."),
            (PARTNER_HEADER + ["colour"], "Line 1: unknown column(s): colour; allowed: external_id, title"),
        ]
        for header, message in cases:
            with self.subTest(header=header), self.assertRaisesMessage(CommandError, message):
                self.call("import_partners", self.write(",".join(header) + "\n"))

    def test_unreadable_files_give_a_clear_error(self):
        latin1 = Path(self.tmp.name) / "latin1.csv"
        latin1.write_bytes("external_id,title\nX,Café\n".encode("latin-1"))
        cases = [
            (str(latin1), "The file is not UTF-8 text"),
            (self.write(""), "The file is empty; it needs a header row."),
            (str(Path(self.tmp.name) / "missing.csv"), "Cannot read the file"),
        ]
        for path, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(CommandError, message):
                self.call("import_partners", path)

    def test_parent_option_must_name_a_partner_directory(self):
        path = self.write(to_csv([partner_row()]))
        with self.assertRaisesMessage(CommandError, "is not a partner directory"):
            self.call("import_partners", path, parent=self.home.pk)
        self.call("import_partners", path, parent=self.index.pk)
        self.assertEqual(PartnerPage.objects.get().get_parent().pk, self.index.pk)

    def test_progress_is_shown_every_hundred_rows(self):
        rows = [partner_row(f"BS-{number:03d}") for number in range(150)]
        _out, err = self.call("import_partners", self.write(to_csv(rows)), dry_run=True)
        self.assertEqual(err.splitlines(), ["checked 100/150 rows", "checked 150/150 rows"])


class RoundTripTests(ImportExportTestCase):
    def export(self, command="export_partners"):
        path = Path(self.tmp.name) / f"{command}.csv"
        self.call(command, str(path))
        return path.read_text(encoding="utf-8")

    def test_export_wipe_import_export_gives_the_identical_file(self):
        rows = [
            partner_row("BS-001", opening_hours="ma-vr 08:30-17:00; za 10:00-12:00"),
            partner_row("BIB-001", kind="library", sector="government", aspnet="no", aspnet_since="", networks=""),
        ]
        self.call("import_partners", self.write(to_csv(rows)))
        page = PartnerPage.objects.get(external_id="BIB-001")
        page.opening_hours_exceptions.create(date=date(2026, 12, 24), closed=False, opens=time(10), closes=time(12))
        page.latitude, page.longitude = "51.054300", "3.717400"
        page.save()
        first = self.export()
        self.assertIn("2026-12-24 10:00-12:00", first)
        self.assertIn("ma-vr 08:30-17:00; za 10:00-12:00", first)

        before = self.state()
        out, _err = self.call("import_partners", self.write(first, "export.csv"))
        self.assertIn("Nothing changed", out)
        self.assertEqual(self.state(), before)

        PartnerPage.objects.all().delete()
        self.call("import_partners", self.write(first, "export.csv"))
        self.assertEqual(self.export(), first)

    def test_pages_without_an_external_id_are_left_out_with_a_warning(self):
        PartnerPageFactory(parent=self.index, title="Zonder nummer", municipality=self.municipality)
        path = Path(self.tmp.name) / "out.csv"
        out, err = self.call("export_partners", str(path))
        self.assertIn("Exported 0 partners", out)
        self.assertIn("Left out 'Zonder nummer'", err)

    def test_child_centres_round_trip_with_member_partners(self):
        self.call("import_partners", self.write(to_csv([partner_row("BS-001"), partner_row("BS-002")])))
        header = CHILD_CENTRES.header
        row = dict.fromkeys(header, "")
        row.update(
            external_id="IKC-1",
            title="Kindcentrum De Linde",
            summary="Opvang en school onder één dak.",
            min_age_months="3",
            max_age_months="155",
            services="childcare; pre-school",
            member_partners="BS-002; BS-001",
            capacity="120",
            municipality="99001",
            postcode="9999",
            opening_hours="ma-vr 07:00-18:30",
            opening_exceptions="2026-12-25 gesloten",
            sdg_targets="4.2; 10.2",
        )
        out, _err = self.call("import_childcentres", self.write(to_csv([row], header=header)))
        self.assertIn("Created 1", out)
        centre = ChildCentrePage.objects.get()
        self.assertEqual(centre.get_parent().pk, self.centres.pk)
        self.assertEqual(sorted(centre.member_partners.values_list("external_id", flat=True)), ["BS-001", "BS-002"])
        first = self.export("export_childcentres")
        self.assertIn("BS-001; BS-002", first)
        self.assertIn("2026-12-25 gesloten", first)
        out, _err = self.call("import_childcentres", self.write(first, "centres.csv"))
        self.assertIn("Nothing changed", out)
        ChildCentrePage.objects.all().delete()
        self.call("import_childcentres", self.write(first, "centres.csv"))
        self.assertEqual(self.export("export_childcentres"), first)

    def test_child_centre_errors_name_the_column(self):
        header = ["external_id", "title", "summary", "min_age_months", "max_age_months", "member_partners"]
        cases = [
            ({"member_partners": "NOPE"}, "Line 2: member_partners: unknown partner external_id 'NOPE'"),
            ({"min_age_months": "60", "max_age_months": "12"}, "Line 2: max_age_months: The oldest age is below"),
            ({"max_age_months": "twelve"}, "Line 2: max_age_months: 'twelve' is not a whole number"),
        ]
        for cells, message in cases:
            row = {"external_id": "IKC-1", "title": "Kindcentrum", "summary": "Samen.", **cells}
            with self.subTest(cells=cells), self.assertRaisesMessage(CommandError, message):
                self.call("import_childcentres", self.write(to_csv([row], header=header)))
        self.assertFalse(ChildCentrePage.objects.exists())


class ImportUnitTests(ImportExportTestCase):
    def test_import_csv_raises_with_every_error_of_the_file(self):
        source = io.StringIO(to_csv([partner_row("A", kind="x"), partner_row("B", sector="y")]))
        with self.assertRaises(CSVImportError) as raised:
            import_csv(source, PARTNERS)
        self.assertEqual(len(raised.exception.errors), 2)
        self.assertTrue(raised.exception.errors[0].startswith("Line 2: kind:"))
        self.assertTrue(raised.exception.errors[1].startswith("Line 3: sector:"))

    def test_quoted_values_with_line_breaks_keep_line_numbers_right(self):
        content = to_csv([partner_row("A", summary="Regel een\nregel twee"), partner_row("B", kind="x")])
        with self.assertRaisesMessage(CSVImportError, "Line 4: kind"):
            import_csv(io.StringIO(content), PARTNERS)


class OpeningHoursNotationTests(SimpleTestCase):
    def test_opening_hours_round_trip(self):
        codec = OpeningHours()
        for cell in ("ma-vr 08:30-17:00; za 10:00-12:00", "zo 09:00-12:00", ""):
            with self.subTest(cell=cell):
                self.assertEqual(codec.format(codec.parse(cell, None)), cell)
        self.assertEqual(
            codec.format(codec.parse("MA-VR 8:30-17:00;za 10:00-12:00", None)), "ma-vr 08:30-17:00; za 10:00-12:00"
        )

    def test_exceptions_round_trip(self):
        codec = OpeningExceptions()
        cell = "2026-12-24 08:30-12:00; 2026-12-25 gesloten"
        self.assertEqual(codec.format(codec.parse(cell, None)), cell)
        self.assertEqual(codec.parse("2026-12-25 closed", None), [(date(2026, 12, 25), True, None, None)])

    def test_unreadable_notations_say_what_to_write(self):
        for codec, cell in [
            (OpeningHours(), "xx 08:00-09:00"),
            (OpeningHours(), "ma 25:00-26:00"),
            (OpeningExceptions(), "2026-02-30 gesloten"),
            (OpeningExceptions(), "2026-12-25 misschien"),
        ]:
            with self.subTest(cell=cell), self.assertRaises(CellError):
                codec.parse(cell, None)

    def test_read_csv_accepts_a_byte_order_mark(self):
        header, rows = read_csv(io.BytesIO("\ufeffexternal_id,title\nA,Één\n".encode()))
        self.assertEqual(header, ["external_id", "title"])
        self.assertEqual(rows, [(2, {"external_id": "A", "title": "Één"})])
