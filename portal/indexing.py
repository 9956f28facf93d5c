"""Indexing a case or guide for search once per save, with each of its relations read once.

Wagtail indexes a page on `post_save`, but a page's many-to-many fields and inline sources are
saved after that signal (modelcluster commits them once the row is written), so that entry holds
the previous relations; the portal then indexed the page again on `page_published`. A published
case was so indexed three times (created, saved by the publication, published), and each time
the search backend walked the page's fields once per index column (three passes on SQLite, five
on PostgreSQL), reading every related term again in each.

`IndexedOnSave` indexes the page at the end of its own `save()`, when the relations are saved
too, and tells search/signals.py's `page_published` handler that this save already did it. A
save that only records a draft, a lock or a schedule (DRAFT_FIELDS) leaves the live text as it
was and is not indexed. Within `related_read_once()`, `RelatedOnce` fields (and so
`LiveRelatedFields`, portal/reviewed.py) read each relation of a row once.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from wagtail.search import index

from .versioning import DRAFT_FIELDS

# While an object is indexed: {(model, pk, relation): what it links to}. The backend may index a
# fresh copy of the object (CaseStudyPage.get_indexed_instance reads the live row again), so the
# memo goes by the row, not the Python object.
_memo = ContextVar("related_for_index", default=None)
INDEXED_BY_SAVE = "_indexed_by_save"  # on an instance its last save() indexed


class FixedLinks(models.Manager):
    """A manager over a fixed list or queryset: how the search backends expect a to-many value."""

    def __init__(self, items):
        super().__init__()
        self._items = items

    def all(self):
        return self._items


class RelatedOnce(index.RelatedFields):
    """`index.RelatedFields` whose relation is read once per indexing under `related_read_once`."""

    def get_value(self, obj):
        memo = _memo.get()
        if memo is None:
            return self.read(obj)
        key = (type(obj), obj.pk, self.field_name)
        if key not in memo:
            value = self.read(obj)
            memo[key] = FixedLinks(list(value.all())) if isinstance(value, models.Manager) else value
        return memo[key]

    def read(self, obj):
        return super().get_value(obj)


@contextmanager
def related_read_once():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def index_now(obj):
    """Add `obj` to the search index, or update its entry, reading each relation once."""
    with related_read_once():
        index.insert_or_update_object(obj)


class IndexedOnSave:
    """A page indexed for search at the end of each save that may change its live text."""

    search_auto_update = False  # Wagtail's own post_save indexing, before the relations are saved

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= DRAFT_FIELDS:
            self.__dict__.pop(INDEXED_BY_SAVE, None)
        else:
            index_now(self)
            self.__dict__[INDEXED_BY_SAVE] = True
        return result
