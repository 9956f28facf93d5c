"""Server-side timings, in process: the whole Django stack (middleware, URLs, views, templates)
through django.test.Client, with no network and no web server in the figures."""

import os
import statistics
import threading
import time
import tracemalloc

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def percentile(values, fraction):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summarise(times_ms, statuses):
    if not times_ms:
        return {"n": 0}
    return {
        "n": len(times_ms),
        "p50_ms": round(percentile(times_ms, 0.50), 1),
        "p95_ms": round(percentile(times_ms, 0.95), 1),
        "max_ms": round(max(times_ms), 1),
        "mean_ms": round(statistics.fmean(times_ms), 1),
        "statuses": {str(code): statuses.count(code) for code in sorted(set(statuses))},
    }


def _consume(response):
    """Read the whole body, as a client would; return its size in bytes and its number of lines."""
    if response.streaming:
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
        return size, lines
    return len(response.content), response.content.count(b"\n")


class Bench:
    """Times GET requests; stops an endpoint early when it exceeds its time budget."""

    def __init__(self, requests=200, warmup=10, budget_s=90.0):
        self.client = Client(raise_request_exception=False)
        self.requests = requests
        self.warmup = warmup
        self.budget_s = budget_s

    def get(self, url):
        started = time.perf_counter()
        response = self.client.get(url)
        _consume(response)
        return (time.perf_counter() - started) * 1000, response.status_code

    def queries(self, url):
        """How many SQL queries one request runs (measured apart: capturing slows requests)."""
        with CaptureQueriesContext(connection) as captured:
            self.client.get(url)
        return len(captured.captured_queries)

    def run(self, urls, *, requests=None, cold=True):
        """Time `requests` GETs cycling through `urls` after warming up on the first few.

        Cold (the default) empties Django's cache before each request, untimed: a benchmark
        cycling through a few dozen URLs would otherwise time cache hits, while real visitors
        bring a long tail of distinct queries. Warm runs show what a hit costs.
        """
        requests = requests or self.requests
        for url in urls[: self.warmup]:
            self.get(url)
        times, statuses, by_url = [], [], {}
        deadline = time.perf_counter() + self.budget_s
        for i in range(requests):
            url = urls[i % len(urls)]
            if cold:
                cache.clear()
            elapsed, status = self.get(url)
            times.append(elapsed)
            statuses.append(status)
            by_url[url] = max(elapsed, by_url.get(url, 0))
            if time.perf_counter() > deadline:
                break
        result = summarise(times, statuses)
        result["queries"] = self.queries(urls[0])
        result["example"] = urls[0]
        if len(by_url) > 1:
            slowest = sorted(by_url.items(), key=lambda item: item[1], reverse=True)[:5]
            result["slowest"] = [[url, round(ms, 1)] for url, ms in slowest]
        return result


def _rss_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class RssSampler:
    """Peak resident memory while a block runs, sampled every few milliseconds from /proc."""

    def __init__(self, interval=0.005):
        self.interval = interval
        self.peak = self.start = 0
        self._stop = threading.Event()

    def __enter__(self):
        self.start = self.peak = _rss_bytes()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_bytes())
            time.sleep(self.interval)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())


def export(url, *, trace_memory=True):
    """Download an export in full: time, size, rows per second and how much memory it took.

    The timed run samples RSS only; a second run under tracemalloc gives the Python heap peak
    (tracemalloc slows Python down, so its time is not the one reported).
    """
    client = Client(raise_request_exception=False)
    with RssSampler() as rss:
        started = time.perf_counter()
        response = client.get(url)
        size, lines = _consume(response)
        elapsed = time.perf_counter() - started
    rows = max(0, lines - 1) if url.split("?")[0].endswith(".csv") else None
    result = {
        "url": url,
        "status": response.status_code,
        "streaming": response.streaming,
        "seconds": round(elapsed, 2),
        "bytes": size,
        "rss_start_mb": round(rss.start / 2**20, 1),
        "rss_peak_growth_mb": round((rss.peak - rss.start) / 2**20, 1),
    }
    if rows is not None:
        result["rows"] = rows
        result["rows_per_s"] = round(rows / elapsed) if elapsed else None
    if trace_memory:
        tracemalloc.start()
        try:
            _consume(client.get(url))
            result["python_heap_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        finally:
            tracemalloc.stop()
    return result


def render_times(urls, *, requests=None):
    """p50/p95 of the template rendering inside each request, apart from the whole request's time.

    Times the template backend's `render` (the page's top-level template with its includes), as
    Page.serve's TemplateResponse calls it, over the same cold requests as `Bench.run`.
    """
    from django.template.backends.django import Template

    spent, spent_cpu = [], []
    original = Template.render

    def timed(self, *args, **kwargs):
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent.append((time.perf_counter() - started) * 1000)
            spent_cpu.append((time.process_time() - cpu_started) * 1000)

    client = Client(raise_request_exception=False)
    renders, renders_cpu, totals = [], [], []
    Template.render = timed
    try:
        for i in range(requests or len(urls)):
            cache.clear()
            spent.clear()
            spent_cpu.clear()
            started = time.perf_counter()
            _consume(client.get(urls[i % len(urls)]))
            totals.append((time.perf_counter() - started) * 1000)
            renders.append(sum(spent))
            renders_cpu.append(sum(spent_cpu))
    finally:
        Template.render = original
    return {
        "n": len(renders),
        "render_p50_ms": round(percentile(renders, 0.50), 1),
        "render_p95_ms": round(percentile(renders, 0.95), 1),
        "render_cpu_p50_ms": round(percentile(renders_cpu, 0.50), 1),
        "request_p50_ms": round(percentile(totals, 0.50), 1),
    }


def stix(url):
    """The STIX bundle in full: time, objects (each has one "spec_version"), objects per second, RSS growth."""
    client = Client(raise_request_exception=False)
    objects = size = 0
    with RssSampler() as rss:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        for chunk in response.streaming_content:
            size += len(chunk)
            objects += chunk.count(b'"spec_version"')
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "url": url,
        "status": response.status_code,
        "streaming": response.streaming,
        "seconds": round(elapsed, 2),
        # On a busy machine the wall time mostly measures waiting for a core; this is the work.
        "cpu_seconds": round(cpu, 2),
        "bytes": size,
        "objects": objects,
        "objects_per_s": round(objects / elapsed) if elapsed else None,
        "rss_start_mb": round(rss.start / 2**20, 1),
        "rss_peak_growth_mb": round((rss.peak - rss.start) / 2**20, 1),
    }
