"""Cached page fragments (menu, language switcher, footer, filter forms) and the content version they key on.

A fragment is cached under the *content version*, which changes whenever content is saved or deleted (pages,
snippets, settings, images, the apps' own models), so an edit shows on the next request and no fragment needs
to know what it depends on. Fragments live ``LEERSTAD_FRAGMENT_CACHE_SECONDS`` (default 300; 0 turns them off,
as the test settings do).

Every worker process must see a new version on its next request. When all processes share the cache (Redis,
Memcached, the database or file cache) the version is a token in that cache. When each process caches in its
own memory (Django's local-memory cache, the default without ``REDIS_URL``), a token there reaches no other
process, so the version also holds a token kept in the database (``ContentVersion``), read once per request
and renewed when a change commits: each worker keeps its own cached fragments and routes, but all of them key
on the same version, and an unpublished page or a new view restriction is gone from every worker at once.
"""

import uuid

from asgiref.local import Local
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.memcached import BaseMemcachedCache
from django.core.cache.backends.redis import RedisCache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import SimpleLazyObject

from . import registry
from .conf import fragment_cache_seconds

VERSION_KEY = "leerstad:content-version"
# Django's backends that every worker process reads and writes alike; any other cache (the local-memory one,
# one we don't know) gets the version from the database too, which costs a query per request and is never stale.
SHARED_CACHES = (RedisCache, BaseMemcachedCache, DatabaseCache, FileBasedCache)

# The database's token during the request being served, per thread (as Django keeps database connections).
_request = Local()


def fragment_seconds() -> int:
    return fragment_cache_seconds()


def cache_is_shared() -> bool:
    """Whether all worker processes use the same cache (else each caches in its own memory)."""
    return isinstance(caches["default"], SHARED_CACHES)


def content_version() -> str:
    """The current content version (made on first use)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    if cache_is_shared():
        return version
    return f"{database_version()}.{version}"


def database_version() -> str:
    """The database's token (``ContentVersion``), read once per request."""
    token = getattr(_request, "token", None)
    if token is None:
        from .models import ContentVersion  # not at import: the models import this module

        token = ContentVersion.objects.current()
        if getattr(_request, "serving", False):
            _request.token = token
    return token


def request_began(**kwargs) -> None:
    _request.serving, _request.token = True, None


def request_ended(**kwargs) -> None:
    _request.serving, _request.token = False, None


def bump_content_version() -> None:
    """A new content version for every process; call it once a change is committed (``transaction.on_commit``)."""
    renew_cache_token()
    if fragment_seconds() and not cache_is_shared():
        from .models import ContentVersion

        ContentVersion.objects.renew()
        _request.token = None


def renew_cache_token() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def content_changed(sender, **kwargs) -> None:
    """Signal receiver: a change to content gives a new version now and again when the transaction commits.

    The first is the cache's token: this process (the request making the change) sees the change at once, as
    other processes cannot before the commit. The second drops what another request cached from the old rows
    before the commit, and reaches the processes that cache on their own through the database.
    """
    if registry.renews_caches(sender):
        renew_cache_token()
        transaction.on_commit(bump_content_version)


def watch_content(model) -> None:
    """Renew the content version on saves and deletes of ``model`` (a receiver per model; see ``registry``)."""
    for signal in (post_save, post_delete):
        signal.connect(content_changed, sender=model, dispatch_uid=f"content-version-{model._meta.label_lower}")


def connect_signals() -> None:
    """Renew the content version on many-to-many changes of content; read it once a request."""
    m2m_changed.connect(content_changed, dispatch_uid="content-version-m2m")
    request_started.connect(request_began, dispatch_uid="content-version-request-started")
    request_finished.connect(request_ended, dispatch_uid="content-version-request-finished")


def fragment_cache(request) -> dict:
    """Context processor: ``fragment_seconds`` and a lazy ``content_version`` for ``{% cache %}`` keys.

    ``{% cache 0 … %}`` still makes its key, so with fragments off the version is not read at all.
    """
    seconds = fragment_seconds()
    return {"fragment_seconds": seconds, "content_version": SimpleLazyObject(content_version) if seconds else ""}


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
