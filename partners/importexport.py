"""CSV import and export of partners and child centres.

An import reads the file as a stream and refuses it as soon as it passes the size or row limit
(``LEERSTAD_CSV_IMPORT_MAX_BYTES``, ``LEERSTAD_CSV_IMPORT_MAX_ROWS``). It checks every row and writes nothing unless
every row is valid; then it writes all rows in one transaction. A row is matched to an existing page by its
``external_id`` (e.g. an official school number) among the pages of the same type in the parent page's language, so
a second import updates instead of duplicating. A row that already matches its page is left alone: no new revision.
A changed or new row is saved as a new revision and published. Translations follow through wagtail-localize's
synchronisation.

The export writes the same columns, so an exported file imports back to the same data. A cell that a spreadsheet
would run as a formula (one starting with ``= + - @``, a tab or a carriage return) is written with a leading single
quote, as OWASP advises against CSV injection; the import takes that quote off again, so the round trip is exact.
The columns, the multi-value separator (``;``) and the opening-hours notation are documented in the README.
"""

import csv
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale, Page

from learningcity.compat import clear_unsaved_parent, set_unsaved_parent
from learningcity.models import SDGTarget

from .conf import max_import_bytes, max_import_rows
from .enums import PartnerKind, Sector
from .models import (
    AccessibilityFacility,
    ChildCentreIndexPage,
    ChildCentreOpeningHours,
    ChildCentreOpeningHoursException,
    ChildCentrePage,
    ChildCentreService,
    Language,
    Municipality,
    Network,
    PartnerIndexPage,
    PartnerOpeningHours,
    PartnerOpeningHoursException,
    PartnerPage,
)

SEPARATOR = ";"
PROGRESS_EVERY = 100

# Opening hours: "ma-vr 08:30-17:00; za 10:00-12:00". Dutch day abbreviations, as editors write them.
DAY_CODES = ["ma", "di", "wo", "do", "vr", "za", "zo"]
CLOSED_WORDS = {"gesloten", "closed", "fermé", "ferme"}
_TIMES = r"(?P<opens>\d{1,2}:\d{2})-(?P<closes>\d{1,2}:\d{2})"
_HOURS_RE = re.compile(r"^(?P<first>[a-z]{2})(?:-(?P<last>[a-z]{2}))?\s+" + _TIMES + "$")
_EXCEPTION_RE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})\s+(?:" + _TIMES + r"|(?P<word>\S+))$")
POSTCODE_PATTERNS = {
    "BE": (re.compile(r"^\d{4}$"), gettext_lazy("four digits, e.g. 9000")),
    "LU": (re.compile(r"^\d{4}$"), gettext_lazy("four digits, e.g. 1009")),
    "NL": (re.compile(r"^\d{4} ?[A-Z]{2}$"), gettext_lazy("four digits and two capitals, e.g. 1234 AB")),
    "FR": (re.compile(r"^\d{5}$"), gettext_lazy("five digits, e.g. 59000")),
    "DE": (re.compile(r"^\d{5}$"), gettext_lazy("five digits, e.g. 52062")),
}
_ANY_POSTCODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPE = "'"
TRUE_WORDS = {"yes", "ja", "oui", "true", "1", "y", "j"}
FALSE_WORDS = {"no", "nee", "non", "false", "0", "n", ""}


def _needs_escape(value: str) -> bool:
    # A value that starts with the escape quote followed by a formula is escaped too, so that unescaping is exact.
    return value.startswith(FORMULA_TRIGGERS) or (
        value.startswith(FORMULA_ESCAPE) and _needs_escape(value[len(FORMULA_ESCAPE) :])
    )


def escape_formula(value: str) -> str:
    """``value`` as a cell that no spreadsheet runs as a formula: ``=1+1`` becomes ``'=1+1``, ``+32 9`` ``'+32 9``."""
    return FORMULA_ESCAPE + value if _needs_escape(value) else value


def unescape_formula(cell: str) -> str:
    """The value :func:`escape_formula` wrote as ``cell``; any other cell (``'t Hof``) is left as it is."""
    if cell.startswith(FORMULA_ESCAPE) and _needs_escape(cell[len(FORMULA_ESCAPE) :]):
        return cell[len(FORMULA_ESCAPE) :]
    return cell


class CSVImportError(Exception):
    """The file cannot be imported; ``errors`` lists every reason, each with its line number where there is one."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


class CellError(Exception):
    """A value that cannot be read; the message says why and what is allowed."""


# --- Codecs: one per kind of column. ``parse`` turns a cell into a value, ``format`` a value into a cell. -------


class Text:
    def parse(self, cell: str, context: "ImportContext"):
        return cell

    def format(self, value) -> str:
        return value or ""


class Choice:
    def __init__(self, choices):
        self.choices = choices

    def parse(self, cell, context):
        if cell not in self.choices.values:
            raise CellError(
                _("unknown value %(value)r; allowed: %(allowed)s")
                % {"value": cell, "allowed": ", ".join(self.choices.values)}
            )
        return cell

    def format(self, value):
        return value or ""


class Integer:
    def parse(self, cell, context):
        if cell == "":
            return None
        if not re.fullmatch(r"\d+", cell):
            raise CellError(_("%(value)r is not a whole number") % {"value": cell})
        return int(cell)

    def format(self, value):
        return "" if value is None else str(value)


class Coordinate:
    def parse(self, cell, context):
        if cell == "":
            return None
        try:
            value = Decimal(cell)
        except InvalidOperation:
            raise CellError(_("%(value)r is not a number (use a point: 51.0543)") % {"value": cell}) from None
        if not value.is_finite():
            raise CellError(_("%(value)r is not a number") % {"value": cell})
        return value

    def format(self, value):
        return "" if value is None else f"{Decimal(value):.6f}"


class Boolean:
    def parse(self, cell, context):
        word = cell.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise CellError(_("%(value)r is not yes or no") % {"value": cell})

    def format(self, value):
        return "yes" if value else "no"


class Country:
    def parse(self, cell, context):
        if cell == "":
            return "BE"  # the model's default
        if not re.fullmatch(r"[A-Za-z]{2}", cell):
            raise CellError(_("%(value)r is not a two-letter country code such as BE or NL") % {"value": cell})
        return cell.upper()

    def format(self, value):
        return value or ""


class MunicipalityCode:
    def parse(self, cell, context):
        if cell == "":
            return None
        municipality = context.municipalities.get(cell)
        if municipality is None:
            known = ", ".join(sorted(context.municipalities)) or _("none yet")
            raise CellError(
                _("unknown municipality code %(value)r; known codes: %(known)s") % {"value": cell, "known": known}
            )
        return municipality

    def format(self, value):
        return value.code if value else ""


class Many:
    """A ``;``-separated list of codes naming rows of a lookup table."""

    def __init__(self, lookup: str, key: Callable, noun: str):
        self.lookup = lookup
        self.key = key
        self.noun = noun

    def parse(self, cell, context):
        table = getattr(context, self.lookup)
        values, unknown = [], []
        for code in split_list(cell):
            if code in table:
                if table[code] not in values:
                    values.append(table[code])
            else:
                unknown.append(code)
        if unknown:
            allowed = ", ".join(sorted(table, key=lambda code: self.key(table[code]))) or _("none")
            raise CellError(
                _("unknown %(noun)s %(values)s; allowed: %(allowed)s")
                % {"noun": self.noun, "values": ", ".join(map(repr, unknown)), "allowed": allowed}
            )
        return values

    def format(self, values):
        return f"{SEPARATOR} ".join(value_code(value) for value in sorted(values, key=self.key))


class OpeningHours:
    def parse(self, cell, context):
        ranges = []
        for part in split_list(cell):
            match = _HOURS_RE.match(part.lower())
            if not match:
                raise CellError(
                    _("cannot read opening hours %(value)r; write e.g. 'ma-vr 08:30-17:00; za 10:00-12:00'")
                    % {"value": part}
                )
            first = day_number(match["first"])
            last = day_number(match["last"] or match["first"])
            ranges.append((first, last, parse_time(match["opens"]), parse_time(match["closes"])))
        return ranges

    def format(self, ranges):
        parts = []
        for first, last, opens, closes in ranges:
            days = DAY_CODES[first] if first == last else f"{DAY_CODES[first]}-{DAY_CODES[last]}"
            parts.append(f"{days} {opens:%H:%M}-{closes:%H:%M}")
        return f"{SEPARATOR} ".join(parts)


class OpeningExceptions:
    def parse(self, cell, context):
        days = []
        for part in split_list(cell):
            match = _EXCEPTION_RE.match(part.lower())
            if not match or (match["word"] and match["word"] not in CLOSED_WORDS):
                raise CellError(
                    _("cannot read %(value)r; write e.g. '2026-12-25 gesloten; 2026-12-24 08:30-12:00'")
                    % {"value": part}
                )
            try:
                day = date.fromisoformat(match["date"])
            except ValueError:
                raise CellError(_("%(value)r is not a date") % {"value": match["date"]}) from None
            if match["word"]:
                days.append((day, True, None, None))
            else:
                days.append((day, False, parse_time(match["opens"]), parse_time(match["closes"])))
        return days

    def format(self, days):
        parts = []
        for day, closed, opens, closes in days:
            parts.append(f"{day:%Y-%m-%d} gesloten" if closed else f"{day:%Y-%m-%d} {opens:%H:%M}-{closes:%H:%M}")
        return f"{SEPARATOR} ".join(parts)


def split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(SEPARATOR) if part.strip()]


def day_number(code: str) -> int:
    try:
        return DAY_CODES.index(code)
    except ValueError:
        raise CellError(
            _("unknown day %(value)r; allowed: %(allowed)s") % {"value": code, "allowed": ", ".join(DAY_CODES)}
        ) from None


def parse_time(value: str) -> time:
    hours, minutes = (int(part) for part in value.split(":"))
    if hours > 23 or minutes > 59:
        raise CellError(_("%(value)r is not a time of day") % {"value": value})
    return time(hours, minutes)


def value_code(value) -> str:
    if isinstance(value, Network):
        return value.slug
    if isinstance(value, PartnerPage):
        return value.external_id
    return value.code


# --- Columns -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    codec: object
    required: bool = False
    field: str = ""  # the model field; defaults to the column's name

    @property
    def attname(self) -> str:
        return self.field or self.name


def _term_key(term):
    return term.position


def _sdg_key(target):
    return (target.goal_id, target.position)


ADDRESS_COLUMNS = [
    Column("street", Text()),
    Column("postcode", Text()),
    Column("municipality", MunicipalityCode()),
    Column("locality", Text()),
    Column("country", Country()),
    Column("latitude", Coordinate()),
    Column("longitude", Coordinate()),
]
CONTACT_COLUMNS = [Column("email", Text()), Column("phone", Text()), Column("website", Text())]
HOURS_COLUMNS = [
    Column("opening_hours", OpeningHours()),
    Column("opening_exceptions", OpeningExceptions(), field="opening_hours_exceptions"),
]
TAG_COLUMNS = [
    Column("languages", Many("languages", _term_key, gettext_lazy("language"))),
    Column("accessibility", Many("accessibility", _term_key, gettext_lazy("accessibility facility"))),
]
SDG_COLUMN = Column("sdg_targets", Many("sdg_targets", _sdg_key, gettext_lazy("SDG target")))


@dataclass(frozen=True)
class PageSpec:
    """What an import or export of one page type needs to know."""

    model: type
    index_model: type
    noun: object  # a lazily translated plural, e.g. "partners"
    columns: list
    hours_model: type
    exceptions_model: type

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


PARTNERS = PageSpec(
    model=PartnerPage,
    index_model=PartnerIndexPage,
    noun=gettext_lazy("partners"),
    columns=[
        Column("external_id", Text(), required=True),
        Column("title", Text(), required=True),
        Column("kind", Choice(PartnerKind), required=True),
        Column("sector", Choice(Sector), required=True),
        Column("summary", Text(), required=True),
        *CONTACT_COLUMNS,
        *ADDRESS_COLUMNS,
        *HOURS_COLUMNS,
        *TAG_COLUMNS,
        Column("aspnet", Boolean(), field="is_aspnet_member"),
        Column("aspnet_since", Integer()),
        Column("gnlc", Boolean(), field="is_gnlc_member"),
        Column("networks", Many("networks", lambda network: network.slug, gettext_lazy("network"))),
        SDG_COLUMN,
    ],
    hours_model=PartnerOpeningHours,
    exceptions_model=PartnerOpeningHoursException,
)
CHILD_CENTRES = PageSpec(
    model=ChildCentrePage,
    index_model=ChildCentreIndexPage,
    noun=gettext_lazy("child centres"),
    columns=[
        Column("external_id", Text(), required=True),
        Column("title", Text(), required=True),
        Column("summary", Text(), required=True),
        Column("min_age_months", Integer()),
        Column("max_age_months", Integer()),
        Column("services", Many("services", _term_key, gettext_lazy("service"))),
        Column(
            "member_partners",
            Many("partners", lambda partner: partner.external_id, gettext_lazy("partner external_id")),
        ),
        Column("capacity", Integer()),
        Column("registration_number", Text()),
        Column("enrolment_url", Text()),
        *CONTACT_COLUMNS,
        *ADDRESS_COLUMNS,
        *HOURS_COLUMNS,
        *TAG_COLUMNS,
        SDG_COLUMN,
    ],
    hours_model=ChildCentreOpeningHours,
    exceptions_model=ChildCentreOpeningHoursException,
)
M2M_COLUMNS = {"languages", "accessibility", "networks", "sdg_targets", "services", "member_partners"}
NOT_NULL_INTEGERS = {"min_age_months", "max_age_months"}


# --- Reading a page's values ----------------------------------------------------------------------------------


def page_value(page, column: Column):
    """The value of ``column`` on ``page``, in the form the column's codec formats."""
    if column.name == "opening_hours":
        return [(hours.first_day, hours.last_day, hours.opens, hours.closes) for hours in page.opening_hours.all()]
    if column.name == "opening_exceptions":
        return [(day.date, day.closed, day.opens, day.closes) for day in page.opening_hours_exceptions.all()]
    if column.name in M2M_COLUMNS:
        return list(getattr(page, column.attname).all())
    if column.name == "municipality":
        return page.municipality
    return getattr(page, column.attname)


def export_row(page, spec: PageSpec, columns: Iterable[Column] | None = None) -> dict[str, str]:
    return {column.name: column.codec.format(page_value(page, column)) for column in (columns or spec.columns)}


def pages_for_export(spec: PageSpec, locale: Locale):
    prefetch = [column.attname for column in spec.columns if column.name in M2M_COLUMNS or "opening" in column.name]
    return (
        spec.model.objects.filter(locale=locale)
        .select_related("municipality")
        .prefetch_related(*prefetch)
        .order_by("external_id", "path")
    )


# --- Import ---------------------------------------------------------------------------------------------------


@dataclass
class ImportContext:
    """Lookup tables for one import, read once."""

    locale: Locale
    municipalities: dict = field(default_factory=dict)
    languages: dict = field(default_factory=dict)
    accessibility: dict = field(default_factory=dict)
    services: dict = field(default_factory=dict)
    networks: dict = field(default_factory=dict)
    sdg_targets: dict = field(default_factory=dict)
    partners: dict = field(default_factory=dict)

    @classmethod
    def load(cls, locale: Locale, spec: PageSpec) -> "ImportContext":
        context = cls(locale=locale)
        context.municipalities = {municipality.code: municipality for municipality in Municipality.objects.all()}
        context.languages = {term.code: term for term in Language.objects.all()}
        context.accessibility = {term.code: term for term in AccessibilityFacility.objects.all()}
        context.services = {term.code: term for term in ChildCentreService.objects.all()}
        context.networks = {network.slug: network for network in Network.objects.filter(locale=locale)}
        context.sdg_targets = {target.code: target for target in SDGTarget.objects.all()}
        if spec is CHILD_CENTRES:
            context.partners = {
                partner.external_id: partner
                for partner in PartnerPage.objects.filter(locale=locale).exclude(external_id="")
            }
        return context


@dataclass
class ImportResult:
    noun: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (line, "new"/"updated"/"unchanged", label)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        total = len(self.created) + len(self.updated) + len(self.unchanged)
        counts = {
            "total": total,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "noun": self.noun,
        }
        if not self.changed:
            return _("Nothing changed: all %(total)s %(noun)s in the file match the site.") % counts
        if self.dry_run:
            return (
                _(
                    "Dry run: would create %(created)s, would update %(updated)s, unchanged %(unchanged)s "
                    "%(noun)s; nothing was written."
                )
                % counts
            )
        return _("Created %(created)s, updated %(updated)s, unchanged %(unchanged)s %(noun)s.") % counts


@dataclass
class _Row:
    line: int
    values: dict
    page: Page | None = None
    status: str = "unchanged"  # or "new", "updated"


def read_csv(source) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and ``(line number, row)`` pairs of a UTF-8 CSV file (a byte-order mark is allowed).

    The file is read line by line and refused as soon as it passes ``max_import_bytes()`` or ``max_import_rows()``,
    so an oversized file is never held in memory whole. Cells lose surrounding spaces and the quote that
    :func:`escape_formula` put before a formula.
    """
    max_bytes, max_rows = max_import_bytes(), max_import_rows()
    try:
        if isinstance(source, str | Path):
            size = os.stat(source).st_size
            if size > max_bytes:
                raise CSVImportError([_too_large(max_bytes, size)])
            with open(source, "rb") as handle:
                return _read_rows(_lines(handle, max_bytes), max_rows)
        return _read_rows(_lines(source, max_bytes), max_rows)
    except OSError as error:
        raise CSVImportError([_("Cannot read the file: %(error)s.") % {"error": error.strerror or error}]) from None


def _too_large(max_bytes: int, size: int | None = None) -> str:
    if size is None:
        return _(
            "The file is too large: an import takes at most %(limit)s bytes (LEERSTAD_CSV_IMPORT_MAX_BYTES). "
            "Split it into smaller files."
        ) % {"limit": number_format(max_bytes, force_grouping=True)}
    return _(
        "The file is too large (%(size)s bytes): an import takes at most %(limit)s bytes "
        "(LEERSTAD_CSV_IMPORT_MAX_BYTES). Split it into smaller files."
    ) % {"size": number_format(size, force_grouping=True), "limit": number_format(max_bytes, force_grouping=True)}


def _lines(handle, max_bytes: int):
    """The text lines of ``handle`` (bytes or text), refusing more than ``max_bytes`` and bytes that are not UTF-8."""
    consumed, first = 0, True
    while True:
        # Never read more than the limit allows, even from a file without line breaks.
        line = handle.readline(max_bytes - consumed + 1)
        if not line:
            return
        if isinstance(line, bytes):
            size = len(line)
            if first:
                line = line.removeprefix(b"\xef\xbb\xbf")
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as error:
                if consumed + size > max_bytes:
                    raise CSVImportError([_too_large(max_bytes)]) from None
                raise CSVImportError(
                    [
                        _("The file is not UTF-8 text (%(reason)s at byte %(byte)s).")
                        % {"reason": error.reason, "byte": consumed + error.start}
                    ]
                ) from None
        else:
            text = line.removeprefix("\ufeff") if first else line
            size = len(text.encode("utf-8", "surrogatepass"))
        consumed += size
        if consumed > max_bytes:
            raise CSVImportError([_too_large(max_bytes)])
        first = False
        yield text


def _read_rows(lines, max_rows: int) -> tuple[list[str], list[tuple[int, dict]]]:
    reader = csv.reader(lines)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise CSVImportError([_("The file is empty; it needs a header row.")]) from None
    except csv.Error as error:
        raise CSVImportError([_("Line %(line)s: %(error)s.") % {"line": 1, "error": error}]) from None
    if any("\x00" in name for name in header):
        raise CSVImportError([_("Line 1: the header contains a NUL character; is this a CSV text file?")])
    rows, errors, count = [], [], 0
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                count += 1
                if count > max_rows:
                    raise CSVImportError(
                        [
                            _(
                                "Line %(line)s: the file has more than %(limit)s rows; an import takes at most "
                                "%(limit)s (LEERSTAD_CSV_IMPORT_MAX_ROWS). Split it into smaller files."
                            )
                            % {"line": line, "limit": number_format(max_rows, force_grouping=True)}
                        ]
                    )
                if any("\x00" in cell for cell in cells):
                    errors.append(
                        _("Line %(line)s: contains a NUL character (byte 0), which no text field may hold.")
                        % {"line": line}
                    )
                elif len(cells) > len(header):
                    errors.append(
                        _("Line %(line)s: %(values)s values, but the header has %(columns)s.")
                        % {"line": line, "values": len(cells), "columns": len(header)}
                    )
                else:
                    values = [unescape_formula(cell.strip()) for cell in cells]
                    rows.append((line, dict(zip(header, values, strict=False))))
            line = reader.line_num + 1
    except csv.Error as error:
        errors.append(_("Line %(line)s: %(error)s.") % {"line": line, "error": error})
    if errors:
        raise CSVImportError(errors)
    return header, rows


def check_header(header: list[str], spec: PageSpec) -> list[Column]:
    known = {column.name: column for column in spec.columns}
    errors = []
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        errors.append(_("Line 1: repeated column(s): %(columns)s.") % {"columns": ", ".join(duplicates)})
    unknown = [name for name in header if name not in known]
    if unknown:
        errors.append(
            _("Line 1: unknown column(s): %(columns)s; allowed: %(allowed)s.")
            % {"columns": ", ".join(unknown), "allowed": ", ".join(known)}
        )
    missing = [column.name for column in spec.columns if column.required and column.name not in header]
    if missing:
        errors.append(_("Line 1: missing required column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    if errors:
        raise CSVImportError(errors)
    return [known[name] for name in header]


def find_parent(spec: PageSpec, parent_id: int | None = None) -> Page:
    """The index page new pages go under: ``parent_id``, or the only index page in the default language."""
    if parent_id is not None:
        page = Page.objects.filter(pk=parent_id).first()
        if page is None:
            raise CSVImportError([_("There is no page with id %(id)s.") % {"id": parent_id}])
        if not isinstance(page.specific, spec.index_model):
            raise CSVImportError(
                [
                    _("Page %(id)s (%(title)s) is not a %(type)s.")
                    % {"id": parent_id, "title": page.title, "type": spec.index_model._meta.verbose_name}
                ]
            )
        return page.specific
    candidates = list(spec.index_model.objects.filter(locale=Locale.get_default()))
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise CSVImportError(
            [_("There is no %(type)s yet; create one first.") % {"type": spec.index_model._meta.verbose_name}]
        )
    ids = ", ".join(f"{page.pk} ({page.title})" for page in candidates)
    raise CSVImportError(
        [
            _("There are several %(type)s pages; give --parent: %(ids)s.")
            % {"type": spec.index_model._meta.verbose_name, "ids": ids}
        ]
    )


def parse_row(line: int, cells: dict, columns: list[Column], context: ImportContext) -> tuple[dict, list[str]]:
    values, errors = {}, []
    for column in columns:
        cell = cells.get(column.name) or ""
        if column.required and not cell:
            errors.append(_("Line %(line)s: %(column)s is required.") % {"line": line, "column": column.name})
            continue
        try:
            values[column.name] = column.codec.parse(cell, context)
        except CellError as error:
            errors.append(
                _("Line %(line)s: %(column)s: %(error)s.") % {"line": line, "column": column.name, "error": error}
            )
    postcode, country = values.get("postcode"), values.get("country", "BE")
    if postcode:
        pattern, example = POSTCODE_PATTERNS.get(
            country, (_ANY_POSTCODE, gettext_lazy("letters, digits, spaces or dashes"))
        )
        if not pattern.match(postcode):
            errors.append(
                _("Line %(line)s: postcode: %(value)r is not a postcode of %(country)s (%(example)s).")
                % {"line": line, "value": postcode, "country": country, "example": example}
            )
    return values, errors


def apply_values(page, values: dict, columns: list[Column], spec: PageSpec) -> None:
    for column in columns:
        value = values[column.name]
        if column.name == "opening_hours":
            page.opening_hours = [
                spec.hours_model(first_day=first, last_day=last, opens=opens, closes=closes)
                for first, last, opens, closes in value
            ]
        elif column.name == "opening_exceptions":
            page.opening_hours_exceptions = [
                spec.exceptions_model(date=day, closed=closed, opens=opens, closes=closes)
                for day, closed, opens, closes in value
            ]
        elif column.name in M2M_COLUMNS:
            setattr(page, column.attname, value)
        elif column.name in NOT_NULL_INTEGERS and value is None:
            setattr(page, column.attname, spec.model._meta.get_field(column.attname).default)
        else:
            setattr(page, column.attname, value)


def validate_page(page, line: int, columns: list[Column], spec: PageSpec) -> list[str]:
    field_to_column = {column.attname: column.name for column in columns}
    errors = []
    try:
        page.full_clean(exclude=["path", "depth", "numchild", "url_path", "draft_title", "content_type"])
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            name = field_to_column.get(field_name, field_name)
            for message in messages:
                if name == "__all__":
                    errors.append(_("Line %(line)s: %(error)s") % {"line": line, "error": message})
                else:
                    errors.append(
                        _("Line %(line)s: %(column)s: %(error)s") % {"line": line, "column": name, "error": message}
                    )
    relations = (("opening_hours", "opening_hours"), ("opening_hours_exceptions", "opening_exceptions"))
    for relation, column_name in relations:
        if column_name not in field_to_column.values():
            continue
        for child in getattr(page, relation).all():
            try:
                child.full_clean(exclude=["page", "sort_order"])
            except ValidationError as error:
                errors.extend(
                    _("Line %(line)s: %(column)s: %(error)s") % {"line": line, "column": column_name, "error": message}
                    for message in error.messages
                )
    return errors


def unique_slug(title: str, taken: set[str]) -> str:
    base = slugify(title) or "partner"
    slug, suffix = base, 1
    while slug in taken:
        suffix += 1
        slug = f"{base}-{suffix}"
    taken.add(slug)
    return slug


def import_csv(
    source,
    spec: PageSpec,
    parent_id: int | None = None,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportResult:
    """Import ``source`` (a path or an open file) into the pages of ``spec``; see the module docstring.

    Raises:
        CSVImportError: with every problem found; nothing was written.
    """
    header, raw_rows = read_csv(source)
    columns = check_header(header, spec)
    parent = find_parent(spec, parent_id)
    context = ImportContext.load(parent.locale, spec)
    existing = {page.external_id: page for page in pages_for_export(spec, parent.locale).exclude(external_id="")}
    taken_slugs = set(parent.get_children().values_list("slug", flat=True))
    errors, rows, first_line = [], [], {}
    total = len(raw_rows)
    for number, (line, cells) in enumerate(raw_rows, start=1):
        values, row_errors = parse_row(line, cells, columns, context)
        external_id = values.get("external_id")
        if external_id in first_line:
            row_errors.append(
                _("Line %(line)s: external_id %(value)r is also on line %(other)s.")
                % {"line": line, "value": external_id, "other": first_line[external_id]}
            )
        elif external_id:
            first_line[external_id] = line
        if not row_errors:
            row = _Row(line, values, page=existing.get(external_id))
            if row.page is None or export_row(row.page, spec, columns) != _canonical(values, columns):
                if row.page is None:
                    row.status = "new"
                    row.page = spec.model(locale=parent.locale, slug=unique_slug(values["title"], taken_slugs))
                    set_unsaved_parent(row.page, parent)
                else:
                    row.status = "updated"
                apply_values(row.page, values, columns, spec)
                row_errors = validate_page(row.page, line, columns, spec)
            rows.append(row)
        errors.extend(row_errors)
        if progress and (number % PROGRESS_EVERY == 0 or number == total):
            progress("checked", number, total)
    if errors:
        raise CSVImportError(errors)

    result = ImportResult(noun=spec.noun, dry_run=dry_run)
    for row in rows:
        label = f"{row.values['external_id']} ({row.page.title})"
        {"new": result.created, "updated": result.updated, "unchanged": result.unchanged}[row.status].append(label)
        result.rows.append((row.line, row.status, label))
    changed = [row for row in rows if row.status != "unchanged"]
    if dry_run or not changed:
        return result
    with transaction.atomic():
        for number, row in enumerate(changed, start=1):
            if row.status == "new":
                clear_unsaved_parent(row.page)
                parent.add_child(instance=row.page)
            row.page.save_revision().publish()
            if progress and (number % PROGRESS_EVERY == 0 or number == len(changed)):
                progress("saved", number, len(changed))
    return result


def _canonical(values: dict, columns: list[Column]) -> dict[str, str]:
    return {column.name: column.codec.format(values[column.name]) for column in columns}


# --- Export ---------------------------------------------------------------------------------------------------


def export_csv(destination, spec: PageSpec, locale: Locale | None = None) -> tuple[int, list[str]]:
    """Write every page of ``spec`` in ``locale`` (default: the default language) to ``destination``.

    Returns the number of rows written and the titles of pages left out because they have no external id
    (an import could not match them).
    """
    locale = locale or Locale.get_default()
    rows, skipped = [], []
    for page in pages_for_export(spec, locale):
        if page.external_id:
            rows.append(export_row(page, spec))
        else:
            skipped.append(page.title)
    if isinstance(destination, str | Path):
        with open(destination, "w", encoding="utf-8", newline="") as handle:
            _write(handle, spec, rows)
    else:
        _write(destination, spec, rows)
    return len(rows), skipped


def _write(handle, spec: PageSpec, rows: list[dict]) -> None:
    # RFC 4180's CRLF: Python's writer quotes a cell with a line break only if the break is in the line terminator,
    # and an unquoted carriage return would start a new row, a formula in its first cell.
    writer = csv.DictWriter(handle, fieldnames=spec.header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({name: escape_formula(cell) for name, cell in row.items()} for row in rows)
