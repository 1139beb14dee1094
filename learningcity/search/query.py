"""Reading the search index: matching, ranking, facets with counts, "did you mean" and title suggestions.

A document matches when each word of the query is found in it:

- on PostgreSQL, as a word or the start of a word in its language's stemmed, unaccented text ("taal" finds
  "Taalcafé", "languages" finds "language course"), or inside a word of its title, keywords or summary ("café"
  finds "Taalcafé"; trigram indexes serve it). Ranking weighs the title over keywords and summary over the body
  (``ts_rank``), puts documents whose title holds every word first and events without upcoming dates last.
  When nothing matches, each word is compared with the words of the titles in the language (``SearchWord``, by
  ``pg_trgm``) and the best spelling is searched instead ("biblioteek" → "bibliotheek"), which the answer says
  when it finds something.
- elsewhere (SQLite), inside the title, keywords, summary or text, without stemming; misspellings are compared
  with the titles' words by ``difflib``.

Every query is bounded: at most ``MAX_QUERY_WORDS`` words, each reduced to letters and digits, so no input
reaches a query syntax. The number of queries does not depend on the number of results or the page size.

A search reads the matching documents once: on PostgreSQL one statement gives the page's ids with their next
dates and every combination of facet values among the matches with its number of documents, from which the count
and the facet counts follow (``count_facets``); a second reads the page's rows. The facets and the next date are
columns of the document, so the pass joins nothing (see ``learningcity.models.search``). On PostgreSQL the ORM
builds the search's, the autocomplete's and the suggestion's statements once per shape, and each search fills in
its words (``statements``).
"""

import difflib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Now

from ..caching import cached, restricted_paths
from ..compat import site_root_paths
from ..models import SearchDocument, SearchWord
from ..querysets import under_site
from .facets import FACETS
from .index import dated_kinds, facet_item
from .results import RESULT_FIELDS
from .statements import Statement
from .text import MIN_VOCABULARY_LENGTH, configuration, query_words, vocabulary

SUGGESTION_SIMILARITY = 0.75  # difflib's ratio from which a title's word is offered for a misspelt one
VOCABULARY_TITLES = 5000
AUTOCOMPLETE_LIMIT = 10
PER_PAGE = 20

# The order of the results: documents with dates of which none is to come last, then those whose title holds every
# word, the better ranked, the sooner, by title. ``_page_postgres`` spells it in SQL too.
ORDER = (
    F("stale").asc(),
    F("title_match").desc(),
    F("rank").desc(),
    F("next_start").asc(nulls_last=True),
    F("title_words").asc(),
    F("pk").asc(),
)
ORDER_SQL = "stale, title_match DESC, rank DESC, next_start ASC NULLS LAST, title_words, pk"


def postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class SearchRequest:
    """What to search: the words, in which language and on which site, with the chosen facet values."""

    text: str
    locale: object
    site: object
    facets: dict[str, list[str]] = field(default_factory=dict)

    @property
    def words(self) -> list[str]:
        return query_words(self.text)

    @cached_property
    def visibility(self) -> tuple:
        """What decides which documents this search may find (``visibility``), read once per search."""
        return visibility(self.locale, self.site)


@dataclass
class SearchOutcome:
    """A page of results (``rows``: ``RESULT_FIELDS``, best first, from ``offset``), how many there are in all,
    and per facet how many each value would give (``facet_counts``)."""

    words: list[str]
    count: int
    rows: list[dict]
    facet_counts: dict[str, dict[str, int]]
    offset: int = 0
    suggestion: str = ""  # the spelling searched instead of the query's, when the query found nothing

    @property
    def corrected(self) -> bool:
        return bool(self.suggestion)


def visible_documents(locale, site) -> QuerySet:
    """The documents of ``locale`` under ``site``'s roots, without those of restricted pages."""
    documents = SearchDocument.objects.filter(under_site(site), locale=locale)
    private = Q()
    for path in restricted_paths():
        private |= Q(path__startswith=path)
    return documents.exclude(private) if private else documents


def _word_condition(word: str, language_config: str) -> Q:
    if postgres():
        prefix = SearchQuery(f"{word}:*", search_type="raw", config=language_config)
        return Q(vector=prefix) | Q(words__contains=word)
    return Q(words__contains=word) | Q(body__icontains=word)


def _prefix_query(words: list[str], language_config: str, operator: str) -> SearchQuery:
    return SearchQuery(f" {operator} ".join(f"{word}:*" for word in words), search_type="raw", config=language_config)


def _matching(documents: QuerySet, words: list[str], language_config: str) -> QuerySet:
    for word in words:
        documents = documents.filter(_word_condition(word, language_config))
    return documents


def _ranked(documents: QuerySet, words: list[str], language_config: str) -> QuerySet:
    """``documents`` with what ``ORDER`` reads: ``stale``, ``title_match``, ``rank``, ``next_start``."""
    title_match = Q()
    for word in words:
        title_match &= Q(title_words__contains=word)
    # Without words (facets only, or a q of punctuation) an empty Q cannot be ordered by: no title matches.
    documents = documents.annotate(
        title_match=ExpressionWrapper(title_match, output_field=BooleanField()) if words else Value(False),
        next_start=_next_start(),
    )
    stale = Q(kind__in=list(dated_kinds()), next_start__isnull=True)
    documents = documents.annotate(stale=ExpressionWrapper(stale, output_field=BooleanField()))
    if postgres() and words:
        rank = SearchRank(F("vector"), _prefix_query(words, language_config, "|"))
    else:
        rank = Value(0.0, output_field=FloatField())
    return documents.annotate(rank=rank)


def _next_start():
    """The next date of each document's object (``None`` for types without dates).

    The one the document keeps until it is over; after that (the index not refreshed since) the type's dates are
    read. A document that kept none has none: dates added since would have refreshed it.
    """
    read_again = [
        When(kind=kind, then=Subquery(dates().filter(key=OuterRef("key")).order_by("start").values("start")[:1]))
        for kind, dates in dated_kinds().items()
    ]
    return Case(
        When(upcoming_start__isnull=True, then=Value(None)),
        When(upcoming_end__gte=Now(), then=F("upcoming_start")),
        *read_again,
        default=Value(None),
        output_field=DateTimeField(),
    )


def chosen_condition(chosen: dict[str, list[str]]) -> Q:
    """Every chosen facet with one of its values."""
    condition = Q()
    for name, values in chosen.items():
        if values:
            either = Q()
            for value in values:
                either |= Q(facets__contains=f" {facet_item(name, value)} ")
            condition &= either
    return condition


def search(request: SearchRequest, offset: int = 0, limit: int = PER_PAGE) -> SearchOutcome:
    """The page of documents matching ``request`` from ``offset``, best first, with the count and facet counts.

    When the words find nothing, the closest spelling the titles hold is searched instead (``suggestion``).
    """
    words = request.words
    outcome = _search(request, words, offset, limit)
    if words and not outcome.count:
        suggestion = suggest(words, request)
        if suggestion:
            suggested = suggestion.split()
            corrected = _search(request, suggested, offset, limit)
            if corrected.count:  # a word of a title since changed, or of a page this visitor cannot see
                outcome = corrected
                outcome.suggestion = " ".join(suggested)
    return outcome


def _search(request: SearchRequest, words: list[str], offset: int, limit: int) -> SearchOutcome:
    """The page, the count and the facet counts: two queries (three on SQLite), however many documents match."""
    if postgres():
        ids, starts, combinations = _page_postgres(request, words, offset, limit)
        rows = _rows(ids, starts)
    else:
        language_config = configuration(request.locale.language_code)
        matching = _matching(visible_documents(request.locale, request.site), words, language_config)
        found = _ranked(matching, words, language_config).filter(chosen_condition(request.facets))
        ids = list(found.order_by(*ORDER)[offset : offset + limit].values_list("pk", flat=True))
        combinations = list(matching.values_list("facets").annotate(n=Count("pk")).order_by())
        rows = _rows(ids)
    count, facet_counts = count_facets(combinations, request.facets)
    return SearchOutcome(words, count, rows, facet_counts, offset)


def visibility(locale, site) -> tuple:
    """What decides which documents a visitor of ``site`` may find in ``locale``, for the shape of a statement
    (``statements``): the language, the site's root paths and the restricted pages' paths."""
    roots = tuple(root.root_path for root in site_root_paths() if root.site_id == getattr(site, "pk", None))
    return (locale, locale.language_code, site, roots, tuple(restricted_paths()))


def _chosen_shape(chosen: dict[str, list[str]]) -> tuple:
    return tuple((name, tuple(values)) for name, values in sorted(chosen.items()) if values)


# PostgreSQL's default cost of a random page read (4, for spinning disks) makes the planner read the whole table
# for a word that many documents hold ("bibliotheek", 40 % of them), checking every row, rather than the index
# entries of the word and the language: 36 ms against 19 ms for the statement at 10,000 events. The search table is
# read from memory or SSDs, where PostgreSQL's documentation suggests about 1.1; it is set for this statement only.
SEARCH_RANDOM_PAGE_COST = 1.1


def _found_statement(shape: tuple, words: list[str]) -> tuple[str, list] | None:
    """One pass over the matches that PostgreSQL keeps (``MATERIALIZED``) for the page's ids and next dates and for
    the facet combinations with their numbers of documents; the page's size and offset come last.

    The page's rows carry what they are sorted by, so its two arrays are built from its twenty rows in order,
    without reading the matches again for the page's ids (0.4–0.9 ms of the 15–21 ms a word that thousands of
    documents hold takes)."""
    (locale, _language, site, _roots, _restricted), chosen = shape
    language_config = configuration(locale.language_code)
    found = _ranked(_matching(visible_documents(locale, site), words, language_config), words, language_config)
    condition = chosen_condition(dict(chosen))
    chosen_flag = ExpressionWrapper(condition, output_field=BooleanField()) if condition else Value(True)
    columns = found.annotate(chosen=chosen_flag).values(
        "pk", "facets", "title_words", "chosen", "stale", "title_match", "rank", "next_start"
    )
    try:
        sql, params = columns.query.sql_with_params()
    except EmptyResultSet:  # a site without roots: nothing to find
        return None
    statement = (
        f"WITH found AS MATERIALIZED ({sql}), "  # noqa: S608 (SQL built by Django; the values are parameters)
        f"page AS (SELECT * FROM found WHERE chosen ORDER BY {ORDER_SQL} LIMIT %s OFFSET %s)"
        " SELECT paged.pks, paged.starts, combinations.facets, combinations.numbers"
        f" FROM (SELECT array_agg(pk ORDER BY {ORDER_SQL}) AS pks,"
        f" array_agg(next_start ORDER BY {ORDER_SQL}) AS starts FROM page) paged,"
        " (SELECT array_agg(facets) AS facets, array_agg(n) AS numbers"
        " FROM (SELECT facets, COUNT(*) AS n FROM found GROUP BY facets) grouped) combinations"
    )
    return statement, params


FOUND = Statement(_found_statement)


def _page_postgres(request: SearchRequest, words: list[str], offset: int, limit: int) -> tuple[list, dict, list]:
    """The ids of the page, their next dates and the facet combinations with their numbers of documents."""
    shape = (request.visibility, _chosen_shape(request.facets))
    statement = FOUND(shape, words)
    if statement is None:
        return [], {}, []
    sql, params = statement
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL random_page_cost = {SEARCH_RANDOM_PAGE_COST}")
        cursor.execute(sql, [*params, limit, offset])
        ids, starts, facets, numbers = cursor.fetchone()
    return (
        ids or [],
        dict(zip(ids or [], starts or [], strict=True)),
        list(zip(facets or [], numbers or [], strict=True)),
    )


def count_facets(combinations, chosen: dict[str, list[str]]) -> tuple[int, dict[str, dict[str, int]]]:
    """The number of results, and per facet how many documents each value would give with the other facets'
    choices applied (its own left out, so a chosen facet's other values still say what choosing them adds).

    ``combinations``: each set of facet values the matching documents have (as ``facets`` holds them), with the
    number of documents that have it.
    """
    wanted = {name: {facet_item(name, value) for value in values} for name, values in chosen.items() if values}
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    total = 0
    for text, number in combinations:
        items, values = _facet_values(text)
        missed = [name for name, chosen_items in wanted.items() if items.isdisjoint(chosen_items)]
        if not missed:
            total += number
        elif len(missed) > 1:
            continue
        for name, value in values:
            if name in counts and (not missed or missed[0] == name):
                counts[name][value] = counts[name].get(value, 0) + number
    return total, counts


@lru_cache(maxsize=4096)
def _facet_values(text: str) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """A document's ``facets`` as its items and their (facet, value) pairs: a few hundred combinations recur in
    every search."""
    items = frozenset(text.split())
    return items, tuple((name, value) for name, _colon, value in (item.partition(":") for item in items))


def _rows(ids: list[int], starts: dict | None = None) -> list[dict]:
    """The documents of ``ids`` (``RESULT_FIELDS``), in that order; their next dates from ``starts`` when the
    search read them, else read here."""
    if not ids:
        return []
    documents = SearchDocument.objects.filter(pk__in=ids)
    if starts is None:
        rows = documents.annotate(next_start=_next_start()).values(*RESULT_FIELDS)
    else:
        rows = documents.values(*(name for name in RESULT_FIELDS if name != "next_start"))
    by_id = {row["pk"]: row for row in rows}
    if starts is not None:
        for pk, row in by_id.items():
            row["next_start"] = starts.get(pk)
    return [by_id[pk] for pk in ids if pk in by_id]


def matching_keys(text: str, locale, site=None, kind: str = "") -> QuerySet:
    """The translation keys of the documents in ``locale`` (of type ``kind``) matching ``text``: the listings'
    ``q``, as a subquery."""
    documents = SearchDocument.objects.filter(locale=locale, **({"kind": kind} if kind else {}))
    if site is not None:
        documents = documents.filter(under_site(site))
    return _matching(documents, query_words(text), configuration(locale.language_code)).values("key")


def suggest(words: list[str], request: SearchRequest) -> str:
    """The query with each word no title holds replaced by the closest word of a title, or ``""`` if none is.

    Called when the words found nothing among the documents ``request`` may find: a single word is then known
    to be in none of them.
    """
    vocabulary_words = [word for word in words if len(word) >= MIN_VOCABULARY_LENGTH]
    if not vocabulary_words:
        return ""
    replaced = {}
    for word in vocabulary_words:
        if len(words) > 1 and _visible(request).filter(words__contains=word).exists():
            continue
        closest = _closest_word(word, request)
        if closest:
            replaced[word] = closest
    if not replaced:
        return ""
    return " ".join(replaced.get(word, word) for word in words)


def _visible(request: SearchRequest) -> QuerySet:
    return visible_documents(request.locale, request.site)


def _close_words_statement(locale, words: list[str]) -> tuple[str, list]:
    (word,) = words
    candidates = (
        SearchWord.objects.filter(locale=locale, word__trigram_similar=word)
        .annotate(similarity=TrigramSimilarity("word", word))
        .order_by("-similarity", "word")
        .values_list("word", flat=True)[:5]
    )
    return candidates.query.sql_with_params()


CLOSE_WORDS = Statement(_close_words_statement)


def _closest_word(word: str, request: SearchRequest) -> str:
    """The word of a title closest to ``word``: from the language's vocabulary by ``pg_trgm`` on PostgreSQL,
    else from the titles' words."""
    if postgres():
        with connection.cursor() as cursor:
            cursor.execute(*CLOSE_WORDS(request.locale, [word]))
            candidates = [row[0] for row in cursor.fetchall()]
    else:
        key = f"search-vocabulary-{request.locale.pk}-{getattr(request.site, 'pk', None)}"
        candidates = cached(key, lambda: _vocabulary(_visible(request)))
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=SUGGESTION_SIMILARITY)
    return matches[0] if matches and matches[0] != word else ""


def _vocabulary(documents: QuerySet) -> list[str]:
    """The words of the titles (of at most ``VOCABULARY_TITLES`` documents), for suggestions without pg_trgm."""
    titles = documents.order_by("pk").values_list("title_words", flat=True)[:VOCABULARY_TITLES]
    return sorted({word for title in titles for word in vocabulary(title)})


def autocomplete(text: str, locale, site, limit: int = AUTOCOMPLETE_LIMIT) -> list[dict]:
    """At most ``limit`` (ten) titles holding every word of ``text``, the last one as the start of a word; titles
    that start with the text first, then upcoming events first: ``RESULT_FIELDS`` of each."""
    words = query_words(text)
    limit = max(0, min(limit, AUTOCOMPLETE_LIMIT))
    if not words or not limit:
        return []
    if postgres():
        statement = AUTOCOMPLETE((visibility(locale, site), limit), words)
        return _dicts(*statement) if statement else []
    return list(_titles_starting(locale, site, words)[:limit])


def _titles_starting(locale, site, words: list[str]) -> QuerySet:
    documents = visible_documents(locale, site).annotate(next_start=_next_start())
    for word in words[:-1]:
        documents = documents.filter(title_words__contains=word)
    last = words[-1]
    documents = documents.filter(Q(title_words__startswith=last) | Q(title_words__contains=f" {last}"))
    starts = Q(title_words__startswith=" ".join(words))
    documents = documents.annotate(starts=ExpressionWrapper(starts, output_field=BooleanField()))
    documents = documents.order_by("-starts", F("next_start").asc(nulls_last=True), "title_words", "pk")
    return documents.values(*RESULT_FIELDS)


def _autocomplete_statement(shape: tuple, words: list[str]) -> tuple[str, list] | None:
    (locale, _language, site, _roots, _restricted), limit = shape
    try:
        return _titles_starting(locale, site, words)[:limit].query.sql_with_params()
    except EmptyResultSet:  # a site without roots
        return None


AUTOCOMPLETE = Statement(_autocomplete_statement)


def _dicts(sql: str, params: list) -> list[dict]:
    """The rows of a statement that ``values()`` built, as ``values()`` gives them (on PostgreSQL, whose driver
    gives each column's Python type)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
