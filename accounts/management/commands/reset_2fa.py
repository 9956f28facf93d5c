"""reset_2fa: for an editor who lost both their phone and their recovery codes.

Removes the user's authenticator app and recovery codes; they set up a new app at their next
sign-in (where PORTAL_REQUIRE_2FA is on, before they can do anything else in the admin). Check
who is asking before you run it: this is the way around the second factor.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.twofactor import reset_second_factor


class Command(BaseCommand):
    help = "Remove a user's two-step verification (authenticator app and recovery codes) so they enrol again."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        removed = reset_second_factor(user)
        if removed:
            self.stdout.write(f"Two-step verification reset for {username}: they set it up at their next sign-in.")
        else:
            self.stdout.write(f"{username} had no authenticator app; recovery codes (if any) removed.")
