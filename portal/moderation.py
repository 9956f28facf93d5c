"""The commission's review set-up: three groups, their permissions, and the "Commission review" workflow.

Everything here is declared as data and applied by `ensure_moderation()`, which is idempotent: it
runs after every `migrate` (see apps.py), from `load_demo` and from `manage.py setup_moderation`.
Page permissions and the workflow assignment need the /cases/ and /guides/ pages, so they are
applied whenever those pages exist and re-applied on the next run after they are created.

Taxonomy terms, the election calendar and country profiles are reviewed snippets (portal/reviewed.py) under the same
workflow, assigned by content type: contributors propose (save drafts, submit), fact checkers
and reviewers approve its steps, and only reviewers may publish directly.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from .models import CommissionApprovalTask

CONTRIBUTORS = "Contributors"
FACT_CHECKERS = "Fact checkers"
REVIEWERS = "Commission reviewers"
GROUPS = (CONTRIBUTORS, FACT_CHECKERS, REVIEWERS)

WORKFLOW_NAME = "Commission review"
# (task name, the group that approves it, task type), in the order a page passes through them.
# The last is the commission's own task type: it enforces the publication rules and records the review.
TASKS = (
    ("Fact check", FACT_CHECKERS, GroupApprovalTask),
    ("Commission approval", REVIEWERS, CommissionApprovalTask),
)

# Wagtail page permission types each group holds on the cases and guides sections (and only there).
# "add" lets contributors create pages, "change" lets them edit any case or guide (the commission
# writes together); fact checkers need "change" to reach pages, revisions and the compare view and
# to comment; only reviewers may publish, unpublish, schedule and lock.
PAGE_PERMISSIONS = {
    CONTRIBUTORS: ("add", "change"),
    FACT_CHECKERS: ("change",),
    REVIEWERS: ("add", "change", "publish", "lock", "unlock"),
}

# The taxonomy snippets, and which model permissions each group has on them.
TAXONOMIES = (
    ("cases", "tactic"),
    ("cases", "channel"),
    ("cases", "target"),
    ("cases", "actor"),
    ("guides", "audience"),
    ("guides", "topic"),
    ("guides", "programme"),
)
# The election calendar (elections/) is reviewed and permitted like a taxonomy.
CALENDAR = (("elections", "election"),)
# Countries come from ISO 3166 (a data migration): editors write their profiles, nobody adds or deletes.
COUNTRY = ("cases", "country")
# "change" saves a draft and submits it to the workflow; fact checkers need it to reach the
# snippet and act on their step, as with pages. "publish" (and unpublish) is the reviewers' alone.
SNIPPET_ACTIONS = {
    CONTRIBUTORS: ("add", "change", "view"),
    FACT_CHECKERS: ("change", "view"),
    REVIEWERS: ("add", "change", "delete", "view", "publish", "lock", "unlock"),
}
COUNTRY_ACTIONS = {
    CONTRIBUTORS: ("change", "view"),
    FACT_CHECKERS: ("change", "view"),
    REVIEWERS: ("change", "view", "publish", "lock", "unlock"),
}
# Case and guide bodies embed images and link documents: writers upload and choose them in the
# root collection; reviewers also tidy up (change any, delete).
MEDIA = (("wagtailimages", "image"), ("wagtaildocs", "document"))
MEDIA_ACTIONS = {CONTRIBUTORS: ("add", "choose"), FACT_CHECKERS: (), REVIEWERS: ("add", "change", "choose", "delete")}
# Uploads are private until a published page uses them; reviewers may release one sooner (portal/media.py).
RELEASE_MEDIA = ("portal", "mediarelease", "release_media")
RELEASERS = (REVIEWERS,)


def _model_permission(app_label, model, action):
    # Django creates content types and model permissions after migrate, app by app; this may run
    # before it has reached these apps, so create what is missing (Django then skips them).
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
    )
    return permission


def _group_permissions(group_name):
    permissions = [_model_permission("wagtailadmin", "admin", "access")]
    for app_label, model in (*TAXONOMIES, *CALENDAR):
        permissions += [_model_permission(app_label, model, action) for action in SNIPPET_ACTIONS[group_name]]
    permissions += [_model_permission(*COUNTRY, action) for action in COUNTRY_ACTIONS[group_name]]
    if group_name in RELEASERS:
        app_label, model, codename = RELEASE_MEDIA
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permissions.append(
            Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": "Can release documents and images"}
            )[0]
        )
    return permissions


def _page_permission(permission_type):
    return _model_permission("wagtailcore", "page", permission_type)


def moderated_sections():
    """The pages whose subtrees go through the commission's workflow: the catalogue and the guides."""
    from cases.models import CaseIndexPage
    from guides.models import GuideIndexPage

    return [Page.objects.get(pk=page.pk) for model in (CaseIndexPage, GuideIndexPage) for page in model.objects.all()]


def _ensure_media_permissions(group, actions):
    root = Collection.get_first_root_node()
    wanted = {_model_permission(app_label, model, action) for app_label, model in MEDIA for action in actions}
    GroupCollectionPermission.objects.filter(group=group).exclude(collection=root, permission__in=wanted).delete()
    for permission in wanted:
        GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def _ensure_workflow(groups):
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    tasks = []
    for name, group_name, task_class in TASKS:
        task = task_class.objects.filter(name=name, content_type=ContentType.objects.get_for_model(task_class)).first()
        if task is None:
            task = task_class.objects.create(name=name)
            # A task of the same name but an older type (a plain group approval) is retired.
            for old in GroupApprovalTask.objects.filter(name=name, active=True).exclude(pk=task.pk):
                old.deactivate()
        elif not task.active:
            task.active = True
            task.save(update_fields=["active"])
        task.groups.set([groups[group_name]])
        tasks.append(task)
    # The workflow's steps are exactly these tasks, in this order.
    WorkflowTask.objects.filter(workflow=workflow).exclude(task__in=tasks).delete()
    for order, task in enumerate(tasks):
        WorkflowTask.objects.update_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
    return workflow


@transaction.atomic
def ensure_moderation():
    """Create or repair the groups, permissions and workflow; return the sections it applied them to."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in GROUPS}
    for name, group in groups.items():
        group.permissions.set(_group_permissions(name))
        _ensure_media_permissions(group, MEDIA_ACTIONS[name])
    workflow = _ensure_workflow(groups)
    for app_label, model in (*TAXONOMIES, *CALENDAR, COUNTRY):
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        WorkflowContentType.objects.update_or_create(content_type=content_type, defaults={"workflow": workflow})
    sections = moderated_sections()
    for page in sections:
        for name, group in groups.items():
            wanted = {_page_permission(kind) for kind in PAGE_PERMISSIONS[name]}
            GroupPagePermission.objects.filter(group=group, page=page).exclude(permission__in=wanted).delete()
            for permission in wanted:
                GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return sections
