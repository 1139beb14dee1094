"""The content version: one token per site (and one for what every site shows), which content changes renew.

Everything cached from content keys on a content version, so an edit shows on the next request and nothing
cached needs to know what it depends on: whole responses (``learningcity.response_cache``), page fragments
(menu, language switcher, footer), Wagtail's routes and the list of restricted paths. Caching follows
``LEERSTAD_FRAGMENT_CACHE_SECONDS`` (default 300; 0 turns it off, as the test settings do).

The version is made of tokens, each renewed by some changes:

- ``global``: every change but a publication of a page: snippets, settings, images, documents, sites, locales,
  view restrictions, the apps' own models, and pages that are unpublished, deleted or moved (so a page taken off
  or made private leaves every site's answers, whichever site shows it);
- ``site:<id>``: a page published (or saved live) under that site's root (or one of its translations), and the
  sites whose pages link to it (Wagtail's reference index);
- ``pages``: any change of a page, for answers that read pages across sites (the API, the feeds).

A page of a site keys on ``global`` and its site's token; the API and the feeds on ``global`` and ``pages``. A
draft (a revision saved, nothing published) renews nothing.

Every worker process must see a new version on its next request. When all processes share the cache (Redis,
Memcached, the database or file cache) the tokens live in that cache. When each process caches in its own
memory (Django's local-memory cache, the default without ``REDIS_URL``), a token there reaches no other process,
so the tokens are also kept in the database (``ContentVersion``, a row per token), read once per request and
renewed when a change commits: an unpublished page or a new view restriction is gone from every worker at once.

A request reads each token once, with the first values it asks for. Once it has, what ``cached`` and
``cached_many`` keep in a shared cache comes from this process's copies when they were made under those tokens
(routes, the site, menus' pages, hidden events, event summaries): no round trip to Redis. A copy is never stale,
as a value kept under other tokens counts as missing, and another process's change is seen on the next request.
"""

import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from asgiref.local import Local
from django.core.cache import cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.memcached import BaseMemcachedCache
from django.core.cache.backends.redis import RedisCache
from django.core.signals import request_finished, request_started
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_migrate
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from . import registry
from .conf import fragment_cache_seconds

VERSION_KEY = "leerstad:content-version"
# Django's backends that every worker process reads and writes alike; any other cache (the local-memory one,
# one we don't know) gets the version from the database too, which costs a query per request and is never stale.
SHARED_CACHES = (RedisCache, BaseMemcachedCache, DatabaseCache, FileBasedCache)

GLOBAL = "global"
PAGES = "pages"
EVERYTHING = (GLOBAL, PAGES)
# The fields a draft saves on its page or snippet (``save_revision``, locking): nothing anyone else sees.
DRAFT_FIELDS = frozenset(
    {
        "comments",
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "workflow_states",
    }
)

# The request being served, per thread (as Django keeps database connections): the database's tokens and the
# shared cache's tokens read so far (``found``), so that a request reads each token once.
_request = Local()


class ProcessCopies(LocMemCache):
    """Django's local-memory cache for this process's copies of what the shared cache holds: pickled copies (a
    request cannot change another's), the least recently used dropped first.

    It skips Django's check that a key would suit memcached, a loop over each character of each key (50 of the 80
    µs that finding 25 copies took, before unpickling them): the keys are those the shared cache took already.
    """

    def validate_key(self, key):
        pass


class ProcessObjects:
    """This process's own copies of immutable values, kept as they are, not pickled: every request that reads one
    gets the same object. The least recently used are dropped first, and each is dropped once its seconds are over.

    Unpickling a copy costs about as much as building a small value anew: twenty event summaries took 0.5 ms of
    every events API request (4.3 ms in all). A value kept here must be hashable, as frozen dataclasses of tuples
    are: a list, dict or set in it could be changed by one request for every other, and raises ``TypeError``.
    """

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()  # key: (expiry on the monotonic clock, value)
        self._lock = threading.Lock()

    def get_many(self, keys) -> dict:
        now, found = time.monotonic(), {}
        with self._lock:
            for key in keys:
                entry = self._entries.get(key)
                if entry is None:
                    continue
                if entry[0] <= now:
                    del self._entries[key]
                    continue
                self._entries.move_to_end(key)
                found[key] = entry[1]
        return found

    def set_many(self, values: dict, seconds: int) -> None:
        for value in values.values():
            hash(value)
        expiry = time.monotonic() + seconds
        with self._lock:
            for key, value in values.items():
                self._entries[key] = (expiry, value)
                self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


# This process's copies of the values ``cached`` and ``cached_many`` keep in a shared cache, each with its version:
# once a request has read the tokens, a value kept under them needs no round trip to Redis. ``cached`` keeps pickled
# copies (its values may be anything); ``cached_many`` keeps immutable values as they are.
_local = ProcessCopies("leerstad-versioned-copies", {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 2000}})
_objects = ProcessObjects(max_entries=1000)  # event summaries: about 2.4 kB each


class _Migrations:
    """Whether ``migrate`` is running: its data migrations save content before the version's table exists."""

    running = False


# Whether a bulk load (``one_renewal``) is running in this thread, and whether it changed anything yet.
_bulk = Local()


@contextmanager
def one_renewal() -> Iterator[None]:
    """Renew everything once for the changes made in the block, instead of once per saved object.

    A bulk load (the demo) saves thousands of rows; each would work out which sites it shows on and renew their
    tokens when the transaction commits, an UPDATE per token and save. Inside this block changes are only noted;
    at its end, if anything changed, every token is renewed now and once more when the transaction commits. Use it
    inside the transaction.
    """
    if getattr(_bulk, "active", False):
        yield
        return
    _bulk.active, _bulk.changed = True, False
    try:
        yield
    finally:
        changed = _bulk.changed
        _bulk.active = _bulk.changed = False
    if changed:
        renew_cache_token()
        transaction.on_commit(bump_content_version)


def _noted_in_bulk() -> bool:
    """Whether a change is left to the end of a bulk load (``one_renewal``); notes it if so."""
    if getattr(_bulk, "active", False):
        _bulk.changed = True
        return True
    return False


def site_scope(site_id) -> str:
    return f"site:{site_id}"


def fragment_seconds() -> int:
    return fragment_cache_seconds()


def cache_is_shared() -> bool:
    """Whether all worker processes use the same cache (else each caches in its own memory)."""
    return isinstance(caches["default"], SHARED_CACHES)


def token_key(scope: str) -> str:
    return f"{VERSION_KEY}:{scope}"


def content_version(*scopes: str) -> str:
    """The current version of ``scopes`` (default: every change counts), its tokens made on first use."""
    return _versioned_values((), scopes or EVERYTHING)[0]


def version_from(scopes, found: dict) -> str:
    """The version of ``scopes`` from the cache's tokens in ``found`` (values by key), making those missing (and
    adding them to ``found``)."""
    keys = [token_key(scope) for scope in scopes]
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, timeout=None)
        found.update(cache.get_many(missing))
    version = ".".join(found.get(key, "") for key in keys)
    if cache_is_shared():
        return version
    saved = database_versions()
    return ".".join(saved.get(scope, "") for scope in scopes) + "." + version


def versioned_get(key: str, scopes=EVERYTHING) -> tuple[str, object]:
    """The current version of ``scopes`` and what ``key`` holds for it (else ``None``), in one cache round trip.

    Values are kept with the version they were made under (``versioned_set``), so a reader needs no second look-up
    for a key named after the version; one made under an older version counts as missing.
    """
    version, values = _versioned_values([key], scopes)
    return version, values.get(key)


def versioned_set(key: str, version: str, value, seconds: int) -> None:
    cache.set(key, (version, value), seconds)


def _kept(entry, version: str):
    """The value of a cache entry ``versioned_set`` made under ``version``; ``None`` for another version's."""
    return entry[1] if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version else None


def _versioned_values(keys, scopes, *, local=None) -> tuple[str, dict]:
    """The current version of ``scopes`` and the values ``keys`` hold for it (by key), in one round trip at most.

    While a request is served, each token is read from the shared cache once, with the first keys that need it
    (the first look reads every scope's tokens: most requests need them all). ``local``: this process's copies
    (``_local`` or ``_objects``), where the values are looked for first and those read from the shared cache are
    copied.
    """
    token_keys = [token_key(scope) for scope in scopes]
    known = getattr(_request, "found", None) if getattr(_request, "serving", False) else None
    local = local if cache_is_shared() else None
    if known is None:  # outside a request: the tokens as they are now
        found = cache.get_many([*token_keys, *keys])
        version = version_from(scopes, found)
        return version, _fetched(keys, found, version, local)
    unread = [token for token in token_keys if token not in known]
    if unread and not known:
        unread = list(dict.fromkeys([*unread, *(token_key(scope) for scope in EVERYTHING)]))
    # This process's copies are looked at first; those made under another version than the one read count as
    # missing. The keys copied here are left out of the round trip that reads the tokens, and read in a second one
    # only when their copies turn out older (once per process after a change).
    entries = local.get_many(keys) if local is not None else {}
    wanted = [key for key in keys if key not in entries]
    found = cache.get_many([*unread, *wanted]) if unread or wanted else {}
    known.update((token, found[token]) for token in unread if token in found)
    version = version_from(scopes, known)
    copied = {key: value for key, entry in entries.items() if (value := _kept(entry, version)) is not None}
    older = [key for key in entries if key not in copied]
    if older:
        found.update(cache.get_many(older))
        wanted += older
    return version, copied | _fetched(wanted, found, version, local)


def _fetched(keys, found: dict, version: str, local) -> dict:
    """The values of ``keys`` in ``found`` kept under ``version``; copied to this process's ``local`` copies."""
    values = {key: value for key in keys if (value := _kept(found.get(key), version)) is not None}
    if local is not None and values:
        local.set_many({key: (version, value) for key, value in values.items()}, fragment_seconds())
    return values


def database_versions() -> dict[str, str]:
    """The database's tokens (``ContentVersion``) by scope, read once per request."""
    tokens = getattr(_request, "tokens", None)
    if tokens is None:
        from .models import ContentVersion  # not at import: the models import this module

        tokens = ContentVersion.objects.current()
        if getattr(_request, "serving", False):
            _request.tokens = tokens
    return tokens


def request_began(**kwargs) -> None:
    _request.serving, _request.tokens, _request.found = True, None, {}


def request_ended(**kwargs) -> None:
    _request.serving, _request.tokens, _request.found = False, None, None


def bump_content_version(scopes=EVERYTHING) -> None:
    """A new version of ``scopes`` for every process; call it once a change is committed (``transaction.on_commit``)."""
    renew_cache_token(scopes)
    if fragment_seconds() and not cache_is_shared():
        from .models import ContentVersion

        ContentVersion.objects.renew(scopes)
        _request.tokens = None


def renew_cache_token(scopes=EVERYTHING) -> None:
    tokens = {token_key(scope): uuid.uuid4().hex for scope in scopes}
    cache.set_many(tokens, timeout=None)
    if getattr(_request, "found", None) is not None:  # the request making the change sees it at once
        _request.found.update(tokens)


def renewed_scopes(instance, kwargs) -> tuple[str, ...]:
    """What a save or delete of ``instance`` renews (``kwargs`` are the signal's).

    Nothing for a draft (a revision, a lock, a new page not yet published); the sites showing a published page;
    everything for any other change, a page unpublished, deleted or saved while not live included.
    """
    from wagtail.models import Page

    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= DRAFT_FIELDS:
        return ()
    if not isinstance(instance, Page) or kwargs.get("signal") is post_delete:
        return EVERYTHING
    if not instance.live:
        return () if kwargs.get("created") else EVERYTHING
    return published_scopes([instance])


def published_scopes(pages) -> tuple[str, ...]:
    """What the publication of ``pages`` renews: their sites' tokens and ``pages``, else (no site) everything."""
    sites = set().union(*(sites_showing(page) for page in pages))
    return (PAGES, *(site_scope(site_id) for site_id in sorted(sites))) if sites else EVERYTHING


def sites_showing(page) -> set[int]:
    """The sites whose tree holds ``page`` (under their root or a translation of it) or a page linking to it.

    Links are those of Wagtail's reference index (foreign keys, rich text, StreamField); a many-to-many relation
    is not in it, and a page shown elsewhere only through one changes there when its answers expire. The sites'
    root paths come from Wagtail's cache; the links cost a query.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex, Site

    linking = ReferenceIndex.get_references_to(page).filter(base_content_type=ContentType.objects.get_for_model(Page))
    ids = [int(key) for key in linking.values_list("object_id", flat=True) if key.isdigit()]  # a text column
    paths = {page.url_path, *(Page.objects.filter(pk__in=ids).values_list("url_path", flat=True) if ids else ())}
    return {root.site_id for root in Site.get_site_root_paths() for path in paths if path.startswith(root.root_path)}


def content_changed(sender, **kwargs) -> None:
    """Signal receiver: a change to content gives a new version now and again when the transaction commits.

    The first is the cache's token: this process (the request making the change) sees the change at once, as
    other processes cannot before the commit. The second drops what another request cached from the old rows
    before the commit, and reaches the processes that cache on their own through the database.
    """
    if registry.renews_caches(sender) and not _Migrations.running and not _noted_in_bulk():
        scopes = renewed_scopes(kwargs.get("instance"), kwargs)
        if scopes:
            renew_cache_token(scopes)
            transaction.on_commit(lambda: bump_content_version(scopes))


def page_moved(sender, **kwargs) -> None:
    """A moved page leaves the answers of its old place (and maybe site) too: everything is renewed."""
    if _Migrations.running or _noted_in_bulk():
        return
    renew_cache_token()
    transaction.on_commit(bump_content_version)


def migration_began(**kwargs) -> None:
    _Migrations.running = True


def migration_ended(using="default", **kwargs) -> None:
    """After ``migrate`` (sent once per app): a new version of everything, as data migrations may change content."""
    _Migrations.running = False
    from .models import ContentVersion

    renew_cache_token()
    kept_in_database = fragment_seconds() and not cache_is_shared()
    if kept_in_database and ContentVersion._meta.db_table in connections[using].introspection.table_names():
        ContentVersion.objects.using(using).renew(EVERYTHING)


def watch_content(model) -> None:
    """Renew the content version on saves and deletes of ``model`` (a receiver per model; see ``registry``)."""
    for signal in (post_save, post_delete):
        signal.connect(content_changed, sender=model, dispatch_uid=f"content-version-{model._meta.label_lower}")


def connect_signals() -> None:
    """Renew the content version on many-to-many changes of content and page moves; read it once a request."""
    from wagtail.signals import post_page_move

    m2m_changed.connect(content_changed, dispatch_uid="content-version-m2m")
    pre_migrate.connect(migration_began, dispatch_uid="content-version-migration-began")
    post_migrate.connect(migration_ended, dispatch_uid="content-version-migration-ended")
    post_page_move.connect(page_moved, dispatch_uid="content-version-page-moved")
    request_started.connect(request_began, dispatch_uid="content-version-request-started")
    request_finished.connect(request_ended, dispatch_uid="content-version-request-finished")


def fragment_cache(request) -> dict:
    """Context processor: ``fragment_seconds`` and a lazy ``content_version`` for ``{% cache %}`` keys.

    ``{% cache 0 … %}`` still makes its key, so with fragments off the version is not read at all.
    """
    seconds = fragment_seconds()
    return {"fragment_seconds": seconds, "content_version": SimpleLazyObject(content_version) if seconds else ""}


def cached(name: str, compute, scopes=EVERYTHING):
    """``compute()``, kept under the content version for the fragment lifetime (recomputed when that is 0).

    A ``None`` from ``compute()`` is not kept (``False`` is, for "nothing", as the site look-up does).
    """
    seconds = fragment_seconds()
    if not seconds:
        return compute()
    key = f"leerstad:{name}"
    version, values = _versioned_values([key], scopes, local=_local)
    value = values.get(key)
    if value is None:
        value = compute()
        if value is not None:
            _keep({key: value}, version, seconds, _local)
    return value


def count_name(listing: str, site, language: str, filters: Iterable[tuple[str, str]]) -> str:
    """A name for ``cached()`` of the count of ``listing`` with ``filters`` (a FilterSet's ``canonical_items``) on
    ``site``, in ``language``, in this minute: paging through a listing counts its rows once a minute, not on every
    page, and again after any publication (the content version)."""
    digest = hashlib.sha256(urlencode(list(filters)).encode()).hexdigest()[:40]
    minute = timezone.now().strftime("%Y%m%d%H%M")
    return f"count:{listing}:{site.pk if site else 0}:{language}:{minute}:{digest}"


def cached_unless_preview(request, name: str, compute):
    """``cached(name, compute)`` for a page served as published; a preview (Wagtail's ``request.is_preview``)
    computes its draft's own."""
    if getattr(request, "is_preview", False):
        return compute()
    return cached(name, compute)


def cached_many(names: list[str], compute_missing, scopes=EVERYTHING) -> dict:
    """The values of ``names`` kept under the content version, in one cache round trip; ``compute_missing(names)``
    gives those not kept (a dict by name, which may leave some out, of values that are not ``None``) in one call,
    and they are kept for the next.

    Values are pickled in the shared cache: a name costs its size there, not a query. This process keeps them as
    they are (``ProcessObjects``), so they must be immutable: hashable, as frozen dataclasses of tuples are. Every
    request that reads a value gets the same object.
    """
    seconds = fragment_seconds()
    if not seconds:
        return compute_missing(names)
    keys = {name: f"leerstad:{name}" for name in names}
    version, found = _versioned_values(list(keys.values()), scopes, local=_objects)
    values = {name: found[key] for name, key in keys.items() if key in found}
    missing = [name for name in names if name not in values]
    if missing:
        made = compute_missing(missing)
        _keep({keys[name]: value for name, value in made.items()}, version, seconds, _objects)
        values.update(made)
    return values


def _keep(values: dict, version: str, seconds: int, local) -> None:
    """Keep ``values`` (by key) under ``version`` in the shared cache and, when it is shared, in this process's
    ``local`` copies."""
    entries = {key: (version, value) for key, value in values.items()}
    if cache_is_shared():
        local.set_many(entries, seconds)
    cache.set_many(entries, seconds)


class LocalCopiesCache(BaseCache):
    """The default cache, with this process's copies of what it read and wrote there (the settings make it the
    cache of Django's ``{% cache %}``, ``template_fragments``).

    Only for keys that name what they hold for good: every fragment varies on ``content_version``, so a copy is
    never stale, and another process's change reaches this one through the tokens. Copies live for the fragment
    lifetime; with a cache that is not shared (each process's own memory) there is nothing to copy.
    """

    def __init__(self, location, params):
        super().__init__(params)
        self._copies = ProcessCopies(f"leerstad-copies-{location}", params)

    def get(self, key, default=None, version=None):
        if not cache_is_shared():
            return cache.get(key, default, version)
        value = self._copies.get(key, _MISSING, version)
        if value is _MISSING:
            value = cache.get(key, _MISSING, version)
            if value is _MISSING:
                return default
            self._copies.set(key, value, fragment_seconds(), version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        cache.set(key, value, timeout, version)
        if cache_is_shared():
            self._copies.set(key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        added = cache.add(key, value, timeout, version)
        self._copies.delete(key, version)
        return added

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        self._copies.delete(key, version)
        return cache.touch(key, timeout, version)

    def delete(self, key, version=None):
        self._copies.delete(key, version)
        return cache.delete(key, version)

    def clear(self):
        self._copies.clear()
        cache.clear()


_MISSING = object()


def restricted_paths() -> list[str]:
    """The tree paths of pages with a view restriction (their subtrees are private)."""
    from wagtail.models import PageViewRestriction

    return cached("restricted-paths", lambda: sorted(PageViewRestriction.objects.values_list("page__path", flat=True)))


def cached_locale(locale_id: int):
    """The Locale with this id (locales hardly ever change; this saves a query on every listing request)."""
    from wagtail.models import Locale

    return cached(f"locale-{locale_id}", lambda: Locale.objects.get(pk=locale_id))
