"""Partner editors keep their own partner's events up to date, in every language, and nothing else."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text
from wagtail.users.models import UserProfile

from events.models import EventPage
from tests.events.factories import EventPageFactory, publish
from tests.learningcity.utils import make_portal, sync_translation

from .factories import PartnerIndexPageFactory, PartnerPageFactory


def event_form(slug, title="Voorleesuurtje", action="publish"):
    """The event form as the admin posts it; partner editors ``submit`` (for moderation), municipal ones publish,
    ``action=None`` saves a draft."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "Voorlezen voor peuters.",
            "body": rich_text("<p>Welkom.</p>"),
            "start_date": "2026-03-04",
            "start_time": "14:00",
            "end_time": "15:00",
            "tzid": "Europe/Brussels",
            "interval": "1",
            "extra_dates": inline_formset([]),
            "excluded_dates": inline_formset([]),
            "occurrence_exceptions": inline_formset([]),
            "status": "scheduled",
            "attendance_mode": "offline",
            "is_free": "on",
            "currency": "EUR",
            "country": "BE",
            "registration_status": "open",
            **({f"action-{action}": action} if action else {}),
        }
    )


class PartnerEditorTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.library = PartnerPageFactory(parent=directory, title="Bibliotheek Proefstad", slug="bibliotheek")
        cls.school = PartnerPageFactory(parent=directory, title="Basisschool De Eik", slug="de-eik")
        cls.school_event = publish(EventPageFactory(parent=cls.school, slug="ouderavond"))
        for page in (directory, cls.library, cls.school, cls.school_event):
            sync_translation(page, cls.locales["fr"])
        sync_translation(directory, cls.locales["en"])
        cls.output = StringIO()
        call_command(
            "make_partner_editor", "lies", "bibliotheek", "--email", "lies@proefstad.example", stdout=cls.output
        )
        # Translated after the command ran: the partner editor group must cover it too.
        cls.library_en = sync_translation(cls.library, cls.locales["en"])
        cls.user = get_user_model().objects.get(username="lies")

    def login(self, language):
        profile = UserProfile.get_for_user(self.user)
        profile.preferred_language = language
        profile.save()
        self.client.force_login(self.user)

    def test_the_command_creates_a_user_without_a_password_in_the_partners_group(self):
        self.assertIn("Partner editors: Bibliotheek Proefstad", self.output.getvalue())
        self.assertFalse(self.user.has_usable_password())
        self.assertEqual(self.user.email, "lies@proefstad.example")
        group = self.user.groups.get()
        self.assertEqual(group.name, "Partner editors: Bibliotheek Proefstad")
        self.assertTrue(group.permissions.filter(codename="access_admin").exists())
        self.assertEqual(
            set(GroupPagePermission.objects.filter(group=group).values_list("page__locale__language_code", flat=True)),
            {"nl", "en", "fr"},
        )
        collection = Collection.objects.get(name="Bibliotheek Proefstad")
        self.assertEqual(
            set(GroupCollectionPermission.objects.filter(group=group).values_list("collection", flat=True)),
            {collection.pk},
        )

    def test_running_the_command_again_changes_nothing(self):
        counts = (Group.objects.count(), GroupPagePermission.objects.count(), Collection.objects.count())
        call_command("make_partner_editor", "lies", str(self.library.pk), stdout=StringIO())
        self.assertEqual(
            (Group.objects.count(), GroupPagePermission.objects.count(), Collection.objects.count()), counts
        )

    def test_an_unknown_partner_is_refused(self):
        with self.assertRaisesMessage(CommandError, "No partner page"):
            call_command("make_partner_editor", "lies", "nergens", stdout=StringIO())

    def test_a_partner_editor_creates_and_edits_events_of_their_own_partner(self):
        for language in ("nl", "fr"):
            with self.subTest(language=language):
                self.login(language)
                library = self.library.get_translation(self.locales[language])
                form = reverse("wagtailadmin_pages:add", args=["events", "eventpage", library.pk])
                response = self.client.get(form)
                self.assertContains(response, f'lang="{language}"')
                with self.captureOnCommitCallbacks(execute=True):
                    response = self.client.post(form, event_form(f"voorlezen-{language}", action="submit"))
                self.assertRedirects(response, reverse("wagtailadmin_explore", args=[library.pk]))
                event = EventPage.objects.get(slug=f"voorlezen-{language}")
                self.assertEqual(event.get_parent().pk, library.pk)
                self.assertFalse(event.live)  # it waits for a municipal editor's approval
                self.assertEqual(event.current_workflow_state.status, "in_progress")

                # Under review the page is locked for its submitter (Wagtail's group approval task).
                edit = reverse("wagtailadmin_pages:edit", args=[event.pk])
                with self.captureOnCommitCallbacks(execute=True):
                    self.client.post(edit, event_form(event.slug, title="Voorleesuurtje voor peuters", action=None))
                event.refresh_from_db()
                self.assertFalse(event.live)
                self.assertEqual(event.get_latest_revision_as_object().title, "Voorleesuurtje")

    def test_a_partner_editor_is_refused_another_partners_events(self):
        for language in ("nl", "fr"):
            with self.subTest(language=language):
                self.login(language)
                school = self.school.get_translation(self.locales[language])
                event = self.school_event.get_translation(self.locales[language])
                for response in (
                    self.client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])),
                    self.client.post(
                        reverse("wagtailadmin_pages:edit", args=[event.pk]), event_form(event.slug, "Weg", "submit")
                    ),
                    self.client.post(
                        reverse("wagtailadmin_pages:add", args=["events", "eventpage", school.pk]),
                        event_form(f"indringer-{language}", action="submit"),
                    ),
                ):
                    self.assertIn(response.status_code, (302, 403))
                    if response.status_code == 302:
                        self.assertEqual(response.url, reverse("wagtailadmin_home"))
                event.refresh_from_db()
                self.assertNotEqual(event.title, "Weg")
                self.assertFalse(EventPage.objects.filter(slug=f"indringer-{language}").exists())

    def test_snippets_stay_with_the_municipal_editors(self):
        self.login("nl")
        response = self.client.get(reverse("wagtailsnippets_partners_network:list"))
        self.assertIn(response.status_code, (302, 403))

    def test_a_translation_made_after_the_command_is_covered(self):
        group = self.user.groups.get()
        self.assertTrue(GroupPagePermission.objects.filter(group=group, page=self.library_en).exists())
        self.assertTrue(self.library_en.permissions_for_user(self.user).can_add_subpage())
        self.assertFalse(self.school.permissions_for_user(self.user).can_add_subpage())


class MunicipalEditorsTests(WagtailPageTestCase):
    def test_the_municipal_editors_group_edits_and_publishes_all_pages_snippets_and_media(self):
        group = Group.objects.get(name="Municipal editors")
        root = Page.get_first_root_node()
        self.assertEqual(
            set(
                GroupPagePermission.objects.filter(group=group, page=root).values_list(
                    "permission__codename", flat=True
                )
            ),
            {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"},
        )
        codenames = set(group.permissions.values_list("codename", flat=True))
        self.assertTrue({"access_admin", "change_network", "change_partnership", "change_footertext"} <= codenames)
        self.assertTrue(
            {"add_image", "choose_document"}
            <= set(GroupCollectionPermission.objects.filter(group=group).values_list("permission__codename", flat=True))
        )
