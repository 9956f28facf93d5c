"""Conditional GETs: whether a client's copy, named by If-None-Match or If-Modified-Since, is current.

Shared by the read API (api/caching.py) and the page cache (portal/page_cache.py), whose ETags and
Last-Modified both come from the content version.
"""

from django.utils.http import parse_http_date_safe


def not_modified(request, etag, changed_at):
    """True when the client's copy (If-None-Match, else If-Modified-Since) is still current."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return bool(since and changed_at and int(changed_at.timestamp()) <= since)
