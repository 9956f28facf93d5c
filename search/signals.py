"""Keep the search index current with what the public can see.

Cases and guides index themselves at the end of each save that may change their live text,
once their relations are saved too (portal/indexing.py): creating a page indexes it, so an
editor finds a new draft in the admin's search. A publication saves the page and then sends
`page_published`, which reindexes only a page that save did not (the publication is the save's).
Unpublishing removes the entry; publishing a country, actor or term (a rename, or one
published for the first time) reindexes the cases and guides using it. Only live terms are
indexed (portal/reviewed.py); saving a term's draft changes nothing public, so nothing is
reindexed.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from modelsearch.signal_handlers import post_delete_signal_handler
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from cases.models import Actor, CaseStudyPage, Channel, Country, Tactic, Target
from guides.models import Audience, GuidePage, Programme, Topic
from portal.indexing import INDEXED_BY_SAVE, index_now
from portal.versioning import DRAFT_FIELDS

SEARCHED_PAGES = (CaseStudyPage, GuidePage)


@receiver(post_delete, sender=CaseStudyPage)
@receiver(post_delete, sender=GuidePage)
def unindex_deleted_page(sender, instance, **kwargs):
    post_delete_signal_handler(instance)


@receiver(page_published)
def reindex_published_page(sender, instance, **kwargs):
    page = instance.specific
    if isinstance(page, SEARCHED_PAGES) and not page.__dict__.pop(INDEXED_BY_SAVE, False):
        index_now(page)


@receiver(page_unpublished)
def unindex_unpublished_page(sender, instance, **kwargs):
    page = instance.specific
    if isinstance(page, SEARCHED_PAGES):
        index.remove_object(page)


def reindex_cases_of(term):
    for case in CaseStudyPage.objects.published().filter(pk__in=term.cases.values("pk")):
        index_now(case)


def reindex_guides_of(term):
    for guide in GuidePage.objects.published().filter(pk__in=term.guides.values("pk")):
        index_now(guide)


@receiver(post_save, sender=Actor)
@receiver(post_save, sender=Country)
@receiver(post_save, sender=Tactic)
@receiver(post_save, sender=Channel)
@receiver(post_save, sender=Target)
@receiver(post_save, sender=Audience)
@receiver(post_save, sender=Topic)
@receiver(post_save, sender=Programme)
def reindex_pages_of_renamed_term(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if created or raw or (update_fields and set(update_fields) <= DRAFT_FIELDS):
        return
    if hasattr(instance, "cases"):
        reindex_cases_of(instance)
    if hasattr(instance, "guides"):
        reindex_guides_of(instance)
