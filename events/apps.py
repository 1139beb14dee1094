from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    label = "events"
    verbose_name = _("Events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from learningcity import registry

        from . import imports, reports, search, signals
        from .api import router
        from .context import agenda_life_stage_links, agenda_sdg_link, home_this_week
        from .filters import EventFilterSet
        from .models import EventIndexPage, EventPage

        signals.connect()
        registry.register_api_router(router)
        registry.register_change_logged(EventPage, "event")
        registry.register_change_logged(EventIndexPage, "eventindexpage")
        registry.register_listing("events", EventFilterSet)
        # The occurrence index is rebuilt from the events, often in bulk; it is not content of its own.
        registry.register_content(self, exclude=["events.occurrence", "events.calendarsubscription"])
        search.register()
        imports.register()
        registry.register_home_section("events/includes/this_week.html", home_this_week, position=10)
        registry.register_life_stage_links(agenda_life_stage_links, position=10)
        registry.register_sdg_links(agenda_sdg_link, position=10)
        reports.register()
