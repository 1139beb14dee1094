from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningCityConfig(AppConfig):
    name = "learningcity"
    label = "learningcity"
    verbose_name = _("Learning city")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
        from .caching import connect_signals

        connect_signals()
