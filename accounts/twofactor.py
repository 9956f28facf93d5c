"""The second factor for admin accounts: TOTP enrolment, verification and recovery codes.

Why: a stolen or guessed password alone must not open the admin, where one account can publish
to every visitor. Devices are django-otp's (a TOTP device for the authenticator app, a static
device whose tokens are the recovery codes); this module is the policy around them.

An enrolment is not a device until it is confirmed. The new secret waits in the session, not in
the database, until the user types a code that proves their app holds it; only then, in one
transaction, is the TOTP device saved (replacing any older one) together with a fresh set of
recovery codes. A half-finished enrolment leaves nothing behind, and a code that was used to
confirm cannot be replayed at the verification step (the device starts at that time step).
"""

import math
import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

RECOVERY_CODE_COUNT = 10
PENDING_SESSION_KEY = "accounts_2fa_pending"
NEW_CODES_SESSION_KEY = "accounts_2fa_new_codes"
ENROLMENT_MAX_AGE = 10 * 60  # seconds a scanned-but-unconfirmed secret stays valid
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# The same defaults a TOTPDevice is created with: 30-second steps, 6 digits, one step either side.
STEP, DIGITS, TOLERANCE = 30, 6, 1


class EnrolmentError(Exception):
    """The code typed to confirm an enrolment did not prove the app holds the secret."""


class AlreadyEnrolled(EnrolmentError):
    """This enrolment was confirmed already (the form sent twice, or from two tabs at once)."""


@dataclass(frozen=True)
class Pending:
    """A secret shown to the user but not yet confirmed; lives only in their session."""

    key: str  # hex, as TOTPDevice.key
    started: float

    @property
    def expired(self):
        return time.time() - self.started > ENROLMENT_MAX_AGE

    @property
    def secret_text(self):
        """The secret as an authenticator app asks for it when typed in: base32, in groups of four."""
        secret = b32encode(unhexlify(self.key)).decode()
        return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))

    def provisioning_uri(self, user):
        """The otpauth:// address the QR code carries (issuer from OTP_TOTP_ISSUER)."""
        return TOTPDevice(user=user, key=self.key).config_url

    def qr_svg(self, user):
        """The provisioning address as an inline SVG QR code (no image library needed)."""
        image = qrcode.make(self.provisioning_uri(user), image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8)
        return image.to_string(encoding="unicode")


def pending_enrolment(session):
    """The enrolment under way in this session, or None."""
    data = session.get(PENDING_SESSION_KEY)
    if not isinstance(data, dict) or "key" not in data:
        return None
    return Pending(key=data["key"], started=float(data.get("started", 0)))


def start_enrolment(session):
    """The pending enrolment, or a new one with a fresh secret if there is none or it expired."""
    pending = pending_enrolment(session)
    if pending is None or pending.expired:
        pending = Pending(key=default_key(), started=time.time())
        session[PENDING_SESSION_KEY] = {"key": pending.key, "started": pending.started}
    return pending


def app_device(user):
    """The user's confirmed authenticator-app device, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_second_factor(user):
    return django_otp.user_has_device(user, confirmed=True)


def remaining_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def confirm_enrolment(session, user, code):
    """Check `code` against the pending secret; on success save the device and new recovery codes.

    Returns (device, recovery codes). Raises EnrolmentError with a message for the user.
    """
    pending = pending_enrolment(session)
    if pending is None:
        if has_second_factor(user):
            raise AlreadyEnrolled(_("Your authenticator app is already set up."))
        raise EnrolmentError(_("There is no set-up under way. Start again from the QR code below."))
    if pending.expired:
        raise EnrolmentError(_("This QR code has expired. Scan the new one below and type the code it gives."))
    code = normalise(code)
    if not (code.isdigit() and len(code) == DIGITS):
        raise EnrolmentError(_("Type the {digits}-digit code your authenticator app shows.").format(digits=DIGITS))
    totp = TOTP(unhexlify(pending.key), step=STEP, digits=DIGITS)
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=TOLERANCE):
        raise EnrolmentError(
            _("That code does not match. Check that your phone's clock is right and type the code your app shows now.")
        )
    with transaction.atomic():
        # One confirmation at a time per user: a second one, sent at the same moment, waits
        # here and then finds the device the first one saved.
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        if TOTPDevice.objects.filter(user=user, key=pending.key, confirmed=True).exists():
            session.pop(PENDING_SESSION_KEY, None)
            raise AlreadyEnrolled(_("Your authenticator app is already set up."))
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user,
            name=APP_DEVICE_NAME,
            key=pending.key,
            step=STEP,
            digits=DIGITS,
            tolerance=TOLERANCE,
            last_t=totp.t(),  # the confirming code cannot be used again to sign in
            confirmed=True,
        )
        codes = _replace_recovery_codes(user)
    del session[PENDING_SESSION_KEY]
    return device, codes


def regenerate_recovery_codes(user):
    """A new set of recovery codes; the old ones stop working. Returns the codes (shown once)."""
    with transaction.atomic():
        return _replace_recovery_codes(user)


def _replace_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def normalise(code):
    """What the user typed, without spaces or dashes and in lower case (recovery codes are base32)."""
    return "".join(ch for ch in (code or "") if ch not in " -\t").lower()


@dataclass(frozen=True)
class Verification:
    device: object = None  # the device that accepted the code, if any
    checked: bool = True  # False when the device refused to check any code for now
    wait_seconds: int = 0  # how long the device now refuses codes after wrong ones

    @property
    def ok(self):
        return self.device is not None


def verify(user, code):
    """Check a sign-in code: a TOTP code from the app, or a recovery code (used up on success).

    Wrong codes slow the device down (django-otp's throttling doubles the wait after each one);
    while it waits, no code is checked at all.
    """
    code = normalise(code)
    if code.isdigit() and len(code) == DIGITS:
        device = app_device(user)
    else:
        device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        return Verification()
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return Verification(checked=False, wait_seconds=_seconds_until(details))
    accepted = django_otp.verify_token(user, device.persistent_id, code)
    if accepted is not None:
        return Verification(device=accepted)
    device.refresh_from_db()
    allowed, details = device.verify_is_allowed()
    return Verification(wait_seconds=0 if allowed else _seconds_until(details))


def _seconds_until(details):
    moment = (details or {}).get("locked_until")
    if moment is None:
        return 1
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


def reset_second_factor(user):
    """Remove every device and recovery code of `user`; they enrol again at their next sign-in."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
        StaticDevice.objects.filter(user=user).delete()
    return removed
