"""Taxonomy terms and country profiles pass the Commission review: who may propose, approve and publish."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Workflow, WorkflowContentType

from cases.models import Actor, Country, DisarmTechnique, Tactic
from cases.tests.test_import_cases import GOOD, write
from elections.models import Election
from guides.models import Audience, Programme, Topic
from portal import versioning
from portal.moderation import CONTRIBUTORS, FACT_CHECKERS, REVIEWERS, WORKFLOW_NAME, ensure_moderation
from tests.factories import make_case
from tests.snippets import add_snippet, edit_snippet, rich_text, snippet_url

pytestmark = pytest.mark.django_db

REVIEWED = (Tactic, Actor, Country, Audience, Topic, Programme, Election)


def workflow_action(client, obj, action):
    url = snippet_url(obj, "workflow_action", obj.pk, action, obj.current_workflow_task_state.pk)
    return client.post(url, {"comment": ""})


def refused(response):
    """Wagtail's admin refuses with 403, or with a redirect to the dashboard and a message."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == "/admin/")


@pytest.fixture
def people(site_tree):
    ensure_moderation()
    people = {}
    for key, group in (("contributor", CONTRIBUTORS), ("factchecker", FACT_CHECKERS), ("reviewer", REVIEWERS)):
        user = get_user_model().objects.create_user(key, f"{key}@example.org", "pw")
        user.groups.add(Group.objects.get(name=group))
        people[key] = user
    return people


def test_every_reviewed_snippet_goes_through_the_commission_review(people):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    for model in REVIEWED:
        assert model.get_default_workflow() == workflow, model
    ensure_moderation()  # idempotent: still one assignment per model
    # 7 vocabularies, the election calendar and countries
    assert WorkflowContentType.objects.filter(workflow=workflow).count() == 9
    reviewers = Group.objects.get(name=REVIEWERS).permissions.values_list("codename", flat=True)
    contributors = Group.objects.get(name=CONTRIBUTORS).permissions.values_list("codename", flat=True)
    for name in ("tactic", "channel", "target", "actor", "audience", "topic", "programme", "election", "country"):
        assert f"publish_{name}" in reviewers
        assert f"publish_{name}" not in contributors
        assert f"change_{name}" in contributors


def test_a_contributors_rename_of_a_live_tactic_is_a_draft_the_public_does_not_see(client, people):
    tactic = Tactic.objects.get(slug="bot-amplification")
    techniques = set(tactic.disarm_techniques.all())
    others = list(DisarmTechnique.objects.exclude(pk__in=[t.pk for t in techniques])[:2])
    version = versioning.current()
    client.force_login(people["contributor"])
    # "Publish" is not offered, and posting it anyway saves a draft only.
    assert 'name="action-publish"' not in client.get(snippet_url(tactic, "edit", tactic.pk)).content.decode()
    response = edit_snippet(
        client,
        tactic,
        name="Renamed amplification",
        disarm_techniques=[str(t.pk) for t in others],
        **{"action-publish": "publish"},
    )
    assert response.status_code == 302
    tactic.refresh_from_db()
    assert tactic.live and tactic.name != "Renamed amplification"  # the row keeps the live values
    assert set(tactic.disarm_techniques.all()) == techniques  # the many-to-many links too
    draft = tactic.get_latest_revision_as_object()
    assert draft.name == "Renamed amplification"
    assert set(draft.disarm_techniques.all()) == set(others)
    assert tactic.has_unpublished_changes
    assert versioning.current() == version  # nothing public changed, nothing to rebuild
    assert "Renamed amplification" not in client.get("/cases/").content.decode()


def test_a_reviewer_publishes_a_rename_and_the_public_sees_it(client, people):
    tactic = Tactic.objects.get(slug="bot-amplification")
    others = list(DisarmTechnique.objects.exclude(tactics=tactic)[:1])
    version = versioning.current()
    client.force_login(people["reviewer"])
    response = edit_snippet(
        client,
        tactic,
        name="Renamed amplification",
        disarm_techniques=[str(others[0].pk)],
        **{"action-publish": "publish"},
    )
    assert response.status_code == 302
    tactic.refresh_from_db()
    assert tactic.name == "Renamed amplification" and list(tactic.disarm_techniques.all()) == others
    assert versioning.current() != version  # the catalogue and search indexes rebuild


def test_a_contributor_cannot_publish_a_new_term_and_a_reviewer_can(client, people):
    client.force_login(people["contributor"])
    response = add_snippet(
        client, Topic, name="Election logistics", slug="election-logistics", **{"action-publish": "1"}
    )
    assert response.status_code == 302
    topic = Topic.objects.get(slug="election-logistics")
    assert not topic.live and not Topic.objects.live().filter(pk=topic.pk).exists()
    # Publishing or unpublishing directly is the reviewers' alone.
    client.force_login(people["reviewer"])
    assert edit_snippet(client, topic, **{"action-publish": "1"}).status_code == 302
    topic.refresh_from_db()
    assert topic.live
    client.force_login(people["contributor"])
    assert refused(client.post(snippet_url(topic, "unpublish", topic.pk)))
    topic.refresh_from_db()
    assert topic.live


def test_approving_through_the_workflow_publishes_the_term(client, people):
    version = versioning.current()
    client.force_login(people["contributor"])
    response = add_snippet(client, Tactic, name="Deepfake audio", slug="deepfake-audio", **{"action-submit": "1"})
    assert response.status_code == 302
    tactic = Tactic.objects.get(slug="deepfake-audio")
    assert tactic.workflow_in_progress and not tactic.live
    assert versioning.current() == version
    assert "is not a known tactic" in client.get("/cases/?tactic=deepfake-audio").content.decode()
    # A contributor cannot approve; the fact checker can approve the first step only, a reviewer the last.
    assert refused(workflow_action(client, tactic, "approve"))
    client.force_login(people["factchecker"])
    assert workflow_action(client, tactic, "approve").status_code == 302
    tactic.refresh_from_db()
    assert not tactic.live and tactic.current_workflow_task.name == "Commission approval"
    assert refused(workflow_action(client, tactic, "approve"))
    client.force_login(people["reviewer"])
    assert workflow_action(client, tactic, "approve").status_code == 302
    tactic.refresh_from_db()
    assert tactic.live and not tactic.workflow_in_progress
    assert versioning.current() != version
    client.logout()
    assert "is not a known tactic" not in client.get("/cases/?tactic=deepfake-audio").content.decode()


def test_a_draft_country_profile_waits_for_review(client, people):
    kenya = Country.objects.get(code="KE")
    client.force_login(people["contributor"])
    response = edit_snippet(client, kenya, profile=rich_text("A draft profile awaiting review."))
    assert response.status_code == 302
    kenya.refresh_from_db()
    assert "draft profile" not in kenya.profile
    assert "draft profile" in kenya.get_latest_revision_as_object().profile
    client.force_login(people["reviewer"])
    assert edit_snippet(client, kenya, **{"action-publish": "1"}).status_code == 302
    client.logout()
    assert "A draft profile awaiting review." in client.get("/countries/kenya/").content.decode()


def test_terms_written_by_migrations_and_the_importers_are_live(site_tree, tmp_path, client):
    assert Tactic.objects.exists() and not Tactic.objects.filter(live=False).exists()
    assert Country.objects.count() == Country.objects.live().count()
    # The import is the trusted path: the terms it creates are published with its cases.
    record = {**GOOD, "tactics": ["troll-farm", "imported-new-tactic"]}
    call_command("import_cases", write(tmp_path, [record]), "--publish", stdout=io.StringIO())
    assert Tactic.objects.get(slug="imported-new-tactic").live
    assert Actor.objects.get(name=GOOD["actors"][0]["name"]).live
    assert "Imported new tactic" in client.get("/cases/").content.decode()


def test_a_term_shows_on_its_cases_and_in_search_once_published(client, people):
    tactic = Tactic(name="Zebrafinch flooding", slug="zebrafinch-flooding", live=False)
    tactic.save()
    tactic.save_revision(user=people["contributor"])
    case = make_case(title="Anchor case", slug="anchor-case", tactics=("zebrafinch-flooding",))
    assert "Zebrafinch" not in client.get(case.url).content.decode()
    assert "Anchor case" not in client.get("/search/?q=zebrafinch").content.decode()
    tactic.get_latest_revision().publish(user=people["reviewer"])
    assert "Zebrafinch flooding" in client.get(case.url).content.decode()
    assert "Anchor case" in client.get("/search/?q=zebrafinch").content.decode()
    assert "Zebrafinch flooding" in b"".join(client.get("/cases/export.csv").streaming_content).decode()
