"""Accounts fixtures: an admin editor with a known password, enrolled or not, and real TOTP codes."""

import time
from binascii import unhexlify

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from accounts import twofactor

PASSWORD = "correct horse battery staple"


def totp_code(key, steps_ahead=0):
    """The code an authenticator app holding `key` shows now (or `steps_ahead` 30-second steps later)."""
    totp = TOTP(unhexlify(key), step=twofactor.STEP, digits=twofactor.DIGITS)
    totp.time = time.time() + steps_ahead * twofactor.STEP
    return f"{totp.token():0{twofactor.DIGITS}d}"


@pytest.fixture
def require_2fa(settings):
    settings.PORTAL_REQUIRE_2FA = True


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def editor(db):
    """A superuser: can reach every admin page."""
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


@pytest.fixture
def enrolled(editor):
    """`editor` with a confirmed authenticator app; returns (user, key, recovery codes)."""
    key = default_key()
    TOTPDevice.objects.create(user=editor, name=twofactor.APP_DEVICE_NAME, key=key, confirmed=True)
    codes = twofactor.regenerate_recovery_codes(editor)
    return editor, key, codes


def sign_in(client, username="editor", password=PASSWORD, next_url="/admin/"):
    """Wagtail's sign-in form, as a browser posts it."""
    return client.post("/admin/login/", {"username": username, "password": password, "next": next_url})
