"""`python -m bench`: build the benchmark database, time the public endpoints, print JSON.

Environment:
  BENCH_DATABASE_URL  the benchmark database (default postgres://postgres@127.0.0.1:5432/eip_bench;
                      sqlite:////tmp/eip_bench.sqlite3 works too). Never DATABASE_URL.
  BENCH_CASES         synthetic cases wanted (default 10000)
  BENCH_REBUILD=1     drop the database and build it again
  BENCH_REQUESTS      timed requests per endpoint (default 200)
  BENCH_BUDGET_S      time budget per endpoint in seconds (default 90)
  BENCH_ONLY          comma-separated sections: catalogue,baselines,upkeep,hubs,briefing,search,narrowing,
                      autocomplete,api,stix,exports
  BENCH_TRACEMALLOC=0 skip the tracemalloc pass over the CSV exports
"""

import datetime
import json
import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path

# The Makefile exports the dev settings; the benchmark always runs on its own (DEBUG off).
os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("BENCH_SETTINGS", "bench.settings")

import django  # noqa: E402

django.setup()

import wagtail  # noqa: E402
from django.db import connections  # noqa: E402

from cases.models import CaseStudyPage  # noqa: E402

from . import baselines, builder, database, measure, scenarios  # noqa: E402

RESULTS_DIR = Path(__file__).resolve().parent


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def progress(stage, done, total):
    if done == total or done % 10000 < 2000:
        log(f"{stage}: {done}/{total}")


def build(total):
    """Bring the database to exactly `total` cases, reusing it when it already holds them."""
    timings = {}
    if os.environ.get("BENCH_REBUILD") == "1":
        log("BENCH_REBUILD=1: dropping the benchmark database")
        database.drop()
    started = time.perf_counter()
    database.prepare()
    timings["migrate_s"] = round(time.perf_counter() - started, 2)
    if CaseStudyPage.objects.count() > total:
        log(f"database holds more than {total} cases: rebuilding")
        database.drop()
        started = time.perf_counter()
        database.prepare()
        timings["migrate_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    result = builder.build(total, progress=progress)
    timings.update(result)
    if result["added"]:
        analyze_started = time.perf_counter()
        database.analyze()
        timings["analyze_s"] = round(time.perf_counter() - analyze_started, 2)
        timings["build_total_s"] = round(time.perf_counter() - started, 2)
        log(f"added {result['added']} cases in {timings['build_total_s']} s")
    else:
        log(f"reusing {result['existing']} cases")
    return timings


def time_catalogue_index():
    """How long a process takes to (re)build the catalogue index, as after each publication."""
    from cases import index_build as index

    started = time.perf_counter()
    built = index.build_index()
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    built.text_bits("x")
    texts_s = time.perf_counter() - started
    cases = len(built.ids)
    del built
    tracemalloc.start()
    traced = index.build_index()
    index_mb = tracemalloc.get_traced_memory()[0] / 2**20
    traced.text_bits("x")
    texts_mb = tracemalloc.get_traced_memory()[0] / 2**20 - index_mb
    tracemalloc.stop()
    del traced
    return {
        "cases": cases,
        "build_s": round(build_s, 2),
        "first_text_filter_s": round(texts_s, 2),
        "memory_mb": round(index_mb, 1),
        "text_memory_mb": round(texts_mb, 1),
    }


ALL_SECTIONS = (
    "catalogue",
    "baselines",
    "upkeep",
    "hubs",
    "briefing",
    "search",
    "narrowing",
    "autocomplete",
    "api",
    "stix",
    "exports",
)


def time_index_upkeep(bench):
    """What a publication costs in index upkeep (cases/live_index.py), on the production path.

    One case is withdrawn (its page row set not live, the content version moved on): the next
    visitor's process masks it out of its index and starts the rebuild; `visitor_ms` is what that
    adds to the visitor's request. Pages served while the rebuild runs in the same process are
    timed too (they share the CPU with it), and the rebuild until it is swapped in. The case is
    put back afterwards, the same way.
    """
    from django.core.cache import cache
    from wagtail.models import Page

    from cases import live_index
    from portal import versioning

    live_index.forget()
    started = time.perf_counter()
    live_index.catalogue_index()
    cold_s = time.perf_counter() - started
    bench.get("/cases/")
    quiet = []
    for _ in range(10):  # the same page with no rebuild running, for comparison
        cache.clear()
        quiet.append(bench.get("/cases/")[0])
    case = CaseStudyPage.objects.published().order_by("-pk").values_list("pk", flat=True).first()
    result = {
        "first_build_in_a_process_s": round(cold_s, 2),
        "pages_without_rebuild": measure.summarise(quiet, [200] * len(quiet)),
    }
    for change, live in (("withdraw", False), ("restore", True)):
        Page.objects.filter(pk=case).update(live=live)
        versioning.bump()
        started = time.perf_counter()
        index = live_index.catalogue_index()
        visitor_ms = (time.perf_counter() - started) * 1000
        during = []
        while live_index.rebuilding():
            cache.clear()
            during.append(bench.get("/cases/")[0])
        live_index.wait()
        rebuild_s = time.perf_counter() - started
        shown = (index.all >> index.position_of[case]) & 1 if case in index.position_of else 0
        result[change] = {
            "visitor_ms": round(visitor_ms, 1),
            "case_shown_by_the_visitors_index": bool(shown),
            "background_rebuild_s": round(rebuild_s, 2),
            "pages_during_rebuild": measure.summarise(during, [200] * len(during)) if during else {"n": 0},
        }
    return result


def sections():
    wanted = os.environ.get("BENCH_ONLY")
    return set(wanted.split(",")) if wanted else set(ALL_SECTIONS)


def time_briefing(bench, values):
    """The busiest country's PDF briefing: rendered cold (cache emptied, index built), then from the cache."""
    from django.core.cache import cache

    url = scenarios.briefing_url(values)
    cold = bench.run([url], requests=max(5, bench.requests // 40))
    cache.clear()
    cold["queries"] = bench.queries(url)  # of a render; the hit's are in the warm entry
    cold["country_cases"] = CaseStudyPage.objects.published().in_country(values.countries[0].code).count()
    # CPU time of one render: wall times stretch when other work shares the machine's cores.
    cache.clear()
    started = time.process_time()
    response = bench.client.get(url)
    cold["cpu_ms_one_render"] = round((time.process_time() - started) * 1000, 1)
    cold["bytes"] = len(response.content)
    try:
        from io import BytesIO

        from pypdf import PdfReader  # a test dependency: `make bench` installs requirements-dev

        cold["pages"] = len(PdfReader(BytesIO(response.content)).pages)
    except ImportError:
        pass
    warm = bench.run([url], requests=max(20, bench.requests // 10), cold=False)
    return cold, warm


def main():
    total = int(os.environ.get("BENCH_CASES", "10000"))
    bench = measure.Bench(
        requests=int(os.environ.get("BENCH_REQUESTS", "200")),
        budget_s=float(os.environ.get("BENCH_BUDGET_S", "90")),
    )
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "wagtail": wagtail.__version__},
    }
    report["build"] = build(total)
    report["database"] = database.describe()
    report["cases"] = CaseStudyPage.objects.count()
    report["live_cases"] = CaseStudyPage.objects.published().count()
    # Other work on the machine inflates timings: the load average says how quiet it was.
    report["loadavg_before"] = [round(x, 2) for x in os.getloadavg()]
    rng = scenarios.seeded(1125)
    values = scenarios.Values()
    endpoints = report["endpoints"] = {}
    run = sections()
    db = report["database"]
    results_file = RESULTS_DIR / f"results-{db['vendor']}-{Path(db['name']).stem}-{report['cases']}.json"

    def save():
        # After every section, so that an interrupted run still leaves what it measured.
        results_file.write_text(json.dumps(report, indent=2) + "\n")

    if "catalogue" in run:
        log("catalogue")
        report["catalogue_index"] = time_catalogue_index()
        endpoints["catalogue_unfiltered"] = bench.run(["/cases/"], requests=max(20, bench.requests // 4))
        filtered = scenarios.catalogue_urls(rng, values, bench.requests)
        endpoints["catalogue_filtered"] = bench.run(filtered)
        endpoints["catalogue_filtered_warm"] = bench.run(
            filtered[:20], requests=max(20, bench.requests // 4), cold=False
        )
        last_page = (report["live_cases"] + 19) // 20
        endpoints["catalogue_last_page"] = bench.run([f"/cases/?page={last_page}"], requests=20)
        # Of each cold request, how long the template takes (issue 14's goal: p50 <= 25 ms).
        endpoints["catalogue_render"] = measure.render_times(["/cases/", *filtered[:49]], requests=50)
        save()
    if "baselines" in run:
        # Issue 14: the data layers beside a plain-ORM catalogue and Wagtail's stock search, interleaved.
        log("baselines: catalogue index vs plain ORM, search vs Wagtail's stock search")
        count = max(20, bench.requests // 4)
        own = scenarios.seeded(2014)  # its own draws: the other sections' URLs stay those of earlier runs
        queries = [q for qs in scenarios.search_queries(own, values).values() for q in qs]
        report["baselines"] = {
            "catalogue": baselines.catalogue(scenarios.catalogue_urls(own, values, count), bench.budget_s),
            "search": baselines.search((queries * 4)[:count], bench.budget_s),
        }
        save()
    if "upkeep" in run:
        log("index upkeep after a publication")
        report["index_upkeep"] = time_index_upkeep(bench)
        save()
    if "hubs" in run:
        log("country hubs")
        busiest, others = scenarios.hub_urls(rng, values, bench.requests)
        endpoints["country_hub_busiest"] = bench.run([busiest], requests=max(10, bench.requests // 10))
        endpoints["country_hub_busiest"]["country_cases"] = (
            CaseStudyPage.objects.published().in_country(values.countries[0].code).count()
        )
        endpoints["country_hub_random"] = bench.run(others, requests=max(20, bench.requests // 2))
        endpoints["country_index"] = bench.run(["/countries/"], requests=max(10, bench.requests // 10))
        save()
    if "briefing" in run:
        log("country briefing")
        endpoints["briefing_busiest_cold"], endpoints["briefing_busiest_warm"] = time_briefing(bench, values)
        save()
    if "search" in run:
        log("search")
        by_kind = scenarios.search_urls(scenarios.search_queries(rng, values))
        mixed = [url for urls in zip(*[urls * 4 for urls in by_kind.values()], strict=False) for url in urls]
        endpoints["search_mixed"] = bench.run(mixed)
        endpoints["search_mixed_warm"] = bench.run(mixed, cold=False)
        per_kind = {}
        for kind, urls in by_kind.items():
            stats = bench.run(urls, requests=max(10, bench.requests // 10))
            per_kind[kind] = {key: stats[key] for key in ("p50_ms", "p95_ms", "max_ms", "statuses") if key in stats}
        endpoints["search_by_kind"] = per_kind
        save()
    if "narrowing" in run and connections["default"].vendor == "postgresql":
        log("search: narrowed by the catalogue index against the join with the published pages, interleaved")
        by_kind = scenarios.search_urls(scenarios.search_queries(scenarios.seeded(1125), values))
        mixed = [url for urls in zip(*[urls * 4 for urls in by_kind.values()], strict=False) for url in urls]
        report["search_narrowing"] = baselines.search_narrowing(bench, mixed)
        save()
    if "autocomplete" in run:
        url = scenarios.autocomplete_url()
        if url:
            log(f"autocomplete at {url}")
            prefixes = scenarios.autocomplete_prefixes()
            endpoints["autocomplete"] = bench.run([f"{url}?q={p}" for p in prefixes])
        else:
            endpoints["autocomplete"] = {"skipped": "no autocomplete URL is mounted yet"}
        save()
    if "api" in run:
        log("api")
        api_urls = [
            url.replace(scenarios.CATALOGUE, "/api/v1/cases/", 1)
            for url in scenarios.catalogue_urls(rng, values, bench.requests)
        ]
        endpoints["api_cases_filtered"] = bench.run(api_urls)
        endpoints["api_cases_filtered"]["queries_per_request"] = bench.queries(api_urls[0])
        endpoints["api_cases_unfiltered"] = bench.run(
            ["/api/v1/cases/?page_size=100"], requests=max(20, bench.requests // 4)
        )
        save()
    if "stix" in run:
        log("stix")
        # Issue 12's goal: the whole catalogue as STIX in <= 30 s at 100,000 cases, memory flat.
        report["stix"] = {
            "all": measure.stix("/cases/export.stix.json"),
            "busiest_country": measure.stix(f"/cases/export.stix.json?country={values.countries[0].code}"),
        }
        save()
    if "exports" in run:
        trace = os.environ.get("BENCH_TRACEMALLOC", "1") != "0"
        exports = report["exports"] = {}
        for name, url in [
            ("csv_all", "/cases/export.csv"),
            ("json_all", "/cases/export.json"),
            ("atom", "/cases/feed.atom"),
            ("navigator_all", "/cases/export.navigator.json"),
            ("csv_busiest_country", f"/cases/export.csv?country={values.countries[0].code}"),
        ]:
            log(f"export {url}")
            exports[name] = measure.export(url, trace_memory=trace and name.startswith("csv"))
            save()

    report["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    connections.close_all()
    save()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
