"""What the site search keeps of an event: its texts, the labels it is known by, and its facets."""

from django.db.models import F
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from learningcity.search import SearchEntry
from learningcity.search.facets import life_stages, sdg_goals

from .enums import EventStatus
from .models import AudienceGroup, Occurrence, Theme

PREFETCH = ("themes", "audience_groups", "organisers", "sdg_targets")
SELECT = ("municipality", "venue__municipality")


def describe_event(page):
    themes = list(page.themes.all())
    audiences = list(page.audience_groups.all())
    municipality = page.event_municipality
    yield SearchEntry(
        title=page.title,
        summary=page.summary,
        body=" ".join(part for part in (page.body, page.prerequisites, page.status_reason, page.price_note) if part),
        keywords=[
            *(theme.label for theme in themes),
            *(audience.label for audience in audiences),
            *(organiser.title for organiser in page.organisers.all()),
            page.venue.title if page.venue_id else page.venue_name,
            municipality.name if municipality else "",
            page.locality,
        ],
        facets={
            "theme": [theme.code for theme in themes],
            "audience": [audience.code for audience in audiences],
            "age": life_stages(page.min_age, page.max_age),
            "municipality": [municipality.code] if municipality else [],
            "sdg": sdg_goals(page),
            "free": ["yes"] if page.is_free else [],
        },
    )


def upcoming_dates():
    """The dates of events that are not over (ongoing ones count) nor cancelled, with the event's ``key``."""
    dates = Occurrence.objects.filter(end__gte=Now()).exclude(status=EventStatus.CANCELLED)
    return dates.annotate(key=F("event_key"))


def register():
    from learningcity import registry

    from .models import EventIndexPage, EventPage

    registry.register_searchable(
        EventPage,
        "event",
        describe_event,
        label=_("Activities"),
        prefetch=PREFETCH,
        select=SELECT,
        dates=upcoming_dates,
    )
    registry.register_searchable(EventIndexPage, "page", label=_("Pages"))
    registry.register_search_facet("theme", _("Theme"), lambda: dict(Theme.LABELS))
    registry.register_search_facet("audience", _("For"), lambda: dict(AudienceGroup.LABELS))
