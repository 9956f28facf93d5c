"""Shared fixtures: the site tree every page test needs, the factories, and the real demo data."""

import json
import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from portal.site_tree import ensure_site_tree
from tests.factories import make_case, make_guide


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
def english_by_default(settings):
    """Each test starts in English: a request under /fr/ or /es/ leaves its language active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


# The demo data takes longer to load than most test files take to run. The tests that use it are
# moved to the start of the collection, so that they come one after another; it is loaded once for
# each such run of tests and rolled back after the last. Under pytest-xdist (make test) the
# scheduler below gives one worker every test of the files that use it, as one unit of work,
# first; the other worker starts on the rest. So the demo is loaded once per database, instead of
# once per file as under plain `--dist loadfile`. (`--dist loadgroup` cannot do this here:
# pytest-xdist 3.8 writes the group into an attribute pytest 9 no longer reads.)
_demo = {"open": None, "next_uses_it": False}
DEMO_UNIT = "demo-data"
ROOT = Path(__file__).resolve().parent
SKIPPED_DIRS = {".venv", ".git", "node_modules", "staticfiles", "media", "__pycache__"}


def _uses_demo(item):
    return "demo_data" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering
def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: not _uses_demo(item))  # stable: the demo tests first, together, in their order


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


def pytest_xdist_make_scheduler(config, log):
    """Each test file is one unit of work (as `--dist loadfile`), but the files that use the demo
    data are one unit together, so one worker loads it once. Units go largest first."""
    from xdist.scheduler import LoadScopeScheduling

    together = demo_files()

    class DemoTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            path = nodeid.split("::", 1)[0]
            return DEMO_UNIT if path in together else path

    return DemoTogether(config, log)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    _demo["next_uses_it"] = nextitem is not None and _uses_demo(nextitem)
    yield
    if not _demo["next_uses_it"]:
        # The last demo test, even when the next test is in the same file and so the module's
        # fixture stays up: the file's other tests must not see the demo (one file run alone).
        _close_demo()


def _close_demo():
    if _demo["open"] is not None:
        unblocked, atomic = _demo["open"]
        _demo["open"] = None
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        unblocked.__exit__(None, None, None)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The real demo cases and guides (load_demo), loaded in a transaction that is rolled back after
    the last of the tests that use them and run one after another (see above).

    Each test still runs in its own savepoint inside this transaction, so what one test changes
    is undone before the next.
    """
    if _demo["open"] is None:
        unblocked, atomic = django_db_blocker.unblock(), transaction.atomic()
        unblocked.__enter__()
        atomic.__enter__()
        _demo["open"] = (unblocked, atomic)
        call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    yield
    if not _demo["next_uses_it"]:
        _close_demo()


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
