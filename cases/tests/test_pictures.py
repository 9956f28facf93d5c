"""The map, the charts and the timelines readers see: they follow the filters, link to the right
pages, carry accessible names, and their tables hold the numbers the catalogue itself gives."""

import datetime
import html
import re

from cases.models import CaseStudyPage
from cases.tests.catalogue_data import build_case, grow

MAP_LINK = re.compile(r'<a href="([^"]*)" aria-label="([^"]*)"><title>[^<]*</title><(path|circle) class="[^"]*lvl-(\d)')
TABLE = re.compile(r"<table class=\"chart__table\">\s*<caption>([^<]*)</caption>(.*?)</table>", re.S)
ROW = re.compile(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', re.S)
CELL = re.compile(r"<td>([^<]*)</td>")
TAG = re.compile(r"<[^>]+>")


def page_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def map_links(text):
    """{accessible name: (link, colour class)} of the countries the map shades."""
    start = text.index('<g class="worldmap__cases">')
    part = text[start : text.index("</g>", start)]
    return {html.unescape(name): (href, int(level)) for href, name, _shape, level in MAP_LINK.findall(part)}


def tables(text):
    """{caption: [(row header, [cells])]} of every chart and map table on the page."""
    found = {}
    for caption, body in TABLE.findall(text):
        rows = [(html.unescape(TAG.sub("", header)), CELL.findall(cells)) for header, cells in ROW.findall(body)]
        found[html.unescape(caption)] = rows
    return found


def result_count(client, query):
    text = page_html(client, f"/cases/?{query}")
    return int(re.search(r'<p class="result-count"[^>]*><strong>(\d+)</strong>', text).group(1))


def test_the_map_shades_only_the_countries_of_the_filtered_cases(client, catalogue):
    links = map_links(page_html(client, "/cases/?region=africa"))
    # Kenya has three more troll-farm cases that are not public: they are not counted.
    assert links == {
        "Kenya, 2 cases": ("/countries/kenya/", 5),
        "Nigeria, 1 case": ("/countries/nigeria/", 1),  # two classes: the lightest and darkest colours
    }


def test_the_map_of_every_case_counts_each_country_of_a_case_and_its_table_matches(client, catalogue):
    text = page_html(client, "/cases/")
    links = map_links(text)
    assert set(links) == {
        "Kenya, 2 cases",
        "Nigeria, 1 case",
        "Philippines, 1 case",
        "United States, 1 case",
        "Taiwan, 1 case",
        "Germany, 1 case",
        "France, 1 case",
    }
    assert links["Germany, 1 case"][0] == "/countries/germany/"
    table = tables(text)["Cases per country"]
    assert {f"{name}, {cells[0]} case{'' if cells == ['1'] else 's'}" for name, cells in table} == set(links)
    assert table[0] == ("Kenya", ["2"])  # most cases first
    assert '<title id="worldmap-title">Map: countries of the 7 cases</title>' in text
    assert "Kenya (2)" in text  # the description names the countries with most cases


def test_a_country_too_small_for_a_shape_is_a_dot_that_links_to_its_page(client, site_tree):
    build_case(title="Singapore case", countries=("SG",))
    text = page_html(client, "/cases/")
    assert re.search(r'<a href="/countries/singapore/" aria-label="Singapore, 1 case">.*?<circle', text)


def test_the_home_page_maps_every_published_case(client, catalogue):
    links = map_links(page_html(client, "/"))
    assert links["Kenya, 2 cases"][0] == "/countries/kenya/"
    assert len(links) == 7


def test_cases_per_year_match_the_catalogue_with_that_year_filter(client, catalogue):
    for query in ("", "tactic=troll-farm&", "region=africa&"):
        rows = tables(page_html(client, f"/cases/?{query}"))
        caption = "Cases per year" + (", for these filters" if query else "")
        years = rows[caption]
        assert years, caption
        for year, (count,) in years:
            assert int(count) == result_count(client, f"{query}year_from={year}&year_to={year}"), (query, year)
    all_years = tables(page_html(client, "/cases/"))["Cases per year"]
    assert all_years[0][0] == "2014" and all_years[-1][0] == "2024"  # the span of the cases


def test_tactics_origin_and_attribution_by_year_hold_the_catalogue_counts(client, catalogue):
    found = tables(page_html(client, "/cases/"))
    heat = found["Tactics most seen, by year"]
    assert heat[0][0] == "Troll farm"  # most seen first: three cases
    years = [str(y) for y in range(2014, 2025)]
    troll = dict(zip(years, heat[0][1], strict=True))
    for year in ("2014", "2016", "2017", "2018", "2022"):
        assert int(troll[year]) == result_count(client, f"tactic=troll-farm&year_from={year}&year_to={year}")
    assert troll["2017"] == "3" and troll["2023"] == "0"

    origin = {year: cells for year, cells in found["Origin by year"]}
    # Foreign, Domestic, Mixed (Unknown has no case, so no column).
    assert origin["2022"] == ["1", "1", "1"]
    assert origin["2016"] == ["1", "1", "0"]
    attribution = {year: cells for year, cells in found["Attribution by year"]}
    # Judicial, Official, Platform, Independent, Alleged.
    assert attribution["2024"] == ["0", "2", "0", "0", "0"]
    assert attribution["2017"] == ["1", "0", "0", "2", "0"]


def test_disarm_techniques_count_the_techniques_each_case_page_shows(client, catalogue):
    found = tables(page_html(client, "/cases/?origin=foreign&origin=domestic"))
    rows = found["DISARM techniques most seen, for these filters"]
    assert rows
    cases = CaseStudyPage.objects.published().filter(origin__in=("foreign", "domestic"))
    expected = {}
    for case in cases:
        for technique in case.techniques_shown():
            key = f"{technique.external_id} {technique.name}"
            expected[key] = expected.get(key, 0) + 1
    for name, (count,) in rows:
        assert int(count) == expected[name], name
    assert [int(count) for _name, (count,) in rows] == sorted(expected.values(), reverse=True)[: len(rows)]


def test_no_chart_counts_cases_the_public_cannot_see(client, catalogue):
    text = page_html(client, "/cases/?country=KE")
    found = tables(text)
    assert sum(int(n) for _y, (n,) in found["Cases per year, for these filters"]) == 2  # 2017 and 2022
    assert map_links(text) == {"Kenya, 2 cases": ("/countries/kenya/", 5)}


def test_with_no_result_there_is_no_map_or_chart(client, catalogue):
    text = page_html(client, "/cases/?country=KE&tactic=deepfake")
    assert "worldmap" not in text and "chart__svg" not in text


def test_the_country_timeline_links_each_case_and_marks_its_elections(client, catalogue):
    kenya = catalogue["Kenya 2017: troll farm on Facebook"]
    kenya.election_name, kenya.election_date = "2017 general election", datetime.date(2017, 8, 8)
    kenya.save_revision().publish()
    text = page_html(client, "/countries/kenya/")
    start = text.index('id="country-timeline-title"')
    svg = text[start : text.index("</svg>", start)]
    marks = re.findall(r'<a href="([^"]*)" aria-label="([^"]*)"', svg)
    links = {html.unescape(name): href for href, name in marks}
    assert links == {
        "Election: 2017 general election, 8 August 2017: Kenya 2017: troll farm on Facebook": kenya.url,
        "Kenya 2017: troll farm on Facebook, June 2017 – August 2017": kenya.url,
        "Kenya 2022: leaked commission emails, 10 May 2022": catalogue["Kenya 2022: leaked commission emails"].url,
    }
    assert "Troll farm" not in svg and "Draft Kenyan" not in text
    assert tables(text)["Cases in Kenya over time"][0][0] == "Kenya 2017: troll farm on Facebook"


def test_the_country_timeline_marks_the_elections_of_the_calendar(client, catalogue, monkeypatch):
    from elections.models import DatePrecision, Election

    monkeypatch.setattr("elections.models.today", lambda: datetime.date(2026, 11, 26))
    kenya = catalogue["Kenya 2017: troll farm on Facebook"]
    kenya.election_name, kenya.election_date = "2017 general election", datetime.date(2017, 8, 8)
    kenya.save_revision().publish()
    country = kenya.countries.get(code="KE")
    for day, precision, url in (
        (datetime.date(2017, 8, 8), DatePrecision.DAY, "https://example.org/2017"),  # the case's: marked once
        (datetime.date(2013, 3, 4), DatePrecision.DAY, "https://example.org/2013"),
        (datetime.date(2027, 8, 10), DatePrecision.DAY, "https://example.org/2027"),
    ):
        Election.objects.create(
            country=country,
            date=day,
            date_precision=precision,
            election_type="general",
            source_title="Calendar",
            source_publisher="IEBC",
            source_url=url,
            source_accessed=datetime.date(2026, 11, 26),
        )
    Election.objects.create(  # a draft: never on a public page
        country=country,
        date=datetime.date(2022, 8, 9),
        election_type="general",
        source_title="Draft",
        source_publisher="IEBC",
        source_url="https://example.org/draft",
        source_accessed=datetime.date(2026, 11, 26),
        live=False,
    )
    text = page_html(client, "/countries/kenya/")
    start = text.index('id="country-timeline-title"')
    svg = text[start : text.index("</svg>", start)]
    marks = {html.unescape(name): href for href, name in re.findall(r'<a href="([^"]*)" aria-label="([^"]*)"', svg)}
    elections = {name: href for name, href in marks.items() if name.startswith("Election: ")}
    assert elections == {
        "Election: 2017 general election, 8 August 2017: Kenya 2017: troll farm on Facebook": kenya.url,
        "Election: General election, 4 March 2013": "https://example.org/2013",
        "Election: General election, 10 August 2027 (to come)": "/elections/?region=africa",
    }
    assert "2027" in re.findall(r'<text[^>]*aria-hidden="true">(\d+)</text>', svg)  # the axis reaches the election


def test_a_country_without_cases_has_no_timeline(client, catalogue):
    assert "country-timeline" not in page_html(client, "/countries/chile/")


def test_the_pictures_add_no_query_per_country_or_year(client, site_tree, django_assert_max_num_queries, subtests):
    """Each query's count with a few cases in two countries and with many more in more; built once for all."""
    queries = ["", "region=africa&tactic=troll-farm"]
    counts = {query: [] for query in queries}
    for size, extra in ((3, ("KE",)), (22, ("FR", "DE", "BR", "IN", "SG"))):
        grow(size)
        for n, code in enumerate(extra):
            build_case(title=f"Elsewhere {size}-{n}", countries=(code,), first_seen=datetime.date(2000 + n, 1, 1))
        for query in queries:
            client.get(f"/cases/?{query}")  # warm the site cache and the index
            with django_assert_max_num_queries(25) as captured:
                text = page_html(client, f"/cases/?{query}")
            assert "worldmap__cases" in text, query
            counts[query].append(len(captured.captured_queries))
    for query, (small, large) in counts.items():
        with subtests.test(query=query):
            assert small == large, (small, large)


def test_a_busy_country_timeline_says_it_shows_the_newest_cases(client, catalogue, monkeypatch):
    monkeypatch.setattr("cases.views.HUB_CASE_LIMIT", 1)
    text = page_html(client, "/countries/kenya/")
    assert "The 1 newest of the 2 cases" in text
    start = text.index('id="country-timeline-title"')
    svg = text[start : text.index("</svg>", start)]
    assert "Kenya 2022: leaked commission emails" in svg and "Kenya 2017" not in svg


def test_a_case_published_in_a_new_country_shows_on_the_map_at_the_next_request(client, catalogue):
    assert "Chile" not in str(map_links(page_html(client, "/cases/")))
    build_case(title="Chile case", countries=("CL",))
    assert map_links(page_html(client, "/cases/"))["Chile, 1 case"][0] == "/countries/chile/"
