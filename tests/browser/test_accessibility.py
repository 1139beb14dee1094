"""Every page type of the portal, in Dutch, English and French, passes axe-core's WCAG 2.0, 2.1 and 2.2 A and AA
rules: the home page, the agenda (unfiltered, filtered, with nothing found), a one-off event and a weekly one with
a cancelled date, the partner directory and a partner, the child centres and one centre, the SDG overview and a
goal, a content page, the search page (results, a corrected spelling, nothing found) and the page for an address
that does not exist."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation

from events.models import AudienceGroup, EventStatus, Theme
from learningcity.models import SDGTarget
from learningcity.search.index import rebuild_index

from ..events.factories import EventIndexPageFactory, EventPageFactory, publish
from ..learningcity.factories import ContentPageFactory, SDGIndexPageFactory
from ..learningcity.utils import make_portal
from ..partners.factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)
from ..search.utils import translate
from .base import BrowserTestCase

LANGUAGES = ("nl", "en", "fr")


class EveryPageTypePassesAxeTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        home, locales = make_portal()
        next_week = timezone.localdate() + timedelta(days=7)

        agenda = EventIndexPageFactory(parent=home, show_in_menus=True)
        directory = PartnerIndexPageFactory(parent=home, show_in_menus=True)
        centres = ChildCentreIndexPageFactory(parent=home, show_in_menus=True)
        sdgs = SDGIndexPageFactory(parent=home, show_in_menus=True)
        library = publish(
            PartnerPageFactory(
                parent=directory, title="Bibliotheek Noord", street="Markt 1", postcode="1234 AB", locality="Proefstad"
            )
        )
        centre = publish(
            ChildCentrePageFactory(parent=centres, title="Kindcentrum De Boog", min_age_months=0, max_age_months=48)
        )
        workshop = EventPageFactory(parent=agenda, title="Robots bouwen", start_date=next_week, venue=library)
        workshop.sdg_targets.set(SDGTarget.objects.filter(code__in=["4.4", "4.7"]))
        workshop.themes.set(Theme.objects.filter(code="stem"))
        workshop.audience_groups.set(AudienceGroup.objects.filter(code="children"))
        workshop = publish(workshop)
        course = EventPageFactory(
            parent=agenda,
            title="Taalcafé",
            start_date=next_week,
            frequency="weekly",
            until=next_week + timedelta(weeks=8),
            venue_name="Buurthuis De Brug",
        )
        course = publish(
            course,
            exceptions=[
                {"original_date": next_week + timedelta(weeks=1), "status": EventStatus.CANCELLED, "reason": "Ziek"}
            ],
        )
        content = ContentPageFactory(
            parent=home,
            title="Over de lerende stad",
            intro="Leren doe je je hele leven.",
            body=[
                ("heading", {"text": "Samen leren", "level": "h2"}),
                ("paragraph", "<p>Elke <b>wijk</b> heeft een leerpunt.</p>"),
                ("quote", {"quote": "Leren doe je samen.", "attribution": "Een bewoner"}),
                (
                    "call_to_action",
                    {"title": "Doe mee", "text": "Bekijk de agenda.", "page": agenda, "button_label": "Agenda"},
                ),
            ],
        )
        content.sdg_targets.set(SDGTarget.objects.filter(code="11.3"))
        content = publish(content)

        titles = {
            "en": {workshop: "Building robots", course: "Language café", content: "About the learning city"},
            "fr": {workshop: "Construire des robots", course: "Café des langues", content: "La ville apprenante"},
        }
        pages = {"nl": [agenda, directory, centres, sdgs, library, centre, workshop, course, content]}
        for code in ("en", "fr"):
            pages[code] = [
                translate(page, locales[code], **({"title": titles[code][page]} if page in titles[code] else {}))
                for page in pages["nl"]
            ]
        rebuild_index()

        self.paths = {}
        for code in LANGUAGES:
            agenda, directory, centres, sdgs, library, centre, workshop, course, content = pages[code]
            with translation.override(code):
                search = reverse("search")
            # Each page, and what shows that it is in the state meant.
            self.paths[code] = {
                "home": (f"/{code}/", "h1"),
                "agenda": (agenda.url, ".agenda-item"),
                "agenda, filtered": (agenda.url + "?theme=stem&audience=children&free=true&sdg=4", ".agenda-item"),
                "agenda, nothing found": (agenda.url + "?q=xylofoonqwz", ".empty-state"),
                "one-off event": (workshop.url, "h1"),
                "weekly event with a cancelled date": (course.url, ".is-cancelled"),
                "partner directory": (directory.url, "h1"),
                "partner": (library.url, "h1"),
                "child centres": (centres.url, "h1"),
                "child centre": (centre.url, "h1"),
                "SDG overview": (sdgs.url, ".sdg-goal"),
                "SDG goal": (sdgs.url + "4/", "h1"),
                "content page": (content.url, ".call-to-action"),
                "search, results": (search + "?q=bibliotheek", ".search-result"),
                "search, did you mean": (search + "?q=biblioteek", ".search-suggestion"),
                "search, nothing found": (search + "?q=xylofoonqwz", ".empty-state"),
            }

    def test_every_page_type_in_dutch_english_and_french(self):
        for code in LANGUAGES:
            # One page per language, as a resident who reads that language would browse.
            context = self.browser.new_context(locale=code)
            self.addCleanup(context.close)
            page = context.new_page()
            for name, (path, shown) in self.paths[code].items():
                with self.subTest(language=code, page=name):
                    response = page.goto(self.url(path))
                    self.assertEqual(response.status, 200, path)
                    self.assertGreater(page.locator(shown).count(), 0, f"{path}: no {shown}")
                    self.assertEqual(page.locator("html").get_attribute("lang"), code)
                    self.assertPassesAxe(page)
            with self.subTest(language=code, page="not found"):
                response = page.goto(self.url(f"/{code}/bestaat-niet/"))
                self.assertEqual(response.status, 404)
                self.assertEqual(page.locator("html").get_attribute("lang"), code)
                self.assertPassesAxe(page)
