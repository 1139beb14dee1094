"""The content version kept in the database, for worker processes that each cache in their own memory.

``learningcity.caching`` keys cached fragments, routes, view restrictions and API answers on a content version.
When the cache is shared by every process (Redis) the version lives there; when each process has its own cache
(Django's local-memory cache), one process's new version would never reach the others, so the version lives in
this one-row table instead: every process reads it once per request and a change of content writes a new one.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

ROW = 1


class ContentVersionQuerySet(models.QuerySet):
    def current(self) -> str:
        """The version every process sees now (an empty string until content first changes)."""
        token = self.filter(pk=ROW).values_list("token", flat=True).first()
        return token.hex if token else ""

    def renew(self) -> None:
        """Write a new version (one UPDATE; the row is made on first use)."""
        if not self.filter(pk=ROW).update(token=uuid.uuid4()):
            self.get_or_create(pk=ROW)  # made by another process meanwhile: its token is just as new


class ContentVersion(models.Model):
    token = models.UUIDField(_("version"), default=uuid.uuid4)

    objects = ContentVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return self.token.hex
