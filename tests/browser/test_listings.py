"""The listings as a resident sees them on a desktop and on a phone: the first result shows without scrolling, the
filters open from the keyboard behind a "Filter" toggle on a phone, and the form submits from there."""

from datetime import timedelta

from django.utils import timezone

from partners.models import Language

from ..events.factories import EventIndexPageFactory, EventPageFactory, publish
from ..learningcity.factories import ContentPageFactory
from ..learningcity.utils import make_portal
from ..partners.factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    MunicipalityFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)
from .base import BrowserTestCase

SCREENS = {"desktop": (1280, 900), "phone": (390, 844)}


class ListingsInTheFirstScreenTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        home, _locales = make_portal()
        # Enough municipalities and partners that the filter forms are as long as a real city's.
        municipalities = [MunicipalityFactory(code=f"990{n:02}", name=f"Gemeente {n}") for n in range(12)]
        self.directory = PartnerIndexPageFactory(parent=home)
        for n in range(8):
            publish(
                PartnerPageFactory(parent=self.directory, title=f"Bibliotheek {n}", municipality=municipalities[n % 12])
            )
        self.centres = ChildCentreIndexPageFactory(parent=home)
        for n in range(3):
            publish(ChildCentrePageFactory(parent=self.centres, title=f"Kindcentrum {n}"))
        self.agenda = EventIndexPageFactory(parent=home)
        next_week = timezone.localdate() + timedelta(days=7)
        for n in range(6):
            event = EventPageFactory(parent=self.agenda, title=f"Taalcafé {n}", start_date=next_week)
            event.languages.set(Language.objects.filter(code="nl" if n % 2 else "fr"))
            publish(event)
        self.listings = {
            "agenda": (self.agenda.url, ".agenda-item"),
            "directory": (self.directory.url, ".results .card"),
            "child centres": (self.centres.url, ".results .card"),
            "search": ("/nl/zoeken/?q=taalcafe", ".search-result"),
        }

    def test_no_page_is_wider_than_a_phone_even_with_a_long_menu(self):
        # WCAG 1.4.10 (reflow): the menu scrolls in its own row; the page itself never scrolls sideways.
        home = self.agenda.get_parent()
        for title in ("Over de lerende stad", "Leven lang leren", "Duurzame ontwikkelingsdoelen", "Contact"):
            ContentPageFactory(parent=home, title=title, show_in_menus=True)
        self.page.set_viewport_size({"width": 390, "height": 844})
        for path in ("/nl/", self.agenda.url, self.directory.url):
            with self.subTest(path=path):
                self.page.goto(self.url(path))
                self.assertGreaterEqual(self.page.locator(".main-nav li").count(), 4)
                self.assertLessEqual(self.page.evaluate("document.documentElement.scrollWidth"), 390)

    def test_the_first_result_of_every_listing_shows_without_scrolling(self):
        for screen, (width, height) in SCREENS.items():
            self.page.set_viewport_size({"width": width, "height": height})
            for name, (path, selector) in self.listings.items():
                with self.subTest(screen=screen, listing=name):
                    response = self.page.goto(self.url(path))
                    self.assertEqual(response.status, 200)
                    first = self.page.locator(selector).first
                    first.wait_for()
                    box = first.bounding_box()
                    self.assertLess(box["y"], height, f"{name}: the first result starts {box['y']:.0f} px down")
                    self.assertGreaterEqual(box["x"], 0)
                    self.assertLessEqual(box["x"] + box["width"], width + 1, f"{name} is wider than the screen")
        self.assertEqual(self.console_errors, [])

    def test_a_phone_user_opens_the_filters_with_the_keyboard_and_applies_one(self):
        self.page.set_viewport_size({"width": 390, "height": 844})
        self.page.goto(self.url(self.agenda.url))
        toggle = self.page.locator("#filter-panel > summary")
        self.assertEqual(toggle.inner_text().strip(), "Filter")
        self.assertFalse(self.page.get_by_role("button", name="Toon activiteiten").first.is_visible())
        # From the top of the page: the skip links, the site's name, … until the toggle has the focus.
        for _press in range(60):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("document.activeElement.tagName") == "SUMMARY":
                break
        else:
            self.fail("The Filter toggle cannot be reached with the Tab key.")
        self.page.keyboard.press("Enter")
        self.assertTrue(self.page.locator("#filter-panel").evaluate("panel => panel.open"))
        french = self.page.get_by_label("Frans", exact=True)
        french.focus()
        self.page.keyboard.press("Space")
        self.assertTrue(french.is_checked())
        # The button that applies the filters is at the form's top and at its foot.
        top, foot = self.page.get_by_role("button", name="Toon activiteiten").all()
        self.assertLess(top.bounding_box()["y"], french.bounding_box()["y"])
        self.assertGreater(foot.bounding_box()["y"], french.bounding_box()["y"])
        foot.focus()
        self.page.keyboard.press("Enter")
        self.page.wait_for_url("**language=fr*")
        self.assertEqual(self.page.locator(".agenda-item").count(), 3)
        chip = self.page.get_by_role("link", name="Verwijder filter: Taal: Frans")
        self.assertTrue(chip.is_visible())
        chip.click()
        self.page.wait_for_url(self.url(self.agenda.url))
        self.assertEqual(self.page.locator(".agenda-item").count(), 6)
        self.assertEqual(self.console_errors, [])

    def test_the_skip_link_leads_to_the_results(self):
        self.page.goto(self.url(self.directory.url))
        self.page.keyboard.press("Tab")
        self.page.keyboard.press("Tab")
        skip = self.page.get_by_role("link", name="Naar de resultaten")
        self.assertTrue(skip.evaluate("link => link === document.activeElement"))
        self.assertTrue(skip.is_visible())
        self.page.keyboard.press("Enter")
        self.assertEqual(self.page.evaluate("document.activeElement.id"), "results")
