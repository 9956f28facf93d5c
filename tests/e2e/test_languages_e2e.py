"""The portal in French and Spanish, in a browser: switching language by keyboard, and axe on the main pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from portal.moderation import ensure_moderation
from portal.site_tree import ensure_translated_tree
from portal.tests.test_languages import load
from portal.translation_import import import_translations
from tests.e2e import snapshots
from tests.factories import make_case, make_guide

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = ("/", "/cases/", "/cases/rigged-ballots/", "/cases/untranslated-case/", "/guides/securing-accounts/")


@pytest.fixture
def translated_site(site_tree):
    snapshots.restored("translated", build_translated_site)


def build_translated_site():
    ensure_translated_tree()
    ensure_moderation()
    make_case(
        title="Rigged ballot boxes in Nairobi",
        slug="rigged-ballots",
        body=[{"type": "paragraph", "value": "<p>Observers reported rigged ballot boxes.</p>"}],
    )
    make_case(title="An untranslated case", slug="untranslated-case")
    make_guide(
        title="Securing campaign accounts",
        slug="securing-accounts",
        checklist=[{"type": "item", "value": {"item": "Turn on two-step sign-in", "why": "Passwords leak."}}],
    )
    for code in ("fr", "es"):
        import_translations(load(code), code)


def test_a_keyboard_user_switches_the_catalogue_to_french(page, translated_site):
    page.goto(page.base + "/cases/")
    for _ in range(40):  # Tab through the header until the switcher's "Français" link has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "fr":
            break
    else:
        pytest.fail("the language switcher's French link was never reached by Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/cases/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Filtrer les cas").count() == 1
    assert page.get_by_role("link", name="Des urnes truquées à Nairobi").count() == 1
    # And back to English from the same switcher, by keyboard.
    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(page.base + "/cases/")
    assert page.locator("html").get_attribute("lang") == "en-gb"


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"], ids=["en", "fr", "es"])
def test_main_pages_have_no_axe_violations_in_each_language(page, translated_site, prefix, subtests):
    axe = Axe()
    for path in PAGES:
        with subtests.test(url=prefix + path):
            response = page.goto(page.base + prefix + path)
            assert response.status == 200
            violations = axe.run(page).response["violations"]
            assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_the_scripts_speak_the_pages_language(page, translated_site):
    """What the catalogue's and the search box's scripts write comes from Django's JavaScript catalogue."""
    page.goto(page.base + "/fr/cases/")
    page.locator('input[name="country"]').first.check()
    assert page.get_by_role("button", name="Appliquer les filtres (1 modification)").count() >= 1
    page.goto(page.base + "/es/search/")
    box = page.locator("#q")
    box.fill("Nairo")
    page.get_by_role("listbox", name="Sugerencias").wait_for()
    assert page.locator(".autocomplete__type").first.inner_text() == "Estudio de caso"
    assert "use las flechas para elegir" in box.locator("xpath=..").get_by_role("status").inner_text()
