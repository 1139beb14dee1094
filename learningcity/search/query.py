"""Reading the search index: matching, ranking, facets with counts, "did you mean" and title suggestions.

A document matches when each word of the query is found in it:

- on PostgreSQL, as a word or the start of a word in its language's stemmed, unaccented text ("taal" finds
  "Taalcafé", "languages" finds "language course"), or inside a word of its title, keywords or summary ("café"
  finds "Taalcafé"; trigram indexes serve it). Ranking weighs the title over keywords and summary over the body
  (``ts_rank``), puts documents whose title holds every word first and events without upcoming dates last.
  When nothing matches, each word is compared with the words of the titles (``pg_trgm``) and the best spelling
  is searched instead ("biblioteek" → "bibliotheek"), which the answer says.
- elsewhere (SQLite), inside the title, keywords, summary or text, without stemming; misspellings are compared
  with the titles' words by ``difflib``.

Every query is bounded: at most ``MAX_QUERY_WORDS`` words, each reduced to letters and digits, so no input
reaches a query syntax. The number of queries does not depend on the number of results or the page size.
"""

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from ..caching import cached, restricted_paths
from ..models import SearchDocument, SearchFacet
from ..querysets import under_site
from .text import configuration, query_words

FACETS = ("type", "theme", "audience", "age", "municipality", "sdg", "free")
SUGGESTION_SIMILARITY = 0.75  # difflib's ratio from which a title's word is offered for a misspelt one
VOCABULARY_TITLES = 5000
MIN_SUGGESTED_LENGTH = 3
AUTOCOMPLETE_LIMIT = 10

# Expressions for the next date of a document's object, by type: ``next_start(key)`` with ``key`` an OuterRef to
# the document's translation key (registered by the apps, see ``registry.register_searchable``).
_next_starts: dict[str, Callable] = {}


def register_next_start(kind: str, next_start: Callable) -> None:
    _next_starts[kind] = next_start


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


@dataclass
class SearchOutcome:
    documents: QuerySet
    words: list[str]
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
    title_match = Q()
    for word in words:
        title_match &= Q(title_words__contains=word)
    # Without words (facets only, or a q of punctuation) an empty Q cannot be ordered by: no title matches.
    documents = documents.annotate(
        title_match=ExpressionWrapper(title_match, output_field=BooleanField()) if words else Value(False),
        next_start=_next_start(),
    )
    stale = Q(kind__in=list(_next_starts), next_start__isnull=True)
    documents = documents.annotate(stale=ExpressionWrapper(stale, output_field=BooleanField()))
    if postgres():
        rank = SearchRank(F("vector"), _prefix_query(words, language_config, "|"))
    else:
        rank = Value(0.0, output_field=FloatField())
    return documents.annotate(rank=rank).order_by(
        "stale", "-title_match", "-rank", F("next_start").asc(nulls_last=True), "title_words", "pk"
    )


def _next_start():
    """The next date of each document's object (``None`` for types without dates): a subquery per type."""
    whens = [When(kind=kind, then=expression(OuterRef("key"))) for kind, expression in _next_starts.items()]
    if not whens:
        return Value(None, output_field=DateTimeField())
    return Case(*whens, default=None, output_field=DateTimeField())


def with_facets(documents: QuerySet, chosen: dict[str, list[str]], *, leave_out: str = "") -> QuerySet:
    """``documents`` with every chosen facet value (any of a facet's values, all of the facets)."""
    for name, values in chosen.items():
        if values and name != leave_out:
            documents = documents.filter(
                Exists(SearchFacet.objects.filter(document=OuterRef("pk"), name=name, value__in=values))
            )
    return documents


def search(request: SearchRequest) -> SearchOutcome:
    """The documents matching ``request``, best first, with ``next_start``; facet choices applied."""
    words = request.words
    language_config = configuration(request.locale.language_code)
    visible = visible_documents(request.locale, request.site)
    found = _matching(visible, words, language_config)
    chosen = with_facets(found, request.facets)
    if words and not chosen.exists():
        suggestion = suggest(words, visible, f"{request.locale.pk}-{getattr(request.site, 'pk', None)}")
        if suggestion:
            suggested = suggestion.split()
            documents = with_facets(_matching(visible, suggested, language_config), request.facets)
            return SearchOutcome(_ranked(documents, suggested, language_config), suggested, " ".join(suggested))
    return SearchOutcome(_ranked(chosen, words, language_config), words)


def matching_keys(text: str, locale, site=None, kind: str = "") -> QuerySet:
    """The translation keys of the documents in ``locale`` (of type ``kind``) matching ``text``: the listings'
    ``q``, as a subquery."""
    documents = SearchDocument.objects.filter(locale=locale, **({"kind": kind} if kind else {}))
    if site is not None:
        documents = documents.filter(under_site(site))
    return _matching(documents, query_words(text), configuration(locale.language_code)).values("key")


def facet_counts(outcome: SearchOutcome, request: SearchRequest) -> dict[str, dict[str, int]]:
    """For each facet, how many documents each value would give, with the other facets' choices applied.

    One query for the facets without a choice, and one per facet with one (its own choice left out, so its other
    values still say what choosing them adds).
    """
    visible = visible_documents(request.locale, request.site)
    found = _matching(visible, outcome.words, configuration(request.locale.language_code))
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    chosen_names = [name for name in FACETS if request.facets.get(name)]
    groups = [(None, [name for name in FACETS if name not in chosen_names])] + [(n, [n]) for n in chosen_names]
    for leave_out, names in groups:
        if not names:
            continue
        documents = with_facets(found, request.facets, leave_out=leave_out or "")
        rows = (
            SearchFacet.objects.filter(document__in=documents.values("pk"), name__in=names)
            .values("name", "value")
            .annotate(count=Count("document"))
            .order_by()
        )
        for row in rows:
            counts[row["name"]][row["value"]] = row["count"]
    return counts


def suggest(words: list[str], documents: QuerySet, vocabulary_key: str = "") -> str:
    """The query with each word no title holds replaced by the closest word of a title, or ``""`` if none is."""
    vocabulary_words = [word for word in words if len(word) >= MIN_SUGGESTED_LENGTH]
    if not vocabulary_words:
        return ""
    replaced = {}
    for word in vocabulary_words:
        if documents.filter(words__contains=word).exists():
            continue
        closest = _closest_word(word, documents, vocabulary_key)
        if closest:
            replaced[word] = closest
    if not replaced:
        return ""
    return " ".join(replaced.get(word, word) for word in words)


def _closest_word(word: str, documents: QuerySet, vocabulary_key: str) -> str:
    """The word of a title closest to ``word``: titles found by ``pg_trgm`` on PostgreSQL, else the titles' words."""
    if postgres():
        titles = (
            documents.filter(title_words__trigram_word_similar=word)
            .annotate(similarity=TrigramWordSimilarity(word, "title_words"))
            .order_by("-similarity", "pk")
            .values_list("title_words", flat=True)[:5]
        )
        candidates = {candidate for title in titles for candidate in title.split()}
    else:
        candidates = cached(f"search-vocabulary-{vocabulary_key}", lambda: _vocabulary(documents))
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=SUGGESTION_SIMILARITY)
    return matches[0] if matches and matches[0] != word else ""


def _vocabulary(documents: QuerySet) -> list[str]:
    """The words of the titles (of at most ``VOCABULARY_TITLES`` documents), for suggestions without pg_trgm."""
    titles = documents.order_by("pk").values_list("title_words", flat=True)[:VOCABULARY_TITLES]
    return sorted({word for title in titles for word in title.split() if len(word) >= MIN_SUGGESTED_LENGTH})


def autocomplete(text: str, locale, site) -> QuerySet:
    """At most ten titles holding every word of ``text``, the last one as the start of a word; titles that start
    with the text first, then upcoming events first."""
    words = query_words(text)
    documents = visible_documents(locale, site).annotate(next_start=_next_start())
    if not words:
        return documents.none()
    for word in words[:-1]:
        documents = documents.filter(title_words__contains=word)
    last = words[-1]
    documents = documents.filter(Q(title_words__startswith=last) | Q(title_words__contains=f" {last}"))
    starts = Q(title_words__startswith=" ".join(words))
    documents = documents.annotate(starts=ExpressionWrapper(starts, output_field=BooleanField()))
    return documents.order_by("-starts", F("next_start").asc(nulls_last=True), "title_words", "pk")[:AUTOCOMPLETE_LIMIT]
