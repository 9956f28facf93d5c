"""import_cases: good records in, broken ones reported by key with nothing half-saved."""

import json

import pytest
import yaml
from django.core.management import CommandError, call_command
from wagtail.models import PageLogEntry

from cases.models import Actor, CaseSource, CaseStudyPage, Channel, Tactic

pytestmark = pytest.mark.django_db

GOOD = {
    "key": "xx-2022-test-operation",
    "label": "Kenya 2022: a test operation",
    "countries": ["KE", "UG"],
    "election": {"name": "2022 Kenyan general election", "type": "general", "date": "2022-08-09"},
    "period": {"first_seen": "2022-05", "last_seen": "2022-08-09"},
    "origin": "domestic",
    "actors": [
        {
            "name": "A test troll network",
            "actor_type": "commercial-firm",
            "country": "KE",
            "foreign_or_domestic": "domestic",
        }
    ],
    "attribution": {"status": "platform", "by": ["Meta", "DFRLab"], "confidence": "high"},
    "tactics": ["troll-farm", "brand-new-tactic"],
    "channels": ["x-twitter"],
    "targets": ["voters"],
    "phases": ["campaign"],
    "facts": ["A first fact about the operation.", "A second fact."],
    "response": "Accounts were removed.",
    "sources": [
        {
            "publisher": "Mozilla Foundation",
            "title": "Report one",
            "date": "2021-09",
            "url": "https://example.org/one",
            "kind": "research",
        },
        {
            "publisher": "Meta",
            "title": "Report two",
            "date": "2022-06-01",
            "url": "https://example.org/two",
            "kind": "platform",
        },
    ],
}


def write(tmp_path, records, name="cases.yaml"):
    path = tmp_path / name
    path.write_text(json.dumps(records) if name.endswith(".json") else yaml.safe_dump(records), encoding="utf-8")
    return str(path)


def test_good_record_is_imported_as_a_draft_by_default(tmp_path, site_tree, client):
    call_command("import_cases", write(tmp_path, [GOOD]))
    case = CaseStudyPage.objects.get(slug="xx-2022-test-operation")
    assert case.title == "Kenya 2022: a test operation"
    assert not case.live
    assert client.get("/cases/xx-2022-test-operation/").status_code == 404
    assert sorted(case.countries.values_list("code", flat=True)) == ["KE", "UG"]
    assert (case.first_seen.isoformat(), case.first_seen_precision) == ("2022-05-01", "month")
    assert case.attributed_by == "Meta; DFRLab"
    assert case.summary == "A first fact about the operation."


def test_published_import_shows_the_case_with_its_sources(tmp_path, site_tree, client):
    call_command("import_cases", write(tmp_path, [GOOD]), "--publish")
    html = client.get("/cases/xx-2022-test-operation/").content.decode()
    assert "Kenya 2022: a test operation" in html
    assert 'href="https://example.org/one"' in html and 'href="https://example.org/two"' in html
    assert "September 2021" in html
    assert "A test troll network" in client.get("/cases/xx-2022-test-operation/").content.decode()
    # The case is on both countries' hubs.
    assert "Kenya 2022: a test operation" in client.get("/countries/uganda/").content.decode()


def test_missing_taxonomy_terms_are_created(tmp_path, site_tree):
    call_command("import_cases", write(tmp_path, [GOOD]))
    assert Tactic.objects.get(slug="brand-new-tactic").name == "Brand new tactic"
    assert Actor.objects.get(name="A test troll network").actor_type == "commercial-firm"
    assert Channel.objects.filter(slug="x-twitter").count() == 1


def test_importing_twice_changes_nothing(tmp_path, site_tree):
    path = write(tmp_path, [GOOD])
    call_command("import_cases", path, "--publish")
    case = CaseStudyPage.objects.get(slug=GOOD["key"])
    revisions, logs = case.revisions.count(), PageLogEntry.objects.count()
    call_command("import_cases", path, "--publish")
    assert CaseStudyPage.objects.count() == 1
    assert CaseSource.objects.filter(page=case).count() == 2
    assert case.revisions.count() == revisions
    assert PageLogEntry.objects.count() == logs


def test_changed_record_updates_the_same_case(tmp_path, site_tree):
    call_command("import_cases", write(tmp_path, [GOOD]), "--publish")
    changed = {
        **GOOD,
        "label": "Kenya 2022: a renamed operation",
        "sources": GOOD["sources"][:1]
        + [{"publisher": "BBC", "title": "Report three", "url": "https://example.org/three", "kind": "media"}],
    }
    call_command("import_cases", write(tmp_path, [changed]), "--publish")
    case = CaseStudyPage.objects.get(slug=GOOD["key"])
    assert case.title == "Kenya 2022: a renamed operation"
    assert list(case.sources.values_list("publisher", flat=True)) == ["Mozilla Foundation", "BBC"]


def test_json_files_are_accepted(tmp_path, site_tree):
    call_command("import_cases", write(tmp_path, [GOOD], name="cases.json"), "--publish")
    assert CaseStudyPage.objects.published().filter(slug=GOOD["key"]).exists()


BROKEN = [
    ({**GOOD, "key": "bad-country", "countries": ["KE", "XX"]}, "country 'XX' is not an ISO 3166-1 alpha-2 code"),
    ({**GOOD, "key": "bad-origin", "origin": "martian"}, "'origin' is 'martian'"),
    ({**GOOD, "key": "bad-date", "period": {"first_seen": "May 2022"}}, "period.first_seen"),
    ({**GOOD, "key": "bad-order", "period": {"first_seen": "2022-05", "last_seen": "2021"}}, "before"),
    ({**GOOD, "key": "no-sources", "sources": []}, "at least one source"),
    (
        {**GOOD, "key": "bad-url", "sources": [{"publisher": "X", "title": "Y", "url": "javascript:alert(1)"}]},
        "invalid url",
    ),
    ({**GOOD, "key": "bad-attribution", "attribution": {"status": "certain"}}, "'attribution.status'"),
    ({**GOOD, "key": "bad-phase", "phases": ["halftime"]}, "phase 'halftime'"),
    ({**GOOD, "key": "long-summary", "summary": "x" * 301}, "more than 300"),
    ({**GOOD, "key": "Not A Slug!"}, "must be a slug"),
    ({k: v for k, v in GOOD.items() if k != "label"} | {"key": "no-label"}, "'label' is required"),
]


@pytest.mark.parametrize("record, message", BROKEN, ids=[r["key"] for r, _ in BROKEN])
def test_broken_record_is_reported_by_key_and_nothing_is_saved(tmp_path, site_tree, capsys, record, message):
    before = (CaseStudyPage.objects.count(), Actor.objects.count(), Tactic.objects.count())
    with pytest.raises(CommandError, match="1 record"):
        call_command("import_cases", write(tmp_path, [record]))
    err = capsys.readouterr().err
    assert f"{record['key']}: not imported" in err
    assert message in err
    assert (CaseStudyPage.objects.count(), Actor.objects.count(), Tactic.objects.count()) == before


def test_good_records_are_imported_beside_broken_ones(tmp_path, site_tree, capsys):
    second = {**GOOD, "key": "xx-2022-second", "label": "Second good record"}
    broken = {**GOOD, "key": "xx-broken", "countries": ["ZZ"]}
    with pytest.raises(CommandError):
        call_command("import_cases", write(tmp_path, [GOOD, broken, second]), "--publish")
    assert set(CaseStudyPage.objects.values_list("slug", flat=True)) == {GOOD["key"], "xx-2022-second"}
    out = capsys.readouterr()
    assert "2 created" in out.out and "1 failed" in out.out
    assert "xx-broken: not imported" in out.err


def test_unknown_keys_are_reported_not_fatal(tmp_path, site_tree, capsys):
    call_command("import_cases", write(tmp_path, [{**GOOD, "severity": "high"}]))
    assert "unknown key 'severity' ignored" in capsys.readouterr().err
    assert CaseStudyPage.objects.filter(slug=GOOD["key"]).exists()


@pytest.mark.parametrize("content", ["{not: [valid", "just a string", ""])
def test_unreadable_files_fail_with_a_message(tmp_path, site_tree, content):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_cases", str(path))
    assert CaseStudyPage.objects.count() == 0


def test_missing_file_fails_with_a_message(site_tree):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_cases", "/nonexistent/cases.yaml")
