"""Password reset that tells nobody whether an address has an account, by words or by time.

Why: Django's reset form answers the same words either way, but for a known address it also
makes a token, renders the email and talks to the mail server before answering, which takes
long enough to tell the two apart. Here the request does the same work for every address: it
checks the form, counts the request against the reset throttle, and hands the address to a
background thread; the thread looks the address up and sends the email, after the answer has
gone. Each worker process has one such thread, so a burst of requests queues up instead of
starting threads without bound.

The throttle is the shared one (accounts/throttle.py): AXES_FAILURE_LIMIT requests from one
address within AXES_COOLOFF_TIME, then a 429 page with the same words for every address.
"""

import logging
from concurrent.futures import ThreadPoolExecutor

from django.db import connections
from wagtail.admin.forms.auth import PasswordResetForm
from wagtail.admin.views.account import PasswordResetView

from . import throttle

logger = logging.getLogger(__name__)
_mailer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="password-reset-mail")


def send_reset_email(options):
    """Look the address up and send the reset email if it belongs to an active account.

    `options` are the keyword arguments of Django's PasswordResetForm.save, plus `email`.
    """
    options = dict(options)
    form = PasswordResetForm({"email": options.pop("email")})
    if form.is_valid():
        form.save(**options)


def _send_in_background(options):
    try:
        send_reset_email(options)
    except Exception:
        logger.exception("Could not send a password reset email")
    finally:
        connections.close_all()  # this thread's own connections; the request's are untouched


def dispatch(options):
    """Hand a reset to the mail thread (tests replace this to run jobs when they choose)."""
    _mailer.submit(_send_in_background, options)


class OffRequestPasswordResetForm(PasswordResetForm):
    """WAGTAILADMIN_USER_PASSWORD_RESET_FORM: the same work on the request path for every address."""

    def save(self, domain_override=None, request=None, **options):
        # Resolved here, where the request is: the thread has none (and Wagtail's email takes its
        # links from WAGTAILADMIN_BASE_URL when that is set).
        domain = domain_override or (request.get_host() if request is not None else "")
        dispatch({**options, "email": self.cleaned_data["email"], "domain_override": domain})


class ThrottledPasswordResetView(PasswordResetView):
    """Wagtail's reset page, counted per address: each valid request is one attempt at the door."""

    def post(self, request, *args, **kwargs):
        credentials = throttle.door_credentials(throttle.PASSWORD_RESET)
        if throttle.is_locked(request, credentials):
            return throttle.lockout_response(request, credentials=credentials)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        throttle.record_failure(self.request, throttle.door_credentials(throttle.PASSWORD_RESET))
        # This request was within the limit and its email is on its way: the lockout starts with
        # the next one, not by replacing this answer (axes' middleware would, seeing the flag).
        self.request.axes_locked_out = False
        return response
