"""Dataset releases: `release_dataset` writes a dated zip with the exports, README, licence,
checksums and a changelog; /data/ lists the releases and serves them by exact name only."""

import hashlib
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

FILES = {"cases.csv", "cases.json", "cases.stix.json", "README.txt", "LICENSE", "CHANGELOG.txt", "SHA256SUMS"}


@pytest.fixture
def releases(tmp_path, settings):
    settings.PORTAL_RELEASES_DIR = str(tmp_path)
    return tmp_path


def release(date, directory=None):
    args = ["release_dataset", f"--date={date}"]
    if directory:
        args.append(f"--output={directory}")
    call_command(*args, stdout=StringIO())


def read_zip(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_release_holds_the_exports_readme_licence_and_matching_checksums(releases, case_factory):
    case_factory(title="Kenya 2017: troll farm", countries=("KE",))
    case_factory(title="Unreviewed draft", publish=False)
    release("2026-01-15")

    path = releases / "election-interference-cases-2026-01-15.zip"
    files = read_zip(path)
    assert set(files) == FILES
    for line in files["SHA256SUMS"].decode().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    assert {line.split("  ")[1] for line in files["SHA256SUMS"].decode().splitlines()} == FILES - {"SHA256SUMS"}

    cases = json.loads(files["cases.json"])["results"]
    assert [case["title"] for case in cases] == ["Kenya 2017: troll farm"]
    assert cases[0]["url"].startswith("http://localhost/cases/")
    assert "Kenya 2017: troll farm" in files["cases.csv"].decode("utf-8-sig")
    stix = json.loads(files["cases.stix.json"])
    assert any(obj.get("name") == "Kenya 2017: troll farm" for obj in stix["objects"])
    for name in FILES - {"SHA256SUMS"}:
        assert b"Unreviewed draft" not in files[name], name

    readme = files["README.txt"].decode()
    assert "A snapshot, taken on 2026-01-15, of every case study" in readme
    assert "1 case in all." in readme
    assert "attribution_confidence: high, medium or low" in readme
    assert "https://creativecommons.org/licenses/by/4.0/" in readme
    assert "Commission on Election Integrity. (2026). Election interference case studies (release 2026-01-15)" in readme
    assert "Creative Commons Attribution 4.0 International" in files["LICENSE"].decode()
    assert files["CHANGELOG.txt"].decode().endswith("First release: 1 published case.\n")
    sidecar = (releases / "election-interference-cases-2026-01-15.zip.sha256").read_text()
    assert sidecar.split()[0] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_changelog_lists_added_changed_and_withdrawn_cases(tmp_path, case_factory):
    kept = case_factory(title="Kenya 2017: troll farm")
    changed = case_factory(title="Nigeria 2019: bot networks")
    withdrawn = case_factory(title="Taiwan 2020: content farms")
    release("2026-01-01", tmp_path)

    changed.summary = "A corrected summary."
    changed.save_revision().publish()
    withdrawn.unpublish()
    case_factory(title="Brazil 2018: WhatsApp mass messaging")
    case_factory(title="A draft never released", publish=False)
    release("2026-02-01", tmp_path)

    files = read_zip(tmp_path / "election-interference-cases-2026-02-01.zip")
    changelog = files["CHANGELOG.txt"].decode()
    assert "Changes since the release of 2026-01-01 (3 cases now)." in changelog
    added = changelog[changelog.index("Added (1):") : changelog.index("Changed")]
    changed_part = changelog[changelog.index("Changed (1):") : changelog.index("Withdrawn")]
    withdrawn_part = changelog[changelog.index("Withdrawn (1):") :]
    assert "- Brazil 2018: WhatsApp mass messaging <http://localhost/cases/" in added
    assert f"- Nigeria 2019: bot networks <{changed.full_url}> (revised " in changed_part
    assert f"- Taiwan 2020: content farms <{withdrawn.full_url}>" in withdrawn_part
    assert kept.title not in changelog
    assert "A draft never released" not in changelog
    titles = {case["title"] for case in json.loads(files["cases.json"])["results"]}
    assert titles == {"Kenya 2017: troll farm", "Nigeria 2019: bot networks", "Brazil 2018: WhatsApp mass messaging"}
    # The earlier release is untouched.
    first = json.loads(read_zip(tmp_path / "election-interference-cases-2026-01-01.zip")["cases.json"])
    assert first["count"] == 3 and "Taiwan 2020: content farms" in {case["title"] for case in first["results"]}


def test_a_bad_release_date_is_refused(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        release("2026-13-01", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_unreadable_previous_release_stops_the_release(tmp_path, case_factory):
    case_factory(title="Kenya 2017: troll farm")
    (tmp_path / "election-interference-cases-2026-01-01.zip").write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="election-interference-cases-2026-01-01.zip cannot be read"):
        release("2026-02-01", tmp_path)
    assert not (tmp_path / "election-interference-cases-2026-02-01.zip").exists()


def test_the_data_page_lists_a_release_and_serves_it(client, releases, case_factory):
    case_factory(title="Kenya 2017: troll farm")
    release("2026-03-01")
    path = releases / "election-interference-cases-2026-03-01.zip"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()

    html = client.get("/data/").content.decode()
    assert '<a href="/api/">Read the API documentation</a>' in html
    for url in ("/cases/export.csv", "/cases/export.json", "/cases/feed.atom", "/cases/export.stix.json"):
        assert f'href="{url}"' in html
    assert 'href="/cases/export.navigator.json"' in html
    assert '<time datetime="2026-03-01">1 March 2026</time>' in html
    assert digest in html
    assert 'href="/data/releases/election-interference-cases-2026-03-01.zip"' in html

    response = client.get("/data/releases/election-interference-cases-2026-03-01.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == digest
    assert "cases.json" in zipfile.ZipFile(io.BytesIO(body)).namelist()


def test_the_data_page_says_when_there_is_no_release(client, releases):
    html = client.get("/data/").content.decode()
    assert "No release has been published yet" in html


@pytest.mark.parametrize(
    "name",
    [
        "election-interference-cases-2026-03-02.zip",  # no such release
        "election-interference-cases-2026-02-30.zip",  # no such day
        "election-interference-cases-2026-03-01.zip.sha256",
        "..%2Fsecret.zip",
        "%2E%2E%2Fsettings.py",
        "secret.txt",
    ],
)
def test_only_existing_release_files_are_served(client, releases, name):
    (releases / "election-interference-cases-2026-03-01.zip").write_bytes(b"PK")
    (releases / "secret.txt").write_text("not for the public")
    (releases.parent / "secret.zip").write_text("not for the public")
    assert client.get(f"/data/releases/{name}").status_code == 404
    assert client.get("/data/releases/election-interference-cases-2026-03-01.zip").status_code == 200
