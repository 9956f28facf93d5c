"""The country briefing in a real browser: a reader follows the link on a country page and gets
a PDF whose text (extracted with pypdf) is that country's brief, with its cases and the address."""

import io

import pytest
from pypdf import PdfReader

from cases.tests.catalogue_data import HIDDEN_TITLES, build_catalogue
from tests.e2e import snapshots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def catalogue(transactional_db, site_tree):
    return snapshots.restored("catalogue", build_catalogue)


def test_the_country_page_links_to_a_pdf_briefing_of_its_cases(page, catalogue):
    page.goto(page.base + "/countries/kenya/")
    link = page.get_by_role("link", name="Download the briefing (PDF)")
    assert link.get_attribute("type") == "application/pdf"
    # Headless Chromium may show a PDF or save it depending on its build: the browser's own
    # request context follows the link instead, with the page's cookies, as the click would.
    response = page.context.request.get(page.base + link.get_attribute("href"), timeout=120_000)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="kenya-election-interference-briefing.pdf"'
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert text.startswith("Election Integrity Portal · Country briefing Kenya")
    for expected in (
        "Kenya 2022: leaked commission emails",
        "Kenya 2017: troll farm on Facebook",
        "Attribution: independent",
        "Publisher 1",
        "/countries/kenya/",
    ):
        assert expected in text
    for hidden in HIDDEN_TITLES:  # the catalogue's draft, private and withdrawn Kenyan cases
        assert hidden not in text
