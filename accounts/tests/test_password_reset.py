"""Password reset tells nobody whether an address has an account: same answer, same work, mail later."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(monkeypatch):
    """The reset emails handed to the mail thread, kept here to be run when the test says."""
    queued = []
    monkeypatch.setattr("accounts.password_reset.dispatch", queued.append)
    return queued


def request_reset(client, address, remote_addr):
    """The answer, and the SQL statements run on the request path with their values taken out."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/admin/password_reset/", {"email": address}, REMOTE_ADDR=remote_addr)
    return response, [re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", query["sql"]) for query in queries.captured_queries]


@pytest.mark.parametrize("throttle_on", [False, True])
def test_a_known_and_an_unknown_address_get_the_same_answer_from_the_same_work(
    client, editor, jobs, settings, throttle_on
):
    settings.AXES_ENABLED = throttle_on
    # From two addresses, so that each is the first request its address makes to the throttle.
    known, known_queries = request_reset(client, "editor@example.org", "192.0.2.1")
    unknown, unknown_queries = request_reset(client, "nobody@example.org", "192.0.2.2")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/admin/password_reset/done/"
    # The request path never looks the address up: the same statements, whoever asks.
    assert known_queries == unknown_queries
    assert not any("auth_user" in sql for sql in known_queries)
    assert any("axes_accessattempt" in sql for sql in known_queries) == throttle_on
    assert len(jobs) == 2
    assert jobs[0].keys() == jobs[1].keys()
    assert mail.outbox == []  # nothing is sent on the request path

    from accounts.password_reset import send_reset_email

    send_reset_email(jobs[0])
    send_reset_email(jobs[1])
    assert [message.to for message in mail.outbox] == [["editor@example.org"]]
    assert "/admin/password_reset/confirm/" in mail.outbox[0].body


def test_the_done_page_says_the_same_for_every_address(client, editor, jobs):
    page = client.post("/admin/password_reset/", {"email": "nobody@example.org"}, follow=True)
    assert page.status_code == 200
    assert "reset" in page.content.decode().lower()


def test_the_mail_thread_logs_a_failure_instead_of_losing_the_worker(monkeypatch, caplog):
    from accounts import password_reset

    def broken(options):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(password_reset, "send_reset_email", broken)
    monkeypatch.setattr(password_reset.connections, "close_all", lambda: None)
    password_reset._send_in_background({"email": "editor@example.org"})
    assert "Could not send a password reset email" in caplog.text


def test_the_reset_is_handed_to_the_mail_thread_and_done_there(client, monkeypatch):
    """The real hand-off: the request answers; the job runs later, in the mail thread."""
    import threading

    from accounts import password_reset

    ran = []
    monkeypatch.setattr(
        password_reset, "send_reset_email", lambda options: ran.append((threading.current_thread().name, options))
    )
    response = client.post("/admin/password_reset/", {"email": "writer@example.org"})
    assert response.status_code == 302
    password_reset._mailer.submit(lambda: None).result(timeout=30)  # one worker: queued jobs are done
    [(thread_name, options)] = ran
    assert thread_name.startswith("password-reset-mail")
    assert options["email"] == "writer@example.org"
    assert options["domain_override"] == "testserver"
