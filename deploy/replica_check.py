"""Prove reads from a PostgreSQL streaming replica: `make replica-check` (not part of `make test`).

On loopback, with the machine's own PostgreSQL 15 cluster (127.0.0.1:5432, user postgres) as the
primary, it:

1. allows replication connections from 127.0.0.1 in the primary's pg_hba.conf if no rule does
   (one line appended, configuration reloaded; said on stdout), unless --no-hba;
2. copies the cluster with pg_basebackup (-R: a standby that streams from the primary, through a
   replication slot so that a busy primary keeps the WAL it has not sent yet) into a
   second data directory and starts it on port 5433 as user postgres (hot standby, read-only);
3. builds a database on the primary (migrate, the site tree, two draft cases, an admin account;
   with --demo also load_demo), which reaches the replica by streaming;
4. starts two gunicorn servers with the production settings on ports 8260 and 8261: A on the
   primary only, B with DATABASE_REPLICA_URL (portal/db_router.py sends B's reads to the replica);
5. publishes a case through A's admin with the replica's replay paused and finds it on B in one
   request (a replica behind the content version sends B's reads to the primary); publishes
   another through B's admin and finds it on A; then changes a title on the primary behind the
   content version's back with replay paused, to show that B reads the replica otherwise;
6. prints each step's time, the replication lag and the resident memory of each gunicorn worker
   after serving /cases/, then stops everything it started and removes the copy (--keep leaves
   the replica running and the database in place).

Run it while no long transaction is open on the primary (a test suite's, for one): the standby
may not accept connections until such transactions end.

The servers' settings are production's with the second factor off (a password sign-in is enough
for this check; accounts/tests test the second factor).
"""

import argparse
import contextlib
import html
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

# The stack check's reporting and process helpers (this script runs from deploy/, beside it).
from check_stack import CheckFailed, check, stop

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PRIMARY_PORT = int(os.environ.get("PRIMARY_PORT", "5432"))
REPLICA_PORT = int(os.environ.get("REPLICA_PORT", "5433"))
REPLICA_DIR = Path(os.environ.get("REPLICA_DATA_DIR", "/var/lib/postgresql/portal-replica-check"))
DB = os.environ.get("REPLICA_CHECK_DB", "portal_replica_check")
APP_PORT = int(os.environ.get("REPLICA_CHECK_PORT", "8260"))
PASSWORD = "replica-check-" + os.urandom(8).hex()
SLOT = "portal_replica_check"
HBA_LINE = "host replication postgres 127.0.0.1/32 trust  # added by the portal's deploy/replica_check.py"
# Settings the hot standby must hold at least as high as its primary, or it refuses to start.
STANDBY_MINIMUMS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def psql(sql, port=PRIMARY_PORT, db="postgres"):
    out = subprocess.run(
        [PG_BIN / "psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-XAtqc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def as_postgres(*args, **kwargs):
    command = [str(a) for a in args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, **kwargs)


def allow_replication(edit_hba):
    rules = psql("select count(*) from pg_hba_file_rules where 'replication' = any(database) and error is null")
    if int(rules):
        print("--  pg_hba.conf already allows replication connections")
        return
    if not edit_hba:
        raise CheckFailed(f"pg_hba.conf allows no replication connection: add\n    {HBA_LINE}\nand reload")
    hba = Path(psql("show hba_file"))
    with hba.open("a") as f:
        f.write(f"\n{HBA_LINE}\n")
    psql("select pg_reload_conf()")
    print(f"--  appended to {hba}: {HBA_LINE!r} and reloaded the configuration")


def start_replica():
    if REPLICA_DIR.exists():
        stop_replica()
        shutil.rmtree(REPLICA_DIR)
    drop_slot()
    started = time.monotonic()
    as_postgres(
        PG_BIN / "pg_basebackup",
        *("-h", "127.0.0.1", "-p", PRIMARY_PORT, "-U", "postgres", "-D", REPLICA_DIR),
        *("-R", "-X", "stream", "-c", "fast"),  # -R: standby.signal and primary_conninfo
        *("-C", "-S", SLOT),  # the primary keeps the WAL the replica has not received yet
    )
    print(f"--  pg_basebackup copied the cluster in {time.monotonic() - started:.0f} s")
    minimums = "\n".join(f"{name} = {psql(f'show {name}')}" for name in STANDBY_MINIMUMS)
    (REPLICA_DIR / "postgresql.conf").write_text(
        f"port = {REPLICA_PORT}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '/tmp'\n"
        f"hot_standby = on\nhot_standby_feedback = on\nshared_buffers = 128MB\n{minimums}\n"
    )
    (REPLICA_DIR / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    shutil.chown(REPLICA_DIR / "postgresql.conf", "postgres", "postgres")
    shutil.chown(REPLICA_DIR / "pg_hba.conf", "postgres", "postgres")
    as_postgres(PG_BIN / "pg_ctl", "-D", REPLICA_DIR, "-l", REPLICA_DIR / "replica.log", "-w", "-t", "600", "start")
    check(
        psql("select pg_is_in_recovery()", port=REPLICA_PORT) == "t",
        f"the replica on port {REPLICA_PORT} is a hot standby",
    )


def stop_replica():
    if (REPLICA_DIR / "postmaster.pid").exists():
        as_postgres(PG_BIN / "pg_ctl", "-D", REPLICA_DIR, "-m", "fast", "-w", "stop", capture_output=True)
    drop_slot()


def drop_slot():
    """A slot nobody reads makes the primary keep WAL for ever: never leave one behind."""
    psql(f"select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '{SLOT}'")


def wait_for_replay(timeout=30):
    """Wait until the replica has replayed everything the primary wrote so far; return the lag in ms."""
    target = psql("select pg_current_wal_lsn()")
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if psql(f"select pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", port=REPLICA_PORT) == "t":
            return (time.monotonic() - started) * 1000
        time.sleep(0.01)
    raise CheckFailed(f"the replica did not replay {target} within {timeout} s")


def django_env(tmp, replica):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_REPLICA_URL")}
    env.update(
        PYTHONPATH=f"{tmp}{os.pathsep}{ROOT}",
        DJANGO_SETTINGS_MODULE="replica_check_settings",
        SECRET_KEY="replica-check-" + os.urandom(24).hex(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/{DB}",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESSLOG="",
        GUNICORN_LOGLEVEL="warning",
    )
    if replica:
        env["DATABASE_REPLICA_URL"] = f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{DB}"
    return env


SETUP = """
from django.contrib.auth import get_user_model
from cases.models import Country
from portal.site_tree import ensure_site_tree
from tests.factories import make_case
ensure_site_tree()
for key in ("a", "b"):
    make_case(title="Replica check case " + key.upper(), slug="replica-check-" + key, countries=("EE",),
              publish=False, sources=3)
get_user_model().objects.create_superuser("replica-check", "replica-check@example.org", {password!r})
"""


def build_database(env, demo):
    started = time.monotonic()
    psql(f'drop database if exists "{DB}" with (force)')
    psql(f'create database "{DB}"')
    manage = [sys.executable, str(ROOT / "manage.py")]
    collect = subprocess.Popen([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT)
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    if demo:
        subprocess.run([*manage, "load_demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [*manage, "shell", "--no-imports", "-c", SETUP.format(password=PASSWORD)], env=env, cwd=ROOT, check=True
    )
    if collect.wait() != 0:
        raise CheckFailed("collectstatic failed")
    print(f"--  built database {DB} on the primary and collected static files in {time.monotonic() - started:.0f} s")


class Browser:
    """Just enough of a browser for Wagtail's admin over plain HTTP: cookies (Secure ones too) and CSRF."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, form=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = (time.monotonic() - started) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, text, elapsed

    def get(self, path):
        return self.request("GET", path)

    def csrf(self, path):
        status, text, _ = self.get(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if not found:
            raise CheckFailed(f"no CSRF token on {path} (status {status})")
        return found.group(1)

    def sign_in(self):
        token = self.csrf("/admin/login/")
        form = {"csrfmiddlewaretoken": token, "username": "replica-check", "password": PASSWORD, "next": "/admin/"}
        status, _, _ = self.request("POST", "/admin/login/", form)
        check(status == 302 and "sessionid" in self.cookies, f"signed in to the admin on port {self.port}")

    def publish(self, page_id):
        path = f"/admin/bulk/wagtailcore/page/publish/?id={page_id}&next=/admin/"
        status, _, _ = self.request("POST", path, {"csrfmiddlewaretoken": self.csrf(path)})
        check(status == 302, f"published page {page_id} through the admin on port {self.port}")


def page_id(slug):
    return psql(f"select id from wagtailcore_page where slug = '{slug}'", db=DB)


def shows(browser, path, title):
    status, text, elapsed = browser.get(path)
    return status == 200 and title in html.unescape(text), elapsed


def start_server(env, port):
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "portal.wsgi"],
        env=env,
        cwd=ROOT,
    )
    started = time.monotonic()
    while time.monotonic() - started < 60:
        if server.poll() is not None:
            raise CheckFailed(f"gunicorn on port {port} exited with {server.returncode}")
        try:
            if Browser(port).get("/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    raise CheckFailed(f"gunicorn on port {port} did not answer /healthz within 60 s")


def worker_rss_mb(server):
    """Resident memory of each of the server's workers (children of the gunicorn master), in MB."""
    sizes = []
    for child in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes


@contextlib.contextmanager
def paused_replay():
    """Inside, the replica receives the primary's changes but applies none of them."""
    psql("select pg_wal_replay_pause()", port=REPLICA_PORT)
    try:
        yield
    finally:
        psql("select pg_wal_replay_resume()", port=REPLICA_PORT)


def run_checks(servers):
    a, b = Browser(APP_PORT), Browser(APP_PORT + 1)
    title_a, title_b = "Replica check case A", "Replica check case B"
    check(not shows(b, "/cases/replica-check-a/", title_a)[0], "a draft case is not public on B")

    a.sign_in()
    with paused_replay():
        a.publish(page_id("replica-check-a"))
        seen, elapsed = shows(b, "/cases/replica-check-a/", title_a)
        check(seen, f"published on A, seen on B in one request although the replica is paused ({elapsed:.0f} ms)")
        seen, elapsed = shows(b, "/cases/", title_a)
        check(seen, f"B's catalogue lists it in one request ({elapsed:.0f} ms): behind the token, B reads the primary")
    lag = wait_for_replay()
    print(f"--  replay resumed: the replica caught up in {lag:.0f} ms")

    b.sign_in()  # a POST: the session and the user come from the primary (PinPrimaryMiddleware)
    wait_for_replay()
    b.publish(page_id("replica-check-b"))  # B writes to the primary
    seen, elapsed = shows(a, "/cases/replica-check-b/", title_b)
    check(seen, f"published on B, seen on A in one request ({elapsed:.0f} ms)")
    seen, elapsed = shows(b, "/cases/replica-check-b/", title_b)
    check(seen, f"and on B in the next request ({elapsed:.0f} ms; lag {wait_for_replay():.0f} ms)")

    # A change the content version does not record (raw SQL, no signal): only the primary has it
    # while replay is paused, so what B shows tells which database it read.
    renamed = "Replica check case A, renamed on the primary only"
    with paused_replay():
        psql(f"update wagtailcore_page set title = '{renamed}' where slug = 'replica-check-a'", db=DB)
        check(shows(a, "/cases/replica-check-a/", renamed)[0], "A reads the primary: the new title")
        check(shows(b, "/cases/replica-check-a/", title_a)[0], "B reads the replica: still the old title")
    lag = wait_for_replay()
    check(shows(b, "/cases/replica-check-a/", renamed)[0], f"B shows the new title once replayed ({lag:.0f} ms)")

    for _ in range(4):  # both workers of each server serve the catalogue
        a.get("/cases/")
        b.get("/cases/")
    cases = psql("select count(*) from cases_casestudypage", db=DB)
    for name, server in zip(("A", "B"), servers, strict=True):
        sizes = ", ".join(f"{size:.0f}" for size in worker_rss_mb(server))
        print(f"--  server {name}: worker RSS after /cases/ with {cases} cases: {sizes} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave the replica running and the database in place")
    parser.add_argument("--demo", action="store_true", help="load the demo data too (memory figures on real data)")
    parser.add_argument("--no-hba", action="store_true", help="never edit the primary's pg_hba.conf")
    args = parser.parse_args()
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="portal-replica-"))
    (tmp / "replica_check_settings.py").write_text(
        '"""Production settings with a password-only sign-in, for deploy/replica_check.py."""\n'
        "from portal.settings.production import *  # noqa: F403\n\nPORTAL_REQUIRE_2FA = False\n"
    )
    servers = []
    try:
        allow_replication(edit_hba=not args.no_hba)
        start_replica()
        env_a, env_b = django_env(tmp, replica=False), django_env(tmp, replica=True)
        build_database(env_a, args.demo)
        print(f"--  the replica replayed the new database {wait_for_replay(timeout=120):.0f} ms after the last write")
        servers = [start_server(env_a, APP_PORT), start_server(env_b, APP_PORT + 1)]
        run_checks(servers)
    except (CheckFailed, subprocess.CalledProcessError) as failure:
        print(f"FAIL {failure}", file=sys.stderr)
        log = REPLICA_DIR / "replica.log"
        if log.exists():
            print(log.read_text()[-2000:], file=sys.stderr)
        return 1
    finally:
        for server in servers:
            stop(server, timeout=20)
        if not args.keep:
            stop_replica()  # and drops the slot
            shutil.rmtree(REPLICA_DIR, ignore_errors=True)
            psql(f'drop database if exists "{DB}" with (force)')
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"replica check passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
