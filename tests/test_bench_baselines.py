"""The benchmark's baselines do the same work as the portal's data layers: same matches, same facets.

Timings are printed by `make bench`; here only that the two sides agree, on bulk-built cases.
"""

import pytest
from django.db import connection

from bench import baselines, builder, measure
from cases.filters import bind_case_filters
from cases.live_index import catalogue_index
from search import pgsearch


def test_the_plain_orm_catalogue_counts_what_the_index_counts(site_tree):
    builder.add_cases(60, batch_size=60)
    catalogue_index()
    some_country = catalogue_index().countries.options[0][0]
    urls = ("/cases/", f"/cases/?country={some_country}", "/cases/?origin=foreign&year_from=2015", "/cases/?page=2")
    for url in urls:
        params = baselines.params_of(url)
        portal_total, portal_page, portal_facets = baselines.portal_catalogue(params)
        orm_total, orm_page, orm_facets = baselines.orm_catalogue(params)
        assert portal_total == orm_total == bind_case_filters(params)[0].qs.count(), url
        assert portal_page == orm_page == min(20, portal_total), url
        assert portal_facets >= 10 and orm_facets == len(baselines.FACETS) + 1


def test_both_searches_find_a_published_case(site_tree, case_factory):
    case_factory(title="Quetzalcoatl troll network", countries=("MX",))
    catalogue_index()
    assert baselines.portal_search("quetzalcoatl") == 1
    assert baselines.stock_search("quetzalcoatl") == (1, 1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the narrowing compared is PostgreSQL's statement")
def test_the_narrowing_comparison_times_both_paths_alike_and_puts_the_index_path_back(
    site_tree, case_factory, monkeypatch
):
    case_factory(title="Quetzalcoatl troll network", countries=("MX",))
    by_index, ran = pgsearch._find_by_index, []
    general = pgsearch._find_in_sql

    def counting(*args):
        ran.append("join")
        return general(*args)

    monkeypatch.setattr(pgsearch, "_find_in_sql", counting)
    report = baselines.search_narrowing(measure.Bench(requests=2, warmup=1), ["/search/?q=quetzalcoatl"], rounds=2)
    assert report["catalogue_index"]["statuses"] == report["page_join"]["statuses"] == {"200": 2}
    assert len(ran) == 3  # the join ran for its warm-up and its two timed requests, never for the index's
    assert pgsearch._find_by_index is by_index
