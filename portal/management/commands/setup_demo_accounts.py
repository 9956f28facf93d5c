"""setup_demo_accounts: one account per review role, for walking the workflow locally. Dev only.

The accounts share one random password, printed once when they are created; nothing is stored in
the repository. Run again: the accounts are repaired (groups, emails) and the password is kept,
unless --reset-password asks for a new one.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.users.models import UserProfile

from portal.moderation import CONTRIBUTORS, FACT_CHECKERS, REVIEWERS, ensure_moderation
from portal.moderation import GROUPS as ROLE_GROUPS

# username, group (None: superuser), first name, last name
DEMO_ACCOUNTS = (
    ("contributor", CONTRIBUTORS, "Cora", "Contributor"),
    ("factchecker", FACT_CHECKERS, "Felix", "Factchecker"),
    ("reviewer", REVIEWERS, "Rhea", "Reviewer"),
    ("admin", None, "Ada", "Admin"),
)
EMAIL_DOMAIN = "example.org"  # reserved for documentation: mail to it never reaches anyone


class Command(BaseCommand):
    help = "Create demo accounts for each review role (development settings only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-password", action="store_true", help="Give all demo accounts a new shared password."
        )

    @transaction.atomic
    def handle(self, *args, reset_password=False, **options):
        if not getattr(settings, "PORTAL_DEMO_ACCOUNTS", False):
            raise CommandError("Demo accounts are disabled by these settings (PORTAL_DEMO_ACCOUNTS is not True).")
        ensure_moderation()
        groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_GROUPS)}
        User = get_user_model()
        password = secrets.token_urlsafe(12)
        created = []
        for username, group_name, first_name, last_name in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username)
                created.append(username)
            if user.pk is None or reset_password:
                user.set_password(password)
            user.email = f"{username}@{EMAIL_DOMAIN}"
            user.first_name, user.last_name = first_name, last_name
            user.is_active = True
            user.is_staff = user.is_superuser = group_name is None
            user.save()
            if group_name:
                user.groups.set([groups[group_name]])
            _notify_about_everything(user)

        names = ", ".join(username for username, *_ in DEMO_ACCOUNTS)
        if created or reset_password:
            changed = names if reset_password else ", ".join(created)
            self.stdout.write(
                self.style.WARNING(
                    f"Demo accounts {changed}: password {password}\n"
                    "  (shown once, not stored anywhere; log in at /admin/)"
                )
            )
            if created and not reset_password and len(created) < len(DEMO_ACCOUNTS):
                self.stdout.write("  Accounts that already existed keep their password.")
        else:
            self.stdout.write(
                f"Demo accounts already exist ({names}). Forgot the password? "
                "Run: manage.py setup_demo_accounts --reset-password"
            )


def _notify_about_everything(user):
    profile = UserProfile.get_for_user(user)
    profile.submitted_notifications = True
    profile.approved_notifications = True
    profile.rejected_notifications = True
    profile.updated_comments_notifications = True
    profile.save()
