"""Benchmark settings: the test settings (DEBUG off) on a database of its own.

BENCH_DATABASE_URL picks it (default PostgreSQL eip_bench); it is never the site's DATABASE_URL,
so a benchmark run cannot touch development or production data.
"""

import os

import dj_database_url

from portal.settings.test import *  # noqa: F403

DEFAULT_BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/eip_bench"
BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_BENCH_DATABASE_URL)

DATABASES = {"default": dj_database_url.parse(BENCH_DATABASE_URL, conn_max_age=600)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # As in base settings: WAL, so numbers match what the embedded site sees.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEBUG = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # 4xx answers to random filter combinations are expected; they are counted, not logged.
    "loggers": {"django.request": {"level": "ERROR"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The production path: after a change the catalogue index is rebuilt in the background (cases/live_index.py).
CATALOGUE_INDEX_BACKGROUND = True
