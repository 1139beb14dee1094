"""The occurrence index: every date of every live event, over a bounded window, for one indexed query."""

import uuid
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learningcity.caching import cached, restricted_paths
from learningcity.compat import site_root_paths

from ..conf import site_timezone
from ..enums import AttendanceMode, EventStatus, RegistrationStatus

# The dates between() reads without overflowing in any time zone.
FIRST_DATE = date.min + timedelta(days=2)
LAST_DATE = date.max - timedelta(days=2)


def longest_span() -> timedelta:
    """The longest occurrence in the index (end minus start); zero when it is empty."""

    def read() -> timedelta:
        return Occurrence.objects.order_by("-span").values_list("span", flat=True).first() or timedelta(0)

    return cached("longest-occurrence", read)


# Above this many events to leave out (a region's other portals), ``on_site`` looks up each date's page instead.
HIDDEN_IDS_MAX = 500


def hidden_event_ids(site) -> list[int]:
    """Ids of the indexed events a visitor of ``site`` may not see: private ones, those of other sites, and
    unpublished ones still in the index; at most ``HIDDEN_IDS_MAX + 1``.

    The index drops an unpublished event when the transaction commits, so there are usually none; on an
    installation with one portal, no event belongs to another site.
    """
    from learningcity.querysets import under_site

    from .pages import EventPage

    hidden = ~Q(live=True) | ~under_site(site)
    for path in restricted_paths():
        hidden |= Q(path__startswith=path)
    # The condition of the events themselves, not "not among the visible ones": an anti-join reads every visible
    # event (8–12 ms at 10,000), this one pass over the pages looks up the index only for the few it keeps.
    indexed = EventPage.objects.filter(hidden).filter(Exists(Occurrence.objects.filter(event=OuterRef("pk"))))
    return list(indexed.order_by().values_list("pk", flat=True)[: HIDDEN_IDS_MAX + 1])


class OccurrenceQuerySet(models.QuerySet):
    def between(self, from_date: date | None = None, to_date: date | None = None, *, now: datetime | None = None):
        """Occurrences overlapping the local dates ``[from_date 00:00, to_date + 1 day 00:00)``.

        Dates are read in the site's time zone. An occurrence without an end counts as an instant at its start.
        Without ``from_date``: what is ongoing or upcoming at ``now``. Ordered by start, then event.
        """
        zone = site_timezone()
        if from_date is None:
            lower = now or timezone.now()
        else:
            # Dates at the very ends of the calendar would overflow once converted to UTC.
            lower = datetime.combine(min(max(from_date, FIRST_DATE), LAST_DATE), time.min, tzinfo=zone)
        # An occurrence ending exactly at ``lower`` is over unless it is an instant (no end, end == start).
        queryset = self.filter(Q(end__gt=lower) | Q(start__gte=lower), end__gte=lower)
        # Nothing that started before ``lower - longest span`` can still be going on: that bound lets one range
        # of the ``start`` index cover the request and give its order. The longest span is read from the
        # ``span`` index (one row), cached under the content version like page fragments. A span reaching
        # before the first datetime (a row stored without the bounds of clean()) leaves the start unbounded.
        span = longest_span()
        if lower - datetime.combine(FIRST_DATE, time.min, tzinfo=lower.tzinfo) > span:
            queryset = queryset.filter(start__gte=lower - span)
        if to_date is not None and to_date < LAST_DATE:
            upper = datetime.combine(max(to_date, FIRST_DATE) + timedelta(days=1), time.min, tzinfo=zone)
            queryset = queryset.filter(start__lt=upper)
        return queryset.order_by("start", "event_id")

    def upcoming(self, now: datetime | None = None):
        return self.between(now=now)

    def for_event(self, page):
        """The occurrences of a page in any language."""
        return self.filter(event_key=page.translation_key)

    def by_public_id(self, public_id: str):
        """The occurrence named ``<event uuid>/<original local start>``, or ``None``."""
        event_uuid, _sep, recurrence_id = public_id.partition("/")
        try:
            event_uuid = uuid.UUID(event_uuid)
        except ValueError:
            return None
        return self.filter(event_uuid=event_uuid, recurrence_id=recurrence_id).first()

    def _events_having(self, lookup: str, values):
        """Occurrences of events with at least one of ``values`` for ``lookup`` (a subquery, no duplicates)."""
        from .pages import EventPage

        return self.filter(event__in=EventPage._base_manager.filter(**{f"{lookup}__in": list(values)}).values("pk"))

    def for_ages(self, ages):
        """Events whose age range includes any of ``ages`` (whole years), bounds included; an empty bound is open,
        so an event without an age range is for every age (the rule of ``events.audience``)."""
        condition = Q()
        for age in ages:
            age = int(age)
            condition |= (Q(event__min_age__isnull=True) | Q(event__min_age__lte=age)) & (
                Q(event__max_age__isnull=True) | Q(event__max_age__gte=age)
            )
        return self.filter(condition)

    def for_audience(self, codes):
        return self._events_having("audience_groups__code", codes)

    def in_languages(self, codes):
        return self._events_having("languages__code", codes)

    def with_themes(self, codes):
        return self._events_having("themes__code", codes)

    def with_facilities(self, codes):
        return self._events_having("accessibility__code", codes)

    def in_municipalities(self, codes):
        """Events at a venue in, or with an address in, one of the municipalities (by official code)."""
        codes = list(codes)
        return self.filter(Q(event__venue__municipality__code__in=codes) | Q(event__municipality__code__in=codes))

    def on_site(self, site):
        """Occurrences of the live, public events under ``site``'s root page (the root in any language).

        The events a visitor of ``site`` may not see are read once per content version (``hidden_event_ids``) and
        left out by id. There are usually none, so a count of dates reads the date index alone, where looking up
        each date's page cost a probe per counted date (the agenda's count of 1,000 dates 6 ms). Publishing,
        unpublishing, moving or restricting a page renews the content version: the tree is read anew, nothing is
        re-indexed. When more than ``HIDDEN_IDS_MAX`` events are hidden (a region's other portals), each listed date's
        page is looked up instead (``looked_up_on_site``). Without a site (a host no site serves), none.
        """
        if site is None:
            return self.none()
        hidden = cached(f"hidden-events-{site.pk}", lambda: hidden_event_ids(site))
        if len(hidden) > HIDDEN_IDS_MAX:
            return self.looked_up_on_site(site)
        return self.exclude(event__in=hidden) if hidden else self.all()

    def looked_up_on_site(self, site):
        """``on_site`` by a correlated EXISTS that looks up each date's page by its key: a page of 20 results costs
        about 20 look-ups however many events the site has (an IN over all its live events would read every one of
        them)."""
        from .pages import EventPage

        under = Q(pk__in=[])
        for root in site_root_paths():
            if root.site_id == site.pk:
                under |= Q(url_path__startswith=root.root_path)
        listed = EventPage.objects.live().filter(under, pk=OuterRef("event_id"))
        for path in restricted_paths():
            listed = listed.exclude(path__startswith=path)
        return self.filter(Exists(listed))

    def at_levels(self, levels):
        """Courses at one of ``levels`` (``CourseLevel`` codes)."""
        return self._events_having("course_level", levels)

    def attended(self, modes):
        """``"online"``: dates residents can join online (an online or mixed event, or a date moved online);
        ``"offline"``: dates on site (an event on site or mixed, not moved online)."""
        condition = Q()
        if "online" in modes:
            condition |= Q(event__attendance_mode__in=[AttendanceMode.ONLINE, AttendanceMode.MIXED])
            condition |= Q(status=EventStatus.MOVED_ONLINE)
        if "offline" in modes:
            condition |= Q(event__attendance_mode__in=[AttendanceMode.OFFLINE, AttendanceMode.MIXED]) & ~Q(
                status=EventStatus.MOVED_ONLINE
            )
        return self.filter(condition)

    def with_registration(self, answers):
        """``"required"``: events residents register for; ``"not-required"``: events they just attend."""
        wanted = {answer == "required" for answer in answers}
        return self if len(wanted) > 1 else self.filter(event__registration_required=wanted.pop())

    def with_places(self, answers):
        """``"available"``: dates residents can still register for: not full, a place left (or places not
        counted), and the event not marked full (or full with a waiting list) as a whole."""
        if "available" not in answers:
            return self
        return self.filter(Q(places_left__isnull=True) | Q(places_left__gt=0), is_full=False).exclude(
            event__registration_status__in=[RegistrationStatus.FULL, RegistrationStatus.WAITING_LIST]
        )

    def with_status(self, statuses):
        return self.filter(status__in=list(statuses))

    def visible(self):
        """Hide cancelled occurrences, as listings do unless residents ask for them."""
        return self.exclude(status=EventStatus.CANCELLED)


class Occurrence(models.Model):
    """One date of an event, expanded from the event's source-language page.

    Rows hold the schedule, with the date's note in every language of the event (``notes``), so that a listing shows
    it in the visitor's language without reading the translations' rows. What depends on the page tree (site,
    language, partner, privacy) is joined at query time through ``event_key`` (the pages' shared translation_key).
    """

    event = models.ForeignKey(
        "events.EventPage", on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("event")
    )
    # Looked up through the index occurrence_next, which starts with it.
    event_key = models.UUIDField(_("event translation key"))
    event_uuid = models.UUIDField(_("event UUID"))
    recurrence_id = models.CharField(
        _("original start"), max_length=19, help_text=_("The original local start, e.g. 2026-03-02T19:00:00.")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), help_text=_("Equal to the start when the event has no end."))
    has_end = models.BooleanField(_("has an end"), default=True)
    span = models.DurationField(
        _("duration"), default=timedelta(0), help_text=_("End minus start; bounds the index scan of between().")
    )
    all_day = models.BooleanField(_("all day"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED)
    is_full = models.BooleanField(_("full"), default=False, help_text=_("Set by the editor, or no places left."))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    places_left = models.PositiveIntegerField(
        _("places left"), null=True, blank=True, help_text=_("Empty when the editors do not count the places.")
    )
    note = models.CharField(_("note"), max_length=250, blank=True)
    notes = models.JSONField(
        _("note by language"),
        default=dict,
        blank=True,
        help_text=_("The date's note in each language the event is published in, by language code."),
    )

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["start", "event_id"]
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        constraints = [
            models.UniqueConstraint(fields=["event", "recurrence_id"], name="unique_occurrence_per_event"),
        ]
        indexes = [
            models.Index(fields=["event_uuid", "recurrence_id"], name="occurrence_public_id"),
            # Covers between() and its filters on status, so counting reads the index alone.
            models.Index(fields=["start", "end", "status", "event"], name="occurrence_start"),
            models.Index(fields=["span"], name="occurrence_span"),
            # An event's next date (the site search's next_start, per matching event): its upcoming occurrences
            # from the index alone on PostgreSQL, without a visit to the table.
            models.Index(fields=["event_key", "end"], include=["start", "status"], name="occurrence_next"),
        ]

    def __str__(self):
        return self.public_id

    @property
    def public_id(self) -> str:
        return f"{self.event_uuid}/{self.recurrence_id}"

    def note_in(self, language: str) -> str:
        """The date's note in ``language``, else the source page's (see ``note_in``)."""
        return note_in(self.notes, self.note, language)


def note_in(notes: dict[str, str] | None, note: str, language: str) -> str:
    """A date's note in ``language`` from an occurrence's ``notes`` and ``note`` (as ``values()`` reads them): the
    translation's note, else the source page's."""
    return (notes or {}).get(language) or note
