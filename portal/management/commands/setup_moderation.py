"""setup_moderation: create or repair the review groups, permissions and workflow. Safe to run again."""

from django.core.management.base import BaseCommand

from portal.moderation import GROUPS, WORKFLOW_NAME, ensure_moderation


class Command(BaseCommand):
    help = (
        "Create the Contributors, Fact checkers and Commission reviewers groups and the "
        f"'{WORKFLOW_NAME}' workflow, and apply them to the cases and guides sections."
    )

    def handle(self, *args, **options):
        sections = ensure_moderation()
        where = ", ".join(page.url_path for page in sections) or "no sections yet (run load_demo)"
        self.stdout.write(f"moderation: groups {', '.join(GROUPS)}; workflow '{WORKFLOW_NAME}' on {where}")
