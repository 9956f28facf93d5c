"""Countries: every ISO 3166-1 country, with its UN M49 region and an editable profile."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from portal.names import country_name, term_name
from portal.reviewed import ReviewedQuerySet, ReviewedSnippet


class CountryQuerySet(ReviewedQuerySet):
    def in_region(self, slug):
        """Countries whose M49 region or sub-region has this slug ("europe", "eastern-africa")."""
        return self.filter(models.Q(region_slug=slug) | models.Q(sub_region_slug=slug))

    def with_case_counts(self):
        """Countries that have published cases, each annotated with `case_count`."""
        from .pages import CaseStudyPage

        # Filtering before annotating makes the count use the same, already filtered join: one
        # pass over the links, and no DISTINCT since a case links to a country once.
        return (
            self.live()
            .filter(cases__in=CaseStudyPage.objects.published())
            .annotate(case_count=models.Count("cases"))
            .order_by("region", "name")
        )


class Country(ReviewedSnippet, index.Indexed):
    """One ISO 3166-1 country, loaded by a data migration from pycountry and country_converter.

    Its profile is reviewed like a page (portal/reviewed.py): a draft edit waits in a revision,
    the row and so the hub and search keep the published profile.
    """

    code = models.CharField("ISO 3166-1 alpha-2", max_length=2, unique=True)
    alpha3 = models.CharField("ISO 3166-1 alpha-3", max_length=3, unique=True)
    numeric = models.CharField("ISO 3166-1 numeric / M49 code", max_length=3)
    name = models.CharField(max_length=100)
    iso_name = models.CharField("ISO name", max_length=150, blank=True)
    official_name = models.CharField(max_length=200, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.CharField("UN M49 region", max_length=40, db_index=True)
    region_slug = models.SlugField(max_length=40, db_index=True)
    sub_region = models.CharField("UN M49 sub-region", max_length=60, db_index=True)
    sub_region_slug = models.SlugField(max_length=60, db_index=True)
    profile = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="Context for the country hub: electoral system, recent elections, the threat picture.",
    )

    objects = CountryQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("code", read_only=True), FieldPanel("slug", read_only=True)],
            heading=_("Country"),
        ),
        MultiFieldPanel(
            [FieldPanel("region", read_only=True), FieldPanel("sub_region", read_only=True)],
            heading=_("UN M49 region"),
        ),
        FieldPanel("profile"),
    ]

    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("iso_name"),
        index.SearchField("code"),
        index.SearchField("alpha3"),
        index.SearchField("profile"),
        index.SearchField("sub_region"),
        index.FilterField("code"),
        index.FilterField("region_slug"),
        index.FilterField("sub_region_slug"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("country-detail", args=[self.slug])

    # The names a visitor reads, in the page's language (portal/names.py); `name` stays English.
    @property
    def label(self):
        return country_name(self.code, self.name)

    @property
    def region_label(self):
        return term_name(self.region)

    @property
    def sub_region_label(self):
        return term_name(self.sub_region)
