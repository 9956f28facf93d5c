"""The accounts app: what keeps editors' accounts theirs (second factor, lockout, throttles).

It has no models of its own: TOTP devices and recovery codes are django-otp's, failed attempts
are django-axes'. This app holds the views, middleware and forms that put them together.
"""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
