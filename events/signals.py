"""Signal handlers: the occurrence index follows publishing, unpublishing and deletion of events.

They act when the transaction commits: wagtail-localize publishes translations on commit, and a rolled-back
edit must leave no occurrences behind. Connected in ``EventsConfig.ready``.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished


def refresh_occurrences_on_commit(sender, instance, **kwargs):
    from .indexing import refresh_event

    key = instance.translation_key
    transaction.on_commit(lambda: refresh_event(key))


def connect():
    from .models import EventPage

    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("deleted", post_delete)):
        signal.connect(refresh_occurrences_on_commit, sender=EventPage, dispatch_uid=f"occurrences-{name}")
