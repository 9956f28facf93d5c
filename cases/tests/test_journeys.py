"""Journeys issue 15 found: the catalogue on a phone, the admin's long lists, one host in absolute URLs."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Site

from cases.models import CaseIndexPage

pytestmark = pytest.mark.django_db


def test_catalogue_results_come_first_with_filters_behind_a_counted_disclosure(client, case_factory):
    case_factory(title="Kenya case", countries=("KE",))
    html = client.get("/cases/", {"country": "KE", "origin": "foreign", "q": "case"}).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    skip = soup.select_one(".catalogue a.skip-results")
    assert skip.get_text() == "Skip to results" and skip["href"] == "#results"
    assert soup.select_one("#results.catalogue__results")
    disclosure = soup.select_one("details#filters")
    # Closed in the markup (a phone shows results first); wide screens show it through CSS.
    assert not disclosure.has_attr("open")
    summary = disclosure.find("summary").get_text(" ", strip=True)
    assert summary.startswith("Filters (2)")  # country and origin; the words box is outside the panel
    assert disclosure.select_one("input[name=country][value=KE][checked]")


def test_unfiltered_catalogue_says_just_filters(client, case_factory):
    case_factory()
    summary = BeautifulSoup(client.get("/cases/").content, "html.parser").select_one("details#filters summary")
    assert summary.get_text().startswith("Filters:")


def test_case_form_offers_checkbox_lists_with_techniques_grouped_by_tactic(client, site_tree):
    admin = get_user_model().objects.create_superuser("ada", "ada@example.org", "pw")
    client.force_login(admin)
    parent = CaseIndexPage.objects.get()
    html = client.get(reverse("wagtailadmin_pages:add", args=["cases", "casestudypage", parent.pk])).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    for name in ("countries", "actors", "tactics", "disarm_techniques", "channels"):
        assert not soup.select(f"select[name={name}]"), name
        assert soup.select_one(f"#id_{name}[data-checkbox-filter]"), name
    assert len(soup.select("input[type=checkbox][name=countries]")) == 249
    assert soup.select("input[type=checkbox][name=disarm_techniques]")
    groups = [legend.get_text(strip=True) for legend in soup.select(".checkbox-filter__group legend")]
    assert "TA06 Develop Content" in groups
    assert "Leave empty to use the techniques of the tactics ticked above" in html
    assert "js/admin/checkbox-filter.js" in html


def test_absolute_urls_name_the_site_records_host(client, case_factory):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "127.0.0.1", 8123
    site.save()
    case = case_factory(title="Kenya case", countries=("KE",))
    root = "http://127.0.0.1:8123"
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>None</loc>" not in sitemap
    assert f"<loc>{root}/cases/{case.slug}/</loc>" in sitemap
    assert f"<loc>{root}/countries/kenya/</loc>" in sitemap
    assert "/countries/afghanistan/" not in sitemap  # no cases, not in the sitemap
    feed = client.get("/cases/feed.atom").content.decode()
    assert f'href="{root}/cases/{case.slug}/"' in feed and f'href="{root}/cases/"' in feed
    assert "testserver" not in feed
    exported = b"".join(client.get("/cases/export.json").streaming_content).decode()
    assert f'"{root}/cases/"' in exported and "testserver" not in exported
    assert f'<link rel="canonical" href="{root}/cases/">' in client.get("/cases/").content.decode()
    assert f"Sitemap: {root}/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_serve_points_the_default_site_at_its_port(site_tree):
    from portal.management.commands.serve import point_default_site_at

    assert point_default_site_at("127.0.0.1", 8124)
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://127.0.0.1:8124"
    assert not point_default_site_at("127.0.0.1", 8124)


def test_methodology_is_linked_from_every_page(client, site_tree):
    assert '<a href="/methodology/">' in client.get("/cases/").content.decode()


def test_a_search_without_results_shows_no_empty_filter_box(client, case_factory):
    case_factory(title="Kenya case", countries=("KE",))
    html = client.get("/search/", {"q": "zzyzxqq"}).content.decode()
    assert "No results for" in html
    assert "Filter results" not in html


def test_country_search_result_counts_its_cases_and_cases_by_actors_based_there(client, case_factory):
    from cases.models import Actor, Country

    russia = Country.objects.get(code="RU")
    actor = Actor.objects.create(name="Agency of Testing", country=russia)
    case = case_factory(title="Kenya case", countries=("KE",))
    case.actors.add(actor)
    case.save_revision().publish()
    html = client.get("/search/", {"q": "russia"}).content.decode()
    assert "0 published cases about it; 1 case name actors based there." in html
    kenya = client.get("/search/", {"q": "kenya"}).content.decode()
    assert "1 published case about it." in kenya


def test_countries_sort_by_their_letters_not_their_accents(client, case_factory):
    from portal.collation import name_key

    assert sorted(["Czechia", "Côte d'Ivoire", "Chad"], key=name_key) == ["Chad", "Côte d'Ivoire", "Czechia"]
    case_factory(title="Ivorian case", countries=("CI",))
    case_factory(title="Czech case", countries=("CZ",))
    case_factory(title="Cameroon case", countries=("CM",))
    soup = BeautifulSoup(client.get("/cases/").content, "html.parser")
    facet = [box["value"] for box in soup.select('[data-facet="country"] input[name=country]')]
    assert facet == ["CM", "CI", "CZ"]  # Cameroon, Côte d'Ivoire, Czechia


def test_filter_urls_drop_empty_parameters(client, case_factory):
    case_factory(title="Kenya case", countries=("KE",))
    response = client.get("/cases/?q=&year_to=&country=KE&country=")
    assert response.status_code == 302 and response.url == "/cases/?country=KE"
    assert client.get("/cases/?q=&year_to=").url == "/cases/"
    assert client.get("/guides/?audience=").url == "/guides/"
    assert client.get("/search/?q=kenya&region=&year=").url == "/search/?q=kenya"
    assert client.get("/cases/?country=KE").status_code == 200


def test_guides_headings_do_not_skip_a_level(client, guide_factory):
    guide_factory(title="Protecting campaigns")
    soup = BeautifulSoup(client.get("/guides/").content, "html.parser")
    levels = [int(h.name[1]) for h in soup.find("main").find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False)), levels


def test_a_country_without_cases_shows_its_regions_cases_and_the_guides(client, case_factory, guide_factory):
    case_factory(title="Kenya case", countries=("KE",))  # Eastern Africa, like Tanzania
    draft = case_factory(title="Draft Uganda case", countries=("UG",), publish=False)
    guide_factory(title="Protecting campaigns")
    html = client.get("/countries/tanzania/").content.decode()
    assert "no published case about elections in Tanzania" in html
    assert "Cases in Eastern Africa" in html and "Kenya case" in html
    assert draft.title not in html
    assert "Protecting campaigns" in html
    assert '<meta name="robots" content="noindex,follow">' in html
    assert '<link rel="canonical" href="http://localhost/countries/tanzania/">' in html
    assert "/countries/tanzania/" not in client.get("/sitemap.xml").content.decode()
