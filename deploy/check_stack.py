"""Prove the shipped production stack: Debian's nginx with deploy/nginx/*.conf in front of gunicorn.

`make stack-check` (and so CI) runs this. It installs nothing: nginx comes from the machine
(.ci/run installs Debian's package). It renders the shipped nginx site for loopback ports, a
self-signed certificate and a temporary directory, starts gunicorn with deploy/gunicorn.conf.py
and the production settings on a throwaway SQLite database, and checks what the issue asked:

- two idle, half-open client connections do not keep /healthz from answering within 1 s;
- the security headers (CSP, Permissions-Policy, nosniff, Referrer-Policy, HSTS) come through;
- a hashed static file carries the far-future immutable Cache-Control;
- a burst on /search/ meets limit_req (429) while /healthz is never limited;
- dotfiles and unreviewed media are not served, plain HTTP redirects to HTTPS.

It exits non-zero on the first failure and always stops what it started.
"""

import concurrent.futures
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
HTTPS_PORT = int(os.environ.get("STACK_PORT", "8130"))
HTTP_PORT = HTTPS_PORT + 1
NGINX = os.environ.get("NGINX", shutil.which("nginx") or "/usr/sbin/nginx")
TLS = ssl.create_default_context()
TLS.check_hostname = False
TLS.verify_mode = ssl.CERT_NONE


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)
    print(f"ok  {message}")


def render_site(tmp):
    """The shipped site config with production paths and ports swapped for this run's."""
    site = (DEPLOY / "nginx" / "portal.conf").read_text()
    swaps = {
        "listen 80;": f"listen 127.0.0.1:{HTTP_PORT};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{HTTPS_PORT} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/letsencrypt/live/portal.example.org/fullchain.pem": str(tmp / "cert.pem"),
        "/etc/letsencrypt/live/portal.example.org/privkey.pem": str(tmp / "key.pem"),
        "unix:/run/portal/gunicorn.sock": f"unix:{tmp / 'gunicorn.sock'}",
        "/srv/portal/staticfiles/": f"{tmp / 'static'}/",
        "/etc/nginx/portal_proxy.conf": str(tmp / "portal_proxy.conf"),
    }
    for old, new in swaps.items():
        if old not in site:
            raise CheckFailed(f"deploy/nginx/portal.conf no longer contains {old!r}: update check_stack.py")
        site = site.replace(old, new)
    shutil.copy(DEPLOY / "nginx" / "portal_proxy.conf", tmp / "portal_proxy.conf")
    (tmp / "portal.conf").write_text(site)
    (tmp / "nginx.conf").write_text(
        f"""worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/portal.conf;
}}
"""
    )


def django_env(tmp):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "SECURE_HSTS_PRELOAD")}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="stack-check-" + os.urandom(24).hex(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        GUNICORN_BIND=f"unix:{tmp / 'gunicorn.sock'}",
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESSLOG="",
        GUNICORN_LOGLEVEL="warning",
    )
    return env


def prepare(tmp, env):
    """Migrate a fresh database (with the site tree) and collect static files, side by side.

    With STACK_DB_TEMPLATE (a migrated SQLite file: `make test` passes the test suite's template,
    tests/template_db.py), the database starts as a copy of it and `migrate` finds little or
    nothing to do, instead of spending half a minute on what the test suites have just done.
    """
    manage = [sys.executable, str(ROOT / "manage.py")]
    template = os.environ.get("STACK_DB_TEMPLATE")
    if template and Path(template).is_file():
        source, copy = sqlite3.connect(f"file:{template}?mode=ro", uri=True), sqlite3.connect(tmp / "db.sqlite3")
        with closing(source), closing(copy):
            source.backup(copy)
    setup = "from portal.site_tree import ensure_site_tree; ensure_site_tree()"
    jobs = [
        subprocess.Popen(
            [*manage, "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        ),
        subprocess.Popen(
            ["sh", "-c", '"$0" "$1" migrate --noinput -v 0 && "$0" "$1" shell --no-imports -c "$2"', *manage, setup],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        ),
    ]
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
        + ["-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
        check=True,
        capture_output=True,
    )
    for job in jobs:
        if job.wait(timeout=300) != 0:
            raise CheckFailed(f"{' '.join(map(str, job.args))} failed")
    (tmp / "media" / "documents").mkdir(parents=True, exist_ok=True)
    (tmp / "media" / "documents" / "draft.txt").write_text("not reviewed")


def request(path, port=HTTPS_PORT, timeout=5.0):
    """(status, headers, body) of GET path through nginx."""
    if port == HTTPS_PORT:
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=TLS)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def wait_until_up(processes, deadline=60):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        for name, proc in processes.items():
            if proc.poll() is not None:
                raise CheckFailed(f"{name} exited with {proc.returncode}")
        try:
            if request("/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise CheckFailed("the stack did not answer /healthz in time")


def half_open_connection():
    """A client that sends half a request line and then waits: the slowloris pattern."""
    sock = TLS.wrap_socket(socket.create_connection(("127.0.0.1", HTTPS_PORT), timeout=5))
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    return sock


def control_without_nginx(tmp):
    """For the record, not a check: the same two idle clients straight on gunicorn's socket."""
    path = str(tmp / "gunicorn.sock")
    idle = []
    for _ in range(2):
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(path)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        idle.append(sock)
    time.sleep(0.3)  # let each sync worker pick one up
    probe = socket.socket(socket.AF_UNIX)
    probe.settimeout(1.0)
    try:
        probe.connect(path)
        probe.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = "answered" if probe.recv(12) else "closed"
    except OSError:
        answer = "did not answer within 1 s: both sync workers were held"
    finally:
        probe.close()
        for sock in idle:
            sock.close()
    print(f"--  control, gunicorn without nginx beside two idle clients: /healthz {answer}")


def run_checks(tmp):
    idle = [half_open_connection(), half_open_connection()]
    try:
        status, _, body = request("/healthz", timeout=1.0)
        check(
            status == 200 and json.loads(body)["status"] == "ok",
            "/healthz answers within 1 s beside two idle half-open connections",
        )
        status, _, _ = request("/healthz", timeout=1.0)
        check(status == 200, "/healthz answers within 1 s a second time")
    finally:
        for sock in idle:
            sock.close()

    control_without_nginx(tmp)

    status, headers, body = request("/")
    check(status == 200 and b"<html" in body, "the home page is served through nginx")
    csp = headers.get("Content-Security-Policy", "")
    check("script-src 'self'" in csp and "unsafe-inline" not in csp, f"strict CSP on the home page: {csp}")
    permissions = headers.get("Permissions-Policy", "")
    check("geolocation=()" in permissions and "camera=()" in permissions, "Permissions-Policy comes through")
    check(headers.get("X-Content-Type-Options") == "nosniff", "X-Content-Type-Options: nosniff")
    check(headers.get("Referrer-Policy") == "same-origin", "Referrer-Policy: same-origin")
    hsts = headers.get("Strict-Transport-Security", "")
    check("max-age=" in hsts and "preload" not in hsts, f"HSTS without preload: {hsts}")

    _, admin_headers, _ = request("/admin/login/")
    check("'unsafe-inline'" in admin_headers.get("Content-Security-Policy", ""), "the admin gets its own CSP")

    manifest = json.loads((tmp / "static" / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/portal.css"]
    status, headers, _ = request(f"/static/{hashed}")
    cache = headers.get("Cache-Control", "")
    check(status == 200 and "immutable" in cache and "max-age=31536000" in cache, f"/static/{hashed}: {cache}")
    status, headers, _ = request("/static/css/portal.css")
    check(status == 200 and "immutable" not in headers.get("Cache-Control", ""), "unhashed names are not immutable")

    check(request("/.env")[0] == 404, "dotfiles are not served")
    check(request("/media/documents/draft.txt")[0] == 404, "media other than image renditions is not served by nginx")
    check(request("/media/images/unreleased.png")[0] == 404, "image renditions go to Django's release check")
    status, headers, _ = request("/healthz", port=HTTP_PORT)
    check(status == 301 and headers["Location"].startswith("https://"), "plain HTTP redirects to HTTPS")

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(lambda _: request("/search/?q=russia", timeout=30)[0], range(40)))
    check(statuses.count(429) > 0 and statuses.count(200) > 0, f"a burst on /search/ meets limit_req: {statuses}")
    check(500 not in statuses and 502 not in statuses, "no 5xx in the search burst")
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(lambda _: request("/healthz", timeout=30)[0], range(40)))
    check(set(statuses) == {200}, "a burst on /healthz is never limited")


def stop(proc, sig=signal.SIGTERM, timeout=15):
    if proc and proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    if not os.path.exists(NGINX):
        print("nginx not found: install Debian's nginx (apt-get install nginx); .ci/run does", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="portal-stack-"))
    tmp.chmod(0o755)  # nginx workers run as an unprivileged user and read static/ here
    gunicorn = nginx = None
    started = time.monotonic()
    try:
        env = django_env(tmp)
        render_site(tmp)
        prepare(tmp, env)
        print(f"--  migrated and collected static files in {time.monotonic() - started:.0f} s")
        test = subprocess.run([NGINX, "-t", "-q", "-p", str(tmp), "-c", str(tmp / "nginx.conf")], capture_output=True)
        check(test.returncode == 0, f"nginx accepts the shipped config {test.stderr.decode().strip()}")
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"), "portal.wsgi"], env=env, cwd=ROOT
        )
        nginx = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"])
        wait_until_up({"gunicorn": gunicorn, "nginx": nginx})
        run_checks(tmp)
    except CheckFailed as failure:
        print(f"FAIL {failure}", file=sys.stderr)
        log = tmp / "nginx-error.log"
        if log.exists():
            print(log.read_text()[-3000:], file=sys.stderr)
        return 1
    finally:
        stop(nginx, signal.SIGQUIT)
        stop(gunicorn)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"stack check passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
