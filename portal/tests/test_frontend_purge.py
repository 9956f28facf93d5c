"""A CDN in front is told what changed on publication (portal/frontend_purge.py), after the commit.

The CDN here is a small HTTP server on loopback that records the PURGE requests Wagtail's
HTTPBackend sends, as Varnish or an nginx purge location would receive them.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache

from cases.models import Tactic
from portal.tests import production_settings

pytestmark = pytest.mark.django_db


class PurgeRecorder(BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.server.purged.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    cache.clear()  # Wagtail keeps site root paths there, and a rolled-back test's site is gone
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    server.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "local": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    yield server
    server.shutdown()
    server.server_close()
    cache.clear()


def purged_paths(cdn):
    return {path for _host, path in cdn.purged}


def test_publishing_a_case_purges_its_page_the_catalogue_its_countries_and_home(
    cdn, case_factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_factory(title="Purged case", slug="purged-case", countries=("KE", "UG"))
    assert {"/cases/purged-case/", "/cases/", "/", "/countries/", "/countries/kenya/", "/countries/uganda/"} <= (
        purged_paths(cdn)
    )
    assert {host for host, _path in cdn.purged} == {case.get_site().hostname}


def test_unpublishing_purges_the_same_pages(cdn, case_factory, django_capture_on_commit_callbacks):
    case = case_factory(title="Withdrawn case", slug="withdrawn-case", countries=("KE",))
    cdn.purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case.unpublish()
    assert {"/cases/withdrawn-case/", "/cases/", "/", "/countries/kenya/"} <= purged_paths(cdn)


def test_nothing_is_purged_before_the_publication_commits(cdn, case_factory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case_factory(title="Not yet committed", countries=("KE",))
    assert callbacks and cdn.purged == []


def test_a_published_tactic_rename_purges_the_listings(cdn, site_tree, django_capture_on_commit_callbacks):
    tactic = Tactic.objects.filter(live=True).first()
    tactic.name = "Renamed"
    with django_capture_on_commit_callbacks(execute=True):
        tactic.save_revision()  # a draft purges nothing
    assert cdn.purged == []
    with django_capture_on_commit_callbacks(execute=True):
        tactic.save_revision().publish()
    assert {"/", "/cases/", "/countries/", "/guides/"} <= purged_paths(cdn)


def test_production_settings_build_the_backends_from_the_environment(monkeypatch):
    settings = production_settings.load(
        monkeypatch,
        FRONTEND_CACHE_URL="http://127.0.0.1:6081,http://10.0.0.2:6081",
        CLOUDFLARE_ZONE_ID="zone",
        CLOUDFLARE_API_TOKEN="token",
    )
    backends = settings.WAGTAILFRONTENDCACHE
    assert [b["LOCATION"] for b in backends.values() if b["BACKEND"].endswith("HTTPBackend")] == [
        "http://127.0.0.1:6081",
        "http://10.0.0.2:6081",
    ]
    assert backends["cloudflare"]["ZONEID"] == "zone" and backends["cloudflare"]["BEARER_TOKEN"] == "token"
    for name in ("FRONTEND_CACHE_URL", "CLOUDFLARE_ZONE_ID", "CLOUDFLARE_API_TOKEN"):
        monkeypatch.delenv(name)
    assert production_settings.load(monkeypatch).WAGTAILFRONTENDCACHE == {}
