"""Checking cited URLs: is the page still there, has it moved, and does the Wayback Machine hold a copy.

Standard library only (urllib and concurrent.futures): a link check needs GET, redirects, timeouts and
threads, all of which the stdlib has, so it adds no dependency. It is polite by construction: a bounded
thread pool, at most `per_host` requests in flight to any one host (the Wayback Machine included), a
timeout on every request, and a User-Agent naming the portal and its URL so a site owner can see who asks.

The rule editors rely on: only a 404 or 410 answered by the server means the page is dead. A network
failure, a timeout, a DNS or TLS error, a redirect loop, or any other status (403, 429, 500, ...) means
"unreachable, retry": the page may be fine and this run could not tell. Workers only talk to the network;
the caller writes results to the database, so no thread touches a connection it does not own.
"""

import http.client
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from .models.sourcehealth import SourceStatus

DEAD_CODES = {404, 410}
NETWORK_ERRORS = (urllib.error.URLError, OSError, http.client.HTTPException, ValueError)


@dataclass(frozen=True)
class CheckResult:
    url: str
    status: str
    http_status: int | None = None
    final_url: str = ""
    error: str = ""
    # None: the Wayback Machine was not asked, or could not be reached; "": asked, no copy; else the copy's URL.
    archived_url: str | None = None


class HostLimiter:
    """A semaphore per host, so that a run never has more than `per_host` requests open to one site."""

    def __init__(self, per_host):
        self.per_host = per_host
        self._lock = threading.Lock()
        self._semaphores = {}

    def __call__(self, url):
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        with self._lock:
            return self._semaphores.setdefault(host, threading.BoundedSemaphore(self.per_host))


def _open(url, user_agent, timeout):
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": "*/*"})
    return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 (http/https only: checked by the caller)


def check_url(url, *, user_agent, timeout):
    """GET `url` (following redirects) and classify what came back."""
    if not url.lower().startswith(("http://", "https://")):
        return CheckResult(url, SourceStatus.UNREACHABLE, error="not an http(s) URL")
    try:
        with _open(url, user_agent, timeout) as response:
            final_url, code = response.geturl(), response.status
    except urllib.error.HTTPError as error:
        final_url = error.geturl() or url
        error.close()
        status = SourceStatus.DEAD if error.code in DEAD_CODES else SourceStatus.UNREACHABLE
        return CheckResult(url, status, error.code, final_url, f"HTTP {error.code}")
    except NETWORK_ERRORS as error:
        reason = getattr(error, "reason", None) or error
        return CheckResult(url, SourceStatus.UNREACHABLE, error=f"{type(error).__name__}: {reason}"[:200])
    status = SourceStatus.OK if final_url == url else SourceStatus.REDIRECTED
    return CheckResult(url, status, code, final_url)


def wayback_lookup(url, *, base_url, user_agent, timeout):
    """The Wayback Machine's closest copy of `url`: its URL, "" when there is none, None when it could not say."""
    query = f"{base_url}?{urllib.parse.urlencode({'url': url})}"
    try:
        with _open(query, user_agent, timeout) as response:
            data = json.load(response)
    except NETWORK_ERRORS:
        return None
    closest = (data.get("archived_snapshots") or {}).get("closest") or {} if isinstance(data, dict) else {}
    copy = str(closest.get("url") or "")
    if closest.get("available") and copy.startswith(("http://", "https://")):
        return copy
    return ""


def run_checks(jobs, *, user_agent, timeout, workers, per_host, wayback_url):
    """Check each (url, wants_archive) job concurrently; yields a CheckResult per job as each finishes."""
    limiter = HostLimiter(per_host)

    def work(url, wants_archive):
        with limiter(url):
            result = check_url(url, user_agent=user_agent, timeout=timeout)
        if not wants_archive:
            return result
        with limiter(wayback_url):
            archived = wayback_lookup(url, base_url=wayback_url, user_agent=user_agent, timeout=timeout)
        return CheckResult(**{**result.__dict__, "archived_url": archived})

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(work, url, wants_archive) for url, wants_archive in jobs]
        for future in as_completed(futures):
            yield future.result()
