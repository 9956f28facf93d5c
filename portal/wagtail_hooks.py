"""How the admin enforces the publication rules and records reviews, through Wagtail's hooks.

The rules themselves belong to the page types (`publication_check()`, for cases the sourcing
rule in cases/sourcing.py); the final approval refuses a page they block (CommissionApprovalTask
in models.py). Here: a reviewer's direct "Publish" (also in bulk) is refused the same way, with
a message naming what is missing, and the page stays unpublished (the edit is kept as a draft);
saving or submitting a page that could not be approved says so at once; "Reviewed, no change"
and the "Reviews due" report are added to the admin (review_admin.py). Media review's hooks live in
media_hooks.py, approval feedback and query-string clean-up in page_hooks.py, imported here so
that Wagtail registers them.
"""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem

from . import media_hooks, page_hooks  # noqa: F401  (register their hooks)
from .models import CommissionApprovalTask
from .review_admin import (
    REVIEWED_ACTION,
    reviewed_no_change,
    reviewed_refusal,
    reviews_due_report,
    user_can_review,
)
from .reviews import publication_problems, publication_warnings


def _latest(page):
    return page.specific.get_latest_revision_as_object()


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


@hooks.register("before_publish_page")
def refuse_publishing_what_the_rules_block(request, page):
    problems = publication_problems(_latest(page))
    if problems:
        messages.error(
            request,
            gettext("“%(title)s” was saved as a draft but not published.") % {"title": page.title}
            + " "
            + " ".join(problems),
        )
        return redirect(_edit_url(page))
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_what_the_rules_block(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    blocked = [page for page in objects if publication_problems(_latest(page))]
    if blocked:
        titles = ", ".join(gettext("“%(title)s”") % {"title": page.title} for page in blocked)
        messages.error(
            request,
            ngettext(
                "Nothing was published: %(titles)s fail the publication rules (open each to see why).",
                "Nothing was published: %(titles)s fail the publication rules (open each to see why).",
                len(blocked),
            )
            % {"titles": titles},
        )
        return redirect(request.GET.get("next") or reverse("wagtailadmin_explore_root"))
    return None


def _approval_refused(page):
    return gettext("Approval refused: “%(title)s” stays unpublished.") % {"title": page.title}


def _on_final_task(page):
    state = page.current_workflow_task_state
    return state is not None and isinstance(state.task.specific, CommissionApprovalTask)


@hooks.register("after_edit_page")
def say_what_blocks_approval(request, page):
    if not hasattr(page.specific, "publication_check"):
        return None
    latest = _latest(page)
    problems = publication_problems(latest)
    approving = request.POST.get("action-workflow-action") and request.POST.get("workflow-action-name") == "approve"
    if approving and problems and _on_final_task(page):
        messages.error(request, _approval_refused(page) + " " + " ".join(problems))
    elif problems:
        messages.warning(
            request, gettext("This case cannot be approved for publication yet.") + " " + " ".join(problems)
        )
    elif approving and publication_warnings(latest):
        messages.warning(request, " ".join(publication_warnings(latest)))
    return None


@hooks.register("before_edit_page")
def explain_a_refused_approval(request, page):
    # CommissionApprovalTask sends a reviewer here after refusing an approval made outside the editor.
    if request.method == "GET" and request.GET.get("approval") == "refused":
        problems = publication_problems(_latest(page))
        if problems:
            messages.error(request, _approval_refused(page) + " " + " ".join(problems))
    return None


class ReviewedNoChangeMenuItem(ActionMenuItem):
    label = _("Reviewed, no change")
    name = "action-reviewed"
    icon_name = "date"
    template_name = "portal/admin/reviewed_menu_item.html"

    def is_shown(self, context):
        page = context.get("page")
        if context["view"] != "edit" or page is None or context.get("locked_for_user"):
            return False
        return user_can_review(context["request"].user, page) and not reviewed_refusal(page.specific)

    def get_url(self, parent_context):
        return reverse("portal_reviewed_no_change", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def register_reviewed_menu_item():
    return ReviewedNoChangeMenuItem(order=90)


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path("reviews/<int:page_id>/reviewed/", reviewed_no_change, name="portal_reviewed_no_change"),
        path("reports/reviews-due/", reviews_due_report, name="portal_reviews_due"),
    ]


@hooks.register("register_reports_menu_item")
def register_reviews_due_report():
    return MenuItem(_("Reviews due"), reverse("portal_reviews_due"), name="reviews-due", icon_name="date", order=650)


@hooks.register("register_log_actions")
def register_review_log_action(actions):
    actions.register_action(
        REVIEWED_ACTION, _("Reviewed, no change"), _("Reviewed by the commission: no change needed")
    )
