"""With REDIS_URL set, the production settings use Redis, and pages are served from it.

The README offers REDIS_URL for production; this proves the settings and the pinned `redis`
package work together against the real server on 127.0.0.1:6379 (a database number of its own).
"""

import os

import pytest
import redis
from django.core.cache import cache
from django.test import Client, override_settings

from . import production_settings

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def redis_db():
    server = redis.Redis.from_url(REDIS_URL)
    server.flushdb()
    yield server
    server.flushdb()


def test_production_cache_settings_with_redis_url_serve_pages_from_redis(monkeypatch, redis_db, case_factory):
    caches = production_settings.load(monkeypatch, REDIS_URL=REDIS_URL).CACHES
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    case_factory(title="Russian bot network in Moldova", countries=("MD",))
    with override_settings(CACHES=caches):
        response = Client().get("/search/?q=russian")
        assert response.status_code == 200
        assert "bot network in Moldova" in response.content.decode()
        stored = [key.decode() for key in redis_db.keys("*search:page:*")]
        assert stored, "the search page was not cached in Redis"
        # And Django reads back what it stored there.
        assert cache.get(stored[0].split(":", 2)[2]) is not None
        again = Client().get("/search/?q=russian")
        assert "bot network in Moldova" in again.content.decode()
