"""The catalogue's in-memory index gives the same cases as the FilterSet's SQL, and never goes stale."""

import random

import pytest
from django.http import QueryDict
from wagtail.models import PageViewRestriction

from bench import builder
from cases.filters import SORT_ORDER, bind_case_filters
from cases.index import _positions
from cases.live_index import catalogue_index
from cases.models import Country, Tactic
from cases.tests.catalogue_data import build_case, listed_titles
from portal import versioning

pytestmark = pytest.mark.django_db

FILTER_VALUES = {
    "country": ["KE", "NG", "PH", "US", "TW", "DE", "FR", "ZW"],
    "region": ["africa", "eastern-africa", "asia", "europe", "northern-america", "oceania"],
    "year_from": ["1999", "2014", "2016", "2017", "2019", "2023", "2030"],
    "year_to": ["2000", "2014", "2016", "2018", "2022", "2040"],
    "tactic": ["troll-farm", "bot-amplification", "fake-accounts", "hack-and-leak", "deepfake"],
    "actor_type": ["commercial-firm", "unknown", "state-intelligence", "political-party-or-campaign"],
    "actor_country": ["RU", "CN", "GB", "IL", "BY", "KE"],
    "origin": ["foreign", "domestic", "mixed", "unknown"],
    "attribution": ["independent", "alleged", "platform", "judicial", "official"],
    "channel": ["facebook", "email", "tiktok", "x-twitter"],
    "target": ["voters", "election-administration", "journalists-and-media"],
    "q": ["troll", "KENYA", "archimedes group", "research agency", "emails kenya", "germany", "zz-no-such"],
}


def random_params(rng):
    params = QueryDict(mutable=True)
    for name in rng.sample(sorted(FILTER_VALUES), rng.randint(0, 4)):
        values = FILTER_VALUES[name]
        multi = name not in ("year_from", "year_to", "q")
        params.setlist(name, rng.sample(values, rng.randint(1, 2)) if multi else [rng.choice(values)])
    params["sort"] = rng.choice(sorted(SORT_ORDER))
    return params


def test_random_filter_combinations_give_the_sql_results_in_every_order(catalogue):
    rng = random.Random(20261125)
    index = catalogue_index()
    checked_nonempty = 0
    for _ in range(150):
        params = random_params(rng)
        filterset, problems = bind_case_filters(params)
        expected = list(filterset.qs.values_list("pk", flat=True))
        bits = index.matching(filterset.active)
        assert bits.bit_count() == len(expected), params.urlencode()
        for offset, limit in ((0, 100), (1, 2), (3, 20)):
            got = index.page_ids(bits, filterset.sort_order, offset, limit)
            assert got == expected[offset : offset + limit], (params.urlencode(), offset)
        checked_nonempty += bool(expected)
    assert checked_nonempty > 40  # the combinations exercised real results, not only empty ones


def test_pages_read_off_the_bits_in_both_directions():
    bits = 0b1011_0000_0110_1001  # positions 0, 3, 5, 6, 12, 13, 15
    assert _positions(bits, 0, 3) == [0, 3, 5]
    assert _positions(bits, 2, 3) == [5, 6, 12]
    assert _positions(bits, 6, 5) == [15]
    assert _positions(bits, 0, 3, reverse=True) == [15, 13, 12]
    assert _positions(bits, 3, 10, reverse=True) == [6, 5, 3, 0]
    assert _positions(bits, 9, 2) == []
    assert _positions(0, 0, 5) == []


def test_a_large_catalogue_pages_the_same_as_sql(site_tree):
    builder.add_cases(120, batch_size=60)  # bulk-written, with varied dates, titles and countries
    index = catalogue_index()
    for sort in SORT_ORDER:
        filterset, _ = bind_case_filters(QueryDict(f"sort={sort}"))
        expected = list(filterset.qs.values_list("pk", flat=True))
        assert len(expected) == 120
        for offset in (0, 20, 100, 115):
            assert index.page_ids(index.all, sort, offset, 20) == expected[offset : offset + 20], (sort, offset)


def test_publishing_unpublishing_and_restricting_show_on_the_next_request(client, catalogue):
    assert "Kenya 2017: troll farm on Facebook" in listed_titles(client.get("/cases/?country=KE"))
    new = build_case(title="Kenya 2027: new case", countries=("KE",), tactics=("deepfake",))
    response = client.get("/cases/?country=KE")
    assert "Kenya 2027: new case" in listed_titles(response)
    assert response.context["result_count"] == 3

    new.unpublish()
    assert "Kenya 2027: new case" not in listed_titles(client.get("/cases/?country=KE"))

    new.save_revision().publish()
    PageViewRestriction.objects.create(page=new, restriction_type=PageViewRestriction.PASSWORD, password="x")
    response = client.get("/cases/?country=KE")
    assert "Kenya 2027: new case" not in listed_titles(response)
    assert response.context["result_count"] == 2


def test_a_changed_link_or_vocabulary_shows_in_the_facets(client, catalogue):
    nigeria = catalogue["Nigeria 2019: bot networks"]
    html = client.get("/cases/").content.decode()
    assert "Kenya <span" in html and "Ghana" not in html

    revision_page = nigeria.get_latest_revision_as_object()
    revision_page.countries.add(Country.objects.get(code="GH"))
    revision_page.save_revision().publish()
    response = client.get("/cases/?country=GH")
    assert listed_titles(response) == ["Nigeria 2019: bot networks"]

    tactic = Tactic.objects.get(slug="troll-farm")
    tactic.name = "Troll factory"
    tactic.save()
    html = client.get("/cases/").content.decode()
    assert "Troll factory" in html


def test_the_version_changes_with_every_published_change_and_never_repeats(catalogue):
    seen = {versioning.current()}
    case = catalogue["Nigeria 2019: bot networks"]
    case.save_revision().publish()
    seen.add(versioning.current())
    case.unpublish()
    seen.add(versioning.current())
    assert len(seen) == 3


def test_saving_a_draft_keeps_the_index(client, catalogue):
    case = catalogue["Nigeria 2019: bot networks"]
    client.get("/cases/")
    built = catalogue_index()
    draft = case.get_latest_revision_as_object()
    draft.title = "Nigeria 2019: a draft title"
    draft.save_revision()
    assert catalogue_index() is built  # the live page is as it was: nothing to rebuild
    assert "Nigeria 2019: bot networks" in listed_titles(client.get("/cases/"))
    assert "a draft title" not in client.get("/cases/").content.decode()
