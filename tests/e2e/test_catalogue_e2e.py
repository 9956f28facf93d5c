"""The catalogue in a real browser: filter by country and tactic, remove a chip, download the CSV;
the same without JavaScript; and no serious accessibility violations on the catalogue and hubs."""

import csv
import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from cases.tests.catalogue_data import build_catalogue
from tests.e2e import snapshots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KENYA_TROLLS = "Kenya 2017: troll farm on Facebook"
KENYA_LEAK = "Kenya 2022: leaked commission emails"
PHILIPPINES = "Philippines: paid trolls across three elections"
US_IRA = "United States 2016: Internet Research Agency"


@pytest.fixture
def catalogue(transactional_db, site_tree):
    return snapshots.restored("catalogue", build_catalogue)


def result_titles(tab):
    return tab.locator(".catalogue__results h3.card__title").all_inner_texts()


def test_filter_by_country_and_tactic_remove_a_chip_and_download_the_csv(page, catalogue):
    page.goto(page.base + "/")
    # From the home page: pick the country and go.
    page.get_by_label("Country", exact=True).select_option("KE")
    page.get_by_role("button", name="Find cases").click()
    page.wait_for_url("**/cases/?**country=KE**")
    assert sorted(result_titles(page)) == sorted([KENYA_TROLLS, KENYA_LEAK])

    # Ticking a tactic waits for the reader to apply it; the button says a change is pending.
    page.get_by_role("checkbox", name=re.compile(r"^Troll farm \(")).check()
    apply = page.get_by_role("button", name="Apply filters (1 change)").first
    apply.click()
    page.wait_for_url("**tactic=troll-farm**")
    assert result_titles(page) == [KENYA_TROLLS]
    assert "1 case matches your filters" in page.locator(".result-count").inner_text()
    assert "year_from=" not in page.url  # empty fields stay out of shared links

    # Removing the country chip keeps the tactic.
    page.get_by_role("link", name=re.compile(r"^Country: Kenya")).click()
    page.wait_for_url(re.compile(r"/cases/\?tactic=troll-farm$"))
    assert sorted(result_titles(page)) == sorted([KENYA_TROLLS, PHILIPPINES, US_IRA])
    chips = page.locator(".chips").inner_text()
    assert "Tactic: Troll farm" in chips and "Kenya" not in chips

    # The CSV link downloads exactly those cases.
    with page.expect_download() as download_info:
        page.locator(".exports").get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.startswith("election-interference-cases-")
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert sorted(row["title"] for row in rows) == sorted(result_titles(page))
    assert all("Troll farm" in row["tactics"].split("; ") for row in rows)


def test_the_catalogue_works_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(live_server.url + "/cases/")
        tab.get_by_role("checkbox", name=re.compile(r"^Kenya \(")).check()
        tab.get_by_role("checkbox", name=re.compile(r"^Troll farm \(")).check()
        tab.get_by_label("From", exact=True).select_option("2017")
        tab.get_by_role("button", name="Apply filters").first.click()
        tab.wait_for_url("**country=KE**")
        assert result_titles(tab) == [KENYA_TROLLS]
        tab.get_by_role("link", name="Clear all").click()
        tab.wait_for_url(re.compile(r"/cases/$"))
        assert len(result_titles(tab)) == 7
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    ["/cases/", "/cases/?country=KE&tactic=troll-farm", "/cases/?country=XX", "/countries/", "/countries/kenya/", "/"],
)
def test_catalogue_pages_have_no_serious_accessibility_violations(page, catalogue, path):
    page.goto(page.base + path)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in serious]
