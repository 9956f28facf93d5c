"""The catalogue at /cases/: filters give exactly the right cases, facets count honestly, bad input is explained."""

import datetime
import re

import pytest
from django.http import QueryDict

from cases.facets import catalogue_facets
from cases.filters import bind_case_filters
from cases.live_index import catalogue_index
from cases.tests.catalogue_data import ALL_VISIBLE, HIDDEN_TITLES, build_case, grow, listed_titles
from tests.shared_data import shared_fixture

pytestmark = pytest.mark.django_db

KENYA_TROLLS = "Kenya 2017: troll farm on Facebook"
KENYA_LEAK = "Kenya 2022: leaked commission emails"
NIGERIA = "Nigeria 2019: bot networks"
PHILIPPINES = "Philippines: paid trolls across three elections"
US_IRA = "United States 2016: Internet Research Agency"
TAIWAN = "Taiwan 2024: deepfake of a candidate"
DOPPELGANGER = "Doppelganger: cloned news sites in Germany and France"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ALL_VISIBLE),
        ("country=KE", {KENYA_TROLLS, KENYA_LEAK}),
        ("country=ke", {KENYA_TROLLS, KENYA_LEAK}),
        ("country=KE&country=NG", {KENYA_TROLLS, KENYA_LEAK, NIGERIA}),
        ("country=FR", {DOPPELGANGER}),
        ("region=africa", {KENYA_TROLLS, KENYA_LEAK, NIGERIA}),
        ("region=Eastern+Africa", {KENYA_TROLLS, KENYA_LEAK}),
        ("region=western-europe", {DOPPELGANGER}),
        ("region=south-eastern-asia&region=eastern-asia", {PHILIPPINES, TAIWAN}),
        ("year_from=2017&year_to=2017", {KENYA_TROLLS, PHILIPPINES, US_IRA}),
        ("year_from=2022", {KENYA_LEAK, PHILIPPINES, TAIWAN, DOPPELGANGER}),
        ("year_from=2023", {TAIWAN, DOPPELGANGER}),
        ("year_to=2016", {PHILIPPINES, US_IRA}),
        ("year_from=2019&year_to=2019", {NIGERIA, PHILIPPINES}),
        ("tactic=troll-farm", {KENYA_TROLLS, PHILIPPINES, US_IRA}),
        ("tactic=troll-farm&tactic=deepfake", {KENYA_TROLLS, PHILIPPINES, US_IRA, TAIWAN}),
        ("actor_type=commercial-firm", {KENYA_TROLLS, NIGERIA, US_IRA, DOPPELGANGER}),
        ("actor_type=state-intelligence", {US_IRA, TAIWAN}),
        ("origin=foreign", {KENYA_LEAK, US_IRA, TAIWAN}),
        ("origin=foreign&origin=mixed", {KENYA_LEAK, US_IRA, TAIWAN, DOPPELGANGER}),
        ("attribution=official", {TAIWAN, DOPPELGANGER}),
        ("attribution=judicial&attribution=platform", {US_IRA, NIGERIA}),
        ("channel=tiktok", {PHILIPPINES}),
        ("channel=email&channel=youtube", {KENYA_LEAK, TAIWAN}),
        ("target=journalists-and-media", {PHILIPPINES}),
        ("target=candidates&target=election-administration", {TAIWAN, KENYA_LEAK}),
        ("q=troll", {KENYA_TROLLS, PHILIPPINES}),
        ("q=TROLL", {KENYA_TROLLS, PHILIPPINES}),
        ("q=kenya+emails", {KENYA_LEAK}),
        ("q=Archimedes", {NIGERIA}),  # an actor's name
        ("q=Germany", {DOPPELGANGER}),
        # Different filters narrow: "Kenya, 2017, troll farms".
        ("country=KE&year_from=2017&year_to=2017&tactic=troll-farm", {KENYA_TROLLS}),
        ("tactic=troll-farm&origin=domestic", {KENYA_TROLLS, PHILIPPINES}),
        ("tactic=troll-farm&region=asia&year_from=2020", {PHILIPPINES}),
        ("channel=facebook&actor_type=commercial-firm&attribution=judicial", {US_IRA}),
        ("country=KE&tactic=deepfake", set()),
    ],
)
def test_filters_give_exactly_the_matching_cases(client, catalogue, query, expected):
    response = client.get(f"/cases/?{query}")
    assert response.status_code == 200
    titles = listed_titles(response)
    assert set(titles) == expected
    assert len(titles) == len(expected)  # no case listed twice
    count = response.context["result_count"]
    assert count == len(expected)


def test_a_period_without_an_end_lasts_to_the_end_of_its_first_sighting(client, site_tree):
    build_case(title="Seen in 2019 only", first_seen=datetime.date(2019, 1, 1), last_seen=None)
    build_case(
        title="Seen March 2020 only",
        first_seen=datetime.date(2020, 3, 1),
        first_seen_precision="month",
        last_seen=None,
    )
    assert listed_titles(client.get("/cases/?year_from=2019&year_to=2019")) == ["Seen in 2019 only"]
    assert listed_titles(client.get("/cases/?year_from=2020")) == ["Seen March 2020 only"]
    assert listed_titles(client.get("/cases/?year_to=2019")) == ["Seen in 2019 only"]


def test_drafts_private_and_unpublished_cases_are_in_no_listing_or_count(client, catalogue):
    for query in ("", "country=KE", "tactic=troll-farm", "q=Kenyan", "channel=facebook"):
        response = client.get(f"/cases/?{query}")
        html = response.content.decode()
        for title in HIDDEN_TITLES:
            assert title not in html, (query, title)
    response = client.get("/cases/?country=KE")
    assert response.context["result_count"] == 2
    facets = response.context["facets"]
    assert _option(facets["tactic"], "troll-farm").count == 1  # only the published Kenyan troll farm
    assert _option(facets["country"], "KE").count == 2
    assert _option(facets["channel"], "facebook").count == 1


def _option(facet, value):
    return next(option for option in facet.options if option.value == value)


FACET_STATES = [
    "",
    "country=KE",
    "tactic=troll-farm",
    "tactic=troll-farm&tactic=fake-accounts&origin=foreign",
    "region=asia&year_from=2016&attribution=independent&attribution=judicial",
    "channel=facebook&target=voters&actor_type=commercial-firm",
]


@pytest.mark.parametrize("state", FACET_STATES)
def test_every_facet_count_equals_the_results_of_choosing_that_option(catalogue, state):
    params = QueryDict(state)
    filterset, problems = bind_case_filters(params)
    assert not problems
    for name, facet in catalogue_facets(catalogue_index().select(filterset.active), filterset).items():
        for option in facet.options:
            chosen = params.copy()
            chosen.setlist(name, [option.value])
            expected = bind_case_filters(chosen)[0].qs.count()
            assert option.count == expected, (state, name, option.value)


def test_facet_counts_are_shown_and_empty_options_disabled(client, catalogue):
    html = client.get("/cases/?country=KE").content.decode()
    # Troll farm gives one Kenyan case; deepfake gives none and cannot be chosen.
    assert re.search(r'value="troll-farm"\s*> Troll farm <span class="count">\(1<span', html)
    assert re.search(r'value="deepfake"\s*disabled> Deepfake <span class="count">\(0<span', html)
    assert re.search(r'name="country" value="KE"\s*checked> Kenya', html)
    # Countries with no cases at all are not offered.
    assert 'value="ZW"' not in html
    # Years count too: 2017 from-year gives the one case still active from 2017 on.
    assert '<option value="2017">2017 (1)</option>' in html


def test_a_selected_option_stays_visible_even_when_other_filters_empty_it(client, catalogue):
    html = client.get("/cases/?country=TW&tactic=troll-farm").content.decode()
    assert re.search(r'name="tactic" value="troll-farm"\s*checked> Troll farm', html)
    assert "No case matches all of these filters together" in html


def test_active_filters_are_chips_that_remove_themselves(client, catalogue):
    response = client.get("/cases/?country=KE&country=NG&tactic=bot-amplification&year_from=2017")
    chips = {chip["label"]: chip["remove_url"] for chip in response.context["chips"]}
    assert set(chips) == {"Country: Kenya", "Country: Nigeria", "Tactic: Bot amplification", "From 2017"}
    without_kenya = client.get(chips["Country: Kenya"])
    assert set(listed_titles(without_kenya)) == {NIGERIA}
    assert [c["label"] for c in without_kenya.context["chips"]] == [
        "Country: Nigeria",
        "From 2017",
        "Tactic: Bot amplification",
    ]
    html = response.content.decode()
    assert '<a class="chips__clear" href="/cases/">Clear all</a>' in html
    assert "(remove this filter)" in html


def test_result_count_is_stated(client, catalogue):
    html = client.get("/cases/?tactic=troll-farm").content.decode()
    assert "<strong>3</strong> cases match your filters" in html
    assert "<strong>7</strong> cases</p>" in client.get("/cases/").content.decode()


def test_empty_result_explains_and_offers_to_remove_each_filter(client, catalogue):
    html = client.get("/cases/?country=KE&tactic=deepfake").content.decode()
    assert "No case matches all of these filters together" in html
    assert 'href="/cases/?tactic=deepfake">Remove “Country: Kenya”' in html
    assert 'href="/cases/?country=KE">Remove “Tactic: Deepfake”' in html


@pytest.mark.parametrize(
    "sort, first, last",
    [
        ("", TAIWAN, US_IRA),
        ("newest", TAIWAN, US_IRA),
        ("oldest", US_IRA, TAIWAN),
        ("title", DOPPELGANGER, US_IRA),
        ("updated", DOPPELGANGER, KENYA_TROLLS),
    ],
)
def test_sort_orders(client, catalogue, sort, first, last):
    # An empty sort= is dropped by a redirect to /cases/ (portal/query_strings.py), then sorts newest first.
    titles = listed_titles(client.get(f"/cases/?sort={sort}", follow=True))
    assert (titles[0], titles[-1]) == (first, last)


def build_same_day_cases():
    """25 cases first seen on the same day: two pages, the order decided by the tie-break alone."""
    return [
        build_case(title=f"Same day {n:02d}", first_seen=datetime.date(2020, 1, 1), sources=0).pk for n in range(25)
    ]


# Built once for the tests that use it (tests/shared_data.py).
same_day_cases = shared_fixture("same_day_cases", build_same_day_cases)


def test_ties_are_broken_by_page_so_pages_never_overlap(client, same_day_cases):
    first = listed_titles(client.get("/cases/"))
    second = listed_titles(client.get("/cases/?page=2"))
    assert len(first) == 20 and len(second) == 5
    assert not set(first) & set(second)
    assert listed_titles(client.get("/cases/")) == first


def test_pagination_keeps_the_filters(client, site_tree):
    for n in range(23):
        build_case(title=f"Kenyan case {n:02d}", countries=("KE",), first_seen=datetime.date(2020, 1, n + 1), sources=0)
    build_case(title="Ugandan case", countries=("UG",), sources=0)
    html = client.get("/cases/?country=KE&sort=oldest").content.decode()
    assert 'href="?country=KE&amp;sort=oldest&amp;page=2" rel="next"' in html
    page_two = client.get("/cases/?country=KE&sort=oldest&page=2")
    assert listed_titles(page_two) == ["Kenyan case 20", "Kenyan case 21", "Kenyan case 22"]


def test_filtered_pages_are_noindex_with_a_canonical_catalogue(client, catalogue):
    plain = client.get("/cases/").content.decode()
    assert "noindex" not in plain
    assert '<link rel="canonical" href="http://localhost/cases/">' in plain
    for query in ("country=KE", "page=1", "sort=title"):
        html = client.get(f"/cases/?{query}").content.decode()
        assert '<meta name="robots" content="noindex,follow">' in html
        assert '<link rel="canonical" href="http://localhost/cases/">' in html


def test_exports_are_linked_with_the_current_filters(client, catalogue):
    html = client.get("/cases/?tactic=troll-farm&country=ke&page=1").content.decode()
    assert 'href="/cases/export.csv?country=KE&amp;tactic=troll-farm"' in html
    assert 'href="/cases/export.json?country=KE&amp;tactic=troll-farm"' in html
    assert 'href="/cases/feed.atom?country=KE&amp;tactic=troll-farm"' in html


def test_the_download_line_names_what_it_downloads(client, catalogue):
    assert "Download all cases:" in client.get("/cases/").content.decode()
    assert "Download these 2 cases:" in client.get("/cases/?country=KE").content.decode()
    assert "Download this case:" in client.get("/cases/?country=NG").content.decode()


def test_dates_show_with_their_precision(client, catalogue):
    html = client.get("/cases/").content.decode()
    assert "June 2017 – August 2017" in html
    assert "10 May 2022" in html
    assert "2016 – 2022" in html
    assert "2014 – January 2017" in html


def test_the_form_works_without_javascript(client, catalogue):
    html = client.get("/cases/").content.decode()
    assert '<form id="catalogue-filters" class="catalogue__search" method="get" action="/cases/"' in html
    assert '<button type="submit" form="catalogue-filters" class="filters__apply">Apply filters</button>' in html
    assert "<legend>Tactic" in html and '<label for="year-from">From</label>' in html
    # Empty fields as a browser without JavaScript submits them change nothing.
    # Empty fields as a browser without JavaScript submits them are dropped by a redirect.
    response = client.get("/cases/?q=&country=KE&year_from=&year_to=&sort=newest")
    assert response.status_code == 302 and response.url == "/cases/?country=KE&sort=newest"
    response = client.get(response.url)
    assert set(listed_titles(response)) == {KENYA_TROLLS, KENYA_LEAK}
    assert not response.context["filter_problems"]
    assert 'src="/static/js/catalogue.js"' in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("country=XX", "“XX” is not a known ISO country code."),
        ("country=KE&country=Narnia", "“NARNIA” is not a known ISO country code."),
        ("region=atlantis", "“atlantis” is not a UN M49 region or sub-region."),
        ("year_from=abc", "“abc” was ignored for from year: Enter a year such as 2017."),
        ("year_to=20171", "Enter a year from 1900 to 2100."),
        ("year_from=2017.5", "Enter a whole year such as 2017."),
        ("year_from=2020&year_to=2017", "were swapped"),
        ("tactic=teleportation", "“teleportation” is not a known tactic."),
        ("actor_type=aliens", "“aliens” is not a known actor type."),
        ("origin=martian", "“martian” is not an origin"),
        ("attribution=rumour", "“rumour” is not an attribution status."),
        ("channel=carrier-pigeon", "“carrier-pigeon” is not a known channel."),
        ("target=%3Cscript%3E", "“&lt;script&gt;” is not a known target."),
        ("sort=random", "“random” is not a sort order"),
        ("page=99999", "There is no page 99999; showing page 1, the only page."),
        ("page=abc", "“abc” is not a page number"),
        ("page=-3", "Page numbers start at 1"),
        ("q=" + "troll" * 1000, "shortened to the first 200 characters"),
        ("country=K%00E", "null character"),
    ],
)
def test_invalid_values_are_named_and_the_rest_still_applies(client, catalogue, query, message):
    response = client.get(f"/cases/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Some of what you asked for could not be used" in html


def test_a_bad_value_does_not_drop_the_good_ones_beside_it(client, catalogue):
    response = client.get("/cases/?country=KE&country=XX&tactic=troll-farm")
    assert set(listed_titles(response)) == {KENYA_TROLLS}
    assert "“XX” is not a known ISO country code." in response.content.decode()


def test_swapped_years_give_the_period_meant(client, catalogue):
    response = client.get("/cases/?year_from=2017&year_to=2016")
    assert set(listed_titles(response)) == {KENYA_TROLLS, PHILIPPINES, US_IRA}


def test_a_page_beyond_the_end_shows_the_last_page(client, same_day_cases):
    response = client.get("/cases/?page=7")
    assert response.context["page_obj"].number == 2
    assert "There is no page 7; showing page 2, the last page." in response.content.decode()


HOSTILE = [
    "country=" + "A" * 5000,
    "country=%27%3B+DROP+TABLE+cases%3B--",
    "region=%00",
    "region=" + "x" * 3000,
    "year_from=1e400",
    "year_from=NaN",
    "year_from=Infinity",
    "year_from=-2017",
    "year_to=%EF%BC%92%EF%BC%90%EF%BC%91%EF%BC%97",  # full-width digits
    "year_from=0x7E1",
    "tactic=%F0%9F%92%A3",
    "tactic[]=troll-farm",
    "q=%25%25%25_%5C",
    "q=%00",
    "q=" + "%E2%80%AE" * 300,
    "q=a+" * 400,
    "sort=-pk",
    "sort=title;drop",
    "page=1e9",
    "page=" + "9" * 400,
    "page=0",
    "origin=foreign&origin=foreign&origin=foreign",
    "actor_type=",
    "country=KE&country=ke&country=Ke",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_parameters_never_break_the_page(client, catalogue, query):
    # Empty values ("actor_type=") redirect to the cleaned URL first (portal/query_strings.py).
    response = client.get(f"/cases/?{query}", follow=True)
    assert response.status_code == 200
    assert "Case studies" in response.content.decode()


def test_a_policymaker_gets_from_home_to_kenya_2017_troll_farms(client, catalogue):
    home = client.get("/").content.decode()
    assert '<form class="picker" method="get" action="/cases/"' in home
    assert '<option value="KE">Kenya (2)</option>' in home
    assert '<option value="troll-farm">Troll farm</option>' in home
    # The picker submits every field, the empty ones too.
    response = client.get("/cases/?country=KE&tactic=troll-farm&year_from=2017&year_to=2017")
    assert listed_titles(response) == [KENYA_TROLLS]
    assert 'href="/cases/export.csv?country=KE&amp;year_from=2017&amp;year_to=2017&amp;tactic=troll-farm"' in (
        response.content.decode()
    )


CONSTANT_QUERIES = [
    "",
    "country=KE&tactic=troll-farm&year_from=2015&channel=facebook&sort=title",
    "q=generated&region=africa",
]


def test_the_catalogue_runs_a_constant_number_of_queries(client, site_tree, django_assert_max_num_queries, subtests):
    """Each query's count with 3 cases and with 25 (more than one page); the cases are built once for all."""
    counts = {query: [] for query in CONSTANT_QUERIES}
    for size in (3, 22):  # 3 cases, then 25
        grow(size)
        for query in CONSTANT_QUERIES:
            client.get(f"/cases/?{query}")  # warm Wagtail's site cache
            with django_assert_max_num_queries(25) as captured:
                response = client.get(f"/cases/?{query}")
            assert len(listed_titles(response)) == min(3 if size == 3 else 25, 20), query
            counts[query].append(len(captured.captured_queries))
    for query, (small, large) in counts.items():
        with subtests.test(query=query):
            assert small == large, (small, large)


def test_a_very_long_value_is_cut_in_the_message(client, catalogue):
    html = client.get("/cases/?country=" + "A" * 5000).content.decode()
    assert "is not a known ISO country code." in html
    assert "A" * 101 not in html


def test_the_case_links_of_a_page_read_the_sites_once(client, site_tree, monkeypatch):
    """Each case link asked Wagtail's cache for the sites' root paths (a Redis round trip each in
    production); now the page's links share one read, however many cases it lists."""
    from wagtail.models import Site

    original = Site.get_site_root_paths
    reads = []
    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(lambda: reads.append(1) or original()))
    counts = []
    for size in (2, 8):  # 2 cases, then 10
        grow(size)
        client.get("/cases/")  # the first request after a change rebuilds the index
        reads.clear()
        html = client.get("/cases/").content.decode()
        links = re.findall(r'<h3 class="card__title"><a href="(/cases/[^"]+/)">Generated case', html)
        assert len(links) == (2 if size == 2 else 10)
        counts.append(len(reads))
    assert counts[0] == counts[1], counts
