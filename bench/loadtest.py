"""`make loadtest`: what a visitor gets under load, page by page, beside a static file, as JSON.

It runs the production stack on loopback as deploy/check_stack.py does (gunicorn with
deploy/gunicorn.conf.py, 2 sync workers, the production settings, the README's Redis cache),
on the demo data (`load_demo`) in a database of its own, then points wrk (Debian's package) at
each page with 16 and then 64 connections and prints, per page and connection count, requests
per second, p50 and p99 latency, non-2xx answers and socket errors, and the ratio of its
requests per second to a static file served by WhiteNoise in the same run.

Environment:
  LOADTEST_DATABASE_URL  the database (default: a SQLite file in /tmp, migrated and loaded once)
  LOADTEST_REDIS_URL     the cache (default redis://127.0.0.1:6379/5; emptied at the start)
  LOADTEST_PORT          gunicorn's port on 127.0.0.1 (default 8230)
  LOADTEST_SECONDS       seconds per wrk run (default 8)
  LOADTEST_CONNECTIONS   comma-separated connection counts (default 16,64)
  LOADTEST_WORKERS       gunicorn workers (default 2)
  LOADTEST_ACCEPT_ENCODING  the Accept-Encoding wrk sends, as a browser does (default "gzip, deflate, br";
                         empty: none, so every answer comes uncompressed)
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("LOADTEST_PORT", "8230"))
BASE = f"http://127.0.0.1:{PORT}"
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "8"))
CONNECTIONS = [int(n) for n in os.environ.get("LOADTEST_CONNECTIONS", "16,64").split(",")]
DATABASE_URL = os.environ.get("LOADTEST_DATABASE_URL", "sqlite:////tmp/eip_loadtest.sqlite3")
REDIS_URL = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/5")
ACCEPT_ENCODING = os.environ.get("LOADTEST_ACCEPT_ENCODING", "gzip, deflate, br")


def environment(tmp):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "FRONTEND_CACHE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="loadtest-" + os.urandom(24).hex(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        GUNICORN_BIND=f"127.0.0.1:{PORT}",
        GUNICORN_WORKERS=os.environ.get("LOADTEST_WORKERS", "2"),
        GUNICORN_ACCESSLOG="",
        GUNICORN_LOGLEVEL="warning",
        # wrk's runs would recycle workers mid-measurement; production keeps its own setting.
        GUNICORN_MAX_REQUESTS="0",
    )
    return env


def prepare(env):
    import dj_database_url

    sys.path.insert(0, str(ROOT))
    from bench import database  # its create() needs no Django settings when given the database

    database.create(dj_database_url.parse(DATABASE_URL))
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "load_demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def get(path):
    with urllib.request.urlopen(BASE + path, timeout=10) as response:  # noqa: S310 - loopback only
        return response.read().decode()


def wait_until_up(server, deadline=90):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            get("/healthz")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz in time")


def first_link(path, pattern):
    match = re.search(pattern, get(path))
    if not match:
        raise SystemExit(f"no link matching {pattern} on {path}")
    return match.group(0)


def pages(tmp):
    manifest = json.loads((tmp / "static" / "staticfiles.json").read_text())["paths"]
    return {
        "static": "/static/" + manifest["css/portal.css"],
        "home": "/",
        "catalogue": "/cases/",
        "catalogue_africa": "/cases/?region=africa",
        "country": first_link("/countries/", r"/countries/[a-z0-9-]+/"),
        "case": first_link("/cases/", r"/cases/(?!export)[a-z0-9-]+/"),
        "guides": "/guides/",
        "guide": first_link("/guides/", r"/guides/[a-z0-9-]+/"),
        "search_repeated": "/search/?q=russia",
    }


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
BYTES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def milliseconds(match):
    """wrk's "12.34ms" as milliseconds; None when wrk printed no latency (no request completed)."""
    if not match:
        return None
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", match.group(1)).groups()
    return round(float(number) * UNITS[unit], 2)


def wrk(path, connections):
    headers = ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"] if ACCEPT_ENCODING else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{SECONDS}s", "--timeout", "10s", "--latency", *headers, BASE + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(B|KB|MB|GB)", out)
    return {
        "req_per_s": rate,
        # What one answer weighs on the wire, headers included (wrk's bytes per second / requests per second).
        "kb_per_answer": round(float(transfer.group(1)) * BYTES[transfer.group(2)] / rate / 1024, 1) if rate else None,
        "p50_ms": milliseconds(re.search(r"^\s+50%\s+(\S+)\s*$", out, re.M)),
        "p99_ms": milliseconds(re.search(r"^\s+99%\s+(\S+)\s*$", out, re.M)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def measure(urls):
    results = {}
    for connections in CONNECTIONS:
        rows = {}
        for name, path in urls.items():
            get(path)  # the first visit renders and stores the page
            rows[name] = wrk(path, connections)
            print(connections, name, rows[name], file=sys.stderr, flush=True)
        static = rows["static"]["req_per_s"] or 1
        for row in rows.values():
            row["ratio_to_static"] = round(row["req_per_s"] / static, 3)
        results[str(connections)] = rows
    return results


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (make loadtest does it)")
    with tempfile.TemporaryDirectory(prefix="eip-loadtest-") as tmp_name:
        tmp = Path(tmp_name)
        env = environment(tmp)
        prepare(env)
        gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "portal.wsgi"]
        server = subprocess.Popen(gunicorn, env=env, cwd=ROOT)
        try:
            wait_until_up(server)
            urls = pages(tmp)
            started, load_before = time.time(), os.getloadavg()
            results = measure(urls)
            report = {
                "stack": f"gunicorn {env['GUNICORN_WORKERS']} sync workers, production settings, Redis cache",
                "database": DATABASE_URL.split("://")[0],
                "seconds_per_run": SECONDS,
                "accept_encoding": ACCEPT_ENCODING,
                "load_before": load_before,
                "pages": urls,
                "connections": results,
                "load_after": os.getloadavg(),
                "minutes": round((time.time() - started) / 60, 1),
            }
            print(json.dumps(report, indent=2))
        finally:
            server.terminate()
            server.wait(timeout=40)


if __name__ == "__main__":
    main()
