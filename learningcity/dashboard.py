"""Panels for the admin's dashboard: what needs an editor's attention, each with its count and first items.

An app adds its panels from its ``wagtail_hooks.py`` with Wagtail's ``construct_homepage_panels`` hook. A panel
shows only what the editor may change (a partner editor: their own partner's pages and collection), and costs a
few queries (the count and the first rows) whatever the number of items.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail.permissions import policy_registry

SHOWN = 10


@dataclass(frozen=True)
class Row:
    label: str
    url: str
    detail: str = ""


class ListPanel(Component):
    """A heading with the number of items, the first ``SHOWN`` of them as links, or what it means to have none."""

    template_name = "learningcity/admin/list_panel.html"
    name = ""
    heading = ""
    empty_text = ""
    order = 150

    def __init__(self, request):
        self.request = request

    def items(self) -> QuerySet:
        """What needs attention, in the order it is shown."""
        raise NotImplementedError

    def row(self, item) -> Row:
        raise NotImplementedError

    def get_context_data(self, parent_context=None):
        items = self.items()
        total = items.count()
        rows = [self.row(item) for item in items[:SHOWN]] if total else []
        return {"panel": self, "total": total, "rows": rows, "more": total - len(rows)}


def editable_pages(user) -> QuerySet[Page]:
    """The pages ``user`` may change (a subquery for the panels)."""
    return policy_registry.get_by_type(Page).instances_user_has_permission_for(user, "change")


def page_row(page, detail: str = "") -> Row:
    return Row(page.title, reverse("wagtailadmin_pages:edit", args=[page.pk]), detail)


class UntranslatedPagesPanel(ListPanel):
    """Live pages of ``page_model`` in the site's first language without a live copy in every other language."""

    page_model: type[Page]

    def items(self):
        source = Locale.get_default()
        pages = self.page_model.objects.live().filter(locale=source, pk__in=editable_pages(self.request.user))
        others = list(Locale.objects.exclude(pk=source.pk).values_list("pk", flat=True))
        if not others:
            return pages.none()
        missing = Q()
        for locale_id in others:
            translated = self.page_model.objects.live().filter(
                translation_key=OuterRef("translation_key"), locale_id=locale_id
            )
            missing |= ~Exists(translated)
        return pages.filter(missing).order_by("-first_published_at", "pk")

    def row(self, page):
        return page_row(page)


class StalePagesPanel(ListPanel):
    """Live pages of ``page_model`` in the site's first language not published again for ``months`` months."""

    page_model: type[Page]
    months = 12

    def items(self):
        before = timezone.now() - timedelta(days=round(self.months * 30.44))
        return (
            self.page_model.objects.live()
            .filter(locale=Locale.get_default(), last_published_at__lt=before)
            .filter(pk__in=editable_pages(self.request.user))
            .order_by("last_published_at", "pk")
        )

    def row(self, page):
        return page_row(page, timezone.localtime(page.last_published_at).date().isoformat())


class ImagesWithoutAltTextPanel(ListPanel):
    """Images without a description (their alt text) in the collections the editor may change."""

    name = "images_without_alt_text"
    heading = _("Images without alt text")
    empty_text = _("Every image has an alt text.")
    order = 170

    def items(self):
        policy = policy_registry.get_by_type(get_image_model())
        images = policy.instances_user_has_any_permission_for(self.request.user, ["change"])
        return images.filter(description="").order_by("-created_at", "pk")

    def row(self, image):
        return Row(image.title, reverse("wagtailimages:edit", args=[image.pk]))


@dataclass(frozen=True)
class Coverage:
    label: str
    total: int
    tagged: int
    first_class: dict[int, int]  # pages tagged with SDG 4 and 11, by goal number


class SDGCoveragePanel(Component):
    """Of each page type that carries SDG tags, how many published pages (in the site's first language, a page and
    its translations once) are tagged at all, and with goals 4 and 11; two queries per page type."""

    name = "sdg_coverage"
    template_name = "learningcity/admin/sdg_coverage_panel.html"
    order = 180

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        from .models import FIRST_CLASS_GOALS
        from .sdg import tagged_page_models

        rows = []
        for model in tagged_page_models():
            pages = model.objects.live().filter(locale=Locale.get_default(), pk__in=editable_pages(self.request.user))
            field = model._meta.get_field("sdg_targets")
            through, source = field.remote_field.through, field.m2m_field_name()
            goal = f"{field.m2m_reverse_field_name()}__goal__number"
            tagged = through.objects.filter(**{f"{source}__in": pages.values("pk")})
            counts = {
                row[goal]: row["pages"]
                for row in tagged.filter(**{f"{goal}__in": FIRST_CLASS_GOALS})
                .values(goal)
                .annotate(pages=Count(source, distinct=True))
                .order_by()
            }
            total = pages.aggregate(total=Count("pk"), tagged=Count("pk", filter=Q(pk__in=tagged.values(source))))
            rows.append(
                Coverage(
                    capfirst(model._meta.verbose_name_plural),
                    total["total"],
                    total["tagged"],
                    {number: counts.get(number, 0) for number in FIRST_CLASS_GOALS},
                )
            )
        return {"panel": self, "rows": rows, "first_class": FIRST_CLASS_GOALS}
