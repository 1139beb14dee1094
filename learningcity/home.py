"""What the portal's home page shows besides its welcome text, for ``HomePage.get_context()``.

- The apps' sections (``registry.register_home_section``): the events app's activities of this week. They move with
  the clock, so they are read on every request, and the home page's answers expire with the minute.
- Entry points by life stage (``LIFE_STAGE_ENTRIES``), each with the links the apps give for it
  (``registry.register_life_stage_links``): the agenda filtered for the stage, the child-centre listing by age.
- The offers the editors feature, as cards in the visitor's language.
- The 17 SDG goals, SDG 4 and 11 first, each with how many live pages of this site are tagged with it.

The last three change only with the content, so ``HomeOffers`` works them out on first use: a template fragment
cached under the content version (``{% cache … content_version %}``) reads none of them. Each reads a fixed number
of queries, whatever the number of events and partners.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, Site

from . import registry
from .api import PageURLs
from .caching import cached_locale, fragment_seconds, restricted_paths
from .querysets import pages_in_any_model
from .sdg import count_labels, tagged_counts
from .search.facets import LIFE_STAGES

# What a link names its stage by, in the middle of a sentence ("Activities for children aged 0 to 4").
STAGE_PHRASES = {
    "0-4": _("children aged 0 to 4"),
    "4-12": _("children aged 4 to 12"),
    "12-18": _("young people aged 12 to 18"),
    "adults": _("adults"),
    "seniors": _("seniors"),
    "parents": _("parents"),
    "teachers": _("teachers"),
}
# Read in a card's text: the first of these a featured page has.
CARD_TEXT_FIELDS = ("summary", "intro", "search_description")


@dataclass(frozen=True)
class LifeStage:
    """An entry point on the home page: a life stage (with its ages in whole years) or a group without ages."""

    code: str
    title: Promise
    whom: Promise  # the stage in the middle of a sentence, for the words of its links
    ages: tuple[int, int] | None = None


LIFE_STAGE_ENTRIES = (
    *(LifeStage(code, label, STAGE_PHRASES[code], ages) for code, (ages, label) in LIFE_STAGES.items()),
    LifeStage("parents", _("Parents"), STAGE_PHRASES["parents"]),
    LifeStage("teachers", _("Teachers"), STAGE_PHRASES["teachers"]),
)


@dataclass(frozen=True)
class StageLink:
    """A link from a life stage to a listing; ``text`` names the stage, so every link on the page reads apart."""

    url: str
    text: str


@dataclass
class StageEntry:
    stage: LifeStage
    links: list[StageLink] = field(default_factory=list)


@dataclass(frozen=True)
class FeaturedCard:
    """A featured page as the visitor reads it: its live translation, else the page itself."""

    title: str
    url: str
    kind: str  # the page's type, e.g. "Event"
    text: str
    language: str  # of the texts shown


@dataclass(frozen=True)
class SDGTile:
    """A goal with its page and how many live pages of the site are tagged with it, per page type."""

    number: int
    title: str
    is_first_class: bool
    url: str
    counts: list[tuple[int, str]]  # (count, page type named for that count), for the types with tagged pages

    @property
    def total(self) -> int:
        return sum(count for count, _label in self.counts)


class HomeOffers:
    """The life stages, featured offers and SDG tiles of a home page, each worked out on first use."""

    def __init__(self, page, request, locale: Locale):
        self.page, self.request, self.locale = page, request, locale

    @cached_property
    def site(self) -> Site | None:
        return Site.find_for_request(self.request) or self.page.get_site()

    @cached_property
    def urls(self) -> PageURLs:
        return PageURLs(self.request, relative=True)

    @cached_property
    def life_stages(self) -> list[StageEntry]:
        """The stages some app links to, in ``LIFE_STAGE_ENTRIES`` order, each with the apps' links."""
        entries = {stage.code: StageEntry(stage) for stage in LIFE_STAGE_ENTRIES}
        for links in registry.life_stage_links():
            for code, stage_links in links(self.request, self.locale, LIFE_STAGE_ENTRIES).items():
                entries[code].links.extend(stage_links)
        return [entry for entry in entries.values() if entry.links]

    @cached_property
    def featured(self) -> list[FeaturedCard]:
        return featured_cards(self.page, self.locale, self.urls)

    @cached_property
    def sdg_tiles(self) -> list[SDGTile]:
        return sdg_tiles(self.page, self.site, self.urls)


def home_page_context(page, request) -> dict:
    """``home_sections``: the apps' sections as (template, context) pairs; ``offers``: ``HomeOffers``;
    ``offers_cache_seconds``: how long the offers' fragment may be cached (0 in a preview, which shows a draft)."""
    locale = cached_locale(page.locale_id)
    sections = []
    for template, build in registry.home_sections():
        section = build(request, page, locale)
        if section is not None:
            sections.append((template, section))
    preview = bool(getattr(request, "is_preview", False))
    return {
        "home_sections": sections,
        "offers": HomeOffers(page, request, locale),
        "offers_cache_seconds": 0 if preview else fragment_seconds(),
        "offers_cache_variant": "preview" if preview else "live",
    }


def featured_cards(home, locale: Locale, urls: PageURLs) -> list[FeaturedCard]:
    """The home page's featured pages in ``locale``: each its live translation, else itself when live; private pages
    and pages that are neither are left out. Four queries and one per page type shown, however many pages."""
    chosen = [item.page_id for item in home.featured_items.all() if item.page_id]
    if not chosen:
        return []
    rows = Page.objects.filter(pk__in=chosen).values(
        "pk", "translation_key", "locale_id", "locale__language_code", "live"
    )
    rows = {row["pk"]: row for row in rows}
    keys = (row["translation_key"] for row in rows.values() if row["locale_id"] != locale.pk)
    translated = pages_in_any_model().translations_in(locale, keys, "pk")
    shown: dict[int, str] = {}  # page id: the language of its texts
    for pk in chosen:
        row = rows.get(pk)
        if row is None:
            continue
        translation = translated.get(row["translation_key"])
        if translation is not None:
            shown.setdefault(translation["pk"], locale.language_code)
        elif row["live"]:
            shown.setdefault(pk, row["locale__language_code"])
    pages = Page.objects.live().filter(pk__in=shown)
    for path in restricted_paths():
        pages = pages.exclude(path__startswith=path)
    by_pk = {page.pk: page for page in pages.specific()}
    cards = []
    for pk, language in shown.items():
        page = by_pk.get(pk)
        url = urls(page.url_path) if page is not None else None
        if url:
            cards.append(
                FeaturedCard(
                    title=page.title,
                    url=url,
                    kind=capfirst(page._meta.verbose_name),
                    text=card_text(page),
                    language=language,
                )
            )
    return cards


def card_text(page) -> str:
    """The featured page's summary, introduction or search description, as plain text."""
    for name in CARD_TEXT_FIELDS:
        value = getattr(page, name, "")
        if value:
            return strip_tags(str(value)).strip()
    return ""


def sdg_tiles(home, site: Site | None, urls: PageURLs) -> list[SDGTile]:
    """The 17 goals, SDG 4 and 11 first, each linking to its page on the site's SDG overview in the home page's
    language, with the counts of ``learningcity.sdg.tagged_counts``; none without an overview page."""
    from .models import FIRST_CLASS_GOALS, SDGGoal, SDGIndexPage

    overviews = SDGIndexPage.objects.live().child_of(home)
    for path in restricted_paths():
        overviews = overviews.exclude(path__startswith=path)
    overview = overviews.first()
    if overview is None:
        return []
    base = urls(overview.url_path)
    if not base:
        return []
    counts = tagged_counts(site)
    goals = sorted(SDGGoal.objects.all(), key=lambda goal: (goal.number not in FIRST_CLASS_GOALS, goal.number))
    return [
        SDGTile(
            number=goal.number,
            title=goal.title,
            is_first_class=goal.is_first_class,
            url=base + overview.reverse_subpage("goal", args=[goal.number]),
            counts=count_labels(counts.get(goal.number, {})),
        )
        for goal in goals
    ]
