"""The content version: one token that changes whenever what the public sees may have changed.

Anything derived from the published content and kept between requests (the catalogue's
in-memory index, cases/live_index.py) is labelled with the token it was built from and rebuilt
when the token differs. The token lives in the database, not in Django's cache, so it is shared by
every process, committed or rolled back with the change itself, and survives a cache flush.

It moves on: publishing and unpublishing; moving a page; creating, saving or deleting a page
(but not saving a draft revision or a lock, which leave the live page as it was), a privacy
restriction, a site or an editor's pick for search; saving or deleting anything else of the
cases and guides apps (countries, actors, tactics, sources…); and changing their many-to-many
links. Reviewed snippets (terms and country profiles, portal/reviewed.py) move it on when they
are published or unpublished, or their live row changes; not when a draft is saved, submitted
or locked, nor when a never-published term is written, since the public sees none of that.
Code that writes rows without signals (the benchmark builder's bulk inserts) calls `bump()` itself.
"""

import contextvars
import datetime
import uuid
from contextlib import contextmanager

from django.db import InterfaceError, OperationalError, connections, router
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import COMMENTS_RELATION_NAME, DraftStateMixin, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from .models import ContentVersion

ROW = 1
WATCHED_APPS = frozenset({"cases", "guides"})
WATCHED_MODELS = (Page, PageViewRestriction, Site, SearchPromotion)


def current():
    """The token now in force (None before the first change on an emptied database)."""
    return ContentVersion.objects.filter(pk=ROW).values_list("token", flat=True).first()


def current_with_time():
    """(token, when it last moved on) in one query; (None, None) before the first change."""
    return ContentVersion.objects.filter(pk=ROW).values_list("token", "changed_at").first() or (None, None)


def read_at_request_start():
    """current_with_time() for the page cache: one round trip, at the start of a request.

    The read itself shows whether a kept connection still works, so Django's health check (a
    `SELECT 1` before the first query of each request) is not run before it; a connection found
    broken is closed and the read tried once more on a new one, as the health check would have.
    (Inside a transaction, where closing the connection would lose it, the check is left to Django.)
    """
    connection = connections[router.db_for_read(ContentVersion)]
    outside_transaction = not connection.in_atomic_block
    meta, quote = ContentVersion._meta, connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in ("token", "changed_at"))
    sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"
    for attempt in (1, 2):
        if outside_transaction and connection.connection is not None:
            connection.health_check_done = True  # this query is the check
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, [ROW])
                row = cursor.fetchone()
            break
        except (OperationalError, InterfaceError):
            if not outside_transaction or attempt == 2:
                raise
            connection.close()
    if not row:
        return None, None
    token, changed_at = row
    if isinstance(changed_at, str):  # SQLite hands a raw cursor the text it stores
        changed_at = parse_datetime(changed_at)
    if changed_at is not None and timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, datetime.UTC)
    return token, changed_at


# Set while something is made from data known to lag behind the version now in force: a masked
# copy of an older catalogue index while its rebuild runs (cases/live_index.py). Whatever is made
# so must not be kept under this version (the page cache, the search cache, a CDN): it would stay
# behind after the rebuild lands, until the next change.
_lagging = contextvars.ContextVar("portal_content_lagging", default=False)


def mark_lagging():
    """Say that what is being made now lags behind the content version (see above)."""
    _lagging.set(True)


@contextmanager
def watching_lag():
    """Yield a function telling whether anything in the block marked itself lagging. The mark
    reaches enclosing watchers too (a search inside a page inside the page cache)."""
    before = _lagging.get()
    _lagging.set(False)
    try:
        yield _lagging.get
    finally:
        _lagging.set(before or _lagging.get())


def bump():
    token, now = uuid.uuid4().hex, timezone.now()
    if not ContentVersion.objects.filter(pk=ROW).update(token=token, changed_at=now):
        ContentVersion.objects.update_or_create(pk=ROW, defaults={"token": token, "changed_at": now})


def _watched(model):
    if model.__module__ == "__fake__":
        return False  # a migration's historical model: the content version table may not exist yet
    return model._meta.app_label in WATCHED_APPS or issubclass(model, WATCHED_MODELS)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(published)
@receiver(unpublished)
def bump_on_publishing(sender, **kwargs):
    bump()


# What saving a draft, locking or scheduling writes to a page row: the live version is unchanged.
DRAFT_FIELDS = frozenset(
    {
        COMMENTS_RELATION_NAME,
        "latest_revision_created_at",
        "draft_title",
        "latest_revision",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "go_live_at",
        "expire_at",
    }
)


@receiver(post_save)
def bump_on_save(sender, created=False, update_fields=None, **kwargs):
    if not _watched(sender):
        return
    if issubclass(sender, Page) and not created and update_fields and set(update_fields) <= DRAFT_FIELDS:
        return  # a draft or a lock: editors save often, and rebuilding on each would be wasted
    if issubclass(sender, DraftStateMixin) and not issubclass(sender, Page):
        instance = kwargs.get("instance")
        if (update_fields and set(update_fields) <= DRAFT_FIELDS) or not instance.live:
            return  # a reviewed snippet's draft, lock or never-published row (unpublishing signals)
    bump()


@receiver(post_delete)
@receiver(post_page_move)
def bump_on_change(sender, **kwargs):
    if _watched(sender):
        bump()


@receiver(m2m_changed)
def bump_on_links(sender, action, **kwargs):
    if action.startswith("post_") and _watched(sender):
        bump()
