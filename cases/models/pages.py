"""Case study pages: one interference case each, under the catalogue page at /cases/."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.blocks import BodyBlock
from portal.indexing import IndexedOnSave, RelatedOnce
from portal.querysets import PublishedPageManager, PublishedPageQuerySet
from portal.reviewed import LiveRelatedFields, live_prefetches, show_live_terms
from portal.reviews import next_review
from portal.translations import FallbackToDefaultLocale, localize

from ..choices import (
    AttributionStatus,
    Confidence,
    DatePrecision,
    ElectionRound,
    ElectionType,
    Origin,
    SourceKind,
)
from ..dates import day_display, format_partial_date, period_end
from ..panels import SourcingPanel
from ..sourcing import check_sourcing
from ..widgets import FilterableCheckboxes, TechniqueCheckboxes
from .sourcehealth import attach_health


def split_attributed_by(text):
    """The names in an `attributed_by` value: separated by ';', blanks dropped."""
    return [name.strip() for name in text.split(";") if name.strip()]


class CaseIndexPage(FallbackToDefaultLocale, Page):
    """The catalogue at /cases/: every published case, filterable (see cases/filters.py)."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["cases.CaseStudyPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from ..catalogue import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request, self))
        return context


class CaseQuerySet(PublishedPageQuerySet):
    def in_country(self, code):
        return self.filter(countries__code=code.upper())

    def for_listing(self):
        """What a listing row shows, fetched in a fixed number of queries."""
        return self.prefetch_related(*live_prefetches(self.model, "countries", "tactics")).only(
            "id",
            "title",
            "slug",
            "url_path",
            "summary",
            "first_seen",
            "first_seen_precision",
            "last_seen",
            "last_seen_precision",
            "origin",
            "attribution_status",
            "election_name",
            "election_date",
            "last_published_at",
            "latest_revision_created_at",
            "path",
            "depth",
            "locale_id",
            "content_type_id",
            "live",
            "draft_title",
        )


CaseManager = PublishedPageManager.from_queryset(CaseQuerySet)

TECHNIQUES_HELP = (
    "Leave empty to use the techniques of the tactics ticked above: a case with no technique of "
    "its own shows every DISARM technique its tactics map to. Tick techniques only to be more precise."
)


def _choice_label(choices, value):
    """The label of `value` among `choices` (a TextChoices) in the active language; `value` if unknown."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class CaseStudyPage(IndexedOnSave, Page):
    """One documented case of election interference, with its evidence and sources."""

    summary = models.TextField(
        max_length=300, help_text="Plain text, at most 300 characters: used in listings, search and previews."
    )
    body = StreamField(BodyBlock(), blank=True)

    countries = ParentalManyToManyField(
        "cases.Country", related_name="cases", help_text="Countries whose elections were targeted."
    )
    election_name = models.CharField(max_length=255, blank=True)
    election_type = models.CharField(max_length=30, choices=ElectionType.choices, blank=True)
    election_date = models.DateField(null=True, blank=True)
    election_round = models.CharField(max_length=20, choices=ElectionRound.choices, blank=True)

    first_seen = models.DateField(help_text="First day of the period in which the activity was first seen.")
    first_seen_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    last_seen = models.DateField(null=True, blank=True)
    last_seen_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)

    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.UNKNOWN, db_index=True)
    actors = ParentalManyToManyField("cases.Actor", blank=True, related_name="cases")
    attribution_status = models.CharField(
        max_length=15,
        choices=AttributionStatus.choices,
        default=AttributionStatus.UNATTRIBUTED,
        db_index=True,
        help_text="The strongest attribution that exists (judicial is strongest).",
    )
    attribution_confidence = models.CharField(max_length=6, choices=Confidence.choices, default=Confidence.LOW)
    attributed_by = models.CharField(
        max_length=500, blank=True, help_text="Who made the attribution; separate several with ';'."
    )

    tactics = ParentalManyToManyField("cases.Tactic", blank=True, related_name="cases")
    disarm_techniques = ParentalManyToManyField("cases.DisarmTechnique", blank=True, related_name="cases")
    channels = ParentalManyToManyField("cases.Channel", blank=True, related_name="cases")
    targets = ParentalManyToManyField("cases.Target", blank=True, related_name="cases")
    phases = ParentalManyToManyField("cases.ElectionPhase", blank=True, related_name="cases")
    response = models.TextField("Response and outcome", blank=True)
    # The claims a researcher checked and the page confirming each ([{claim, url}]), from the record's
    # `verified` list: kept so a later reviewer can re-check them; read-only in the admin.
    verified_claims = models.JSONField("Claims checked", default=list, blank=True)

    # Set by the final approval or "Reviewed, no change" (portal/reviews.py), never typed or imported.
    last_reviewed = models.DateField(null=True, blank=True, help_text="When the commission last checked this case.")
    # Hash of the record last imported by import_cases: re-importing it is a no-op.
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = CaseManager()

    content_panels = Page.content_panels + [
        SourcingPanel(heading=_("Sourcing check")),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("response"),
        InlinePanel("sources", heading=_("Sources"), label=_("Source"), min_num=1),
        FieldPanel("verified_claims", read_only=True),
    ]
    classification_panels = [
        FieldPanel("countries", widget=FilterableCheckboxes(noun="country")),
        MultiFieldPanel(
            [
                FieldPanel("election_name"),
                FieldRowPanel([FieldPanel("election_type"), FieldPanel("election_date"), FieldPanel("election_round")]),
            ],
            heading=_("Election"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("first_seen"), FieldPanel("first_seen_precision")]),
                FieldRowPanel([FieldPanel("last_seen"), FieldPanel("last_seen_precision")]),
            ],
            heading=_("Period of activity"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("origin"),
                FieldPanel("actors", widget=FilterableCheckboxes(noun="actor")),
                FieldRowPanel([FieldPanel("attribution_status"), FieldPanel("attribution_confidence")]),
                FieldPanel("attributed_by"),
            ],
            heading=_("Actors and attribution"),
        ),
        FieldPanel("tactics", widget=FilterableCheckboxes(noun="tactic")),
        FieldPanel(
            "disarm_techniques",
            widget=TechniqueCheckboxes(),
            help_text=TECHNIQUES_HELP,
        ),
        FieldPanel("channels", widget=FilterableCheckboxes(noun="channel")),
        FieldPanel("targets"),
        FieldPanel("phases"),
    ]
    review_panels = [
        FieldPanel("last_reviewed", read_only=True),
        InlinePanel("corrections", heading=_("Corrections log"), label=_("Correction")),
        InlinePanel("related_guides", heading=_("Related guides"), label=_("Guide")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(classification_panels, heading=_("Classification")),
            ObjectList(review_panels, heading=_("Review")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    # Indexed once per save, relations included (portal/indexing.py), not on a save that only records a draft.
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=5),
        index.AutocompleteField("summary"),
        index.SearchField("election_name", boost=2),
        index.SearchField("attributed_by"),
        index.SearchField("response"),
        index.SearchField("body"),
        LiveRelatedFields(
            "countries", [index.SearchField("name", boost=3), index.SearchField("code"), index.SearchField("iso_name")]
        ),
        LiveRelatedFields("actors", [index.SearchField("name", boost=3)]),
        LiveRelatedFields("tactics", [index.SearchField("name", boost=2)]),
        LiveRelatedFields("channels", [index.SearchField("name")]),
        LiveRelatedFields("targets", [index.SearchField("name")]),
        RelatedOnce("sources", [index.SearchField("publisher", boost=2), index.SearchField("title")]),
        index.FilterField("origin"),
        index.FilterField("attribution_status"),
        index.FilterField("first_seen"),
        index.FilterField("last_seen"),
    ]

    parent_page_types = ["cases.CaseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "case study"
        verbose_name_plural = "case studies"
        indexes = [
            # Newest-first listings (catalogue, country hubs) walk this backwards; year_to uses it.
            models.Index(fields=["first_seen", "last_seen"], name="case_period_idx"),
            # year_from: "last seen on or after 1 January, or first seen then if never seen again"
            # becomes two index ranges (BitmapOr) instead of a scan of the whole table.
            models.Index(fields=["last_seen", "first_seen"], name="case_last_seen_idx"),
        ]

    def clean(self):
        super().clean()
        if (
            self.last_seen
            and self.first_seen
            and period_end(self.last_seen, self.last_seen_precision) < self.first_seen
        ):
            raise ValidationError({"last_seen": "The last sighting cannot be before the first."})

    def get_indexed_instance(self):
        # Index the live version only: a draft saved in moderation must not put its
        # words into the public search index (the page row keeps the live content).
        if self.pk and self.live:
            return type(self).objects.filter(pk=self.pk).first()
        return super().get_indexed_instance()

    @property
    def first_seen_display(self):
        return format_partial_date(self.first_seen, self.first_seen_precision)

    @property
    def last_seen_display(self):
        return format_partial_date(self.last_seen, self.last_seen_precision)

    @property
    def election_date_display(self):
        """The election's day as the active language writes it: "18 April 2027", "18 avril 2027"."""
        return day_display(self.election_date) if self.election_date else ""

    # Django's get_FOO_display hashes every choice's lazily translated label, translating each, on
    # every call: some 50 µs a badge, 2 ms of a catalogue page of 20 cases. Here one label is translated.
    def get_origin_display(self):
        return _choice_label(Origin, self.origin)

    def get_attribution_status_display(self):
        return _choice_label(AttributionStatus, self.attribution_status)

    def get_attribution_confidence_display(self):
        return _choice_label(Confidence, self.attribution_confidence)

    @property
    def period_display(self):
        first, last = self.first_seen_display, self.last_seen_display
        return first if not last or last == first else f"{first} – {last}"

    def techniques_shown(self):
        """The case's own DISARM techniques, or else those its (live) tactics map to."""
        own = list(self.disarm_techniques.all())
        if own:
            return own
        from .taxonomy import DisarmTechnique

        tactics = [tactic.pk for tactic in self.tactics.all() if tactic.live]
        return list(DisarmTechnique.objects.filter(tactics__in=tactics).distinct())

    @classmethod
    def link_table(cls, field_name):
        """(link model, case id column, term relation) of a many-to-many field, e.g. "casestudypage_id", "tactic"."""
        field = cls._meta.get_field(field_name)
        return field.remote_field.through, f"{field.m2m_field_name()}_id", field.m2m_reverse_field_name()

    def publication_check(self):
        """The sourcing rule (cases/sourcing.py) applied to this version's sources and attribution."""
        return check_sourcing([(s.publisher, s.kind) for s in self.sources.all()], self.attribution_status)

    def record_review(self, on):
        self.last_reviewed = on

    @property
    def review_due_date(self):
        return next_review(self.last_reviewed)

    @property
    def attributed_by_list(self):
        return split_attributed_by(self.attributed_by)

    # The reviewed vocabularies a case page shows (portal/reviewed.py): live terms only.
    SHOWN_TERMS = ("countries", "actors", "tactics", "channels", "targets")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        show_live_terms(self, *self.SHOWN_TERMS)
        context["sources"] = attach_health(self.sources.all())
        context["related_guides"] = localize(self.published_related_guides())
        return context

    def published_related_guides(self):
        """Guides linked from this case or linking to it, published ones only."""
        from guides.models import GuidePage

        linked = self.related_guides.values_list("guide_id", flat=True)
        return (
            GuidePage.objects.published()
            .filter(models.Q(pk__in=linked) | models.Q(related_cases=self))
            .distinct()
            .order_by("title")
        )


class AbstractSource(Orderable):
    """A citation: publisher, title, date (as precise as known), link and archived copy."""

    publisher = models.CharField(max_length=200)
    title = models.CharField(max_length=400)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    url = models.URLField(max_length=1000)
    archived_url = models.URLField("Archived copy", max_length=1000, blank=True)
    kind = models.CharField(max_length=10, choices=SourceKind.choices, default=SourceKind.MEDIA)
    language = models.CharField(max_length=10, default="en", help_text="ISO 639-1 code of the source's language.")

    panels = [
        FieldPanel("publisher"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("date_precision")]),
        FieldPanel("url"),
        FieldPanel("archived_url"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("language")]),
    ]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    @property
    def date_display(self):
        return format_partial_date(self.date, self.date_precision)

    @property
    def archive_link(self):
        """The archived copy to offer readers: the editor's own, else one check_sources found."""
        check = getattr(self, "health", None)
        return self.archived_url or (check.archived_url if check else "")


class CaseSource(AbstractSource):
    """A source cited by a case, shown on the page as a numbered reference."""

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="sources")


class CaseCorrection(Orderable):
    """A dated entry in the case's public corrections log."""

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="corrections")
    date = models.DateField()
    description = models.TextField(help_text="What was wrong and what was changed.")

    panels = [FieldPanel("date"), FieldPanel("description")]


class CaseRelatedGuide(Orderable):
    """A guide that helps defend against what this case shows."""

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="related_guides")
    guide = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("guide", page_type="guides.GuidePage")]
