"""Controlled vocabularies editors manage as snippets: tactics, channels, targets, actors.

Terms and actors are reviewed snippets (portal/reviewed.py): the public sees their live version only.
"""

from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from portal.names import term_name
from portal.reviewed import ReviewedSnippet

from ..choices import ActorType

DISARM_TECHNIQUE_URL = "https://github.com/DISARMFoundation/DISARMframeworks/blob/main/generated_pages/techniques/{}.md"


class Term(ReviewedSnippet, index.Indexed):
    """A vocabulary entry: a stable slug (used in URLs and imports), a name and a description."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name", boost=2), index.AutocompleteField("name"), index.SearchField("slug")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        """The name in the page's language (portal/names.py); `name` stays English."""
        return term_name(self.name)


class DisarmTechnique(models.Model):
    """A technique of the DISARM Red Framework, with the framework version its id comes from."""

    external_id = models.CharField("DISARM id", max_length=12)
    name = models.CharField(max_length=200)
    disarm_tactic = models.CharField("DISARM tactic id", max_length=6, blank=True)
    framework_version = models.CharField(max_length=10, default="1.6")

    class Meta:
        ordering = ["external_id"]
        constraints = [
            models.UniqueConstraint(fields=["external_id", "framework_version"], name="unique_disarm_id_per_version")
        ]

    def __str__(self):
        return f"{self.external_id} {self.name}"

    @property
    def url(self):
        return DISARM_TECHNIQUE_URL.format(self.external_id)


class Tactic(Term):
    """An interference tactic in plain words, mapped to the DISARM techniques it covers."""

    # Parental, so that a change waits in the draft revision until the tactic is published.
    disarm_techniques = ParentalManyToManyField(DisarmTechnique, blank=True, related_name="tactics")
    note = models.TextField(blank=True, help_text="Scope notes, e.g. what DISARM does not cover.")

    panels = Term.panels + [FieldPanel("disarm_techniques"), FieldPanel("note")]

    class Meta(Term.Meta):
        pass


class Channel(Term):
    """Where the operation ran: a platform, a medium or offline."""

    class Meta(Term.Meta):
        pass


class Target(Term):
    """Who or what the operation aimed at."""

    class Meta(Term.Meta):
        pass


class ElectionPhase(models.Model):
    """A fixed phase of the electoral cycle (pre-election … post-election), in cycle order."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        """The name in the page's language (portal/names.py); `name` stays English."""
        return term_name(self.name)


class Actor(ReviewedSnippet, index.Indexed):
    """Who did it, as far as known: a named actor with its type and country of origin."""

    name = models.CharField(max_length=200, unique=True)
    actor_type = models.CharField(max_length=40, choices=ActorType.choices, default=ActorType.UNKNOWN, db_index=True)
    country = models.ForeignKey(
        "cases.Country",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actors",
        help_text="Country the actor operates from.",
    )
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("actor_type"), FieldPanel("country"), FieldPanel("description")]
    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.FilterField("actor_type"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
