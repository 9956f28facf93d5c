"""Reads from a PostgreSQL streaming replica, everything else on the primary.

With DATABASE_REPLICA_URL set, portal/settings/base.py adds the "replica" alias, this router and
its middleware. Reads go to the replica; these go to the primary ("default"):

- every write and every migration;
- the content version (portal/versioning.py), which tells every worker on every machine that
  published content changed: a replica that lags must not hide a publication from the token;
- every read in a request that is not GET, HEAD or OPTIONS, and every read after a write in the
  same request or task (read your own writes: a replica replays the primary's commits a moment
  later, so an editor who has just saved must not be shown the page as it was);
- every read in a request that starts while the replica is behind the token (it has not yet
  replayed the last publication): a visitor never sees an older site than the primary's token
  says, and nothing labelled with the new token (indexes, cached pages) is built from old rows.
  The middleware checks this with two one-row reads per request, one on each database;
- every read inside `primary()`, for code that builds something labelled with the token
  (the catalogue index, cases/live_index.py), so that what it builds is at least as new as the token says;
- the related rows of an object read from the primary.

The pin lives in context variables, so each request, thread and task has its own; the middleware
starts each request afresh. Without DATABASE_REPLICA_URL none of this is installed and Django uses
"default" for everything, as on one machine (and in the tests, which call the router directly).
"""

import contextlib
import contextvars

PRIMARY = "default"
REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# (app_label, model_name) read from the primary only: the content version's token.
PRIMARY_ONLY = frozenset({("portal", "contentversion")})

_wrote = contextvars.ContextVar("portal_db_wrote", default=False)
_on_primary = contextvars.ContextVar("portal_db_on_primary", default=False)


def reads_from_primary():
    """True while this request or task reads from the primary (after a write, in `primary()`, not GET)."""
    return _wrote.get() or _on_primary.get()


@contextlib.contextmanager
def primary():
    """Read from the primary inside this block. A write inside it still pins what follows."""
    token = _on_primary.set(True)
    try:
        yield
    finally:
        _on_primary.reset(token)


def content_version(alias):
    """(token, changed_at) of the content version as the database `alias` holds it."""
    from .models import ContentVersion  # not at import time: the settings name this module

    return ContentVersion.objects.using(alias).values_list("token", "changed_at").first()


def replica_behind():
    """True when the replica's content version differs from the primary's: it has not replayed it yet."""
    return content_version(PRIMARY) != content_version(REPLICA)


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS entry: see the module docstring for which alias each query uses."""

    def db_for_read(self, model, **hints):
        if reads_from_primary() or (model._meta.app_label, model._meta.model_name) in PRIMARY_ONLY:
            return PRIMARY
        instance = hints.get("instance")
        if instance is not None and instance._state.db == PRIMARY:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows under either alias

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class PinPrimaryMiddleware:
    """Starts each request with nothing written; reads the primary for anything but GET, HEAD and
    OPTIONS, and for every request while the replica is behind the primary's content version.

    First in MIDDLEWARE, so that the session and the user of a POST come from the primary too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wrote = _wrote.set(False)
        on_primary = _on_primary.set(request.method not in SAFE_METHODS or replica_behind())
        try:
            return self.get_response(request)
        finally:
            _on_primary.reset(on_primary)
            _wrote.reset(wrote)
