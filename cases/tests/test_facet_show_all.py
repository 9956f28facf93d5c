"""Long facet lists show their busiest options, with a "Show all" link that works without JavaScript."""

import re

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

# Fourteen countries, more than a facet shows before "Show all"; Kenya has the most cases.
CODES = ["KE", "KE", "KE", "NG", "NG", "FR", "DE", "IT", "ES", "PL", "RO", "HU", "GR", "PT", "NL", "BE", "AT"]


@pytest.fixture
def many_countries(case_factory):
    for number, code in enumerate(CODES):
        case_factory(title=f"Case {number} in {code}", countries=(code,))


def country_boxes(soup):
    return [box["value"] for box in soup.select('[data-facet="country"] input[name=country]')]


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_a_long_facet_shows_its_busiest_options_and_a_link_to_all(client, many_countries):
    soup = get(client, "/cases/")
    shown = country_boxes(soup)
    assert len(shown) == 8 and {"KE", "NG"} <= set(shown)
    link = soup.find("a", string=re.compile(r"^Show all 14 countries$"))
    assert link is not None and "all=country" in link["href"] and link["href"].endswith("#facet-country")

    # Following the link (no JavaScript needed) lists every country, with a way back.
    expanded = get(client, link["href"])
    assert len(country_boxes(expanded)) == 14
    fewer = expanded.find("a", string=re.compile("^Show only the countries with most cases$"))
    assert fewer is not None and "all=country" not in fewer["href"]
    # Applying filters keeps the list open: the form carries all=country.
    assert expanded.select_one("#catalogue-filters input[type=hidden][name=all][value=country]")
    assert expanded.select_one("details#filters[open]")


def test_a_chosen_option_outside_the_top_stays_ticked_and_the_link_keeps_the_filters(client, many_countries):
    soup = get(client, "/cases/?country=PT")
    shown = country_boxes(soup)
    assert "PT" in shown and len(shown) == 9  # the eight busiest, and the reader's own choice
    assert soup.select_one('[data-facet="country"] input[value=PT]').has_attr("checked")
    link = soup.find("a", string=re.compile(r"^Show all 14 countries$"))
    assert "country=PT" in link["href"]
    assert "Case 13 in PT" in get(client, link["href"]).get_text()


def test_short_facets_and_unknown_show_all_values_change_nothing(client, many_countries):
    soup = get(client, "/cases/?all=nonsense&all=origin")
    assert len(country_boxes(soup)) == 8
    assert not soup.select("#catalogue-filters input[name=all]")
    assert soup.find(string=re.compile("Show all 14 countries"))
