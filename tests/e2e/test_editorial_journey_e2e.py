"""A new case, from a contributor's empty form to the public page, driven in Chromium.

The contributor fills in the admin form as a person would (typing, ticking, adding a second
source), submits it to "Commission review", and the public still sees nothing. The fact checker
and then a reviewer approve it from their dashboards and are told what happened; only then does
the case appear, with both its sources, in the catalogue.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from cases.models import CaseIndexPage, CaseStudyPage
from portal.moderation import CONTRIBUTORS, FACT_CHECKERS, REVIEWERS, ensure_moderation
from tests.e2e import snapshots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "pw-for-tests"
TITLE = "Quillmere bot network targets the county vote"


@pytest.fixture
def commission(site_tree):
    return snapshots.restored("commission", build_commission)


def build_commission():
    ensure_moderation()
    people = {}
    for username, group in (("cora", CONTRIBUTORS), ("felix", FACT_CHECKERS), ("rhea", REVIEWERS)):
        user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
        user.groups.add(Group.objects.get(name=group))
        people[username] = user
    return people


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto(page.base + reverse("wagtailadmin_login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


def fill_source(page, index, publisher, title, url):
    page.locator(f"#id_sources-{index}-publisher").fill(publisher)
    page.locator(f"#id_sources-{index}-title").fill(title)
    page.locator(f"#id_sources-{index}-url").fill(url)


def approve_from_dashboard(page):
    page.goto(page.base + reverse("wagtailadmin_home"))
    row = page.locator("tr", has_text=TITLE)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_url("**/admin/")


def test_a_contributor_writes_a_case_and_it_goes_live_only_after_both_approvals(page, commission):
    parent = CaseIndexPage.objects.get()
    sign_in(page, "cora")
    page.goto(page.base + reverse("wagtailadmin_pages:add", args=["cases", "casestudypage", parent.pk]))

    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Accounts posing as local voters pushed one false claim about polling hours.")
    fill_source(page, 0, "Example Observer", "Bot accounts and the county vote", "https://observer.example.org/bots")
    page.get_by_role("button", name="Add source").click()
    fill_source(page, 1, "Example Ledger", "Platform removes network", "https://ledger.example.org/takedown")

    page.get_by_role("tab", name="Classification").click()
    countries = page.locator("#id_countries")
    countries.get_by_role("searchbox", name="Filter the country list").fill("kenya")
    countries.locator("li:visible").get_by_role("checkbox").check()
    page.locator("#id_first_seen").fill("2024-05-01")

    # "Submit to Commission review" sits in the save button's menu.
    page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="Submit to Commission review").click()
    page.wait_for_url(f"**/admin/pages/{parent.pk}/")
    assert f"Page '{TITLE}' created and submitted for moderation" in page.locator(".messages").inner_text()
    assert "IN MODERATION" in page.locator("tr", has_text=TITLE).inner_text().upper()

    case = CaseStudyPage.objects.get(title=TITLE)
    assert not case.live
    assert case.current_workflow_task.name == "Fact check"
    assert [s.publisher for s in case.get_latest_revision_as_object().sources.all()] == [
        "Example Observer",
        "Example Ledger",
    ]
    public = page.context.browser.new_context()
    try:
        anonymous = public.new_page()
        assert anonymous.goto(f"{page.base}/cases/{case.slug}/").status == 404
        anonymous.goto(f"{page.base}/cases/")
        assert TITLE not in anonymous.content()

        sign_in(page, "felix")
        approve_from_dashboard(page)
        assert f"Approved: “{TITLE}” is now with the commission" in page.locator(".messages").inner_text()
        case.refresh_from_db()
        assert case.current_workflow_task.name == "Commission approval"
        assert anonymous.goto(f"{page.base}/cases/{case.slug}/").status == 404

        sign_in(page, "rhea")
        approve_from_dashboard(page)
        assert f"Published: “{TITLE}” is live." in page.locator(".messages").inner_text()

        assert anonymous.goto(f"{page.base}/cases/{case.slug}/").status == 200
        body = anonymous.locator("main").inner_text()
        assert TITLE in body
        assert "Example Observer" in body and "Example Ledger" in body
        anonymous.goto(f"{page.base}/cases/?country=KE")
        assert anonymous.get_by_role("link", name=TITLE).count() == 1
    finally:
        public.close()
