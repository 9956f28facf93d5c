"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
thread with a running loop unless told the caller knows what it is doing. The test code's ORM
calls (fixtures building data) run before any await, so allowing it here is safe.
"""

import os
import shutil

import pytest
from django.db import connections
from django.test import TransactionTestCase

from tests.e2e import snapshots

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            if snapshots.supported():
                # Snapshots put the database back (below), not Django's serialization: without this,
                # setting up the databases would serialize them for nothing.
                item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=False))


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}; .ci/run installs it with apt")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab; `page.base` is the live server's root URL."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.base = live_server.url
    yield tab
    context.close()


@pytest.fixture(autouse=True)
def keep_serialized_rollback(browser, django_db_blocker):
    """Give the connection the browser tests use the database's serialized contents (SQLite).

    Browser tests are transactional (the live server reads the data from another thread) and
    roll back by flushing and reloading what setup_databases serialized. With Playwright's event
    loop running, Django hands out a fresh connection object without those contents, so the
    flush after a test would wipe the data migrations (countries, vocabularies) for every test
    that runs later. The database is still pristine here: this runs before fixtures add data, and
    every browser test ends by putting it back, so it is serialized once per process, not per test.
    On PostgreSQL, snapshots do this instead (below).
    """
    if snapshots.supported():
        return
    with django_db_blocker.unblock():
        for conn in connections.all():
            if not hasattr(conn, "_test_serialized_contents"):
                if conn.alias not in _pristine:
                    _pristine[conn.alias] = conn.creation.serialize_db_to_string()
                conn._test_serialized_contents = _pristine[conn.alias]


_pristine = {}  # alias: the database's serialized contents before any browser test added data
PRISTINE = "pristine"


@pytest.fixture(scope="session", autouse=True)
def restore_instead_of_flushing(django_db_setup, django_db_blocker):
    """On PostgreSQL, a snapshot of the pristine database, taken before the first browser test and
    restored after each in place of Django's flush (whose TRUNCATE of every table costs more than
    putting the few thousand rows back); the test database is so left pristine for the next run."""
    if not snapshots.supported():
        yield
        return
    with django_db_blocker.unblock():
        snapshots.take(PRISTINE)
    flush = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = lambda self: snapshots.restore(PRISTINE)
    yield
    TransactionTestCase._fixture_teardown = flush
