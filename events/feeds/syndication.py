"""Upcoming occurrences as Atom, RSS (Django's syndication framework) and JSON Feed 1.1."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..conf import site_timezone
from ..models import EventStatus, Occurrence, RegistrationStatus
from ..summaries import EventSummary

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass
class Entry:
    """One occurrence with its event's summary and the date's ``note`` in the feed's language."""

    occurrence: Occurrence
    event: EventSummary
    url: str
    note: str = ""

    @property
    def id(self) -> str:
        return f"urn:uuid:{self.occurrence.event_uuid}#{self.occurrence.recurrence_id}"

    @property
    def title(self) -> str:
        return f"{self.event.title} ({self.when})"

    @property
    def when(self) -> str:
        """The local date (and time) residents read, in the feed's language."""
        start = timezone.localtime(self.occurrence.start, site_timezone())
        if self.occurrence.all_day:
            return formats.date_format(start.date(), "DATE_FORMAT")
        return formats.date_format(start, "DATETIME_FORMAT")

    @property
    def status_label(self) -> str:
        return str(EventStatus(self.occurrence.status).label)

    @property
    def is_cancelled(self) -> bool:
        return self.occurrence.status == EventStatus.CANCELLED

    @property
    def is_full(self) -> bool:
        return self.occurrence.is_full or self.event.registration_status == RegistrationStatus.FULL

    @property
    def places_label(self) -> str:
        """The word "Full", or how many places are left when the editors count them; "" for a cancelled date."""
        if self.is_cancelled:
            return ""
        if self.is_full:
            return str(RegistrationStatus.FULL.label)
        left = self.occurrence.places_left
        if left is None:
            return ""
        return ngettext("%(count)s place left", "%(count)s places left", left) % {"count": left}

    @property
    def description(self) -> str:
        lines = [_("When: %(when)s") % {"when": self.when}]
        if self.event.schedule_text:
            lines.append(self.event.schedule_text)
        if self.event.location:
            lines.append(_("Where: %(place)s") % {"place": self.event.location})
        lines.append(_("Status: %(status)s") % {"status": self.status_label})
        places = self.places_label
        if places:
            lines.append(places)
        if self.event.status != EventStatus.SCHEDULED and self.event.status_reason:
            lines.append(self.event.status_reason)  # as the event page shows it next to the event's status
        if self.note:
            lines.append(self.note)
        lines.append(self.event.summary)
        return "\n".join(lines)

    @property
    def updated(self) -> datetime:
        return self.event.last_modified


@dataclass
class FeedContext:
    title: str
    link: str
    feed_url: str
    language: str
    entries: list[Entry]


class OccurrenceAtomFeed(Feed):
    """Django's Feed fed with prepared entries: the view validates, localises and caches."""

    feed_type = Atom1Feed

    def __init__(self, context: FeedContext):
        super().__init__()
        self.context = context

    def get_object(self, request, *args, **kwargs):
        return self.context

    def title(self, obj):
        return obj.title

    def link(self, obj):
        return obj.link

    def feed_url(self, obj):
        return obj.feed_url

    def description(self, obj):
        return obj.title

    def subtitle(self, obj):
        return obj.title

    def feed_extra_kwargs(self, obj):
        return {}

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj.language
        return feed

    def items(self, obj):
        return obj.entries

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return item.id

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.updated

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return [item.status_label]


class OccurrenceRssFeed(OccurrenceAtomFeed):
    feed_type = Rss201rev2Feed


def json_feed(context: FeedContext) -> dict:
    """A JSON Feed 1.1 document; dates, venue and status in the ``_leerstad`` extension of each item."""
    items = []
    for entry in context.entries:
        occurrence = entry.occurrence
        item = {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "content_text": entry.description,
            "summary": entry.event.summary,
            "date_published": entry.event.first_published_at.isoformat()
            if entry.event.first_published_at
            else entry.updated.isoformat(),
            "date_modified": entry.updated.isoformat(),
            "language": context.language,
            "tags": entry.event.theme_labels,
            "_leerstad": {
                "event_uuid": str(occurrence.event_uuid),
                "recurrence_id": occurrence.recurrence_id,
                "schedule": entry.event.schedule_text,
                "start": occurrence.start.isoformat(),
                "end": occurrence.end.isoformat() if occurrence.has_end else None,
                "all_day": occurrence.all_day,
                "status": occurrence.status,
                "is_full": entry.is_full,
                "capacity": occurrence.capacity,
                "places_left": occurrence.places_left,
                "note": entry.note,
                "venue": entry.event.location,
            },
        }
        items.append(item)
    return {
        "version": JSON_FEED_VERSION,
        "title": context.title,
        "home_page_url": context.link,
        "feed_url": context.feed_url,
        "language": context.language,
        "items": items,
    }
