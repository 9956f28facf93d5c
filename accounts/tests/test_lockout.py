"""Lockout: wrong passwords at the admin sign-in and on private pages, and reset requests, are counted."""

import io

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def test_the_admin_sign_in_locks_after_five_wrong_passwords_until_unlocked(client, editor, axes_on, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(4):
        response = sign_in(client, password=f"wrong {attempt}")
        assert response.status_code == 200
        assert "didn&#x27;t match" in text(response)
    response = sign_in(client, password="wrong again")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts for this account or from your address." in text(response)
    assert "Try again in 15 minutes." in text(response)
    assert response["Retry-After"] == "900"

    response = sign_in(client)  # the right password changes nothing while locked
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    out = io.StringIO()
    call_command("axes_reset_username", "editor", stdout=out)
    call_command("axes_reset_ip", "127.0.0.1", stdout=out)
    response = sign_in(client)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_one_address_trying_many_accounts_is_locked_too(client, editor, axes_on):
    for attempt in range(5):
        sign_in(client, username=f"someone{attempt}", password="guess")
    response = sign_in(client)
    assert response.status_code == 429


def test_another_address_can_still_sign_in_to_another_account(client, editor, axes_on, django_user_model):
    django_user_model.objects.create_superuser("other", "other@example.org", PASSWORD)
    for attempt in range(5):
        sign_in(client, password=f"wrong {attempt}")
    response = client.post(
        "/admin/login/", {"username": "other", "password": PASSWORD, "next": "/admin/"}, REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code == 302


@pytest.fixture
def private_case(case_factory):
    case = case_factory(title="Restricted case")
    restriction = PageViewRestriction.objects.create(
        page=case, restriction_type=PageViewRestriction.PASSWORD, password="open sesame"
    )
    return case, restriction


def page_password(client, case, restriction, password, **extra):
    url = f"/_util/authenticate_with_password/{restriction.pk}/{case.pk}/"
    return client.post(url, {"password": password, "return_url": case.url}, **extra)


def test_a_private_page_password_form_locks_an_address_after_five_wrong_passwords(client, private_case, axes_on):
    case, restriction = private_case
    assert "password" in text(client.get(case.url)).lower()
    for attempt in range(4):
        response = page_password(client, case, restriction, f"guess {attempt}")
        assert response.status_code == 200
        assert "Restricted case" not in text(response) or "password" in text(response).lower()
    response = page_password(client, case, restriction, "guess 5")
    assert response.status_code == 429
    assert "Too many wrong passwords for this page from your address." in text(response)

    response = page_password(client, case, restriction, "open sesame")
    assert response.status_code == 429
    assert "Summary of Restricted case" not in text(client.get(case.url))

    # A stranger's guessing does not shut the page for everybody else.
    response = page_password(client, case, restriction, "open sesame", REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 302


def test_the_right_page_password_still_opens_the_page(client, private_case, axes_on):
    case, restriction = private_case
    page_password(client, case, restriction, "guess")
    response = page_password(client, case, restriction, "open sesame")
    assert response.status_code == 302
    assert "Summary of Restricted case" in text(client.get(case.url))


def test_password_reset_requests_are_limited_per_address_with_one_answer_for_all(client, editor, axes_on, monkeypatch):
    sent = []
    monkeypatch.setattr("accounts.password_reset.dispatch", sent.append)
    addresses = ["editor@example.org", "nobody@example.org"] * 3
    for address in addresses[:5]:
        response = client.post("/admin/password_reset/", {"email": address})
        assert response.status_code == 302 and response["Location"] == "/admin/password_reset/done/"
    for address in addresses[4:]:
        response = client.post("/admin/password_reset/", {"email": address})
        assert response.status_code == 429
        assert "Too many password reset requests from your address." in text(response)
    assert len(sent) == 5
    attempt = AccessAttempt.objects.get(username="password-reset")
    assert "example.org" not in attempt.post_data  # the attempts table keeps no addresses
    # A badly typed address is a form error, not a request.
    response = client.post("/admin/password_reset/", {"email": "not an address"}, REMOTE_ADDR="192.0.2.3")
    assert response.status_code == 200
    assert "Enter a valid email address." in text(response)


def test_a_document_collection_password_form_locks_an_address_too(client, db, axes_on):
    from wagtail.models import Collection, CollectionViewRestriction

    collection = Collection.get_first_root_node().add_child(name="Commission papers")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="open sesame"
    )
    url = f"/documents/authenticate_with_password/{restriction.pk}/"
    for attempt in range(4):
        response = client.post(url, {"password": f"guess {attempt}", "return_url": "/"})
        assert response.status_code == 200
    response = client.post(url, {"password": "guess 5", "return_url": "/"})
    assert response.status_code == 429
    assert "Too many wrong passwords for this document from your address." in text(response)
    assert client.post(url, {"password": "open sesame", "return_url": "/"}).status_code == 429
    other = client.post(url, {"password": "open sesame", "return_url": "/"}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302
