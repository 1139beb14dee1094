"""Filling the search index: what each registered page type says of its pages, per language.

An app registers its page types from its ``ready()``::

    registry.register_searchable(EventPage, "event", describe=describe_event, prefetch=["themes"])

``describe(page)`` yields ``SearchEntry`` objects: usually one (the page), several for a page with routes of its
own (the SDG overview has one per goal). It runs with the document's language active, so labels come out
translated. The index follows publishing through signals (``learningcity.search.signals``); ``rebuild_index``
(the ``update_search_index`` command) writes it anew, e.g. nightly, which also refreshes keywords taken from other
objects (an organiser renamed).

A type with dates registers them (``register_dates``): each document keeps its object's next date, and the app
that writes the dates calls ``refresh_dates`` when they change (the events app does when it expands a schedule).
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from uuid import UUID

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import QuerySet, Value
from django.utils import translation
from wagtail.models import Locale, Page

from ..models import SearchDocument, SearchWord
from .text import MAX_BODY_LENGTH, configuration, fold, plain, vocabulary

logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # translation keys per batch of documents
MAX_FACET_VALUE_LENGTH = 40


@dataclass
class SearchEntry:
    """What the index keeps of a page (or of one of its routes, ``subpath``)."""

    title: str
    summary: str = ""
    body: str = ""
    keywords: Iterable[str] = ()
    facets: dict[str, Iterable[str]] = field(default_factory=dict)
    subpath: str = ""


@dataclass
class Searchable:
    model: type[Page]
    kind: str
    describe: Callable[[Page], Iterable[SearchEntry]]
    prefetch: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    label: object = ""


_searchables: dict[str, Searchable] = {}

# The dates of the objects of a type, by type: ``dates()`` is a QuerySet of the dates that are not over, with
# ``key`` (the object's translation key), ``start`` and ``end``.
_dates: dict[str, Callable[[], QuerySet]] = {}


def register(model, kind: str, describe=None, *, prefetch=(), select=(), label="") -> None:
    _searchables[model._meta.label_lower] = Searchable(
        model, kind, describe or describe_page, tuple(prefetch), tuple(select), label or model._meta.verbose_name_plural
    )


def register_dates(kind: str, dates: Callable[[], QuerySet]) -> None:
    _dates[kind] = dates


def searchables() -> list[Searchable]:
    return list(_searchables.values())


def dated_kinds() -> dict[str, Callable[[], QuerySet]]:
    """The types with dates, and the QuerySet of each one's dates to come."""
    return dict(_dates)


def kinds() -> list[str]:
    """The document types, in registration order, each once."""
    return list(dict.fromkeys(searchable.kind for searchable in _searchables.values()))


def searchable_text(page: Page, name: str) -> str:
    """A field's text as Wagtail's own search indexes it (rich text and StreamField without markup)."""
    value = getattr(page, name, "")
    model_field = page._meta.get_field(name)
    if hasattr(model_field, "get_searchable_content"):
        return plain(" ".join(str(part) for part in model_field.get_searchable_content(value)))
    return plain(value)


def describe_page(page: Page) -> Iterable[SearchEntry]:
    """The default: title, ``summary`` (else ``intro``, else the search description) and ``body``."""
    names = {f.name for f in page._meta.get_fields()}
    summary = next((searchable_text(page, n) for n in ("summary", "intro") if n in names), "")
    yield SearchEntry(
        title=page.title,
        summary=summary or page.search_description,
        body=searchable_text(page, "body") if "body" in names else "",
    )


def _default_language() -> str:
    return settings.LANGUAGE_CODE.split("-")[0]


def _shown_pages(keys: list[UUID], locales: list[Locale]) -> list[tuple[Locale, Page]]:
    """For each locale and translation key, the live page a visitor of that locale is shown.

    Its translation in the locale, else the page in the site's default language, else the first made.
    """
    by_model: dict[UUID, list[Page]] = {}
    for searchable in _searchables.values():
        pages = (
            searchable.model.objects.live()
            .filter(translation_key__in=keys)
            .select_related("locale", *searchable.select)
            .prefetch_related(*searchable.prefetch)
        )
        for page in pages:
            by_model.setdefault(page.translation_key, []).append(page)
    default = _default_language()
    shown = []
    for pages in by_model.values():
        by_language = {page.locale.language_code: page for page in pages}
        fallback = by_language.get(default) or min(pages, key=lambda page: page.pk)
        for locale in locales:
            shown.append((locale, by_language.get(locale.language_code, fallback)))
    return shown


def _documents(locale: Locale, page: Page) -> list[SearchDocument]:
    searchable = _searchables[page._meta.label_lower]
    documents = []
    # On PostgreSQL the body and the keywords are read only into ``vector`` and ``words``, which are computed as the
    # row is written: the row keeps them empty, so that a search's pass over thousands of matches reads 15 % fewer
    # pages ("bibliotheek" at 10,000 events 18.3 → 16.4 ms, "cursus" 14.6 → 13.0). Elsewhere the search reads them.
    kept = connection.vendor != "postgresql"
    with translation.override(locale.language_code):
        for entry in searchable.describe(page):
            keywords = plain(" ".join(str(word) for word in entry.keywords if word), limit=4000)
            summary = plain(entry.summary, limit=4000)
            title = plain(entry.title, limit=255)
            body = plain(entry.body, limit=MAX_BODY_LENGTH)
            facets = {name: [str(value) for value in values] for name, values in entry.facets.items()}
            facets["type"] = [searchable.kind]
            documents.append(
                SearchDocument(
                    locale=locale,
                    page=page,
                    key=page.translation_key,
                    subpath=entry.subpath,
                    kind=searchable.kind,
                    title=title,
                    summary=summary,
                    keywords=keywords if kept else "",
                    body=body if kept else "",
                    language=page.locale.language_code,
                    title_words=fold(title)[:255],
                    words=fold(f"{title} {keywords} {summary}"),
                    url_path=page.url_path,
                    path=page.path,
                    vector=_vector(page.locale.language_code, title, f"{keywords} {summary}", body),
                    facets=facet_text(facets),
                )
            )
    return documents


def facet_item(name: str, value: str) -> str:
    """A facet value as the ``facets`` column holds it: ``name:value`` (a value's spaces would split it)."""
    return f"{name}:{'-'.join(str(value)[:MAX_FACET_VALUE_LENGTH].split())}"


def facet_text(facets: dict[str, Iterable[str]]) -> str:
    """``{"type": ["event"], "theme": ["stem"]}`` as " type:event theme:stem ": each item between spaces."""
    items = dict.fromkeys(facet_item(name, value) for name, values in facets.items() for value in values)
    return f" {' '.join(items)} " if items else ""


def _vector(language: str, title: str, keywords_and_summary: str, body: str):
    """PostgreSQL: the weighted text in the language's configuration (title A, keywords and summary B, body C),
    computed by the INSERT that writes the document (a second write of each row would leave as many dead ones)."""
    if connection.vendor != "postgresql":
        return None
    language_config = configuration(language)
    return (
        SearchVector(Value(title), config=language_config, weight="A")
        + SearchVector(Value(keywords_and_summary), config=language_config, weight="B")
        + SearchVector(Value(body), config=language_config, weight="C")
    )


def next_dates(kind: str, keys: list[UUID] | None = None) -> dict[UUID, tuple]:
    """The (start, end) of the next date of each object of type ``kind`` (of these translation keys)."""
    dates = _dates[kind]()
    if keys is not None:
        dates = dates.filter(key__in=keys)
    dates = dates.order_by("key", "start")
    if connection.vendor == "postgresql":
        dates = dates.distinct("key")
    first = {}
    for key, start, end in dates.values_list("key", "start", "end"):
        first.setdefault(key, (start, end))
    return first


def refresh_dates(keys: Iterable[UUID] | None = None) -> int:
    """Write the next date of the documents of these translation keys (of all when ``None``) anew, after their
    dates changed; returns how many documents changed."""
    keys = None if keys is None else list(dict.fromkeys(keys))
    changed = []
    for kind in _dates:
        documents = SearchDocument.objects.filter(kind=kind)
        if keys is not None:
            documents = documents.filter(key__in=keys)
        dates = next_dates(kind, keys)
        for document in documents.only("pk", "key", "upcoming_start", "upcoming_end"):
            upcoming = dates.get(document.key, (None, None))
            if (document.upcoming_start, document.upcoming_end) != upcoming:
                document.upcoming_start, document.upcoming_end = upcoming
                changed.append(document)
    SearchDocument.objects.bulk_update(changed, ["upcoming_start", "upcoming_end"], batch_size=500)
    return len(changed)


@dataclass
class IndexReport:
    documents: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (page id, title) of pages left out


def _write(keys: list[UUID], locales: list[Locale], report: IndexReport) -> None:
    documents: list[SearchDocument] = []
    for locale, page in _shown_pages(keys, locales):
        try:
            documents += _documents(locale, page)
        except Exception:  # one page whose content cannot be read must not keep the others out of the index
            logger.exception("Left page %s (%s) out of the search index.", page.pk, page.title)
            report.skipped.append((page.pk, page.title))
    for kind in _dates:
        dates = next_dates(kind, keys)
        for document in documents:
            if document.kind == kind:
                document.upcoming_start, document.upcoming_end = dates.get(document.key, (None, None))
    # A language's documents side by side in the table: a search reads one language, from fewer pages.
    documents.sort(key=lambda document: document.locale.pk)
    SearchDocument.objects.filter(key__in=keys).delete()
    SearchDocument.objects.bulk_create(documents)
    remember_words(documents)
    report.documents += len(documents)


def remember_words(documents: Iterable[SearchDocument]) -> None:
    """Add the words of the documents' titles to their language's vocabulary (``SearchWord``)."""
    known = {(document.locale_id, word) for document in documents for word in vocabulary(document.title_words)}
    SearchWord.objects.bulk_create(
        [SearchWord(locale_id=locale_id, word=word) for locale_id, word in sorted(known)],
        ignore_conflicts=True,
        batch_size=1000,
    )


@transaction.atomic
def index_keys(keys: Iterable[UUID]) -> IndexReport:
    """Write the documents of these translation keys anew (none for a key with no live page).

    A page whose content cannot be read is logged, listed in the report and left out; the others are written.
    """
    keys = list(dict.fromkeys(keys))
    locales = list(Locale.objects.all())
    report = IndexReport()
    for offset in range(0, len(keys), BATCH_SIZE):
        _write(keys[offset : offset + BATCH_SIZE], locales, report)
    return report


def vacuum() -> None:
    """PostgreSQL: after a rebuild, reclaim the rows it replaced and renew the statistics the planner reads
    (autovacuum would, later); inside a transaction only the statistics."""
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM ANALYZE'} {table}")


@transaction.atomic
def rebuild_index() -> IndexReport:
    """Empty the index and write a document for every live page of a registered type (and the titles' words)."""
    SearchDocument.objects.all().delete()
    SearchWord.objects.all().delete()
    keys = set()
    for searchable in _searchables.values():
        keys.update(searchable.model.objects.live().values_list("translation_key", flat=True))
    return index_keys(sorted(keys))
