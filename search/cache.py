"""A short-lived cache of whole search pages, dropped the moment published content may change.

Every key holds a "search generation" number kept in Django's cache (shared by all processes
when the cache is, as with Redis in production). Anything that can change what a search shows
moves the generation on: publishing, unpublishing, saving or deleting a page, a privacy
restriction, a case or guide term (countries, actors, tactics…), a many-to-many link or an
editor's pick. Older entries are then never read again and expire on their own. A lost
generation (eviction, restart) comes back as a new, time-based number, never an old one.

Caching is an addition: a search that misses still runs in full (see queries.py).
"""

import hashlib
import json
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

GENERATION_KEY = "search:generation"
# Apps whose rows can change what a search shows; search promotions are checked by model,
# since their app also records every search (Query, QueryDailyHits) and must not bump on that.
WATCHED_APPS = frozenset({"wagtailcore", "cases", "guides", "wagtailsearch"})
WATCHED_MODELS = frozenset({("wagtailsearchpromotions", "searchpromotion")})


def timeout():
    return getattr(settings, "SEARCH_CACHE_SECONDS", 300)


def _fresh_generation():
    return int(time.time() * 1000)


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_generation(), None)
        value = cache.get(GENERATION_KEY)
    return value


def bump():
    """Invalidate every cached search page."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _fresh_generation(), None)


def key(*parts):
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"search:page:{generation()}:{digest}"


def get(cache_key):
    return cache.get(cache_key) if timeout() else None


def set(cache_key, value):  # noqa: A001 - mirrors the cache API
    if timeout():
        cache.set(cache_key, value, timeout())


def _watched(model):
    meta = model._meta
    return meta.app_label in WATCHED_APPS or (meta.app_label, meta.model_name) in WATCHED_MODELS


@receiver(page_published)
@receiver(page_unpublished)
def bump_on_publishing(sender, **kwargs):
    bump()


@receiver(post_save)
@receiver(post_delete)
def bump_on_change(sender, raw=False, **kwargs):
    if _watched(sender):
        bump()


@receiver(m2m_changed)
def bump_on_links(sender, action, **kwargs):
    if action.startswith("post_") and _watched(sender):
        bump()
