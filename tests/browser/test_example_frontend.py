"""The example front-end (``examples/frontend/``) on another site, in Chromium: the agenda with its filters and an
event, the directory and a partner, through the REST API alone, as the README's integrator section promises."""

from datetime import time, timedelta
from pathlib import Path

from django.test import override_settings
from django.utils import timezone

from partners.models import PartnerOpeningHours

from ..events.factories import EventIndexPageFactory, EventPageFactory, publish
from ..learningcity.utils import make_portal
from ..partners.factories import PartnerIndexPageFactory, PartnerPageFactory
from .base import BrowserTestCase

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "frontend"


class ExampleFrontEndTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        home, _locales = make_portal()
        directory = PartnerIndexPageFactory(parent=home)
        self.library = publish(
            PartnerPageFactory(parent=directory, title="Bibliotheek Noord", street="Markt 1", locality="Proefstad")
        )
        publish(PartnerPageFactory(parent=directory, title="Repair Café Zuid", kind="community-centre"))
        agenda = EventIndexPageFactory(parent=home)
        next_week = timezone.localdate() + timedelta(days=7)
        self.taalcafe = taalcafe = EventPageFactory(
            parent=agenda,
            title="Taalcafé",
            summary="Samen Nederlands oefenen.",
            start_date=next_week,
            venue=self.library,
        )
        publish(taalcafe)
        publish(EventPageFactory(parent=agenda, title="Robots bouwen", start_date=next_week, is_free=True))
        self.site = self.serve_other_site(directory=EXAMPLE)

    def open(self):
        self.page.goto(f"{self.site}?api={self.live_server_url}")

    def test_the_agenda_lists_filters_and_opens_an_event(self):
        with override_settings(CORS_ALLOWED_ORIGINS=[self.site.rstrip("/")]):
            self.open()
            results = self.page.locator("#agenda .results")
            results.get_by_text("Taalcafé", exact=True).wait_for()
            self.assertEqual(self.page.locator("#agenda .status").text_content(), "2 data")
            # Filter from the keyboard: the search box, then Enter.
            self.page.get_by_label("Zoeken").first.fill("robots")
            self.page.keyboard.press("Enter")
            self.page.locator("#agenda .status").get_by_text("1 datum").wait_for()
            self.assertEqual(results.locator(".title").all_text_contents(), ["Robots bouwen"])
            # An event opens in place: its summary, venue and a link to its page on the portal.
            self.page.get_by_label("Zoeken").first.fill("")
            self.page.keyboard.press("Enter")
            self.page.locator("#agenda .status").get_by_text("2 data").wait_for()
            results.get_by_text("Taalcafé", exact=True).click()
            results.get_by_text("Samen Nederlands oefenen.").wait_for(
                state="visible"
            )  # shown once the click is handled
            results.get_by_text("Bibliotheek Noord, Markt 1, Proefstad").wait_for(
                state="visible"
            )  # shown once the click is handled
            self.assertEqual(self.console_errors, [])

    def test_the_directory_lists_and_opens_a_partner_in_english(self):
        with override_settings(CORS_ALLOWED_ORIGINS=[self.site.rstrip("/")]):
            self.open()
            self.page.get_by_role("button", name="English").click()
            self.page.get_by_role("link", name="Partners").click()
            results = self.page.locator("#partners .results")
            results.get_by_text("Bibliotheek Noord", exact=True).wait_for()
            self.assertEqual(self.page.locator("#partners .status").text_content(), "2 organisations")
            self.assertEqual(self.page.locator("html").get_attribute("lang"), "en")
            results.get_by_text("Bibliotheek Noord", exact=True).click()
            results.get_by_text("Markt 1").first.wait_for(state="visible")
            # The kinds come from /api/v3/terms/, labelled in English.
            self.assertEqual(results.locator(".kind").all_text_contents(), ["Library", "Cultural or community centre"])
            self.page.get_by_label("Kind").select_option(label="Library")
            self.page.get_by_role("button", name="Show").last.click()
            self.page.locator("#partners .status").get_by_text("1 organisation").wait_for()
            self.assertEqual(results.locator(".title").all_text_contents(), ["Bibliotheek Noord"])
            self.assertEqual(self.console_errors, [])

    def test_an_event_and_a_partner_open_on_a_page_of_their_own_from_a_deep_link(self):
        self.taalcafe.body = "<p>Neem je <b>woordenboek</b> mee.</p><script>window.ran = true</script>"
        publish(self.taalcafe)
        self.library.opening_hours = [PartnerOpeningHours(first_day=0, last_day=4, opens=time(9), closes=time(17))]
        publish(self.library)
        with override_settings(CORS_ALLOWED_ORIGINS=[self.site.rstrip("/")]):
            self.open()
            results = self.page.locator("#agenda .results")
            results.get_by_text("Taalcafé", exact=True).click()
            results.get_by_role("link", name="Meer over Taalcafé").click()
            detail = self.page.locator("#detail")
            detail.get_by_role("heading", level=1, name="Taalcafé").wait_for()
            self.assertTrue(self.page.url.endswith(f"#event/{self.taalcafe.uuid}"))
            # The body's rich text, copied as text and allowed tags: its script never runs.
            self.assertEqual(detail.locator(".rich-text b").text_content(), "woordenboek")
            self.assertIsNone(self.page.evaluate("window.ran"))
            self.assertEqual(detail.locator(".dates li").count(), 1)
            self.assertEqual(self.page.locator('header a[aria-current="page"]').text_content(), "Agenda")
            # A deep link to a partner, in a fresh page.
            self.page.goto(f"{self.site}?api={self.live_server_url}#partner/{self.library.translation_key}")
            detail.get_by_role("heading", level=1, name="Bibliotheek Noord").wait_for()
            self.assertIn("09:00–17:00", detail.locator(".opening-hours").text_content())
            self.assertNotIn("null", detail.text_content())
            detail.get_by_role("link", name="Terug").click()
            self.page.locator("#partners .results").get_by_text("Bibliotheek Noord", exact=True).wait_for()
            self.assertEqual(self.console_errors, [])

    def test_without_cors_permission_the_browser_refuses_and_the_page_says_so(self):
        with override_settings(CORS_ALLOWED_ORIGINS=[]):
            self.open()
            status = self.page.locator("#agenda .status")
            status.get_by_text("De gegevens konden niet worden geladen.", exact=False).wait_for()
            self.assertEqual(self.page.locator("#agenda .results li").count(), 0)
