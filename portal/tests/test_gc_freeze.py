"""A worker's first request freezes what it loaded out of the garbage collector's full passes, once."""

import gc

import pytest

from portal import gc_freeze


@pytest.mark.django_db
def test_the_first_request_freezes_what_is_alive_and_later_requests_freeze_nothing(client):
    gc_freeze.connect()  # as on a new worker (this test process has served requests already)
    loaded = [[n] for n in range(5000)]  # containers alive across the request, as modules are
    before = gc.get_freeze_count()
    assert client.get("/healthz").status_code == 200
    frozen = gc.get_freeze_count()
    assert frozen >= before + len(loaded)
    more = [[n] for n in range(5000)]
    assert client.get("/healthz").status_code == 200
    assert gc.get_freeze_count() < frozen + len(more)
