"""Security headers: a strict CSP on public pages and a separate one for the admin,
Permissions-Policy everywhere, an HttpOnly CSRF cookie, HSTS preload only on request."""

import re

import pytest
from django.test import Client, override_settings

from . import production_settings

pytestmark = pytest.mark.django_db

# A <script> that would execute: no src, and not a JSON data block (JSON-LD is data, not code).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)


def directives(header):
    """{'script-src': ["'self'"], ...} from a Content-Security-Policy header."""
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.fixture
def public_urls(case_factory, guide_factory):
    case = case_factory(title="Russian bot network in Moldova", countries=("MD",))
    guide = guide_factory(title="Checklist for election officials")
    return [
        "/",
        "/cases/",
        case.url,
        "/countries/",
        "/countries/moldova/",
        "/guides/",
        guide.url,
        "/search/?q=russian",
        "/api/",
    ]


def test_public_pages_allow_scripts_and_styles_from_self_only(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_public_templates_hold_no_inline_script_or_style(client, public_urls):
    """What the strict policy would block must not be in the pages: code and styles live in static/."""
    for url in public_urls:
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.findall(html), url
        assert not INLINE_STYLE.findall(html), url


def test_home_page_region_bars_are_drawn_without_inline_styles(client, case_factory):
    case_factory(title="One", countries=("KE",))
    case_factory(title="Two", countries=("FR",))
    html = client.get("/").content.decode()
    # Each region has half of the two cases: a bar half as long as the track.
    assert html.count('<rect width="50" height="1">') == 2


def test_admin_has_its_own_policy_that_allows_what_wagtail_needs(client, site_tree):
    public = directives(client.get("/")["Content-Security-Policy"])
    response = client.get("/admin/login/")
    assert response.status_code == 200
    admin = directives(response["Content-Security-Policy"])
    assert admin != public
    assert "'unsafe-inline'" in admin["script-src"]
    assert "'unsafe-inline'" in admin["style-src"]
    assert admin["object-src"] == ["'none'"]
    # Page previews are framed by the admin itself.
    assert admin["frame-ancestors"] == ["'self'"]


def test_a_lookalike_path_outside_the_admin_gets_the_public_policy(client, site_tree):
    response = client.get("/administration/")
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/", "/healthz", "/admin/login/", "/no-such-page/", "/robots.txt"])
def test_every_response_turns_off_powerful_browser_features(client, site_tree, url):
    header = client.get(url)["Permissions-Policy"]
    for feature in ("geolocation", "camera", "microphone", "payment", "usb", "browsing-topics", "interest-cohort"):
        assert f"{feature}=()" in header, (url, feature)


def test_csrf_cookie_is_http_only(client, site_tree):
    response = client.get("/admin/login/")
    cookie = response.cookies["csrftoken"]
    assert cookie.value
    assert cookie["httponly"] is True


def test_admin_login_still_works_with_an_http_only_csrf_cookie(site_tree, django_user_model):
    """The admin reads the token from the form, not from the cookie."""
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    client = Client(enforce_csrf_checks=True)
    html = client.get("/admin/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        "/admin/login/", {"username": "editor", "password": "a-long-password-1", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def _hsts(monkeypatch, **env):
    prod = production_settings.load(monkeypatch, **env)
    with override_settings(
        SECURE_HSTS_SECONDS=prod.SECURE_HSTS_SECONDS,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=prod.SECURE_HSTS_INCLUDE_SUBDOMAINS,
        SECURE_HSTS_PRELOAD=prod.SECURE_HSTS_PRELOAD,
    ):
        return Client().get("/healthz", secure=True)["Strict-Transport-Security"]


def test_hsts_has_no_preload_by_default(monkeypatch, site_tree):
    monkeypatch.delenv("SECURE_HSTS_PRELOAD", raising=False)
    header = _hsts(monkeypatch)
    assert "max-age=31536000" in header
    assert "includeSubDomains" in header
    assert "preload" not in header


def test_hsts_preload_when_the_environment_asks(monkeypatch, site_tree):
    assert _hsts(monkeypatch, SECURE_HSTS_PRELOAD="true").endswith("; preload")
    assert "preload" not in _hsts(monkeypatch, SECURE_HSTS_PRELOAD="no")
