"""The country briefing: a short, tagged PDF of what the country page shows, dated, with the portal's address.

Rendering takes a second or two, so the busiest demo country's briefing is fetched once per
module and read by several tests; the text is pypdf's, as a reader's tools would extract it.
"""

import io
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.utils.dateformat import format as format_date
from pypdf import PdfReader
from wagtail.models import Site

from cases import briefing
from cases.live_index import catalogue_index
from cases.models import CaseStudyPage, Country
from cases.views import country_overview
from guides.models import GuidePage

pytestmark = pytest.mark.django_db

BUSIEST = "united-states"  # the demo country with the most cases about its elections


def pdf_text(content):
    """Every page's text, with runs of whitespace (line ends included) made one space."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture(scope="module")
def busiest(demo_data, django_db_blocker):
    """The busiest demo country's briefing response, rendered once for the module."""
    with django_db_blocker.unblock():
        cache.clear()
        response = Client().get(f"/countries/{BUSIEST}/briefing.pdf")
        assert response.status_code == 200, response.content[:300]
        return response


def test_briefing_names_the_country_its_newest_case_attribution_sources_guides_date_and_address(busiest):
    text = pdf_text(busiest.content)
    country = Country.objects.get(slug=BUSIEST)
    newest = CaseStudyPage.objects.published().in_country(country.code).order_by("-first_seen").first()
    assert country.name in text
    assert newest.title in text
    assert f"Attribution: {newest.get_attribution_status_display().lower()}, by {newest.attributed_by_list[0]}" in text
    assert newest.sources.first().publisher in text
    guide = country_overview(country, catalogue_index())["guides"][0]  # the country page's first guide
    assert guide.title in text
    assert f"Generated on {format_date(timezone.localdate(), 'j F Y')}" in text
    root = Site.objects.get(is_default_site=True).root_url
    assert f"{root}/countries/{BUSIEST}/" in text
    assert "Tactics seen in United States" in text and "Fake accounts" in text


def test_briefing_is_a_short_inline_pdf_that_caches_like_a_public_page(busiest):
    assert busiest["Content-Type"] == "application/pdf"
    assert busiest["Content-Disposition"] == f'inline; filename="{BUSIEST}-election-interference-briefing.pdf"'
    assert "public" in busiest["Cache-Control"] and "s-maxage" in busiest["Cache-Control"]
    assert 2 <= len(PdfReader(io.BytesIO(busiest.content)).pages) <= 6


def test_briefing_is_tagged_pdf_with_a_title_and_language(busiest):
    reader = PdfReader(io.BytesIO(busiest.content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "en"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == "United States: election interference briefing"
    # The structure holds headings and a list of cases, not just a flat run of text.
    structure = reader.trailer["/Root"]["/StructTreeRoot"]
    roles = set()

    def walk(element, depth=0):
        element = element.get_object()
        if isinstance(element, dict):
            if "/S" in element:
                roles.add(element["/S"])
            kids = element.get("/K", [])
            for kid in kids if isinstance(kids, list) else [kids]:
                if depth < 12:
                    walk(kid, depth + 1)

    walk(structure)
    assert {"/H1", "/H2", "/L", "/LI", "/Table", "/Link"} <= roles


def test_briefing_embeds_every_font_it_uses_and_they_are_the_shipped_noto_sans(busiest):
    reader = PdfReader(io.BytesIO(busiest.content))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")] + [
                d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])
            ]
            descriptor = next(d.get_object() for d in descriptors if d is not None)
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{font['/BaseFont']} is not embedded"
            names.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"Noto-Sans", "Noto-Sans-Bold"} <= names, names


def test_country_page_links_to_its_briefing(client, demo_data):
    html = client.get(f"/countries/{BUSIEST}/").content.decode()
    assert f'<a class="button button--quiet" href="/countries/{BUSIEST}/briefing.pdf" type="application/pdf">' in html
    assert "Download the briefing (PDF)</a>" in html


def test_a_second_request_is_served_from_the_cache_without_rendering(client, demo_data, django_assert_max_num_queries):
    cache.clear()
    first = client.get("/countries/kenya/briefing.pdf")
    with mock.patch.object(briefing, "render_briefing", side_effect=AssertionError("rendered again")):
        with django_assert_max_num_queries(2):  # the content version (and the Site, if not cached)
            second = client.get("/countries/kenya/briefing.pdf")
    assert second.content == first.content


def test_a_publication_renders_the_briefing_again(client, case_factory, demo_data):
    cache.clear()
    before = pdf_text(client.get("/countries/kenya/briefing.pdf").content)
    case_factory(title="Kenya 2027: a newly published case", slug="kenya-2027-new", countries=("KE",))
    after = pdf_text(client.get("/countries/kenya/briefing.pdf").content)
    assert "Kenya 2027: a newly published case" not in before
    assert "Kenya 2027: a newly published case" in after


def test_a_busy_country_lists_its_newest_cases_and_sends_readers_to_the_catalogue_for_the_rest(
    client, demo_data, monkeypatch
):
    cache.clear()
    monkeypatch.setattr(briefing, "CASE_LIMIT", 2)
    text = pdf_text(client.get(f"/countries/{BUSIEST}/briefing.pdf").content)
    titles = list(CaseStudyPage.objects.published().in_country("US").order_by("-first_seen").values_list("title"))
    assert titles[0][0] in text and titles[1][0] in text
    assert titles[2][0] not in text.split("Operations attributed")[0]
    root = Site.objects.get(is_default_site=True).root_url
    assert f"And {len(titles) - 2} more cases: see {root}/cases/?country=US" in text
    # The timeline draws the listed cases; a chart by year counts them all.
    assert f"All {len(titles)} cases by the years they were active." in text


def test_a_country_without_cases_gets_a_short_brief_with_its_region_and_the_guides(client, demo_data):
    cache.clear()
    response = client.get("/countries/iceland/briefing.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "The portal has no published case about elections in Iceland yet." in text
    assert "Newest cases in Northern Europe" in text
    assert GuidePage.objects.published().order_by("title").first().title in text


def test_unknown_or_unpublished_country_answers_404(client, demo_data):
    assert client.get("/countries/atlantis/briefing.pdf").status_code == 404
    Country.objects.filter(slug="iceland").update(live=False)
    cache.clear()
    assert client.get("/countries/iceland/briefing.pdf").status_code == 404


def test_the_renderer_reads_only_its_own_fonts():
    fetcher = briefing.FontFetcher(briefing.finders.find(briefing.FONTS_DIR))
    for url in ("http://127.0.0.1:6379/", "file:///etc/passwd", "data:text/plain,x"):
        with pytest.raises(ValueError):
            fetcher(url)
