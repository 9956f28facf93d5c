# Election Integrity Portal: `make run` serves the demo, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# pytest-xdist workers: one per core of the 2-core CI machine. conftest.py's scheduler sends each
# test file to one worker, as --dist loadfile does, so a module's fixtures (the browser) are not
# built twice, and the files that use the demo data to one worker together, so it is loaded once.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -q -p no:randomly -n $(TEST_WORKERS) --dist loadfile --durations=15
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
SQLITE_TEST_URL := sqlite:///$(CURDIR)/.test-db.sqlite3
# Builds (if missing) and names the migrated test template of DATABASE_URL's engine (tests/template_db.py).
TEMPLATE_DB = DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) -m tests.template_db
export DJANGO_SETTINGS_MODULE ?= portal.settings.dev

.PHONY: run dev test install install-dev system-libs lint check messages compile-messages test-sqlite test-postgres stack-check e2e bench loadtest clean \
	replica-check test-profile test-templates

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian's libraries for the PDF briefings (WeasyPrint): installed if missing when root, else listed.
system-libs:
	bash deploy/briefing_libs.sh

run: install system-libs compile-messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo
	$(PY) manage.py setup_demo_accounts
	PORT=$(PORT) $(PY) manage.py serve

# As `make run`, with Django's debug pages (DEBUG on) for development.
dev: install system-libs compile-messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py setup_demo_accounts
	DJANGO_DEBUG=true PORT=$(PORT) $(PY) manage.py serve

# The interface in French and Spanish: locale/<lang>/LC_MESSAGES/django.po holds the translations, the
# compiled .mo files beside them are committed too, so the site speaks them even where GNU gettext is
# missing. After changing strings: `make messages`, translate the new entries, `make compile-messages`.
MESSAGE_FLAGS := --ignore=.venv --ignore=staticfiles --ignore=bench --ignore=tests --ignore='*/tests/*'
messages: install
	$(PY) manage.py makemessages -l fr -l es --no-location $(MESSAGE_FLAGS)
	$(PY) manage.py makemessages -d djangojs -l fr -l es --no-location $(MESSAGE_FLAGS)

compile-messages: install
	@if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv --verbosity 0; \
	else echo "gettext (msgfmt) not installed: using the committed .mo files"; fi

lint: install-dev
	$(VENV)/bin/ruff check .

check: install-dev compile-messages
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=portal.settings.production SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-enough-secret-key-value ALLOWED_HOSTS=portal.example.org \
		$(PY) manage.py check --deploy --fail-level WARNING

# The browser journeys (tests/e2e, marked e2e) drive the same views on either database: they run
# once, on PostgreSQL; everything else runs on both. They run in a pytest of their own: a browser
# test is transactional and ends by flushing its database, which must never happen under the
# rolled-back tests that share a worker's database with it.
test-sqlite: install-dev
	DATABASE_URL=$(SQLITE_TEST_URL) DJANGO_SETTINGS_MODULE=portal.settings.test $(PYTEST) -m "not e2e"

# The browser journeys reuse the test databases the run before them has just created (and left as
# migrated: every test there is rolled back), instead of migrating two more. `--create-db` alone
# would drop them when the run ends (pytest-django keeps them only under `--reuse-db`).
test-postgres: install-dev
	DATABASE_URL=$(PG_URL) DJANGO_SETTINGS_MODULE=portal.settings.test $(PYTEST) -m "not e2e" --reuse-db --create-db
	$(MAKE) --no-print-directory e2e E2E_FLAGS=--reuse-db

E2E_FLAGS ?=
e2e: install-dev
	DATABASE_URL=$(PG_URL) DJANGO_SETTINGS_MODULE=portal.settings.test $(PYTEST) -m e2e $(E2E_FLAGS)

# Each test's CPU seconds (steady on a busy machine, unlike wall time) into .test-cpu.<worker>.jsonl.
test-profile: install-dev
	PORTAL_TEST_CPU_REPORT=$(CURDIR)/.test-cpu DATABASE_URL=$(PG_URL) DJANGO_SETTINGS_MODULE=portal.settings.test \
		$(PYTEST) -m "not e2e" --durations=40

# A streaming replica of the local PostgreSQL on port 5433 and two app servers (deploy/replica_check.py).
replica-check: install-dev
	$(PY) deploy/replica_check.py

# nginx (deploy/nginx/) in front of gunicorn (deploy/gunicorn.conf.py) on loopback ports 8130-8131, on a
# copy of the SQLite test template (built if missing).
stack-check: install-dev
	STACK_DB_TEMPLATE=$$(DATABASE_URL=$(SQLITE_TEST_URL) $(TEMPLATE_DB) --path) $(PY) deploy/check_stack.py

# The migrated database each engine's test databases start as (tests/template_db.py): both built
# at once, one per core, instead of one after the other by the suites; reused while the migrations,
# the site tree and the packages are unchanged.
test-templates: install-dev
	DATABASE_URL=$(PG_URL) $(TEMPLATE_DB) & pg=$$!; DATABASE_URL=$(SQLITE_TEST_URL) $(TEMPLATE_DB); \
	sqlite=$$?; wait $$pg && exit $$sqlite

# The checks and the two templates side by side (the templates take the longest), then the suites.
test: system-libs
	$(MAKE) --no-print-directory -j3 lint check test-templates
	$(MAKE) --no-print-directory test-postgres test-sqlite stack-check

bench: install-dev
	$(PY) -m bench

# wrk against gunicorn (production settings, Redis) on 127.0.0.1:8230, per page beside a static file: JSON.
loadtest: install
	command -v wrk >/dev/null || apt-get install -y -qq wrk
	$(PY) bench/loadtest.py

clean:
	rm -rf $(VENV) staticfiles .test-db.sqlite3 .test-cpu.*.jsonl
