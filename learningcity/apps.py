from django.apps import AppConfig, apps
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

# Wagtail's apps that store content (pages, images, documents, snippets) and its rows that record or index
# content rather than being content (see ``registry.register_content``).
WAGTAIL_CONTENT_APPS = frozenset({"wagtailcore", "wagtailimages", "wagtaildocs", "wagtailsnippets"})
WAGTAIL_RECORDS = (
    "wagtailcore.referenceindex",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.revision",
    "wagtailcore.taskstate",
    "wagtailcore.workflowstate",
    "wagtailcore.pagesubscription",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailimages.rendition",  # made while pages are served
)


class LearningCityConfig(AppConfig):
    name = "learningcity"
    label = "learningcity"
    verbose_name = _("Learning city")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, registry  # noqa: F401 (checks registers the system checks)
        from .api import QueryProblem, query_problem_response, router
        from .caching import connect_signals
        from .compat import read_time_stamps_in_c
        from .search import pages as search_pages
        from .search.api import router as search_router

        connect_signals()
        connection_created.connect(read_time_stamps_in_c, dispatch_uid="leerstad-time-stamps")
        registry.register_api_router(router)
        registry.register_api_router(search_router)
        registry.register_api_exception_handler(QueryProblem, query_problem_response)
        registry.register_content(
            self,
            exclude=[
                "learningcity.changelog",
                "learningcity.contentversion",
                "learningcity.searchdocument",
                "learningcity.searchfacet",
            ],
        )
        self.log_changes()
        search_pages.register()
        self.report()
        for config in apps.get_app_configs():
            if config.label in WAGTAIL_CONTENT_APPS:
                registry.register_content(config, exclude=WAGTAIL_RECORDS)

    def report(self):
        from . import registry
        from .reports import content_page_counts

        registry.register_sdg_counter("pages", _("Content pages"), content_page_counts, position=40)

    def log_changes(self):
        """The pages read through Wagtail's pages API (``/api/v3/pages/{page_id}/``) reach ``/changes/`` too."""
        from . import registry
        from .models import ContentPage, HomePage, SDGIndexPage

        registry.register_change_logged(HomePage, "homepage")
        registry.register_change_logged(ContentPage, "contentpage")
        registry.register_change_logged(SDGIndexPage, "sdgindexpage")
