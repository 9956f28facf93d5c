"""The forms of the second-factor pages: one field each, labelled for people and for password managers."""

from django import forms

from .twofactor import DIGITS


class ConfirmEnrolmentForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text=f"The {DIGITS}-digit code the app shows after you add this account.",
        max_length=20,
        error_messages={"required": f"Type the {DIGITS}-digit code your authenticator app shows."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": ""}),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app, or a recovery code",
        help_text="A recovery code works once; it is used up when you sign in with it.",
        max_length=40,
        error_messages={"required": "Type the code your authenticator app shows, or one of your recovery codes."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": ""}),
    )
