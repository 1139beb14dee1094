"""A partner editor acts for their own partner only: its group, its events' organisers and venue, no site reports."""

import re
from io import StringIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission
from wagtail.test.utils import WagtailPageTestCase
from wagtail.users.models import UserProfile

from events.forms import NEEDS_APPROVAL
from events.models import EventPage
from partners.editors import rekey_editor_groups
from partners.models import PartnerEditorGroup
from tests.events.factories import EventPageFactory, publish
from tests.learningcity.utils import make_portal, sync_translation

from .factories import PartnerIndexPageFactory, PartnerPageFactory
from .test_editors import event_form

REPORTS = ("site_history", "aging_pages", "locked_pages", "workflow", "workflow_tasks", "page_types_usage")


def make_user(username, *groups, language="nl"):
    user = get_user_model().objects.create_user(username, f"{username}@proefstad.example", "wachtwoord")
    user.groups.add(*groups)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


class EqualTitlesTests(WagtailPageTestCase):
    """Two partners with one title (as a CSV import makes them): each has its own editors."""

    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.first = PartnerPageFactory(parent=directory, title="Bibliotheek", slug="bibliotheek-noord")
        cls.second = PartnerPageFactory(parent=directory, title="Bibliotheek", slug="bibliotheek-zuid")
        for page in (directory, cls.first, cls.second):
            sync_translation(page, cls.locales["fr"])
        cls.second_event = publish(EventPageFactory(parent=cls.second, slug="voorlezen-zuid"))
        cls.first_event = publish(EventPageFactory(parent=cls.first, slug="voorlezen-noord"))
        for username, partner in (("lies", cls.first), ("piet", cls.second)):
            call_command("make_partner_editor", username, str(partner.pk), stdout=StringIO())
        users = get_user_model().objects
        cls.lies, cls.piet = users.get(username="lies"), users.get(username="piet")
        cls.municipal = make_user("mira", Group.objects.get(name="Municipal editors"))

    def test_each_partner_gets_its_own_group_and_collection(self):
        first_group, second_group = self.lies.groups.get(), self.piet.groups.get()
        self.assertNotEqual(first_group, second_group)
        self.assertEqual(first_group.name, "Partner editors: Bibliotheek")
        self.assertEqual(second_group.name, f"Partner editors: Bibliotheek #{self.second.pk}")
        for group, partner in ((first_group, self.first), (second_group, self.second)):
            with self.subTest(group=group.name):
                self.assertEqual(group.partner_editors.translation_key, partner.translation_key)
                self.assertEqual(
                    set(GroupPagePermission.objects.filter(group=group).values_list("page", flat=True)),
                    set(partner.get_translations(inclusive=True).values_list("pk", flat=True)),
                )
        collections = {
            group.pk: set(GroupCollectionPermission.objects.filter(group=group).values_list("collection", flat=True))
            for group in (first_group, second_group)
        }
        self.assertEqual(len(collections[first_group.pk]), 1)
        self.assertTrue(collections[first_group.pk].isdisjoint(collections[second_group.pk]))

    def test_a_partner_editor_cannot_edit_or_publish_the_other_partners_pages(self):
        self.client.force_login(self.lies)
        self.assertEqual(self.client.get(reverse("wagtailadmin_pages:edit", args=[self.first.pk])).status_code, 200)
        for page in (self.second, self.second.get_translation(self.locales["fr"]), self.second_event):
            with self.subTest(page=page.pk):
                self.assertFalse(page.permissions_for_user(self.lies).can_edit())
                self.assertFalse(page.permissions_for_user(self.lies).can_publish())
                edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
                for response in (
                    self.client.get(edit),
                    self.client.post(edit, {"title": "Overgenomen", "slug": page.slug, "action-publish": "1"}),
                ):
                    self.assertIn(response.status_code, (302, 403))
                    if response.status_code == 302:
                        self.assertEqual(response.url, reverse("wagtailadmin_home"))
                page.refresh_from_db()
                self.assertNotEqual(page.title, "Overgenomen")
                self.assertFalse(page.has_unpublished_changes)

    def test_a_partner_editor_names_another_partner_for_the_municipality_to_approve(self):
        self.client.force_login(self.lies)
        other = self.second.get_translation(self.locales["fr"])
        add = reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.first.pk])
        data = event_form("bij-de-buren", action="submit") | {
            "organisers": [str(self.first.pk), str(self.second.pk)],
            "venue": str(other.pk),
        }
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(add, data)
        self.assertRedirects(response, reverse("wagtailadmin_explore", args=[self.first.pk]))
        event = EventPage.objects.get(slug="bij-de-buren")
        self.assertFalse(event.live)  # waits for approval
        self.assertEqual(event.venue_id, other.pk)
        self.assertEqual(set(event.organisers.values_list("pk", flat=True)), {self.first.pk, self.second.pk})
        self.assertEqual(event.current_workflow_state.status, "in_progress")
        # The approvers' dashboard names the event and the other partner; the partner editor's has no such panel.
        self.client.force_login(self.municipal)
        panel = self.panel(self.client.get(reverse("wagtailadmin_home")))
        self.assertIn("Voorleesuurtje", panel)
        self.assertIn("Bibliotheek", panel)
        self.client.force_login(self.lies)
        self.assertIsNone(self.panel(self.client.get(reverse("wagtailadmin_home")), required=False))

    def test_a_partner_editor_adds_another_partner_to_a_live_event_for_approval(self):
        self.client.force_login(self.lies)
        edit = reverse("wagtailadmin_pages:edit", args=[self.first_event.pk])
        data = event_form(self.first_event.slug, title="Samen met de buren", action="submit") | {
            "organisers": [str(self.second.pk)]
        }
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(edit, data)
        self.assertRedirects(response, reverse("wagtailadmin_explore", args=[self.first.pk]))
        self.first_event.refresh_from_db()
        # What is live is unchanged until a municipal editor approves.
        self.assertNotEqual(self.first_event.title, "Samen met de buren")
        self.assertFalse(self.first_event.organisers.exists())
        submitted = self.first_event.get_latest_revision_as_object()
        self.assertEqual([partner.pk for partner in submitted.organisers.all()], [self.second.pk])
        self.client.force_login(self.municipal)
        self.assertIn("Samen met de buren", self.panel(self.client.get(reverse("wagtailadmin_home"))))

    def panel(self, response, required=True):
        """The text of the dashboard panel of submissions naming another partner (``None`` if it is not there)."""
        found = re.search(r'id="other_partners_awaiting_approval.*?</section>', response.content.decode(), re.S)
        if required:
            self.assertIsNotNone(found, "no panel of submissions naming another partner")
        return found and found.group(0)

    def test_a_partner_editor_names_their_own_partner_in_any_language(self):
        self.client.force_login(self.lies)
        own_french = self.first.get_translation(self.locales["fr"])
        add = reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.first.pk])
        data = event_form("bij-ons", action="submit") | {
            "organisers": [str(self.first.pk), str(own_french.pk)],
            "venue": str(self.first.pk),
        }
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(add, data)
        self.assertRedirects(response, reverse("wagtailadmin_explore", args=[self.first.pk]))
        event = EventPage.objects.get(slug="bij-ons")
        self.assertFalse(event.live)  # submitted for approval
        self.assertEqual(event.venue_id, self.first.pk)
        self.assertEqual(set(event.organisers.values_list("pk", flat=True)), {self.first.pk, own_french.pk})

    def test_a_partner_editor_is_offered_every_partner_once_and_told_it_needs_approval(self):
        self.client.force_login(self.lies)
        response = self.client.get(reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.first.pk]))
        html = response.content.decode()
        select = re.search(r'<select name="organisers"[^>]*>(.*?)</select>', html, re.S)
        # Each partner once, as the copy in the event's language (both have a French one too).
        self.assertEqual(
            sorted(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<', select.group(1))),
            sorted(
                [
                    (str(self.first.pk), "Bibliotheek (bibliotheek-noord)"),
                    (str(self.second.pk), "Bibliotheek (bibliotheek-zuid)"),
                ]
            ),
        )
        self.assertNotIn('<select name="venue"', html)  # the page chooser, as municipal editors have it
        with translation.override("nl"):
            notice = str(NEEDS_APPROVAL)
        with translation.override("en"):
            self.assertNotEqual(str(NEEDS_APPROVAL), notice)  # the Dutch admin says it in Dutch
        self.assertContains(response, notice, count=2)

    def test_the_organiser_list_names_each_partner_once(self):
        self.client.force_login(self.municipal)
        response = self.client.get(reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.first.pk]))
        select = re.search(r'<select name="organisers"[^>]*>(.*?)</select>', response.content.decode(), re.S)
        offered = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<', select.group(1))
        # Each partner once, though both have a French copy; equal titles are told apart by their slugs.
        self.assertEqual(
            sorted(offered),
            sorted(
                [
                    (str(self.first.pk), "Bibliotheek (bibliotheek-noord)"),
                    (str(self.second.pk), "Bibliotheek (bibliotheek-zuid)"),
                ]
            ),
        )

    def test_a_municipal_editor_names_any_partner_and_edits_every_partners_pages(self):
        self.client.force_login(self.municipal)
        self.assertEqual(self.client.get(reverse("wagtailadmin_pages:edit", args=[self.second.pk])).status_code, 200)
        add = reverse("wagtailadmin_pages:add", args=["events", "eventpage", self.first.pk])
        data = event_form("samen") | {
            "organisers": [str(self.first.pk), str(self.second.pk)],
            "venue": str(self.second.pk),
        }
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(add, data)
        self.assertRedirects(response, reverse("wagtailadmin_explore", args=[self.first.pk]))
        event = EventPage.objects.get(slug="samen")
        self.assertTrue(event.live)
        self.assertEqual(event.venue_id, self.second.pk)
        self.assertEqual(set(event.organisers.values_list("pk", flat=True)), {self.first.pk, self.second.pk})

    def test_a_partner_editor_keeps_a_partner_the_municipality_added(self):
        self.first_event.organisers.set([self.first, self.second])
        publish(self.first_event)
        self.client.force_login(self.lies)
        edit = reverse("wagtailadmin_pages:edit", args=[self.first_event.pk])
        data = event_form(self.first_event.slug, title="Voorlezen met de buren", action="submit") | {
            "organisers": [str(self.first.pk), str(self.second.pk)]
        }
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(edit, data)
        self.assertRedirects(response, reverse("wagtailadmin_explore", args=[self.first.pk]))
        self.first_event.refresh_from_db()
        submitted = self.first_event.get_latest_revision_as_object()
        self.assertEqual(submitted.title, "Voorlezen met de buren")
        self.assertEqual({partner.pk for partner in submitted.organisers.all()}, {self.first.pk, self.second.pk})

    def test_partner_editors_get_no_site_wide_reports(self):
        self.client.force_login(self.lies)
        home = self.client.get(reverse("wagtailadmin_home"))
        for report in REPORTS:
            with self.subTest(report=report):
                url = reverse(f"wagtailadmin_reports:{report}")
                self.assertNotContains(home, url)
                response = self.client.get(url)
                self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)
                response = self.client.get(reverse(f"wagtailadmin_reports:{report}_results"))
                self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)

    def test_municipal_editors_keep_the_site_wide_reports(self):
        self.client.force_login(self.municipal)
        home = self.client.get(reverse("wagtailadmin_home"))
        for report in ("site_history", "aging_pages"):
            with self.subTest(report=report):
                url = reverse(f"wagtailadmin_reports:{report}")
                self.assertContains(home, url)
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_partner_editor_who_also_edits_elsewhere_sees_the_reports(self):
        self.piet.groups.add(Group.objects.get(name="Municipal editors"))
        self.client.force_login(self.piet)
        self.assertEqual(self.client.get(reverse("wagtailadmin_reports:site_history")).status_code, 200)


class RekeyEditorGroupsTests(WagtailPageTestCase):
    """The data migration: groups named after a title become groups keyed to a partner."""

    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        directory = PartnerIndexPageFactory(parent=cls.home)
        cls.north = PartnerPageFactory(parent=directory, title="Bibliotheek", slug="bibliotheek-noord")
        cls.south = PartnerPageFactory(parent=directory, title="Bibliotheek", slug="bibliotheek-zuid")
        cls.school = PartnerPageFactory(parent=directory, title="De Eik", slug="de-eik")
        for page in (directory, cls.north, cls.south):
            sync_translation(page, cls.locales["fr"])
        root = Collection.get_first_root_node()
        admin_access = Permission.objects.get(codename="access_admin")
        page_rights = list(Permission.objects.filter(codename__in=("add_page", "change_page", "publish_page")))
        image_rights = list(Permission.objects.filter(codename__in=("add_image", "choose_image")))

        # As make_partner_editor left them: one group per title, shared by the two libraries.
        def legacy_group(title, partners):
            group = Group.objects.create(name=f"Partner editors: {title}")
            group.permissions.add(admin_access)
            for partner in partners:
                for page in partner.get_translations(inclusive=True):
                    for permission in page_rights:
                        GroupPagePermission.objects.create(group=group, page=page, permission=permission)
            collection = root.add_child(name=title)
            for permission in image_rights:
                GroupCollectionPermission.objects.create(group=group, collection=collection, permission=permission)
            return group, collection

        cls.shared, cls.shared_collection = legacy_group("Bibliotheek", [cls.north, cls.south])
        cls.school_group, cls.school_collection = legacy_group("De Eik", [cls.school])
        cls.librarian = make_user("lies", cls.shared)
        cls.report = rekey_editor_groups(apps)

    def pages(self, group):
        return set(GroupPagePermission.objects.filter(group=group).values_list("page", "permission__codename"))

    def test_a_group_of_one_partner_is_linked_to_it_with_its_collection(self):
        link = PartnerEditorGroup.objects.get(group=self.school_group)
        self.assertEqual(link.translation_key, self.school.translation_key)
        self.assertEqual(link.collection, self.school_collection)
        self.assertEqual(Group.objects.get(pk=self.school_group.pk).name, "Partner editors: De Eik")

    def test_a_shared_group_is_split_into_one_group_per_partner(self):
        for partner in (self.north, self.south):
            with self.subTest(partner=partner.slug):
                group = PartnerEditorGroup.objects.get(translation_key=partner.translation_key).group
                pages = set(partner.get_translations(inclusive=True).values_list("pk", flat=True))
                self.assertEqual(
                    self.pages(group),
                    {(page, codename) for page in pages for codename in ("add_page", "change_page", "publish_page")},
                )
                self.assertTrue(group.permissions.filter(codename="access_admin").exists())
                self.assertFalse(group.user_set.exists())
                self.assertFalse(partner.permissions_for_user(self.librarian).can_edit())
        names = set(
            PartnerEditorGroup.objects.filter(
                translation_key__in=[self.north.translation_key, self.south.translation_key]
            ).values_list("group__name", flat=True)
        )
        self.assertEqual(names, {"Partner editors: Bibliotheek", f"Partner editors: Bibliotheek #{self.south.pk}"})

    def test_the_shared_group_keeps_its_members_without_any_rights(self):
        shared = Group.objects.get(pk=self.shared.pk)
        self.assertEqual(shared.name, "Partner editors to reassign: Bibliotheek")
        self.assertEqual(list(shared.user_set.all()), [self.librarian])
        self.assertFalse(shared.permissions.exists())
        self.assertFalse(GroupPagePermission.objects.filter(group=shared).exists())
        self.assertFalse(GroupCollectionPermission.objects.filter(group=shared).exists())
        self.assertFalse(PartnerEditorGroup.objects.filter(group=shared).exists())
        self.assertEqual(len(self.report), 1)
        self.assertIn("Partner editors to reassign: Bibliotheek", self.report[0])

    def test_running_it_again_changes_nothing(self):
        counts = (Group.objects.count(), GroupPagePermission.objects.count(), PartnerEditorGroup.objects.count())
        self.assertEqual(rekey_editor_groups(apps), [])
        self.assertEqual(
            (Group.objects.count(), GroupPagePermission.objects.count(), PartnerEditorGroup.objects.count()), counts
        )

    def test_the_command_then_gives_a_split_partner_a_collection_and_an_editor(self):
        call_command("make_partner_editor", "lies", str(self.south.pk), stdout=StringIO())
        librarian = get_user_model().objects.get(pk=self.librarian.pk)
        link = PartnerEditorGroup.objects.get(translation_key=self.south.translation_key)
        self.assertIn(link.group, librarian.groups.all())
        self.assertNotEqual(link.collection, self.shared_collection)
        self.assertEqual(link.collection.name, f"Bibliotheek #{self.south.pk}")
        self.assertTrue(self.south.permissions_for_user(librarian).can_publish())
        self.assertFalse(self.north.permissions_for_user(librarian).can_edit())
