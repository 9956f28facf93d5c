"""The commission's review tools in the Wagtail admin: "Reviewed, no change" and the "Reviews due" report.

"Reviewed, no change" records that a reviewer checked the live version of a case or guide and
found nothing to correct: it publishes that same version with the day's review date. It is only
offered, and only done, when the live page is the latest version (no draft or review pending),
so it can never publish unreviewed changes, and never for a page its publication rules block.
The report lists the published cases and guides whose review is due within DUE_SOON_DAYS or
overdue, never-reviewed first, then the most overdue.
"""

import datetime

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.log_actions import log
from wagtail.models import Page

from cases.dates import day_display
from cases.models import CaseStudyPage
from guides.models import GuidePage

from .reviews import is_reviewable, publication_problems, review_status, save_reviewed_revision, today

REVIEWED_ACTION = "portal.reviewed"


def reviewed_refusal(page):
    """Why "Reviewed, no change" cannot be recorded for this page now, or "" when it can."""
    if not is_reviewable(page):
        return _("Only cases and guides carry a review date.")
    if not page.live:
        return _("Only a published page can be reviewed without change; send a draft through the workflow.")
    if page.has_unpublished_changes or page.workflow_in_progress:
        return _(
            "This page has a newer draft or a review in progress: approve it through the workflow "
            "(which records the review) instead."
        )
    problems = publication_problems(page.get_latest_revision_as_object())
    if problems:
        return _("It fails the publication rules:") + " " + " ".join(problems)
    return ""


def user_can_review(user, page):
    return page.permissions_for_user(user).can_publish()


@require_POST
def reviewed_no_change(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not user_can_review(request.user, page):
        raise PermissionDenied
    edit_url = reverse("wagtailadmin_pages:edit", args=[quote(page.pk)])
    refusal = reviewed_refusal(page)
    if refusal:
        messages.error(request, _("“%(title)s” was not marked as reviewed.") % {"title": page.title} + " " + refusal)
        return redirect(edit_url)
    with transaction.atomic():
        revision = save_reviewed_revision(page, request.user)
        revision.publish(user=request.user)
        log(instance=page, action=REVIEWED_ACTION, user=request.user, revision=revision)
    messages.success(
        request,
        _("“%(title)s” recorded as reviewed with no change on %(date)s.")
        % {"title": page.title, "date": day_display(today())},
    )
    return redirect(edit_url)


def reviews_due(on=None):
    """Published cases and guides due for review within DUE_SOON_DAYS or overdue, most overdue first.

    Rows are dicts: page, kind, last_reviewed, due (None if never reviewed), status, edit_url.
    Two queries whatever the number of pages.
    """
    on = on or today()
    rows = []
    for model, kind in ((CaseStudyPage, _("Case")), (GuidePage, _("Guide"))):
        fields = ["id", "title", "last_reviewed", "first_published_at"]
        if model is GuidePage:
            fields.append("review_due")
        for page in model.objects.live().only(*fields).order_by("title"):
            status, due = review_status(page, on)
            if status != "ok":
                rows.append(
                    {
                        "page": page,
                        "kind": kind,
                        "last_reviewed": page.last_reviewed,
                        "due": due,
                        "status": status,
                        "overdue_days": (on - due).days if due else None,
                        "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
                    }
                )
    # Never reviewed first (the oldest publication first), then by due date, earliest first.
    rows.sort(key=lambda row: (row["due"] is not None, row["due"] or _published_on(row["page"])))
    return rows


def _published_on(page):
    return page.first_published_at.date() if page.first_published_at else datetime.date.min


def reviews_due_report(request):
    rows = reviews_due()
    return render(request, "portal/admin/reviews_due.html", {"rows": rows, "today": today()})
