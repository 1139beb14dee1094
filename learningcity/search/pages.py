"""What the site search keeps of the learning city's own pages: content pages, and the SDG overview with a
document per goal (its route, e.g. ``.../4/``)."""

from django.utils.translation import gettext_lazy as _

from ..models import ContentPage, SDGGoal, SDGIndexPage, pick_text
from . import SearchEntry
from .index import describe_page


def describe_sdg_overview(page):
    yield from describe_page(page)
    for goal in SDGGoal.objects.prefetch_related("targets").order_by("number"):
        yield SearchEntry(
            title=f"{goal.number}. {goal.title}",
            summary=goal.description,
            body=" ".join(f"{target.code} {pick_text(target.texts)}" for target in goal.targets.all()),
            keywords=[_("Sustainable development goal"), f"SDG {goal.number}"],
            facets={"sdg": [str(goal.number)]},
            subpath=page.reverse_subpage("goal", args=[goal.number]),
        )


def register():
    from .. import registry

    registry.register_searchable(ContentPage, "page", label=_("Pages"))
    registry.register_searchable(SDGIndexPage, "sdg", describe_sdg_overview, label=_("Sustainable development goals"))
