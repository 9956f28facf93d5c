"""The interface in French and Spanish: what a visitor reads under /fr/ and /es/ on the country pages,
the election watch, the catalogue's facets and pictures, the open-data page and the PDF briefing.

Each test reads the page as a visitor would (its text, its links) and checks both that the
translated sentences are there and that the English ones of the same templates are gone.
"""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from pypdf import PdfReader

from cases.briefing import briefing_context
from cases.models import Country
from elections.models import DatePrecision, Election
from portal.site_tree import ensure_site_tree, ensure_translated_tree
from tests.factories import make_case, make_guide
from tests.shared_data import shared_fixture

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)
# Fourteen countries, more than a facet shows before "Show all" (as in cases/tests/test_facet_show_all.py).
CODES = ["KE", "KE", "KE", "NG", "NG", "FR", "DE", "IT", "ES", "PL", "RO", "HU", "GR", "PT", "NL", "BE", "AT"]


@pytest.fixture
def trees(site_tree):
    """The site with its French and Spanish trees, as load_demo makes it."""
    ensure_translated_tree()
    cache.clear()
    return site_tree


def build_kenya():
    ensure_site_tree()
    ensure_translated_tree()
    make_case(title="Troll farm before the Kenyan vote", countries=("KE",), tactics=("troll-farm", "bot-amplification"))
    make_case(title="Hacked campaign mail in Kenya", countries=("KE",), tactics=("hack-and-leak",))
    make_guide(title="Spotting coordinated networks", slug="spotting-networks")


kenya_rows = shared_fixture("kenya_rows", build_kenya)  # built once for the file's tests that use it


@pytest.fixture
def kenya(kenya_rows, trees):
    """Two Kenyan cases with tactics, and a guide on one of them."""
    return Country.objects.get(code="KE")


def build_many_countries():
    ensure_site_tree()
    ensure_translated_tree()
    for number, code in enumerate(CODES):
        make_case(title=f"Case {number} in {code}", countries=(code,))


many_countries_rows = shared_fixture("many_countries_rows", build_many_countries)


@pytest.fixture
def many_countries(many_countries_rows, trees):
    """Cases in the fourteen countries of CODES."""


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def words(soup):
    """The page's text, and its titles and labels, with whitespace runs made one space."""
    labels = [tag[name] for name in ("aria-label", "title") for tag in soup.find_all(attrs={name: True})]
    return " ".join(" ".join([soup.get_text(" "), *labels]).split())


def assert_none_left(text, english):
    left = [sentence for sentence in english if sentence in text]
    assert not left, f"English left on the page: {left}"


# The country pages' English, from templates/cases/country_detail.html, country_empty.html and the
# timeline, as it would read here: none of it may show in French or Spanish.
COUNTRY_ENGLISH = [
    "Download the briefing (PDF)",
    "Download as CSV",
    "Cases and elections over time",
    "Tactics seen in Kenya",
    "published cases about elections in",
    "Filter these 2 cases in the catalogue",
    "Cases about elections in Kenya, newest first",
    "Guides for what was seen here",
    "Timeline of the cases in Kenya",
    "The timeline as a table",
    "Each bar is a case",
    "Diamonds: elections",
    "ISO code",
    "Breadcrumb",
]


@pytest.mark.parametrize(
    "prefix, expected",
    [
        (
            "fr",
            [
                "2 cas publiés sur les élections du pays Kenya",
                "code ISO KE",
                "Télécharger la note d’information (PDF)",
                "Télécharger en CSV",
                "Filtrer ces 2 cas dans le catalogue",
                "Cas et élections au fil du temps",
                "Tactiques observées : Kenya",
                "Cas portant sur les élections du pays Kenya, les plus récents d’abord",
                "Frise chronologique des cas : Kenya",
                "La frise sous forme de tableau (2 cas)",
                "Losanges : élections.",
                "janvier 2019 – juin 2019",  # the cases' period, with French month names
            ],
        ),
        (
            "es",
            [
                "2 casos publicados sobre elecciones en Kenia",
                "código ISO KE",
                "Descargar el informe (PDF)",
                "Descargar en CSV",
                "Filtrar estos 2 casos en el catálogo",
                "Casos y elecciones a lo largo del tiempo",
                "Tácticas observadas en Kenia",
                "Casos sobre elecciones en Kenia, los más recientes primero",
                "Cronología de los casos en Kenia",
                "La cronología en forma de tabla (2 casos)",
                "Rombos: elecciones.",
                "enero de 2019 – junio de 2019",
            ],
        ),
    ],
)
def test_a_country_page_with_cases_speaks_the_visitors_language(client, kenya, prefix, expected):
    soup = page(client, f"/{prefix}/countries/kenya/")
    text = words(soup)
    for sentence in expected:
        assert sentence in text
    assert_none_left(text, COUNTRY_ENGLISH)
    # Every link on the page keeps the visitor in their language.
    crumbs = soup.select(".breadcrumb a")
    assert [a["href"] for a in crumbs] == [f"/{prefix}/", f"/{prefix}/countries/"]
    assert soup.find("a", type="application/pdf")["href"] == f"/{prefix}/countries/kenya/briefing.pdf"
    assert all(a["href"].startswith(f"/{prefix}/cases/") for a in soup.select(".timeline-chart a"))


def test_the_english_country_page_is_unchanged(client, kenya):
    text = words(page(client, "/countries/kenya/"))
    for sentence in (
        "2 published cases about elections in Kenya",
        "Download the briefing (PDF)",
        "Filter these 2 cases in the catalogue",
        "Timeline of the cases in Kenya",
        "The timeline as a table (2 cases)",
        "January 2019 – June 2019",
    ):
        assert sentence in text


@pytest.mark.parametrize(
    "prefix, expected, english",
    [
        (
            "fr",
            [
                "Le portail n’a encore publié aucun cas sur les élections du pays Ouganda.",
                "Cas : Afrique orientale",
                "Guides pour les défenseurs",
            ],
            ["The portal has no published case", "Cases in Eastern Africa", "Guides for defenders"],
        ),
        (
            "es",
            [
                "El portal aún no ha publicado ningún caso sobre elecciones en Uganda.",
                "Casos en África oriental",
                "Guías para quienes defienden",
            ],
            ["The portal has no published case", "Cases in Eastern Africa", "Guides for defenders"],
        ),
    ],
)
def test_a_country_without_cases_says_so_and_shows_its_region_in_the_visitors_language(
    client, kenya, prefix, expected, english
):
    text = words(page(client, f"/{prefix}/countries/uganda/"))
    for sentence in expected:
        assert sentence in text
    assert_none_left(text, english)


@pytest.fixture
def watch(trees, monkeypatch):
    """One election on the calendar, 18 April 2027, seen from 26 November 2026."""
    monkeypatch.setattr("elections.models.today", lambda: TODAY)
    return Election.objects.create(
        country=Country.objects.get(code="KE"),
        date=datetime.date(2027, 4, 18),
        date_precision=DatePrecision.DAY,
        election_type="presidential",
        live=True,
        source_title="Election calendar",
        source_publisher="Electoral commission",
        source_url="https://example.org/ke/2027-04-18",
        source_accessed=TODAY,
    )


WATCH_ENGLISH = ["Election watch", "soonest first", "Seen before in", "Guides to prepare", "Date from", "Region"]


@pytest.mark.parametrize(
    "prefix, expected",
    [
        (
            "fr",
            [
                "Veille électorale",
                "18 avril 2027",
                "élection présidentielle",
                "1 élection, la plus proche d’abord.",
                "Déjà observé : Kenya",
                "Guides pour se préparer",
                "Date tirée de Election calendar",
            ],
        ),
        (
            "es",
            [
                "Vigilancia electoral",
                "18 de abril de 2027",
                "elección presidencial",
                "1 elección, la más próxima primero.",
                "Observado antes en Kenia",
                "Guías para prepararse",
                "Fecha tomada de Election calendar",
            ],
        ),
    ],
)
def test_the_election_watch_speaks_the_visitors_language(client, watch, prefix, expected):
    text = words(page(client, f"/{prefix}/elections/"))
    for sentence in expected:
        assert sentence in text
    assert_none_left(text, WATCH_ENGLISH)


@pytest.mark.parametrize(
    "language, expected",
    [("en-gb", "18 April 2027"), ("fr", "18 avril 2027"), ("es", "18 de abril de 2027")],
)
def test_an_election_date_is_written_as_each_language_writes_it(language, expected):
    election = Election(date=datetime.date(2027, 4, 18), date_precision=DatePrecision.DAY)
    with translation.override(language):
        assert election.date_display == expected


def test_a_country_page_shows_its_upcoming_election_in_french(client, watch, kenya):
    text = words(page(client, "/fr/countries/kenya/"))
    assert "Élections : Kenya" in text and "Élections à venir" in text
    assert "18 avril 2027" in text
    assert_none_left(text, ["Upcoming elections", "18 April 2027"])


CATALOGUE_ENGLISH = [
    "Show all 14 countries",
    "on a map and over time",
    "Cases per year",
    "Legend: cases per country",
    "Small countries are dots",
    "The map's numbers as a table",
    "More charts",
    "Tactics most seen",
    "as a table",
]


@pytest.mark.parametrize(
    "prefix, expected, fewer",
    [
        (
            "fr",
            [
                "Afficher les 14 pays",
                "Les 17 cas sur une carte et dans le temps",
                "Carte : pays des 17 cas",
                "Légende : cas par pays",
                "Cas par année",
                "Cas par année sous forme de tableau",
                "Les chiffres de la carte sous forme de tableau (14 pays)",
                "Kenya, 3 cas",
            ],
            "N’afficher que les pays ayant le plus de cas",
        ),
        (
            "es",
            [
                "Mostrar la lista completa (14 países)",
                "Los 17 casos en un mapa y a lo largo del tiempo",
                "Mapa: países de los 17 casos",
                "Leyenda: casos por país",
                "Casos por año",
                "Casos por año en forma de tabla",
                "Las cifras del mapa en forma de tabla (14 países)",
                "Kenia, 3 casos",
            ],
            "Mostrar solo la lista reducida (países con más casos)",
        ),
    ],
)
def test_the_catalogue_facets_and_pictures_speak_the_visitors_language(client, many_countries, prefix, expected, fewer):
    soup = page(client, f"/{prefix}/cases/")
    text = words(soup)
    for sentence in expected:
        assert sentence in text
    assert_none_left(text, CATALOGUE_ENGLISH)
    show_all = soup.find("a", string=expected[0])
    assert show_all["href"].startswith(f"/{prefix}/cases/?") and "all=country" in show_all["href"]
    assert words(page(client, show_all["href"])).count(fewer) == 1
    # The map's countries link to their pages in the visitor's language.
    assert soup.select_one('.worldmap__cases a[href$="/countries/kenya/"]')["href"] == f"/{prefix}/countries/kenya/"


def test_a_french_visit_does_not_leave_french_links_on_the_english_map(client, many_countries):
    page(client, "/fr/cases/")  # the first visit builds and keeps the map's country addresses
    soup = page(client, "/cases/")
    assert soup.select_one('.worldmap__cases a[href$="/countries/kenya/"]')["href"] == "/countries/kenya/"
    assert "Show all 14 countries" in words(soup) and "Kenya, 3 cases" in words(soup)


@pytest.mark.parametrize(
    "prefix, expected",
    [
        (
            "fr",
            [
                "Données ouvertes",
                "Chaque étude de cas publiée peut être récupérée sous forme de données, gratuitement et sans clé.",
                "une ligne par cas, pour les tableurs ; UTF-8",
                "Versions du jeu de données",
                "Aucune version n’a encore été publiée",
                "Citer",
            ],
        ),
        (
            "es",
            [
                "Datos abiertos",
                "Cada estudio de caso publicado puede obtenerse en forma de datos, gratis y sin clave.",
                "una fila por caso, para hojas de cálculo; UTF-8",
                "Versiones del conjunto de datos",
                "Aún no se ha publicado ninguna versión",
                "Citar",
            ],
        ),
    ],
)
def test_the_open_data_page_speaks_the_visitors_language(client, trees, settings, tmp_path, prefix, expected):
    settings.PORTAL_RELEASES_DIR = tmp_path  # no release yet
    soup = page(client, f"/{prefix}/data/")
    text = words(soup)
    for sentence in expected:
        assert sentence in text
    assert_none_left(
        text,
        [
            "Every published case study can be taken as data",
            "one row per case",
            "Dataset releases",
            "No release has been published yet",
            "Citing",
        ],
    )
    catalogue = soup.find("a", string="catalogue" if prefix == "fr" else "catálogo")
    assert catalogue["href"] == f"/{prefix}/cases/"


def pdf(response):
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    return text, reader.trailer["/Root"]["/Lang"]


def test_the_french_briefing_is_in_french_and_never_served_for_english(client, kenya):
    response = client.get("/fr/countries/kenya/briefing.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, language = pdf(response)
    assert language == "fr"
    for sentence in (
        "Note d’information par pays",
        "Générée le",
        "Profil",
        "2 cas publiés sur les élections du pays Kenya",
        "Tactiques observées : Kenya",
        "Guides à lire",
        "confiance moyenne",
        "/fr/countries/kenya/",
        "Kenya · Portail de l’intégrité électorale, note d’information par pays",  # the page footers
        "Page 1 sur 1",
    ):
        assert sentence in text
    assert_none_left(
        text, ["Country briefing", "Generated on", "Tactics seen in", "Guides to read", "confidence", "Page 1 of"]
    )

    # The English briefing, asked for next, is rendered in English, not taken from the French one's cache.
    english, language = pdf(client.get("/countries/kenya/briefing.pdf"))
    assert language == "en"
    assert "Country briefing" in english and "Page 1 of 1" in english and "Note d’information" not in english


def test_the_scripts_strings_are_served_in_each_language(client, trees):
    french, spanish, english = (client.get(f"{prefix}/jsi18n/").content.decode() for prefix in ("/fr", "/es", ""))
    assert "Filtrer la liste : %(facet)s" in french and "Appliquer les filtres (%(count)s modification)" in french
    assert "Acotar la lista: %(facet)s" in spanish and "Estudio de caso" in spanish
    assert "Filtrer la liste" not in english
    page = client.get("/fr/cases/").content.decode()
    assert page.index('src="/fr/jsi18n/"') < page.index("js/catalogue")  # the catalogue first: the scripts use it


SVG_NUMBERS = ("x", "y", "x1", "x2", "y1", "y2", "width", "height", "cx", "cy", "r")


@pytest.mark.parametrize("prefix", ["/fr", "/es"])
def test_pictures_keep_decimal_points_in_french_and_spanish(client, kenya, prefix):
    """A decimal comma ("8,0") is no SVG coordinate: the pictures' numbers are never localised."""
    checked = 0
    pages = [
        client.get(prefix + url).content for url in ("/", "/cases/", "/cases/?country=KE", f"/countries/{kenya.slug}/")
    ]
    with translation.override(prefix.strip("/")):  # the PDF briefing's HTML, before WeasyPrint lays it out
        request = RequestFactory().get(f"{prefix}/countries/{kenya.slug}/briefing.pdf")
        pages.append(
            render_to_string("cases/briefing.html", briefing_context(request, kenya, datetime.date(2026, 11, 27)))
        )
    for html in pages:
        for svg in BeautifulSoup(html, "html.parser").find_all("svg"):
            assert "," not in svg.get("viewbox", ""), svg.get("viewbox")
            for element in svg.find_all(True):
                for name in SVG_NUMBERS:
                    value = element.get(name)
                    if value is not None and not value.endswith("%"):
                        float(value)  # raises on "8,0"
                        checked += 1
    assert checked > 50
