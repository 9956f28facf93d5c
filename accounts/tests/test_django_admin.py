"""Django's own admin, a second sign-in form without lockout or second factor, is not served in production."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import clear_url_caches

pytestmark = pytest.mark.django_db


def production_settings():
    """The production settings module's values, read in a fresh interpreter with its environment set."""
    names = ["PORTAL_DJANGO_ADMIN", "PORTAL_REQUIRE_2FA", "AUTHENTICATION_BACKENDS", "MIDDLEWARE"]
    script = (
        "import json, portal.settings.production as p; "
        f"print(json.dumps({{name: getattr(p, name) for name in {names!r}}}))"
    )
    env = {**os.environ, "SECRET_KEY": "test-production-settings-" + "x" * 40, "ALLOWED_HOSTS": "portal.example.org"}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return SimpleNamespace(**json.loads(out.stdout))


@pytest.fixture
def urlconf_with(settings):
    """Rebuild portal.urls under a value of PORTAL_DJANGO_ADMIN; put it back afterwards."""
    import portal.urls

    def build(django_admin):
        settings.PORTAL_DJANGO_ADMIN = django_admin
        importlib.reload(portal.urls)
        clear_url_caches()

    yield build
    settings.PORTAL_DJANGO_ADMIN = False
    importlib.reload(portal.urls)
    clear_url_caches()


def test_production_settings_require_the_second_factor_and_drop_django_admin():
    production = production_settings()
    assert production.PORTAL_DJANGO_ADMIN is False
    assert production.PORTAL_REQUIRE_2FA is True
    assert production.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert "accounts.middleware.RequireSecondFactorMiddleware" in production.MIDDLEWARE
    assert production.MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") < production.MIDDLEWARE.index(
        "accounts.middleware.RequireSecondFactorMiddleware"
    )


def test_django_admin_is_404_in_the_production_url_conf(client, urlconf_with):
    urlconf_with(production_settings().PORTAL_DJANGO_ADMIN)
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/login/").status_code == 404
    assert client.post("/django-admin/login/", {"username": "a", "password": "b"}).status_code == 404


def test_django_admin_is_there_in_development(client, urlconf_with):
    dev = importlib.import_module("portal.settings.dev")
    urlconf_with(dev.PORTAL_DJANGO_ADMIN)
    response = client.get("/django-admin/login/")
    assert response.status_code == 200
    assert dev.PORTAL_REQUIRE_2FA is False
