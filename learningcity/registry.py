"""What the apps that build on the learning city contribute, registered from their ``AppConfig.ready()``.

This app names none of them. An app joins in its ``ready()``, as ``wagtail.contrib.redirects`` joins Wagtail's
v3 API::

    from learningcity import registry

    registry.register_api_router(router)
    registry.register_change_logged(EventPage, "event")
    registry.register_content(self, exclude=["events.occurrence"])

- **API routers** join Wagtail's v3 API (``wagtail.api.v3.api.api``) before the URLconf reads ``api.urls``.
- **Change-logged models** get a row in the change log (``/api/v3/changes/``) when they are created, changed,
  unpublished or deleted, under their public type name (``event``, ``childcentre``).
- **Content models** renew the content version, so cached pages and answers follow their saves and deletes.
- **Searchable page types** are found by the site search (``learningcity.search``): ``describe(page)`` says
  what of a page is searched and which facet values it has; ``next_start(key)``, an expression for the next date
  of the object with translation key ``key`` (an ``OuterRef``), ranks upcoming events first and shows their date.
- **Listings** publish the values of their filters with translated labels at ``/api/v3/terms/``, so a front-end
  builds its filter forms from the same lists the API checks parameters against.
- **Home page sections** show what an app offers on the portal's home page (this week's activities), and **life
  stage links** lead from the home page's life stages to an app's listing filtered for them (``learningcity.home``).
- **Report sections** and **SDG counters** make up the learning city's report in the admin
  (``learningcity.reports``): a section gives its tables for a ``ReportScope``; a counter says, per SDG goal and
  target, how many of an app's items are tagged; **report bounds** narrow the period a report may cover.
- **SDG links** lead from a goal's page on the SDG overview to an app's listing filtered for the goal.
"""

from collections.abc import Iterable

from django.apps import AppConfig
from django.db import models

_change_types: dict[str, str] = {}
_change_keys: dict[str, str] = {}
_content: set[str] = set()
_listings: dict[str, type] = {}
_home_sections: list[tuple[int, str, object]] = []
_life_stage_links: list[tuple[int, object]] = []
_report_sections: list[tuple[int, object]] = []
_sdg_counters: list[tuple[int, str, object, object, bool]] = []
_report_bounds: list[object] = []
_report_scopes: list[object] = []
_report_municipalities: list[object] = []
_sdg_links: list[tuple[int, object]] = []


def register_api_router(router, prefix: str = "/") -> None:
    """Mount a django-ninja ``router`` on Wagtail's v3 API (call from ``ready()``, before URLs are loaded)."""
    from wagtail.api.v3.api import api

    api.add_router(prefix, router)


def register_api_exception_handler(exception_class: type[Exception], handler) -> None:
    """Answer ``exception_class`` raised in any endpoint of Wagtail's v3 API with ``handler(request, exc)``."""
    from wagtail.api.v3.api import api

    api.add_exception_handler(exception_class, handler)


def register_change_logged(model: type[models.Model], type_name: str, *, key: str = "translation_key") -> None:
    """Log ``model``'s changes to the change feed as ``type_name``.

    ``key`` names the UUID field integrators know an object by: a translatable model's ``translation_key`` (the
    same in every language), or a model of its own that is not translated (logged in the site's language). A page
    is logged when it is published, unpublished or deleted; any other model when it is saved or deleted.
    """
    from .signals import connect_change_log

    _change_types[model._meta.label_lower] = type_name
    _change_keys[model._meta.label_lower] = key
    connect_change_log(model)


def change_key(label_lower: str) -> str:
    """The name of the UUID field that identifies a change-logged model's objects in the change feed."""
    return _change_keys.get(label_lower, "translation_key")


def change_type(label_lower: str) -> str:
    """The public type name of a change-logged model (``app_label.model``), else the label itself."""
    return _change_types.get(label_lower, label_lower)


def change_types() -> dict[str, str]:
    """The change-logged models' labels and their public type names."""
    return dict(_change_types)


def register_content(app: AppConfig | Iterable[type[models.Model]], *, exclude: Iterable[str] = ()) -> None:
    """Make saves and deletes of an app's models (or of the given models) renew the content version.

    ``exclude`` names (``app_label.model``) rows that record or index content rather than being content: they
    are bulk-deleted often, and a delete receiver would stop Django from deleting them in one statement.
    """
    from .caching import watch_content

    excluded = set(exclude)
    for model in app.get_models() if isinstance(app, AppConfig) else app:
        label = model._meta.label_lower
        if label not in excluded:
            _content.add(label)
            watch_content(model)


def renews_caches(model: type[models.Model]) -> bool:
    """Whether a save of ``model`` renews the content version (a many-to-many table follows its model)."""
    if model._meta.auto_created:
        model = model._meta.auto_created
    return model._meta.label_lower in _content


def content_labels() -> frozenset[str]:
    return frozenset(_content)


def register_searchable(
    model: type[models.Model], kind: str, describe=None, *, label="", prefetch=(), select=(), dates=None
) -> None:
    """Index ``model``'s live pages for the site search as documents of type ``kind``.

    ``describe(page)`` yields ``learningcity.search.SearchEntry`` objects (by default one: title, summary or
    intro, body); ``prefetch`` and ``select`` are the relations it reads, fetched once per batch of pages.
    ``label`` names the type in the search's type facet (plural; default: the model's plural name). A type with
    dates gives ``dates()``: a QuerySet of the dates that are not over, with ``key`` (the page's translation key),
    ``start`` and ``end``; its app calls ``learningcity.search.index.refresh_dates(keys)`` when they change.
    """
    from .search import index, signals

    index.register(model, kind, describe, prefetch=prefetch, select=select, label=label)
    if dates is not None:
        index.register_dates(kind, dates)
    signals.connect(model)


def register_search_facet(name: str, label, values) -> None:
    """A facet of the site search: ``values()`` gives its codes and their labels (``theme``, ``municipality``)."""
    from .search.facets import register_facet

    register_facet(name, label, values)


def register_listing(name: str, filterset_class: type) -> None:
    """Publish the choices of ``filterset_class``'s filters as term lists under ``name`` (``/api/v3/terms/``).

    ``name`` is the endpoint's (``events``, ``partners``); the FilterSet is the one its endpoint filters with.
    """
    _listings[name] = filterset_class


def listings() -> dict[str, type]:
    """The registered listings' names and FilterSet classes, in registration order."""
    return dict(_listings)


def register_home_section(template: str, context, *, position: int = 50) -> None:
    """Show ``template`` on the home page, with what ``context(request, home, locale)`` gives (a dict, or ``None`` for
    nothing to show). Sections come after the welcome text, by ``position``, then in registration order.

    The home page is served again every minute (``ExpiresWithTheMinuteMixin``), so a section may list what moves
    with the clock; ``context`` must read a fixed number of queries.
    """
    _home_sections.append((position, template, context))
    _home_sections.sort(key=lambda section: section[0])


def home_sections() -> list[tuple[str, object]]:
    """The registered home page sections' templates and context functions, in order."""
    return [(template, context) for _position, template, context in _home_sections]


def register_life_stage_links(links, *, position: int = 50) -> None:
    """Links from the home page's life stages to a listing: ``links(request, locale, stages)`` gives, by stage code,
    a list of ``learningcity.home.StageLink`` (``stages``: ``learningcity.home.LIFE_STAGE_ENTRIES``). A stage lists
    the links by ``position``, then in registration order.

    It reads a fixed number of queries, whatever the number of stages.
    """
    _life_stage_links.append((position, links))
    _life_stage_links.sort(key=lambda entry: entry[0])


def life_stage_links() -> list:
    """The registered life stage links' functions, in order."""
    return [links for _position, links in _life_stage_links]


def register_report_section(build, *, position: int = 50) -> None:
    """Add a section to the learning city's report: ``build(scope)`` gives a ``learningcity.reports.Section`` (or
    ``None`` for nothing to show) for a ``learningcity.reports.ReportScope``. Sections come by ``position``, then in
    registration order; a section reads a fixed number of queries, whatever the number of items.
    """
    _report_sections.append((position, build))
    _report_sections.sort(key=lambda entry: entry[0])


def report_sections() -> list:
    """The registered report sections' build functions, in order."""
    return [build for _position, build in _report_sections]


def register_sdg_counter(name: str, label, counts, *, position: int = 50, in_total: bool = True) -> None:
    """A column of the report's SDG coverage: ``counts(scope)`` gives ``(by_goal, by_target)``, how many of the
    app's items are tagged with each goal (by number) and each target (by code), or ``None`` when the column does
    not apply to the scope. ``in_total``: whether the column counts items (summed into "all tagged items"), not
    something else, such as the dates of events.
    """
    _sdg_counters.append((position, name, label, counts, in_total))
    _sdg_counters.sort(key=lambda entry: entry[0])


def sdg_counters() -> list[tuple[str, object, object, bool]]:
    """The registered SDG counters' names, labels, count functions and ``in_total``, in order."""
    return [(name, label, counts, in_total) for _position, name, label, counts, in_total in _sdg_counters]


def register_report_bounds(bounds) -> None:
    """Narrow the period a report may cover: ``bounds(today)`` gives the first and last date an app has figures
    for (the events' occurrence window)."""
    _report_bounds.append(bounds)


def report_bounds() -> list:
    return list(_report_bounds)


def register_report_scope(partners_of) -> None:
    """Confine some users' reports to their own organisations: ``partners_of(user)`` gives the ids of the partner
    pages (in every language) whose figures the user may see, or ``None`` when the user sees the whole city."""
    _report_scopes.append(partners_of)


def report_scopes() -> list:
    return list(_report_scopes)


def register_report_municipalities(choices) -> None:
    """The municipalities a report can be narrowed to: ``choices()`` gives ``(code, name)`` pairs."""
    _report_municipalities.append(choices)


def report_municipalities() -> list:
    return list(_report_municipalities)


def register_sdg_links(link, *, position: int = 50) -> None:
    """Links from a goal's page on the SDG overview to an app's listing filtered for it: ``link(request, locale,
    code)`` gives a ``learningcity.home.StageLink`` (or ``None`` when the site has no such listing in ``locale``)."""
    _sdg_links.append((position, link))
    _sdg_links.sort(key=lambda entry: entry[0])


def sdg_links() -> list:
    return [link for _position, link in _sdg_links]
