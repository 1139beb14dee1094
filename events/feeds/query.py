"""What every feed reads from its query string, and the rows it renders, in a constant number of queries.

Feeds take the agenda's ``EventFilterSet`` (the same parameters and the same 400s), plus ``locale`` (``nl``,
``en``, ``fr``; default the site's language) and, for lists, ``limit``. They speak the ``locale`` language and
ignore Accept-Language, so one URL always gives the same bytes.
"""

from dataclasses import dataclass, field

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from wagtail.models import Locale

from learningcity.filters import REPEATED, parse_integer, shown

from ..filters import EventFilterSet
from ..models import EventPage, Occurrence
from ..summaries import EventSummary, summaries_of

DEFAULT_LIMIT = 20
MAX_LIMIT = 50


def feed_languages() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def default_language() -> str:
    return feed_languages()[0]


class FeedFilterSet(EventFilterSet):
    """The agenda's filters, with the feed's own ``locale`` and ``limit`` accepted."""

    extra_parameters = frozenset({"locale", "limit"})


class CalendarFilterSet(FeedFilterSet):
    """For calendars: cancelled occurrences stay, so subscribers learn of cancellations."""

    extra_parameters = frozenset({"locale"})

    def filter_queryset(self, queryset):
        date_from, date_to = self.date_range()
        # EventFilterSet hides cancelled occurrences; skip that step, keep every other filter.
        return django_filters.FilterSet.filter_queryset(self, queryset.between(date_from, date_to))


@dataclass
class FeedQuery:
    """A feed request's validated parameters, or the errors of its 400."""

    language: str
    locale: Locale | None = None
    filterset: EventFilterSet | None = None
    limit: int = DEFAULT_LIMIT
    errors: dict[str, list[str]] = field(default_factory=dict)


def parse_feed_query(
    params, filterset_class=FeedFilterSet, *, queryset=None, default_limit: int = DEFAULT_LIMIT
) -> FeedQuery:
    """Check ``locale``, ``limit`` and the agenda's filters; call with the feed's language active.

    ``queryset``: the occurrences the feed may show (``Occurrence.objects.on_site(site)``).
    """
    language = params.get("locale") or default_language()
    query = FeedQuery(language=language if language in feed_languages() else default_language())
    for name in filterset_class.extra_parameters:
        if len(params.getlist(name)) > 1:
            query.errors[name] = [str(REPEATED)]
    if "locale" in query.errors:
        return query
    if language not in feed_languages():
        query.errors["locale"] = [
            _("%(value)s is not a language of this site. Allowed values: %(allowed)s.")
            % {"value": shown(language), "allowed": ", ".join(feed_languages())}
        ]
        return query
    query.locale = Locale.objects.get(language_code=language)
    if "limit" in filterset_class.extra_parameters and "limit" not in query.errors:
        try:
            query.limit = parse_integer(params.get("limit") or default_limit, minimum=1, maximum=MAX_LIMIT)
        except ValidationError as error:
            query.errors["limit"] = error.messages
    query.filterset = filterset_class(params, queryset=queryset, locale=query.locale)
    if not query.filterset.is_valid():
        query.errors.update(query.filterset.parameter_errors())
    return query


def calendar_events(filterset: EventFilterSet, site) -> QuerySet:
    """The live, public events under ``site`` with at least one matching occurrence, in a stable order.

    ``filterset`` may filter all occurrences: the site's rules (``Occurrence.objects.on_site``) are checked here
    once per event, through any of its occurrences, rather than once per occurrence (a series has dozens).
    The events' rows are read by ``calendar_rows``.
    """
    matching = filterset.qs.order_by().values("event_id")
    visible = Occurrence.objects.on_site(site).filter(event_id=OuterRef("pk"))
    return EventPage.objects.filter(pk__in=matching).filter(Exists(visible)).order_by("uuid", "pk")


def listed_occurrences(filterset: EventFilterSet, limit: int, request) -> list[tuple[Occurrence, EventSummary]]:
    """The first ``limit`` matching occurrences with their events' summaries in the filter set's language (for
    Atom, RSS, JSON Feed and the embed): three queries however many, their events' themes included, and one for
    the series' dates without the event (their ``schedule_text``) when a series is among them."""
    occurrences = list(filterset.qs[:limit])
    ids = {occurrence.event_id for occurrence in occurrences}
    related = ("themes", "schedule")
    events = summaries_of(ids, filterset.locale, request, related=related)
    return [(occurrence, events[occurrence.event_id]) for occurrence in occurrences]
