"""Local development: `make run`. Never used in production."""

import os

from .base import *  # noqa: F403

# `make run` serves the demo as visitors see it (the portal's own error pages, no debug
# listings); `make dev` sets DJANGO_DEBUG=true for Django's debug pages while developing.
DEBUG = os.environ.get("DJANGO_DEBUG", "false").lower() == "true"
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Demo accounts for each role are created only under these settings.
PORTAL_DEMO_ACCOUNTS = True

# Accounts (issue 10): demo accounts may try the admin without a second factor; enrolment is
# offered under Account → Two-step verification. Django's admin stays for debugging.
PORTAL_REQUIRE_2FA = False
PORTAL_DJANGO_ADMIN = True
