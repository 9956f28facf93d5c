"""A case can be cited: APA text, BibTeX, RIS and CSL-JSON agree and escape what each format needs;
the page carries citation_* meta tags and JSON-LD; /cases/ describes the catalogue as a Dataset."""

import datetime
import json
import re

import pytest
from wagtail.models import PageViewRestriction

from cases.citations import Citation, apa, bibtex, csl_json, ris
from cases.structured_data import ld_json_script

ODD = Citation(
    title='Élections “truquées”: {Kenya} & the 100% "troll" farm_#1 \\ ~^$',
    url="https://portal.example/cases/kenya-troll-farm/",
    slug="kenya-troll-farm",
    published=datetime.date(2025, 3, 3),
    revised=datetime.date(2026, 11, 5),
    summary="Line one\nline two & «quotes»",
)


def test_apa_text_names_the_commission_the_revision_and_the_url():
    assert apa(ODD) == (
        "Commission on Election Integrity. (2026, November 5). "
        'Élections “truquées”: {Kenya} & the 100% "troll" farm_#1 \\ ~^$. '
        "Election Integrity Portal. https://portal.example/cases/kenya-troll-farm/"
    )


def test_apa_adds_no_full_stop_after_a_question():
    question = Citation("Who hacked the count?", "https://x.example/c/", "c", ODD.published, ODD.revised)
    assert "(2026, November 5). Who hacked the count? Election Integrity Portal." in apa(question)


def test_bibtex_escapes_latex_specials_and_keeps_accents():
    assert bibtex(ODD) == (
        "@misc{eip-kenya-troll-farm-2026,\n"
        "  author = {{Commission on Election Integrity}},\n"
        '  title = {{Élections “truquées”: \\{Kenya\\} \\& the 100\\% "troll" farm\\_\\#1 '
        "\\textbackslash{} \\textasciitilde{}\\textasciicircum{}\\$}},\n"
        "  howpublished = {Election Integrity Portal},\n"
        "  organization = {Election Integrity Portal},\n"
        "  year = {2026},\n"
        "  month = nov,\n"
        "  date = {2026-11-05},\n"
        "  url = {https://portal.example/cases/kenya-troll-farm/},\n"
        "  abstract = {Line one line two \\& «quotes»},\n"
        "  note = {First published 3 March 2025; last revised 5 November 2026.},\n"
        "  language = {en},\n"
        "}\n"
    )
    # Braces stay balanced whatever the title holds, so the entry parses.
    body = bibtex(ODD).replace("\\{", "").replace("\\}", "")
    assert body.count("{") == body.count("}")


def test_ris_has_one_tag_per_line_and_ends_the_record():
    assert ris(ODD) == (
        "TY  - ELEC\r\n"
        "AU  - Commission on Election Integrity\r\n"
        'TI  - Élections “truquées”: {Kenya} & the 100% "troll" farm_#1 \\ ~^$\r\n'
        "T2  - Election Integrity Portal\r\n"
        "PB  - Election Integrity Portal\r\n"
        "PY  - 2026\r\n"
        "DA  - 2026/11/05\r\n"
        "UR  - https://portal.example/cases/kenya-troll-farm/\r\n"
        "LA  - en\r\n"
        "AB  - Line one line two & «quotes»\r\n"
        "N1  - First published 3 March 2025; last revised 5 November 2026.\r\n"
        "ER  - \r\n"
    )


def test_csl_json_is_one_webpage_item_dated_by_its_revision():
    [item] = json.loads(csl_json(ODD))
    assert item == {
        "id": "eip-kenya-troll-farm-2026",
        "type": "webpage",
        "title": 'Élections “truquées”: {Kenya} & the 100% "troll" farm_#1 \\ ~^$',
        "author": [{"literal": "Commission on Election Integrity"}],
        "container-title": "Election Integrity Portal",
        "publisher": "Election Integrity Portal",
        "issued": {"date-parts": [[2026, 11, 5]]},
        "URL": "https://portal.example/cases/kenya-troll-farm/",
        "language": "en",
        "abstract": "Line one\nline two & «quotes»",
        "note": "First published 3 March 2025; last revised 5 November 2026.",
    }


def test_citation_keys_are_plain_ascii():
    unicode_slug = Citation("T", "https://x.example/", "élections_2024!", ODD.published, ODD.revised)
    assert unicode_slug.key == "eip-lections-2024-2026"


def test_json_ld_cannot_be_closed_by_a_title():
    html = ld_json_script({"headline": "</script><script>alert(1)</script> & more"})
    assert html.count("</script>") == 1
    assert "\\u003C/script\\u003E" in html and "\\u0026" in html
    assert json.loads(html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")) == {
        "headline": "</script><script>alert(1)</script> & more"
    }


# -- on the site --------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def _json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def _meta(html, name):
    match = re.search(rf'<meta name="{name}" content="([^"]*)">', html)
    return match and match.group(1)


@pytestmark_db
def test_case_page_has_citation_meta_tags_json_ld_and_a_cite_box(client, case_factory):
    case = case_factory(
        title="Kenya 2017: “troll” farm & </script> test",
        slug="kenya-2017-troll-farm",
        countries=("KE", "TW"),
        election_name="2017 Kenyan general election",
        election_date=datetime.date(2017, 8, 8),
        sources=2,
    )
    html = client.get(case.url).content.decode()
    revised = case.last_published_at.date()
    url = case.full_url

    assert _meta(html, "citation_title") == "Kenya 2017: “troll” farm &amp; &lt;/script&gt; test"
    assert _meta(html, "citation_author") == "Commission on Election Integrity"
    assert _meta(html, "citation_publication_date") == case.first_published_at.strftime("%Y/%m/%d")
    assert _meta(html, "citation_date") == revised.strftime("%Y/%m/%d")
    assert _meta(html, "citation_public_url") == url
    assert _meta(html, "citation_publisher") == "Election Integrity Portal"
    assert _meta(html, "citation_language") == "en"

    [article] = _json_ld(html)
    assert article["@type"] == "Article"
    assert article["headline"] == "Kenya 2017: “troll” farm & </script> test"
    assert article["url"] == url
    assert article["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert article["author"]["name"] == "Commission on Election Integrity"
    assert article["dateModified"].startswith(revised.isoformat())
    assert [place["name"] for place in article["spatialCoverage"]] == ["Kenya", "Taiwan"]
    assert {"@type": "Event", "name": "2017 Kenyan general election", "startDate": "2017-08-08"} in article["about"]
    assert [source["url"] for source in article["citation"]] == [
        "https://example.org/kenya-2017-troll-farm/1",
        "https://example.org/kenya-2017-troll-farm/2",
    ]
    assert article["citation"][0]["publisher"]["name"] == "Publisher 1"

    box = html[html.index('id="cite-heading"') :]
    assert "Cite this case" in html
    assert f"Commission on Election Integrity. ({revised.year}, {revised.strftime('%B')} {revised.day}). " in box
    assert "<cite>Kenya 2017: “troll” farm &amp; &lt;/script&gt; test</cite>. Election Integrity Portal. " + url in box
    for href, label in [
        ("/cases/kenya-2017-troll-farm/cite.bib", "BibTeX (.bib)"),
        ("/cases/kenya-2017-troll-farm/cite.ris", "RIS (.ris)"),
        ("/cases/kenya-2017-troll-farm/cite.csl.json", "CSL-JSON (.json)"),
    ]:
        assert f'href="{href}"' in box and label in box


@pytestmark_db
def test_citation_downloads_have_their_content_types_and_name_the_revision(client, case_factory):
    case = case_factory(title="Kenya 2017: troll farm", slug="kenya-2017")
    revised = case.last_published_at.date()
    bib = client.get("/cases/kenya-2017/cite.bib")
    assert bib["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert f'filename="eip-kenya-2017-{revised.year}.bib"' in bib["Content-Disposition"]
    assert f"  date = {{{revised.isoformat()}}},\n" in bib.content.decode()
    assert f"  url = {{{case.full_url}}},\n" in bib.content.decode()

    ris_text = client.get("/cases/kenya-2017/cite.ris")
    assert ris_text["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert f"DA  - {revised.strftime('%Y/%m/%d')}\r\n" in ris_text.content.decode()
    assert f"UR  - {case.full_url}\r\n" in ris_text.content.decode()

    csl = client.get("/cases/kenya-2017/cite.csl.json")
    assert csl["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    [item] = json.loads(csl.content)
    assert item["issued"] == {"date-parts": [[revised.year, revised.month, revised.day]]}
    assert item["URL"] == case.full_url
    # Link checkers ask with HEAD.
    assert client.head("/cases/kenya-2017/cite.ris").status_code == 200


@pytestmark_db
def test_unpublished_private_and_unknown_cases_have_no_citation(client, case_factory):
    case_factory(slug="draft-case", publish=False)
    private = case_factory(slug="private-case")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    withdrawn = case_factory(slug="withdrawn-case")
    withdrawn.unpublish()
    for slug in ("draft-case", "private-case", "withdrawn-case", "no-such-case"):
        for ext in ("bib", "ris", "csl.json"):
            assert client.get(f"/cases/{slug}/cite.{ext}").status_code == 404, (slug, ext)


@pytestmark_db
def test_catalogue_describes_itself_as_a_dataset(client, case_factory):
    case_factory(countries=("KE",), first_seen=datetime.date(2016, 3, 1), last_seen=datetime.date(2017, 1, 1))
    case_factory(countries=("NG",), first_seen=datetime.date(2019, 1, 1), last_seen=datetime.date(2021, 6, 1))
    case_factory(countries=("BR",), first_seen=datetime.date(2010, 1, 1), publish=False)
    html = client.get("/cases/").content.decode()
    [dataset] = _json_ld(html)
    assert dataset["@type"] == "Dataset"
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["creator"]["name"] == "Commission on Election Integrity"
    assert dataset["temporalCoverage"] == "2016/2021"
    assert [place["name"] for place in dataset["spatialCoverage"]] == ["Kenya", "Nigeria"]
    formats = {d["encodingFormat"]: d["contentUrl"] for d in dataset["distribution"]}
    assert formats == {
        "text/csv": "http://localhost/cases/export.csv",
        "application/json": "http://localhost/cases/export.json",
        "application/stix+json;version=2.1": "http://localhost/cases/export.stix.json",
    }
    assert len(dataset["description"]) >= 50


@pytestmark_db
def test_the_citations_cost_the_same_queries_however_many_sources(client, case_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for number, sources in enumerate((1, 12)):
        case = case_factory(slug=f"sourced-{number}", sources=sources)
        client.get(case.url)  # warm the site and catalogue caches
        with CaptureQueriesContext(connection) as queries:
            html = client.get(case.url).content.decode()
        assert len(_json_ld(html)[0]["citation"]) == sources
        counts.append(len(queries))
    assert counts[0] == counts[1]
