"""Local development: `make run`. Never used in production."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Demo accounts for each role are created only under these settings.
PORTAL_DEMO_ACCOUNTS = True

# Accounts (issue 10): demo accounts may try the admin without a second factor; enrolment is
# offered under Account → Two-step verification. Django's admin stays for debugging.
PORTAL_REQUIRE_2FA = False
PORTAL_DJANGO_ADMIN = True
