"""Snippets that pass the commission's review: taxonomy terms and country profiles.

Why: a term's name is public (filters, facets, exports, case and guide pages, search), so a
rename must pass the same "Commission review" as a page. Wagtail's snippet support does the
work: `ReviewedSnippet` is a draft-state, revisioned, lockable snippet under a workflow. An
edit to a live term is saved as a revision only (Wagtail's edit view leaves the row alone for
a live DraftStateMixin object), so the row always holds the live values; many-to-many fields
must be `ParentalManyToManyField`s on a ClusterableModel so that their changes wait in the
revision too. A term created in the admin starts with `live=False` until it is published;
rows written by migrations and the importers get the field's default, `live=True`.

The public reads terms only through `ReviewedQuerySet.live()`: directly, as `Prefetch`es for
the terms linked from pages (`live_prefetches`, `show_live_terms`), and in the search index
(`LiveRelatedFields`). A case linking to a never-published term simply does not show it.
"""

from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from modelcluster.models import ClusterableModel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search.queryset import SearchableQuerySetMixin

from .indexing import FixedLinks, RelatedOnce


class ReviewedQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def live(self):
        """Published terms only: the one definition of what the public may see of a reviewed snippet."""
        return self.filter(live=True)


class ReviewedSnippet(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """A snippet whose changes are drafts until a reviewer publishes them (directly or by the workflow)."""

    objects = ReviewedQuerySet.as_manager()

    class Meta:
        abstract = True


def live_prefetches(model, *relations):
    """`Prefetch`es of `model`'s many-to-many `relations` that hold their live terms only."""
    return [
        Prefetch(relation, queryset=model._meta.get_field(relation).related_model.objects.live())
        for relation in relations
    ]


def show_live_terms(instance, *relations):
    """Make `instance.<relation>.all()` list live terms only (templates read the page's relations).

    A page built from a revision (preview, compare) keeps its relations in memory; editors see
    all of its terms there, and nothing is fetched.
    """
    if instance.pk and not getattr(instance, "_cluster_related_objects", None):
        prefetch_related_objects([instance], *live_prefetches(type(instance), *relations))


class LiveRelatedFields(RelatedOnce):
    """`index.RelatedFields` over the live terms only: a draft or unpublished term's words never reach search."""

    def read(self, obj):
        items = super().read(obj).all()
        if hasattr(items, "live"):
            items = items.live()
        else:  # a page built from a revision keeps its links in memory
            items = [item for item in items if item.live]
        return FixedLinks(items)
