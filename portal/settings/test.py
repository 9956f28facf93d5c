"""Test settings: fast hashing, in-memory email, no manifest needed for static files."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "dbbackup": PORTAL_BACKUP_STORAGE,  # noqa: F405
}
PORTAL_DEMO_ACCOUNTS = False
PORTAL_API_ANON_RATE = "100000/min"  # the throttling test sets its own rate

# Accounts (issue 10): off by default so tests that sign in with force_login/client.login keep
# working; accounts/tests turn each on where they test it.
PORTAL_REQUIRE_2FA = False
AXES_ENABLED = False

# Rebuild the catalogue index on the request that sees a change, so that a test sees its
# publication at once; cases/tests/test_live_index.py tests the background path.
CATALOGUE_INDEX_BACKGROUND = False
# The page cache would serve one test's page to the next (a rolled-back test leaves the content
# version where it was): off here, on in the tests of the page cache itself.
PORTAL_PAGE_CACHE = {**PORTAL_PAGE_CACHE, "SECONDS": 0}  # noqa: F405
WAGTAILFRONTENDCACHE = {}
# Tests flush buffered search hits themselves (search/hits.py), never from a background thread.
SEARCH_HITS_LOCAL_FLUSH_SECONDS = 0

# A test run need not wait for PostgreSQL to flush each commit to disk (migrating the test
# databases, the browser tests' flushes); what a crash could lose is a test database.
for _database in DATABASES.values():  # noqa: F405
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
