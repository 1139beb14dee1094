"""The learning city's choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    UNPUBLISHED = "unpublished", _("Unpublished")
    DELETED = "deleted", _("Deleted")
