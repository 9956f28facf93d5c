"""load_demo_translations: the French and Spanish demo translations (portal/demo/translations/*.yaml)."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.querysets import default_language
from portal.site_tree import ensure_translated_tree
from portal.translation_import import TranslationFileError, import_translations

TRANSLATIONS_DIR = Path(settings.BASE_DIR) / "portal" / "demo" / "translations"


class Command(BaseCommand):
    help = "Create the fr/es page trees and publish the demo translations of the home page, guides and cases."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(TRANSLATIONS_DIR), help="folder holding <language>.yaml files")
        parser.add_argument("--draft", action="store_true", help="save the translations as drafts, unpublished")

    def handle(self, *args, dir, draft, **options):
        ensure_translated_tree()
        languages = [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES if code != default_language()]
        for code in languages:
            path = Path(dir) / f"{code}.yaml"
            if not path.exists():
                self.stdout.write(f"{code}: no {path.name}, pages stay in English")
                continue
            with path.open(encoding="utf-8") as handle:
                try:
                    count = import_translations(
                        yaml.safe_load(handle),
                        code,
                        publish=not draft,
                        on_missing=lambda message, name=path.name: self.stderr.write(f"{name}: skipped, {message}"),
                    )
                except TranslationFileError as error:
                    raise CommandError(f"{path.name}: {error}") from error
            self.stdout.write(f"{code}: {count} pages translated")
