"""The second-factor pages in the Wagtail admin: overview, enrolment, recovery codes, verification.

Every state change is a POST followed by a redirect, so reloading or submitting twice never
saves anything twice: a second "confirm" finds no enrolment under way and says so, and new
recovery codes are shown once, from the session, on the page the POST redirects to.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import twofactor
from .forms import ConfirmEnrolmentForm, VerifyForm


def overview(request):
    """Account → Two-step verification: what is set up, and the ways to change it."""
    user = request.user
    return TemplateResponse(
        request,
        "accounts/twofactor/overview.html",
        {
            "device": twofactor.app_device(user),
            "remaining_codes": twofactor.remaining_recovery_codes(user),
            "required": settings.PORTAL_REQUIRE_2FA,
        },
    )


def enrol(request):
    """Scan a QR code (or type the secret), then type a code to prove the app holds the secret."""
    user = request.user
    next_url = _safe_next(request)
    form = ConfirmEnrolmentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                device, codes = twofactor.confirm_enrolment(request.session, user, form.cleaned_data["code"])
            except twofactor.AlreadyEnrolled as done:
                messages.info(request, str(done))  # the same form sent twice: the first one did it
                return redirect("accounts_2fa_overview")
            except twofactor.EnrolmentError as error:
                form.add_error("code", str(error))
            else:
                otp_login(request, device)
                request.session[twofactor.NEW_CODES_SESSION_KEY] = codes
                messages.success(request, _("Two-step verification is on. Keep your recovery codes somewhere safe."))
                return redirect(_with_next(reverse("accounts_2fa_recovery_codes_show"), next_url))
    pending = twofactor.start_enrolment(request.session)
    return TemplateResponse(
        request,
        "accounts/twofactor/enrol.html",
        {
            "form": form,
            "qr_svg": pending.qr_svg(user),
            "secret": pending.secret_text,
            "replacing": twofactor.has_second_factor(user),
            "required": settings.PORTAL_REQUIRE_2FA,
            "next": next_url,
        },
        status=400 if form.is_bound else 200,
    )


def recovery_codes(request):
    """New recovery codes, shown once: they are taken out of the session as the page is drawn."""
    codes = request.session.pop(twofactor.NEW_CODES_SESSION_KEY, None)
    return TemplateResponse(
        request,
        "accounts/twofactor/recovery_codes.html",
        {
            "codes": codes,
            "remaining_codes": twofactor.remaining_recovery_codes(request.user),
            "next": _safe_next(request) or reverse("wagtailadmin_home"),
        },
    )


@require_POST
def regenerate_recovery_codes(request):
    if not twofactor.has_second_factor(request.user):
        messages.error(request, _("Set up an authenticator app first; recovery codes come with it."))
        return redirect("accounts_2fa_overview")
    request.session[twofactor.NEW_CODES_SESSION_KEY] = twofactor.regenerate_recovery_codes(request.user)
    messages.success(request, _("New recovery codes made. The old ones no longer work."))
    return redirect("accounts_2fa_recovery_codes_show")


def verify(request):
    """After the password: a code from the app, or a recovery code."""
    user = request.user
    next_url = _safe_next(request) or reverse("wagtailadmin_home")
    if not twofactor.has_second_factor(user):
        return redirect("accounts_2fa_enrol" if settings.PORTAL_REQUIRE_2FA else "accounts_2fa_overview")
    if user.is_verified():
        return redirect(next_url)
    form = VerifyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            result = twofactor.verify(user, form.cleaned_data["code"])
            if result.ok:
                otp_login(request, result.device)
                if result.device.name == twofactor.RECOVERY_DEVICE_NAME:
                    left = twofactor.remaining_recovery_codes(user)
                    messages.warning(
                        request,
                        _(
                            "You signed in with a recovery code; it is now used up and %(left)s remain. "
                            "Make new ones from Account → Two-step verification if you are running low."
                        )
                        % {"left": left},
                    )
                return redirect(next_url)
            if not result.checked:
                status = 429
                form.add_error(
                    "code",
                    _("Too many wrong codes. Wait %(seconds)s seconds, then type a new code.")
                    % {"seconds": result.wait_seconds},
                )
            else:
                message = _("That code is not right, or it has been used already.")
                if result.wait_seconds > 1:
                    message += " " + _("Wait %(seconds)s seconds before trying again.") % {
                        "seconds": result.wait_seconds
                    }
                form.add_error("code", message)
    return TemplateResponse(request, "accounts/twofactor/verify.html", {"form": form, "next": next_url}, status=status)


def _safe_next(request):
    """Where to go afterwards (the admin page that asked for the second factor), if it is ours."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return ""


def _with_next(url, next_url):
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
