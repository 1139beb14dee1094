"""The change log that feeds' ETags and the changes API read."""

from datetime import UTC, datetime

import time_machine
from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext

from learningcity.models import ChangeLog
from tests.learningcity.utils import LeavesTheDatabaseAsMigrated, make_portal, sync_translation
from tests.partners.factories import PartnerIndexPageFactory, PartnerPageFactory

from .factories import EventIndexPageFactory, EventPageFactory, publish


def entries():
    return [
        (entry.content_type.model, entry.translation_key, entry.language_code, entry.action)
        for entry in ChangeLog.objects.select_related("content_type").order_by("id")
    ]


@time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC))
class ChangeLogTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.locales = make_portal()
        cls.agenda = EventIndexPageFactory(parent=cls.home)
        cls.partners = PartnerIndexPageFactory(parent=cls.home)
        ChangeLog.objects.all().delete()  # the portal's home pages, published by make_portal

    def test_event_create_change_unpublish_delete_in_order(self):
        event = publish(EventPageFactory(parent=self.agenda))
        key = event.translation_key
        event.title = "Nieuwe titel"
        publish(event)
        with self.captureOnCommitCallbacks(execute=True):
            event.unpublish()
        publish(event)
        with self.captureOnCommitCallbacks(execute=True):
            event.delete()
        self.assertEqual(
            entries(),
            [
                ("eventpage", key, "nl", "created"),
                ("eventpage", key, "nl", "changed"),
                ("eventpage", key, "nl", "unpublished"),
                ("eventpage", key, "nl", "changed"),
                # Wagtail unpublishes a live page before deleting it.
                ("eventpage", key, "nl", "unpublished"),
                ("eventpage", key, "nl", "deleted"),
            ],
        )
        ids = list(ChangeLog.objects.values_list("id", flat=True))
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(list(ChangeLog.objects.since(ids[3]).values_list("id", flat=True)), ids[4:])

    def test_partners_and_translations_are_logged_per_language(self):
        partner = PartnerPageFactory(parent=self.partners)
        publish(partner)
        sync_translation(partner, self.locales["fr"])
        self.assertEqual(
            entries(),
            [
                ("partnerpage", partner.translation_key, "nl", "created"),
                ("partnerpage", partner.translation_key, "fr", "created"),
            ],
        )

    def test_a_bulk_load_writes_its_rows_in_one_statement_in_order(self):
        with (
            CaptureQueriesContext(connection) as captured,
            self.captureOnCommitCallbacks(execute=True),
            ChangeLog.objects.in_bulk(),
        ):
            first = publish(EventPageFactory(parent=self.agenda))
            second = publish(EventPageFactory(parent=self.agenda))
            first.title = "Nieuwe titel"
            publish(first)
            self.assertEqual(entries(), [])  # written when the transaction commits
        inserts = [query for query in captured if query["sql"].startswith('INSERT INTO "learningcity_changelog"')]
        self.assertEqual(len(inserts), 1)
        self.assertEqual(
            entries(),
            [
                ("eventpage", first.translation_key, "nl", "created"),
                ("eventpage", second.translation_key, "nl", "created"),
                ("eventpage", first.translation_key, "nl", "changed"),
            ],
        )

    def test_saving_a_draft_logs_nothing(self):
        event = EventPageFactory(parent=self.agenda)
        with self.captureOnCommitCallbacks(execute=True):
            event.save_revision()
        self.assertEqual(entries(), [])


class ChangeLogRollbackTests(LeavesTheDatabaseAsMigrated, TransactionTestCase):
    def test_a_rolled_back_publication_leaves_no_row(self):
        home, _locales = make_portal()
        agenda = EventIndexPageFactory(parent=home)
        event = EventPageFactory(parent=agenda)
        logged = ChangeLog.objects.count()  # the portal's home pages, published by make_portal
        with self.assertRaises(RuntimeError), transaction.atomic():
            event.save_revision().publish()
            raise RuntimeError("rollback")
        self.assertEqual(ChangeLog.objects.count(), logged)
        self.assertFalse(ChangeLog.objects.filter(translation_key=event.translation_key).exists())

    def test_a_rolled_back_bulk_load_leaves_no_row(self):
        home, _locales = make_portal()
        agenda = EventIndexPageFactory(parent=home)
        logged = ChangeLog.objects.count()
        with self.assertRaises(RuntimeError), transaction.atomic(), ChangeLog.objects.in_bulk():
            EventPageFactory(parent=agenda).save_revision().publish()
            raise RuntimeError("rollback")
        self.assertEqual(ChangeLog.objects.count(), logged)
        with transaction.atomic(), ChangeLog.objects.in_bulk():  # the next bulk load starts afresh
            EventPageFactory(parent=agenda).save_revision().publish()
        self.assertEqual(ChangeLog.objects.count(), logged + 1)
