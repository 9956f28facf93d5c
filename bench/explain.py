"""`python -m bench.explain URL [URL…]`: the SQL one request runs on the benchmark database,
slowest first, with EXPLAIN ANALYZE of the slowest (PostgreSQL) or the query plan (SQLite).

  BENCH_EXPLAIN_TOP   how many queries to explain (default 3)
"""

import os
import sys
import time

os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("BENCH_SETTINGS", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from .measure import _consume  # noqa: E402


def explain(sql, settings=None):
    """The plan of `sql`, run after `settings` (the SET LOCAL statement the request ran before it)."""
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    if sql.lstrip().upper().startswith("DECLARE"):
        # A server-side cursor (QuerySet.iterator): explain the query it was declared for.
        sql = sql[sql.upper().index(" FOR ") + 5 :]
    with transaction.atomic(), connection.cursor() as cursor:
        if settings:
            cursor.execute(settings)
        cursor.execute(prefix + sql)
        return "\n".join(" | ".join(str(col) for col in row) for row in cursor.fetchall())


def report(url, top):
    client = Client(raise_request_exception=False)
    _consume(client.get(url))  # warm caches, as the benchmark does
    cache.clear()  # but time a cold request, as the benchmark does: not the page from the cache
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        _consume(response)
        elapsed = (time.perf_counter() - started) * 1000
    # The planner settings a statement ran under (search's SET LOCAL), to explain it under them too.
    in_order = captured.captured_queries
    settings = {
        id(query): previous["sql"]
        for previous, query in zip(in_order, in_order[1:], strict=False)
        if previous["sql"].startswith("SET LOCAL")
    }
    queries = sorted(in_order, key=lambda q: float(q["time"]), reverse=True)
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    print(f"== {url}: {response.status_code}, {elapsed:.0f} ms, {len(queries)} queries, {sql_ms:.0f} ms in SQL")
    for query in queries:
        print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:160]}")
    for query in queries[:top]:
        print(f"\n-- {float(query['time']) * 1000:.1f} ms\n{query['sql']}\n")
        print(explain(query["sql"], settings.get(id(query))))


def main(argv):
    top = int(os.environ.get("BENCH_EXPLAIN_TOP", "3"))
    for url in argv or ["/cases/"]:
        report(url, top)


if __name__ == "__main__":
    main(sys.argv[1:])
