"""Cached page fragments (menu, language switcher, footer, filter forms) and the content version they key on.

A fragment is cached under the *content version*: a token in the cache that changes whenever content is
saved or deleted (pages, snippets, settings, images, the apps' own models), so an edit shows on the next
request and no fragment needs to know what it depends on. Fragments live ``LEERSTAD_FRAGMENT_CACHE_SECONDS``
(default 300; 0 turns them off, as the test settings do). With several worker processes the cache must be
shared (Redis, see the README's Production section), or a worker may show an old fragment until it expires.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import SimpleLazyObject

VERSION_KEY = "leerstad:content-version"
CONTENT_APPS = frozenset(
    {"wagtailcore", "wagtailimages", "wagtaildocs", "wagtailsnippets", "learningcity", "partners", "events"}
)


def fragment_seconds() -> int:
    return int(getattr(settings, "LEERSTAD_FRAGMENT_CACHE_SECONDS", 300))


def content_version() -> str:
    """The current content version (made on first use)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def content_changed(sender, **kwargs) -> None:
    """Signal receiver: a change to content gives a new version now and again when the transaction commits.

    The second bump drops fragments that another request cached from the old rows before the commit.
    """
    if sender._meta.app_label in CONTENT_APPS and sender._meta.label_lower not in NOT_CONTENT:
        bump_content_version()
        transaction.on_commit(bump_content_version)


# Rows that record or index content rather than being content: bulk-deleted often, and a delete receiver
# would stop Django from deleting them in one statement.
NOT_CONTENT = frozenset(
    {
        "events.occurrence",
        "learningcity.changelog",
        "wagtailcore.referenceindex",
        "wagtailcore.pagelogentry",
        "wagtailcore.modellogentry",
        "wagtailcore.revision",
        "wagtailcore.taskstate",
        "wagtailcore.workflowstate",
        "wagtailcore.pagesubscription",
    }
)


def connect_signals() -> None:
    """Renew the content version on saves and deletes of the content models (one receiver per model)."""
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.app_label in CONTENT_APPS and model._meta.label_lower not in NOT_CONTENT:
            for signal in (post_save, post_delete):
                signal.connect(content_changed, sender=model, dispatch_uid=f"content-version-{model._meta.label_lower}")
    m2m_changed.connect(content_changed, dispatch_uid="content-version-m2m")


def fragment_cache(request) -> dict:
    """Context processor: ``fragment_seconds`` and a lazy ``content_version`` for ``{% cache %}`` keys."""
    return {"fragment_seconds": fragment_seconds(), "content_version": SimpleLazyObject(content_version)}


def versioned_key(name: str) -> str:
    """A cache key for ``name`` under the current content version."""
    return f"leerstad:{name}:{content_version()}"


def cached(name: str, compute):
    """``compute()``, kept under the content version for the fragment lifetime (recomputed when that is 0)."""
    seconds = fragment_seconds()
    if not seconds:
        return compute()
    key = versioned_key(name)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def restricted_paths() -> list[str]:
    """The tree paths of pages with a view restriction (their subtrees are private)."""
    from wagtail.models import PageViewRestriction

    return cached("restricted-paths", lambda: sorted(PageViewRestriction.objects.values_list("page__path", flat=True)))


def cached_locale(locale_id: int):
    """The Locale with this id (locales hardly ever change; this saves a query on every listing request)."""
    from wagtail.models import Locale

    return cached(f"locale-{locale_id}", lambda: Locale.objects.get(pk=locale_id))
