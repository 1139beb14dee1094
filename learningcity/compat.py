"""Where this project leans on other libraries' private names or undocumented behaviour, in one place.

Each entry says why it exists, the upstream issue where there is one, and when it can go. An upgrade that breaks
one of them shows in ``make test-latest`` (the suite against the newest Wagtail, django-ninja and django-filter).
The request routing (``routing.py``) and the caches (``caching.py``) keep their own notes.
"""

import copy
import datetime

import django_filters
import psycopg
from django import forms
from django.core.cache.backends import redis as django_redis
from django.utils.choices import CallableChoiceIterator
from django_filters.fields import ChoiceIterator as FilterChoices
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader
from wagtail.models import Page, Site
from wagtail_localize.fields import SynchronizedField

from .caching import cached

# --- Wagtail: a page's URL from its ``url_path`` alone ----------------------------------------------------------
#
# Listings read pages with ``values()``; building Page instances only to ask their URL costs about 0.1 ms each.
# ``Page.get_url_parts`` reads nothing of the page but ``url_path`` and the site root paths it gets from
# ``self._get_relevant_site_root_paths(request)``, so ``PageLink`` borrows it and answers that one private call
# from ``Site.get_site_root_paths()`` (public). Wagtail 8 renamed ``Page._get_site_root_paths``'s argument and
# deprecated the old one (wagtail/wagtail#13827, #13887); this code no longer calls it.
# Remove when Wagtail offers a URL for a ``url_path`` (wagtail/wagtail#7835 proposed one on ``Site``), or when
# ``Page.get_url_parts`` stops calling ``_get_relevant_site_root_paths`` (``tests/api/test_page_urls.py`` fails).


class PageLink:
    """A page known only by its ``url_path`` (read with ``values()``), for Wagtail's own URL logic."""

    get_url_parts = Page.get_url_parts
    get_url = Page.get_url
    get_full_url = Page.get_full_url

    def __init__(self, url_path: str, site_root_paths=None):
        self.url_path = url_path
        self.site_root_paths = Site.get_site_root_paths() if site_root_paths is None else site_root_paths

    def _get_site_root_paths(self, request=None) -> list:
        """Every site's root (``Page.get_url`` counts the sites to choose a relative URL)."""
        return self.site_root_paths

    def _get_relevant_site_root_paths(self, cache_object=None) -> tuple:
        """The roots of the sites this path lies under (what ``Page`` answers, from ``Site`` alone)."""
        return relevant_site_root_paths(self.url_path, self.site_root_paths)


def relevant_site_root_paths(url_path: str, site_root_paths) -> tuple:
    return tuple(root for root in site_root_paths if url_path.startswith(root.root_path))


# --- Wagtail: the site root paths, read once per request from this process's copy -----------------------------
#
# ``Site.get_site_root_paths()`` reads Wagtail's copy in the default cache: a round trip to Redis and an unpickling
# on every call. A page keeps what it read on the request (``request._wagtail_cached_site_root_paths``, private;
# ``Page._get_site_root_paths``), but listings building URLs from ``values()`` (``PageURLs``) asked again: two
# round trips of an agenda page's three. ``site_root_paths(request)`` takes this process's copy kept under the
# content version (``caching.cached``: sites, locales and every page's publication or move renew it, as they renew
# Wagtail's) and leaves it where Wagtail's pages look on the request, so pages, feeds and the API make no round
# trip for it (``routing.CachedRoutingMiddleware`` does this for every GET). No upstream issue asks Wagtail to keep
# them per process.
# Remove when Wagtail keeps the root paths in each process, or if ``Page._get_site_root_paths`` stops looking on
# the request (``tests/learningcity/test_routing.py`` checks that a page reads them from this process).


def site_root_paths(request=None) -> list:
    """Wagtail's site root paths (``Site.get_site_root_paths()``), the request's copy where there is one."""
    if request is not None and hasattr(request, "_wagtail_cached_site_root_paths"):
        return request._wagtail_cached_site_root_paths
    paths = cached("site-root-paths", Site.get_site_root_paths)
    if request is not None:
        request._wagtail_cached_site_root_paths = paths
    return paths


# --- django-filter: the declared filters, copied without ``deepcopy`` -------------------------------------------
#
# ``FilterSet.__init__`` deep-copies the declared filters for each instance, so on every request, with their lists
# of choices; that took a fifth of a cached agenda page. A request changes nothing in a filter but its ``model``,
# its ``parent`` (the FilterSet) and the ``method`` bound to that parent, and the copies get those anew; the copy
# drops the form field a filter memoises in ``_field`` (private; see carltongibson/django-filter#1525) so each
# FilterSet's form gets fields of its own. No upstream issue asks for cheaper copies.
# Remove when django-filter stops deep-copying ``base_filters`` per instance, or if ``Filter.field`` stops
# memoising in ``_field`` (``tests/events/test_filters.py`` checks the copies).


class FilterCopies(dict):
    """A FilterSet's declared filters, which every instance copies one by one (and shallowly)."""

    def __deepcopy__(self, memo):
        return {name: _copy_filter(filter_) for name, filter_ in self.items()}


def _copy_filter(filter_: django_filters.Filter) -> django_filters.Filter:
    copied = _shallow(filter_)
    copied.__dict__.pop("_field", None)
    if filter_.method is not None:
        copied.method = filter_.method  # binds a new FilterMethod to the copy, not to the declared filter
    return copied


# --- Django forms: a form's fields copied without deep-copying their choices ------------------------------------
#
# ``BaseForm.__init__`` deep-copies its class's fields for every form, and ``ChoiceField.__deepcopy__`` deep-copies
# each list of choices with its field, pair by pair: 0.4 ms of every agenda page and events API request, for lists
# that no form changes in place (a form that wants other choices assigns a new list, ``field.choices = …``, as
# ``events.context.agenda_context`` does). Its widget's copy (``ChoiceWidget.__deepcopy__``) then assigns the
# widget's choices, which normalises them pair by pair once more: another 0.2 ms. ``FieldCopies`` copies a field
# whose class and widget class copy themselves as Django's ``Field``, ``ChoiceField``, ``Widget`` and
# ``ChoiceWidget`` do: the field and its widget as they are, the widget's attributes, the field's messages and
# validators; the field and its widget each get a new list of the same choices, or share the same
# ``CallableChoiceIterator`` (which holds a function only). It copies each object as ``copy.copy`` does a plain
# one, without its reduce protocol, which took as long as the rest. It sets ``_choices``, which the ``choices``
# setters would normalise once more. Any other field (a ``MultiValueField``, a ``ModelChoiceField``, a field with
# choices of another kind) is deep-copied as before; django-filter's ``ChoiceIterator`` (a ``ChoiceFilter``'s, which
# reads its field's empty and null labels) is made anew for the copied field. No Django ticket asks for cheaper
# copies. Remove when ``ChoiceField.__deepcopy__`` and ``ChoiceWidget.__deepcopy__`` stop normalising or
# deep-copying their choices, or if they stop keeping them in ``_choices`` (``tests/events/test_filters.py`` checks
# the copies).

_FIELD_COPIES = (forms.Field.__deepcopy__, forms.ChoiceField.__deepcopy__)
_WIDGET_COPIES = (forms.Widget.__deepcopy__, forms.widgets.ChoiceWidget.__deepcopy__)


class FieldCopies(dict):
    """A form class's ``base_fields``, which every form copies one by one, choices shallowly."""

    def __deepcopy__(self, memo):
        return {name: _copy_field(field, memo) for name, field in self.items()}


def _copy_field(field: forms.Field, memo: dict) -> forms.Field:
    widget = field.widget
    if type(field).__deepcopy__ not in _FIELD_COPIES or type(widget).__deepcopy__ not in _WIDGET_COPIES:
        return copy.deepcopy(field, memo)
    choices, widget_choices = field.__dict__.get("_choices"), widget.__dict__.get("_choices")
    if not all(_shared_choices(value) for value in (choices, widget_choices)):
        return copy.deepcopy(field, memo)
    copied, copied_widget = _shallow(field), _shallow(widget)
    copied_widget.attrs = widget.attrs.copy()
    copied.widget = copied_widget
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    if isinstance(choices, (list, FilterChoices)):
        copied._choices = _copied_choices(choices, copied)
    if isinstance(widget_choices, (list, FilterChoices)):
        copied_widget._choices = (
            copied._choices if widget_choices is choices else _copied_choices(widget_choices, copied)
        )
    memo[id(field)], memo[id(widget)] = copied, copied_widget
    return copied


def _shared_choices(choices) -> bool:
    """Whether a copy may have these choices (a list copied shallowly, a function's iterator shared, django-filter's
    iterator made anew for the copied field)."""
    return choices is None or isinstance(choices, (list, CallableChoiceIterator, FilterChoices))


def _copied_choices(choices, field: forms.Field):
    if isinstance(choices, FilterChoices):  # its field's empty and null labels, then the choices it wraps
        return type(choices)(field, choices.choices)
    return list(choices)


def _shallow(instance):
    """``copy.copy(instance)`` of a plain object (its attributes in ``__dict__``, no ``__copy__``)."""
    copied = object.__new__(type(instance))
    copied.__dict__.update(instance.__dict__)
    return copied


# --- wagtail-localize: many-to-many fields kept identical in every translation ----------------------------------
#
# wagtail-localize (1.14) leaves many-to-many fields out when it derives what to synchronise, and when one is named
# explicitly it copies only a non-empty list, so removing a page's last tag would never reach its translations
# (wagtail/wagtail-localize#820, #534; #564 fixed the crash only). ``copy_synchronised_fields`` copies
# ``field.attname`` from the source to the translation for what ``SynchronizedField.get_field`` returns (its
# behaviour, not a documented contract), so that returns a stand-in whose ``attname`` reads and writes the whole
# list at once. Remove when wagtail-localize synchronises a ParentalManyToManyField, empty list included
# (``tests/learningcity/test_sdg.py`` checks a removed last tag leaves the translations).
#
#     override_translatable_fields = [SynchronisedManyToManyField("languages")]


class _WholeList:
    """A descriptor reading or replacing every value of a ParentalManyToManyField at once."""

    def __init__(self, field_name):
        self.field_name = field_name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return list(getattr(instance, self.field_name).all())

    def __set__(self, instance, values):
        getattr(instance, self.field_name).set(list(values))


class _WholeListField:
    """What wagtail-localize sees instead of the many-to-many field: a plain attribute to copy."""

    def __init__(self, field):
        self.field = field
        self.name = field.name
        self.attname = f"{field.name}_synchronised"

    def value_from_object(self, obj):
        return getattr(obj, self.attname)


class SynchronisedManyToManyField(SynchronizedField):
    """A many-to-many field that wagtail-localize copies whole (empty included) to every translation."""

    def __init__(self, field_name):
        super().__init__(field_name, overridable=False)

    def get_field(self, model):
        proxy = _WholeListField(model._meta.get_field(self.field_name))
        if not isinstance(getattr(model, proxy.attname, None), _WholeList):
            setattr(model, proxy.attname, _WholeList(self.field_name))
        return proxy


# --- treebeard: the parent of a page not yet in the tree --------------------------------------------------------
#
# ``Page.clean()`` checks the slug among the parent's children through ``get_parent()``, which an unsaved page
# cannot answer (it has no ``path``); the CSV import validates every row before saving any. treebeard's
# ``MP_AddChildHandler`` gives a new node its parent the same way, through the private ``_cached_parent_obj``
# that ``get_parent()`` reads first (wagtail/wagtail#3749 is about the same gap in the editor).
# Remove when Wagtail validates an unsaved page against a given parent (``tests/partners/test_importexport.py``
# validates new rows).


def set_unsaved_parent(page, parent) -> None:
    """Let ``page.get_parent()`` answer ``parent`` before the page is added to the tree."""
    page._cached_parent_obj = parent


def clear_unsaved_parent(page) -> None:
    """Undo ``set_unsaved_parent`` (``add_child`` must compute the path itself)."""
    page.__dict__.pop("_cached_parent_obj", None)


# --- Django: one Redis client per connection pool ---------------------------------------------------------------
#
# Django's ``RedisCacheClient.get_client()`` (5.2) builds a new ``redis.Redis`` for every cache command, and
# redis-py (6, 7, 8) fills some 170 response callbacks into a case-insensitive dict each time: about 0.2 ms per
# command, a third of a page answered from the response cache (two or three commands). A ``redis.Redis`` is safe
# to share between threads (its connections come from the pool), so this client keeps one per pool. It replaces
# ``RedisCache._class`` and calls ``_get_connection_pool`` (both private). No upstream issue asks for it yet.
# Remove when Django's client reuses its ``redis.Redis`` (``tests/learningcity/test_caching.py`` checks this one).


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache backend, with a client per connection pool instead of one per command."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


# --- Django on psycopg 3: time stamps read by psycopg's C loader ------------------------------------------------
#
# Django registers its own ``timestamptz`` loader on every PostgreSQL connection (``psycopg_any.register_tzloader``):
# a subclass of psycopg's pure-Python ``TimestamptzLoader`` that sets the connection's time zone on each value, so
# every time stamp read is parsed in Python, about 10 µs each (40 on a page of the events API, 0.4 ms). psycopg's
# optimised loader cannot be subclassed (it is final, psycopg/psycopg#1273) and Django does not reach for psycopg's
# private ``_get_optimised`` (Django ticket #36960). With ``USE_TZ`` Django sets the session's TimeZone to UTC, for
# which the optimised loader returns what Django's does (aware, ``datetime.timezone.utc``). ``UTCTimestamptzLoader``
# hands each value to an instance of the loader psycopg registers by default (``psycopg.adapters``, public) and
# carries the ``timezone`` that Django's ``DatabaseWrapper.create_cursor`` compares (undocumented) before it puts
# its own loader back. Remove when Django reads time stamps with psycopg's optimised loader (ticket #36960);
# ``tests/learningcity/test_compat.py`` fails when the connection's loader is not this one.


class UTCTimestamptzLoader(TimestamptzLoader):
    """``timestamptz`` in a UTC session, read by psycopg's default (optimised, where installed) loader."""

    timezone = datetime.UTC

    def __init__(self, oid: int, context=None):
        super().__init__(oid, context)
        default = psycopg.adapters.get_loader(oid, Format.TEXT)
        if default is not None and default is not TimestamptzLoader:
            self.load = default(oid, context).load  # psycopg calls the bound method once per value


def read_time_stamps_in_c(sender, connection, **kwargs) -> None:
    """On a new psycopg 3 connection in UTC (``connection_created``), read time stamps with psycopg's own loader."""
    if connection.vendor != "postgresql" or connection.timezone is not datetime.UTC:
        return
    if connection.connection.info.parameter_status("TimeZone") == "UTC":
        connection.connection.adapters.register_loader("timestamptz", UTCTimestamptzLoader)
