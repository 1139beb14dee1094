"""Filling the search index: what each registered page type says of its pages, per language.

An app registers its page types from its ``ready()``::

    registry.register_searchable(EventPage, "event", describe=describe_event, prefetch=["themes"])

``describe(page)`` yields ``SearchEntry`` objects: usually one (the page), several for a page with routes of its
own (the SDG overview has one per goal). It runs with the document's language active, so labels come out
translated. The index follows publishing through signals (``learningcity.search.signals``); ``rebuild_index``
(the ``update_search_index`` command) writes it anew, e.g. nightly, which also refreshes keywords taken from other
objects (an organiser renamed).
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from wagtail.models import Locale, Page

from ..models import SearchDocument, SearchFacet
from .text import MAX_BODY_LENGTH, configuration, fold, plain

logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # translation keys per batch of documents


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


def register(model, kind: str, describe=None, *, prefetch=(), select=(), label="") -> None:
    _searchables[model._meta.label_lower] = Searchable(
        model, kind, describe or describe_page, tuple(prefetch), tuple(select), label or model._meta.verbose_name_plural
    )


def searchables() -> list[Searchable]:
    return list(_searchables.values())


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


def _documents(locale: Locale, page: Page) -> list[tuple[SearchDocument, dict]]:
    searchable = _searchables[page._meta.label_lower]
    documents = []
    with translation.override(locale.language_code):
        for entry in searchable.describe(page):
            keywords = plain(" ".join(str(word) for word in entry.keywords if word), limit=4000)
            summary = plain(entry.summary, limit=4000)
            title = plain(entry.title, limit=255)
            facets = {name: [str(value) for value in values] for name, values in entry.facets.items()}
            facets["type"] = [searchable.kind]
            document = SearchDocument(
                locale=locale,
                page=page,
                key=page.translation_key,
                subpath=entry.subpath,
                kind=searchable.kind,
                title=title,
                summary=summary,
                keywords=keywords,
                body=plain(entry.body, limit=MAX_BODY_LENGTH),
                language=page.locale.language_code,
                title_words=fold(title)[:255],
                words=fold(f"{title} {keywords} {summary}"),
                url_path=page.url_path,
                path=page.path,
            )
            documents.append((document, facets))
    return documents


@dataclass
class IndexReport:
    documents: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (page id, title) of pages left out


def _write(keys: list[UUID], locales: list[Locale], report: IndexReport) -> None:
    documents: list[tuple[SearchDocument, dict]] = []
    for locale, page in _shown_pages(keys, locales):
        try:
            documents += _documents(locale, page)
        except Exception:  # one page whose content cannot be read must not keep the others out of the index
            logger.exception("Left page %s (%s) out of the search index.", page.pk, page.title)
            report.skipped.append((page.pk, page.title))
    SearchDocument.objects.filter(key__in=keys).delete()
    created = SearchDocument.objects.bulk_create([document for document, _facets in documents])
    SearchFacet.objects.bulk_create(
        [
            SearchFacet(document=document, name=name, value=value[:40])
            for document, facets in zip(created, (facets for _document, facets in documents), strict=True)
            for name, values in facets.items()
            for value in dict.fromkeys(values)
        ],
        batch_size=1000,
    )
    _write_vectors([document.pk for document in created])
    report.documents += len(created)


def _write_vectors(ids: list[int]) -> None:
    """PostgreSQL: each document's weighted text in its language's configuration (title, keywords and summary, body)."""
    if connection.vendor != "postgresql" or not ids:
        return
    languages = SearchDocument.objects.filter(pk__in=ids).values_list("language", flat=True).distinct()
    with connection.cursor() as cursor:
        for language in languages:
            cursor.execute(
                "UPDATE learningcity_searchdocument SET vector ="
                " setweight(to_tsvector(%s::regconfig, title), 'A')"
                " || setweight(to_tsvector(%s::regconfig, keywords || ' ' || summary), 'B')"
                " || setweight(to_tsvector(%s::regconfig, body), 'C')"
                " WHERE id = ANY(%s) AND language = %s",
                [configuration(language)] * 3 + [ids, language],
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


@transaction.atomic
def rebuild_index() -> IndexReport:
    """Empty the index and write a document for every live page of a registered type."""
    SearchDocument.objects.all().delete()
    keys = set()
    for searchable in _searchables.values():
        keys.update(searchable.model.objects.live().values_list("translation_key", flat=True))
    return index_keys(sorted(keys))
