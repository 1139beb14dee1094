"""The feed views: iCalendar, Atom, RSS, JSON Feed and the embeddable agenda.

Each response is cached whole by ``learningcity.response_cache`` under the content version (filter values in any
order or repeated give the same entry, ``canonical_query``) and carries an ETag and a Last-Modified, so a
conditional GET that matches gets a 304 from the cache without touching the events.
"""

import base64
import hashlib
import json
from collections.abc import Callable
from datetime import datetime, time, timedelta
from uuid import UUID

from csp.decorators import csp_replace, csp_update
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from wagtail.models import Site

from learningcity.filters import unknown_parameters
from learningcity.response_cache import canonical_query

from ..conf import embed_frame_ancestors, site_timezone
from ..models import EventIndexPage, EventPage, Occurrence, SavedFeed
from ..models.feeds import REQUEST_PARAMETERS
from .ics import calendar_name, serialize_calendar, serialize_occurrence
from .query import (
    CalendarFilterSet,
    FeedFilterSet,
    FeedQuery,
    calendar_events,
    default_language,
    feed_languages,
    listed_occurrences,
    parse_feed_query,
)
from .syndication import Entry, FeedContext, OccurrenceAtomFeed, OccurrenceRssFeed, json_feed

ICS_TYPE = "text/calendar; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
CACHE_SECONDS = 24 * 60 * 60
FILTERED_CACHE_SECONDS = 10 * 60
CLIENT_SECONDS = 5 * 60
EMBED_DEFAULT_LIMIT = 10

Builder = Callable[[object, FeedQuery], bytes]


def _feed_language(params) -> str:
    requested = params.get("locale")
    return requested if requested in feed_languages() else default_language()


def _bad_request(errors: dict[str, list[str]]) -> HttpResponse:
    lines = [_("The feed cannot be built from these parameters:")]
    lines += [f"{name}: {' '.join(messages)}" for name, messages in sorted(errors.items())]
    return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


def _site_occurrences(request):
    """Only the live, public events under the requested site, as on the agenda."""
    site = Site.find_for_request(request)
    return Occurrence.objects.on_site(site)


def _all_occurrences(request):
    """For calendars: ``calendar_events()`` applies the site's rules per event, which is cheaper."""
    return Occurrence.objects.all()


def serve_feed(
    request,
    kind: str,
    content_type: str,
    build: Builder,
    *,
    filterset_class=FeedFilterSet,
    default_limit=20,
    params=None,
    occurrences=_site_occurrences,
) -> HttpResponse:
    """Validate and build one feed response, which says how long caches may keep it.

    ``params`` are the feed's parameters (default: the query string); ``occurrences(request)`` the occurrences
    the filters apply to (default: those of the live, public events under the requested site). ``kind`` names the
    feed (for reading logs and tracebacks). The response cache (``learningcity.response_cache``) keeps the whole
    answer under the content version; it carries an ETag (its body's digest) and the time it was built as
    Last-Modified, for conditional GETs (``ConditionalGetMiddleware``).
    """
    params = request.GET if params is None else params
    language = _feed_language(params)
    with translation.override(language):
        query = parse_feed_query(params, filterset_class, queryset=occurrences(request), default_limit=default_limit)
        if query.errors:
            response = _bad_request(query.errors)
            response["Content-Language"] = language
            return response
        body = build(request, query)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Language"] = language
    response["Last-Modified"] = http_date()
    set_response_etag(response)
    filtered = any(name not in ("locale", "limit") for name, _value in filterset_class.canonical_items(params))
    patch_cache_control(response, public=True, max_age=CLIENT_SECONDS, s_maxage=kept_seconds(filtered))
    return response


def kept_seconds(filtered: bool) -> int:
    """How long a cache in front may keep a feed: a filtered one ten minutes, the others to the end of the day.

    Its URLs are as many as the filters' combinations (and ``q``'s words); "upcoming" moves with the local date.
    """
    if filtered:
        return FILTERED_CACHE_SECONDS
    now = timezone.localtime(timezone=site_timezone())
    midnight = datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=now.tzinfo)
    return max(1, min(CACHE_SECONDS, int((midnight - now).total_seconds())))


def _site_name(request) -> str:
    site = Site.find_for_request(request)
    return site.site_name if site else ""


# iCalendar.


def _build_ics(request, query: FeedQuery) -> bytes:
    site = Site.find_for_request(request)
    return serialize_calendar(
        calendar_events(query.filterset, site) if site else EventPage.objects.none(),
        request,
        name=calendar_name(_site_name(request)),
        locale=query.locale,
        today=query.filterset.today,
    )


@canonical_query(CalendarFilterSet)
@require_safe
def events_ics(request):
    """``/feeds/events.ics``: every event with a matching occurrence, as rules, cancellations included."""
    return serve_feed(
        request, "ics", ICS_TYPE, _build_ics, filterset_class=CalendarFilterSet, occurrences=_all_occurrences
    )


def _shown_title(source_id: int, locale) -> str:
    """The event's title in ``locale`` where it has a live translation, else the source page's."""
    key, title = EventPage.objects.filter(pk=source_id).values_list("translation_key", "title").get()
    translation = EventPage.objects.translations_in(locale, [key], "title").get(key)
    return translation["title"] if translation else title


@canonical_query(CalendarFilterSet)
@require_safe
def event_ics(request, uuid: UUID):
    """``/feeds/events/<uuid>.ics``: one event's calendar, in the ``locale`` language."""
    source_id = _site_occurrences(request).filter(event_uuid=uuid).values_list("event_id", flat=True).first()
    if source_id is None:
        raise Http404(_("No event with this UUID is in the agenda."))
    unknown = unknown_parameters(request.GET, {"locale"})
    if unknown:
        with translation.override(_feed_language(request.GET)):
            return _bad_request({name: [_("Unknown parameter.")] for name in unknown})

    def build(request, query: FeedQuery) -> bytes:
        name = calendar_name(_site_name(request), _shown_title(source_id, query.locale))
        event = EventPage.objects.filter(pk=source_id)
        return serialize_calendar(event, request, name=name, locale=query.locale, today=query.filterset.today)

    return serve_feed(request, f"event-ics:{uuid}", ICS_TYPE, build, filterset_class=CalendarFilterSet)


@canonical_query(CalendarFilterSet)
@require_safe
def occurrence_ics(request, uuid: UUID, recurrence_id: str):
    """``/feeds/events/<uuid>/<recurrence id>.ics``: one date of an event as a calendar of its own, in ``locale``.

    For "add this date to my calendar": one VEVENT with the date's own start, end and status and a UID of its own
    (``ics.occurrence_uid``). The date is named as in the occurrence's public id (its original local start, as the
    feeds' ``urn:uuid:<uuid>#<recurrence id>``); a date or an event the site's agenda does not list is a 404.
    """
    occurrence = _site_occurrences(request).filter(event_uuid=uuid, recurrence_id=recurrence_id).first()
    if occurrence is None:
        raise Http404(_("This date of the event is not in the agenda."))
    unknown = unknown_parameters(request.GET, {"locale"})
    if unknown:
        with translation.override(_feed_language(request.GET)):
            return _bad_request({name: [_("Unknown parameter.")] for name in unknown})

    def build(request, query: FeedQuery) -> bytes:
        name = calendar_name(_site_name(request), _shown_title(occurrence.event_id, query.locale))
        event = EventPage.objects.filter(pk=occurrence.event_id)
        return serialize_occurrence(event, occurrence, request, name=name, locale=query.locale)

    kind = f"occurrence-ics:{uuid}/{recurrence_id}"
    return serve_feed(request, kind, ICS_TYPE, build, filterset_class=CalendarFilterSet)


# Atom, RSS, JSON Feed.


def _agenda_url(request, locale) -> str:
    """The agenda page in the feed's language, else the first agenda, else the site's root."""
    agendas = list(EventIndexPage.objects.live().order_by("path")[:10])
    agenda = next((page for page in agendas if page.locale_id == locale.pk), agendas[0] if agendas else None)
    url = agenda.get_full_url(request) if agenda else None
    return url or request.build_absolute_uri("/")


def feed_context(request, query: FeedQuery) -> FeedContext:
    entries = [
        Entry(occurrence=occurrence, event=event, url=event.url or "", note=occurrence.note_in(query.language))
        for occurrence, event in listed_occurrences(query.filterset, query.limit, request)
    ]
    return FeedContext(
        title=calendar_name(_site_name(request)),
        link=_agenda_url(request, query.locale),
        feed_url=request.build_absolute_uri(),
        language=query.language,
        entries=entries,
    )


def _build_atom(request, query: FeedQuery) -> bytes:
    return OccurrenceAtomFeed(feed_context(request, query))(request).content


def _build_rss(request, query: FeedQuery) -> bytes:
    return OccurrenceRssFeed(feed_context(request, query))(request).content


def _build_json(request, query: FeedQuery) -> bytes:
    document = json_feed(feed_context(request, query))
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


@canonical_query(FeedFilterSet)
@require_safe
def events_atom(request):
    return serve_feed(request, "atom", ATOM_TYPE, _build_atom)


@canonical_query(FeedFilterSet)
@require_safe
def events_rss(request):
    return serve_feed(request, "rss", RSS_TYPE, _build_rss)


@canonical_query(FeedFilterSet)
@require_safe
def events_json(request):
    return serve_feed(request, "json", JSON_FEED_TYPE, _build_json)


# The embeddable agenda.


def _build_embed(request, query: FeedQuery) -> bytes:
    context = feed_context(request, query)
    # Rendered without the request: no context processor may touch the session, the user or the CSRF token,
    # so no cookie is set and nothing varies on Cookie.
    html = render_to_string("events/embed.html", {"feed": context, "language": query.language})
    return html.encode()


def embed_style_source() -> str:
    """The Content-Security-Policy source that allows the embed's one inline ``<style>``, by its hash.

    The style is the same in every answer (``events/embed.css`` has no variables), so the body can be cached whole,
    which a nonce would not allow. Hashing the small template per request keeps the hash right while it is edited.
    """
    digest = hashlib.sha256(render_to_string("events/embed.css").encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@canonical_query(FeedFilterSet)
@require_safe
@xframe_options_exempt
def events_embed(request):
    """``/embed/events/``: a small self-contained agenda for an ``<iframe>`` on a partner's site."""
    frameable = csp_replace({"frame-ancestors": embed_frame_ancestors()})
    styled = csp_update({"style-src": [embed_style_source()]})
    return frameable(styled(_serve_embed))(request)


def _serve_embed(request):
    return serve_feed(request, "embed", HTML_TYPE, _build_embed, default_limit=EMBED_DEFAULT_LIMIT)


# Saved feeds: stable URLs whose filters editors keep in the admin.

SAVED_FORMATS = {
    "ics": (ICS_TYPE, _build_ics, CalendarFilterSet, _all_occurrences),
    "atom": (ATOM_TYPE, _build_atom, FeedFilterSet, _site_occurrences),
    "rss": (RSS_TYPE, _build_rss, FeedFilterSet, _site_occurrences),
    "json": (JSON_FEED_TYPE, _build_json, FeedFilterSet, _site_occurrences),
}


@require_safe
def saved_feed(request, slug: str, fmt: str):
    """``/feeds/saved/<slug>.<fmt>``: the stored filters, plus ``locale`` (and ``limit``) from the query string."""
    feed = get_object_or_404(SavedFeed, slug=slug)
    content_type, build, filterset_class, occurrences = SAVED_FORMATS[fmt]
    unknown = unknown_parameters(request.GET, REQUEST_PARAMETERS)
    if unknown:
        with translation.override(_feed_language(request.GET)):
            return _bad_request({name: [_("Unknown parameter.")] for name in unknown})
    params = feed.params()
    for name in REQUEST_PARAMETERS:
        if name in request.GET:
            params.setlist(name, request.GET.getlist(name))
    return serve_feed(
        request,
        f"saved:{fmt}",
        content_type,
        build,
        filterset_class=filterset_class,
        params=params,
        occurrences=occurrences,
    )
