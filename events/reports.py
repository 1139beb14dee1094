"""The events' part of the learning city's report: the learning offer, and the events' columns of the SDG coverage.

The dates are the agenda's: ``EventFilterSet`` with ``from``/``to`` (and ``municipality``, or ``partner`` for a
partner editor) over the site's ``Occurrence.objects.on_site``, as ``/api/v3/events/`` counts them; cancelled dates are
left out, as there. An activity is an event with at least one date in the period. An event with two themes (or
audience groups, organisers) counts under each.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from learningcity.reports import Chart, ReportScope, Section, Table
from learningcity.search.facets import LIFE_STAGES
from partners.enums import PartnerKind, Sector

from .conf import occurrence_window, site_timezone
from .enums import AttendanceMode
from .filters import EventFilterSet
from .models import Occurrence
from .models.taxonomy import AUDIENCE_GROUPS, THEMES


def dates_in(scope: ReportScope):
    """The occurrences a report counts, through the agenda's FilterSet; unordered, for counting."""
    if scope.partners is not None and not scope.partners:
        return Occurrence.objects.none()
    data = QueryDict(mutable=True)
    data["from"], data["to"] = scope.date_from.isoformat(), scope.date_to.isoformat()
    if scope.municipality:
        data["municipality"] = scope.municipality
    if scope.partners is not None:
        data.setlist("partner", [str(pk) for pk in scope.partners])
    filters = EventFilterSet(data, queryset=Occurrence.objects.on_site(scope.site))
    if not filters.is_valid():
        raise ValueError(filters.errors.as_json())  # ReportForm keeps the period within the agenda's window
    return filters.qs.order_by()


def _figures(scope: ReportScope) -> dict:
    """Per SDG goal and target: how many events have a date in the period, and how many dates; two queries,
    read once per report."""
    if "events-sdg" not in scope.cache:
        dates = dates_in(scope)
        figures = {}
        for level, lookup, distinct in (
            ("goal", "event__sdg_targets__goal__number", True),
            ("target", "event__sdg_targets__code", False),
        ):
            rows = (
                dates.filter(**{f"{lookup}__isnull": False})
                .values_list(lookup)
                .annotate(events=Count("event_id", distinct=True), dates=Count("pk", distinct=distinct))
            )
            figures[level] = list(rows)
        scope.cache["events-sdg"] = figures
    return scope.cache["events-sdg"]


def event_counts(scope):
    figures = _figures(scope)
    return (
        {key: events for key, events, _dates in figures["goal"]},
        {key: events for key, events, _d in figures["target"]},
    )


def date_counts(scope):
    figures = _figures(scope)
    return ({key: dates for key, _e, dates in figures["goal"]}, {key: dates for key, _e, dates in figures["target"]})


def periods(scope: ReportScope) -> list[date]:
    """The first day of each month (or quarter) the period touches."""
    step = 3 if scope.interval == "quarter" else 1
    start = scope.date_from.replace(day=1)
    if step == 3:
        start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
    firsts = []
    while start <= scope.date_to:
        firsts.append(start)
        start += relativedelta(months=step)
    return firsts


def period_label(first: date, interval: str) -> str:
    if interval == "quarter":
        return f"{first.year} Q{(first.month - 1) // 3 + 1}"
    return f"{first.year}-{first.month:02d}"


def _grouped(dates, expression) -> dict:
    """Activities and dates per value of ``expression`` (a lookup or an expression); ``None`` for none."""
    rows = (
        dates.values(group=expression)
        .annotate(activities=Count("event_id", distinct=True), dates=Count("pk", distinct=True))
        .values_list("group", "activities", "dates")
    )
    return {group: (activities, count) for group, activities, count in rows}


def _rows(labels, grouped: dict, none_label=None) -> list[list]:
    rows = [[label, *grouped.get(code, (0, 0))] for code, label in labels]
    if none_label is not None and None in grouped:
        rows.append([none_label, *grouped[None]])
    return rows


def offer_section(scope: ReportScope) -> Section:
    """Activities and dates per theme, audience, life stage, municipality, partner kind and sector, cost, attendance
    and month or quarter (with the change from one to the next). Seven queries.

    What an event has one value of (its ages, its price, how it is attended) is counted in one statement: the dates
    per event, then a filtered count and sum of those per value, with no ``COUNT(DISTINCT)`` to sort for. What an
    event may have several of (themes, audiences, organisers) is a ``GROUP BY`` each.
    """
    from django.db.models import F, Sum

    dates = dates_in(scope)
    cost_labels = [(True, _("Free")), (False, _("Paying"))]
    conditions = {
        "total": None,
        **{
            f"stage-{code}": (Q(min_age__isnull=True) | Q(min_age__lte=last))
            & (Q(max_age__isnull=True) | Q(max_age__gte=first))
            for code, ((first, last), _label) in LIFE_STAGES.items()
        },
        **{f"free-{free}": Q(is_free=free) for free, _label in cost_labels},
        **{f"mode-{mode}": Q(mode=mode) for mode in AttendanceMode.values},
    }
    per_event = dates.values("event_id").annotate(
        count=Count("pk"),
        min_age=F("event__min_age"),
        max_age=F("event__max_age"),
        is_free=F("event__is_free"),
        mode=F("event__attendance_mode"),
    )
    counts = per_event.aggregate(
        **{f"activities:{name}": Count("event_id", filter=condition) for name, condition in conditions.items()},
        **{f"dates:{name}": Sum("count", filter=condition, default=0) for name, condition in conditions.items()},
    )

    def counted(name: str) -> list[int]:
        return [counts[f"activities:{name}"], counts[f"dates:{name}"]]

    zone = site_timezone()
    trunc = TruncQuarter if scope.interval == "quarter" else TruncMonth
    per_period = {
        (moment.date() if hasattr(moment, "date") else moment): figures
        for moment, figures in _grouped(dates, trunc("start", tzinfo=zone)).items()
    }
    time_rows, previous = [], None
    for first in periods(scope):
        activities, count = per_period.get(first, (0, 0))
        change = "" if previous is None else count - previous
        time_rows.append([period_label(first, scope.interval), activities, count, change])
        previous = count

    activities_label, dates_label = _("Activities"), _("Dates")
    columns = [activities_label, dates_label]
    none = _("None given")
    return Section(
        key="offer",
        title=_("The learning offer"),
        feature="building-blocks",
        intro=_(
            "The activities in the agenda with a date in the period, and their dates (cancelled dates left out). "
            "An activity with two themes, audiences or organisers counts under each."
        ),
        tables=[
            Table(
                "offer-totals",
                _("Activities and dates"),
                [_("Figure"), _("Number")],
                [[activities_label, counts["activities:total"]], [dates_label, counts["dates:total"]]],
            ),
            Table(
                "offer-over-time",
                _("Dates per quarter") if scope.interval == "quarter" else _("Dates per month"),
                [_("Quarter") if scope.interval == "quarter" else _("Month"), *columns, _("Change in dates")],
                time_rows,
                chart=Chart(kind="columns", value_column=2),
            ),
            Table(
                "offer-by-theme",
                _("Activities by theme"),
                [_("Theme"), *columns],
                _rows(THEMES.items(), _grouped(dates, F("event__themes__code")), none),
                chart=Chart(value_column=2),
            ),
            Table(
                "offer-by-audience",
                _("Activities by audience"),
                [_("Audience"), *columns],
                _rows(AUDIENCE_GROUPS.items(), _grouped(dates, F("event__audience_groups__code")), none),
                chart=Chart(value_column=2),
            ),
            Table(
                "offer-by-life-stage",
                _("Activities by life stage"),
                [_("Life stage"), *columns],
                [[label, *counted(f"stage-{code}")] for code, (_ages, label) in LIFE_STAGES.items()],
                description=_("By the ages an activity is for; one without ages counts for every stage."),
                chart=Chart(value_column=2),
            ),
            Table(
                "offer-by-municipality",
                _("Activities by municipality"),
                [_("Municipality"), *columns],
                [
                    [name if name is not None else none, *figures]
                    for name, figures in sorted(
                        _grouped(
                            dates, Coalesce("event__municipality__name", "event__venue__municipality__name")
                        ).items(),
                        key=lambda item: (item[0] is None, str(item[0])),
                    )
                ],
                chart=Chart(value_column=2),
            ),
            Table(
                "offer-by-partner-kind",
                _("Activities by kind of organiser"),
                [_("Kind"), *columns],
                _rows(PartnerKind.choices, _grouped(dates, F("event__organisers__kind")), none),
            ),
            Table(
                "offer-by-sector",
                _("Activities by sector of the organiser"),
                [_("Sector"), *columns],
                _rows(Sector.choices, _grouped(dates, F("event__organisers__sector")), none),
                chart=Chart(value_column=2),
            ),
            Table(
                "offer-by-cost",
                _("Free and paying activities"),
                [_("Cost"), *columns],
                [[label, *counted(f"free-{free}")] for free, label in cost_labels],
            ),
            Table(
                "offer-by-attendance",
                _("Online and on-site activities"),
                [_("Attendance"), *columns],
                [[label, *counted(f"mode-{mode}")] for mode, label in AttendanceMode.choices],
            ),
        ],
    )


def register() -> None:
    from learningcity import registry

    registry.register_sdg_counter("events", _("Events"), event_counts, position=50)
    registry.register_sdg_counter("dates", _("Event dates"), date_counts, position=60, in_total=False)
    registry.register_report_section(offer_section, position=50)
    registry.register_report_bounds(occurrence_window)
