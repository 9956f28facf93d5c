"""Whole anonymous responses, kept in the cache and served before sessions, auth and rendering.

A public page depends only on the published content and its URL, so a rendered page is stored
under the content version (portal/versioning.py) + host + path + the query string with its
parameters in a fixed order + the language. Publishing anything moves the version on: older
entries are never read again and expire on their own, so no page is ever served stale from
here, whatever the cache holds. A hit costs one query (the version, read without Django's
separate health-check query: versioning.read_at_request_start) and one cache read; each worker
also keeps the entries it served last in its own memory (LOCAL_BYTES, 16 MB by default), under
the same keys, so a page it serves often needs no cache read at all.

Never cached, neither served nor stored: requests other than GET/HEAD, requests carrying a
session cookie (editors, previews, visitors who passed a page password) or credentials, paths
under PORTAL_PAGE_CACHE_EXCLUDE (the admin, the API with its own throttles and ETags, documents,
media). Never stored: statuses other than 200 and 404, streamed or large bodies, responses that
set a cookie, say private/no-store, used a CSP nonce, are a page under a view restriction
(portal.page_hooks marks those), or were made while the catalogue index lagged behind the content
version (a masked index while its rebuild runs: versioning.watching_lag); those go out private.
The middleware sits inside the security-header middleware, so
CSP, Permissions-Policy, HSTS and nosniff are added to every response, cached or not, and are
not stored.

A page worth compressing is also stored gzipped, beside the plain copy, and a client that
accepts gzip (every browser) gets that copy: compressed once when stored, not per request, and
a tenth of the bytes to read from the cache and send (`Vary: Accept-Encoding`, and an ETag of
its own, since the bytes differ).

Every response it handles carries an ETag and Last-Modified from the content version and answers
If-None-Match / If-Modified-Since with 304, and `Cache-Control: public, max-age, s-maxage` so a
CDN may hold it (purged on publication by portal/frontend_purge.py).

Work a view does on every view, even cached (counting a search), is attached to the response
as events (`add_event`) and replayed by handlers registered with `on_replay`.
"""

import hashlib
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string

from . import versioning
from .conditional import not_modified

CACHEABLE_STATUSES = (200, 404)
NO_STORE_DIRECTIVES = ("private", "no-store", "no-cache")
# Set by this middleware or those outside it on every answer: never stored with the entry.
PER_RESPONSE_HEADERS = {"etag", "last-modified", "cache-control", "x-page-cache", "set-cookie", "content-length"}
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "application/atom+xml", "image/svg+xml")
MIN_COMPRESS_BYTES = 1024
GZIP_SUFFIX = ":gzip"
_replay_handlers = {}


def config():
    """The page cache settings (see portal/settings/base.py), with defaults for absent keys."""
    defaults = {
        "SECONDS": 600,
        "MAX_AGE": 60,
        "S_MAXAGE": 300,
        "MAX_BYTES": 1_000_000,
        "LOCAL_BYTES": 16_000_000,  # each process's own copies of the entries it served last; 0: none
        "CACHE": "default",
        "EXCLUDE": ("/admin/", "/api/", "/documents/", "/media/", "/_util/", "/healthz", "/django-admin/"),
    }
    return {**defaults, **getattr(settings, "PORTAL_PAGE_CACHE", {})}


class LocalEntries:
    """The entries this process served last, up to a total body size, least recently used out first.

    Keys carry the content version, as in the shared cache, so an entry here is never stale either.
    """

    def __init__(self):
        self._entries, self._bytes, self._lock = OrderedDict(), 0, threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry, limit):
        size = len(entry[2])
        if size > limit:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes += size - (len(old[2]) if old else 0)
            self._entries[key] = entry
            while self._bytes > limit:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped[2])

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0


local_entries = LocalEntries()


def on_replay(name):
    """Register `handler(arg)` to run for every event `name` of a page served from the cache."""

    def register(handler):
        _replay_handlers[name] = handler
        return handler

    return register


def add_event(response, name, arg):
    """Something to do on every view of this page, also when it is served from the cache."""
    response.page_cache_events = [*getattr(response, "page_cache_events", ()), (name, arg)]


def run_events(events):
    for name, arg in events:
        handler = _replay_handlers.get(name)
        if handler:
            handler(arg)


def mark_private(request):
    """Keep this request's answer out of every cache (a page under a view restriction)."""
    request.page_cache_private = True


def bypasses(request, conf):
    """True when the request must go through unanswered by the cache."""
    if request.method not in ("GET", "HEAD"):
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers:
        return True
    return request.path_info.startswith(tuple(conf["EXCLUDE"]))


def cache_key(request, token):
    """The content version, then a digest of host, path, the sorted query parameters and the language.

    The language is the one LocaleMiddleware could pick (path prefix, cookie, Accept-Language):
    where the path alone decides, this only splits entries, it never mixes two languages.
    """
    query = sorted((name, tuple(values)) for name, values in request.GET.lists())
    language = translation.get_language_from_request(request, check_path=True) if settings.USE_I18N else ""
    parts = repr((request.get_host(), request.path, query, language)).encode()
    return f"page:{token or 'empty'}:{hashlib.sha256(parts).hexdigest()}"


def entity_tag(key):
    return '"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'


def storable(request, response, conf):
    if response.status_code not in CACHEABLE_STATUSES or response.streaming:
        return False
    if getattr(request, "page_cache_private", False) or getattr(request, "_csp_nonce", None):
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(directive in control for directive in NO_STORE_DIRECTIVES):
        return False
    return len(response.content) <= conf["MAX_BYTES"]


def accepts_gzip(request):
    """As django.middleware.gzip.GZipMiddleware decides."""
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def compressible(response):
    return (
        len(response.content) >= MIN_COMPRESS_BYTES
        and not response.has_header("Content-Encoding")
        and response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES)
    )


def to_entries(response):
    """(the plain entry, the entry for clients accepting gzip: compressed where worth it, else the same)."""
    events = getattr(response, "page_cache_events", [])
    worth_compressing = compressible(response)
    if worth_compressing:
        patch_vary_headers(response, ("Accept-Encoding",))
    headers = [(k, v) for k, v in response.items() if k.lower() not in PER_RESPONSE_HEADERS]
    plain = (response.status_code, headers, response.content, events)
    if not worth_compressing:
        return plain, plain
    squeezed = compress_string(response.content)
    if len(squeezed) >= len(response.content):
        return plain, plain
    return plain, (response.status_code, [*headers, ("Content-Encoding", "gzip")], squeezed, events)


def from_entry(entry):
    status, headers, content, events = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(content))
    return response, events


def add_public_headers(response, etag, changed_at, conf):
    response["ETag"] = etag
    if changed_at:
        response["Last-Modified"] = http_date(changed_at.timestamp())
    patch_cache_control(response, public=True, max_age=conf["MAX_AGE"], s_maxage=conf["S_MAXAGE"])
    return response


def not_modified_response(response):
    """The 304 for `response`: its validators and caching headers, no body."""
    answer = HttpResponse(status=304)
    for name in ("ETag", "Last-Modified", "Cache-Control", "Vary", "X-Page-Cache"):
        if response.has_header(name):
            answer[name] = response[name]
    return answer


class PageCacheMiddleware:
    """Serve anonymous GETs from whole stored responses keyed by the content version."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        conf = config()
        if not conf["SECONDS"] or bypasses(request, conf):
            return self.uncached(request)
        token, changed_at = versioning.read_at_request_start()
        try:
            plain_key = cache_key(request, token)
        except Exception:  # a disallowed Host: let Django answer it with its 400
            return self.uncached(request)
        gzip = accepts_gzip(request)
        key = plain_key + GZIP_SUFFIX if gzip else plain_key
        store = caches[conf["CACHE"]]
        entry = local_entries.get(key) if conf["LOCAL_BYTES"] else None
        if entry is None:
            entry = store.get(key)
            if entry is not None and conf["LOCAL_BYTES"]:
                local_entries.put(key, entry, conf["LOCAL_BYTES"])
        if entry is not None:
            response, events = from_entry(entry)
            run_events(events)
            response["X-Page-Cache"] = "hit"
        else:
            response = self.uncached(request)
            if not (request.method == "GET" and storable(request, response, conf)):
                return response
            plain, squeezed = to_entries(response)
            store.set_many({plain_key: plain, plain_key + GZIP_SUFFIX: squeezed}, conf["SECONDS"])
            if conf["LOCAL_BYTES"]:
                local_entries.put(key, squeezed if gzip else plain, conf["LOCAL_BYTES"])
            if gzip and squeezed is not plain:
                response, _ = from_entry(squeezed)
            response["X-Page-Cache"] = "miss"
        etag = entity_tag(key)
        add_public_headers(response, etag, changed_at, conf)
        if response.status_code == 200 and not_modified(request, etag, changed_at):
            return not_modified_response(response)
        return response

    def uncached(self, request):
        with versioning.watching_lag() as lagging:
            response = self.get_response(request)
            if lagging():  # made from a catalogue index older than the version: keep it nowhere
                mark_private(request)
        if getattr(request, "page_cache_private", False):
            patch_cache_control(response, private=True)
        return response
