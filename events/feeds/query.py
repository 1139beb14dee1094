"""What every feed reads from its query string, and the rows it renders, in a constant number of queries.

Feeds take the agenda's ``EventFilterSet`` (the same parameters and the same 400s), plus ``locale`` (``nl``,
``en``, ``fr``; default the site's language) and, for lists, ``limit``. They speak the ``locale`` language and
ignore Accept-Language, so one URL always gives the same bytes.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _
from wagtail.models import Locale

from learningcity.filters import REPEATED, parse_integer, shown
from partners.models import PartnerPage

from ..filters import EventFilterSet
from ..models import EventPage, Occurrence

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


def localized(pages, model, locale: Locale, *related: str) -> dict:
    """The live translations in ``locale`` of ``pages``, by translation_key (one query)."""
    keys = {page.translation_key for page in pages if page is not None}
    if not keys:
        return {}
    translations = model.objects.live().filter(translation_key__in=keys, locale=locale).select_related(*related)
    return {page.translation_key: page for page in translations}


@dataclass
class EventTexts:
    """An event as a feed shows it: the schedule's page, the page in the feed's language, its places."""

    event: EventPage  # the source page the occurrences come from
    page: EventPage  # its live translation in the feed's language, else the source
    venue: PartnerPage | None
    organisers: list[PartnerPage]

    @property
    def last_modified(self) -> datetime:
        """The later publication of the source and the translation, in whole UTC seconds."""
        stamps = [
            page.last_published_at or page.latest_revision_created_at or page.first_published_at
            for page in (self.event, self.page)
        ]
        stamp = max((s for s in stamps if s), default=datetime(1970, 1, 1, tzinfo=UTC))
        return stamp.astimezone(UTC).replace(microsecond=0)

    @property
    def place(self):
        return self.venue if self.event.venue_id else self.event

    @property
    def place_name(self) -> str:
        if self.event.venue_id:
            return self.venue.title
        return self.page.venue_name

    @property
    def location(self) -> str:
        place = self.place
        town = " ".join(part for part in (place.postcode, place.town) if part)
        return ", ".join(part for part in (self.place_name, place.street, town) if part)


def event_texts(events: list[EventPage], locale: Locale) -> dict[int, EventTexts]:
    """Feed texts for source pages fetched with ``events_with_related()``; two queries whatever their number."""
    pages = localized(events, EventPage, locale)
    partners = [event.venue for event in events if event.venue_id]
    partners += [organiser for event in events for organiser in event.organisers.all()]
    partner_pages = localized(partners, PartnerPage, locale, "municipality")
    texts = {}
    for event in events:
        venue = partner_pages.get(event.venue.translation_key, event.venue) if event.venue_id else None
        texts[event.pk] = EventTexts(
            event=event,
            page=pages.get(event.translation_key, event),
            venue=venue,
            organisers=[partner_pages.get(org.translation_key, org) for org in event.organisers.all()],
        )
    return texts


def events_with_related(queryset):
    return queryset.select_related("venue__municipality", "municipality").prefetch_related(
        Prefetch("organisers", queryset=PartnerPage.objects.order_by("title", "pk")), "themes"
    )


def calendar_events(filterset: EventFilterSet, site) -> QuerySet:
    """The live, public events under ``site`` with at least one matching occurrence, in a stable order.

    ``filterset`` may filter all occurrences: the site's rules (``Occurrence.objects.on_site``) are checked here
    once per event, through any of its occurrences, rather than once per occurrence (a series has dozens).
    The events' rows are read by ``calendar_rows``.
    """
    matching = filterset.qs.order_by().values("event_id")
    visible = Occurrence.objects.on_site(site).filter(event_id=OuterRef("pk"))
    return EventPage.objects.filter(pk__in=matching).filter(Exists(visible)).order_by("uuid", "pk")


def listed_occurrences(filterset: EventFilterSet, limit: int) -> list[Occurrence]:
    """The first ``limit`` matching occurrences with their events (for Atom, RSS, JSON Feed and the embed)."""
    occurrences = list(filterset.qs[:limit])
    events = {
        event.pk: event
        for event in events_with_related(
            EventPage.objects.filter(pk__in={occurrence.event_id for occurrence in occurrences})
        )
    }
    for occurrence in occurrences:
        occurrence.event = events[occurrence.event_id]
    return occurrences
