"""Home page, standard pages, health check, robots.txt, sitemap and settings."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_home_page_says_what_the_portal_is_and_shows_latest_cases_and_regions(client, case_factory, guide_factory):
    case_factory(title="Kenya case", countries=("KE",))
    case_factory(title="Taiwan case", countries=("TW",))
    case_factory(title="Two-region case", countries=("UA", "TW"))
    guide_factory(title="Protecting campaigns")
    html = client.get("/").content.decode()
    assert "Election Integrity Portal" in html
    assert "reference knowledge base of election interference" in html
    assert "Who runs this portal" in html
    for title in ("Kenya case", "Taiwan case", "Two-region case", "Protecting campaigns"):
        assert title in html
    # Counts by region: a table with a caption, Asia has two cases, Africa and Europe one each.
    assert "<caption" in html
    table = html[html.index('id="regions-heading"') :]
    assert 'href="/cases/?region=asia">Asia</a></th>' in table
    asia_row = table[table.index("?region=asia") : table.index("</tr>", table.index("?region=asia"))]
    assert "</span> 2</td>" in asia_row
    assert "<strong>3</strong> published cases" in html
    assert "<strong>3</strong> countries whose elections were targeted" in html


def test_standard_page_renders(client, site_tree):
    html = client.get("/methodology/").content.decode()
    assert "<h1>Methodology</h1>" in html
    assert "strongest attribution that exists" in html


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_admin(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    # The Site record's host (see portal/absolute_urls.py), not the request's Host header.
    assert "Sitemap: http://localhost/sitemap.xml" in text


def test_sitemap_lists_published_cases_and_country_hubs(client, case_factory):
    case = case_factory(title="Mapped case", countries=("KE",))
    draft = case_factory(title="Draft case", publish=False)
    xml = client.get("/sitemap.xml").content.decode()
    assert f"/cases/{case.slug}/" in xml
    assert "/countries/kenya/" in xml
    assert f"/cases/{draft.slug}/" not in xml


def test_pages_are_landmarked_and_skippable(client, case_factory):
    case = case_factory()
    for url in ("/", "/cases/", case.url, "/countries/", "/countries/kenya/", "/guides/", "/elections/"):
        html = client.get(url).content.decode()
        assert '<a class="skip-link" href="#main">' in html, url
        assert '<main id="main"' in html and '<nav aria-label="Main">' in html, url
        assert html.count("<h1") == 1, url


def _production_check(env):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production", **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "env, message",
    [
        ({"SECRET_KEY": "", "ALLOWED_HOSTS": "portal.example.org"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set"),
    ],
)
def test_production_settings_refuse_to_start_half_configured(env, message):
    result = _production_check(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_home_page_title_names_the_site_once(client, site_tree):
    html = client.get("/").content.decode()
    title = html[html.index("<title>") + 7 : html.index("</title>")]
    assert title.count("Election Integrity Portal") == 1


def test_a_missing_page_gets_the_portals_own_404(client, site_tree):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert 'href="/cases/"' in html and 'name="robots" content="noindex"' in html
    assert "URLconf" not in html  # never Django's debug listing of every URL pattern


def test_the_500_page_renders_without_a_request_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_make_run_serves_with_debug_off_unless_asked(monkeypatch):
    code = "from django.conf import settings; print(settings.DEBUG)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    env.pop("DJANGO_DEBUG", None)
    run = [sys.executable, "-c", "import django; django.setup(); " + code]
    assert subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout.strip() == "False"
    env["DJANGO_DEBUG"] = "true"
    assert subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout.strip() == "True"


def test_no_gravatar_requests_from_the_admin():
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
