"""The election watch as visitors see it: /elections/, the home page's next five, a country's elections."""

import datetime

import pytest
from bs4 import BeautifulSoup

from cases.models import Country, ElectionPhase, Tactic
from elections.models import DatePrecision, Election
from tests.factories import make_case, make_guide

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """The watch is drawn for 26 November 2026, whatever day the tests run."""
    monkeypatch.setattr("elections.models.today", lambda: TODAY)


def election(code, day, precision=DatePrecision.DAY, live=True, **fields):
    fields.setdefault("election_type", "parliamentary")
    return Election.objects.create(
        country=Country.objects.get(code=code),
        date=day,
        date_precision=precision,
        live=live,
        source_title=fields.pop("source_title", f"Election calendar of {code}"),
        source_publisher=fields.pop("source_publisher", "Electoral commission"),
        source_url=f"https://example.org/{code.lower()}/{day:%Y-%m-%d}",
        source_accessed=TODAY,
        **fields,
    )


def headings(response):
    """The watch's elections as listed: the text of each election's heading."""
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(h.get_text(" ", strip=True).split()) for h in soup.select(".election-watch article h2")]


def section_text(response, heading_id):
    soup = BeautifulSoup(response.content, "html.parser")
    heading = soup.find(id=heading_id)
    assert heading is not None, f"no #{heading_id} on the page"
    return " ".join(heading.find_parent("section").get_text(" ", strip=True).split())


def test_the_watch_lists_the_next_twelve_months_soonest_first_with_their_dates(client, site_tree):
    election("FR", datetime.date(2026, 11, 20))  # over
    election("KE", datetime.date(2027, 3, 14), election_type="general")
    election("AR", datetime.date(2027, 3, 1), DatePrecision.MONTH, election_type="presidential", round="first")
    election("GM", datetime.date(2026, 11, 1), DatePrecision.MONTH)  # this month: not over yet
    election("FI", datetime.date(2027, 11, 26))  # twelve months ahead: the last day in
    election("CH", datetime.date(2027, 11, 27))  # a day too far
    election("MX", datetime.date(2028, 1, 1), DatePrecision.MONTH)

    response = client.get("/elections/")

    assert response.status_code == 200
    assert headings(response) == [
        "November 2026 : Gambia , parliamentary election",
        "March 2027 : Argentina , presidential election, first round",
        "14 March 2027 : Kenya , general election",
        "26 November 2027 : Finland , parliamentary election",
    ]
    soup = BeautifulSoup(response.content, "html.parser")
    assert [t["datetime"] for t in soup.select(".election-watch h2 time")] == [
        "2026-11",
        "2027-03",
        "2027-03-14",
        "2027-11-26",
    ]
    assert "France" not in " ".join(headings(response))
    source = soup.find("a", href="https://example.org/ke/2027-03-14")
    assert source.get_text() == "Election calendar of KE"
    assert " ".join(source.parent.get_text().split()) == (
        "Date from Election calendar of KE, Electoral commission (read 26 November 2026)."
    )


def test_each_election_shows_what_was_seen_in_its_country_and_region_and_the_guides(client, site_tree):
    tactics = list(Tactic.objects.order_by("slug")[:2])
    make_case(title="Kenya 2017: old leak", countries=("KE",), tactics=(tactics[0].slug,))
    make_case(
        title="Nigeria 2026: new bots",
        countries=("NG",),
        tactics=(tactics[1].slug,),
        first_seen=datetime.date(2026, 2, 1),
        last_seen=datetime.date(2026, 3, 1),
    )
    make_guide(title="Defending against the first tactic", threats=(tactics[0].slug,))
    make_guide(title="Defending against the second tactic", threats=(tactics[1].slug,))
    make_guide(title="A guide about something else")
    kenya = election("KE", datetime.date(2027, 8, 10), election_type="general")

    response = client.get("/elections/")

    country = section_text(response, f"election-{kenya.pk}-country")
    assert "Seen before in Kenya 1 published case" in country
    assert f"{tactics[0].name} (1)" in country and "Kenya 2017: old leak" in country
    region = section_text(response, f"election-{kenya.pk}-region")
    assert "In Africa since 2025" in region
    assert "1 case in Africa since 2025" in region and f"{tactics[1].name} (1)" in region
    guides = section_text(response, f"election-{kenya.pk}-guides")
    assert "Defending against the first tactic" in guides and "Defending against the second tactic" in guides
    assert "something else" not in guides
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("a", href="/cases/?region=africa&year_from=2025") is not None
    assert soup.find("a", href="/countries/kenya/") is not None


def test_a_country_without_cases_says_so(client, site_tree):
    haiti = election("HT", datetime.date(2026, 12, 6), election_type="general", round="second")
    response = client.get("/elections/")
    assert "No published case about Haiti's elections yet." in section_text(response, f"election-{haiti.pk}-country")
    assert "No guide matches what was seen yet." in section_text(response, f"election-{haiti.pk}-guides")


def test_where_no_guide_matches_the_pre_election_guides_stand_in(client, site_tree):
    preparing = make_guide(title="Getting ready for polling day")
    preparing.phases = [ElectionPhase.objects.get(slug="pre-election")]
    preparing.save_revision().publish()
    make_guide(title="After the count")
    haiti = election("HT", datetime.date(2026, 12, 6), election_type="general", round="second")
    guides = section_text(client.get("/elections/"), f"election-{haiti.pk}-guides")
    assert "No guide addresses what was seen here yet; these prepare for any election:" in guides
    assert "Getting ready for polling day" in guides and "After the count" not in guides


def test_the_watch_can_show_one_region(client, site_tree):
    election("KE", datetime.date(2027, 8, 10))
    election("FR", datetime.date(2027, 4, 18))
    response = client.get("/elections/?region=africa")
    assert response.status_code == 200
    assert headings(response) == ["10 August 2027 : Kenya , parliamentary election"]


@pytest.mark.parametrize("query", ["region=atlantis", "region=%00", "region=" + "x" * 5000, "region=<script>"])
def test_a_bad_region_gets_a_400_that_says_what_is_wrong(client, site_tree, query):
    election("KE", datetime.date(2027, 8, 10))
    response = client.get(f"/elections/?{query}")
    assert response.status_code == 400
    text = " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())
    assert "is not a region the portal knows" in text
    assert "<script>" not in response.content.decode()


def test_unknown_parameters_are_ignored(client, site_tree):
    election("KE", datetime.date(2027, 8, 10))
    response = client.get("/elections/?page=zz&year=abc")
    assert response.status_code == 200
    assert headings(response) == ["10 August 2027 : Kenya , parliamentary election"]


def test_drafts_and_elections_in_review_appear_nowhere(client, site_tree):
    election("KE", datetime.date(2027, 8, 10), live=False, source_publisher="Unreviewed Gazette")
    for url in ("/elections/", "/", "/countries/kenya/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Unreviewed Gazette" not in response.content.decode(), url
    assert headings(client.get("/elections/")) == []


def test_past_elections_leave_the_watch_and_stay_on_their_country_page(client, site_tree):
    election("KE", datetime.date(2022, 8, 9), election_type="general")
    election("KE", datetime.date(2026, 11, 25), election_type="regional")  # yesterday
    election("KE", datetime.date(2027, 8, 10), election_type="general")

    assert headings(client.get("/elections/")) == ["10 August 2027 : Kenya , general election"]

    page = client.get("/countries/kenya/")
    soup = BeautifulSoup(page.content, "html.parser")
    upcoming = [
        " ".join(li.get_text(" ").split()) for li in soup.select("ul[aria-labelledby=upcoming-elections-heading] li")
    ]
    past = [" ".join(li.get_text(" ").split()) for li in soup.select("ul[aria-labelledby=past-elections-heading] li")]
    assert [item.split(" (source")[0] for item in upcoming] == ["10 August 2027 : General election"]
    assert [item.split(" (source")[0] for item in past] == [
        "25 November 2026 : Regional / state / provincial election",
        "9 August 2022 : General election",
    ]


def test_the_home_page_shows_the_next_five(client, site_tree):
    for i, code in enumerate(["FR", "KE", "GM", "NG", "FI", "CH", "MX"]):
        election(code, datetime.date(2027, 1 + i, 10))
    election("AR", datetime.date(2026, 1, 10))  # over

    soup = BeautifulSoup(client.get("/").content, "html.parser")
    listed = [" ".join(li.get_text(" ").split()).split(" (source")[0] for li in soup.select(".panel .election-list li")]
    assert listed == [
        "10 January 2027 : France , parliamentary election",
        "10 February 2027 : Kenya , parliamentary election",
        "10 March 2027 : Gambia , parliamentary election",
        "10 April 2027 : Nigeria , parliamentary election",
        "10 May 2027 : Finland , parliamentary election",
    ]
    assert soup.find("a", href="/elections/") is not None


def test_the_watch_costs_the_same_queries_for_three_elections_or_twelve(
    client, site_tree, django_assert_max_num_queries
):
    tactic = Tactic.objects.order_by("slug").first()
    codes = ["KE", "NG", "FR", "FI", "CH", "MX", "AR", "GM", "KG", "SV", "HT", "SS"]
    for code in codes:
        make_case(title=f"Case in {code}", countries=(code,), tactics=(tactic.slug,))
    make_guide(title="The guide", threats=(tactic.slug,))
    for i, code in enumerate(codes[:3]):
        election(code, datetime.date(2027, 1 + i, 1))
    client.get("/elections/")  # builds the catalogue index

    with django_assert_max_num_queries(12):
        assert len(headings(client.get("/elections/"))) == 3
    for i, code in enumerate(codes[3:]):
        election(code, datetime.date(2027, 4, 1 + i))
    with django_assert_max_num_queries(12):
        assert len(headings(client.get("/elections/"))) == 12


def test_the_sitemap_and_the_navigation_name_the_watch(client, site_tree):
    assert "/elections/</loc>" in client.get("/sitemap.xml").content.decode()
    soup = BeautifulSoup(client.get("/elections/").content, "html.parser")
    link = soup.select_one('nav[aria-label="Main"] a[href="/elections/"]')
    assert link is not None and link.get("aria-current") == "page"
