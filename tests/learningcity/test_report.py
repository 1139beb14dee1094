"""The learning city's report in the admin: its figures (the listings' and the API's), exports, bounds and scope."""

import csv
import io
import zipfile
from datetime import timedelta
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.test.utils import WagtailPageTestCase
from wagtail.users.models import UserProfile

from events.enums import AttendanceMode
from events.models import Theme
from learningcity.models import SDGTarget
from partners.enums import PartnerKind, PartnershipStatus, Sector
from partners.models import ChildCentreService
from tests.api.test_partner_detail import partnership_with
from tests.events.factories import EventIndexPageFactory, EventPageFactory, publish
from tests.learningcity.factories import ContentPageFactory, SDGIndexPageFactory
from tests.partners.factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    MunicipalityFactory,
    NetworkFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)
from tests.partners.test_editor_scope import make_user

from .utils import make_portal, sync_translation

REPORT = "/admin/reports/learning-city/"
EVENTS = "/api/v3/events/"
PARTNERS = "/api/v3/partners/"


def tagged(page, *codes):
    page.sdg_targets = list(SDGTarget.objects.filter(code__in=codes))
    return page


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


class ReportTestCase(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.today = timezone.localdate()
        cls.first, cls.last = cls.today - timedelta(days=40), cls.today + timedelta(days=40)
        cls.period = {"date_from": cls.first.isoformat(), "date_to": cls.last.isoformat()}
        cls.lindeveld = MunicipalityFactory(name="Lindeveld", code="gm0101")
        cls.oosterhout = MunicipalityFactory(name="Oosterhout", code="gm0102")
        directory = PartnerIndexPageFactory(parent=cls.home)
        agenda = EventIndexPageFactory(parent=cls.home)
        cls.network = NetworkFactory(name="Scholenplatform Rivierenland", slug="scholenplatform")
        cls.library = publish(
            tagged(
                PartnerPageFactory(parent=directory, title="Bibliotheek Lindeveld", municipality=cls.lindeveld),
                "4.6",
                "11.4",
            )
        )
        school = tagged(
            PartnerPageFactory(
                parent=directory,
                title="Basisschool De Eik",
                kind=PartnerKind.PRIMARY_SCHOOL,
                sector=Sector.EDUCATION,
                is_aspnet_member=True,
                municipality=cls.oosterhout,
            ),
            "4.7",
        )
        school.networks = [cls.network]
        cls.school = publish(school)
        cls.company = publish(
            tagged(
                PartnerPageFactory(
                    parent=directory,
                    title="Drukkerij Ter Linde",
                    kind=PartnerKind.BUSINESS,
                    sector=Sector.BUSINESS,
                    municipality=cls.lindeveld,
                ),
                "8.6",
            )
        )
        for locale in ("en", "fr"):
            sync_translation(directory, cls.locales[locale])
            sync_translation(cls.library, cls.locales[locale])  # translations count once

        centres = ChildCentreIndexPageFactory(parent=cls.home)
        centre = tagged(
            ChildCentrePageFactory(
                parent=centres, municipality=cls.oosterhout, min_age_months=0, max_age_months=47, capacity=80
            ),
            "4.2",
            "10.2",
        )
        centre.member_partners = [cls.school]
        centre.services = list(ChildCentreService.objects.filter(code="childcare"))
        cls.centre = publish(centre)

        cls.twinning = tagged(
            partnership_with(
                [cls.school],
                "Scholenband met Kigali",
                external=[("École Amahoro", "Kigali", "Rwanda")],
                start_date=cls.today - timedelta(days=400),
                status=PartnershipStatus.ACTIVE,
            ),
            "4.7",
        )
        cls.twinning.save()
        publish(tagged(ContentPageFactory(parent=cls.home, title="Leven lang leren"), "11.3"))

        def event(parent, title, dates, *codes, themes=(), **fields):
            page = tagged(EventPageFactory(parent=parent, title=title, start_date=dates[0], **fields), *codes)
            page.themes = list(Theme.objects.filter(code__in=themes))
            return page, dates[1:]

        soon = cls.today + timedelta(days=3)
        page, extra = event(
            cls.library,
            "Voorleesuurtje",
            [soon, soon + timedelta(days=7), soon + timedelta(days=14)],
            "4.6",
            themes=["reading"],
            venue=cls.library,
        )
        page.organisers = [cls.library]
        cls.reading = publish(page, extra_dates=extra)
        page, extra = event(
            cls.school,
            "Robotica voor ouders en kinderen",
            [soon + timedelta(days=1), soon + timedelta(days=8)],
            "4.1",
            "4.7",
            themes=["stem", "parenting"],
            venue=cls.school,
            is_free=False,
            price="5.00",
            attendance_mode=AttendanceMode.MIXED,
            online_url="https://proefstad.example/live",
        )
        page.organisers = [cls.school]
        cls.robots = publish(page, extra_dates=extra)
        page, extra = event(agenda, "Stadswandeling", [soon + timedelta(days=2), soon + timedelta(days=9)], "11.4")
        cls.walk = publish(
            page,
            extra_dates=extra,
            exceptions=[{"original_date": soon + timedelta(days=9), "status": "cancelled"}],
        )
        # Outside the period: not counted.
        page, extra = event(cls.library, "Later", [cls.last + timedelta(days=10)], "4.6", themes=["reading"])
        publish(page)

        cls.mira = make_user("mira", Group.objects.get(name="Municipal editors"), language="en")
        cls.marie = make_user("marie", Group.objects.get(name="Municipal editors"), language="nl")
        call_command("make_partner_editor", "lies", str(cls.library.pk), stdout=StringIO())
        cls.lies = get_user_model().objects.get(username="lies")
        profile = UserProfile.get_for_user(cls.lies)
        profile.preferred_language = "en"
        profile.save()

    def report(self, user=None, **params):
        self.client.force_login(user or self.mira)
        return self.client.get(REPORT, {**self.period, **params})

    def table(self, key, user=None, **params) -> dict[str, dict[str, str]]:
        """A table of the report's CSV export, by the first column's value and the column's heading."""
        response = self.report(user, export="csv", table=key, **params)
        self.assertEqual(response.status_code, 200, response.content[:500])
        header, *rows = read_csv(response)
        return {row[0]: dict(zip(header, row, strict=True)) for row in rows}

    def api_count(self, url, **params) -> int:
        self.client.logout()
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, response.content[:500])
        return response.json()["count"]


class ReportPageTests(ReportTestCase):
    def test_reports_menu_links_to_the_report_in_dutch(self):
        self.client.force_login(self.marie)
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, REPORT)
        response = self.client.get(REPORT)
        self.assertContains(response, "Rapport lerende stad")
        self.assertContains(response, "Koppeling aan de SDG&#x27;s")
        self.assertContains(response, "Het leeraanbod")

    def test_the_page_shows_each_chart_as_an_accessible_svg_beside_its_table(self):
        response = self.report()
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('role="img"', html)
        self.assertIn('<title id="chart-sdg-goals-title">Tagged items per goal</title>', html)
        self.assertIn('<desc id="chart-sdg-goals-desc">', html)
        self.assertIn('fill="#C5192D"', html)  # SDG 4's official red
        self.assertIn('aria-labelledby="chart-sdg-goals-title chart-sdg-goals-desc"', html)
        self.assertNotIn("<script", html.split('class="report-filters"', 1)[1].split("</main>", 1)[0])
        self.assertEqual(html.count('role="img"'), html.count('<figure class="report-table__chart">'))

    def test_sdg_goals_come_4_10_11_first_one_row_per_goal(self):
        response = self.report(export="csv", table="sdg-goals")
        header, *rows = read_csv(response)
        self.assertEqual(
            header[:8],
            ["Goal", "Title", "Partners", "Child centres", "Partnerships", "Content pages", "Events", "Event dates"],
        )
        self.assertEqual([row[0] for row in rows[:4]], ["4", "10", "11", "1"])
        self.assertEqual(sorted(int(row[0]) for row in rows), list(range(1, 18)))
        goals = {row[0]: row for row in rows}
        # partners, child centres, partnerships, pages, events, dates (the cancelled walk left out), all items
        self.assertEqual(goals["4"][2:], ["2", "1", "1", "0", "2", "5", "6"])
        self.assertEqual(goals["10"][2:], ["0", "1", "0", "0", "0", "0", "1"])
        self.assertEqual(goals["11"][2:], ["1", "0", "0", "1", "1", "1", "3"])
        self.assertEqual(goals["8"][2:], ["1", "0", "0", "0", "0", "0", "1"])

    def test_targets_and_those_nobody_works_on(self):
        targets = self.table("sdg-targets")
        self.assertEqual(targets["4.7"]["Partners"], "1")
        self.assertEqual(targets["4.7"]["Partnerships"], "1")
        self.assertEqual(targets["4.7"]["Event dates"], "2")
        self.assertEqual(targets["4.6"]["Event dates"], "3")
        self.assertEqual(len(targets), 169)
        untouched = self.table("sdg-untouched-targets")
        self.assertIn("4.c", untouched)
        self.assertNotIn("4.7", untouched)
        self.assertEqual(len(untouched), 169 - 8)

    def test_learning_offer_by_theme_cost_attendance_and_organiser(self):
        themes = self.table("offer-by-theme")
        self.assertEqual(
            (themes["Reading and writing"]["Activities"], themes["Reading and writing"]["Dates"]), ("1", "3")
        )
        self.assertEqual(themes["Parenting and family"]["Dates"], "2")
        self.assertEqual(themes["None given"]["Dates"], "1")
        cost = self.table("offer-by-cost")
        self.assertEqual((cost["Free"]["Dates"], cost["Paying"]["Dates"]), ("4", "2"))
        attendance = self.table("offer-by-attendance")
        self.assertEqual(attendance["On site and online"]["Activities"], "1")
        sectors = self.table("offer-by-sector")
        self.assertEqual((sectors["Government"]["Dates"], sectors["Education"]["Dates"]), ("3", "2"))
        municipalities = self.table("offer-by-municipality")
        self.assertEqual(municipalities["Lindeveld"]["Dates"], "3")
        self.assertEqual(municipalities["Oosterhout"]["Dates"], "2")
        totals = self.table("offer-totals")
        self.assertEqual((totals["Activities"]["Number"], totals["Dates"]["Number"]), ("3", "6"))

    def test_dates_per_month_or_quarter_cover_the_whole_period_with_the_change(self):
        months = self.table("offer-over-time")
        self.assertEqual(list(months)[0], f"{self.first.year}-{self.first.month:02d}")
        self.assertEqual(sum(int(row["Dates"]) for row in months.values()), 6)
        self.assertEqual(list(months.values())[0]["Change in dates"], "")
        quarters = self.table("offer-over-time", interval="quarter")
        self.assertTrue(all(" Q" in label for label in quarters))
        self.assertEqual(sum(int(row["Dates"]) for row in quarters.values()), 6)

    def test_ecosystem(self):
        kinds = self.table("partners-by-kind")
        self.assertEqual(kinds["Library"]["Partners"], "1")
        self.assertEqual(len(kinds), len(PartnerKind))
        memberships = self.table("memberships")
        self.assertEqual(memberships["All partners"]["Partners"], "3")
        self.assertEqual(memberships["UNESCO Associated Schools (ASPnet)"]["Partners"], "1")
        self.assertEqual(self.table("networks")["Scholenplatform Rivierenland"]["Partners"], "1")
        partnerships = self.table("partnerships")
        self.assertEqual(partnerships["North–South school partnership"]["Active"], "1")
        documents = self.table("partnership-documents")
        self.assertEqual(documents["Active"]["Without an agreement"], "1")
        self.assertEqual(documents["Active"]["With an action plan"], "0")
        centres = self.table("child-centres")
        self.assertEqual((centres["Child centres"]["Number"], centres["Places"]["Number"]), ("1", "80"))
        ages = self.table("child-centre-ages")
        self.assertEqual((ages["3"]["Child centres"], ages["4"]["Child centres"]), ("1", "0"))
        self.assertEqual(self.table("child-centre-services")["Childcare"]["Child centres"], "1")

    def test_a_municipality_narrows_partners_and_events(self):
        memberships = self.table("memberships", municipality="gm0101")
        self.assertEqual(memberships["All partners"]["Partners"], "2")
        totals = self.table("offer-totals", municipality="gm0101")
        self.assertEqual(totals["Dates"]["Number"], "3")


class ReportMatchesTheAPITests(ReportTestCase):
    """The report counts with the listings' FilterSets: its figures are the API's ``count`` for the same filters."""

    def test_sdg_4_dates_equal_the_agenda_api(self):
        dates = self.table("sdg-goals")["4"]["Event dates"]
        api = self.api_count(EVENTS, sdg="4", **{"from": self.first.isoformat(), "to": self.last.isoformat()})
        self.assertEqual(int(dates), api)
        self.assertEqual(api, 5)

    def test_a_theme_equals_the_agenda_api(self):
        dates = self.table("offer-by-theme")["Science, technology and maths"]["Dates"]
        api = self.api_count(EVENTS, theme="stem", **{"from": self.first.isoformat(), "to": self.last.isoformat()})
        self.assertEqual((int(dates), api), (2, 2))

    def test_a_municipality_equals_the_agenda_and_directory_api(self):
        totals = self.table("offer-totals", municipality="gm0102")
        period = {"from": self.first.isoformat(), "to": self.last.isoformat()}
        self.assertEqual(int(totals["Dates"]["Number"]), self.api_count(EVENTS, municipality="gm0102", **period))
        partners = self.table("memberships", municipality="gm0102")["All partners"]["Partners"]
        self.assertEqual((int(partners), self.api_count(PARTNERS, municipality="gm0102")), (1, 1))

    def test_partners_per_goal_and_kind_equal_the_directory_api(self):
        self.assertEqual(int(self.table("sdg-goals")["4"]["Partners"]), self.api_count(PARTNERS, sdg="4"))
        self.assertEqual(int(self.table("sdg-targets")["4.7"]["Partners"]), self.api_count(PARTNERS, sdg="4.7"))
        kinds = self.table("partners-by-kind")
        self.assertEqual(
            int(kinds["Company or business association"]["Partners"]), self.api_count(PARTNERS, kind="business")
        )


class ReportExportTests(ReportTestCase):
    def test_zip_holds_every_table_as_csv(self):
        response = self.report(export="zip")
        self.assertEqual(response["Content-Type"], "application/zip")
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            names = archive.namelist()
            self.assertIn("sdg-goals.csv", names)
            self.assertIn("offer-by-theme.csv", names)
            rows = list(csv.reader(io.StringIO(archive.read("sdg-goals.csv").decode("utf-8-sig"))))
        self.assertEqual(len(rows), 18)

    def test_xlsx_opens_with_a_sheet_per_table(self):
        response = self.report(export="xlsx")
        self.assertIn("attachment;", response["Content-Disposition"])
        workbook = load_workbook(io.BytesIO(response.content))
        self.assertIn("sdg-goals", workbook.sheetnames)
        sheet = workbook["sdg-goals"]
        self.assertEqual(sheet["A1"].value, "Tagged items per goal")
        self.assertEqual(sheet["A4"].value, "Goal")
        self.assertEqual((sheet["A5"].value, sheet["C5"].value), (4, 2))

    def test_printable_report_follows_unesco_key_features(self):
        response = self.report(export="print")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        # Print styles in a stylesheet of their own (no inline styles under the CSP).
        self.assertIn('<link rel="stylesheet" href="/static/leerstad/css/report-print.css">', html)
        self.assertIn("@media print", Path(finders.find("leerstad/css/report-print.css")).read_text())
        benefits = html.index("Wider benefits")
        blocks = html.index("Major building blocks")
        conditions = html.index("Fundamental conditions")
        self.assertLess(benefits, blocks)
        self.assertLess(blocks, conditions)
        self.assertLess(html.index("SDG coverage"), blocks)
        self.assertLess(blocks, html.index("The learning offer"))
        self.assertLess(conditions, html.index("The learning ecosystem"))


class ReportBoundsTests(ReportTestCase):
    def test_bad_values_are_a_message_not_an_error(self):
        cases = {
            "not a date": ({"date_from": "2026-13-01"}, "Enter a date as YYYY-MM-DD."),
            "far past": ({"date_from": "1900-01-01"}, "is outside the period with figures"),
            "far future": ({"date_to": "9999-12-31"}, "is outside the period with figures"),
            "end before start": (
                {"date_from": self.last.isoformat(), "date_to": self.first.isoformat()},
                "The end date comes before the start date.",
            ),
            "unknown municipality": ({"municipality": "gm9999"}, "Select a valid choice."),
            "unknown export": ({"export": "pdf"}, "Choose an export"),
            "unknown table": ({"export": "csv", "table": "nope"}, "There is no such table in the report."),
            "unknown interval": ({"interval": "decade"}, "Select a valid choice."),
        }
        for name, (params, message) in cases.items():
            with self.subTest(name):
                response = self.report(**params)
                self.assertContains(response, message, status_code=400)

    def test_without_a_period_the_report_covers_this_year(self):
        self.client.force_login(self.mira)
        response = self.client.get(REPORT)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"{self.today.year}-01-01")

    def test_the_number_of_queries_does_not_grow_with_the_data(self):
        self.client.force_login(self.mira)
        requests = {
            "page": self.period,
            "by quarter": {**self.period, "interval": "quarter"},
            "zip of every table": {**self.period, "export": "zip"},
        }
        counts = {}
        for name, params in requests.items():
            self.client.get(REPORT, params)  # the site, locales and restrictions, once cached
            connection.queries_log.clear()  # a full log would leave the capture empty
            with CaptureQueriesContext(connection) as small:
                self.assertEqual(self.client.get(REPORT, params).status_code, 200)
            counts[name] = len(small)
        self.assertLess(max(counts.values()), 60)
        directory = self.library.get_parent()
        network = NetworkFactory()
        for number in range(4):
            partner = tagged(
                PartnerPageFactory(parent=directory, kind=PartnerKind.MUSEUM, municipality=self.oosterhout),
                "4.7",
                "11.4",
            )
            partner.networks = [network]
            partner = publish(partner)
            page = tagged(
                EventPageFactory(parent=partner, start_date=self.today + timedelta(days=5 + number)), "4.4", "10.2"
            )
            page.themes = list(Theme.objects.filter(code__in=["languages", "work"]))
            page.organisers = [partner]
            publish(page, extra_dates=[self.today + timedelta(days=20 + number)])
        for name, params in requests.items():
            with self.subTest(name):
                self.client.get(REPORT, params)
                with self.assertNumQueries(counts[name]):
                    response = self.client.get(REPORT, params)
                self.assertEqual(response.status_code, 200)
        self.assertContains(self.client.get(REPORT, self.period), "Museum")


class PartnerEditorReportTests(ReportTestCase):
    def test_partner_editor_sees_their_own_figures_only(self):
        self.client.force_login(self.lies)
        menu = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(menu, REPORT)
        response = self.report(self.lies)
        self.assertContains(response, "your organisation&#x27;s figures")
        goals = self.table("sdg-goals", self.lies)
        # Only the library: its profile and its story hour; not the school, its centre, partnership or events.
        self.assertEqual(goals["4"]["Partners"], "1")
        self.assertEqual(goals["4"]["Child centres"], "0")
        self.assertEqual(goals["4"]["Partnerships"], "0")
        self.assertEqual(goals["4"]["Event dates"], "3")
        self.assertNotIn("Content pages", goals["4"])
        self.assertEqual(goals["11"]["Event dates"], "0")
        self.assertEqual(self.table("memberships", self.lies)["All partners"]["Partners"], "1")
        self.assertEqual(self.table("networks", self.lies), {})
        self.assertEqual(self.table("offer-totals", self.lies)["Dates"]["Number"], "3")
        self.assertEqual(self.table("child-centres", self.lies)["Child centres"]["Number"], "0")
        for export in ("print", "xlsx", "zip"):
            with self.subTest(export):
                content = self.report(self.lies, export=export).content
                self.assertNotIn(b"Scholenplatform", content)

    def test_partner_editor_still_cannot_open_wagtails_own_reports(self):
        self.client.force_login(self.lies)
        response = self.client.get(reverse("wagtailadmin_reports:site_history"))
        self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)


class PublicSDGPagesTests(ReportTestCase):
    """The SDG overview and goal pages show the same counts and lead to the agenda and directory filtered by goal."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        sync_translation(SDGIndexPageFactory(parent=cls.home), cls.locales["en"])

    def test_overview_shows_which_goals_have_content(self):
        html = self.client.get("/nl/sdg/").content.decode()
        goal_4 = html.split('class="sdg-goal sdg-4 ', 1)[1].split("</li>", 1)[0]
        self.assertIn("2 partners", goal_4)
        self.assertIn("1 integraal kindcentrum", goal_4)
        goal_13 = html.split('class="sdg-goal sdg-13 ', 1)[1].split("</li>", 1)[0]
        self.assertIn("sdg-goal--empty", goal_13)
        self.assertIn("Nog niets gelabeld", goal_13)

    def test_goal_page_links_to_the_agenda_and_directory_filtered_by_the_goal(self):
        response = self.client.get("/nl/sdg/4/")
        self.assertContains(response, 'href="/nl/agenda/?sdg=4"')
        self.assertContains(response, 'href="/nl/partners/?sdg=4"')
        self.assertContains(response, "Activiteiten voor SDG 4 in de agenda")
        agenda = self.client.get("/nl/agenda/?sdg=4")
        self.assertContains(agenda, "Voorleesuurtje")
        self.assertNotContains(agenda, "Stadswandeling")
        directory = self.client.get("/nl/partners/?sdg=4")
        self.assertContains(directory, "Basisschool De Eik")
        self.assertNotContains(directory, "Drukkerij Ter Linde")
        english = self.client.get("/en/sdg/4/")  # the directory is translated, the agenda is not
        self.assertContains(english, 'href="/en/partners/?sdg=4"')
        self.assertContains(english, "Partners working on SDG 4 in the directory")
        self.assertNotContains(english, "in the agenda")
