"""What ``learningcity.compat`` assumes of Django and psycopg, checked where an upgrade would break it."""

import datetime
import unittest

import psycopg
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.test import TestCase
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader

from learningcity.compat import UTCTimestamptzLoader

TIMESTAMPTZ = psycopg.postgres.types["timestamptz"].oid
# Around both daylight-saving changes of 2026 in Amsterdam, other offsets, the ends of the calendar, microseconds.
TIME_STAMPS = [
    "2026-03-29 00:59:59.999999+00",
    "2026-03-29 01:00:00+00",
    "2026-10-25 02:30:00+02",
    "2026-10-25 02:30:00+01",
    "2026-12-05 12:00:00+05:30",
    "1901-12-13 20:45:52-00:19:32",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]


@unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL's connections only")
class TimeStampLoaderTests(TestCase):
    def read(self, *, djangos_own=False) -> tuple:
        with connection.cursor() as cursor:
            if djangos_own:
                register_tzloader(connection.timezone, cursor.cursor)
            cursor.execute("SELECT " + ", ".join(["%s::timestamptz"] * len(TIME_STAMPS)), TIME_STAMPS)
            return cursor.fetchone()

    def test_time_stamps_read_as_djangos_own_loader_reads_them(self):
        ours, djangos = self.read(), self.read(djangos_own=True)
        self.assertEqual(ours, djangos)
        self.assertEqual({value.tzinfo for value in ours}, {datetime.UTC})
        self.assertEqual(ours[1], datetime.datetime(2026, 3, 29, 1, 0, tzinfo=datetime.UTC))
        self.assertEqual(ours[4], datetime.datetime(2026, 12, 5, 6, 30, tzinfo=datetime.UTC))

    def test_every_cursor_of_the_connection_reads_them_with_psycopgs_default_loader(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT now()")
            self.assertIs(cursor.cursor.adapters.get_loader(TIMESTAMPTZ, Format.TEXT), UTCTimestamptzLoader)
        default = psycopg.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)
        if default is TimestamptzLoader:
            self.skipTest("psycopg without its C implementation: its default loader is the Python one")
        loader = UTCTimestamptzLoader(TIMESTAMPTZ, connection.connection)
        self.assertIs(type(loader.load.__self__), default)

    def test_an_orm_query_reads_aware_utc_values(self):
        from django.contrib.auth import get_user_model

        joined = datetime.datetime(2026, 10, 25, 0, 30, 15, 123456, tzinfo=datetime.UTC)
        user = get_user_model().objects.create(username="reader", date_joined=joined)
        read = get_user_model().objects.values_list("date_joined", flat=True).get(pk=user.pk)
        self.assertEqual(read, joined)
        self.assertIs(read.tzinfo, datetime.UTC)
