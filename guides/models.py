"""Best-practice guides for the people who defend elections, and their vocabularies."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cases.models import AbstractSource
from cases.models.taxonomy import Term
from portal.blocks import BodyBlock
from portal.indexing import IndexedOnSave, RelatedOnce
from portal.querysets import PublishedPageManager, PublishedPageQuerySet
from portal.reviewed import LiveRelatedFields, ReviewedSnippet, live_prefetches, show_live_terms
from portal.reviews import next_review
from portal.translations import FallbackToDefaultLocale, localize

from .blocks import ChecklistBlock


class Audience(Term):
    """Who a guide is written for (election officials, campaigns, platforms…)."""

    class Meta(Term.Meta):
        pass


class Topic(Term):
    """What a guide is about (cybersecurity, disinformation response…)."""

    class Meta(Term.Meta):
        pass


class Programme(ReviewedSnippet, index.Indexed):
    """A real programme or initiative a guide points readers to."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    run_by = models.CharField(max_length=300, blank=True)
    started = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("run_by"), FieldPanel("started")]),
        FieldPanel("url"),
        FieldPanel("description"),
    ]
    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("description"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class GuideIndexPage(FallbackToDefaultLocale, Page):
    """The list of guides at /guides/, filterable by audience, topic and phase."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["guides.GuidePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from .filters import GuideFilterSet

        context = super().get_context(request, *args, **kwargs)
        queryset = GuidePage.objects.published().for_listing()
        filterset = GuideFilterSet(request.GET, queryset=queryset)
        if not filterset.is_valid():
            # Unknown values are named in a message and dropped; the rest still applies.
            valid = request.GET.copy()
            for name in filterset.errors:
                valid.pop(name, None)
            context["filter_errors"] = filterset.errors
            filterset = GuideFilterSet(valid, queryset=queryset)
        context["filterset"] = filterset
        context["guides"] = localize(filterset.qs)
        return context


class GuideQuerySet(PublishedPageQuerySet):
    def for_listing(self):
        return self.prefetch_related(*live_prefetches(self.model, "audiences", "topics")).order_by("title")


GuideManager = PublishedPageManager.from_queryset(GuideQuerySet)


class GuidePage(IndexedOnSave, Page):
    """A best-practice guide: why it matters, a checklist someone owns, and the cases behind it."""

    summary = models.TextField(max_length=300, help_text="Plain text, at most 300 characters.")
    audiences = ParentalManyToManyField(Audience, blank=True, related_name="guides")
    topics = ParentalManyToManyField(Topic, blank=True, related_name="guides")
    phases = ParentalManyToManyField("cases.ElectionPhase", blank=True, related_name="guides")
    threats = ParentalManyToManyField(
        "cases.Tactic", blank=True, related_name="guides", help_text="The tactics this guide helps defend against."
    )
    checklist = StreamField(ChecklistBlock(), blank=True)
    body = StreamField(BodyBlock(), blank=True)
    related_cases = ParentalManyToManyField("cases.CaseStudyPage", blank=True, related_name="guides")
    programmes = ParentalManyToManyField(
        Programme, blank=True, related_name="guides", verbose_name="real programmes referenced"
    )
    last_reviewed = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    # Hash of the demo record last loaded: loading it again is a no-op.
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = GuideManager()

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("checklist"),
        MultiFieldPanel(
            [FieldPanel("audiences"), FieldPanel("topics"), FieldPanel("phases"), FieldPanel("threats")],
            heading=_("Classification"),
        ),
        FieldPanel("related_cases"),
        FieldPanel("programmes"),
        InlinePanel("sources", heading=_("Sources"), label=_("Source")),
        # Set by the final approval or "Reviewed, no change", never typed (portal/reviews.py).
        FieldRowPanel(
            [FieldPanel("last_reviewed", read_only=True), FieldPanel("review_due", read_only=True)], heading=_("Review")
        ),
    ]

    # Indexed once per save, relations included (portal/indexing.py), not on a save that only records a draft.
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=5),
        index.AutocompleteField("summary"),
        index.SearchField("body"),
        index.SearchField("checklist"),
        LiveRelatedFields("audiences", [index.SearchField("name")]),
        LiveRelatedFields("topics", [index.SearchField("name")]),
        LiveRelatedFields("threats", [index.SearchField("name", boost=2)]),
        LiveRelatedFields("programmes", [index.SearchField("name", boost=2)]),
        RelatedOnce("sources", [index.SearchField("publisher"), index.SearchField("title")]),
    ]

    parent_page_types = ["guides.GuideIndexPage"]
    subpage_types = []

    def record_review(self, on):
        self.last_reviewed = on
        self.review_due = next_review(on)

    @property
    def review_due_date(self):
        return self.review_due or next_review(self.last_reviewed)

    def get_indexed_instance(self):
        # As for cases: only the live version's words go into the public index.
        if self.pk and self.live:
            return type(self).objects.filter(pk=self.pk).first()
        return super().get_indexed_instance()

    def get_context(self, request, *args, **kwargs):
        from cases.models import CaseStudyPage

        context = super().get_context(request, *args, **kwargs)
        show_live_terms(self, "audiences", "topics", "threats", "programmes")
        context["related_cases"] = localize(
            CaseStudyPage.objects.published()
            .filter(models.Q(guides=self) | models.Q(related_guides__guide=self))
            .distinct()
            .for_listing()
            .order_by("-first_seen")
        )
        return context


class GuideSource(AbstractSource):
    """A source a guide cites."""

    page = ParentalKey(GuidePage, on_delete=models.CASCADE, related_name="sources")
