"""Lockout and throttles on every form that checks a secret: admin sign-in, page passwords, reset.

Why one mechanism: django-axes already counts failed sign-ins in the database (so every worker
sees the same count), locks out after AXES_FAILURE_LIMIT of them for AXES_COOLOFF_TIME, and has
management commands to list and lift lockouts. The other doors, the password forms of
privacy-restricted pages and document collections and the password-reset form, report to the
same counter under a door name in place of a username ("page-password:<restriction id>",
"collection-password:<id>", "password-reset"), so one reviewer's `manage.py axes_reset_ip
<address>` unlocks an address at every door.

What is counted where (`lockout_parameters`): admin sign-in locks both the username (guessing one
account's password from many addresses) and the address (trying many accounts from one);
a door locks only that door for that address, so a stranger cannot shut a private page, or
password reset, for everybody. An address that keeps failing at a door also counts towards its
address lock at the admin sign-in.
"""

import math

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail import views as wagtail_views
from wagtail.documents.views import serve as wagtaildocs_serve

PAGE_PASSWORD = "page-password"
COLLECTION_PASSWORD = "collection-password"  # documents in a password-protected collection
PASSWORD_RESET = "password-reset"
DOORS = (PAGE_PASSWORD, COLLECTION_PASSWORD, PASSWORD_RESET)


def door_credentials(door, key=None):
    """What axes records for an attempt at a door (its `username` column holds the door's name)."""
    return {settings.AXES_USERNAME_FORM_FIELD: door if key is None else f"{door}:{key}"}


def door_of(credentials):
    """The door an attempt was made at, or None for the admin sign-in."""
    username = str((credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or "")
    for door in DOORS:
        if username == door or username.startswith(door + ":"):
            return door
    return None


def lockout_parameters(request, credentials):
    """AXES_LOCKOUT_PARAMETERS: which attempts count together (see the module docstring)."""
    if door_of(credentials):
        return [["username", "ip_address"]]
    return ["username", "ip_address"]


def is_locked(request, credentials):
    if not settings.AXES_ENABLED:
        return False
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, credentials)


def record_failure(request, credentials):
    """Count one failed attempt; sets request.axes_locked_out when this one reaches the limit."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.user_login_failed(sender=__name__, credentials=credentials, request=request)


def cool_off_minutes(request):
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    return math.ceil(cool_off.total_seconds() / 60) if cool_off else None


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a 429 page that says what happened and when to try again."""
    door = door_of(credentials or getattr(request, "axes_credentials", None))
    minutes = cool_off_minutes(request)
    what = {
        PAGE_PASSWORD: _("Too many wrong passwords for this page from your address."),
        COLLECTION_PASSWORD: _("Too many wrong passwords for this document from your address."),
        PASSWORD_RESET: _("Too many password reset requests from your address."),
        None: _("Too many failed sign-in attempts for this account or from your address."),
    }[door]
    public = door in (PAGE_PASSWORD, COLLECTION_PASSWORD)
    template = "accounts/locked_out_page.html" if public else "accounts/locked_out.html"
    # Rendered now: axes' middleware calls this after the view's response has been rendered.
    response = render(
        request,
        template,
        {"what": what, "minutes": minutes, "door": door},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


def _counted(request, credentials, view, *args):
    """Run a Wagtail password view; a form shown again after a POST is a wrong password."""
    if request.method != "POST":
        return view(request, *args)
    if is_locked(request, credentials):
        return lockout_response(request, credentials=credentials)
    response = view(request, *args)
    if response.status_code == 200:  # the form again: the password was wrong
        record_failure(request, credentials)
    return response


def page_password(request, page_view_restriction_id, page_id):
    """Wagtail's password form for a privacy-restricted page, with wrong passwords counted."""
    credentials = door_credentials(PAGE_PASSWORD, page_view_restriction_id)
    return _counted(request, credentials, wagtail_views.authenticate_with_password, page_view_restriction_id, page_id)


def collection_password(request, restriction_id):
    """Wagtail's password form for documents in a password-protected collection, counted likewise."""
    credentials = door_credentials(COLLECTION_PASSWORD, restriction_id)
    return _counted(request, credentials, wagtaildocs_serve.authenticate_with_password, restriction_id)
