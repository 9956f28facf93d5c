"""Say what an approval did: "Approved: now with the commission", "Published".

Wagtail's workflow action view (the dashboard's "Approve" button posts to it) redirects without
a message, so a fact checker saw the row vanish and could not tell whether the page went on to
the commission or live. Wagtail 8 routes that URL through the page type's PageViewSet; the
moderated page types (cases, guides) get a viewset whose action view adds the message once the
task has done its work. Nothing else in their admin changes: the viewset keeps Wagtail's
explorer listing (no parent models of its own).
"""

from django.contrib import messages
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import TaskState, WorkflowState


def outcome_message(page, task_state):
    """The sentence for the person who just acted on task_state, or None when nothing happened."""
    task_state.refresh_from_db()
    title = page.get_latest_revision_as_object().title if page.has_unpublished_changes else page.title
    if task_state.status == TaskState.STATUS_APPROVED:
        workflow_state = WorkflowState.objects.get(pk=task_state.workflow_state_id)
        following = (
            workflow_state.current_task_state if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS else None
        )
        if following is not None and following.pk != task_state.pk:
            return format_html(_("Approved: “{}” is now with the commission ({})."), title, following.task.name)
        page.refresh_from_db()
        if page.live and not page.has_unpublished_changes:
            return format_html(_("Published: “{}” is live."), title)
        if page.go_live_at:
            return format_html(_("Approved: “{}” will go live as scheduled."), title)
        return format_html(_("Approved: “{}” has finished the review."), title)
    if task_state.status == TaskState.STATUS_REJECTED:
        return format_html(_("Changes requested: “{}” went back to its author."), title)
    return None


class FeedbackWorkflowActionView(WorkflowActionView):
    """Wagtail's workflow action, plus a message saying where the page went."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        message = outcome_message(self.object, self.task_state)
        if message:
            messages.success(request, message)
        return response


class ModeratedPageViewSet(PageViewSet):
    """A page type's admin views as Wagtail's, with the workflow action that reports its outcome."""

    workflow_action_view_class = FeedbackWorkflowActionView
    parent_models = ()  # keep the explorer's default listing under the cases and guides sections
