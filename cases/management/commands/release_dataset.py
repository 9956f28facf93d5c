"""release_dataset [--output DIR] [--date YYYY-MM-DD]: write a dated zip of every published case.

See cases/releases.py for what a release holds; /data/ lists the releases of PORTAL_RELEASES_DIR.
"""

import datetime

from django.core.exceptions import DisallowedHost
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.releases import UnreadableRelease, build_release, releases_dir


def release_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--date must be a date of the form YYYY-MM-DD, not {text!r}") from error


class Command(BaseCommand):
    help = "Write a dated release (CSV, JSON, STIX, README, licence, checksums, changelog) of all published cases."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Directory of releases (default: settings.PORTAL_RELEASES_DIR).")
        parser.add_argument("--date", help="Release date, YYYY-MM-DD (default: today).")

    def handle(self, *args, output=None, date=None, **options):
        day = release_date(date) if date else timezone.localdate()
        directory = output or releases_dir()
        try:
            release = build_release(day, directory)
        except OSError as error:
            raise CommandError(f"cannot write the release to {directory}: {error}") from error
        except UnreadableRelease as error:
            raise CommandError(f"{error}; move it out of {directory} or replace it") from error
        except DisallowedHost as error:
            raise CommandError(f"the default site's host is not in ALLOWED_HOSTS: {error}") from error
        self.stdout.write(f"Wrote {release.path} ({release.size} bytes, SHA-256 {release.sha256})")
