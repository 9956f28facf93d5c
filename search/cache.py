"""A short-lived cache of whole search pages, keyed on the content version.

Every key holds the content version token (portal/versioning.py), which moves on whenever what
a search shows may change: publishing, unpublishing, moving or deleting a page, a privacy
restriction, a case or guide term (countries, actors, tactics…), a many-to-many link or an
editor's pick. Older entries are then never read again and expire on their own. The token is
in the database, so it is shared by every process and unaffected by the cache losing keys.

Caching is an addition: a search that misses still runs in full (see queries.py).
"""

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.utils import translation


def timeout():
    return getattr(settings, "SEARCH_CACHE_SECONDS", 300)


def key(version, *parts):
    """The key of one search page under content `version` (`versioning.current()`, read once per search)."""
    # The language too: a search under /fr/ stems its words as French (search/languages.py).
    parts = (translation.get_language(), *parts)
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"search:page:{version}:{digest}"


def get(cache_key):
    return cache.get(cache_key) if timeout() else None


def set(cache_key, value):  # noqa: A001 - mirrors the cache API
    if timeout():
        cache.set(cache_key, value, timeout())
