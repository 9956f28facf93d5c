"""Site-wide models: the home page, standard pages (about, methodology), the content version, media
releases, and the commission's final approval task, which refuses a page its publication rules block
and records the review."""

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import GroupApprovalTask, Page

from .blocks import BodyBlock
from .querysets import PublishedPageManager
from .reviews import is_reviewable, publication_problems, save_reviewed_revision
from .translations import FallbackToDefaultLocale


class HomePage(FallbackToDefaultLocale, Page):
    """What the portal is and who runs it, the latest cases, featured guides, counts by region."""

    intro = models.TextField(help_text="One or two sentences on what the portal is.")
    about = RichTextField(blank=True, features=["bold", "italic", "link"], help_text="Who runs the portal and how.")
    featured_guides = ParentalManyToManyField("guides.GuidePage", blank=True, related_name="+")

    objects = PublishedPageManager()

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("about"), FieldPanel("featured_guides")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cases.CaseIndexPage", "guides.GuideIndexPage", "portal.StandardPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from .home import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self))
        return context


class StandardPage(FallbackToDefaultLocale, Page):
    """A plain page of text: about the commission, methodology, data licence."""

    summary = models.TextField(blank=True, max_length=300)
    body = StreamField(BodyBlock(), blank=True)

    objects = PublishedPageManager()

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    parent_page_types = ["portal.HomePage", "portal.StandardPage"]
    subpage_types = ["portal.StandardPage"]


class ContentVersion(models.Model):
    """One row whose token changes whenever published content may have changed (see versioning.py).

    A random token rather than a counter: a rolled-back transaction can bring back an older
    token, but never one that labels data other than the data that token was written with.
    """

    token = models.CharField(max_length=32)
    # When the token last moved on: the Last-Modified of everything derived from published content.
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return self.token


class CommissionApprovalTask(GroupApprovalTask):
    """The workflow's last step: a commission reviewer approves, and the page is published.

    Approval is refused while the page's publication rules find problems (for a case, the
    sourcing rule: cases/sourcing.py); the page stays in this task, unpublished, and the reviewer
    is sent to the editor, which says what is missing. An approval that ends the workflow is a
    review: the published version carries the day's date as "last reviewed".
    """

    class Meta:
        verbose_name = "commission approval task"

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups approve; refused while the page fails the publication rules"

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            content = task_state.workflow_state.content_object
            # Pages and reviewed snippets (terms, country profiles) share this workflow; only pages have rules.
            page = getattr(content, "specific", content)
            latest = page.get_latest_revision_as_object()
            if publication_problems(latest):
                return reverse("wagtailadmin_pages:edit", args=[page.pk]) + "?approval=refused"
            if is_reviewable(latest) and self._ends(task_state.workflow_state.workflow):
                save_reviewed_revision(page, user)
                # The workflow publishes its page's latest revision: let it see the one just saved.
                task_state.workflow_state.content_object.refresh_from_db(fields=["latest_revision"])
        return super().on_action(task_state, user, action_name, **kwargs)

    def _ends(self, workflow):
        last = workflow.workflow_tasks.filter(task__active=True).order_by("sort_order").last()
        return last is not None and last.task_id == self.pk


class MediaRelease(models.Model):
    """A reviewer's release of an upload before any published page uses it (see portal/media.py)."""

    document = models.OneToOneField(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.CASCADE, related_name="release"
    )
    image = models.OneToOneField(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.CASCADE, related_name="release"
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        permissions = [("release_media", "Can release documents and images before a published page uses them")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(document__isnull=False, image__isnull=True)
                | models.Q(document__isnull=True, image__isnull=False),
                name="media_release_one_upload",
            )
        ]

    def __str__(self):
        return f"Release of {self.document or self.image}"
