"""The content version kept in the database, for worker processes that each cache in their own memory.

``learningcity.caching`` keys cached responses, fragments, routes and view restrictions on a content version made
of tokens (one for what every site shows, one per site, one for pages across sites). When the cache is shared by
every process (Redis) the tokens live there; when each process has its own cache (Django's local-memory cache),
one process's new token would never reach the others, so the tokens live in this table too (a row per token):
every process reads them once per request and a change of content writes new ones.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentVersionQuerySet(models.QuerySet):
    def current(self) -> dict[str, str]:
        """The tokens every process sees now, by scope (none until content first changes)."""
        return {scope: token.hex for scope, token in self.values_list("scope", "token")}

    def renew(self, scopes=("global", "pages")) -> None:
        """Write new tokens for ``scopes`` (default: every change's), an UPDATE each; rows are made on first use."""
        for scope in scopes:
            if not self.filter(scope=scope).update(token=uuid.uuid4()):
                self.get_or_create(scope=scope)  # made by another process meanwhile: its token is just as new


class ContentVersion(models.Model):
    scope = models.CharField(_("scope"), max_length=40, unique=True, default="global")
    token = models.UUIDField(_("version"), default=uuid.uuid4)

    objects = ContentVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return f"{self.scope}: {self.token.hex}"
