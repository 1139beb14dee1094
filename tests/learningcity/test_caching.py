"""The Redis cache backend the settings choose with ``REDIS_URL`` (``learningcity.compat.RedisCache``): Django's,
keeping one Redis client per connection pool. And this process's copies of immutable values (``ProcessObjects``)."""

import uuid
from unittest import mock

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.test import SimpleTestCase

from learningcity.caching import SHARED_CACHES, ProcessObjects
from learningcity.compat import RedisCache
from tests.passes import database_independent

REDIS_URL = "redis://127.0.0.1:6379/0"


@database_independent
class RedisCacheTests(SimpleTestCase):
    def setUp(self):
        self.prefix = f"leerstad-test-{uuid.uuid4().hex}"
        self.cache = RedisCache(REDIS_URL, {"KEY_PREFIX": self.prefix})
        self.addCleanup(self.forget_keys)

    def forget_keys(self):
        # Not ``cache.clear()``: it empties the whole Redis database, under the tests that run beside this one.
        client = self.cache._cache.get_client()
        for key in client.scan_iter(match=f"{self.prefix}:*"):
            client.delete(key)

    def test_it_keeps_and_gives_back_values_as_djangos_does(self):
        self.cache.set("a", {"rows": [1, 2]}, 30)
        self.cache.set_many({"b": "twee", "c": 3}, 30)
        self.assertEqual(self.cache.get("a"), {"rows": [1, 2]})
        self.assertEqual(self.cache.get_many(["a", "b", "c", "d"]), {"a": {"rows": [1, 2]}, "b": "twee", "c": 3})
        self.assertFalse(self.cache.add("b", "anders", 30))
        self.assertEqual(self.cache.incr("c"), 4)
        self.cache.delete("a")
        self.assertIsNone(self.cache.get("a"))

    def test_one_client_serves_every_command(self):
        client = self.cache._cache.get_client()
        self.cache.get("a")
        self.cache.set("a", 1, 30)
        self.assertIs(self.cache._cache.get_client(), client)
        self.assertIs(self.cache._cache.get_client(write=True), client)  # one server: one pool
        # Django's own builds a client for every command.
        django_cache = DjangoRedisCache(REDIS_URL, {})
        self.assertIsNot(django_cache._cache.get_client(), django_cache._cache.get_client())

    def test_the_content_version_counts_it_as_a_cache_every_process_shares(self):
        self.assertIsInstance(self.cache, SHARED_CACHES)


class ProcessObjectsTests(SimpleTestCase):
    def test_it_gives_back_the_object_kept(self):
        copies = ProcessObjects(max_entries=10)
        value = ("v1", ("Taalcafé", ("nl", "ar")))
        copies.set_many({"a": value}, 60)
        self.assertIs(copies.get_many(["a", "b"])["a"], value)
        self.assertEqual(copies.get_many(["b"]), {})

    def test_a_value_one_request_could_change_for_another_is_refused(self):
        copies = ProcessObjects(max_entries=10)
        for value in (("v1", ["nl", "ar"]), ("v1", {"goals": []}), {"a"}):
            with self.subTest(value=value), self.assertRaises(TypeError):
                copies.set_many({"a": value}, 60)
        self.assertEqual(copies.get_many(["a"]), {})

    def test_the_least_recently_used_and_the_expired_are_dropped(self):
        copies = ProcessObjects(max_entries=2)
        with mock.patch("learningcity.caching.time.monotonic", return_value=100.0):
            copies.set_many({"a": 1, "b": 2}, 60)
            copies.get_many(["a"])  # used: "b" is now the least recently used
            copies.set_many({"c": 3}, 10)
            self.assertEqual(copies.get_many(["a", "b", "c"]), {"a": 1, "c": 3})
        with mock.patch("learningcity.caching.time.monotonic", return_value=110.0):
            self.assertEqual(copies.get_many(["a", "c"]), {"a": 1})
