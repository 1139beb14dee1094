"""The portal as a resident's browser shows it: every page type renders with no script or policy error, a resident
searches, filters the agenda and changes the language with the keyboard alone and always sees where the focus is, a
calendar address copies with a click, and the embed shows on another site while the portal's pages refuse to."""

from datetime import timedelta

from django.utils import timezone

from events.models import AudienceGroup
from learningcity.models import SDGTarget

from ..events.factories import EventIndexPageFactory, EventPageFactory, publish
from ..learningcity.factories import ContentPageFactory, SDGIndexPageFactory
from ..learningcity.utils import make_portal, sync_translation
from ..partners.factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)
from ..search.utils import translate
from .base import BrowserTestCase


class PortalInTheBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        home, self.locales = make_portal()
        directory = PartnerIndexPageFactory(parent=home)
        self.partner = publish(PartnerPageFactory(parent=directory, title="Bibliotheek Noord"))
        centres = ChildCentreIndexPageFactory(parent=home)
        self.centre = publish(ChildCentrePageFactory(parent=centres, title="Kindcentrum De Boog"))
        self.agenda = EventIndexPageFactory(parent=home)
        next_week = timezone.localdate() + timedelta(days=7)
        self.taalcafe = EventPageFactory(parent=self.agenda, title="Taalcafé", start_date=next_week)
        self.taalcafe.sdg_targets.set(SDGTarget.objects.filter(code="4.6"))
        publish(self.taalcafe)
        self.robots = EventPageFactory(parent=self.agenda, title="Robots bouwen", start_date=next_week)
        self.robots.audience_groups.set(AudienceGroup.objects.filter(code="children"))
        publish(self.robots)
        self.sdgs = SDGIndexPageFactory(parent=home)
        self.content = ContentPageFactory(parent=home, title="Over de lerende stad")

    def visit(self, path: str):
        response = self.page.goto(self.url(path))
        self.assertEqual(response.status, 200, path)
        return response

    def test_every_page_type_renders_without_errors(self):
        paths = [
            "/nl/",
            self.agenda.url,
            self.taalcafe.url,
            self.partner.get_parent().url,
            self.partner.url,
            self.centre.get_parent().url,
            self.centre.url,
            self.sdgs.url,
            self.sdgs.url + "4/",
            self.content.url,
            "/nl/zoeken/?q=taal",
        ]
        for path in paths:
            with self.subTest(path=path):
                self.console_errors.clear()
                self.visit(path)
                self.assertTrue(self.page.locator("h1").first.is_visible(), path)
                # A Content-Security-Policy violation, a missing file or a script error shows here.
                self.assertEqual(self.console_errors, [], path)

    def test_a_resident_filters_the_agenda_with_the_keyboard(self):
        self.visit(self.agenda.url)
        self.assertEqual(self.page.get_by_role("link", name="Robots bouwen").count(), 1)
        search = self.page.get_by_label("Zoek op titel of beschrijving")
        search.focus()
        self.page.keyboard.type("Taalcafé")
        self.page.keyboard.press("Enter")
        self.page.wait_for_url("**q=Taalcaf*")
        # Exactly: the chip that removes the search is named after it too.
        self.assertEqual(self.page.get_by_role("link", name="Taalcafé", exact=True).count(), 1)
        self.assertEqual(self.page.get_by_role("link", name="Robots bouwen").count(), 0)
        self.assertEqual(self.console_errors, [])

    def test_a_resident_filters_the_agenda_by_a_checkbox_with_the_keyboard(self):
        self.visit(self.agenda.url)
        # Past the header by the skip link, which shows as it gets the focus.
        self.tab_to(".skip-link", limit=1)
        self.page.keyboard.press("Enter")
        self.assertEqual(self.page.evaluate("document.activeElement.id"), "main")
        self.tab_to("#id_q", limit=2)  # past the button that applies the filters, at the form's top
        self.tab_to('input[name="audience"][value="children"]')
        self.page.keyboard.press("Space")
        self.assertTrue(self.page.evaluate("document.activeElement.checked"))
        self.tab_to('.filters button[type="submit"]', limit=120)  # past every filter's options
        self.page.keyboard.press("Enter")
        self.page.wait_for_url("**audience=children*")
        self.assertEqual(self.page.get_by_role("link", name="Robots bouwen").count(), 1)
        self.assertEqual(self.page.get_by_role("link", name="Taalcafé").count(), 0)
        self.assertTrue(self.page.get_by_label("Kinderen").is_checked())
        self.assertEqual(self.console_errors, [])

    def test_a_resident_changes_the_language_with_the_keyboard_and_keeps_the_filters(self):
        sync_translation(self.agenda, self.locales["en"])
        translate(self.robots, self.locales["en"], title="Building robots")
        self.visit(self.agenda.url + "?audience=children")
        self.tab_to('.language-switcher a[hreflang="en"]')
        self.page.keyboard.press("Enter")
        self.page.wait_for_url(self.url("/en/agenda/?audience=children"))
        self.assertEqual(self.page.locator("html").get_attribute("lang"), "en")
        self.assertEqual(self.page.locator("h1").inner_text(), "Agenda")
        self.assertTrue(self.page.get_by_label("Children").is_checked())
        self.assertEqual(self.page.get_by_role("link", name="Building robots").count(), 1)
        self.assertEqual(self.console_errors, [])

    def test_a_resident_searches_from_the_header_with_the_keyboard(self):
        self.visit(self.content.url)
        self.tab_to("#site-search-q")
        box = self.page.get_by_role("search", name="Zoeken op de site").get_by_label("Zoeken")
        self.assertTrue(box.evaluate("element => element === document.activeElement"))
        self.page.keyboard.type("taal")
        # The titles offered as the resident types (the form works without them).
        self.page.locator("#site-search-q-suggestions option").first.wait_for(state="attached", timeout=10_000)
        offered = self.page.eval_on_selector_all("#site-search-q-suggestions option", "os => os.map(o => o.value)")
        self.assertEqual(offered, ["Taalcafé"])
        self.page.keyboard.press("Enter")
        self.page.wait_for_url("**/nl/zoeken/?q=taal")
        count = self.page.locator("#results-heading")
        self.assertEqual(count.get_attribute("aria-live"), "polite")
        self.assertRegex(count.inner_text(), r"^\d+ resulta(at|ten)$")
        first = self.page.locator(".search-result h3 a").first
        self.assertEqual(first.inner_text(), "Taalcafé")
        self.assertEqual(self.page.get_by_role("link", name="Robots bouwen").count(), 0)
        self.assertEqual(self.console_errors, [])

    def test_a_resident_copies_an_events_calendar_address(self):
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=self.live_server_url)
        self.visit(self.taalcafe.url)
        address = self.page.get_by_label("Kopieer dit adres naar uw agenda-app").input_value()
        self.assertTrue(address.endswith(f"/feeds/events/{self.taalcafe.uuid}.ics?locale=nl"), address)
        self.page.get_by_role("button", name="Kopiëren").click()
        # The clipboard answers asynchronously: the status says so once it has.
        self.page.locator(".copy-status").get_by_text("Het adres is gekopieerd.", exact=True).wait_for()
        self.assertEqual(self.page.evaluate("navigator.clipboard.readText()"), address)
        self.assertEqual(self.console_errors, [])

    def test_another_site_can_embed_the_agenda_but_not_frame_the_portal(self):
        other = self.serve_other_site(
            "<!doctype html><title>Bibliotheek</title>"
            f'<iframe id="embed" title="Agenda" src="{self.url("/embed/events/?locale=nl")}"></iframe>'
            f'<iframe id="portal" title="Portaal" src="{self.url(self.agenda.url)}"></iframe>'
        )
        self.page.goto(other)
        embed = self.page.frame_locator("#embed")
        embed.get_by_role("link", name="Taalcafé").wait_for()
        self.assertEqual(embed.get_by_role("link", name="Robots bouwen").count(), 1)
        # The portal's own pages allow no frame (frame-ancestors 'none'): Chromium shows nothing of them.
        self.page.wait_for_timeout(500)
        portal = self.page.frame(url=lambda url: url.startswith(self.live_server_url) and "/embed/" not in url)
        self.assertTrue(portal is None or portal.locator("h1").count() == 0)
