"""A small portal to search: events, partners, a child centre and content pages in Dutch, some translated."""

from datetime import date, timedelta
from unittest import skipUnless

from django.db import connection
from django.urls import reverse
from django.utils import translation

from events.models import AudienceGroup, Theme
from learningcity.search.index import rebuild_index
from partners.models import PartnerKind

from ..events.factories import EventIndexPageFactory, EventPageFactory, publish
from ..learningcity.factories import ContentPageFactory, SDGIndexPageFactory
from ..learningcity.utils import make_portal, sync_translation
from ..partners.factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    MunicipalityFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)

SEARCH_API = "/api/v3/search/"
AUTOCOMPLETE_API = "/api/v3/search/autocomplete/"
PROBLEM = "application/problem+json"

POSTGRES = connection.vendor == "postgresql"
postgres_only = skipUnless(POSTGRES, "PostgreSQL's text search (stemming, unaccent, pg_trgm)")
sqlite_only = skipUnless(connection.vendor == "sqlite", "the fallback search of databases without text search")


def soon(days: int = 14) -> date:
    """A date ahead of the database's clock (the next date is read with the database's ``NOW()``)."""
    return date.today() + timedelta(days=days)


def long_ago(days: int = 60) -> date:
    return date.today() - timedelta(days=days)


def search_url(language: str = "nl") -> str:
    with translation.override(language):
        return reverse("search")


def translate(page, locale, **fields):
    """The page's translation in ``locale``, with ``fields`` changed and published."""
    translated = sync_translation(page, locale).specific
    for name, value in fields.items():
        setattr(translated, name, value)
    return publish(translated)


def event(parent, title, *, start_date=None, themes=(), audiences=(), **fields):
    page = EventPageFactory(parent=parent, title=title, start_date=start_date or soon(), **fields)
    if themes:
        page.themes.set(Theme.objects.filter(code__in=themes))
    if audiences:
        page.audience_groups.set(AudienceGroup.objects.filter(code__in=audiences))
    return publish(page)


def build_portal(cls):
    """Dutch pages under a Dutch, English and French home; the English café and the French library translated.

    Every event and partner says "lerende stad" in its summary (the factories' default), the child centre does
    not. The index is rebuilt at the end, so each class starts from what ``update_search_index`` writes.
    """
    cls.home, cls.locales = make_portal()
    cls.lindeveld = MunicipalityFactory(code="99001", name="Lindeveld")
    cls.oosterhout = MunicipalityFactory(code="99002", name="Oosterhout")
    cls.agenda = EventIndexPageFactory(parent=cls.home)
    cls.directory = PartnerIndexPageFactory(parent=cls.home)
    cls.centres = ChildCentreIndexPageFactory(parent=cls.home)

    cls.cafe = event(
        cls.agenda,
        "Taalcafé Nederlands",
        themes=["citizenship"],
        audiences=["newcomers", "adults"],
        municipality=cls.lindeveld,
    )
    cls.robots = event(
        cls.agenda,
        "STEM-workshop: robots bouwen",
        themes=["stem"],
        audiences=["children"],
        min_age=8,
        max_age=12,
        is_free=False,
        price="5.00",
        municipality=cls.oosterhout,
    )
    # Both about knitting; the shorter title would come first, but its only date has passed.
    cls.knitting = event(cls.agenda, "Breien voor beginners", themes=["arts-culture"], municipality=cls.lindeveld)
    cls.knitting_past = event(cls.agenda, "Breien", start_date=long_ago(), themes=["arts-culture", "stem"])
    # Names the chess club in its text only; the club's page names it in its title.
    cls.games = event(
        cls.agenda,
        "Bordspellenmiddag",
        body="<p>Schaken met de schaakclub, dammen en kaarten. De schaakclub legt de regels uit.</p>",
        themes=["citizenship"],
        audiences=["seniors"],
    )
    cls.chess_club = publish(ContentPageFactory(parent=cls.home, title="Schaakclub De Toren", intro="Elke week."))

    cls.library = publish(
        PartnerPageFactory(parent=cls.directory, title="Bibliotheek Lindeveld", municipality=cls.lindeveld)
    )
    cls.museum = publish(
        PartnerPageFactory(
            parent=cls.directory, title="Museum Oosterhout", kind=PartnerKind.MUSEUM, municipality=cls.oosterhout
        )
    )
    cls.centre = publish(
        ChildCentrePageFactory(
            parent=cls.centres,
            title="Kindcentrum De Regenboog",
            min_age_months=0,
            max_age_months=48,
            municipality=cls.oosterhout,
        )
    )

    sync_translation(cls.agenda, cls.locales["en"])
    cls.cafe_en = translate(cls.cafe, cls.locales["en"], title="Dutch language café", summary="Practise Dutch.")
    sync_translation(cls.directory, cls.locales["fr"])
    cls.library_fr = translate(cls.library, cls.locales["fr"], title="Bibliothèque Lindeveld", summary="Des livres.")
    cls.documents = rebuild_index().documents


class SearchClient:
    """Requests to the search API and page, for a ``TestCase``."""

    def api(self, q=None, locale="nl", **params):
        data = {"locale": locale, **params}
        if q is not None:
            data["q"] = q
        response = self.client.get(SEARCH_API, data)
        self.assertEqual(response.status_code, 200, response.content[:500])
        return response.json()

    def titles(self, q=None, locale="nl", **params):
        return [item["title"] for item in self.api(q, locale, limit=100, **params)["items"]]

    def autocomplete(self, q, locale="nl", **params):
        response = self.client.get(AUTOCOMPLETE_API, {"q": q, "locale": locale, **params})
        self.assertEqual(response.status_code, 200, response.content[:500])
        return [item["title"] for item in response.json()["items"]]

    def page(self, language="nl", **params):
        return self.client.get(search_url(language), params)


def build_small_portal(cls, *titles):
    """A portal with the SDG overview, a chess evening, and content pages with these ``titles``.

    The content pages are made live without being published (as an import would), so the index is rebuilt.
    """
    cls.home, cls.locales = make_portal()
    cls.agenda = EventIndexPageFactory(parent=cls.home)
    cls.sdgs = SDGIndexPageFactory(parent=cls.home)
    cls.chess = event(cls.agenda, "Schaakavond")
    cls.pages = [ContentPageFactory(parent=cls.home, title=title) for title in titles]
    cls.documents = rebuild_index().documents
