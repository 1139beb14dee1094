"""The learning city's report: its figures for the council, UNESCO and the partners, for a period and municipality.

The apps contribute through the registry (``learningcity.registry``): sections (the learning offer, the ecosystem),
columns of the SDG coverage (partners, events…), the period they have figures for, the municipalities, and which
partners a user's figures are confined to. This module builds the SDG coverage from those columns, lays the
sections out along UNESCO's key features of learning cities, and exports the tables (CSV, a zip of them, XLSX).

Every figure is counted with the QuerySets and FilterSets the listings and the API use, so a report's count of the
dates tagged with SDG 4 is the agenda's count for ``?sdg=4`` over the same period.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from html import escape as escape_html

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from . import registry
from .charts import DEFAULT_COLOUR, Bar, bar_chart, column_chart

# UNESCO's Key Features of Learning Cities (2015): the wider benefits a learning city brings, the building blocks
# it works on, and the conditions that make it work. The printed report follows this order.
KEY_FEATURES = {
    "benefits": _("Wider benefits: individual empowerment, social cohesion and sustainable development"),
    "building-blocks": _(
        "Major building blocks: inclusive learning in education, families, communities and the workplace"
    ),
    "conditions": _("Fundamental conditions: governance and participation of all stakeholders"),
}
LEADING_GOALS = (4, 10, 11)  # education, reduced inequalities, cities: what the learning city reports on first
MAX_PERIOD_YEARS = 5
YEARS_AROUND_TODAY = 10  # without an app's own bounds


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: a site, a period of local dates (both included), perhaps one municipality (its code),
    and perhaps only some partners (page ids in every language, for a partner editor)."""

    site: Site | None
    date_from: date
    date_to: date
    municipality: str = ""
    partners: tuple[int, ...] | None = None
    interval: str = "month"
    cache: dict = field(default_factory=dict, compare=False, hash=False)  # what two parts of a report share

    @property
    def for_partners(self) -> bool:
        return self.partners is not None

    def restricted_paths(self) -> list[str]:
        """The tree paths of pages under a view restriction, read once per report."""
        from .caching import restricted_paths

        if "restricted" not in self.cache:
            self.cache["restricted"] = restricted_paths()
        return self.cache["restricted"]


@dataclass
class Chart:
    """How a table is drawn: ``value_column``'s numbers per row, labelled by ``label_column``."""

    kind: str = "bars"  # or "columns", for a series in time
    label_column: int = 0
    value_column: int = 1
    colours: list[str] | None = None


@dataclass
class Table:
    key: str
    title: str | Promise
    columns: list
    rows: list[list]
    description: str | Promise = ""
    chart: Chart | None = None

    def html(self) -> SafeString:
        """The table's markup: built here rather than in a template loop, as a report holds thousands of cells
        (every value escaped with the standard library's ``html.escape``, which Django's ``escape`` wraps)."""
        head = "".join(f'<th scope="col">{escape_html(str(column))}</th>' for column in self.columns)
        body = "".join(
            f'<tr><th scope="row">{escape_html(str(row[0]))}</th>'
            + "".join(f"<td>{escape_html(str(value))}</td>" for value in row[1:])
            + "</tr>"
            for row in self.rows
        )
        return mark_safe(  # noqa: S308 -- every value is escaped above
            f'<table class="listing report-table__data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        )

    def svg(self) -> SafeString | None:
        """The chart of the table, or ``None``."""
        if self.chart is None or not self.rows:
            return None
        chart = self.chart
        colours = chart.colours or [DEFAULT_COLOUR] * len(self.rows)
        bars = [
            Bar(str(row[chart.label_column]), int(row[chart.value_column] or 0), colour)
            for row, colour in zip(self.rows, colours, strict=False)
        ]
        title = str(self.title)
        description = gettext("%(column)s by %(label)s: %(values)s.") % {
            "column": self.columns[chart.value_column],
            "label": str(self.columns[chart.label_column]).lower(),
            "values": "; ".join(f"{bar.label} {bar.value}" for bar in bars),
        }
        draw = column_chart if chart.kind == "columns" else bar_chart
        return draw(f"chart-{self.key}", title, description, bars)


@dataclass
class Section:
    key: str
    title: str | Promise
    feature: str  # a key of KEY_FEATURES
    tables: list[Table] = field(default_factory=list)
    intro: str | Promise = ""


# The SDG coverage, from the columns the apps register.


def _goal_order(number: int) -> tuple[int, int]:
    return (0, LEADING_GOALS.index(number)) if number in LEADING_GOALS else (1, number)


def sdg_section(scope: ReportScope) -> Section:
    """Per goal and per target, how many items of each registered kind are tagged; the targets nobody works on."""
    from .models import SDGTarget
    from .models.sdg import pick_text

    rows = SDGTarget.objects.values_list("code", "position", "texts", "goal__number", "goal__colour", "goal__titles")
    targets = sorted(rows, key=lambda row: (_goal_order(row[3]), row[1]))
    goals = {number: (colour, titles) for _code, _position, _texts, number, colour, titles in targets}
    columns = []
    for name, label, counts, in_total in registry.sdg_counters():
        result = counts(scope)
        if result is not None:
            columns.append((name, label, result, in_total))

    def total(values: list[int]) -> int:
        return sum(value for value, (_n, _l, _r, in_total) in zip(values, columns, strict=True) if in_total)

    goal_rows = []
    for number, (_colour, titles) in goals.items():
        values = [result[0].get(number, 0) for _name, _label, result, _in_total in columns]
        goal_rows.append([number, pick_text(titles), *values, total(values)])
    target_rows, untouched = [], []
    for code, _position, texts, _number, _colour, _titles in targets:
        values = [result[1].get(code, 0) for _name, _label, result, _in_total in columns]
        text = pick_text(texts)
        target_rows.append([code, text, *values, total(values)])
        if not any(values):
            untouched.append([code, text])
    labels = [label for _name, label, _result, _in_total in columns]
    all_tagged = _("All tagged items")
    return Section(
        key="sdg",
        title=_("SDG coverage"),
        feature="benefits",
        intro=_(
            "How many partners, child centres, partnerships, pages and events are tagged with each sustainable "
            "development goal and target, SDG 4, 10 and 11 first. Events count when they have a date in the period; "
            "an item and its translations count once."
        ),
        tables=[
            Table(
                "sdg-goals",
                _("Tagged items per goal"),
                [_("Goal"), _("Title"), *labels, all_tagged],
                goal_rows,
                chart=Chart(
                    label_column=0, value_column=len(labels) + 2, colours=[colour for colour, _titles in goals.values()]
                ),
            ),
            Table(
                "sdg-targets", _("Tagged items per target"), [_("Target"), _("Text"), *labels, all_tagged], target_rows
            ),
            Table(
                "sdg-untouched-targets",
                _("Targets nobody works on"),
                [_("Target"), _("Text")],
                untouched,
                description=_("Targets with no tagged partner, child centre, partnership, page or event."),
            ),
        ],
    )


def build_report(scope: ReportScope) -> list[Section]:
    """The report's sections, SDG coverage first, in a fixed number of queries."""
    sections = [sdg_section(scope)]
    for build in registry.report_sections():
        section = build(scope)
        if section is not None:
            sections.append(section)
    return sections


def by_feature(sections: list[Section]) -> list[tuple[Promise, list[Section]]]:
    """The sections grouped under UNESCO's key features, in the framework's order."""
    return [
        (title, [section for section in sections if section.feature == key])
        for key, title in KEY_FEATURES.items()
        if any(section.feature == key for section in sections)
    ]


def find_table(sections: list[Section], key: str) -> Table | None:
    return next((table for section in sections for table in section.tables if table.key == key), None)


# Choosing the period.


def period_bounds(today: date) -> tuple[date, date]:
    """The first and last date a report may cover: the narrowest of the apps' bounds."""
    first = today - relativedelta(years=YEARS_AROUND_TODAY)
    last = today + relativedelta(years=YEARS_AROUND_TODAY)
    for bounds in registry.report_bounds():
        low, high = bounds(today)
        first, last = max(first, low), min(last, high)
    return first, last


def default_period(today: date) -> tuple[date, date]:
    """This calendar year, within the bounds."""
    first, last = period_bounds(today)
    return max(date(today.year, 1, 1), first), min(date(today.year, 12, 31), last)


def municipality_choices() -> list[tuple[str, str]]:
    choices = []
    for source in registry.report_municipalities():
        choices.extend(source())
    return choices


class ISODateField(forms.DateField):
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter a date as YYYY-MM-DD.")}


class ReportForm(forms.Form):
    """The period (local dates, both included), a municipality and months or quarters; every value bounded."""

    date_from = ISODateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = ISODateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    interval = forms.ChoiceField(
        label=_("Per"), required=False, choices=[("month", _("Month")), ("quarter", _("Quarter"))]
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["municipality"].choices = [("", _("All municipalities")), *municipality_choices()]

    def clean(self):
        data = super().clean()
        first, last = period_bounds(self.today)
        default_from, default_to = default_period(self.today)
        date_from = data.get("date_from") or default_from
        date_to = data.get("date_to") or default_to
        for name, value in (("date_from", date_from), ("date_to", date_to)):
            if name not in self.errors and not first <= value <= last:
                self.add_error(
                    name,
                    _("%(date)s is outside the period with figures, from %(first)s to %(last)s.")
                    % {"date": value.isoformat(), "first": first.isoformat(), "last": last.isoformat()},
                )
        if not self.errors:
            if date_to < date_from:
                self.add_error("date_to", _("The end date comes before the start date."))
            elif date_to > date_from + relativedelta(years=MAX_PERIOD_YEARS):
                self.add_error("date_to", _("A report covers at most %(years)s years.") % {"years": MAX_PERIOD_YEARS})
        data["date_from"], data["date_to"] = date_from, date_to
        data["interval"] = data.get("interval") or "month"
        return data


def partners_of(user) -> tuple[int, ...] | None:
    """The partner pages whose figures ``user`` is confined to, or ``None`` for the whole city."""
    confined = None
    for scope in registry.report_scopes():
        partners = scope(user)
        if partners is not None:
            confined = (confined or set()) | set(partners)
    return None if confined is None else tuple(sorted(confined))


# Exports.


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column) for column in table.columns])
    writer.writerows([[str(value) for value in row] for row in table.rows])
    return buffer.getvalue()


def tables_zip(sections: list[Section]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section in sections:
            for table in section.tables:
                archive.writestr(f"{table.key}.csv", "\ufeff" + table_csv(table))
    return buffer.getvalue()


XLSX_SHEET_NAME = 31  # Excel's limit


def tables_xlsx(sections: list[Section], heading: str) -> bytes:
    """One worksheet per table: its title, the report's heading, then the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for section in sections:
        for table in section.tables:
            sheet = workbook.create_sheet(slugify(table.key)[:XLSX_SHEET_NAME])
            sheet.append([str(table.title)])
            sheet["A1"].font = Font(bold=True)
            sheet.append([heading])
            sheet.append([])
            sheet.append([str(column) for column in table.columns])
            for cell in sheet[4]:
                cell.font = Font(bold=True)
            for row in table.rows:
                sheet.append([value if isinstance(value, int | float) else str(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def content_page_counts(scope: ReportScope):
    """The content pages of the site tagged per goal and target; not a partner's nor a municipality's figures."""
    from .models import ContentPage
    from .querysets import under_site
    from .sdg import sdg_counts

    if scope.for_partners or scope.municipality or scope.site is None:
        return None
    pages = ContentPage.objects.live().filter(under_site(scope.site))
    for path in scope.restricted_paths():
        pages = pages.exclude(path__startswith=path)
    return sdg_counts(pages)
