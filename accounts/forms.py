"""The forms of the second-factor pages: one field each, labelled for people and for password managers."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .twofactor import DIGITS


class ConfirmEnrolmentForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=format_lazy(_("The {digits}-digit code the app shows after you add this account."), digits=DIGITS),
        max_length=20,
        error_messages={
            "required": format_lazy(_("Type the {digits}-digit code your authenticator app shows."), digits=DIGITS)
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": ""}),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        help_text=_("A recovery code works once; it is used up when you sign in with it."),
        max_length=40,
        error_messages={"required": _("Type the code your authenticator app shows, or one of your recovery codes.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": ""}),
    )
