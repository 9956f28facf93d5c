"""The commission's review: who may do what, submit → fact check → approval → live, rejection,
scheduling, notifications and the audit log — driven through Wagtail's admin where it matters."""

import datetime
import io
import json
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, PageLogEntry, Workflow, WorkflowState

from cases.models import CaseStudyPage
from portal.moderation import CONTRIBUTORS, FACT_CHECKERS, REVIEWERS, WORKFLOW_NAME, ensure_moderation

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderation(site_tree):
    ensure_moderation()
    return Workflow.objects.get(name=WORKFLOW_NAME)


def make_user(username, group_name=None, **fields):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw", **fields)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def people(moderation):
    return {
        "contributor": make_user("cora", CONTRIBUTORS),
        "factchecker": make_user("felix", FACT_CHECKERS),
        "reviewer": make_user("rhea", REVIEWERS),
        "admin": make_user("ada", is_superuser=True),
    }


def edit_form_data(client, page, **changes):
    """What the edit form posts as rendered for the logged-in user, with `changes` applied."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").find("form", id="page-edit-form")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or "__prefix__" in name or field.get("type") in ("submit", "button"):
            continue
        if field.name == "select":
            data[name] = [option.get("value") for option in field.find_all("option", selected=True)]
        elif field.name == "textarea":
            data[name] = field.text.strip()
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):  # checkbox lists (countries, tactics…) post every ticked value
                data.setdefault(name, []).append(field.get("value", "on"))
        else:
            data[name] = field.get("value", "")
    # StreamFields are drawn by JavaScript; an empty body is what a browser posts for one.
    data.setdefault("body-count", "0")
    data.update(changes)
    return data


def post_edit(client, page, **changes):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), edit_form_data(client, page, **changes))


def workflow_action(client, page, action, comment=""):
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def refused(response):
    """Wagtail's admin answers a refused action with 403, or a redirect to the dashboard and a message."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == reverse("wagtailadmin_home"))


def draft_case(author, **fields):
    from tests.factories import make_case

    page = make_case(publish=False, owner=author, **fields)
    return CaseStudyPage.objects.get(pk=page.pk)


def sent_to(address):
    return [message for message in mail.outbox if address in message.to]


# -- the set-up -------------------------------------------------------------------------------------------------


def test_groups_workflow_and_sections_are_set_up_by_the_project(moderation, site_tree):
    _, cases, guides = site_tree
    assert set(Group.objects.values_list("name", flat=True)) >= {CONTRIBUTORS, FACT_CHECKERS, REVIEWERS}
    tasks = [(task.name, [g.name for g in task.specific.groups.all()]) for task in moderation.tasks.all()]
    assert tasks == [("Fact check", [FACT_CHECKERS]), ("Commission approval", [REVIEWERS])]
    # Cases and guides (and every page under them) go through the commission's workflow.
    assert cases.get_workflow() == moderation
    assert guides.get_workflow() == moderation
    case = CaseStudyPage.objects.get(pk=draft_case(None).pk)
    assert case.get_workflow() == moderation
    for name in (CONTRIBUTORS, FACT_CHECKERS, REVIEWERS):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()
        # Page permissions on the two sections and nowhere else.
        assert set(GroupPagePermission.objects.filter(group=group).values_list("page_id", flat=True)) == {
            cases.pk,
            guides.pk,
        }
    on_cases = GroupPagePermission.objects.filter(page=cases)
    permissions = {
        name: set(on_cases.filter(group__name=name).values_list("permission__codename", flat=True))
        for name in (CONTRIBUTORS, FACT_CHECKERS, REVIEWERS)
    }
    assert permissions[CONTRIBUTORS] == {"add_page", "change_page"}
    assert permissions[FACT_CHECKERS] == {"change_page"}
    assert permissions[REVIEWERS] == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}


def test_setting_up_moderation_again_changes_nothing(moderation):
    counts = (Group.objects.count(), GroupPagePermission.objects.count(), moderation.workflow_tasks.count())
    call_command("setup_moderation", stdout=io.StringIO())
    ensure_moderation()
    assert (Group.objects.count(), GroupPagePermission.objects.count(), moderation.workflow_tasks.count()) == counts


# -- who may do what --------------------------------------------------------------------------------------------


def test_a_contributor_cannot_publish_through_the_admin(client, people):
    case = draft_case(people["contributor"], title="Draft by a contributor")
    client.force_login(people["contributor"])
    response = post_edit(client, case, title="Published by a contributor?", **{"action-publish": "publish"})
    # The form was accepted and saved as a draft; publishing was not done.
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.get_latest_revision_as_object().title == "Published by a contributor?"
    assert not case.live
    assert not CaseStudyPage.objects.published().filter(pk=case.pk).exists()
    assert not PageLogEntry.objects.filter(page=case, action="wagtail.publish").exists()
    # The edit form offers a contributor "Submit for review", never "Publish".
    html = client.get(reverse("wagtailadmin_pages:edit", args=[case.pk])).content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


def test_a_contributor_cannot_unpublish_or_approve(client, people, case_factory):
    live = case_factory(title="Live case")
    client.force_login(people["contributor"])
    assert refused(client.post(reverse("wagtailadmin_pages:unpublish", args=[live.pk])))
    live.refresh_from_db()
    assert live.live
    draft = draft_case(people["contributor"])
    Workflow.objects.get(name=WORKFLOW_NAME).start(draft, people["contributor"])
    assert refused(workflow_action(client, draft, "approve"))
    assert draft.current_workflow_task.name == "Fact check"


def test_a_fact_checker_cannot_give_final_approval(client, people):
    draft = draft_case(people["contributor"])
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    workflow.start(draft, people["contributor"])
    draft.current_workflow_task_state.approve(user=people["factchecker"])
    draft.refresh_from_db()
    client.force_login(people["factchecker"])
    assert refused(workflow_action(client, draft, "approve"))
    draft.refresh_from_db()
    assert not draft.live


def test_taxonomy_snippets_reviewers_manage_contributors_add_but_never_delete(client, people):
    from cases.models import Country, Tactic

    tactic = Tactic.objects.first()
    kenya = Country.objects.get(code="KE")
    client.force_login(people["contributor"])
    assert client.get(reverse("wagtailsnippets_cases_tactic:add")).status_code == 200
    assert client.get(reverse("wagtailsnippets_cases_tactic:edit", args=[tactic.pk])).status_code == 200
    assert refused(client.get(reverse("wagtailsnippets_cases_tactic:delete", args=[tactic.pk])))
    assert client.get(reverse("wagtailsnippets_cases_country:edit", args=[kenya.pk])).status_code == 200
    client.force_login(people["reviewer"])
    assert client.get(reverse("wagtailsnippets_cases_tactic:delete", args=[tactic.pk])).status_code == 200
    assert client.get(reverse("wagtailsnippets_guides_topic:add")).status_code == 200
    # Countries are the ISO list: profiles are edited, countries are never added or deleted.
    assert refused(client.get(reverse("wagtailsnippets_cases_country:add")))
    assert refused(client.get(reverse("wagtailsnippets_cases_country:delete", args=[kenya.pk])))


def test_reviewers_see_the_diff_between_revisions(client, people, case_factory):
    case = case_factory(title="Original title")
    first = case.latest_revision
    case.title = "Corrected title"
    second = case.save_revision(user=people["contributor"])
    for role in ("factchecker", "reviewer"):
        client.force_login(people[role])
        url = reverse("wagtailadmin_pages:revisions_compare", args=[case.pk, first.pk, second.pk])
        response = client.get(url)
        assert response.status_code == 200
        assert "Corrected title" in response.content.decode()


def test_editors_see_last_reviewed_and_the_corrections_log(client, people, case_factory):
    case = case_factory(title="Reviewed case")
    client.force_login(people["contributor"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[case.pk])).content.decode()
    # Shown, not typed: a review date is set by recording a review (portal/reviews.py).
    assert "Last reviewed" in html and 'name="last_reviewed"' not in html
    assert "Corrections log" in html
    assert 'name="corrections-TOTAL_FORMS"' in html


# -- the path to publication ------------------------------------------------------------------------------------


def test_submit_fact_check_approve_goes_live_and_notifies_each_step(client, people):
    contributor, factchecker, reviewer = people["contributor"], people["factchecker"], people["reviewer"]
    case = draft_case(contributor, title="Draft title", slug="fresh-case")

    client.force_login(contributor)
    response = post_edit(client, case, title="Kestrelwind network", **{"action-submit": "submit"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.workflow_in_progress
    assert case.current_workflow_task.name == "Fact check"
    assert not case.live
    assert client.get("/cases/fresh-case/").status_code == 404
    assert "Kestrelwind" not in client.get("/cases/").content.decode()
    assert "/cases/fresh-case/" not in client.get("/search/", {"q": "Kestrelwind"}).content.decode()
    # Submitted: the fact checkers hear of it (and the admin), the reviewers not yet.
    assert len(sent_to(factchecker.email)) == 1
    assert "Kestrelwind network" in sent_to(factchecker.email)[0].subject
    assert sent_to("ada@example.org")
    assert not sent_to(reviewer.email)

    client.force_login(factchecker)
    assert workflow_action(client, case, "approve", comment="Sources check out.").status_code == 302
    case.refresh_from_db()
    assert case.current_workflow_task.name == "Commission approval"
    assert not case.live
    assert len(sent_to(reviewer.email)) == 1

    client.force_login(reviewer)
    assert workflow_action(client, case, "approve").status_code == 302
    case.refresh_from_db()
    assert case.live
    assert not case.workflow_in_progress
    assert CaseStudyPage.objects.published().filter(pk=case.pk).exists()
    assert "Kestrelwind network" in client.get("/cases/fresh-case/").content.decode()
    client.logout()  # what the public sees: the catalogue and search show it at once
    assert "Kestrelwind network" in client.get("/cases/").content.decode()
    assert "/cases/fresh-case/" in client.get("/search/", {"q": "Kestrelwind"}).content.decode()
    # Approved: the author is told.
    approved = [m for m in sent_to(contributor.email) if "approved" in m.subject.lower()]
    assert len(approved) == 1

    # Every step is in the audit log, with who did it.
    log = list(PageLogEntry.objects.filter(page=case).order_by("timestamp", "pk").values_list("action", "user"))
    assert ("wagtail.workflow.start", contributor.pk) in log
    assert ("wagtail.workflow.approve", factchecker.pk) in log
    assert ("wagtail.workflow.approve", reviewer.pk) in log
    assert ("wagtail.publish", reviewer.pk) in log


def test_rejection_returns_to_the_author_with_a_comment_and_resubmission_resumes(client, people):
    contributor, factchecker = people["contributor"], people["factchecker"]
    case = draft_case(contributor, title="Unsourced claim", slug="unsourced")
    client.force_login(contributor)
    post_edit(client, case, **{"action-submit": "submit"})
    case.refresh_from_db()
    mail.outbox.clear()

    client.force_login(factchecker)
    comment = "The second source does not say this; please cite the platform report."
    assert workflow_action(client, case, "reject", comment=comment).status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(case.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    case.refresh_from_db()
    assert not case.live
    rejected = sent_to(contributor.email)
    assert len(rejected) == 1
    assert comment in rejected[0].body
    assert PageLogEntry.objects.filter(page=case, action="wagtail.workflow.reject", user=factchecker).exists()

    # The author sees the request in the editor, fixes the page and resubmits: the same workflow resumes.
    client.force_login(contributor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[case.pk])).content.decode()
    assert "Changes requested" in html or "changes requested" in html.lower()
    response = post_edit(client, case, summary="Now citing the platform report.", **{"action-submit": "submit"})
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    case.refresh_from_db()
    assert case.current_workflow_task.name == "Fact check"
    assert PageLogEntry.objects.filter(page=case, action="wagtail.workflow.resume", user=contributor).exists()

    client.force_login(factchecker)
    workflow_action(client, case, "approve")
    client.force_login(people["reviewer"])
    workflow_action(client, case, "approve")
    case.refresh_from_db()
    assert case.live
    assert case.summary == "Now citing the platform report."


def test_approval_can_be_given_in_the_editor_with_a_comment(client, people):
    """The editor's own "Approve with comment" (action-workflow-action) works as well as the modal URL."""
    case = draft_case(people["contributor"])
    Workflow.objects.get(name=WORKFLOW_NAME).start(case, people["contributor"])
    client.force_login(people["factchecker"])
    response = post_edit(
        client,
        case,
        **{
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": json.dumps({"comment": "Checked."}),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.current_workflow_task.name == "Commission approval"


# -- scheduling -------------------------------------------------------------------------------------------------


def test_a_scheduled_case_goes_live_when_publish_scheduled_runs_after_its_time(client, people):
    reviewer = people["reviewer"]
    case = draft_case(people["contributor"], title="Embargoed case", slug="embargoed")
    go_live = timezone.now() + datetime.timedelta(hours=2)
    client.force_login(reviewer)
    post_edit(client, case, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"), **{"action-publish": "publish"})
    case.refresh_from_db()
    assert not case.live
    assert case.scheduled_revision is not None
    assert PageLogEntry.objects.filter(page=case, action="wagtail.publish.schedule", user=reviewer).exists()

    call_command("publish_scheduled", verbosity=0)  # before its time: nothing happens
    case.refresh_from_db()
    assert not case.live
    assert client.get("/cases/embargoed/").status_code == 404

    later = timezone.now() + datetime.timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
    case.refresh_from_db()
    assert case.live
    assert CaseStudyPage.objects.published().filter(pk=case.pk).exists()
    assert "Embargoed case" in client.get("/cases/embargoed/").content.decode()


def test_the_dev_server_runs_publish_scheduled_in_a_loop():
    import threading

    from portal.management.commands.serve import publish_scheduled_forever

    stop = threading.Event()
    calls = []

    def fake_call_command(name, **kwargs):
        calls.append(name)
        stop.set()

    with mock.patch("portal.management.commands.serve.call_command", fake_call_command):
        publish_scheduled_forever(0.01, stop)
    assert calls == ["publish_scheduled"]


# -- demo accounts ----------------------------------------------------------------------------------------------


def test_demo_accounts_are_refused_outside_development(settings):
    settings.PORTAL_DEMO_ACCOUNTS = False
    with pytest.raises(CommandError, match="disabled"):
        call_command("setup_demo_accounts")
    assert not get_user_model().objects.filter(username="contributor").exists()


def test_demo_accounts_one_per_role_with_a_password_shown_once(settings, site_tree, client):
    import re

    settings.PORTAL_DEMO_ACCOUNTS = True
    out = io.StringIO()
    call_command("setup_demo_accounts", stdout=out)
    password = re.search(r"password (\S+)", out.getvalue()).group(1)
    User = get_user_model()
    expected = {"contributor": CONTRIBUTORS, "factchecker": FACT_CHECKERS, "reviewer": REVIEWERS}
    for username, group in expected.items():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.email == f"{username}@example.org"
        assert not user.is_superuser
        assert client.login(username=username, password=password)
    assert User.objects.get(username="admin").is_superuser

    again = io.StringIO()
    call_command("setup_demo_accounts", stdout=again)
    assert password not in again.getvalue()
    assert "already exist" in again.getvalue()
    assert "--reset-password" in again.getvalue()
    assert client.login(username="reviewer", password=password)

    reset = io.StringIO()
    call_command("setup_demo_accounts", "--reset-password", stdout=reset)
    new_password = re.search(r"password (\S+)", reset.getvalue()).group(1)
    assert new_password != password
    assert client.login(username="factchecker", password=new_password)


def test_approving_from_the_dashboard_says_where_the_page_went(client, people):
    """The dashboard's Approve button posts with ?next=/admin/; the next page tells what happened."""
    contributor, factchecker, reviewer = people["contributor"], people["factchecker"], people["reviewer"]
    case = draft_case(contributor, title="Heronfield leak", slug="heronfield")
    Workflow.objects.get(name=WORKFLOW_NAME).start(case, contributor)
    dashboard = reverse("wagtailadmin_home")

    def approve_from_dashboard(user):
        client.force_login(user)
        case.refresh_from_db()
        task_state = case.current_workflow_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=[case.pk, "approve", task_state.pk])
        response = client.post(f"{url}?next={dashboard}", {"comment": ""}, follow=True)
        assert response.redirect_chain[-1][0] == dashboard
        return response.content.decode()

    html = approve_from_dashboard(factchecker)
    assert "Approved: “Heronfield leak” is now with the commission (Commission approval)." in html
    html = approve_from_dashboard(reviewer)
    assert "Published: “Heronfield leak” is live." in html
    case.refresh_from_db()
    assert case.live
