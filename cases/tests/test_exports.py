"""CSV, JSON and Atom exports: the same filters and the same cases as the catalogue, safe to open."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest

from cases.exports import export_chunks, neutralise
from cases.models import CaseStudyPage, Tactic
from cases.tests.catalogue_data import ALL_VISIBLE, HIDDEN_TITLES, build_case, grow, listed_titles, streamed

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SAME_FILTERS = [
    "",
    "country=KE",
    "country=KE&country=NG&sort=oldest",
    "tactic=troll-farm&origin=domestic",
    "region=asia&year_from=2020&sort=title",
    "channel=facebook&actor_type=commercial-firm",
    "q=troll",
    "country=KE&tactic=deepfake",
]


def csv_rows(response):
    text = streamed(response)
    assert text.startswith("\ufeff")  # so spreadsheets read the file as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def json_body(response):
    return json.loads(streamed(response))


def atom_entries(response):
    return ET.fromstring(streamed(response).encode()).findall(f"{ATOM}entry")


@pytest.mark.parametrize("query", SAME_FILTERS)
def test_csv_and_json_hold_exactly_the_cases_the_catalogue_lists_in_its_order(client, catalogue, query):
    listed = listed_titles(client.get(f"/cases/?{query}"))
    assert [row["title"] for row in csv_rows(client.get(f"/cases/export.csv?{query}"))] == listed
    body = json_body(client.get(f"/cases/export.json?{query}"))
    assert [case["title"] for case in body["results"]] == listed
    assert body["count"] == len(listed)
    feed_titles = {entry.find(f"{ATOM}title").text for entry in atom_entries(client.get(f"/cases/feed.atom?{query}"))}
    assert feed_titles == set(listed)


def test_csv_is_a_streamed_attachment_with_a_header_row_and_one_row_per_case(client, catalogue):
    response = client.get("/cases/export.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="election-interference-cases-{datetime.date.today().isoformat()}.csv"'
    )
    rows = csv_rows(response)
    assert {row["title"] for row in rows} == ALL_VISIBLE
    us = next(row for row in rows if row["title"].startswith("United States"))
    assert us["url"] == "http://localhost/cases/" + catalogue[us["title"]].slug + "/"
    assert us["countries"] == "US" and us["country_names"] == "United States"
    assert us["first_seen"] == "2014" and us["last_seen"] == "2017-01"
    assert us["tactics"] == "Fake accounts; Troll farm"
    assert us["channels"] == "Facebook; Instagram; X (formerly Twitter)"
    assert us["actors"] == "GRU; Internet Research Agency"
    assert us["actor_types"] == "commercial-firm; state-intelligence"
    assert us["origin"] == "foreign" and us["attribution"] == "judicial"
    assert us["sources"] == "; ".join(f"https://example.org/{catalogue[us['title']].slug}/{n}" for n in (1, 2))
    doppelganger = next(row for row in rows if row["title"].startswith("Doppelganger"))
    assert doppelganger["countries"] == "DE; FR"  # codes in code order
    assert doppelganger["country_names"] == "France; Germany"  # names in name order


def test_json_has_the_documented_fields(client, catalogue):
    body = json_body(client.get("/cases/export.json?country=TW"))
    assert body["count"] == 1
    assert body["filters"] == {"country": ["TW"]}
    assert "sources listed with each case" in body["note"]
    (case,) = body["results"]
    assert case["title"] == "Taiwan 2024: deepfake of a candidate"
    assert case["url"].startswith("http") and case["url"].endswith(f"/cases/{catalogue[case['title']].slug}/")
    assert case["summary"] == "Summary of Taiwan 2024: deepfake of a candidate."
    assert case["countries"] == ["TW"]
    assert (case["first_seen"], case["last_seen"]) == ("2023-12", "2024-01-13")
    assert case["election_date"] is None
    assert (case["origin"], case["attribution"]) == ("foreign", "official")
    assert case["actors"] == [{"name": "Ministry of State Security", "type": "state-intelligence"}]
    assert case["tactics"] == ["deepfake"]
    assert case["channels"] == ["youtube"]
    assert case["targets"] == ["candidates"]
    assert case["sources"][0] == {
        "publisher": "Publisher 1",
        "title": f"Report 1 on {case['title']}",
        "date": None,
        "url": f"https://example.org/{catalogue[case['title']].slug}/1",
        "archived_url": None,
    }


def test_a_case_with_no_end_exports_an_empty_last_seen(client, catalogue):
    rows = csv_rows(client.get("/cases/export.csv?channel=email"))
    assert (rows[0]["first_seen"], rows[0]["last_seen"]) == ("2022-05-10", "")
    assert json_body(client.get("/cases/export.json?channel=email"))["results"][0]["last_seen"] is None


def test_atom_feed_entries_have_title_link_summary_and_updated(client, catalogue):
    response = client.get("/cases/feed.atom?country=KE")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text == "Election Integrity Portal: case studies (filtered)"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Kenya 2022: leaked commission emails",
        "Kenya 2017: troll farm on Facebook",
    ]  # newest publication first
    entry = entries[0]
    page = catalogue["Kenya 2022: leaked commission emails"]
    # The Site record's host (portal/absolute_urls.py), as in the exports and canonical links.
    assert entry.find(f"{ATOM}link").get("href") == f"http://localhost/cases/{page.slug}/"
    assert entry.find(f"{ATOM}summary").text == page.summary
    updated = datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    assert abs(updated - page.last_published_at) < datetime.timedelta(seconds=1)


@pytest.mark.parametrize("url", ["/cases/export.csv", "/cases/export.json", "/cases/feed.atom"])
def test_no_export_holds_a_draft_private_or_unpublished_case(client, catalogue, url):
    for query in ("", "?country=KE", "?tactic=troll-farm", "?q=Kenyan"):
        text = streamed(client.get(url + query))
        for title in HIDDEN_TITLES:
            assert title not in text, (url, query, title)


def test_a_case_still_in_review_exports_its_published_version(client, catalogue):
    page = catalogue["Kenya 2017: troll farm on Facebook"]
    page.title = "Unreviewed new title"
    page.save_revision()
    text = streamed(client.get("/cases/export.csv")) + streamed(client.get("/cases/export.json"))
    assert "Unreviewed new title" not in text
    assert "Kenya 2017: troll farm on Facebook" in text


def test_formula_cells_are_neutralised_in_the_csv(client, site_tree):
    build_case(
        title='=HYPERLINK("http://evil.example","click")',
        summary="+cmd|' /C calc'!A0",
        attributed_by="@SUM(1+1)*cmd|' /C calc'!A0",
        election_name="-2+3",
        actors=(("\tTabbed actor", "unknown"), ("\rReturn actor", "unknown")),
    )
    rows = list(csv.reader(io.StringIO(streamed(client.get("/cases/export.csv"))[1:])))
    header, row = rows
    cells = dict(zip(header, row, strict=True))
    assert cells["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert cells["summary"] == "'+cmd|' /C calc'!A0"
    assert cells["attributed_by"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert cells["election_name"] == "'-2+3"
    assert cells["actors"].startswith("'")
    for value in row:
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    # JSON is data, not a spreadsheet: values stay as written.
    assert json_body(client.get("/cases/export.json"))["results"][0]["summary"] == "+cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
    ],
)
def test_neutralise(value, safe):
    assert neutralise(value) == safe


@pytest.mark.parametrize("url", ["/cases/export.csv", "/cases/export.json", "/cases/feed.atom"])
@pytest.mark.parametrize(
    "query, named",
    [
        ("country=XX", "“XX” is not a known ISO country code."),
        ("country=KE&tactic=teleportation", "“teleportation” is not a known tactic."),
        ("year_from=abc", "“abc” was ignored for from year"),
        ("sort=random", "“random” is not a sort order"),
        ("q=" + "x" * 500, "shortened to the first 200 characters"),
    ],
)
def test_invalid_filters_answer_400_naming_the_value(client, catalogue, url, query, named):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert named in response.content.decode()


@pytest.mark.parametrize("url", ["/cases/export.csv", "/cases/export.json", "/cases/feed.atom"])
@pytest.mark.parametrize(
    "query",
    [
        "country=%00",
        "region=" + "x" * 3000,
        "year_from=1e400",
        "year_to=NaN",
        "q=%00",
        "page=abc",
        "tactic=%F0%9F%92%A3",
    ],
)
def test_hostile_parameters_get_a_clear_answer_never_a_500(client, catalogue, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        streamed(response)


def test_exports_refuse_other_methods(client, catalogue):
    assert client.post("/cases/export.csv").status_code == 405
    assert client.post("/cases/export.json").status_code == 405


# (export, most queries it may run)
CONSTANT_EXPORTS = [
    ("/cases/export.csv?tactic=troll-farm&country=KE", 15),
    ("/cases/export.json?tactic=troll-farm&country=KE", 16),
    ("/cases/feed.atom?tactic=troll-farm&country=KE", 9),
]


def test_exports_run_a_constant_number_of_queries(client, site_tree, django_assert_max_num_queries, subtests):
    """Each export's count with 3 cases and with 25; the cases are built once for all."""
    counts = {url: [] for url, _ in CONSTANT_EXPORTS}
    for size in (3, 22):  # 3 cases, then 25
        grow(size, sources=2)
        for url, limit in CONSTANT_EXPORTS:
            streamed(client.get(url))  # warm Wagtail's site cache
            with django_assert_max_num_queries(limit) as captured:
                text = streamed(client.get(url))
            counts[url].append(len(captured.captured_queries))
            assert text.count("Generated case") >= (3 if size == 3 else 25), url
    for url, (small, large) in counts.items():
        with subtests.test(url=url):
            assert small == large, (small, large)


def test_a_case_with_no_countries_sources_or_terms_exports_empty_cells_and_lists(client, site_tree):
    page = build_case(title="Bare case", countries=(), sources=0, election_name="", attributed_by="")
    (row,) = csv_rows(client.get("/cases/export.csv"))
    assert row["title"] == "Bare case" and row["url"] == page.get_full_url()
    for column in ("countries", "country_names", "actors", "actor_types", "tactics", "channels", "targets", "sources"):
        assert row[column] == "", column
    (case,) = json_body(client.get("/cases/export.json"))["results"]
    for field in ("countries", "country_names", "actors", "tactics", "channels", "targets", "sources", "attributed_by"):
        assert case[field] == [], field


def test_a_case_with_several_actors_sources_and_attributors_lists_each_once_in_order(client, site_tree):
    page = build_case(
        title="Busy case",
        countries=("UG", "KE", "TZ"),
        tactics=("troll-farm", "deepfake", "bot-amplification"),
        channels=("youtube", "facebook"),
        targets=("voters", "candidates"),
        actors=(
            ("Zeta firm", "commercial-firm"),
            ("Alpha unit", "state-intelligence"),
            ("Mid firm", "commercial-firm"),
        ),
        attributed_by="Meta; ; Graphika ;Stanford",
        sources=3,
    )
    (row,) = csv_rows(client.get("/cases/export.csv"))
    assert row["countries"] == "KE; TZ; UG"
    assert row["country_names"] == "Kenya; Tanzania; Uganda"
    assert row["actors"] == "Alpha unit; Mid firm; Zeta firm"  # by name
    assert row["actor_types"] == "commercial-firm; state-intelligence"  # each type once, sorted
    assert row["attributed_by"] == "Meta; Graphika; Stanford"
    assert row["channels"] == "Facebook; YouTube"
    assert row["sources"] == "; ".join(f"https://example.org/{page.slug}/{n}" for n in (1, 2, 3))
    (case,) = json_body(client.get("/cases/export.json"))["results"]
    assert case["actors"] == [
        {"name": "Alpha unit", "type": "state-intelligence"},
        {"name": "Mid firm", "type": "commercial-firm"},
        {"name": "Zeta firm", "type": "commercial-firm"},
    ]
    assert case["tactics"] == ["bot-amplification", "deepfake", "troll-farm"]  # in name order
    assert case["targets"] == ["candidates", "voters"]
    assert [source["publisher"] for source in case["sources"]] == ["Publisher 1", "Publisher 2", "Publisher 3"]
    assert case["attributed_by"] == ["Meta", "Graphika", "Stanford"]


def test_export_urls_are_exactly_the_pages_own_full_urls(client, catalogue):
    pages = {
        **catalogue,
        "Élection présidentielle": build_case(title="Élection présidentielle", slug="élection-présidentielle"),
    }
    for row in csv_rows(client.get("/cases/export.csv")):
        assert row["url"] == pages[row["title"]].get_full_url(), row["title"]
    # reverse() escapes a non-ASCII slug, so the export must not just glue it on.
    assert pages["Élection présidentielle"].get_full_url().endswith("/cases/%C3%A9lection-pr%C3%A9sidentielle/")


def test_exports_read_in_chunks_give_the_same_data_with_six_queries_per_chunk(
    client, site_tree, monkeypatch, django_assert_max_num_queries
):
    grow(7, sources=2)
    whole, counts = {}, {}
    for size in (500, 2):  # one chunk, then four
        monkeypatch.setattr("cases.exports.CHUNK_SIZE", size)
        for url in ("/cases/export.csv?sort=title", "/cases/export.json?sort=title"):
            streamed(client.get(url))  # warm Wagtail's site cache
            with django_assert_max_num_queries(40) as captured:
                text = streamed(client.get(url))
            counts[size, url] = len(captured.captured_queries)
            if size == 500:
                whole[url] = text
            elif url.endswith(".csv?sort=title"):
                assert text == whole[url]
            else:
                assert json.loads(text)["results"] == json.loads(whole[url])["results"]
    for url in ("/cases/export.csv?sort=title", "/cases/export.json?sort=title"):
        assert counts[2, url] == counts[500, url] + 6 * 3  # five link tables and the sources, per further chunk


def test_a_term_created_while_an_export_runs_is_still_named(site_tree, monkeypatch, rf):
    grow(2)
    monkeypatch.setattr("cases.exports.CHUNK_SIZE", 1)
    chunks = export_chunks(CaseStudyPage.objects.published().order_by("title"), rf.get("/cases/export.csv"))
    (first,) = next(chunks)
    assert first.title == "Generated case 0"
    tactic = Tactic.objects.create(slug="new-tactic", name="A new tactic")
    CaseStudyPage.tactics.through.objects.create(
        casestudypage=CaseStudyPage.objects.get(title="Generated case 1"), tactic=tactic
    )
    (second,) = next(chunks)
    assert ("new-tactic", "A new tactic") in second.tactics
