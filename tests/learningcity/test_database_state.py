"""The suite's own ground: tests that empty the tables leave the database as migrations made it."""

import json

from django.db import connection
from django.test import TransactionTestCase
from wagtail.models import Locale

from .utils import LeavesTheDatabaseAsMigrated


class PutBackTests(LeavesTheDatabaseAsMigrated, TransactionTestCase):
    def migrated_rows(self):
        return json.loads(connection._test_serialized_contents)

    def test_a_test_starts_on_the_migrated_rows_and_leaves_them_as_they_were(self):
        self.assertEqual(json.loads(connection.creation.serialize_db_to_string()), self.migrated_rows())
        Locale.objects.create(language_code="fr")

        self._fixture_teardown()  # empties every table and puts the migrated rows back, as after each test

        self.assertEqual(json.loads(connection.creation.serialize_db_to_string()), self.migrated_rows())
        self.assertFalse(Locale.objects.filter(language_code="fr").exists())
        self.assertEqual(Locale.objects.create(language_code="de").language_code, "de")  # ids still free
