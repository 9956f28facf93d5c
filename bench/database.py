"""The benchmark database: created when missing, dropped on BENCH_REBUILD, migrated, with the site tree."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections


def _settings():
    return settings.DATABASES["default"]


def vendor():
    return "postgresql" if "postgresql" in _settings()["ENGINE"] else "sqlite"


def _pg_admin_connection(db=None):
    import psycopg

    db = db or _settings()
    return psycopg.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )


def create(db=None):
    """Create the database if it does not exist (SQLite creates its file on first connection).

    `db` is a DATABASES entry (dj_database_url's parse), by default the benchmark's; the load
    test passes its own without configuring Django.
    """
    db = db or _settings()
    if "postgresql" not in db["ENGINE"]:
        return
    name = db["NAME"]
    with _pg_admin_connection(db) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def drop():
    """Drop the benchmark database entirely; the next create() starts from nothing."""
    connections.close_all()
    name = _settings()["NAME"]
    if vendor() == "postgresql":
        if name in ("postgres", "template0", "template1"):
            raise SystemExit(f"Refusing to drop {name!r}: point BENCH_DATABASE_URL at a benchmark database.")
        with _pg_admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{name}{suffix}")
            if path.exists():
                os.remove(path)


def prepare():
    """Create (if needed), migrate and lay out the site tree; return the catalogue page."""
    from portal.site_tree import ensure_site_tree

    create()
    call_command("migrate", interactive=False, verbosity=0)
    _home, cases, _guides = ensure_site_tree()
    return cases


def analyze():
    """Planner statistics and, on PostgreSQL, the visibility map after a bulk load, as autovacuum
    eventually would: without it index-only scans still visit every heap page."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vendor() == "postgresql" else "ANALYZE")


def describe():
    """Vendor, server version and database name, for the report."""
    with connection.cursor() as cursor:
        if vendor() == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {"vendor": vendor(), "version": version, "name": str(_settings()["NAME"])}
