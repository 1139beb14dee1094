"""What the agenda and the event page put in their context; the pages' ``get_context()`` call these."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext, ngettext
from wagtail.models import Locale, Site

from learningcity.api import PageURLs
from learningcity.caching import cached, cached_locale, cached_unless_preview, count_name
from learningcity.home import StageLink
from learningcity.listing import FilterChip, filter_chips
from partners.models import AccessibilityFacility, Language, PartnerPage

from . import schedule_text
from .conf import agenda_partner_choices_max, agenda_per_page, site_timezone
from .feeds.links import as_webcal
from .filters import EventFilterSet
from .models import (
    AudienceGroup,
    EventIndexPage,
    EventPage,
    EventStatus,
    Occurrence,
    RegistrationStatus,
    Theme,
    note_in,
)
from .structured_data import event_schedule
from .summaries import EventSummary, summaries_of, terms_by_event

UPCOMING_ON_EVENT_PAGE = 12
UPCOMING_ACTIVITIES_MAX = 50  # the most dates a page may list with ``{% upcoming_activities %}``
THIS_WEEK_MAX = 6  # the most events the home page lists for this week
# The home page's life stages the agenda lists by audience group, not by age: what an event addresses to adults or
# seniors, rather than every event an adult may attend (events for all ages included).
STAGE_AUDIENCES = {"adults": "adults", "seniors": "seniors", "parents": "parents", "teachers": "teachers"}
# The agenda counts its results up to this number and says "more than" beyond it: an exact count of every
# upcoming date would read the whole index on each request, and nobody pages past the 50th page.
CAPPED_COUNT = 1000


class CappedPaginator(Paginator):
    """A paginator that counts at most ``CAPPED_COUNT`` items; ``more`` tells whether there are more.

    Counting stops at the cap (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``), so the cost of a page does not grow
    with the number of upcoming dates. The pages beyond the cap are not offered; filters narrow the list.
    ``kept_as`` (``learningcity.caching.count_name``): the count is kept under that name and the content version.
    """

    def __init__(self, *args, kept_as: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_as = kept_as

    @cached_property
    def total(self) -> int:
        count = self.object_list[: CAPPED_COUNT + 1].count
        return cached(self.kept_as, count) if self.kept_as else count()

    @cached_property
    def count(self) -> int:
        return min(self.total, CAPPED_COUNT)

    @property
    def more(self) -> bool:
        return self.total > CAPPED_COUNT


@dataclass
class AgendaDay:
    """The occurrences of one local day; ``day`` is ``None`` for what started before the listed period."""

    day: date | None
    items: list = field(default_factory=list)


# What the agenda shows of an occurrence (its event comes from the event's summary).
AGENDA_OCCURRENCE_FIELDS = (
    "event_id",
    "start",
    "end",
    "has_end",
    "all_day",
    "status",
    "is_full",
    "capacity",
    "places_left",
    "note",
    "notes",
)


@dataclass(slots=True)
class AgendaItem:
    """One date in the agenda: the occurrence's row, its event's ``EventSummary`` as ``page``, and what templates
    show of the date (see ``describe``)."""

    event_id: int
    start: datetime
    end: datetime
    has_end: bool
    all_day: bool
    status: str
    is_full: bool
    capacity: int | None
    places_left: int | None
    note: str
    notes: dict
    page: EventSummary | None = None
    labels: list = field(default_factory=list)
    places_label: str = ""
    first_day: date | None = None
    last_day: date | None = None
    start_iso: str = ""
    start_time: str = ""
    end_iso: str = ""
    end_time: str = ""

    @property
    def venue(self):
        return self.page.venue if self.page.venue and self.page.venue.id else None

    def get_status_display(self) -> str:
        return str(EventStatus(self.status).label)


def agenda_items(occurrences, locale: Locale, request) -> list[AgendaItem]:
    """The agenda's items for ``occurrences`` (a queryset), their events in ``locale`` where translated.

    Three queries however many: the occurrences, their events, and the translations of those not in ``locale``; a
    fourth for the dates without the event when a series is among them (their ``schedule_text``).
    """
    items = [AgendaItem(**row) for row in occurrences.values(*AGENDA_OCCURRENCE_FIELDS)]
    if not items:
        return items
    events = summaries_of([item.event_id for item in items], locale, request, related=("schedule",), relative_urls=True)
    for item in items:
        item.page = events[item.event_id]
        describe(item, item.page, locale.language_code)
    return items


def describe(occurrence, page, language: str) -> None:
    """Set what templates show: ``labels`` (status words), ``note`` in ``language`` (else the source page's), the
    local ``first_day`` and, for all-day dates, the inclusive ``last_day``; the local start and end as
    ``start_iso``/``end_iso`` (``<time datetime>``) and ``start_time``/``end_time`` ("14:00").

    The times are written here once: a listing's rows wrote them with the ``date`` and ``time`` filters, four
    per row, which took a tenth of the agenda's page.
    """
    occurrence.labels = occurrence_labels(occurrence, page)
    occurrence.places_label = places_label(occurrence, occurrence.labels)
    occurrence.note = note_in(occurrence.notes, occurrence.note, language)
    zone = site_timezone()
    start, end = timezone.localtime(occurrence.start, zone), timezone.localtime(occurrence.end, zone)
    occurrence.start_iso, occurrence.start_time = start.isoformat(), f"{start:%H:%M}"
    occurrence.end_iso, occurrence.end_time = end.isoformat(), f"{end:%H:%M}"
    occurrence.first_day = occurrence.last_day = start.date()
    if occurrence.all_day:
        occurrence.last_day = max(occurrence.first_day, end.date() - timedelta(days=1))


def occurrence_labels(occurrence, page) -> list[str]:
    """What residents read next to a date: its status (unless scheduled) and whether it is full."""
    labels = []
    if occurrence.status != EventStatus.SCHEDULED:
        labels.append(occurrence.get_status_display())
    if occurrence.is_full or page.registration_status == RegistrationStatus.FULL:
        labels.append(str(RegistrationStatus.FULL.label))
    elif page.registration_status == RegistrationStatus.WAITING_LIST:
        labels.append(str(RegistrationStatus.WAITING_LIST.label))
    return labels


def places_label(occurrence, labels: list[str]) -> str:
    """The "3 places left" of a date whose places the editors count; "" when it is full or cancelled."""
    full = str(RegistrationStatus.FULL.label) in labels
    if occurrence.places_left is None or full or occurrence.status == EventStatus.CANCELLED:
        return ""
    return ngettext("%(count)s place left", "%(count)s places left", occurrence.places_left) % {
        "count": occurrence.places_left
    }


def group_by_day(occurrences, first_day: date) -> list[AgendaDay]:
    """Consecutive groups per local start day; what began before ``first_day`` is grouped as ongoing."""
    zone = site_timezone()
    days: list[AgendaDay] = []
    for occurrence in occurrences:
        day = timezone.localtime(occurrence.start, zone).date()
        key = None if day < first_day else day
        if not days or days[-1].day != key:
            days.append(AgendaDay(key))
        days[-1].items.append(occurrence)
    return days


class AgendaResults:
    """One page of the agenda's results, worked out on first use.

    The agenda's page is cached whole for anonymous visitors (``learningcity.response_cache``).
    """

    def __init__(self, request, queryset, locale: Locale, first_day: date, page_number: int = 1, kept_as: str = ""):
        """``queryset`` is a function that makes the occurrences' queryset (making it takes time too); the count is
        kept as ``kept_as`` (``count_name``) when there is one."""
        self.request, self.make_queryset, self.locale, self.first_day = request, queryset, locale, first_day
        self.page_number, self.kept_as = page_number, kept_as

    @cached_property
    def paginator(self) -> CappedPaginator:
        return CappedPaginator(self.make_queryset(), agenda_per_page(), kept_as=self.kept_as)

    @cached_property
    def page_obj(self):
        return self.paginator.get_page(self.page_number)  # beyond the last page: the last page

    @cached_property
    def page_range(self) -> list:
        return list(self.paginator.get_elided_page_range(self.page_obj.number, on_each_side=2, on_ends=1))

    @cached_property
    def occurrences(self) -> list[AgendaItem]:
        return agenda_items(self.page_obj.object_list, self.locale, self.request)

    @cached_property
    def days(self) -> list[AgendaDay]:
        return group_by_day(self.occurrences, self.first_day)


def agenda_context(request, site, locale: Locale) -> dict:
    """Filter, count and paginate the occurrences on ``site``; invalid filters give no results and ``filter_errors``.

    The number of queries does not depend on the number of occurrences on the page nor in the database. The
    whole page is cached for anonymous visitors (``learningcity.response_cache``), to the end of the minute.
    """
    filters = EventFilterSet(request.GET, queryset=Occurrence.objects.all(), locale=locale)
    for name, form_field in filters.form.fields.items():
        if name in request.GET and isinstance(getattr(form_field, "choices", None), CallableChoiceIterator):
            form_field.choices = list(form_field.choices)  # one query for validating and rendering
    errors = {} if filters.is_valid() else filters.parameter_errors()
    first_day = None if errors else filters.date_range()[0]
    first_day = first_day or timezone.localdate(timezone=site_timezone())
    listed = Occurrence.objects.none if errors else lambda: filters.qs.on_site(site)
    filtered = filters.canonical_items(filters.active_filters)
    counted = "" if errors else count_name("agenda", site, locale.language_code, filtered)
    results = AgendaResults(request, listed, locale, first_day, 1 if errors else filters.page_number, counted)
    return {
        "filters": filters,
        "filter_form": filters.form,
        "filter_errors": errors,
        "filter_query": filters.active_filters.urlencode(),
        "filter_values": {name: request.GET.get(name, "") for name in ("from", "to", "when", "free", "q")},
        # Several ages (the home page's links to a life stage) are kept as ticked boxes beside the age field.
        "filter_ages": [int(age) for age in filters.form.cleaned_data.get("age") or []] if not errors else [],
        "page_obj": results.page_obj,
        "page_range": results.page_range,
        "results": results.occurrences,
        "days": results.days,
        "result_count": results.paginator.count,
        "more_results": results.paginator.more,
        "is_filtered": bool(filters.active_filters),
    }


def agenda_filter_chips(request, filters: EventFilterSet, choices: "PartnerChoices") -> list[FilterChip]:
    """The agenda's filters in use, above its results.

    Partners are named by the form's own lists of them; one more query names those the lists lack (a partner of
    another language, from a link on an untranslated page).
    """
    names = ("organiser", "venue", "partner")
    partners = {name: {} for name in names}
    for name, rows in choices.options.items():
        partners[name].update((str(row[0]), row[1]) for row in rows)
    for name, rows in choices.selected.items():
        partners[name].update((str(pk), title) for pk, title in rows)
    data = filters.form.cleaned_data if filters.is_valid() else {}
    unnamed = {name: [value for value in data.get(name) or [] if value not in partners[name]] for name in names}
    if any(unnamed.values()):
        ids = {int(value) for values in unnamed.values() for value in values}
        titles = dict(PartnerPage.objects.filter(pk__in=ids).values_list("pk", "title"))
        for name, values in unnamed.items():
            partners[name].update((value, titles[int(value)]) for value in values if int(value) in titles)
    return filter_chips(filters, request.path, labels=partners)


def agenda_page_url(request, language: str, params: dict | None = None) -> str:
    """The site's agenda in ``language`` with ``params`` as filters (a value may be a list); "" when it has none.

    The agenda's address is kept under the content version per requested site and language: a partner page links
    to it twice, the home page and the SDG pages once (three queries each time otherwise).
    """
    site = Site.find_for_request(request)
    url = cached(f"agenda-url-{getattr(site, 'pk', None)}-{language}", lambda: _agenda_url(request, language))
    return f"{url}?{urlencode(params, doseq=True)}" if url and params else url


def _agenda_url(request, language: str) -> str:
    agendas = EventIndexPage.objects.live().public().filter(locale__language_code=language).order_by("path")
    for agenda in agendas:
        url = agenda.get_url(request)
        if url:
            return url
    return ""


@dataclass
class UpcomingActivities:
    """The next dates of the events some partners organise or host, as the agenda lists them for ``?partner=…``.

    ``count`` is the number of upcoming dates the agenda shows for the same filter, up to ``CAPPED_COUNT``;
    ``more`` says there are more than that. ``agenda_url``: the agenda so filtered, "" without an agenda.
    """

    items: list[AgendaItem] = field(default_factory=list)
    count: int = 0
    more: bool = False
    agenda_url: str = ""
    language: str = ""


def upcoming_activities(request, partner_ids: Iterable[int], locale: Locale, limit: int) -> UpcomingActivities:
    """The first ``limit`` upcoming dates of the events organised by or held at the partners ``partner_ids`` (page
    ids, any language), with their events in ``locale`` where translated.

    Exactly the agenda's first dates for ``?partner=<id>&partner=…``: the agenda's FilterSet on the live, public
    events of the request's site, cancelled dates left out. Seven queries at most, however many dates: the partners'
    ids checked, the dates counted (to ``CAPPED_COUNT``), the dates shown, their events and the translations of
    those not in ``locale``, and the agenda page; and the site's hidden events where they are not kept (``on_site``).
    """
    ids = sorted({int(pk) for pk in partner_ids})
    site = Site.find_for_request(request)
    activities = UpcomingActivities(language=locale.language_code)
    if not ids or site is None:
        return activities
    params = QueryDict(mutable=True)
    params.setlist("partner", [str(pk) for pk in ids])
    filters = EventFilterSet(params, queryset=Occurrence.objects.all(), locale=locale)
    if not filters.is_valid():  # a partner deleted since the page was read
        return activities
    listed = filters.qs.on_site(site)
    total = listed[: CAPPED_COUNT + 1].count()
    if total:
        activities.count, activities.more = min(total, CAPPED_COUNT), total > CAPPED_COUNT
        activities.items = agenda_items(listed[: max(1, min(limit, UPCOMING_ACTIVITIES_MAX))], locale, request)
        activities.agenda_url = agenda_page_url(request, locale.language_code, {"partner": ids})
    return activities


@dataclass
class ThisWeek(UpcomingActivities):
    """The next dates of the coming seven days, one per event; ``agenda_url`` is the agenda's ``?when=week`` and
    ``count`` its number of dates; ``all_url`` is the whole agenda (for when nothing is on)."""

    all_url: str = ""


def this_week(request, locale: Locale, limit: int = THIS_WEEK_MAX, now: datetime | None = None) -> ThisWeek:
    """The next date of each event on in the agenda's "Next 7 days" (``?when=week``: today and the six days after),
    soonest first, at most ``limit`` events, with their events in ``locale`` where translated.

    The agenda's FilterSet on the live, public events of the request's site; cancelled dates and dates already over
    are left out. A fixed number of queries, however many dates: the dates counted (to ``CAPPED_COUNT``), the first
    date of each event (a window function), their events and the translations of those not in ``locale``, and the
    agenda page; and the site's hidden events where they are not kept (``on_site``).
    """
    site = Site.find_for_request(request)
    week = ThisWeek(language=locale.language_code)
    if site is None:
        return week
    week.all_url = agenda_page_url(request, locale.language_code)
    if week.all_url:
        week.agenda_url = f"{week.all_url}?{urlencode({'when': 'week'})}"
    filters = EventFilterSet(QueryDict("when=week"), queryset=Occurrence.objects.all(), locale=locale)
    if not filters.is_valid():
        return week
    listed = filters.qs.on_site(site)
    total = listed[: CAPPED_COUNT + 1].count()
    if not total:
        return week
    week.count, week.more = min(total, CAPPED_COUNT), total > CAPPED_COUNT
    now = now or timezone.now()
    coming = listed.filter(Q(end__gt=now) | Q(start__gte=now)).annotate(
        nth=Window(RowNumber(), partition_by=[F("event_id")], order_by=[F("start").asc(), F("pk").asc()])
    )
    week.items = agenda_items(coming.filter(nth=1)[: max(1, min(limit, UPCOMING_ACTIVITIES_MAX))], locale, request)
    return week


def home_this_week(request, home, locale: Locale) -> dict:
    """The home page's section of this week's activities (``registry.register_home_section``)."""
    return {"activities": this_week(request, locale)}


def agenda_life_stage_links(request, locale: Locale, stages) -> dict:
    """For each of the home page's life stages, the agenda filtered for it (``registry.register_life_stage_links``):
    children and young people by their ages (``?age=0&age=1…``, every whole year of the stage), adults, seniors,
    parents and teachers by audience group (``?audience=…``). One query, for the agenda page."""
    agenda = agenda_page_url(request, locale.language_code)
    if not agenda:
        return {}
    links = {}
    for stage in stages:
        if stage.code in STAGE_AUDIENCES:
            params = {"audience": STAGE_AUDIENCES[stage.code]}
        elif stage.ages is not None:
            params = {"age": list(range(stage.ages[0], stage.ages[1] + 1))}
        else:
            continue
        text = gettext("Activities for %(whom)s") % {"whom": stage.whom}
        links[stage.code] = [StageLink(f"{agenda}?{urlencode(params, doseq=True)}", text)]
    return links


@dataclass
class PartnerChoices:
    """What the agenda's form offers for ``organiser``, ``venue`` and ``partner``.

    ``options``: when the language has few enough partners, the lists for ``organiser`` and ``venue``, by parameter,
    of ``(id, title, selected)``; else empty, and ``directory_url`` leads to the partner directory, where residents
    find an organisation and its activities. ``selected`` holds, by parameter, the partners the request filters on
    that no list offers (from a partner page's link, always for ``partner``) as ``(id, title)``, to keep or untick.
    """

    options: dict[str, list] = field(default_factory=dict)
    selected: dict[str, list] = field(default_factory=dict)
    directory_url: str = ""


def partner_choices(request, filters: EventFilterSet, locale: Locale) -> PartnerChoices:
    """The agenda form's partners (two queries at most, whatever the number of partners), read as rows; the first
    partners of the language and the partner directory's path are kept under the content version.

    The chosen partners are those of ``filters``' valid ``organiser``, ``venue`` and ``partner`` values.
    """
    from partners.models import PartnerIndexPage

    most = agenda_partner_choices_max()
    data = filters.form.cleaned_data if filters.is_valid() else {}
    wanted = {name: data.get(name) or [] for name in ("organiser", "venue", "partner")}
    live = PartnerPage.objects.live().filter(locale=locale)
    partners = cached(
        f"agenda-partners-{locale.pk}-{most}",
        lambda: list(live.order_by("title", "pk").values_list("pk", "title")[: most + 1]),
    )
    if len(partners) <= most:
        listed = ("organiser", "venue")
        options = {name: [(pk, title, str(pk) in wanted[name]) for pk, title in partners] for name in listed}
        if not wanted["partner"]:
            return PartnerChoices(options=options)
        titles = dict(partners)
        missing = {int(value) for value in wanted["partner"]} - titles.keys()
        if missing:  # partners of another language, e.g. from a link on an untranslated page
            titles.update(PartnerPage.objects.filter(pk__in=missing).values_list("pk", "title"))
        return PartnerChoices(
            options=options, selected={"partner": [(value, titles[int(value)]) for value in wanted["partner"]]}
        )
    ids = {int(value) for values in wanted.values() for value in values}
    titles = dict(PartnerPage.objects.filter(pk__in=ids).values_list("pk", "title")) if ids else {}
    selected = {name: [(value, titles[int(value)]) for value in values] for name, values in wanted.items()}
    directories = PartnerIndexPage.objects.live().filter(locale=locale).order_by("path")
    directory = cached(  # "" for none: a kept None would count as missing
        f"agenda-partner-directory-{locale.pk}", lambda: directories.values_list("url_path", flat=True).first() or ""
    )
    return PartnerChoices(
        selected=selected, directory_url=PageURLs(request, relative=True)(directory) if directory else ""
    )


def ics_url(page: EventPage, recurrence_id: str | None = None, language: str | None = None) -> str | None:
    """The address of the event's iCalendar file, or with ``recurrence_id`` of the file of that one date, with its
    texts in ``language`` (default: the feeds' default); ``None`` while no such URL (``events:event_ics``,
    ``events:occurrence_ics``) exists."""
    kwargs = {"uuid": page.uuid}
    if recurrence_id is not None:
        kwargs["recurrence_id"] = recurrence_id
    try:
        url = reverse("events:occurrence_ics" if recurrence_id else "events:event_ics", kwargs=kwargs)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'locale': language})}" if language else url


@dataclass(frozen=True)
class Term:
    """A term of one of the fixed lists (``partners.models.CodedTerm``) as the event page shows it."""

    code: str
    label: str


# The term lists the event page shows, read in one query (``terms_by_event``), by the model that labels them.
PAGE_TERMS = {
    "audience_groups": AudienceGroup,
    "languages": Language,
    "accessibility": AccessibilityFacility,
    "themes": Theme,
}


def event_page_context(page: EventPage, request=None) -> dict:
    """Next dates (each with its own calendar file), the place and organisers in the page's language, the terms
    residents filter on, and the event's calendar: to download, to subscribe to and its address to copy (these need
    the ``request``).

    All but the dates (``event_page_details``) is kept under the content version for the live page; a preview
    reads the draft's own.
    """
    language = cached_locale(page.locale_id).language_code
    occurrences = list(Occurrence.objects.for_event(page).upcoming()[:UPCOMING_ON_EVENT_PAGE])
    for occurrence in occurrences:
        describe(occurrence, page, language)
        occurrence.ics_url = ics_url(page, occurrence.recurrence_id, language)
    details = cached_unless_preview(request, f"event-page-{page.pk}-{get_language()}", lambda: event_page_details(page))
    return {
        "occurrences": occurrences,
        **details,
        "place": details["venue"] or page,
        **calendar_links(page, request, language),
    }


def event_page_details(page: EventPage) -> dict:
    """What the event page shows of its content beside its dates (eight queries): the series in words and as a
    schema.org Schedule, the venue and the organisers (their live translations in the page's language, else
    themselves when live, with the municipalities their addresses name), the terms residents filter on and the SDG
    targets."""
    partners = PartnerPage.objects.select_related("municipality")
    venues = list(partners.filter(pk=page.venue_id)) if page.venue_id else []
    # A draft's organisers (a preview) are in memory, so they are read through the page, not as a subquery.
    organisers = list(page.organisers.select_related("municipality").order_by("title", "pk"))
    keys = (partner.translation_key for partner in (*venues, *organisers) if partner.locale_id != page.locale_id)
    translated = partners.translations_in(page.locale_id, keys)

    def shown(partner):  # its live translation, else itself when live
        return translated.get(partner.translation_key) or (partner if partner.live else None)

    schedule = page.schedule()
    terms = terms_by_event(list(PAGE_TERMS), [page.pk])
    listed = {
        relation: [Term(code, model.LABELS.get(code, code)) for code in terms[relation].get(page.pk, [])]
        for relation, model in PAGE_TERMS.items()
    }
    return {
        # A series in words; a one-off's date is in its list of dates already.
        "schedule_text": schedule_text.describe(schedule, full=True) if schedule.is_recurring else "",
        "event_schedule": event_schedule(page, schedule),
        "venue": shown(venues[0]) if venues else None,
        "organisers": [partner for partner in map(shown, organisers) if partner is not None],
        "audience_groups": listed["audience_groups"],
        "event_languages": listed["languages"],
        "facilities": listed["accessibility"],
        "themes": listed["themes"],
        "sdg_targets": page.sdg_targets_with_goals,
    }


def calendar_links(page: EventPage, request, language: str) -> dict:
    """``ics_url``: the event's calendar file in ``language`` (relative); with a request, ``calendar_address``: its
    full address for calendar apps, and ``webcal_url``: the same as a ``webcal://`` subscription."""
    url = ics_url(page, language=language)
    if url is None or request is None:
        return {"ics_url": url}
    address = request.build_absolute_uri(url)
    return {"ics_url": url, "calendar_address": address, "webcal_url": as_webcal(address)}


def agenda_sdg_link(request, locale: Locale, code: str) -> StageLink | None:
    """The agenda in ``locale`` filtered for an SDG goal or target (``?sdg=4``); ``registry.register_sdg_links``."""
    url = agenda_page_url(request, locale.language_code, {"sdg": code})
    return StageLink(url, gettext("Activities for SDG %(code)s in the agenda") % {"code": code}) if url else None
