"""The map and charts in a real browser: the map follows the filters, keyboard users reach and
follow its links, and axe finds no violation on the pages that carry pictures, tables open."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from cases.tests.catalogue_data import build_catalogue
from tests.e2e import snapshots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def catalogue(transactional_db, site_tree):
    return snapshots.restored("catalogue", build_catalogue)


def map_names(tab):
    return sorted(
        tab.locator(".worldmap__cases a").evaluate_all("links => links.map(a => a.getAttribute('aria-label'))")
    )


def test_the_map_follows_the_filters_and_its_links_work_from_the_keyboard(page, catalogue):
    page.goto(page.base + "/cases/?region=africa")
    assert map_names(page) == ["Kenya, 2 cases", "Nigeria, 1 case"]
    kenya = page.get_by_role("link", name="Kenya, 2 cases")  # a link in the accessibility tree, not hidden in an image
    assert kenya.count() == 1

    # Tab from the link before the map reaches Kenya, then Nigeria; Enter follows it.
    page.get_by_role("link", name="See these 3 cases on a map and in charts").focus()
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Kenya, 2 cases":
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Kenya, 2 cases"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Nigeria, 1 case"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/countries/kenya/")
    # The country page's timeline links each case.
    assert page.get_by_role("link", name="Kenya 2022: leaked commission emails, 10 May 2022").count() == 1

    # Narrowing the filters narrows the map.
    page.goto(page.base + "/cases/?region=africa&tactic=hack-and-leak")
    assert map_names(page) == ["Kenya, 1 case"]


@pytest.mark.parametrize("path", ["/cases/", "/cases/?tactic=troll-farm", "/countries/kenya/", "/"])
def test_pages_with_pictures_have_no_accessibility_violation(page, catalogue, path):
    page.goto(page.base + path)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]
