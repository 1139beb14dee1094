"""Signal handlers: the occurrence index and the change log follow publishing, unpublishing and deletion.

Both act when the transaction commits: wagtail-localize publishes translations on commit, and a rolled-back
edit must leave neither occurrences nor change-log rows behind. Connected in ``EventsConfig.ready``.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from learningcity.models import ChangeAction, ChangeLog


def refresh_occurrences_on_commit(sender, instance, **kwargs):
    from .indexing import refresh_event

    key = instance.translation_key
    transaction.on_commit(lambda: refresh_event(key))


def log_published(sender, instance, **kwargs):
    first_time = instance.first_published_at is not None and instance.first_published_at == instance.last_published_at
    ChangeLog.objects.record_on_commit(instance, ChangeAction.CREATED if first_time else ChangeAction.CHANGED)


def log_unpublished(sender, instance, **kwargs):
    ChangeLog.objects.record_on_commit(instance, ChangeAction.UNPUBLISHED)


def log_deleted(sender, instance, **kwargs):
    ChangeLog.objects.record_on_commit(instance, ChangeAction.DELETED)


def connect():
    from partners.models import PartnerPage

    from .models import EventPage

    for model in (EventPage, PartnerPage):
        uid = model._meta.label_lower
        page_published.connect(log_published, sender=model, dispatch_uid=f"changelog-published-{uid}")
        page_unpublished.connect(log_unpublished, sender=model, dispatch_uid=f"changelog-unpublished-{uid}")
        post_delete.connect(log_deleted, sender=model, dispatch_uid=f"changelog-deleted-{uid}")
    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("deleted", post_delete)):
        signal.connect(refresh_occurrences_on_commit, sender=EventPage, dispatch_uid=f"occurrences-{name}")
