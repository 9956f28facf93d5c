"""Popular-search counting without a write per search: hits are buffered in the cache, flushed in batches.

Counting used to run a transaction on every search page view (Wagtail's `Query.get(q).add_hit()`):
6 of the 9 statements of a cached search, and a write on a read. Now a view only appends its hit
to the cache (Redis in production: one atomic INCR for a sequence number, one SET for the item),
and `manage.py flush_search_hits`, run every minute by the systemd timer beside publish_scheduled,
adds the counts to Wagtail's Query / QueryDailyHits in one transaction, which is what the
popular searches and the admin's search terms report read.

Each process first counts its hits in its own memory and writes them to the cache as one item
at most every SEARCH_HITS_BATCH_SECONDS (2 s by default; 0 writes every hit), on the next search
after that time: four cache round trips per batch instead of per view, which kept a repeated
search, served whole from the page cache, at a quarter of a static file's rate.

Trade-offs: a hit is a popularity signal, not a record: hits in the cache when it is flushed or
restarted are lost, and so is a hit whose item is written after a flush read its sequence number,
and a process's last few seconds of hits when it stops.
With a cache only this process sees (Django's in-memory cache, no REDIS_URL), a command could not
reach the buffer, so the process flushes its own in a background thread every
SEARCH_HITS_LOCAL_FLUSH_SECONDS (off the request path, never during a page view).
"""

import threading
import time
from collections import Counter

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import close_old_connections, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from portal.page_cache import on_replay

SEQUENCE = "search:hits:seq"
FLUSHED = "search:hits:flushed"
LOCK = "search:hits:lock"
ITEM = "search:hits:item:{}"
ITEM_SECONDS = 7 * 24 * 3600
LOCK_SECONDS = 300
BATCH = 500
_flusher = {"thread": None, "lock": threading.Lock()}
_batch = {"counts": Counter(), "since": None, "lock": threading.Lock()}


def store():
    return caches[getattr(settings, "SEARCH_HITS_CACHE", "default")]


@on_replay("search-hit")
def record(text):
    """Count one search for `text` (already cleaned). Writes to this process's batch, and the
    batch to the cache when it is old enough; never to the database."""
    now = time.monotonic()
    with _batch["lock"]:
        _batch["counts"][(timezone.now().date().isoformat(), text)] += 1
        if _batch["since"] is None:
            _batch["since"] = now
        due = now - _batch["since"] >= getattr(settings, "SEARCH_HITS_BATCH_SECONDS", 2.0)
    if due:
        push()


def push():
    """Write this process's batch of hits to the cache as one item [[date, text, hits]…]."""
    with _batch["lock"]:
        counts, _batch["counts"], _batch["since"] = _batch["counts"], Counter(), None
    if not counts:
        return
    cache = store()
    try:
        number = cache.incr(SEQUENCE)
    except ValueError:  # the first hit, or the sequence was evicted
        cache.add(SEQUENCE, 0, timeout=None)
        number = cache.incr(SEQUENCE)
    cache.set(ITEM.format(number), [[date, text, n] for (date, text), n in counts.items()], ITEM_SECONDS)
    if isinstance(cache, LocMemCache):
        _start_local_flusher()


def pending():
    """How many batches of hits wait in the cache (this process's own batch written first)."""
    push()
    cache = store()
    last, done = cache.get(SEQUENCE) or 0, cache.get(FLUSHED) or 0
    return last - done if last >= done else last


def flush():
    """Add the buffered hits to Query / QueryDailyHits in one transaction; returns how many."""
    push()
    cache = store()
    if not cache.add(LOCK, 1, LOCK_SECONDS):
        return 0  # another flush is running
    try:
        last, done = cache.get(SEQUENCE) or 0, cache.get(FLUSHED) or 0
        if last < done:
            done = 0  # the sequence started again (the cache was emptied)
        keys = [ITEM.format(number) for number in range(done + 1, last + 1)]
        counts = Counter()
        for start in range(0, len(keys), BATCH):
            for item in cache.get_many(keys[start : start + BATCH]).values():
                if isinstance(item, list):  # a batch
                    counts.update({(date, text): n for date, text, n in item})
                else:  # one hit, as written before batches
                    counts[tuple(item)] += 1
        save_counts(counts)
        cache.set(FLUSHED, last, timeout=None)
        for start in range(0, len(keys), BATCH):
            cache.delete_many(keys[start : start + BATCH])
        return sum(counts.values())
    finally:
        cache.delete(LOCK)


def save_counts(counts):
    """counts: {(iso date, query text): hits}."""
    with transaction.atomic():
        for (date, text), hits in sorted(counts.items()):
            query = Query.get(text)
            daily, _ = QueryDailyHits.objects.get_or_create(query=query, date=date)
            QueryDailyHits.objects.filter(pk=daily.pk).update(hits=F("hits") + hits)


def _flush_forever(interval):
    stop = threading.Event()
    while not stop.wait(interval):
        try:
            flush()
        except Exception as error:  # keep counting; the next round retries
            print(f"flushing search hits failed: {error}")
        finally:
            close_old_connections()


def _start_local_flusher():
    interval = getattr(settings, "SEARCH_HITS_LOCAL_FLUSH_SECONDS", 60)
    if not interval or _flusher["thread"] is not None:
        return
    with _flusher["lock"]:
        if _flusher["thread"] is None:
            _flusher["thread"] = threading.Thread(target=_flush_forever, args=(interval,), daemon=True)
            _flusher["thread"].start()
