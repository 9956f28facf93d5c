"""Puts the second-factor pages into the Wagtail admin and links them from the account page."""

from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from . import twofactor, views


@hooks.register("register_admin_urls")
def register_second_factor_urls():
    return [
        path("2fa/", views.overview, name="accounts_2fa_overview"),
        path("2fa/enrol/", views.enrol, name="accounts_2fa_enrol"),
        path("2fa/verify/", views.verify, name="accounts_2fa_verify"),
        path("2fa/recovery-codes/", views.recovery_codes, name="accounts_2fa_recovery_codes_show"),
        path(
            "2fa/recovery-codes/new/",
            views.regenerate_recovery_codes,
            name="accounts_2fa_recovery_codes_new",
        ),
    ]


@hooks.register("register_account_menu_item")
def second_factor_menu_item(request):
    on = twofactor.has_second_factor(request.user)
    return {
        "url": reverse("accounts_2fa_overview"),
        "label": _("Two-step verification"),
        "help_text": _("On: manage your authenticator app and recovery codes.")
        if on
        else _("Off: set up an authenticator app for signing in."),
    }
