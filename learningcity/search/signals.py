"""Keeping the search index in step: a page published, unpublished, deleted or moved is indexed again.

It is indexed at once, in the transaction that publishes it, so the index never shows what was rolled back. A
page saved live without being published (an import, a script) is indexed when the transaction commits, once its
relations are saved too. Inside ``deferred()`` (the demo) keys are only noted and indexed once, at its end.
Nothing is indexed while ``migrate`` runs; afterwards an empty index over live pages is built once (e.g. on the
first upgrade).
"""

import logging
from contextlib import contextmanager

from asgiref.local import Local
from django.db import DatabaseError, connections, transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

_pending = Local()


def _index_pending() -> None:
    from .index import index_keys

    keys, _pending.keys = getattr(_pending, "keys", set()), set()
    if not keys:
        return  # an earlier callback of the transaction took them
    try:
        index_keys(keys)
    except DatabaseError:  # the page is saved; the nightly rebuild will index it
        logger.exception("The search index could not be updated for %s pages.", len(keys))


def _noting() -> bool:
    return getattr(_pending, "deferred", 0) > 0


@contextmanager
def deferred():
    """Note the pages to index inside the block; index them once when it ends (without an exception)."""
    _pending.deferred = getattr(_pending, "deferred", 0) + 1
    try:
        yield
    finally:
        _pending.deferred -= 1
    if not _noting():
        _index_pending()


def index_now(*keys) -> None:
    """Index these translation keys now (or at the end of ``deferred()``)."""
    from ..caching import _Migrations
    from .index import index_keys

    if _Migrations.running:
        return
    if _noting():
        _note(keys)
        return
    index_keys(key for key in keys if key is not None)


def _note(keys) -> None:
    if not hasattr(_pending, "keys"):
        _pending.keys = set()
    _pending.keys.update(key for key in keys if key is not None)


def schedule(*keys) -> None:
    """Index the pages with these translation keys when the current transaction commits."""
    from ..caching import _Migrations

    if _Migrations.running:
        return
    _note(keys)
    if _noting():
        return
    # A callback per call: the first one to run takes every key (those of a rolled-back transaction too, which
    # are then indexed as the database has them).
    transaction.on_commit(_index_pending)


def page_changed(sender, instance, **kwargs) -> None:
    index_now(instance.translation_key)


def page_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw and instance.live:
        schedule(instance.translation_key)


def page_moved(sender, instance, **kwargs) -> None:
    """A moved page changes the URL of everything under it."""
    from wagtail.models import Page

    index_now(*Page.objects.descendant_of(instance, inclusive=True).values_list("translation_key", flat=True))


def build_empty_index(using="default", **kwargs) -> None:
    """After ``migrate``: build the index when it is empty while searchable pages are live (a first upgrade)."""
    from ..models import SearchDocument
    from .index import rebuild_index, searchables

    if SearchDocument._meta.db_table not in connections[using].introspection.table_names():
        return
    if SearchDocument.objects.using(using).exists():
        return
    if any(searchable.model.objects.using(using).live().exists() for searchable in searchables()):
        rebuild_index()


def connect(model) -> None:
    uid = model._meta.label_lower
    page_published.connect(page_changed, sender=model, dispatch_uid=f"search-published-{uid}")
    page_unpublished.connect(page_changed, sender=model, dispatch_uid=f"search-unpublished-{uid}")
    post_delete.connect(page_changed, sender=model, dispatch_uid=f"search-deleted-{uid}")
    post_save.connect(page_saved, sender=model, dispatch_uid=f"search-saved-{uid}")
    post_page_move.connect(page_moved, dispatch_uid="search-page-moved")
    post_migrate.connect(build_empty_index, dispatch_uid="search-build-empty-index")
