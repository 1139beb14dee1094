"""The Redis cache backend the settings choose with ``REDIS_URL`` (``learningcity.compat.RedisCache``): Django's,
keeping one Redis client per connection pool."""

import uuid

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.test import SimpleTestCase

from learningcity.caching import SHARED_CACHES
from learningcity.compat import RedisCache
from tests.passes import database_independent

REDIS_URL = "redis://127.0.0.1:6379/0"


@database_independent
class RedisCacheTests(SimpleTestCase):
    def setUp(self):
        self.cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"leerstad-test-{uuid.uuid4().hex}"})
        self.addCleanup(self.cache.clear)

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
