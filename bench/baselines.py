"""What the portal's data layers are measured against, interleaved with them in one run.

- Catalogue: the portal reads the matching cases, one page of them and every facet from the
  in-memory index (cases/index.py). The baseline is the plain ORM way: the same FilterSet's
  queryset (`filterset.qs`, as the exports use it), a COUNT, the first page, and one GROUP BY per
  facet, each with the other facets' filters applied (so a visitor can widen a choice, as the
  portal's facets allow).
- Search: the portal's `run_search` (matches, ranking, facets, country box) against Wagtail's
  stock search on the same index (`Page.objects.live().public().type(...).search(q)`), a COUNT
  and the first page, with no facets: the baseline does less.

Each pair runs one after the other on the same input, the cache emptied before each, so both see
the same machine load; the ratio is baseline / portal, above 1 when the portal is faster.
"""

import time
from urllib.parse import parse_qsl, urlsplit

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from wagtail.models import Page

from cases.catalogue import PAGE_SIZE, IndexedCases
from cases.facets import catalogue_facets
from cases.filters import bind_case_filters
from cases.live_index import catalogue_index
from cases.models import CaseStudyPage
from guides.models import GuidePage
from search import pgsearch
from search.queries import run_search

from .measure import summarise

# Facet name → the ORM path it counts (actor_country and the two year ends count like the portal's).
FACETS = {
    "country": "countries__code",
    "region": "countries__region_slug",
    "tactic": "tactics__slug",
    "actor_type": "actors__actor_type",
    "actor_country": "actors__country__code",
    "origin": "origin",
    "attribution": "attribution_status",
    "channel": "channels__slug",
    "target": "targets__slug",
}


def params_of(url):
    """The catalogue URL's filters as a QueryDict (its page number left out: the baselines read page 1)."""
    query = QueryDict(mutable=True)
    for name, value in parse_qsl(urlsplit(url).query):
        if name != "page":
            query.appendlist(name, value)
    return query


def portal_catalogue(params):
    filterset, _problems = bind_case_filters(params)
    index = catalogue_index()
    selection = index.select(filterset.active)
    results = IndexedCases(index, selection.matching(), filterset.sort_order)
    page = list(results[:PAGE_SIZE])
    facets = catalogue_facets(selection, filterset)
    return len(results), len(page), len(facets)


def orm_catalogue(params):
    filterset, _problems = bind_case_filters(params)
    queryset = filterset.qs
    total = queryset.count()
    page = list(queryset.for_listing()[:PAGE_SIZE])
    facets = {}
    for name, path in FACETS.items():
        others = params.copy()
        others.pop(name, None)
        rows = bind_case_filters(others)[0].qs.order_by().values_list(path).annotate(n=Count("pk", distinct=True))
        facets[name] = list(rows)
    years = queryset.order_by().annotate(year=ExtractYear("first_seen")).values_list("year").annotate(n=Count("pk"))
    facets["year"] = list(years)
    return total, len(page), len(facets)


def portal_search(query):
    return run_search(query).total


def stock_search(query):
    results = Page.objects.live().public().type(CaseStudyPage, GuidePage).search(query)
    return results.count(), len(list(results[:PAGE_SIZE]))


def _timed(work, argument):
    cache.clear()
    started = time.perf_counter()
    work(argument)
    return (time.perf_counter() - started) * 1000


def interleaved(pairs, inputs, budget_s):
    """{name: summary} for each (name, work) of `pairs`, run in turn on every input; plus the p50 ratio."""
    times = {name: [] for name, _ in pairs}
    for _name, work in pairs:
        work(inputs[0])  # untimed: what a serving worker has already loaded (templates, plans, vocabularies)
    deadline = time.perf_counter() + budget_s
    for argument in inputs:
        for name, work in pairs:
            times[name].append(_timed(work, argument))
        if time.perf_counter() > deadline:
            break
    report = {}
    for name, values in times.items():
        report[name] = summarise(values, [])
        del report[name]["statuses"]
    (portal, _), (baseline, _) = pairs
    report["ratio_p50"] = round(report[baseline]["p50_ms"] / report[portal]["p50_ms"], 2)
    report["ratio_p95"] = round(report[baseline]["p95_ms"] / report[portal]["p95_ms"], 2)
    return report


def catalogue(urls, budget_s=90.0):
    catalogue_index().preload_texts()  # built once per process, texts loaded, as a serving worker has it
    params = [params_of(url) for url in urls]
    return interleaved([("portal_index", portal_catalogue), ("plain_orm", orm_catalogue)], params, budget_s)


def search(queries, budget_s=90.0):
    catalogue_index()
    return interleaved([("portal_search", portal_search), ("wagtail_stock", stock_search)], queries, budget_s)


def search_narrowing(bench, urls, rounds=3):
    """Cold searches narrowed by the catalogue index against the same searches narrowed by joining
    the published pages (search/pgsearch.py), interleaved URL by URL in alternating order, so that
    a machine whose speed drifts during the run treats both alike. PostgreSQL only."""
    by_index = pgsearch._find_by_index

    def timed(url, narrowed):
        pgsearch._find_by_index = by_index if narrowed else (lambda *args, **kwargs: None)
        try:
            cache.clear()
            return bench.get(url)
        finally:
            pgsearch._find_by_index = by_index

    for url in urls[: bench.warmup]:
        timed(url, True), timed(url, False)
    times = {True: [], False: []}
    statuses = {True: [], False: []}
    for round_ in range(rounds):
        for n, url in enumerate(urls):
            for narrowed in (True, False) if (n + round_) % 2 else (False, True):
                elapsed, status = timed(url, narrowed)
                times[narrowed].append(elapsed)
                statuses[narrowed].append(status)
    index = summarise(times[True], statuses[True])
    join = summarise(times[False], statuses[False])
    return {
        "catalogue_index": index,
        "page_join": join,
        "join_over_index_p50": round(join["p50_ms"] / index["p50_ms"], 2),
        "join_over_index_p95": round(join["p95_ms"] / index["p95_ms"], 2),
    }
