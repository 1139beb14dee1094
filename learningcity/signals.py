"""Signal receivers of the change log: what a change-logged model's publishing, saving and deletion record.

Rows are written when the transaction commits (``ChangeLog.objects.record_on_commit``): wagtail-localize publishes
translations on commit, and a rolled-back edit must leave no change behind. Models are connected through
``registry.register_change_logged``.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .enums import ChangeAction
from .models import ChangeLog


def log_published(sender, instance, **kwargs):
    first_time = instance.first_published_at is not None and instance.first_published_at == instance.last_published_at
    ChangeLog.objects.record_on_commit(instance, ChangeAction.CREATED if first_time else ChangeAction.CHANGED)


def log_unpublished(sender, instance, **kwargs):
    ChangeLog.objects.record_on_commit(instance, ChangeAction.UNPUBLISHED)


def log_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        ChangeLog.objects.record_on_commit(instance, ChangeAction.CREATED if created else ChangeAction.CHANGED)


def log_deleted(sender, instance, **kwargs):
    ChangeLog.objects.record_on_commit(instance, ChangeAction.DELETED)


def connect_change_log(model) -> None:
    """Log ``model``'s changes: a page's publishing and unpublishing, any other model's saves; and deletions."""
    uid = model._meta.label_lower
    if issubclass(model, Page):
        page_published.connect(log_published, sender=model, dispatch_uid=f"changelog-published-{uid}")
        page_unpublished.connect(log_unpublished, sender=model, dispatch_uid=f"changelog-unpublished-{uid}")
    else:
        post_save.connect(log_saved, sender=model, dispatch_uid=f"changelog-saved-{uid}")
    post_delete.connect(log_deleted, sender=model, dispatch_uid=f"changelog-deleted-{uid}")
