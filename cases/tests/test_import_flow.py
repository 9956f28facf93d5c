"""A newly imported case shows in the catalogue, on its countries' hubs and in search."""

import pytest
import yaml
from django.core.management import call_command

from cases.tests.test_import_cases import GOOD

pytestmark = pytest.mark.django_db


def test_published_import_appears_everywhere_the_public_looks(tmp_path, site_tree, client):
    record = {
        **GOOD,
        "key": "zz-2023-import-flow",
        "label": "Uganda 2023: imported flow operation",
        "countries": ["UG"],
    }
    path = tmp_path / "new.yaml"
    path.write_text(yaml.safe_dump([record]), encoding="utf-8")
    call_command("import_cases", str(path), "--publish")

    assert "Uganda 2023: imported flow operation" in client.get("/cases/").content.decode()
    assert "Uganda 2023: imported flow operation" in client.get("/cases/?country=UG").content.decode()
    assert "Uganda 2023: imported flow operation" in client.get("/countries/uganda/").content.decode()
    assert "Uganda" in client.get("/countries/").content.decode()
    results = client.get("/search/", {"q": "imported flow operation"}).content.decode()
    assert "/cases/zz-2023-import-flow/" in results


def test_draft_import_appears_nowhere_public(tmp_path, site_tree, client):
    record = {**GOOD, "key": "zz-2023-draft-flow", "label": "Uganda 2023: draft flow operation", "countries": ["UG"]}
    path = tmp_path / "draft.yaml"
    path.write_text(yaml.safe_dump([record]), encoding="utf-8")
    call_command("import_cases", str(path))

    assert "draft flow operation" not in client.get("/cases/").content.decode()
    assert "draft flow operation" not in client.get("/countries/uganda/").content.decode()
    assert "/cases/zz-2023-draft-flow/" not in client.get("/search/", {"q": "draft flow operation"}).content.decode()
