"""A case study page shows its content, its facts and its sources as numbered links."""

import datetime

import pytest

from cases.dates import format_partial_date, parse_partial_date

pytestmark = pytest.mark.django_db


def test_case_page_shows_summary_facts_and_numbered_sources(client, case_factory):
    case = case_factory(
        title="Ukraine 2014: attack on the election commission",
        countries=("UA",),
        tactics=("infrastructure-attack",),
        sources=3,
        election_name="2014 Ukrainian presidential election",
        election_date=datetime.date(2014, 5, 25),
        first_seen=datetime.date(2014, 5, 22),
        first_seen_precision="day",
        last_seen=datetime.date(2014, 5, 1),
        last_seen_precision="month",
        attributed_by="SBU; security researchers",
    )
    html = client.get(case.url).content.decode()
    assert "Ukraine 2014: attack on the election commission" in html
    assert case.summary in html
    assert "2014 Ukrainian presidential election" in html
    assert "22 May 2014 – May 2014" in html
    assert "by SBU, security researchers" in html
    assert "Attack on election infrastructure" in html
    # Sources are an ordered list of links, in their editorial order.
    sources = html[html.index('id="sources-heading"') :]
    assert sources.index(f'href="https://example.org/{case.slug}/1"') < sources.index(
        f'href="https://example.org/{case.slug}/3"'
    )
    assert '<li id="source-3">' in sources
    # The DISARM techniques of the tactic are shown with their framework version.
    assert "T0123" in html and "DISARM Red Framework v1.6" in html


def test_country_links_on_case_page_lead_to_the_hubs(client, case_factory):
    case = case_factory(countries=("KE", "TW"))
    html = client.get(case.url).content.decode()
    assert 'href="/countries/kenya/"' in html
    assert 'href="/countries/taiwan/"' in html


def test_case_in_three_countries_shows_on_each_hub(client, case_factory):
    case = case_factory(title="A three-country operation", countries=("MX", "MK", "TR"))
    for slug in ("mexico", "north-macedonia", "turkiye"):
        html = client.get(f"/countries/{slug}/").content.decode()
        assert "A three-country operation" in html, slug
        assert case.url in html
    assert "A three-country operation" not in client.get("/countries/kenya/").content.decode()


def test_a_draft_case_is_not_served(client, case_factory):
    draft = case_factory(title="Unreviewed draft", publish=False)
    assert client.get(f"/cases/{draft.slug}/").status_code == 404


@pytest.mark.parametrize(
    "raw, shown",
    [
        (2016, "2016"),
        ("2016", "2016"),
        ("2016-03", "March 2016"),
        ("2016-03-14", "14 March 2016"),
        (datetime.date(2016, 3, 14), "14 March 2016"),
    ],
)
def test_partial_dates_keep_their_precision(raw, shown):
    assert format_partial_date(*parse_partial_date(raw)) == shown


@pytest.mark.parametrize("raw", ["March 2016", "2016-13", "2016-02-30", "", "16"])
def test_malformed_dates_are_refused(raw):
    with pytest.raises(ValueError):
        parse_partial_date(raw)


def test_origin_and_attribution_read_in_the_language_asked_in(case_factory):
    from django.utils import translation

    case = case_factory(title="Labels", origin="foreign", attribution_status="judicial", attribution_confidence="high")
    assert (case.get_origin_display(), case.get_attribution_status_display()) == ("Foreign", "Judicial")
    assert case.get_attribution_confidence_display() == "High"
    with translation.override("es"):
        assert case.get_origin_display() == "Extranjero"
    with translation.override("fr"):
        assert case.get_attribution_status_display() == "Judiciaire"
    case.origin = "not-a-choice"  # as Django's own display does, an unknown value shows as it is
    assert case.get_origin_display() == "not-a-choice"
