"""Shared fixtures: the site tree every page test needs, the factories, and the real demo data."""

import json
import os
import sqlite3
import time
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from portal.site_tree import ensure_site_tree
from tests import shared_data, template_db
from tests.factories import make_case, make_guide
from tests.shared_data import close_shared, shared_fixture, shared_name


@pytest.fixture(autouse=True)
def fresh_catalogue_index():
    """Each test starts with no catalogue index in this process. A rolled-back (or flushed and
    reloaded) test puts the content version back where it was, so an index built from an earlier
    test's cases would otherwise look current to the next test."""
    from cases.live_index import _live

    _live.forget()
    yield
    _live.forget()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache. Tests that share data (see shared() below) also share
    its content version, so a page or search cached by one test would otherwise reach the next."""
    from portal.page_cache import local_entries

    cache.clear()
    local_entries.clear()
    yield
    cache.clear()
    local_entries.clear()


@pytest.fixture(autouse=True)
def english_by_default(settings):
    """Each test starts in English: a request under /fr/ or /es/ leaves its language active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Each test database starts as a copy of one migrated template (tests/template_db.py).

    The template holds the site tree: about half the tests need it, and building it (three
    published pages) cost each of them about a second on PostgreSQL. The tests roll back whatever
    they change, so it stays as built; the browser tests, which empty the database, put it back
    (tests/e2e/snapshots.py).
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    template = template_db.ensure_template()
    if template_db.is_postgres():
        database.setdefault("TEST", {})["TEMPLATE"] = template
        yield
        return
    from django.db.backends.sqlite3.creation import DatabaseCreation

    create, kept = DatabaseCreation._create_test_db, []

    def create_from_template(self, *args, **kwargs):
        name = create(self, *args, **kwargs)
        if self.is_in_memory_db(name):
            # The shared in-memory database lives while a connection to it is open: this one
            # stays open until Django's own has connected.
            kept.append(sqlite3.connect(name, uri=True))
            template_db.copy_sqlite(template, kept[-1])
        return name

    with mock.patch.object(DatabaseCreation, "_create_test_db", create_from_template):
        yield
    for connection in kept:
        connection.close()


@pytest.fixture
def site_tree(db):
    """(home, case index, guide index), as load_demo creates them, without the demo data."""
    return ensure_site_tree()


@pytest.fixture
def media_on_disk(settings, tmp_path):
    """Uploads stored on disk, as in production (Wagtail serves a stored document from its path)."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    cache.clear()  # Wagtail caches renditions by image id, and ids come round again between tests


@pytest.fixture
def case_factory(site_tree):
    return make_case


@pytest.fixture
def guide_factory(site_tree):
    return make_guide


# Data that takes longer to build than most tests take to run (the real demo, the catalogue's
# known cases) is built once for a run of consecutive tests that use it, in a transaction rolled
# back after the last of them; each test still runs in its own savepoint inside it, so what one
# test changes is undone before the next. `shared()` (tests/shared_data.py) opens it, pytest_runtest_teardown below
# closes it. The tests that use the demo data are moved to the start of the collection, and in
# every other file the tests that use shared data come first, so that its users come one after
# another. Under pytest-xdist (make test) the scheduler below gives one worker every test of the
# files that use the demo, as one unit of work, first; the other worker starts on the rest. So
# the demo is loaded once per database, and the catalogue once per file, instead of once per test.
# (`--dist loadgroup` cannot do this here: pytest-xdist 3.8 writes the group into an attribute
# pytest 9 no longer reads.)
DEMO_UNIT = "demo-data"
ROOT = Path(__file__).resolve().parent
SKIPPED_DIRS = {".venv", ".git", "node_modules", "staticfiles", "media", "__pycache__"}


def _uses(item, name):
    return name in getattr(item, "fixturenames", ())


def _uses_demo(item):
    return _uses(item, "demo_data")


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering
def pytest_collection_modifyitems(config, items):
    """The demo tests first, together, in their order; then each file's tests, those using shared data first."""
    files = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], len(files))

    def order(item):
        if _uses_demo(item):
            return (0, 0, 0)
        fixtures = shared_data.FIXTURES  # made by shared_fixture(), in every conftest and test file
        first_shared = next((n for n, name in enumerate(fixtures) if _uses(item, name)), len(fixtures))
        return (1, files[item.nodeid.split("::", 1)[0]], first_shared)

    items.sort(key=order)  # stable: otherwise in collection order


def demo_files(root=ROOT):
    """The test files that use the demo data, as pytest names them ("cases/tests/test_stix.py")."""
    found = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [name for name in dirs if name not in SKIPPED_DIRS]
        for name in files:
            path = Path(folder) / name
            if name.startswith("test_") and name.endswith(".py") and "demo_data" in path.read_text(encoding="utf-8"):
                found.add(path.relative_to(root).as_posix())
    return found


# Files of few tests that take long (a minute of subprocesses): pytest-xdist sends the units with
# the most tests first, which left these for last, with the other worker idle while they ran.
SLOW_FILES = ("portal/tests/test_backups.py",)


def pytest_xdist_make_scheduler(config, log):
    """Each test file is one unit of work (as `--dist loadfile`), but the files that use the demo
    data are one unit together, so one worker loads it once. Units go largest first, except that
    SLOW_FILES go right after the first units."""
    from xdist.scheduler import LoadScopeScheduling

    together = demo_files()

    class DemoTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            path = nodeid.split("::", 1)[0]
            return DEMO_UNIT if path in together else path

        def schedule(self):
            first = self.collection is None
            super().schedule()  # the first units of work go out here, largest first
            if first:
                for scope in reversed([scope for scope in self.workqueue if scope in SLOW_FILES]):
                    self.workqueue.move_to_end(scope, last=False)

    return DemoTogether(config, log)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # After the test's own savepoint is rolled back; also after the last user of the shared data
    # when the next test is in the same file and so the module's fixture stays up: the file's
    # other tests must not see it.
    name = shared_name()
    if name and not (nextitem is not None and _uses(nextitem, name)):
        close_shared()


# The real demo cases and guides (load_demo), loaded once for the consecutive tests that use them
# and rolled back after the last (see above).
demo_data = shared_fixture("demo_data", lambda: call_command("load_demo", stdout=StringIO(), stderr=StringIO()))


# --- Where the suite's time goes: PORTAL_TEST_CPU_REPORT=prefix appends each test's CPU seconds
# (this process's, setup + call + teardown: fixtures included) and wall seconds to
# prefix.<worker>.jsonl as it finishes. CPU time stays comparable on a busy machine, where wall
# time does not (make test-profile).
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    target = os.environ.get("PORTAL_TEST_CPU_REPORT")
    if not target:
        yield
        return
    cpu, wall = time.process_time(), time.perf_counter()
    yield
    cpu, wall = round(time.process_time() - cpu, 3), round(time.perf_counter() - wall, 3)
    line = {"test": item.nodeid, "cpu": cpu, "wall": wall}
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with Path(f"{target}.{worker}.jsonl").open("a") as report:
        report.write(json.dumps(line) + "\n")
