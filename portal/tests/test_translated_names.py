"""Names from the database in the visitor's language: countries (CLDR), regions and vocabularies (gettext).

Under /fr/ and /es/ a visitor reads "Allemagne" and "Alemania", "Europe occidentale" and "Ferme à
trolls", in facets sorted as French or Spanish sort them, on case cards, case and country pages and
the map; English pages keep the portal's own stored names, and the exports stay English data.
"""

import csv
import io
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.utils import translation

from cases.models import Country, Tactic
from cases.regions import M49_REGION_OF_SUBREGION
from cases.vocabularies import read_taxonomy
from portal import name_msgids
from portal.collation import name_key
from portal.names import country_name, term_name
from portal.site_tree import ensure_translated_tree
from tests.factories import make_case

pytestmark = pytest.mark.django_db

# Alphabetical in English (Germany, Hungary, Spain, United Kingdom, United States), not in French or Spanish.
CODES = ("DE", "HU", "ES", "GB", "US")


@pytest.fixture
def cases(site_tree):
    """The French and Spanish trees, a German troll-farm case and one case in each of four more countries."""
    ensure_translated_tree()
    german = make_case(
        title="Troll farm before the German vote", countries=("DE",), tactics=("troll-farm", "bot-amplification")
    )
    for code in CODES[1:]:
        make_case(title=f"Hacked mail in {code}", countries=(code,), tactics=("hack-and-leak",))
    cache.clear()
    return german


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def facet_labels(soup, name):
    """The options of the catalogue facet `name`, as read: the label's own text, without its count."""
    labels = soup.select(f"#facet-{name} label")
    return [" ".join("".join(label.find_all(string=True, recursive=False)).split()) for label in labels]


def test_the_french_catalogue_names_countries_and_tactics_in_french(client, cases):
    soup = page(client, "/fr/cases/")
    countries = facet_labels(soup, "country")
    assert countries == ["Allemagne", "Espagne", "États-Unis", "Hongrie", "Royaume-Uni"]
    assert "Germany" not in countries
    tactics = facet_labels(soup, "tactic")
    assert "Ferme à trolls" in tactics and "Piratage et fuite" in tactics and "Troll farm" not in tactics
    # Every term facet in the order French writes its names, not the English order.
    for name in ("tactic", "channel", "target"):
        labels = facet_labels(soup, name)
        assert labels and labels == sorted(labels, key=name_key), name
    assert "Courriel" in facet_labels(soup, "channel")
    assert "Électeurs" in facet_labels(soup, "target")
    regions = facet_labels(soup, "region")
    assert regions[:3] == ["Amériques", "Amérique septentrionale", "Europe"]
    assert "Europe occidentale" in regions and "Western Europe" not in regions
    card = next(card for card in soup.select(".case-result") if "German vote" in card.get_text())
    assert "Allemagne" in card.get_text() and "Germany" not in card.get_text()
    assert [tag.get_text() for tag in card.select(".tag")] == ["Amplification par des bots", "Ferme à trolls"]


def test_the_french_map_names_each_country_in_french(client, cases):
    soup = page(client, "/fr/cases/")
    link = soup.select_one('.worldmap__cases a[href="/fr/countries/germany/"]')
    assert link["aria-label"].startswith("Allemagne, ")
    table = [row.th.get_text() for row in soup.select(".worldmap__table tbody tr, details table tbody tr")]
    assert "Allemagne" in table and "Germany" not in table


def test_a_french_filter_chip_and_case_page_use_french_names(client, cases):
    soup = page(client, "/fr/cases/?country=DE&tactic=troll-farm")
    text = " ".join(soup.get_text(" ").split())
    assert "Pays : Allemagne" in text or "Pays: Allemagne" in text
    assert "Ferme à trolls" in text
    case_page = page(client, f"/fr{cases.url}")
    details = " ".join(case_page.select_one("dl").get_text(" ").split())
    assert "Allemagne" in details and "Ferme à trolls" in details and "Germany" not in details


def test_the_spanish_country_page_is_about_alemania(client, cases):
    soup = page(client, "/es/countries/germany/")
    assert soup.h1.get_text() == "Alemania"
    assert soup.title.get_text().startswith("Alemania")
    assert soup.select(".breadcrumb li")[-1].get_text() == "Alemania"
    assert soup.select_one("main p.meta").get_text().startswith("Europa occidental, Europa · ")


def test_the_english_pages_keep_the_stored_names(client, cases):
    soup = page(client, "/countries/germany/")
    assert soup.h1.get_text() == "Germany"
    catalogue = page(client, "/cases/")
    assert facet_labels(catalogue, "country") == ["Germany", "Hungary", "Spain", "United Kingdom", "United States"]
    assert "Troll farm" in facet_labels(catalogue, "tactic")
    assert "Western Europe" in facet_labels(catalogue, "region")


def test_the_country_index_and_home_picker_are_in_the_visitors_language(client, cases):
    index = page(client, "/fr/countries/")
    headings = [h2.get_text() for h2 in index.select("main h2")]
    assert headings == ["Amériques", "Europe"]
    europe = index.find("section", attrs={"aria-labelledby": "region-europe"})
    assert [a.get_text() for a in europe.select("li a")] == ["Allemagne", "Espagne", "Hongrie", "Royaume-Uni"]
    home = page(client, "/es/")
    options = [option.get_text() for option in home.select("#picker-country option")]
    assert "Alemania (1)" in options and "Germany (1)" not in options
    assert [group["label"] for group in home.select("#picker-country optgroup")] == ["Américas", "Europa"]


def test_the_exports_stay_english_whatever_the_language(client, cases):
    response = client.get("/cases/export.csv?country=DE", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(text)))) == 1
    assert "Germany" in text and "Troll farm" in text
    assert "Allemagne" not in text and "Ferme à trolls" not in text
    response = client.get("/cases/export.json?country=DE", HTTP_ACCEPT_LANGUAGE="fr")
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert "Germany" in text and "Allemagne" not in text


def test_country_names_come_from_the_cldr_but_english_keeps_the_stored_name():
    with translation.override("en-gb"):
        assert country_name("CD", "DR Congo") == "DR Congo"
    with translation.override("fr"):
        assert country_name("CD", "DR Congo") == "Congo-Kinshasa"
        assert country_name("HK", "Hong Kong") == "Hong Kong"
        assert country_name("XX", "Nowhere") == "Nowhere"  # no CLDR name: the stored one
        assert country_name("ZZ", "Nowhere") == "Nowhere"  # not CLDR's "Unknown Region"
    with translation.override("es"):
        assert country_name("DE", "Germany") == "Alemania"


def test_a_name_an_editor_adds_stays_english(site_tree):
    tactic = Tactic.objects.create(slug="new-tactic", name="A tactic added later")
    with translation.override("fr"):
        assert tactic.label == "A tactic added later"
        assert Tactic.objects.get(slug="troll-farm").label == "Ferme à trolls"
        germany = Country.objects.get(code="DE")
        assert (germany.label, germany.region_label, germany.sub_region_label) == (
            "Allemagne",
            "Europe",
            "Europe occidentale",
        )


# Names that French or Spanish write as English does: brands, and a few places.
SAME = {"Facebook", "Instagram", "TikTok", "YouTube", "WhatsApp", "Telegram", "VKontakte (VK)", "Reddit"}
SAME_IN = {"fr": SAME | {"Diaspora", "Europe"}, "es": SAME | {"Asia", "Melanesia", "Micronesia"}}


def shipped_names():
    """Every vocabulary and region name the portal loads from its own files."""
    taxonomy = read_taxonomy()
    names = {row["name"] for key in ("tactics", "channels", "targets", "phases", "audiences") for row in taxonomy[key]}
    guides = yaml.safe_load((Path(__file__).resolve().parents[2] / "guides" / "demo" / "guides.yaml").read_text())
    names |= {row["name"] for row in guides["topics"]}
    return names | set(M49_REGION_OF_SUBREGION) | set(M49_REGION_OF_SUBREGION.values())


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_shipped_name_is_registered_and_translated(language):
    registered = {name for value in vars(name_msgids).values() if isinstance(value, tuple) for name in value}
    names = shipped_names()
    assert names <= registered, names - registered
    with translation.override(language):
        untranslated = {name for name in names if term_name(name) == name} - SAME_IN[language]
    assert not untranslated
    assert not [name for name in names if re.search(r"\s$|^\s", name)]


def test_the_french_guide_filters_and_search_facets_use_french_names(client, cases):
    guides = page(client, "/fr/guides/")
    form = guides.select_one("form.filters")
    assert [legend.get_text() for legend in form.select("legend")] == ["Public", "Thème", "Phase électorale"]
    options = [" ".join(label.get_text().split()) for label in form.select("label")]
    assert "Décideurs politiques" in options and "Jour du scrutin" in options
    assert "Policymakers" not in options
    checkbox = form.find("input", attrs={"value": "policymakers"})
    assert checkbox["type"] == "checkbox" and checkbox["name"] == "audience"
    search = page(client, "/fr/search/?q=troll")  # a word both stemmers leave whole (PostgreSQL stems in French)
    countries = [" ".join(label.get_text().split()) for label in search.select("fieldset.facet label")]
    assert "Allemagne (1)" in countries and "Germany (1)" not in countries
    assert "Ferme à trolls (1)" in countries
