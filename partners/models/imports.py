"""A record of each import made in the admin and each calendar subscription's run.

An upload is kept here, server-side, between its preview and its confirmation (``data``, at most the importer's
size limit), under a random ``token``: the confirmation names the token, never the file's content. Applying the
import clears ``data``; the counts, rows and errors stay for the dashboard.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import ImportKind, ImportStatus


class ImportRunQuerySet(models.QuerySet):
    def finished(self):
        """Runs that were applied or failed (not previews waiting for their confirmation)."""
        return self.exclude(status=ImportStatus.PREVIEW)


class ImportRun(models.Model):
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    partner = models.ForeignKey(
        "partners.PartnerPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("partner"),
        help_text=_("The organiser of imported events; its editors see the run."),
    )
    source = models.CharField(_("source"), max_length=500, help_text=_("The file's name or the calendar's address."))
    data = models.BinaryField(_("uploaded file"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, db_index=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    unpublished = models.PositiveIntegerField(_("unpublished"), default=0)
    rows = models.JSONField(
        _("rows"), default=list, blank=True, help_text=_("Each row or UID with what became of it: [where, status].")
    )
    errors = models.JSONField(_("errors"), default=list, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        permissions = [("import_files", _("Can import partners, child centres and calendars in the admin"))]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.source}"
