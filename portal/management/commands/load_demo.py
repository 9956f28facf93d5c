"""load_demo: the site tree, the real demo cases and guides, and the review workflow. Idempotent."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cases.management.commands.import_cases import import_file
from cases.models import CaseStudyPage
from guides.importer import import_guides
from guides.models import GuidePage
from portal.site_tree import ensure_site_tree

CASES_DIR = Path(settings.BASE_DIR) / "cases" / "demo"
GUIDES_FILE = Path(settings.BASE_DIR) / "guides" / "demo" / "guides.yaml"


class Command(BaseCommand):
    help = "Create the site tree and load the real demo cases and guides (safe to run again)."

    def handle(self, *args, **options):
        home, _, _ = ensure_site_tree()
        failed = 0
        for path in sorted(CASES_DIR.glob("*.yaml")):
            # Loading data is not a review: the cases carry no review date until the commission records one.
            counts, bad = import_file(path, publish=True, stderr=self.stderr)
            failed += bad
            self.stdout.write(f"{path.name}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        if failed:
            raise CommandError(f"{failed} demo case(s) failed to import or to meet the sourcing rule")
        with GUIDES_FILE.open(encoding="utf-8") as handle:
            changed = import_guides(yaml.safe_load(handle), publish=True)
        self.stdout.write(f"guides: {changed} created or updated")
        if not home.featured_guides.exists():
            home.featured_guides = list(GuidePage.objects.published().order_by("pk")[:4])
            home.save_revision().publish()
        # The fr/es trees first: setup_moderation assigns the workflow to their catalogue and guide lists.
        call_command("load_demo_translations", stdout=self.stdout)
        call_command("setup_moderation", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"demo ready: {CaseStudyPage.objects.published().count()} published cases, "
                f"{GuidePage.objects.published().count()} published guides"
            )
        )
