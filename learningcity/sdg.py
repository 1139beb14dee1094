"""Working with the SDG taxonomy: valid codes, filtering tagged pages, and what a goal's page lists."""

import json
from functools import cache
from pathlib import Path

from django.apps import apps
from django.db.models import Count, F, Q, QuerySet

DATA_FILE = Path(__file__).resolve().parent / "data" / "sdg.json"


@cache
def taxonomy() -> dict:
    """The UN taxonomy as shipped with the app (the data migration loads the same file)."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def valid_codes() -> frozenset[str]:
    """Every goal number ("4") and target code ("4.7", "4.a")."""
    codes = set()
    for goal in taxonomy()["goals"]:
        codes.add(str(goal["number"]))
        codes.update(target["code"] for target in goal["targets"])
    return frozenset(codes)


def split_codes(codes) -> tuple[list[int], list[str]]:
    """Split codes into goal numbers and target codes."""
    goals = [int(code) for code in codes if "." not in code]
    targets = [code for code in codes if "." in code]
    return goals, targets


def filter_by_sdg(queryset: QuerySet, codes) -> QuerySet:
    """Pages tagged with any of the goals or targets (a goal matches any of its targets).

    Uses a subquery on the tag table rather than a join, so no DISTINCT is needed and ordering is kept.
    """
    goals, targets = split_codes(codes)
    if not goals and not targets:
        return queryset
    field = queryset.model._meta.get_field("sdg_targets")
    through = field.remote_field.through
    source = field.m2m_field_name()
    target = field.m2m_reverse_field_name()
    condition = Q(**{f"{target}__goal__number__in": goals}) | Q(**{f"{target}__code__in": targets})
    return queryset.filter(pk__in=through.objects.filter(condition).values(f"{source}_id"))


def tagged_page_models() -> list[type]:
    """Every concrete page model that carries SDG tags."""
    from wagtail.models import Page

    from .models import SDGTaggedMixin

    return [
        model
        for model in apps.get_models()
        if issubclass(model, SDGTaggedMixin) and issubclass(model, Page) and not model._meta.abstract
    ]


def tagged_pages(goal, locale, site=None) -> list[tuple[str, list]]:
    """Live, public pages in ``locale`` tagged with ``goal``, grouped by page type; one query per type."""
    root = None
    if site is not None:
        root = site.root_page.get_translation_or_none(locale) or site.root_page
    groups = []
    for model in tagged_page_models():
        queryset = filter_by_sdg(model.objects.live().public().filter(locale=locale), [str(goal.number)])
        if root is not None:
            queryset = queryset.descendant_of(root, inclusive=True)
        pages = list(queryset.order_by("title"))
        if pages:
            groups.append((model._meta.verbose_name_plural, pages))
    return groups


def tagged_counts(site) -> dict[int, dict[type, int]]:
    """How many live pages of each tagged page type under ``site`` are tagged with each goal, by goal number and
    page type. A page and its translations count once; pages under a view restriction not at all. One query per
    tagged page type, however many pages; ``{}`` without a site.
    """
    from .caching import restricted_paths
    from .querysets import under_site

    if site is None:
        return {}
    restricted = restricted_paths()
    counts: dict[int, dict[type, int]] = {}
    for model in tagged_page_models():
        pages = model.objects.live().filter(under_site(site))
        for path in restricted:
            pages = pages.exclude(path__startswith=path)
        field = model._meta.get_field("sdg_targets")
        source = field.m2m_field_name()
        rows = (
            field.remote_field.through.objects.filter(**{f"{source}__in": pages.values("pk")})
            .values(number=F(f"{field.m2m_reverse_field_name()}__goal__number"))
            .annotate(count=Count(f"{source}__translation_key", distinct=True))
            .order_by()
        )
        for row in rows:
            counts.setdefault(row["number"], {})[model] = row["count"]
    return counts


def sdg_counts(queryset: QuerySet, distinct: str = "translation_key") -> tuple[dict[int, int], dict[str, int]]:
    """How many of ``queryset``'s objects (an SDG-tagged model) are tagged with each goal and each target, by goal
    number and target code; an object and its translations (same ``distinct``) count once. Two queries."""
    field = queryset.model._meta.get_field("sdg_targets")
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    tags = field.remote_field.through.objects.filter(**{f"{source}__in": queryset.order_by().values("pk")})
    count = Count(f"{source}__{distinct}", distinct=True)
    by_goal = dict(tags.values_list(f"{target}__goal__number").annotate(count=count).order_by())
    by_target = dict(tags.values_list(f"{target}__code").annotate(count=count).order_by())
    return by_goal, by_target


def count_labels(counts: dict[type, int]) -> list[tuple[int, str]]:
    """``tagged_counts`` of one goal as (count, page type name) pairs: "1 partner", "3 events"."""
    return [
        (count, str(model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural))
        for model, count in counts.items()
    ]
