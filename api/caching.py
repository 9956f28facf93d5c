"""HTTP caching and CORS for the read API, keyed by the content version (portal/versioning.py).

Every API answer depends only on the published content and the URL, so one token tells when
it may have changed: the ETag is the token plus a hash of the full path, Last-Modified is when
the token last moved on. A client or CDN asking again with either gets 304 and no body, at the
cost of one query. Answers are public (no cookies, no authentication), so any origin may read them.
"""

import hashlib

from django.utils.cache import patch_cache_control
from django.utils.http import http_date, quote_etag

from portal import versioning

CACHE_CONTROL = {"public": True, "max_age": 60, "s_maxage": 300, "stale_while_revalidate": 60}


def entity_tag(token, request):
    digest = hashlib.blake2b(request.get_full_path().encode(), digest_size=8).hexdigest()
    return quote_etag(f"{token or 'empty'}-{digest}")


def add_public_headers(response, etag=None, changed_at=None, lagging=False):
    """CORS, and the validators and caching headers of the version; `lagging`: the answer was made
    from a catalogue index older than the version (versioning.watching_lag), so it gets neither
    validator nor leave to be kept, lest it stand for the version after the index catches up."""
    if lagging:
        patch_cache_control(response, no_store=True)
    else:
        if etag:
            response["ETag"] = etag
        if changed_at:
            response["Last-Modified"] = http_date(changed_at.timestamp())
        patch_cache_control(response, **CACHE_CONTROL)
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
    return response


def version_of(request):
    """(ETag, Last-Modified time) for this request under the content version now in force."""
    token, changed_at = versioning.current_with_time()
    return entity_tag(token, request), changed_at
