"""The second factor: enrolment on first sign-in, a code after the password, recovery codes once."""

import io
import time

import pytest
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.middleware import ALWAYS_OPEN

from .conftest import sign_in, totp_code

pytestmark = pytest.mark.django_db

ENROL = "/admin/2fa/enrol/"
VERIFY = "/admin/2fa/verify/"


def text(response):
    return response.content.decode()


def pending_key(client):
    return client.session[twofactor.PENDING_SESSION_KEY]["key"]


def admin_pages():
    """{full url name: (url name, path)} of every admin page that takes no arguments, from the URL conf."""
    found = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                full_name = ":".join(filter(None, [namespace, pattern.name]))
                try:
                    path = reverse(full_name)
                except NoReverseMatch:
                    continue
                if path.startswith("/admin/"):
                    found[full_name] = (pattern.name, path)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_admin_page_sends_an_unverified_user_to_enrol_or_verify(client, editor, require_2fa):
    pages = admin_pages()
    guarded = {name: path for name, (short, path) in pages.items() if short not in ALWAYS_OPEN and "2fa" not in path}
    assert len(guarded) > 100, "the URL walk should find the admin's pages"
    assert {"wagtailadmin_home", "wagtailadmin_account", "wagtailsnippets_cases_tactic:list"} <= set(guarded)
    client.force_login(editor)
    for name, path in guarded.items():
        response = client.get(path)
        assert response.status_code == 302, name
        assert response["Location"].startswith(ENROL + "?next="), name

    twofactor.regenerate_recovery_codes(editor)  # now the editor has a second factor: verify, not enrol
    for name, path in guarded.items():
        response = client.get(path)
        assert response.status_code == 302, name
        assert response["Location"].startswith(VERIFY + "?next="), name


def test_signing_in_and_out_and_password_reset_stay_open(client, editor, require_2fa):
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_password_reset")).status_code == 200
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
    assert client.get(ENROL).status_code == 200


def test_first_sign_in_enrols_with_a_real_code_and_shows_ten_recovery_codes_once(client, editor, require_2fa):
    response = sign_in(client)
    assert response.status_code == 302
    response = client.get("/admin/pages/", follow=True)
    assert response.redirect_chain[-1][0].startswith(ENROL)
    page = text(response)
    assert "Set up two-step verification" in page
    assert "<svg" in page  # the QR code, inline
    key = pending_key(client)
    secret = "".join(twofactor.pending_enrolment(client.session).secret_text.split())
    assert twofactor.pending_enrolment(client.session).secret_text in page  # typed-in alternative
    assert f"secret={secret}" in twofactor.pending_enrolment(client.session).provisioning_uri(editor)
    assert not TOTPDevice.objects.filter(user=editor).exists()  # an enrolment is not a device yet

    response = client.post(ENROL, {"code": totp_code(key)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts_2fa_recovery_codes_show")
    device = TOTPDevice.objects.get(user=editor)
    assert device.confirmed and device.key == key
    page = text(client.get(response["Location"]))
    codes = list(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert len(codes) == twofactor.RECOVERY_CODE_COUNT == 10
    assert all(f"<code>{code}</code>" in page for code in codes)
    assert "shown only now" in page

    again = text(client.get(reverse("accounts_2fa_recovery_codes_show")))
    assert not any(code in again for code in codes)
    assert "shown only once" in again
    assert client.get("/admin/pages/").status_code == 200  # verified by the enrolment itself


def test_enrolment_refuses_wrong_empty_and_expired_codes_and_saves_nothing(client, editor, require_2fa):
    client.force_login(editor)
    client.get(ENROL)
    key = pending_key(client)

    response = client.post(ENROL, {"code": ""})
    assert response.status_code == 400
    assert "Type the 6-digit code your authenticator app shows." in text(response)

    wrong = f"{(int(totp_code(key)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"code": wrong})
    assert response.status_code == 400
    assert "That code does not match" in text(response)

    response = client.post(ENROL, {"code": "not a code"})
    assert response.status_code == 400
    assert "6-digit code" in text(response)

    session = client.session
    session[twofactor.PENDING_SESSION_KEY]["started"] = time.time() - twofactor.ENROLMENT_MAX_AGE - 1
    session.save()
    response = client.post(ENROL, {"code": totp_code(key)})
    assert response.status_code == 400
    assert "This QR code has expired" in text(response)
    assert pending_key(client) != key  # a new secret to scan
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticToken.objects.filter(device__user=editor).exists()
    assert client.get("/admin/").status_code == 302  # still not through


def test_submitting_the_confirmation_twice_keeps_one_device(client, editor, require_2fa):
    client.force_login(editor)
    client.get(ENROL)
    code = totp_code(pending_key(client))
    assert client.post(ENROL, {"code": code}).status_code == 302
    response = client.post(ENROL, {"code": code}, follow=True)
    assert "Your authenticator app is already set up." in text(response)
    assert TOTPDevice.objects.filter(user=editor).count() == 1
    assert StaticToken.objects.filter(device__user=editor).count() == 10


def test_sign_in_asks_for_a_code_after_the_password(client, enrolled, require_2fa):
    user, key, _ = enrolled
    response = sign_in(client, next_url="/admin/pages/")
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)

    page = client.get(response["Location"])
    assert "Enter your code" in text(page)

    wrong_code = f"{(int(totp_code(key, steps_ahead=1)) + 1) % 1_000_000:06d}"
    wrong = client.post(VERIFY, {"code": wrong_code, "next": "/admin/pages/"})
    assert wrong.status_code == 400
    assert "That code is not right" in text(wrong)
    assert client.get("/admin/pages/").status_code == 302

    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)  # the wrong code's wait is over
    response = client.post(VERIFY, {"code": totp_code(key, steps_ahead=1), "next": "/admin/pages/"})
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_a_code_is_good_once(client, enrolled, require_2fa):
    user, key, _ = enrolled
    code = totp_code(key, steps_ahead=1)
    sign_in(client)
    assert client.post(VERIFY, {"code": code}).status_code == 302

    client.logout()
    sign_in(client)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert "has been used already" in text(response)


def test_empty_verification_says_what_to_type(client, enrolled, require_2fa):
    sign_in(client)
    response = client.post(VERIFY, {"code": "  "})
    assert response.status_code == 400
    assert "Type the code your authenticator app shows, or one of your recovery codes." in text(response)


def test_a_recovery_code_signs_in_once_and_is_used_up(client, enrolled, require_2fa):
    user, key, codes = enrolled
    sign_in(client)
    response = client.post(VERIFY, {"code": codes[0].upper()[:4] + "-" + codes[0].upper()[4:]}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "it is now used up and 9 remain" in text(response)
    assert twofactor.remaining_recovery_codes(user) == 9

    client.logout()
    sign_in(client)
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 400
    assert "That code is not right, or it has been used already." in text(response)
    assert client.get("/admin/").status_code == 302


def test_a_throttled_device_checks_no_code_until_the_wait_is_over(client, enrolled, require_2fa):
    user, key, _ = enrolled
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=6, throttling_failure_timestamp=timezone.now())
    sign_in(client)
    response = client.post(VERIFY, {"code": totp_code(key, steps_ahead=1)})
    assert response.status_code == 429
    assert "Too many wrong codes. Wait" in text(response)
    assert client.get("/admin/").status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, enrolled, require_2fa):
    user, key, old_codes = enrolled
    sign_in(client)
    client.post(VERIFY, {"code": totp_code(key, steps_ahead=1)})
    overview = text(client.get(reverse("accounts_2fa_overview")))
    assert "10</strong> unused recovery codes" in overview

    response = client.post(reverse("accounts_2fa_recovery_codes_new"), follow=True)
    new_codes = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(new_codes) == 10 and not new_codes & set(old_codes)
    assert all(code in text(response) for code in new_codes)
    assert "The old ones no longer work." in text(response)
    assert client.get(reverse("accounts_2fa_recovery_codes_new")).status_code == 405


def test_re_enrolment_replaces_the_device_only_once_confirmed(client, enrolled, require_2fa):
    user, key, _ = enrolled
    sign_in(client)
    client.post(VERIFY, {"code": totp_code(key, steps_ahead=1)})
    page = text(client.get(ENROL))
    assert "This replaces your current authenticator app" in page
    new_key = pending_key(client)
    client.post(ENROL, {"code": "123"})
    assert TOTPDevice.objects.get(user=user).key == key  # a failed attempt changes nothing

    assert client.post(ENROL, {"code": totp_code(new_key)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=user).values_list("key", flat=True)) == [new_key]
    assert client.get("/admin/").status_code == 200  # still verified, with the new device


def test_without_the_requirement_admin_opens_and_the_account_page_offers_enrolment(client, editor, settings):
    settings.PORTAL_REQUIRE_2FA = False
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    account = text(client.get(reverse("wagtailadmin_account")))
    assert "Two-step verification" in account
    assert "Off: set up an authenticator app for signing in." in account
    overview = text(client.get(reverse("accounts_2fa_overview")))
    assert "Set up an authenticator app" in overview


def test_with_a_device_the_code_is_asked_even_where_not_required(client, enrolled, settings):
    settings.PORTAL_REQUIRE_2FA = False
    sign_in(client)
    assert client.get("/admin/")["Location"].startswith(VERIFY)


def test_users_without_admin_access_are_not_asked(client, db, require_2fa):
    from django.contrib.auth import get_user_model

    reader = get_user_model().objects.create_user("reader", "reader@example.org", "pw")
    client.force_login(reader)
    response = client.get("/admin/")
    assert not response["Location"].startswith((ENROL, VERIFY))  # Wagtail's own "not allowed" path


def test_reset_2fa_command_removes_the_device_and_codes(enrolled):
    user, _, _ = enrolled
    out = io.StringIO()
    call_command("reset_2fa", "editor", stdout=out)
    assert "reset for editor" in out.getvalue()
    assert not twofactor.has_second_factor(user)
    assert twofactor.remaining_recovery_codes(user) == 0
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("reset_2fa", "nobody")


def test_after_enrolment_the_editor_continues_to_the_page_they_asked_for(client, editor, require_2fa):
    client.force_login(editor)
    enrol_url = client.get("/admin/pages/")["Location"]
    assert enrol_url == ENROL + "?next=/admin/pages/"
    client.get(enrol_url)
    response = client.post(enrol_url, {"code": totp_code(pending_key(client)), "next": "/admin/pages/"})
    assert response["Location"] == reverse("accounts_2fa_recovery_codes_show") + "?next=%2Fadmin%2Fpages%2F"
    assert '<a class="button" href="/admin/pages/">Continue</a>' in text(client.get(response["Location"]))

    evil = client.get(reverse("accounts_2fa_recovery_codes_show") + "?next=https://evil.example/")
    assert "evil.example" not in text(evil)


def test_two_confirmations_sent_at_once_save_one_device(editor):
    session = {}
    pending = twofactor.start_enrolment(session)
    second_tab = dict(session)  # the same session as another request read it, before the first saved
    code = totp_code(pending.key)
    device, codes = twofactor.confirm_enrolment(session, editor, code)
    with pytest.raises(twofactor.AlreadyEnrolled):
        twofactor.confirm_enrolment(second_tab, editor, code)
    assert list(TOTPDevice.objects.filter(user=editor)) == [device]
    assert set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)) == set(codes)
