"""The sourcing rule and review dates in the admin: approval and direct publishing refused for a case
that cites too few independent publishers, the warning reviewers see, "Reviewed, no change", and
the "Reviews due" report. (The rule itself and the importer: cases/tests/test_sourcing.py.)"""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry, Workflow

from cases.models import CaseCorrection, CaseStudyPage
from portal.moderation import WORKFLOW_NAME
from portal.review_admin import reviews_due
from portal.reviews import today
from portal.tests.test_moderation import draft_case, post_edit, refused, workflow_action

pytestmark = pytest.mark.django_db


def in_commission_approval(case, people):
    """The case submitted and past the fact check: waiting for a commission reviewer."""
    Workflow.objects.get(name=WORKFLOW_NAME).start(case, people["contributor"])
    case.refresh_from_db()
    case.current_workflow_task_state.approve(user=people["factchecker"])
    case.refresh_from_db()
    assert case.current_workflow_task.name == "Commission approval"
    return case


def edit_html(client, page):
    return client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()


# -- the edit view says what is missing ------------------------------------------------------------------------


def test_the_editor_shows_what_is_missing_before_submission(client, people):
    case = draft_case(people["contributor"], sources=1)
    client.force_login(people["contributor"])
    html = edit_html(client, case)
    assert "This case cannot be approved or published yet." in html
    assert "this case has 1 (Publisher 1)" in html
    # Submitting is allowed (the fact check may add sources) but the author is told at once.
    response = post_edit(client, case, **{"action-submit": "submit"})
    html = client.get(response.url).content.decode()
    assert "This case cannot be approved for publication yet." in html


def test_a_well_sourced_case_shows_its_publishers(client, people):
    case = draft_case(people["contributor"], sources=2)
    client.force_login(people["contributor"])
    html = edit_html(client, case)
    assert "Independent publishers cited: Publisher 1, Publisher 2. The case meets the sourcing rule." in html


# -- the final approval ----------------------------------------------------------------------------------------


def test_commission_approval_is_refused_for_a_case_with_one_publisher(client, people):
    case = in_commission_approval(draft_case(people["contributor"], sources=1, slug="thin"), people)
    client.force_login(people["reviewer"])
    response = workflow_action(client, case, "approve")
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.live
    assert case.current_workflow_task.name == "Commission approval"  # still waiting, nothing approved
    assert not PageLogEntry.objects.filter(page=case, action="wagtail.workflow.approve", user=people["reviewer"])
    html = client.get(response.url).content.decode()
    assert "Approval refused: “" in html and "stays unpublished" in html
    assert "this case has 1 (Publisher 1)" in html
    client.logout()
    assert client.get("/cases/thin/").status_code == 404


def test_approval_given_in_the_editor_is_refused_too(client, people):
    case = in_commission_approval(draft_case(people["contributor"], sources=1), people)
    client.force_login(people["reviewer"])
    response = post_edit(
        client,
        case,
        **{"action-workflow-action": "true", "workflow-action-name": "approve", "workflow-action-extra-data": "{}"},
    )
    case.refresh_from_db()
    assert not case.live
    assert case.current_workflow_task.name == "Commission approval"
    html = client.get(response.url).content.decode()
    assert "Approval refused" in html and "this case has 1 (Publisher 1)" in html


def test_approving_a_well_sourced_case_publishes_it_and_records_the_review(client, people):
    case = in_commission_approval(draft_case(people["contributor"], sources=2, slug="good"), people)
    client.force_login(people["reviewer"])
    workflow_action(client, case, "approve")
    case.refresh_from_db()
    assert case.live and not case.workflow_in_progress
    assert case.last_reviewed == today()
    client.logout()
    html = client.get("/cases/good/").content.decode()
    assert f'<dt>Last reviewed</dt><dd><time datetime="{today():%Y-%m-%d}">' in html
    assert "Not yet reviewed" not in html


def test_official_attribution_without_a_primary_source_warns_the_reviewer_but_may_be_approved(client, people):
    case = in_commission_approval(draft_case(people["contributor"], attribution_status="official"), people)
    client.force_login(people["reviewer"])
    html = edit_html(client, case)
    assert "Warning for the reviewer:" in html
    assert "The attribution is official, but no cited source is the attributing body" in html
    workflow_action(client, case, "approve")
    case.refresh_from_db()
    assert case.live


# -- publishing directly ---------------------------------------------------------------------------------------


def test_a_reviewer_cannot_publish_a_thin_case_directly(client, people):
    case = draft_case(people["contributor"], sources=1, slug="direct")
    client.force_login(people["reviewer"])
    response = post_edit(client, case, title="Edited by the reviewer", **{"action-publish": "publish"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.live
    assert not PageLogEntry.objects.filter(page=case, action="wagtail.publish").exists()
    # The edit was kept as a draft, and the reviewer is told why it was not published.
    assert case.get_latest_revision_as_object().title == "Edited by the reviewer"
    html = client.get(response.url).content.decode()
    assert "was saved as a draft but not published" in html and "this case has 1 (Publisher 1)" in html
    client.logout()
    assert client.get("/cases/direct/").status_code == 404


def test_a_live_case_keeps_its_live_version_when_an_edit_would_break_the_rule(client, people, case_factory):
    case = case_factory(title="Live and sourced", slug="live-sourced")
    client.force_login(people["reviewer"])
    post_edit(
        client,
        case,
        title="Live but now thin",
        **{"sources-1-DELETE": "1", "action-publish": "publish"},
    )
    case.refresh_from_db()
    assert len(case.get_latest_revision_as_object().sources.all()) == 1  # the edit, kept as a draft
    assert case.live and case.title == "Live and sourced"
    assert case.sources.count() == 2
    assert "Live but now thin" not in client.get("/cases/live-sourced/").content.decode()


def test_a_reviewer_can_publish_a_well_sourced_case_directly(client, people):
    case = draft_case(people["contributor"], sources=2)
    client.force_login(people["reviewer"])
    post_edit(client, case, **{"action-publish": "publish"})
    case.refresh_from_db()
    assert case.live
    assert case.last_reviewed is None  # publishing is not a recorded review


# -- "Reviewed, no change" -------------------------------------------------------------------------------------


def reviewed_url(page):
    return reverse("portal_reviewed_no_change", args=[page.pk])


def test_reviewed_no_change_sets_the_date_on_the_live_case(client, people, case_factory):
    case = case_factory(title="Checked case", slug="checked")
    client.force_login(people["reviewer"])
    assert "Reviewed, no change" in edit_html(client, case)
    response = client.post(reviewed_url(case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.live and case.last_reviewed == today() and not case.has_unpublished_changes
    assert PageLogEntry.objects.filter(page=case, action="portal.reviewed", user=people["reviewer"]).exists()
    assert "recorded as reviewed with no change" in client.get(response.url).content.decode()
    client.logout()
    assert f'datetime="{today():%Y-%m-%d}"' in client.get("/cases/checked/").content.decode()


def test_only_reviewers_record_reviews(client, people, case_factory):
    case = case_factory(title="Checked case")
    client.force_login(people["contributor"])
    assert "Reviewed, no change" not in edit_html(client, case)
    assert refused(client.post(reviewed_url(case)))
    assert client.get(reviewed_url(case)).status_code == 405
    case.refresh_from_db()
    assert case.last_reviewed is None


def test_reviewed_no_change_is_refused_while_a_draft_is_pending(client, people, case_factory):
    case = case_factory(title="Live title")
    draft = case.get_latest_revision_as_object()
    draft.title = "Unreviewed draft title"
    draft.save_revision(user=people["contributor"])
    client.force_login(people["reviewer"])
    assert "Reviewed, no change" not in edit_html(client, case)
    response = client.post(reviewed_url(case))
    case.refresh_from_db()
    assert case.last_reviewed is None and case.title == "Live title"
    assert "was not marked as reviewed" in client.get(response.url).content.decode()


# -- the public pages ------------------------------------------------------------------------------------------


def test_unreviewed_case_says_so_and_shows_an_empty_corrections_log(client, case_factory):
    case_factory(title="Fresh case", slug="fresh")
    html = client.get("/cases/fresh/").content.decode()
    assert "<dt>Last reviewed</dt><dd>Not yet reviewed by the commission</dd>" in html
    corrections = html[html.index('id="corrections-heading"') :]
    assert "<li>No corrections.</li>" in corrections


def test_corrections_are_listed_on_the_case(client, case_factory):
    case = case_factory(title="Corrected case", slug="corrected")
    case.corrections = [CaseCorrection(date=datetime.date(2026, 3, 2), description="The vote date was wrong.")]
    case.save_revision().publish()
    html = client.get("/cases/corrected/").content.decode()
    assert "2 March 2026</time>: The vote date was wrong." in html
    assert "No corrections" not in html


def test_unreviewed_guide_says_so(client, guide_factory):
    guide = guide_factory(title="A fresh guide")
    assert "Not yet reviewed by the commission" in client.get(guide.url).content.decode()
    guide.last_reviewed = datetime.date(2026, 1, 15)
    guide.save_revision().publish()
    html = client.get(guide.url).content.decode()
    assert "15 January 2026</time> (next review due January 2027)" in html


# -- the "Reviews due" report ----------------------------------------------------------------------------------


def test_reviews_due_lists_never_and_overdue_first_then_due_soon(
    client, people, case_factory, guide_factory, django_assert_max_num_queries
):
    on = today()
    case_factory(title="Never reviewed case")
    case_factory(title="Long overdue case", last_reviewed=on - datetime.timedelta(days=500))
    case_factory(title="Due soon case", last_reviewed=on - datetime.timedelta(days=350))
    case_factory(title="Recently reviewed case", last_reviewed=on - datetime.timedelta(days=30))
    case_factory(title="Draft never reviewed", publish=False)
    guide_factory(title="Guide past its date", review_due=on - datetime.timedelta(days=60), last_reviewed=on)
    guide_factory(title="Guide due next year", review_due=on + datetime.timedelta(days=300), last_reviewed=on)

    with django_assert_max_num_queries(2):
        rows = reviews_due(on)
    titles = [row["page"].title for row in rows]
    assert titles == ["Never reviewed case", "Long overdue case", "Guide past its date", "Due soon case"]

    client.force_login(people["reviewer"])
    html = client.get(reverse("portal_reviews_due")).content.decode()
    assert html.index("Never reviewed case") < html.index("Long overdue case") < html.index("Due soon case")
    assert "Recently reviewed case" not in html and "Draft never reviewed" not in html
    assert "Guide due next year" not in html
    overdue = CaseStudyPage.objects.get(title="Long overdue case")
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[overdue.pk])}"' in html
    assert "Overdue by" in html and "Not yet reviewed" in html and "Due soon" in html
    assert "/admin/reports/reviews-due/" in client.get(reverse("wagtailadmin_home")).content.decode()  # the menu
