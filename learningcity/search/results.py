"""Search results as residents and front-ends see them: type, title, summary, URL, next date; facets with labels."""

from dataclasses import dataclass

from django.utils.text import Truncator

from ..api import PageURLs
from .facets import FACETS, facet_label, value_labels

SUMMARY_WORDS = 40
RESULT_FIELDS = ("pk", "page_id", "key", "kind", "title", "summary", "url_path", "subpath", "next_start")


@dataclass
class Result:
    id: int
    page_id: int
    type: str
    type_label: str
    title: str
    summary: str
    url: str
    next_start: object


def results(documents, request, *, relative: bool) -> list[Result]:
    """``documents`` (a page of them, as ``RESULT_FIELDS``) as results; URLs relative to the request's site, or
    absolute."""
    urls = PageURLs(request, relative=relative)
    labels = value_labels("type")
    rows = []
    for row in documents:
        url = urls(row["url_path"])
        rows.append(
            Result(
                id=row["pk"],
                page_id=row["page_id"],
                type=row["kind"],
                type_label=labels.get(row["kind"], row["kind"]),
                title=row["title"],
                summary=Truncator(row["summary"]).words(SUMMARY_WORDS),
                url=(url or "") + row["subpath"],
                next_start=row["next_start"],
            )
        )
    return rows


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    chosen: bool


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]


def facets(counts: dict[str, dict[str, int]], chosen: dict[str, list[str]]) -> list[Facet]:
    """Every facet with the values that have results (and the chosen ones), in the facet's own order."""
    listed = []
    for name in FACETS:
        labels = value_labels(name)
        picked = set(chosen.get(name, ()))
        values = [
            FacetValue(code, label, counts[name].get(code, 0), code in picked)
            for code, label in labels.items()
            if counts[name].get(code) or code in picked
        ]
        if values:
            listed.append(Facet(name, facet_label(name), values))
    return listed
