"""One migrated database per engine and code version, copied wherever a test needs a new one.

Migrating costs about half a minute, nearly all of it Django working out the models' states
between 246 migrations, and a test run needed it five times over: each pytest-xdist worker's
test database and the backup test's source database, on each engine. Now the first process to
need it migrates a template (and commits the site tree, which about half the tests use); the
others wait for it and copy it:

- PostgreSQL: `CREATE DATABASE … TEMPLATE` (Django's `TEST["TEMPLATE"]` setting), a file copy
  inside the server;
- SQLite: the template file copied into the worker's in-memory test database with SQLite's
  backup API, as Django's own parallel runner copies its clones.

The template is named by a digest of every migration file, the site tree's module and the
installed packages' versions, so a changed schema gets a template of its own (and the old one is
dropped). Django's `migrate` still runs on each copy, finds nothing to apply and so checks that
the copy is complete.

`python -m tests.template_db` builds the template of the database DATABASE_URL names (`--path`:
print only its name): `make test` builds both engines' at once, one per core, before the suites
need them, and the stack check starts its SQLite database from that template.
"""

import fcntl
import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "portal_test_template_"
SITE_TREE = "from portal.site_tree import ensure_site_tree; ensure_site_tree()"


@functools.cache
def digest():
    """What the template's contents depend on: the migrations, the site tree, the packages.

    Read once per process: every worker asks for the template's name, the backup test again."""
    files = []
    for app in apps.get_app_configs():
        module, _explicit = MigrationLoader.migrations_module(app.label)
        # Found, not imported: some packages' migrations query the database when imported.
        try:
            spec = importlib.util.find_spec(module) if module else None
        except ModuleNotFoundError:
            spec = None
        if spec and spec.submodule_search_locations:
            files += sorted(Path(spec.submodule_search_locations[0]).glob("*.py"))
    files.append(ROOT / "portal" / "site_tree.py")
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    hashed = hashlib.blake2b(digest_size=6)
    for path in files:
        hashed.update(path.read_bytes())
    hashed.update("\n".join(packages).encode())
    return hashed.hexdigest()


def is_postgres(database=None):
    return (database or settings.DATABASES["default"])["ENGINE"] == "django.db.backends.postgresql"


def template_name(database=None):
    """The template database's name (PostgreSQL) or file path (SQLite) for this code version."""
    if is_postgres(database):
        return PREFIX + digest()
    return str(Path(tempfile.gettempdir()) / f"{PREFIX}{digest()}.sqlite3")


def ensure_template(database=None):
    """The template's name, migrated and holding the site tree; built here if missing.

    Processes that ask at once (the test workers, `make test`'s two engines) wait on a file lock
    while the first builds it.
    """
    database = database or settings.DATABASES["default"]
    name = template_name(database)
    lock_path = Path(tempfile.gettempdir()) / f"{PREFIX}{'pg' if is_postgres(database) else 'sqlite'}.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _exists(database, name):
            _build(database, name)
    return name


def server(database):
    """An autocommit connection to the PostgreSQL server of `database`, for creating and dropping databases."""
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        autocommit=True,
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"] or None,
    )


def url(database, name):
    """DATABASE_URL for database `name` (a file path on SQLite) on the server of `database`."""
    if not is_postgres(database):
        return f"sqlite:///{name}"
    auth = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return f"postgres://{auth}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{name}"


def _exists(database, name):
    if not is_postgres(database):
        return Path(name).exists()
    with server(database) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def _build(database, name):
    """Migrate a new database under a temporary name, then give it the template's (so a build cut
    short never passes for a template). Templates of other code versions are dropped."""
    building = name + "_building" if is_postgres(database) else name + ".building"
    if is_postgres(database):
        import psycopg

        with server(database) as conn:
            stale = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [PREFIX + "%"]).fetchall()
            for (old,) in stale:
                try:  # another checkout's run may be copying its template right now: leave that one
                    conn.execute(f'DROP DATABASE "{old}"')
                except psycopg.errors.ObjectInUse:
                    pass
            conn.execute(f'CREATE DATABASE "{building}"')
    else:
        for old in Path(name).parent.glob(PREFIX + "*.sqlite3*"):
            old.unlink()
    env = {**os.environ, "DATABASE_URL": url(database, building), "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (["migrate", "--noinput", "-v", "0"], ["shell", "--no-imports", "-c", SITE_TREE]):
        result = subprocess.run([*manage, *args], cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"building the test template failed: manage.py {args[0]}\n{result.stderr}")
    if is_postgres(database):
        with server(database) as conn:
            conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    else:
        for suffix in ("-wal", "-shm"):  # a clean exit checkpoints the WAL; nothing should be left
            Path(building + suffix).unlink(missing_ok=True)
        os.replace(building, name)


def copy_sqlite(template, target):
    """Copy the SQLite template into `target` (a path, or an open sqlite3 connection)."""
    with closing(sqlite3.connect(f"file:{template}?mode=ro", uri=True)) as source:
        if isinstance(target, sqlite3.Connection):
            source.backup(target)
        else:
            with closing(sqlite3.connect(target)) as copy:
                source.backup(copy)


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    django.setup()
    name = ensure_template()
    print(name if "--path" in sys.argv else f"test template: {name}")
