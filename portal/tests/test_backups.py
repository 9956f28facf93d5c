"""Backups restore: dbbackup + mediabackup, then dbrestore + mediarestore into a fresh database
and an empty media folder, give back every published case, guide, revision and document.

The commands run in subprocesses under the production settings, against throwaway databases of
the same engine as the test run (two PostgreSQL databases made and dropped here, or two SQLite
files), exactly as an operator would run them. The source starts as a copy of the migrated test
template; the restore goes into an empty database.
"""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from tests import template_db

SNAPSHOT = """
import json
from wagtail.documents.models import Document
from wagtail.models import Revision
from cases.models import CaseStudyPage
from guides.models import GuidePage
docs = []
for doc in Document.objects.order_by("pk"):
    with doc.file.open("rb") as f:
        docs.append([doc.title, doc.file.name, f.read().decode()])
print(json.dumps({
    "cases": sorted(CaseStudyPage.objects.live().public().values_list("url_path", "title")),
    "guides": sorted(GuidePage.objects.live().public().values_list("url_path", "title")),
    "revisions": sorted(Revision.objects.values_list("pk", "object_id", "object_str")),
    "documents": docs,
}))
"""

# A fifth of the demo's cases (one of its files), every guide and a document: what a backup must
# keep, at a fraction of load_demo's cost (its translations and the rest of its cases).
LOAD = """
import yaml
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from cases.management.commands.import_cases import import_file
from guides.importer import import_guides
from portal.management.commands.load_demo import CASES_DIR, GUIDES_FILE
from portal.site_tree import ensure_site_tree
ensure_site_tree()
counts, failed = import_file(CASES_DIR / "incidents_a.yaml", publish=True)
assert not failed, counts
import_guides(yaml.safe_load(GUIDES_FILE.read_text(encoding="utf-8")), publish=True)
doc = Document(title="Observer mission report")
doc.file.save("observer-report.txt", ContentFile(b"Polling stations observed: 12"), save=True)
"""


def run(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def databases(tmp_path):
    """(source URL, target URL): throwaway databases on the engine the tests use, the source a copy
    of the migrated test template (tests/template_db.py: migrating it again would double this
    test's time), the target empty."""
    default = settings.DATABASES["default"]
    template = template_db.ensure_template()
    if not template_db.is_postgres(default):
        template_db.copy_sqlite(template, tmp_path / "source.sqlite3")
        yield tuple(template_db.url(default, tmp_path / f"{name}.sqlite3") for name in ("source", "restored"))
        return
    names = [f"backup_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("source", "restored")]
    with template_db.server(default) as conn:
        conn.execute(f'CREATE DATABASE "{names[0]}" TEMPLATE "{template}"')
        conn.execute(f'CREATE DATABASE "{names[1]}"')
        try:
            yield tuple(template_db.url(default, name) for name in names)
        finally:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(database_url, media, backups):
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "SECURE_HSTS_PRELOAD")}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="backup-test-" + "k" * 40,
        ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        BACKUP_DIR=str(backups),
    )
    return env


def test_a_backup_restores_every_published_case_guide_revision_and_document(databases, tmp_path):
    source_url, restored_url = databases
    backups = tmp_path / "backups"
    source = environment(source_url, tmp_path / "media", backups)
    # The data and what it holds, in one process (each Django start-up costs seconds).
    before = json.loads(run(source, "shell", "--no-imports", "-c", LOAD + SNAPSHOT))
    assert len(before["cases"]) >= 15 and len(before["guides"]) >= 10
    assert before["documents"][-1][2] == "Polling stations observed: 12"

    run(source, "dbbackup")
    run(source, "mediabackup")
    names = [path.name for path in backups.iterdir()]
    assert any(name.startswith("default-") and not name.endswith(".metadata") for name in names), names
    assert any(name.endswith(".tar") for name in names), names

    # A fresh, empty database and media folder, as on a new machine.
    restored = environment(restored_url, tmp_path / "media-restored", backups)
    run(restored, "dbrestore", "--noinput")
    run(restored, "mediarestore", "--noinput")
    after = json.loads(run(restored, "shell", "--no-imports", "-c", SNAPSHOT))

    assert after["cases"] == before["cases"]
    assert after["guides"] == before["guides"]
    assert after["revisions"] == before["revisions"]
    assert after["documents"] == before["documents"]
