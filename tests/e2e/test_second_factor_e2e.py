"""Two-step verification in a real browser: enrol from the key shown on the page, sign in again with
a code, and no serious or critical accessibility violations on the second-factor pages."""

import time
from base64 import b32decode

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(transactional_db, settings):
    settings.PORTAL_REQUIRE_2FA = True
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def code_for(secret_text, steps_ahead=0):
    """What an authenticator app shows for the key typed in from the page."""
    totp = TOTP(b32decode("".join(secret_text.split())), step=30, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def serious_violations(page):
    # Wagtail's messages fade in: measure contrast once they have, not halfway.
    page.evaluate("Promise.all(document.getAnimations().map(animation => animation.finished))")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in serious]


def sign_in(page):
    page.goto(page.base + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_editor_enrols_at_first_sign_in_and_then_signs_in_with_a_code(page, editor):
    sign_in(page)
    page.wait_for_url("**/admin/2fa/enrol/**")
    assert page.locator("h1").inner_text() == "Set up two-step verification"
    assert page.get_by_role("img", name="QR code for adding this account to an authenticator app").is_visible()
    assert serious_violations(page) == []

    secret = page.locator("#accounts-2fa-secret").inner_text()
    page.get_by_role("button", name="Confirm").click()  # empty: told what to type
    page.get_by_text("Type the 6-digit code your authenticator app shows.").wait_for()  # the answer page
    page.get_by_label("Code from your authenticator app").fill(code_for(secret))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/admin/2fa/recovery-codes/**")
    codes = page.get_by_role("list", name="Recovery codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    assert serious_violations(page) == []
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url("**/admin/")

    page.context.clear_cookies()  # a new visit: the password again, then a code
    sign_in(page)
    page.wait_for_url("**/admin/2fa/verify/**")
    assert serious_violations(page) == []
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(code_for(secret, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/admin/")
    assert "Dashboard" in page.title()


def test_signing_out_from_the_second_factor_page_works(page, editor):
    sign_in(page)
    page.wait_for_url("**/admin/2fa/enrol/**")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/admin/login/**")
    page.goto(page.base + "/admin/")
    page.wait_for_url("**/admin/login/**")
