"""check_sources and what it feeds: link status, Wayback copies, the Source health report and the case page.

Every request goes to a small HTTP server on 127.0.0.1 run in a thread by these tests (a fake Wayback
Machine included) or to a port nothing listens on; nothing here touches the internet.
"""

import datetime
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from cases.linkcheck import check_url, run_checks
from cases.models import CaseSource, SourceCheck
from guides.models import GuideSource
from portal.moderation import CONTRIBUTORS, ensure_moderation

AGENT = "PortalTest/1.0 (+https://portal.example)"


class Handler(BaseHTTPRequestHandler):
    lock = threading.Lock()

    def do_GET(self):
        server = self.server
        path, _, query = self.path.partition("?")
        with self.lock:
            server.requests.append((path, self.headers.get("User-Agent")))
        if path in ("/ok", "/kept"):
            self.reply(200, b"<p>still here</p>")
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", f"{server.base}/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path in ("/gone", "/removed", "/broken"):
            self.reply({"/gone": 404, "/removed": 410, "/broken": 500}[path], b"no")
        elif path.startswith("/slow/"):
            with self.lock:
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            time.sleep(0.05)
            with self.lock:
                server.in_flight -= 1
            self.reply(200, b"slow")
        elif path == "/hang":
            time.sleep(2)
            self.reply(200, b"late")
        elif path == "/wayback/available":
            url = urllib.parse.parse_qs(query)["url"][0]
            if url.endswith(("/gone", "/ok")):
                body = f'{{"archived_snapshots": {{"closest": {{"available": true, "status": "200", "url": "http://web.archive.org/web/2020/{url}"}}}}}}'
            else:
                body = '{"archived_snapshots": {}}'
            self.reply(200, body.encode(), "application/json")
        else:
            self.reply(404, b"unknown")

    def reply(self, code, body, content_type="text/html"):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client of /hang gives up before the answer: expected, not worth a traceback


@pytest.fixture
def web():
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    server.requests, server.in_flight, server.max_in_flight = [], 0, 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port():
    """A loopback port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def local_wayback(settings, web):
    settings.SOURCE_CHECK_WAYBACK_URL = f"{web.base}/wayback/available"
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example"
    return web


def check(url):
    return check_url(url, user_agent=AGENT, timeout=5)


# --- classifying one URL ----------------------------------------------------------------------


def test_a_live_page_is_ok_and_a_moved_one_redirected_with_its_final_url(web):
    ok = check(f"{web.base}/ok")
    assert (ok.status, ok.http_status, ok.final_url) == ("ok", 200, f"{web.base}/ok")
    moved = check(f"{web.base}/moved")
    assert (moved.status, moved.http_status, moved.final_url) == ("redirected", 200, f"{web.base}/ok")


@pytest.mark.parametrize("path, code", [("/gone", 404), ("/removed", 410)])
def test_only_404_and_410_from_the_server_are_dead(web, path, code):
    result = check(f"{web.base}{path}")
    assert (result.status, result.http_status) == ("dead", code)


def test_a_server_error_is_unreachable_not_dead(web):
    result = check(f"{web.base}/broken")
    assert (result.status, result.http_status) == ("unreachable", 500)


def test_a_refused_connection_is_unreachable_not_dead(closed_port):
    result = check(f"http://127.0.0.1:{closed_port}/page")
    assert result.status == "unreachable" and result.http_status is None
    assert "refused" in result.error.lower()


def test_a_dns_failure_is_unreachable_not_dead(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    result = check("https://no-such-host.invalid/page")
    assert result.status == "unreachable" and "Name or service not known" in result.error


def test_a_timeout_is_unreachable_not_dead(web):
    result = check_url(f"{web.base}/hang", user_agent=AGENT, timeout=0.2)
    assert result.status == "unreachable" and result.http_status is None


def test_requests_name_the_portal_and_never_crowd_one_host(web):
    jobs = [(f"{web.base}/slow/{n}", False) for n in range(8)]
    results = list(run_checks(jobs, user_agent=AGENT, timeout=5, workers=8, per_host=2, wayback_url=""))
    assert {result.status for result in results} == {"ok"} and len(results) == 8
    assert web.max_in_flight <= 2
    assert {agent for _, agent in web.requests} == {AGENT}


# --- the command --------------------------------------------------------------------------------


@pytest.fixture
def cited(site_tree, case_factory, guide_factory, web):
    """A published case citing six URLs on the local server (one with an archived copy already) and a guide."""
    case = case_factory(title="Moldova 2024: a test case", sources=0)
    urls = ["/ok", "/moved", "/gone", "/removed", "/broken", "/kept"]
    for i, path in enumerate(urls):
        archived = "https://archive.example/kept" if path == "/kept" else ""
        CaseSource.objects.create(
            page=case,
            sort_order=i,
            publisher=f"Publisher {i}",
            title=f"Report {path}",
            url=f"{web.base}{path}",
            archived_url=archived,
            kind="media",
        )
    guide = guide_factory(title="A guide citing a moved page")
    GuideSource.objects.create(page=guide, sort_order=0, publisher="G", title="Guide report", url=f"{web.base}/moved")
    return case


def run(*args):
    out = StringIO()
    call_command("check_sources", "--timeout", "5", *args, stdout=out)
    return out.getvalue()


def status_of(web, path):
    return SourceCheck.objects.get(url=f"{web.base}{path}")


@pytest.mark.django_db
def test_check_sources_records_status_final_url_and_when(cited, local_wayback):
    web = local_wayback
    out = run()
    assert "checked 6 of 6 cited URLs: 2 ok, 1 redirected, 2 dead, 1 unreachable" in out
    moved = status_of(web, "/moved")
    assert (moved.status, moved.http_status, moved.final_url) == ("redirected", 200, f"{web.base}/ok")
    assert status_of(web, "/gone").status == "dead" and status_of(web, "/removed").http_status == 410
    assert status_of(web, "/broken").status == "unreachable"
    assert all(check.checked_at for check in SourceCheck.objects.all())
    agents = {agent for path, agent in web.requests}
    assert agents == {"ElectionIntegrityPortal-SourceCheck/1.0 (+https://portal.example)"}


@pytest.mark.django_db
def test_wayback_is_asked_only_where_no_archived_copy_exists(cited, local_wayback):
    web = local_wayback
    out = run()
    asked = sorted(path for path, _ in web.requests if path == "/wayback/available")
    assert len(asked) == 5  # six URLs, one already archived by the editor
    assert status_of(web, "/gone").archived_url == f"http://web.archive.org/web/2020/{web.base}/gone"
    assert status_of(web, "/broken").archived_url == "" and status_of(web, "/broken").archive_checked_at
    assert status_of(web, "/kept").archive_checked_at is None
    assert "2 archived copies found" in out


@pytest.mark.django_db
def test_oldest_checks_go_first_and_fresh_ones_wait(cited, local_wayback):
    web = local_wayback
    run()
    ages = {"/ok": 30, "/moved": 3, "/gone": 10, "/removed": 1, "/broken": 0.5, "/kept": 20}

    def age_and_run(*args):
        start = timezone.now()
        for path, days in ages.items():
            when = start - datetime.timedelta(days=days)
            SourceCheck.objects.filter(url=f"{web.base}{path}").update(checked_at=when)
        out = run(*args)
        fresh = SourceCheck.objects.filter(checked_at__gte=start).values_list("url", flat=True)
        return out, {url.removeprefix(web.base) for url in fresh}

    out, checked = age_and_run("--limit", "2")
    assert "checked 2 of 6" in out and checked == {"/ok", "/kept"}
    out, checked = age_and_run("--older-than", "2")
    assert "checked 4 of 6" in out and checked == {"/ok", "/kept", "/gone", "/moved"}
    out, checked = age_and_run("--older-than", "2", "--limit", "1")
    assert checked == {"/ok"}


# --- what editors and readers see -----------------------------------------------------------------


@pytest.mark.django_db
def test_source_health_report_lists_problems_with_a_link_to_edit_the_case(cited, local_wayback, client):
    web = local_wayback
    run()
    ensure_moderation()
    editor = get_user_model().objects.create_user("cora", "cora@example.org", "pw")
    editor.groups.add(Group.objects.get(name=CONTRIBUTORS))
    client.force_login(editor)
    html = client.get("/admin/reports/source-health/").content.decode()
    assert "Source health" in html
    assert f"{web.base}/gone" in html and f"{web.base}/broken" in html and "Dead (HTTP 404)" in html
    assert f'href="/admin/pages/{cited.pk}/edit/"' in html and "Moldova 2024: a test case" in html
    assert f'{web.base}/ok"' not in html  # live and archived: nothing to fix
    only_dead = client.get("/admin/reports/source-health/?problem=dead").content.decode()
    assert f"{web.base}/gone" in only_dead and f"{web.base}/broken" not in only_dead
    assert "Source health" in client.get("/admin/").content.decode()  # in the Reports menu


@pytest.mark.django_db
def test_source_health_report_runs_a_fixed_number_of_queries(cited, local_wayback, client, case_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()
    client.force_login(get_user_model().objects.create_superuser("ada", "ada@example.org", "pw"))
    with CaptureQueriesContext(connection) as few:
        assert client.get("/admin/reports/source-health/").status_code == 200
    other = case_factory(title="Another case", sources=0)
    for i in range(10):
        url = f"{local_wayback.base}/gone"
        CaseSource.objects.create(page=other, sort_order=i, publisher="P", title=f"T{i}", url=url)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/admin/reports/source-health/").content.decode()
    assert html.count("Another case") >= 10
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_source_health_report_is_not_for_anonymous_visitors(cited, client):
    assert client.get("/admin/reports/source-health/").status_code == 302


@pytest.mark.django_db
def test_case_page_offers_archived_copies_and_marks_dead_links(cited, local_wayback, client):
    web = local_wayback
    run()
    html = client.get(cited.url).content.decode()
    assert f'href="http://web.archive.org/web/2020/{web.base}/gone"' in html
    assert 'href="https://archive.example/kept"' in html
    assert html.count("Link no longer works") == 2  # 404 and 410; the 500 is only unreachable
    assert html.count(">Archived copy<") == 3  # /ok, /gone and the editor's own copy
