"""Reads never write: a search page view, cold or cached, only counts its hit in the cache (search/hits.py).

`flush_search_hits` (run every minute by the scheduled job) adds the counts to Wagtail's
Query / QueryDailyHits, which the popular searches read.
"""

import os

import pytest
import redis
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.search_promotions.models import Query

from cases.live_index import catalogue_index
from search import hits

pytestmark = pytest.mark.django_db

# Statements that change rows; a read-only block (PostgreSQL's planner settings: SAVEPOINT, SET
# LOCAL) is not a write.
WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "ALTER", "DROP", "TRUNCATE")
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL_HITS", "redis://127.0.0.1:6379/5")
# Measured: 14 on SQLite, 17 on PostgreSQL, of which a SAVEPOINT and its RELEASE around the
# planner settings that only the test's own transaction adds (issue 14 asks for 15; was 30 and
# about 34). The cache.clear() below also empties what a worker that has served a search keeps:
# Wagtail's site root paths (2 queries) and, run alone, this process's content types (1): after
# an earlier search a cold one reads 11 on SQLite, 14 on PostgreSQL.
MAX_COLD_SEARCH_QUERIES = 17


def writes(queries):
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(WRITES) or "synchronous_commit" in q["sql"].lower()
    ]


@pytest.fixture
def page_cache(settings):
    """The page cache on (conftest.empty_cache empties the cache around each test)."""
    settings.PORTAL_PAGE_CACHE = {**settings.PORTAL_PAGE_CACHE, "SECONDS": 600}


def test_a_cold_search_writes_nothing_and_its_queries_are_bounded(client, case_factory, django_assert_max_num_queries):
    for i in range(3):
        case_factory(title=f"Russian troll farm {i}", countries=("MD",))
    # The catalogue index is built once per worker and content version, not per search: a cold
    # search is one whose results are not cached, in a worker that has served a page before.
    catalogue_index()
    cache.clear()
    # Issue 14 asks for 15 or fewer; reads no longer write, the search itself still reads this many.
    with django_assert_max_num_queries(MAX_COLD_SEARCH_QUERIES), CaptureQueriesContext(connection) as seen:
        response = client.get("/search/", {"q": "russian"})
    assert "Russian</mark> troll farm 0" in response.content.decode()
    assert writes(seen.captured_queries) == []
    assert hits.pending() == 1


def test_a_page_cached_search_writes_nothing_and_still_counts(client, case_factory, page_cache):
    case_factory(title="Russian troll farm", countries=("MD",))
    client.get("/search/", {"q": "russian"})
    with CaptureQueriesContext(connection) as seen:
        again = client.get("/search/", {"q": "russian"})
    assert again["X-Page-Cache"] == "hit" and "troll farm" in again.content.decode()
    assert writes(seen.captured_queries) == [] and len(seen.captured_queries) == 1  # the content version
    assert Query.objects.count() == 0
    assert hits.flush() == 2
    assert Query.get("russian").hits == 2


def test_flushing_feeds_the_popular_searches(client, case_factory):
    case_factory(title="Zanzibar ballot rumours")
    for _ in range(3):
        client.get("/search/", {"q": "Zanzibar"})
    assert "zanzibar" not in client.get("/search/").content.decode()  # not counted yet
    call_command("flush_search_hits")
    assert Query.get("zanzibar").hits == 3
    cache.delete_many([k for k in list(cache._cache) if "search:popular" in k])
    assert 'href="?q=zanzibar"' in client.get("/search/").content.decode()
    assert hits.flush() == 0  # nothing counted twice


def test_hits_buffered_in_redis_are_flushed_in_one_batch(settings, site_tree):
    server = redis.Redis.from_url(REDIS_URL)
    server.flushdb()
    settings.CACHES = {
        **settings.CACHES,
        "hits": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
    settings.SEARCH_HITS_CACHE = "hits"
    try:
        for text in ("moldova", "moldova", "kenya"):
            hits.record(text)
        assert hits.pending() == 1  # one batch of three hits
        assert hits.flush() == 3
        assert {q.query_string: q.hits for q in Query.objects.all()} == {"moldova": 2, "kenya": 1}
        hits.record("kenya")
        assert hits.flush() == 1 and Query.get("kenya").hits == 2
    finally:
        server.flushdb()


def test_a_process_writes_its_hits_to_the_cache_in_batches(settings, site_tree, monkeypatch):
    settings.SEARCH_HITS_BATCH_SECONDS = 2.0
    clock = [1000.0]
    monkeypatch.setattr(hits.time, "monotonic", lambda: clock[0])
    for _ in range(40):
        hits.record("moldova")
    assert not [key for key in cache._cache if "search:hits:item" in key]  # still in this process
    clock[0] += 2.5
    hits.record("kenya")  # the batch is old enough: written with this hit, as one item
    items = [key for key in cache._cache if "search:hits:item" in key]
    assert len(items) == 1
    hits.record("kenya")
    assert hits.flush() == 42
    assert {q.query_string: q.hits for q in Query.objects.all()} == {"moldova": 40, "kenya": 2}


def test_hits_written_one_by_one_before_batches_are_still_counted(site_tree):
    cache.set(hits.SEQUENCE, 2, timeout=None)
    cache.set(hits.ITEM.format(1), ("2026-11-26", "moldova"))
    cache.set(hits.ITEM.format(2), ("2026-11-26", "moldova"))
    assert hits.flush() == 2 and Query.get("moldova").hits == 2
