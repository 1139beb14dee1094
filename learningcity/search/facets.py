"""The facets residents narrow a search with, and the labels of their values.

``type``, ``age`` (life stages), ``sdg`` and ``free`` are the learning city's own; the apps add theirs
(``theme``, ``audience``, ``municipality``) with ``register_facet``. Values are codes; labels are read in the
active language when a page or an answer shows them.
"""

from collections.abc import Callable

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..caching import GLOBAL, cached

FACETS = ("type", "theme", "audience", "age", "municipality", "sdg", "free")

# Life stages, by age in whole years (youngest, oldest).
LIFE_STAGES = {
    "0-4": ((0, 3), _("0 to 4 years")),
    "4-12": ((4, 11), _("4 to 12 years")),
    "12-18": ((12, 17), _("12 to 18 years")),
    "adults": ((18, 64), _("Adults")),
    "seniors": ((65, 120), _("Seniors (65+)")),
}

TYPE_ORDER = ["event", "partner", "childcentre", "page", "sdg"]  # what residents look for most, first

_facets: dict[str, tuple[str, Callable[[], dict]]] = {}


def register_facet(name: str, label, values: Callable[[], dict]) -> None:
    """``values()`` gives the facet's codes and labels, in the order a page lists them."""
    _facets[name] = (label, values)


def facet_label(name: str) -> str:
    return str(_facets[name][0]) if name in _facets else name


def value_labels(name: str) -> dict[str, str]:
    """The facet's codes and their labels in the active language, kept under the content version (municipalities
    and goals are the apps' own models, whose changes renew it)."""
    if name not in _facets:
        return {}
    values = _facets[name][1]
    return cached(
        f"facet-values-{name}-{get_language()}",
        lambda: {str(code): str(label) for code, label in values().items()},
        scopes=(GLOBAL,),
    )


def life_stages(youngest: int | None, oldest: int | None) -> list[str]:
    """The life stages an age range (in years) reaches; no range at all reaches every stage."""
    if youngest is None and oldest is None:
        return list(LIFE_STAGES)
    low, high = youngest or 0, 120 if oldest is None else oldest
    return [code for code, ((first, last), _label) in LIFE_STAGES.items() if first <= high and low <= last]


def sdg_goals(page) -> list[str]:
    """The numbers of the goals of a page's SDG targets (prefetch ``sdg_targets``)."""
    return sorted({target.code.split(".")[0] for target in page.sdg_targets.all()}, key=int)


def _types() -> dict:
    from .index import searchables

    labels = {}
    for searchable in searchables():
        labels.setdefault(searchable.kind, searchable.label)
    return dict(sorted(labels.items(), key=lambda item: TYPE_ORDER.index(item[0]) if item[0] in TYPE_ORDER else 99))


def _sdg_goals() -> dict:
    from ..models import SDGGoal

    return {str(goal.number): f"{goal.number}. {goal.title}" for goal in SDGGoal.objects.order_by("number")}


register_facet("type", _("Type"), _types)
register_facet("age", _("Age"), lambda: {code: label for code, (_range, label) in LIFE_STAGES.items()})
register_facet("sdg", _("Sustainable development goal"), _sdg_goals)
register_facet("free", _("Price"), lambda: {"yes": _("Free")})
