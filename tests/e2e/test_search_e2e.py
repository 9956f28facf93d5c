"""Search in a real browser: results with marked matches, filters without JavaScript,
autocomplete from the keyboard, and no serious or critical accessibility violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e import snapshots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def cases(transactional_db, case_factory, guide_factory):
    def build():
        kenya = case_factory(
            title="Zanzibar ballot rumours", countries=("KE",), summary="Zanzibar rumours spread by SMS."
        )
        france = case_factory(title="Zanzibar leak in Paris", countries=("FR",), summary="A Zanzibar leak.")
        guide = guide_factory(title="Zanzibar checklist for officials", summary="What officials check.")
        return kenya, france, guide

    return snapshots.restored("zanzibar", build)


def test_a_search_shows_results_with_marked_matches(page, cases):
    page.goto(page.base + "/search/?q=zanzibar")
    results = page.locator("ol.results > li")
    assert results.count() == 3
    assert page.locator("ol.results mark").first.inner_text().lower() == "zanzibar"
    assert "3 results" in page.locator("#result-count").inner_text()


def test_filters_work_without_javascript(browser, live_server, cases):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(live_server.url + "/search/?q=zanzibar")
        tab.get_by_role("checkbox", name="Kenya (1)").check()
        tab.get_by_role("button", name="Apply filters").click()
        tab.wait_for_url("**country=KE**")
        titles = tab.locator("ol.results h3").all_inner_texts()
        assert titles == ["Zanzibar ballot rumours"]
        tab.get_by_label("Sort by").select_option("newest")
        tab.get_by_role("button", name="Sort", exact=True).click()
        tab.wait_for_url("**sort=newest**")
        assert "country=KE" in tab.url
    finally:
        context.close()


def test_autocomplete_is_a_keyboard_combobox(page, cases):
    page.goto(page.base + "/search/")
    box = page.locator("#site-search-q")
    box.press_sequentially("zanz", delay=30)
    options = page.get_by_role("option")
    options.first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert options.count() == 3
    box.press("ArrowDown")
    assert options.first.get_attribute("aria-selected") == "true"
    first_title = options.first.locator("span").first.inner_text()
    box.press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == first_title


@pytest.mark.parametrize("path", ["/search/?q=zanzibar", "/search/", "/search/?q=zanzibra"])
def test_search_pages_have_no_serious_accessibility_violations(page, cases, path):
    page.goto(page.base + path)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in serious]
