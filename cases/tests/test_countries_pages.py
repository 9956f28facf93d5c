"""Country browsing: the index by region with counts, and hubs with a timeline, tactics and guides."""

import datetime
import re

import pytest
from wagtail.models import PageViewRestriction

from cases.models import Country
from cases.tests.catalogue_data import HIDDEN_TITLES, build_case

pytestmark = pytest.mark.django_db


def test_index_lists_countries_with_published_cases_by_region_with_counts(client, catalogue):
    html = client.get("/countries/").content.decode()
    # 7 countries whose elections the cases are about, and 4 more where the actors named are based.
    assert "11 countries with published cases" in html
    africa = html[html.index('id="region-africa"') : html.index('id="region-americas"')]
    # Kenya's hidden cases (draft, private, unpublished) are not counted.
    assert '<a href="/countries/kenya/">Kenya</a> <span class="count">2 cases about its elections</span><' in africa
    assert '<a href="/countries/nigeria/">Nigeria</a> <span class="count">1 case about its elections</span><' in africa
    assert 'href="/countries/germany/"' in html[html.index('id="region-europe"') :]
    assert "Zimbabwe" not in html  # no cases, not listed
    assert 'href="/cases/?region=africa"' in html


def test_index_runs_two_queries(client, catalogue, django_assert_max_num_queries):
    client.get("/cases/")  # the catalogue index is built once per change, not per request
    with django_assert_max_num_queries(2):  # the content version, then the countries
        html = client.get("/countries/").content.decode()
    assert "Kenya" in html


def test_hub_shows_profile_timeline_newest_first_and_a_catalogue_link(client, catalogue):
    Country.objects.filter(code="KE").update(profile="<p>Kenya holds general elections every five years.</p>")
    html = client.get("/countries/kenya/").content.decode()
    assert "Kenya holds general elections every five years." in html
    timeline = html[html.index('id="timeline-heading"') : html.index('id="guides-heading"')]
    assert timeline.index('id="year-2022"') < timeline.index("leaked commission emails")
    assert timeline.index("leaked commission emails") < timeline.index('id="year-2017"')
    assert timeline.index('id="year-2017"') < timeline.index("troll farm on Facebook")
    assert 'href="/cases/?country=KE">Filter these 2 cases in the catalogue</a>' in html
    assert 'href="/cases/?country=KE&amp;year_from=2017&amp;year_to=2017"' in html
    assert 'href="/cases/export.csv?country=KE"' in html
    for title in HIDDEN_TITLES:
        assert title not in html


def test_hub_lists_tactics_seen_there_linking_into_the_catalogue(client, catalogue):
    html = client.get("/countries/kenya/").content.decode()
    tactics = html[html.index('id="tactics-heading"') : html.index('id="timeline-heading"')]
    assert '<a href="/cases/?country=KE&amp;tactic=troll-farm">Troll farm</a>' in tactics
    assert '<a href="/cases/?country=KE&amp;tactic=hack-and-leak">Hack-and-leak</a>' in tactics
    assert "Deepfake" not in tactics
    # The private Kenyan troll farm does not add to the count.
    assert re.search(r"Troll farm</a> <span class=\"count\">1 case</span>", tactics)


def test_hub_shows_published_guides_for_the_tactics_seen_there(client, catalogue, guide_factory):
    guide_factory(title="Countering troll farms", threats=("troll-farm",))
    guide_factory(title="Responding to leaks", threats=("hack-and-leak",))
    guide_factory(title="Spotting deepfakes", threats=("deepfake",))
    guide_factory(title="Unpublished troll guide", threats=("troll-farm",), publish=False)
    private = guide_factory(title="Private troll guide", threats=("troll-farm",))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    html = client.get("/countries/kenya/").content.decode()
    guides = html[html.index('id="guides-heading"') :]
    assert "Countering troll farms" in guides and "Responding to leaks" in guides
    assert "Spotting deepfakes" not in guides  # no Kenyan case used a deepfake
    assert "Unpublished troll guide" not in guides and "Private troll guide" not in guides


def test_guides_for_tactics_only_in_hidden_cases_are_not_shown(client, catalogue, guide_factory):
    # Kenya's hidden cases used only troll farms and Facebook; a guide on that must come from a live case.
    build_case(title="Hidden Kenyan deepfake", countries=("KE",), tactics=("deepfake",), publish=False)
    guide_factory(title="Spotting deepfakes", threats=("deepfake",))
    assert "Spotting deepfakes" not in client.get("/countries/kenya/").content.decode()


def test_a_country_without_cases_has_a_hub_that_says_so(client, catalogue):
    response = client.get("/countries/zimbabwe/")
    assert response.status_code == 200
    assert "The portal has no published case about elections in Zimbabwe yet." in response.content.decode()


@pytest.mark.parametrize("slug", ["narnia", "KE", "kenya-1", "%00"])
def test_unknown_country_is_404(client, catalogue, slug):
    assert client.get(f"/countries/{slug}/").status_code == 404


def test_case_list_links_to_the_rest_when_a_country_has_many_cases(client, site_tree, monkeypatch):
    monkeypatch.setattr("cases.views.HUB_CASE_LIMIT", 3)
    for n in range(5):
        build_case(title=f"Kenyan case {n}", countries=("KE",), first_seen=datetime.date(2010 + n, 1, 1), sources=0)
    html = client.get("/countries/kenya/").content.decode()
    assert "Kenyan case 4" in html and "Kenyan case 2" in html and "Kenyan case 1" not in html
    assert 'href="/cases/?country=KE">See all 5 cases in the catalogue</a>' in html


def test_hub_and_index_run_constant_queries(client, site_tree, guide_factory, django_assert_max_num_queries):
    guide_factory(title="Countering troll farms", threats=("troll-farm",))
    counts = []
    for size in (3, 22):  # 3 Kenyan cases, then 25
        for n in range(size):
            build_case(
                title=f"Kenyan case {size}-{n}",
                countries=("KE", "UG"),
                tactics=("troll-farm", "deepfake"),
                actors=((f"Kenyan actor {size}-{n}", "individuals", "KE"),),
            )
        client.get("/countries/kenya/")  # warm Wagtail's site cache
        # Two read the elections (the list and the timeline); one finds the request's site, which
        # Wagtail then keeps for every case link of the page ({% page_link %}).
        with django_assert_max_num_queries(14) as hub:
            html = client.get("/countries/kenya/").content.decode()
        with django_assert_max_num_queries(2) as index:
            client.get("/countries/")
        assert html.count("Kenyan case") >= (3 if size == 3 else 25) * 2  # about Kenya, and by Kenyan actors
        counts.append((len(hub.captured_queries), len(index.captured_queries)))
    assert counts[0] == counts[1], counts
