"""load_demo: the real demo data, published, cited and linked, and the same after a second run."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision

from cases.models import CaseSource, CaseStudyPage, Country
from guides.models import GuidePage

pytestmark = pytest.mark.django_db

REQUIRED_COUNTRIES = {"MX", "MK", "UA", "KE", "TW", "TR"}


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "cases": CaseStudyPage.objects.published().count(),
        "guides": GuidePage.objects.published().count(),
        "sources": CaseSource.objects.count(),
    }


@pytest.fixture
def demo(demo_data, db):
    return snapshot()


def test_demo_has_enough_real_published_cases_and_guides(demo):
    assert demo["cases"] >= 30
    assert demo["guides"] >= 8
    assert CaseStudyPage.objects.exclude(live=True).count() == 0
    countries = set(Country.objects.filter(cases__live=True).values_list("code", flat=True))
    assert len(countries) >= 20
    assert REQUIRED_COUNTRIES <= countries


def test_every_case_cites_at_least_two_sources_on_its_page(client, demo):
    for case in CaseStudyPage.objects.published():
        html = client.get(case.url).content.decode()
        cited = {s.url for s in case.sources.all()}
        assert len(cited) >= 2, case.slug
        linked = {url for url in cited if f'href="{url}"' in html.replace("&amp;", "&")}
        assert linked == cited, f"{case.slug}: sources not linked: {cited - linked}"
        assert case.summary in html.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")


def test_demo_text_is_ours_not_the_research_notes(demo):
    """Each case has its own summary and a body of several paragraphs, not the research's fact list."""
    for case in CaseStudyPage.objects.published():
        assert 40 <= len(case.summary) <= 300, case.slug
        paragraphs = [block for block in case.body if block.block_type == "paragraph"]
        assert len(paragraphs) >= 2, case.slug


def test_required_countries_have_hubs_listing_their_cases(client, demo):
    for code in sorted(REQUIRED_COUNTRIES):
        country = Country.objects.get(code=code)
        html = client.get(f"/countries/{country.slug}/").content.decode()
        titles = CaseStudyPage.objects.published().filter(countries=country).values_list("title", flat=True)
        assert titles, code
        for title in titles:
            escaped = title.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;")
            assert escaped in html, f"{title} missing on {country.name}'s hub"


def test_guides_link_published_cases(client, demo):
    linked = 0
    for guide in GuidePage.objects.published():
        html = client.get(guide.url).content.decode()
        assert guide.title.replace("&", "&amp;").replace("'", "&#x27;") in html
        for case in guide.related_cases.all():
            linked += bool(re.search(rf'href="[^"]*/cases/{case.slug}/"', html))
    assert linked >= 8


def test_running_load_demo_again_changes_nothing(demo):
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == demo
