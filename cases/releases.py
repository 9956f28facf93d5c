"""Dataset releases: dated, checksummed zips of the published catalogue, for archiving and citing.

Why: the exports at /cases/export.* always show today's data, so a study that used them cannot
point at what it used. A release is a fixed snapshot, `election-interference-cases-YYYY-MM-DD.zip`,
holding the CSV, JSON and STIX exports of every published case (made by the export views
themselves, through a request built for the site's host, so a release is byte for byte what the
site serves), a README, the licence, SHA256SUMS and a changelog against the previous release.

Releases are plain files in settings.PORTAL_RELEASES_DIR, each with a `.sha256` file beside it,
written by `manage.py release_dataset` and listed and served by the data page (/data/). Only
names matching RELEASE_NAME are ever opened, so a request cannot reach any other file.
"""

import datetime
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.test import RequestFactory
from wagtail.models import Site

from .citations import AUTHOR, PUBLISHER
from .dates import day_display
from .exports import CSV_COLUMNS, export_csv, export_json
from .stix import export_stix

RELEASE_NAME = re.compile(r"election-interference-cases-(\d{4}-\d{2}-\d{2})\.zip")
DATA_FILES = {
    # file in the zip: (export view, its path on the site)
    "cases.csv": (export_csv, "/cases/export.csv"),
    "cases.json": (export_json, "/cases/export.json"),
    "cases.stix.json": (export_stix, "/cases/export.stix.json"),
}
# What each column of cases.csv (and key of cases.json) holds, for the README.
FIELD_NOTES = {
    "title": "the case's title",
    "url": "the case page, the citable record",
    "summary": "a plain-text summary (at most 300 characters)",
    "countries": "ISO 3166-1 alpha-2 codes of the countries whose elections were targeted",
    "country_names": "their names",
    "first_seen": "when the activity was first seen: YYYY, YYYY-MM or YYYY-MM-DD, as precise as known",
    "last_seen": "when it was last seen, in the same form (empty if seen once)",
    "election_name": "the election targeted",
    "election_type": "its type (e.g. presidential, parliamentary, referendum)",
    "election_date": "its date (YYYY-MM-DD)",
    "origin": "foreign, domestic, mixed or unknown",
    "attribution": "the strongest attribution made: judicial, government, platform, independent, alleged, unattributed",
    "attribution_confidence": "high, medium or low",
    "attributed_by": "who made the attribution",
    "actors": "the actors named (in the JSON with their type)",
    "actor_types": "their types (CSV only)",
    "tactics": "the tactics seen (names in the CSV, identifiers in the JSON)",
    "channels": "the channels used",
    "targets": "who or what was targeted",
    "sources": "the published sources (URLs in the CSV; publisher, title, date, URL and archived copy in the JSON)",
    "last_published": "when the case's current version was published (ISO 8601)",
}


@dataclass(frozen=True)
class Release:
    """A release file in the releases directory."""

    name: str
    date: datetime.date
    path: Path
    size: int
    sha256: str

    @property
    def date_display(self):
        """The release's day as the page's language writes it."""
        return day_display(self.date)


def release_name(day):
    return f"election-interference-cases-{day.isoformat()}.zip"


def releases_dir():
    return Path(settings.PORTAL_RELEASES_DIR)


def _date_of(name):
    match = RELEASE_NAME.fullmatch(name)
    if not match:
        return None
    try:
        return datetime.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _release(path):
    checksum_file = path.with_name(path.name + ".sha256")
    try:
        sha256 = checksum_file.read_text(encoding="ascii").split()[0]
    except (OSError, IndexError, UnicodeDecodeError):
        sha256 = file_sha256(path)
    return Release(path.name, _date_of(path.name), path, path.stat().st_size, sha256)


def find_release(name, directory=None):
    """The release of that file name, or None: names not of the release form are never looked up."""
    if _date_of(name) is None:
        return None
    path = Path(directory or releases_dir()) / name
    return _release(path) if path.is_file() else None


def list_releases(directory=None):
    """The releases in the directory, newest first ([] if there is no directory)."""
    directory = Path(directory or releases_dir())
    if not directory.is_dir():
        return []
    found = [_release(entry) for entry in directory.iterdir() if _date_of(entry.name) and entry.is_file()]
    return sorted(found, key=lambda release: release.date, reverse=True)


# -- making one ---------------------------------------------------------------------------


def site_request(path):
    """A GET request for `path` on the default site's host, as the export views expect."""
    site = Site.objects.filter(is_default_site=True).first()
    parts = urlsplit(site.root_url if site else "http://localhost")
    return RequestFactory().get(path, HTTP_HOST=parts.netloc, secure=parts.scheme == "https")


def export_data():
    """{file name: bytes} of the three exports of every published case, made by the export views."""
    found = {}
    for name, (view, path) in DATA_FILES.items():
        request = site_request(path)
        response = view(request)
        found[name] = b"".join(response.streaming_content)
    return found, site_request("/").build_absolute_uri("/")


def cases_of(json_bytes):
    """{URL path: case record} of a cases.json export: by path, so a change of host changes nothing."""
    return {urlsplit(case["url"]).path: case for case in json.loads(json_bytes)["results"]}


def previous_release(directory, day):
    """The newest release made before `day`, or None."""
    return next((release for release in list_releases(directory) if release.date < day), None)


class UnreadableRelease(Exception):
    """An earlier release whose cases.json cannot be read, so no changelog can be made against it."""


def cases_in_release(release):
    try:
        with zipfile.ZipFile(release.path) as archive:
            return cases_of(archive.read("cases.json"))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableRelease(f"the previous release {release.name} cannot be read ({error})") from error


def changelog(day, current, previous=None, before=None):
    """The CHANGELOG text: cases added, changed (published again since) and withdrawn since `previous`."""
    lines = [f"Election interference case studies, release {day.isoformat()}", ""]
    if previous is None:
        lines.append(f"First release: {len(current)} published case{'s' if len(current) != 1 else ''}.")
        return "\n".join(lines) + "\n"
    lines.append(f"Changes since the release of {previous.date.isoformat()} ({len(current)} cases now).")
    added = [case for path, case in current.items() if path not in before]
    changed = [case for path, case in current.items() if path in before and _revised_since(case, before[path])]
    withdrawn = [case for path, case in before.items() if path not in current]
    sections = [("Added", added, False), ("Changed", changed, True), ("Withdrawn", withdrawn, False)]
    for heading, cases, revised in sections:
        lines += ["", f"{heading} ({len(cases)}):"]
        for case in sorted(cases, key=lambda case: case["title"]):
            note = f" (revised {_published(case).date().isoformat()})" if revised else ""
            lines.append(f"- {case['title']} <{case['url']}>{note}")
        if not cases:
            lines.append("- none")
    return "\n".join(lines) + "\n"


def _revised_since(case, earlier):
    """True when the case was published again after the version of `earlier` (the same case, before)."""
    now, then = _published(case), _published(earlier)
    return bool(now and then and now > then)


def _published(case):
    value = case.get("last_published")
    return datetime.datetime.fromisoformat(value) if value else None


def readme(day, count, site_url, licence):
    columns = "\n".join(f"  {column}: {FIELD_NOTES.get(column, '')}" for column in CSV_COLUMNS)
    data_url = site_url.rstrip("/") + "/data/"
    return f"""Election interference case studies, release {day.isoformat()}
{"=" * 60}

What this is
  A snapshot, taken on {day.isoformat()}, of every case study of election interference
  published on the {PUBLISHER} ({site_url}) by the {AUTHOR}:
  {count} case{"" if count == 1 else "s"} in all.
  Every case cites its published sources; each case page shows them and a corrections log.
  Only published, reviewed cases are included.

Files
  cases.csv        one row per case (UTF-8 with a byte-order mark)
  cases.json       the same cases as JSON, with their sources in full
  cases.stix.json  the same cases as a STIX 2.1 bundle (reports, campaigns, actors,
                   countries, DISARM techniques), marked TLP:CLEAR
  CHANGELOG.txt    cases added, changed and withdrawn since the previous release
  LICENSE          the licence of the data
  SHA256SUMS       SHA-256 checksums of the files above (check with `sha256sum -c SHA256SUMS`)

Fields (CSV columns; JSON keys have the same names)
{columns}

Licence
  {licence["name"]}: {licence["url"]}
  You may share and adapt the data, for any purpose, if you credit the {AUTHOR}.

How to cite
  {AUTHOR}. ({day.year}). Election interference case studies (release {day.isoformat()})
  [Data set]. {PUBLISHER}. {data_url}
  To cite one case, use its page's "Cite this case" box; for facts, cite the original sources.
"""


def licence_text(licence):
    return (
        f"The data in this release is licensed under the {licence['name']} licence.\n"
        f"Licence: {licence['url']}\n"
        f"Legal code: {licence['url'].rstrip('/')}/legalcode\n\n"
        f"Attribution: {AUTHOR}, {PUBLISHER}.\n"
        "The sources each case cites belong to their publishers and are linked, not reproduced.\n"
    )


def sha256sums(files):
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files.items())


def build_release(day, directory=None):
    """Write the release of `day` into the directory (replacing one of the same day) and return it."""
    directory = Path(directory or releases_dir())
    directory.mkdir(parents=True, exist_ok=True)
    data, site_url = export_data()
    current = cases_of(data["cases.json"])
    previous = previous_release(directory, day)
    before = cases_in_release(previous) if previous else None
    licence = settings.PORTAL_DATA_LICENSE
    files = {
        **data,
        "README.txt": readme(day, len(current), site_url, licence).encode(),
        "LICENSE": licence_text(licence).encode(),
        "CHANGELOG.txt": changelog(day, current, previous, before).encode(),
    }
    files["SHA256SUMS"] = sha256sums(files).encode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    payload = buffer.getvalue()

    path = directory / release_name(day)
    _write_atomically(path, payload)
    _write_atomically(
        path.with_name(path.name + ".sha256"), f"{hashlib.sha256(payload).hexdigest()}  {path.name}\n".encode()
    )
    return _release(path)


def _write_atomically(path, payload):
    """Write to a temporary file beside `path`, then rename: readers never see half a release."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
