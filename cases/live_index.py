"""The catalogue index as published now, in each process, kept current without making visitors wait.

Each process (each gunicorn worker) holds its own index (index.py) labelled with the content
version it was built from (portal/versioning.py); every request reads the version (one query).
When the version has moved on, building again from the database takes about 1.5 s at 100,000
cases, plus the texts the words filter scans and the chart data: too long for the visitor who
happens to come next. So, once a process holds an index:

- a background thread builds the new one and swaps it in whole when it is ready, with its
  texts and chart data loaded; until then the previous one serves;
- the previous one never shows a case withdrawn since it was built. The first request that
  sees a new version asks the database which of the index's cases are no longer published
  (unpublished, deleted, expired, made private or moved: one query, whatever the cause) and
  which countries and terms are no longer live, and masks them out of every bit set
  (`CatalogueIndex.without`). That costs tens of milliseconds once per version per process.
  A newly published case or a changed link shows when the rebuild lands, seconds later.

The request that starts a rebuild waits for it for up to CATALOGUE_INDEX_WAIT_S: a small site
rebuilds within that and is never stale. The first index of a process is built on its first
request, as before. With CATALOGUE_INDEX_BACKGROUND off (the test settings) every change is
rebuilt on the request that sees it, so a test sees its publication at once.
"""

import json
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections

from portal import db_router, versioning

from .chart_index import chart_index
from .index import TERM_FILTERS, CatalogueIndex, bits_from_positions
from .index_build import build_index
from .models import CaseStudyPage, Country

logger = logging.getLogger(__name__)
UNREAD = object()  # no content version given: read it (None is a version, before the first change)


@dataclass(frozen=True)
class Held:
    version: str | None
    index: CatalogueIndex


def in_thread(work):
    """Run `work()` in a daemon thread with database connections of its own, closed at the end."""

    def run():
        try:
            work()
        finally:
            connections.close_all()  # this thread's connections only: they are per thread

    thread = threading.Thread(target=run, name="catalogue-index", daemon=True)
    thread.start()
    return thread


def prepared(index):
    """The index with what its first users would otherwise load: the words' texts, the chart
    data, its pks for `withdrawn_bits` and the permutation search's facets use."""
    index.preload_texts()  # (text_bits("") returned at once and left them unread)
    chart_index(index)
    ids_parameter(index)
    index.bits_of_pk_bits(1)
    return index


class LiveIndex:
    """This process's catalogue index: `get()` costs one query while the content is unchanged."""

    def __init__(self, build=build_index, start=in_thread):
        self._build = build
        self._start = start  # start(work) -> something with join(timeout), or None
        self._held = None  # Held: the latest full build, replaced whole
        self._masked = None  # Held: that build with what was withdrawn since, for a later version
        self._running = None  # the rebuild in progress, if any
        self._lock = threading.RLock()  # reentrant: a test may run the rebuild inside _start

    def get(self, version=UNREAD):
        """The index for the content version now in force; `version` if the caller has read it
        already this request (`versioning.current()`), which saves reading it again."""
        if version is UNREAD:
            version = versioning.current()
        held = self._held
        if held is not None and held.version == version:
            return held.index
        if held is None or not getattr(settings, "CATALOGUE_INDEX_BACKGROUND", True):
            return self._build_now(version)
        # Mask first: the rebuild's thread will compete for the interpreter with this request.
        masked = self._masked_for(version, held)
        started = self._rebuild_in_background(version)  # unless one is running (or failed: again)
        wait = getattr(settings, "CATALOGUE_INDEX_WAIT_S", 0.05)
        if started is not None and wait:
            started.join(wait)  # only the request that started it waits
        held = self._held
        if held.version == version:
            return held.index
        versioning.mark_lagging()  # no cache may keep what is made from it under this version
        return masked

    def forget(self):
        """Drop this process's index and lose track of any rebuild (the benchmark and tests)."""
        with self._lock:
            self._held = self._masked = self._running = None

    def rebuilding(self):
        """Whether a rebuild is in progress (the benchmark)."""
        return self._running is not None

    def wait(self, timeout=None):
        """Wait for the rebuild in progress, if any (tests and the benchmark)."""
        running = self._running
        if running is not None:
            running.join(timeout)

    def _build_now(self, version):
        with self._lock:
            held = self._held
            if held is None or held.version != version:
                with db_router.primary():  # a lagging replica must not label old rows with a new version
                    index = self._build()
                ids_parameter(index)  # for the withdrawn-case check after the next change
                held = self._held = Held(version, index)
                self._masked = None
        return held.index

    def _rebuild_in_background(self, version):
        """Start a rebuild for `version` unless one is running; the thread if this call started it."""
        with self._lock:
            if self._running is not None:
                return None
            self._running = self._start(lambda: self._rebuild(version))
            return self._running

    def _rebuild(self, version):
        """Build for `version` (read before any of the data: a later change moves it on again)."""
        try:
            with db_router.primary():  # this thread's own context: the request's does not carry over
                index = prepared(self._build())
            with self._lock:
                self._held = Held(version, index)
                self._masked = None
        except Exception:
            logger.exception("rebuilding the catalogue index failed; the next request tries again")
        finally:
            with self._lock:  # after _rebuild_in_background has stored the thread
                self._running = None

    def _masked_for(self, version, held):
        masked = self._masked
        if masked is None or masked.version != version:
            with db_router.primary():
                index = held.index.without(withdrawn_bits(held.index), *live_vocabulary())
            masked = self._masked = Held(version, index)
        return masked.index


def withdrawn_bits(index):
    """The cases of `index` that are not published now, whatever withdrew them (one query)."""
    published = CaseStudyPage.objects.published().order_by().values("pk")
    published_sql, params = published.query.sql_with_params()
    if connection.vendor == "postgresql":
        held_sql = "SELECT unnest(%s::int[])"
    else:
        held_sql = "SELECT value FROM json_each(%s)"
    held = ids_parameter(index)
    with connection.cursor() as cursor:
        cursor.execute(f"{held_sql} EXCEPT {published_sql}", [held, *params])
        gone = [row[0] for row in cursor.fetchall()]
    return bits_from_positions(index.position_of[pk] for pk in gone)


def ids_parameter(index):
    """The index's case pks as one text parameter, '[1,2,…]' (a list of 100,000 ints is slow to
    adapt); kept with the build, and made by the rebuild before it is swapped in."""
    derived = index.base.derived
    if "ids_parameter" not in derived:
        derived["ids_parameter"] = json.dumps(index.base.ids.tolist(), separators=(",", ":"))
    text = derived["ids_parameter"]
    return "{" + text[1:-1] + "}" if connection.vendor == "postgresql" else text


def live_vocabulary():
    """(codes of the live countries, {filter name: pks of its live terms})."""
    codes = set(Country.objects.live().values_list("code", flat=True))
    terms = {name: set(model.objects.live().values_list("pk", flat=True)) for name, (_, model) in TERM_FILTERS.items()}
    return codes, terms


_live = LiveIndex()

# The index of the catalogue as published now (one query while nothing has changed).
catalogue_index = _live.get
forget = _live.forget
wait = _live.wait
rebuilding = _live.rebuilding
