"""Search statements the ORM builds once per shape, then filled with each search's words (PostgreSQL).

A search's statement depends on its words only through its parameters: the word conditions, the rank and the
title match hold each word in a LIKE pattern or a ``to_tsquery`` text, never in the SQL itself. Building it with
the ORM (the visible documents, a condition per word, the rank, the next date's ``CASE``) costs a few
milliseconds, as much as PostgreSQL's answer for a rare word. So it is built once per process for each shape
(the language, the site and what it hides, the number of words, the chosen facets), with a mark in place of
each word, and the next search with that shape puts its words where the marks are.

A mark is text no query word holds (words are letters and digits, ``text.query_words``), so it needs no escaping
where a word needs none: a word fills a LIKE pattern or a ``to_tsquery`` text exactly as the ORM would write it.
"""

import functools
from collections.abc import Callable, Hashable, Sequence

MARK = "\u2045{}\u2046"  # ⁅0⁆: brackets are not letters or digits, so no query word holds one
STATEMENTS_PER_KIND = 256  # shapes kept per kind of statement (a shape is a few kilobytes of SQL)

Build = Callable[[Hashable, list[str]], tuple[str, Sequence] | None]


class Statement:
    """A statement of one kind: ``build(shape, marks)`` gives its SQL and parameters with ``marks`` as words (or
    ``None`` when the shape can find nothing); calling it with a shape and words gives the SQL and parameters for
    those words (or ``None``)."""

    def __init__(self, build: Build, size: int = STATEMENTS_PER_KIND):
        self._build = build
        self._built = functools.lru_cache(maxsize=size)(self._marked)

    def __call__(self, shape: Hashable, words: Sequence[str]) -> tuple[str, list] | None:
        built = self._built(shape, len(words))
        if built is None:
            return None
        sql, params = built
        return sql, [fill(param, words) for param in params]

    def _marked(self, shape: Hashable, count: int) -> tuple[str, tuple] | None:
        built = self._build(shape, marks(count))
        if built is None:
            return None
        sql, params = built
        return sql, tuple(params)

    def clear(self) -> None:
        self._built.cache_clear()


def marks(count: int) -> list[str]:
    return [MARK.format(number) for number in range(count)]


def fill(param, words: Sequence[str]):
    """``param`` with each word in place of its mark (other parameters as they are)."""
    if not isinstance(param, str) or "\u2045" not in param:
        return param
    for number, word in enumerate(words):
        param = param.replace(MARK.format(number), word)
    return param
