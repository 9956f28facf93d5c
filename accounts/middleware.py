"""Every admin page asks for the second factor: verify if you have one, enrol if it is required.

Why a middleware: Wagtail's admin has hundreds of views (and apps add more through hooks); a
check in each would miss some. This runs after django-otp's OTPMiddleware, which tells whether
this session has passed a device (`request.user.is_verified()`), and before any admin view.

A signed-in user who can reach the admin (`wagtailadmin.access_admin`) and has not passed the
second factor in this session is sent to the verification page if they have a confirmed device,
else, when PORTAL_REQUIRE_2FA is on, to enrolment. Signing in and out, password reset, the
second-factor pages themselves and the admin's sprite and translations stay open.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve, reverse

from . import twofactor

ALWAYS_OPEN = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
}
VERIFY = "accounts_2fa_verify"
ENROL_PAGES = {"accounts_2fa_enrol"}


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.redirect_for(request) or self.get_response(request)

    def redirect_for(self, request):
        if not request.path_info.startswith(reverse("wagtailadmin_home")):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        try:
            url_name = resolve(request.path_info).url_name
        except Resolver404:
            return None
        if url_name in ALWAYS_OPEN or not user.has_perm("wagtailadmin.access_admin"):
            return None
        if twofactor.has_second_factor(user):
            if url_name == VERIFY:
                return None
            return redirect_to_login(request.get_full_path(), login_url=reverse(VERIFY))
        if url_name in ENROL_PAGES or not settings.PORTAL_REQUIRE_2FA:
            return None
        return redirect_to_login(request.get_full_path(), login_url=reverse("accounts_2fa_enrol"))
