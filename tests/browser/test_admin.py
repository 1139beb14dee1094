"""The admin in Chromium as the municipality's editors use it: signing in, editing an event and saving a draft,
under the site's Content-Security-Policy, without a script error, a refused resource or a call to another site."""

from django.contrib.auth import get_user_model

from events.models import EventPage

from ..events.factories import EventIndexPageFactory, EventPageFactory, publish
from ..learningcity.utils import make_portal
from .base import BrowserTestCase


class AdminInTheBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        home, _locales = make_portal()
        agenda = EventIndexPageFactory(parent=home)
        self.event = publish(EventPageFactory(parent=agenda, title="Taalcafé"))
        get_user_model().objects.create_superuser("redactie", "redactie@example.org", "een-lang-wachtwoord")

    def sign_in(self):
        self.page.goto(self.url("/admin/login/"))
        self.page.get_by_label("Gebruikersnaam").fill("redactie")
        self.page.get_by_label("Wachtwoord").fill("een-lang-wachtwoord")
        self.page.keyboard.press("Enter")
        self.page.wait_for_url(self.url("/admin/"))

    def test_an_editor_signs_in_edits_an_event_and_saves_a_draft(self):
        self.sign_in()
        self.page.goto(self.url(f"/admin/pages/{self.event.pk}/edit/"))
        title = self.page.locator("#id_title")
        title.fill("Taalcafé voor beginners")
        self.page.get_by_role("button", name="Bewaar concept").click()
        self.page.wait_for_load_state()
        self.page.locator(".messages").get_by_text("Taalcafé voor beginners").first.wait_for()
        self.assertEqual(
            EventPage.objects.get(pk=self.event.pk).get_latest_revision_as_object().title, "Taalcafé voor beginners"
        )
        # The published page is unchanged until the draft is published.
        self.assertEqual(EventPage.objects.get(pk=self.event.pk).title, "Taalcafé")
        self.assertEqual(self.console_errors, [])
