"""Keep the search index current with what the public can see.

Wagtail indexes a page on save, but a page's many-to-many fields and inline sources are saved
after that signal, so the first index entry of a publish can hold the previous countries,
actors or sources. Reindexing on `page_published` (sent once everything is saved) fixes that;
unpublishing removes the entry; publishing a country, actor or term (a rename, or one published
for the first time) reindexes the cases and guides using it. Only live terms are indexed
(portal/reviewed.py); saving a term's draft changes nothing public, so nothing is reindexed.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from cases.models import Actor, CaseStudyPage, Channel, Country, Tactic, Target
from guides.models import Audience, GuidePage, Programme, Topic
from portal.versioning import DRAFT_FIELDS

SEARCHED_PAGES = (CaseStudyPage, GuidePage)


@receiver(page_published)
def reindex_published_page(sender, instance, **kwargs):
    page = instance.specific
    if isinstance(page, SEARCHED_PAGES):
        index.insert_or_update_object(page)


@receiver(page_unpublished)
def unindex_unpublished_page(sender, instance, **kwargs):
    page = instance.specific
    if isinstance(page, SEARCHED_PAGES):
        index.remove_object(page)


def reindex_cases_of(term):
    for case in CaseStudyPage.objects.published().filter(pk__in=term.cases.values("pk")):
        index.insert_or_update_object(case)


def reindex_guides_of(term):
    for guide in GuidePage.objects.published().filter(pk__in=term.guides.values("pk")):
        index.insert_or_update_object(guide)


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
