"""``/api/v3/changes/``: creates, changes, unpublishes and deletions since a cursor, in order, paged."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from wagtail.models import Page, Site

from learningcity.models import ChangeLog
from learningcity.models.changelog import log_live_pages

from ..events.factories import EventIndexPageFactory, EventPageFactory, publish
from ..learningcity.factories import ContentPageFactory, HomePageFactory
from ..learningcity.utils import make_portal
from ..partners.factories import (
    ChildCentreIndexPageFactory,
    ChildCentrePageFactory,
    NetworkFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)

CHANGES = "/api/v3/changes/"
NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)


@override_settings(LEERSTAD_CHANGES_DELAY_SECONDS=0)
class ChangesAPITests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.agenda = EventIndexPageFactory(parent=cls.home)
        cls.directory = PartnerIndexPageFactory(parent=cls.home)
        cls.centres = ChildCentreIndexPageFactory(parent=cls.home)
        ChangeLog.objects.all().delete()  # the portal's home pages, published by make_portal

    def test_delivers_creates_updates_and_deletions_in_order_across_two_pages(self):
        event = publish(EventPageFactory(parent=self.agenda))
        partner = publish(PartnerPageFactory(parent=self.directory))
        event.title = "Nieuwe titel"
        publish(event)
        event_key, partner_key = str(event.translation_key), str(partner.translation_key)
        with self.captureOnCommitCallbacks(execute=True):
            event.delete()

        first = self.client.get(CHANGES, {"limit": 3}).json()
        self.assertTrue(first["more"])
        second = self.client.get(CHANGES, {"since": first["next"], "limit": 3}).json()
        self.assertFalse(second["more"])
        seen = [(c["type"], c["id"], c["action"]) for c in first["items"] + second["items"]]
        self.assertEqual(
            seen,
            [
                ("event", event_key, "created"),
                ("partner", partner_key, "created"),
                ("event", event_key, "changed"),
                ("event", event_key, "unpublished"),
                ("event", event_key, "deleted"),
            ],
        )
        cursors = [c["cursor"] for c in first["items"] + second["items"]]
        self.assertEqual(cursors, sorted(cursors))
        self.assertEqual(second["next"], cursors[-1])
        caught_up = self.client.get(CHANGES, {"since": second["next"]}).json()
        self.assertEqual((caught_up["items"], caught_up["next"]), ([], second["next"]))

    def test_answers_trail_commit_time(self):
        with time_machine.travel(NOW, tick=False):
            publish(PartnerPageFactory(parent=self.directory))
            with override_settings(LEERSTAD_CHANGES_DELAY_SECONDS=5):
                self.assertEqual(self.client.get(CHANGES).json()["items"], [])
        with (
            time_machine.travel(NOW + timedelta(seconds=6), tick=False),
            override_settings(LEERSTAD_CHANGES_DELAY_SECONDS=5),
        ):
            self.assertEqual(len(self.client.get(CHANGES).json()["items"]), 1)

    def test_invalid_cursor_and_unknown_parameters_are_problems(self):
        for params in ({"since": "abc"}, {"since": "-1"}, {"limit": "1000"}, {"after": "3"}):
            with self.subTest(params):
                response = self.client.get(CHANGES, params)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response["Content-Type"], "application/problem+json")
                self.assertEqual(response.json()["errors"][0]["loc"], ["query", next(iter(params))])

    def test_query_count_is_constant(self):
        for _n in range(8):
            publish(PartnerPageFactory(parent=self.directory))
        for limit in (5, 50):
            # The requesting site (kept in the cache, off in tests), the first recent change, the changes.
            with self.subTest(limit=limit), self.assertNumQueries(3):
                self.client.get(CHANGES, {"limit": limit})

    def test_each_site_reports_its_own_pages_and_everyones_snippets(self):
        other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="buurstad", locale=self.locales["nl"])
        Site.objects.create(hostname="localhost", port=80, root_page=other_home, site_name="Buurstad")
        other_agenda = EventIndexPageFactory(parent=other_home)
        here = publish(EventPageFactory(parent=self.agenda))
        there = publish(EventPageFactory(parent=other_agenda))
        with self.captureOnCommitCallbacks(execute=True):
            network = NetworkFactory()

        def seen(**headers):
            return {change["id"] for change in self.client.get(CHANGES, **headers).json()["items"]}

        everyones = str(network.translation_key)
        self.assertEqual(seen(), {str(here.translation_key), everyones})
        self.assertEqual(seen(HTTP_HOST="localhost"), {str(there.translation_key), everyones})
        # A deleted page's tombstone has no page left to place: every site reports it.
        with self.captureOnCommitCallbacks(execute=True):
            there.delete()
        self.assertIn(str(there.translation_key), seen())

    def test_content_pages_are_logged_and_lead_to_the_pages_api(self):
        page = ContentPageFactory(parent=self.home, live=False)
        with self.captureOnCommitCallbacks(execute=True):
            page.save_revision().publish()
        [change] = [c for c in self.client.get(CHANGES).json()["items"] if c["id"] == str(page.translation_key)]
        self.assertEqual((change["type"], change["action"]), ("contentpage", "created"))
        detail = self.client.get(f"/api/v3/pages/{change['page_id']}/")
        self.assertEqual(detail.json()["meta"]["type"], "learningcity.ContentPage")
        with self.captureOnCommitCallbacks(execute=True):
            self.agenda.save_revision().publish()
        self.assertEqual(self.client.get(CHANGES).json()["items"][-1]["type"], "eventindexpage")

    def test_the_migration_lists_the_live_pages_a_database_has_already(self):
        draft = ContentPageFactory(parent=self.home, live=False)
        live = ContentPageFactory(parent=self.home)  # made live without publishing: not logged
        self.assertEqual(self.client.get(CHANGES).json()["items"], [])
        log_live_pages("learningcity.ContentPage", "events.EventIndexPage").code(apps, None)
        listed = {(c["type"], c["page_id"], c["action"]) for c in self.client.get(CHANGES).json()["items"]}
        self.assertEqual(listed, {("contentpage", live.pk, "created"), ("eventindexpage", self.agenda.pk, "created")})
        self.assertNotIn(draft.pk, {page_id for _type, page_id, _action in listed})

    def test_child_centres_are_logged_from_publication_to_tombstone(self):
        centre = publish(ChildCentrePageFactory(parent=self.centres))
        centre.title = "Kindcentrum De Regenboog"
        publish(centre)
        with self.captureOnCommitCallbacks(execute=True):
            centre.unpublish()
        publish(centre)
        with self.captureOnCommitCallbacks(execute=True):
            centre.delete()

        changes = self.client.get(CHANGES).json()["items"]
        self.assertEqual(
            [(c["type"], c["id"], c["action"]) for c in changes],
            [
                ("childcentre", str(centre.translation_key), action)
                for action in ("created", "changed", "unpublished", "changed", "unpublished", "deleted")
            ],
        )
        self.assertEqual({c["page_id"] for c in changes}, {centre.pk})
        self.assertEqual({c["locale"] for c in changes}, {"nl"})

    def test_networks_are_logged_when_saved_and_deleted(self):
        with self.captureOnCommitCallbacks(execute=True):
            network = NetworkFactory(locale=self.locales["nl"])
        network.name = "STEM Lindeveld"
        with self.captureOnCommitCallbacks(execute=True):
            network.save()
        key = str(network.translation_key)
        with self.captureOnCommitCallbacks(execute=True):
            network.delete()

        changes = self.client.get(CHANGES).json()["items"]
        self.assertEqual(
            [(c["type"], c["id"], c["action"]) for c in changes],
            [("network", key, "created"), ("network", key, "changed"), ("network", key, "deleted")],
        )

    def test_a_draft_is_not_a_change(self):
        centre = publish(ChildCentrePageFactory(parent=self.centres))
        centre.title = "Nog niet gepubliceerd"
        with self.captureOnCommitCallbacks(execute=True):
            centre.save_revision()
        self.assertEqual([c["action"] for c in self.client.get(CHANGES).json()["items"]], ["created"])


class PruneChangesTests(TestCase):
    """``prune_changes`` keeps what a client syncing from 0 or from a recent cursor needs, and nothing else."""

    @classmethod
    def setUpTestData(cls):
        cls.home, _locales = make_portal()
        cls.agenda = EventIndexPageFactory(parent=cls.home)
        ChangeLog.objects.all().delete()  # the portal's home pages, published by make_portal
        with time_machine.travel(datetime(2026, 1, 5, 12, tzinfo=UTC), tick=False):
            cls.kept = publish(EventPageFactory(parent=cls.agenda, title="Blijft"))
            cls.changed = publish(EventPageFactory(parent=cls.agenda, title="Gewijzigd"))
            cls.gone = publish(EventPageFactory(parent=cls.agenda, title="Verdwenen"))
            publish(cls.changed)  # supersedes its first change
            with TestCase.captureOnCommitCallbacks(execute=True):
                cls.gone.delete()  # a tombstone
        with time_machine.travel(datetime(2026, 3, 1, 12, tzinfo=UTC), tick=False):
            cls.recent = publish(EventPageFactory(parent=cls.agenda, title="Recent"))
            publish(cls.recent)  # superseded, but recent

    def actions(self):
        return [(str(row.translation_key), row.action) for row in ChangeLog.objects.order_by("pk")]

    def prune(self, *args):
        out = StringIO()
        with time_machine.travel(datetime(2026, 3, 2, 12, tzinfo=UTC), tick=False):
            call_command("prune_changes", *args, stdout=out)
        return out.getvalue()

    def test_superseded_changes_and_old_tombstones_go_the_last_change_of_live_objects_stays(self):
        key = lambda page: str(page.translation_key)  # noqa: E731
        before = self.actions()
        self.assertIn((key(self.gone), "deleted"), before)
        # Gone: the superseded first change of "Gewijzigd", and all three of "Verdwenen" (created, unpublished
        # and the tombstone, two months old).
        self.assertIn("4 changes older than 30 days deleted", self.prune())
        last_of_changed = [row for row in before if row[0] == key(self.changed)][-1]
        recent = [row for row in before if row[0] == key(self.recent)]
        self.assertEqual(len(recent), 2)
        self.assertEqual(self.actions(), [(key(self.kept), "created"), last_of_changed, *recent])
        # A full sync still finds every live event.
        with override_settings(LEERSTAD_CHANGES_DELAY_SECONDS=0):
            items = self.client.get("/api/v3/changes/", {"since": 0, "limit": 50}).json()["items"]
        self.assertEqual({item["id"] for item in items}, {key(self.kept), key(self.changed), key(self.recent)})

    def test_a_dry_run_deletes_nothing_and_the_window_has_a_floor(self):
        before = self.actions()
        self.assertIn("4 changes older than 30 days would be deleted", self.prune("--dry-run"))
        self.assertEqual(self.actions(), before)
        with self.assertRaisesMessage(CommandError, "--days must be between 7 and 3650"):
            self.prune("--days", "2")
        self.assertEqual(self.actions(), before)

    @override_settings(LEERSTAD_CHANGES_KEEP_DAYS=1)
    def test_the_setting_cannot_go_below_seven_days(self):
        self.assertIn("older than 7 days", self.prune("--dry-run"))
