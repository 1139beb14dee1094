from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    label = "partners"
    verbose_name = _("Partners")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from learningcity import registry

        from . import reports, search, signals
        from .api import router
        from .context import child_centre_life_stage_links, directory_sdg_link
        from .filters import ChildCentreFilterSet, PartnerFilterSet
        from .models import (
            ChildCentreIndexPage,
            ChildCentrePage,
            Municipality,
            Network,
            PartnerIndexPage,
            PartnerPage,
            Partnership,
        )

        signals.connect()
        registry.register_api_router(router)
        registry.register_change_logged(PartnerPage, "partner")
        registry.register_change_logged(ChildCentrePage, "childcentre")
        registry.register_change_logged(Partnership, "partnership")
        registry.register_change_logged(Network, "network")
        registry.register_change_logged(Municipality, "municipality", key="uuid")
        registry.register_change_logged(PartnerIndexPage, "partnerindexpage")
        registry.register_change_logged(ChildCentreIndexPage, "childcentreindexpage")
        registry.register_listing("partners", PartnerFilterSet)
        registry.register_listing("childcentres", ChildCentreFilterSet)
        registry.register_content(self, exclude=["partners.importrun"])  # a record, not content
        search.register()
        registry.register_life_stage_links(child_centre_life_stage_links)
        registry.register_sdg_links(directory_sdg_link, position=20)
        reports.register()
