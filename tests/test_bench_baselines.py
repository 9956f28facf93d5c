"""The benchmark's baselines do the same work as the portal's data layers: same matches, same facets.

Timings are printed by `make bench`; here only that the two sides agree, on bulk-built cases.
"""

from bench import baselines, builder
from cases.filters import bind_case_filters
from cases.live_index import catalogue_index


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
