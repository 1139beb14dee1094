"""The change log: one row per create, change, unpublish or delete of published content, in commit order.

Feeds derive their ETags from it and the changes API (``/api/v3/changes/?since=…``) pages through it. Rows
are written when the transaction commits, so a rolled-back edit leaves no trace.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from asgiref.local import Local
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import ChangeAction


class ChangeLogQuerySet(models.QuerySet):
    def since(self, cursor: int):
        """Changes after the given id, oldest first."""
        return self.filter(pk__gt=cursor).order_by("pk")

    def prunable(self, before):
        """Changes made before ``before`` that no client needs any more (``prune_changes``).

        A change superseded by a later change of the same object in the same language, and the last change of an
        object that ended (deleted or unpublished: a tombstone). The last change of a live object is always kept,
        so a client that starts from cursor 0 still finds every published object.
        """
        later = self.model.objects.filter(
            content_type=OuterRef("content_type"),
            translation_key=OuterRef("translation_key"),
            language_code=OuterRef("language_code"),
            pk__gt=OuterRef("pk"),
        )
        ended = models.Q(action__in=[ChangeAction.DELETED, ChangeAction.UNPUBLISHED])
        return self.filter(timestamp__lt=before).filter(models.Q(Exists(later)) | ended)

    def record_on_commit(self, instance, action: str) -> None:
        """Write a row for ``instance`` (a translatable page or snippet, or a model with a key of its own) once the
        transaction commits."""
        from .. import registry

        locale = getattr(instance, "locale", None)
        values = {
            "content_type": ContentType.objects.get_for_model(instance, for_concrete_model=True),
            "object_id": instance.pk,
            "translation_key": getattr(instance, registry.change_key(instance._meta.label_lower)),
            # An object that is not translated is logged in the site's language.
            "language_code": locale.language_code if locale is not None else settings.LANGUAGE_CODE.split("-")[0],
            "action": action,
        }
        pending = getattr(_bulk, "rows", None)
        if pending is not None:
            pending.append(values)
        else:
            transaction.on_commit(lambda: self.create(**values))

    @contextmanager
    def in_bulk(self) -> Iterator[None]:
        """Write the rows recorded in the block in one statement when the transaction commits, in the same order,
        instead of one statement (and, outside a transaction, one commit) per row. Use it inside the transaction.
        """
        if getattr(_bulk, "rows", None) is not None:
            yield
            return
        _bulk.rows = pending = []
        try:
            yield
        finally:
            _bulk.rows = None
        if pending:
            model = self.model
            transaction.on_commit(
                lambda: model.objects.bulk_create([model(**values) for values in pending], batch_size=500)
            )


# The rows a bulk load (``ChangeLog.objects.in_bulk``) has recorded so far in this thread.
_bulk = Local()


class ChangeLog(models.Model):
    # The auto-incrementing id is the cursor integrators page with.
    id = models.BigAutoField(primary_key=True)
    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    translation_key = models.UUIDField(_("translation key"), db_index=True)
    language_code = models.CharField(_("language"), max_length=20)
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)

    objects = ChangeLogQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("change")
        verbose_name_plural = _("change log")

    def __str__(self):
        return f"{self.id} {self.action} {self.content_type.model} {self.translation_key} ({self.language_code})"


def log_live_pages(*labels: str):
    """A migration's operation: list the live pages of the models ``labels`` (``app.Model``) as created.

    For a page type that joins the change feed, so ``since=0`` stays a full sync on a database that has such pages
    already. Uses the migration's historical models.
    """

    def forwards(apps, schema_editor):
        ChangeLog = apps.get_model("learningcity", "ChangeLog")
        ContentType = apps.get_model("contenttypes", "ContentType")
        for label in labels:
            app_label, model_name = label.split(".")
            pages = apps.get_model(app_label, model_name).objects.filter(live=True).select_related("locale")
            pages = list(pages.order_by("pk"))
            if not pages:
                continue
            content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model_name.lower())
            ChangeLog.objects.bulk_create(
                ChangeLog(
                    content_type=content_type,
                    object_id=page.pk,
                    translation_key=page.translation_key,
                    language_code=page.locale.language_code,
                    action="created",
                )
                for page in pages
            )

    from django.db import migrations

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
