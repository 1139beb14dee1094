"""Partner editors submit, the municipality approves: an event goes live only when a municipal editor says so."""

from datetime import timedelta
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, TaskState, Workflow
from wagtail.test.utils import WagtailPageTestCase

from events.models import EventPage
from tests.events.factories import EventIndexPageFactory
from tests.learningcity.utils import make_portal

from .factories import PartnerIndexPageFactory, PartnerPageFactory
from .test_editor_scope import make_user
from .test_editors import event_form


def next_week() -> str:
    return (timezone.localdate() + timedelta(days=7)).isoformat()


class ModerationTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.agenda = EventIndexPageFactory(parent=cls.home)
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.library = PartnerPageFactory(parent=directory, title="Bibliotheek Noord", slug="bibliotheek-noord")
        call_command(
            "make_partner_editor", "lies", str(cls.library.pk), "--email", "lies@noord.example", stdout=StringIO()
        )
        cls.lies = get_user_model().objects.get(username="lies")
        cls.mira = make_user("mira", Group.objects.get(name="Municipal editors"))

    def submit(self, slug="voorlezen", **fields):
        self.client.force_login(self.lies)
        add = reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.library.pk])
        data = event_form(slug, action="submit") | {"start_date": next_week()} | fields
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(add, data)
        self.assertRedirects(response, reverse("wagtailadmin_explore", args=[self.library.pk]))
        return EventPage.objects.get(slug=slug)

    def act(self, user, event, action, comment=""):
        """``user`` takes ``action`` (approve, reject) on the event's open task; returns the response."""
        task_state = TaskState.objects.get(workflow_state__object_id=str(event.pk), status="in_progress")
        self.client.force_login(user)
        url = reverse("wagtailadmin_pages:workflow_action", args=[event.pk, action, task_state.pk])
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, {"comment": comment} if comment else {})

    def listed(self, event) -> bool:
        titles = [item["event"]["title"] for item in self.client.get("/api/v3/events/").json()["items"]]
        return event.title in titles and event.title in self.client.get(self.agenda.url).content.decode()

    def test_every_page_is_moderated_by_the_municipal_editors(self):
        workflow = Workflow.objects.get(name="Goedkeuring door de gemeente")
        self.assertTrue(workflow.active)
        for page in (Page.get_first_root_node(), self.home, self.library):
            self.assertEqual(page.get_workflow(), workflow)
        task = workflow.tasks.get().specific
        self.assertEqual(task.name, "Goedkeuring door de gemeentelijke redactie")
        self.assertIn(Group.objects.get(name="Municipal editors"), task.groups.all())
        self.assertFalse(Workflow.objects.filter(name="Moderators approval").exists())

    def test_a_submitted_event_goes_live_when_a_municipal_editor_approves(self):
        event = self.submit()
        self.assertFalse(event.live)
        self.client.logout()
        self.assertFalse(self.listed(event))
        # The municipal editors hear of it.
        self.assertIn("mira@proefstad.example", [address for message in mail.outbox for address in message.to])

        mail.outbox.clear()
        response = self.act(self.mira, event, "approve")
        self.assertEqual(response.status_code, 302)
        event.refresh_from_db()
        self.assertTrue(event.live)
        self.client.logout()
        self.assertTrue(self.listed(event))
        self.assertIn(event.title, self.client.get("/feeds/events.ics").content.decode())
        self.assertEqual([message.to for message in mail.outbox], [["lies@noord.example"]])

    def test_an_event_at_another_partners_venue_goes_live_when_approved(self):
        community_centre = PartnerPageFactory(
            parent=self.library.get_parent(), title="Buurthuis De Linde", slug="buurthuis-de-linde"
        )
        event = self.submit(venue=str(community_centre.pk))
        self.client.logout()
        self.assertFalse(self.listed(event))
        self.client.force_login(self.mira)
        dashboard = self.client.get(reverse("wagtailadmin_home")).content.decode()
        self.assertRegex(
            dashboard, r"(?s)Wacht op goedkeuring, met een andere partner.*Voorleesuurtje.*Buurthuis De Linde"
        )

        self.act(self.mira, event, "approve")
        event.refresh_from_db()
        self.assertTrue(event.live)
        self.assertEqual(event.venue_id, community_centre.pk)
        self.client.logout()
        self.assertTrue(self.listed(event))
        self.client.force_login(self.mira)
        dashboard = self.client.get(reverse("wagtailadmin_home")).content.decode()
        self.assertIn("Geen activiteit die op uw goedkeuring wacht, noemt een andere partner", dashboard)

    def test_a_rejected_event_returns_to_its_editor_with_the_comment(self):
        event = self.submit()
        mail.outbox.clear()
        self.act(self.mira, event, "reject", comment="Graag het adres van de zaal erbij.")
        event.refresh_from_db()
        self.assertFalse(event.live)
        self.assertEqual(event.current_workflow_state.status, "needs_changes")
        self.assertEqual(
            TaskState.objects.get(workflow_state__object_id=str(event.pk)).comment,
            "Graag het adres van de zaal erbij.",
        )
        self.assertEqual([message.to for message in mail.outbox], [["lies@noord.example"]])
        # The partner editor may change it again and submit anew.
        self.client.force_login(self.lies)
        edit = reverse("wagtailadmin_pages:edit", args=[event.pk])
        self.assertContains(self.client.get(edit), "Graag het adres van de zaal erbij.")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(edit, event_form(event.slug, title="Voorlezen in zaal 2", action="restart-workflow"))
        event.refresh_from_db()
        self.assertEqual(event.current_workflow_state.status, "in_progress")
        self.assertEqual(event.get_latest_revision_as_object().title, "Voorlezen in zaal 2")
        self.assertFalse(event.live)

    def test_a_partner_editor_can_neither_publish_nor_approve(self):
        self.client.force_login(self.lies)
        add = reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.library.pk])
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(add, event_form("meteen-live", action="publish"))
        self.assertFalse(EventPage.objects.get(slug="meteen-live").live)
        self.assertFalse(self.library.permissions_for_user(self.lies).can_publish())

        event = self.submit()
        response = self.act(self.lies, event, "approve")
        self.assertIn(response.status_code, (302, 403))
        event.refresh_from_db()
        self.assertFalse(event.live)
        self.assertEqual(event.current_workflow_state.status, "in_progress")
