"""The events app's URLs outside the page tree (feeds, embed); the site includes them once at the root."""

from django.urls import path, register_converter

from .feeds import views as feeds


class RecurrenceIdConverter:
    """An occurrence's original local start as its public id writes it: ``2026-03-02T19:00:00`` or ``2026-03-02``."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}:[0-9]{2})?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RecurrenceIdConverter, "recurrence_id")

app_name = "events"

urlpatterns = [
    path("feeds/events.ics", feeds.events_ics, name="events_ics"),
    path("feeds/events/<uuid:uuid>.ics", feeds.event_ics, name="event_ics"),
    path(
        "feeds/events/<uuid:uuid>/<recurrence_id:recurrence_id>.ics",
        feeds.occurrence_ics,
        name="occurrence_ics",
    ),
    path("feeds/events.atom", feeds.events_atom, name="events_atom"),
    path("feeds/events.rss", feeds.events_rss, name="events_rss"),
    path("feeds/events.json", feeds.events_json, name="events_json"),
    path("embed/events/", feeds.events_embed, name="events_embed"),
    *(
        path(f"feeds/saved/<slug:slug>.{fmt}", feeds.saved_feed, {"fmt": fmt}, name=f"saved_feed_{fmt}")
        for fmt in ("ics", "atom", "rss", "json")
    ),
]
