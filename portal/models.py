"""Site-wide models: the home page, standard pages (about, methodology), the content version, media releases."""

from django.conf import settings
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .blocks import BodyBlock
from .querysets import PublishedPageManager


class HomePage(Page):
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


class StandardPage(Page):
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
