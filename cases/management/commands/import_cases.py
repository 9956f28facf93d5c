"""import_cases FILE [--publish]: create or update case studies from research-format YAML or JSON."""

import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from cases.importer import RecordError, import_record, publication_check, validate_record


def read_records(path):
    """The list of records in a YAML or JSON file (a list, or a mapping with a 'cases' list)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {path}: {error}") from error
    try:
        data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        raise CommandError(
            f"{path} is not valid {'JSON' if str(path).endswith('.json') else 'YAML'}: {error}"
        ) from error
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        data = data["cases"]
    if not isinstance(data, list):
        raise CommandError(f"{path} must hold a list of case records")
    return data


class Command(BaseCommand):
    help = "Import cases from a YAML or JSON file in the research format; drafts unless --publish."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--publish", action="store_true", help="Publish the imported cases at once.")

    def handle(self, *args, file, publish, **options):
        counts, failed = import_file(file, publish=publish, stdout=self.stdout, stderr=self.stderr, style=self.style)
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(f"{summary}; {failed} failed")
        if failed:
            raise CommandError(f"{failed} record(s) were not imported or not published; see the messages above")


def import_file(path, publish=False, stdout=None, stderr=None, style=None):
    """Import every good record of a file; returns ({created, updated, unchanged, held}, failed count).

    With `publish`, a record that fails the sourcing rule is imported as a draft ("held") and
    counts as failed, so the command exits non-zero.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0, "held as drafts": 0}
    failed = 0
    for raw in read_records(path):
        try:
            record = validate_record(raw)
            for warning in record.warnings:
                if stderr:
                    stderr.write(f"{record.key}: warning: {warning}")
            publishable = _sourcing_allows(record, publish, stderr)
            counts[import_record(record, publish=publish and publishable)] += 1
            if publish and not publishable:
                counts["held as drafts"] += 1
                failed += 1
        except RecordError as error:
            failed += 1
            if stderr:
                stderr.write(f"{error.key}: not imported: " + "; ".join(error.problems))
    return counts, failed


def _sourcing_allows(record, publish, stderr):
    """Report what the sourcing rule finds in a record; False if it may not be published."""
    check = publication_check(record)
    if stderr:
        for warning in check.warnings:
            stderr.write(f"{record.key}: warning: {warning}")
        if check.problems:
            outcome = "imported as a draft, not published" if publish else "cannot be published yet"
            stderr.write(f"{record.key}: {outcome}: " + "; ".join(check.problems))
    return check.ok
