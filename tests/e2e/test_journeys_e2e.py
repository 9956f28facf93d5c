"""Issue 15 journeys in Chromium: a 390 px phone sees results first with the filters one tap away
(with and without JavaScript), a keyboard user skips the filters, the sticky Apply button never
covers the facet row in focus, and a case's key facts come before its body on a phone."""

import re

import pytest

from cases.tests.catalogue_data import build_catalogue
from tests.e2e import snapshots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def catalogue(transactional_db, site_tree):
    return snapshots.restored("catalogue", build_catalogue)


@pytest.mark.parametrize("javascript", [True, False])
def test_phone_shows_results_first_and_filters_one_tap_away(browser, live_server, catalogue, javascript):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    tab = context.new_page()
    try:
        tab.goto(live_server.url + "/cases/?origin=foreign")
        first_result = tab.locator(".catalogue__results h3.card__title").first
        assert first_result.bounding_box()["y"] < PHONE["height"]  # the first result is on the first screen
        kenya = tab.get_by_role("checkbox", name=re.compile(r"^Kenya \("))
        assert not kenya.is_visible()
        tab.get_by_text("Filters (1)").click()
        assert kenya.is_visible()
        kenya.check()
        tab.get_by_role("button", name=re.compile("^Apply filters")).first.click()
        tab.wait_for_url("**country=KE**")
        assert "Filters (2)" in tab.locator("summary.catalogue__toggle").inner_text()
    finally:
        context.close()


def test_wide_screens_show_the_filters_beside_the_results(page, catalogue):
    page.goto(page.base + "/cases/")
    assert page.get_by_role("checkbox", name=re.compile(r"^Kenya \(")).is_visible()
    assert not page.locator("summary.catalogue__toggle").is_visible()


def test_keyboard_user_skips_to_the_results(page, catalogue):
    page.goto(page.base + "/cases/")
    page.locator("a.skip-results").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#results")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('.catalogue__results') !== null")
    assert focused, "the next Tab stop is inside the results, not the filters"


def test_sticky_apply_button_does_not_cover_the_focused_facet_row(browser, live_server, catalogue):
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    try:
        tab.goto(live_server.url + "/cases/")
        tab.get_by_text("Filters").first.click()
        boxes = tab.locator(".catalogue__filters input[type=checkbox]:not([disabled])")
        boxes.first.check()  # a pending change makes the Apply button sticky
        sticky = tab.locator(".filters__apply.is-pending").last
        for index in range(1, min(boxes.count(), 25)):
            tab.keyboard.press("Tab")
            focused = tab.evaluate("document.activeElement.getBoundingClientRect().toJSON()")
            button = sticky.bounding_box()
            if tab.evaluate("document.activeElement.classList.contains('filters__apply')"):
                continue
            overlap = focused["bottom"] > button["y"] and focused["top"] < button["y"] + button["height"]
            assert not overlap, f"Tab stop {index} is under the sticky Apply button"
    finally:
        context.close()


def test_case_key_facts_come_first_on_a_phone(browser, live_server, catalogue):
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    try:
        tab.goto(live_server.url + "/cases/")
        tab.locator(".catalogue__results h3.card__title a").first.click()
        facts = tab.locator(".case__facts").bounding_box()
        body = tab.locator(".case__main").bounding_box()
        assert facts["y"] < body["y"]
        assert facts["y"] < PHONE["height"]
    finally:
        context.close()
