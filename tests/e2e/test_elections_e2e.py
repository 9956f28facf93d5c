"""The election watch in a real browser: the dates it shows, its links reached and followed from
the keyboard, the country page that keeps the elections, and no accessibility violation."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from cases.models import Country
from cases.tests.catalogue_data import build_catalogue
from elections.models import DatePrecision, Election
from tests.e2e import snapshots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def calendar(transactional_db, site_tree, monkeypatch):
    """The catalogue's test cases, and an election calendar seen on 26 November 2026."""
    monkeypatch.setattr("elections.models.today", lambda: TODAY)
    snapshots.restored("calendar", build_calendar)


def build_calendar():
    build_catalogue()
    for code, day, precision, kind in [
        ("KE", datetime.date(2027, 8, 10), DatePrecision.DAY, "general"),
        ("AR", datetime.date(2027, 10, 1), DatePrecision.MONTH, "presidential"),
        ("FR", datetime.date(2027, 4, 18), DatePrecision.DAY, "presidential"),
        ("KE", datetime.date(2022, 8, 9), DatePrecision.DAY, "general"),  # over: on Kenya's page only
    ]:
        Election.objects.create(
            country=Country.objects.get(code=code),
            date=day,
            date_precision=precision,
            election_type=kind,
            source_title=f"Calendar of {code}",
            source_publisher="Electoral commission",
            source_url=f"https://example.org/{code.lower()}",
            source_accessed=TODAY,
        )


def test_the_watch_shows_its_dates_and_its_links_work_from_the_keyboard(page, calendar):
    page.goto(page.base + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Election watch", exact=True).click()
    page.wait_for_url("**/elections/")

    dates = page.locator(".election-watch article h2 time")
    assert dates.all_inner_texts() == ["18 April 2027", "10 August 2027", "October 2027"]
    datetimes = dates.evaluate_all("times => times.map(t => t.getAttribute('datetime'))")
    assert datetimes == ["2027-04-18", "2027-08-10", "2027-10"]
    assert "9 August 2022" not in page.locator("main").inner_text()

    # From the region filter's button, Tab reaches France's heading link, then on to Kenya's.
    page.get_by_role("button", name="Show").focus()
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        if reached[-1] == "Kenya":
            break
    assert reached[0] == "France" and reached[-1] == "Kenya"
    page.keyboard.press("Enter")
    page.wait_for_url("**/countries/kenya/")
    upcoming = page.locator("ul[aria-labelledby=upcoming-elections-heading] li").all_inner_texts()
    past = page.locator("ul[aria-labelledby=past-elections-heading] li").all_inner_texts()
    assert [item.split(" (source")[0] for item in upcoming] == ["10 August 2027: General election"]
    assert [item.split(" (source")[0] for item in past] == ["9 August 2022: General election"]


@pytest.mark.parametrize("path", ["/elections/", "/countries/kenya/", "/"])
def test_pages_with_elections_have_no_accessibility_violation(page, calendar, path):
    page.goto(page.base + path)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]
