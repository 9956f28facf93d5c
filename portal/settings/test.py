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
