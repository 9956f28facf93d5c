"""Test data built once for a run of consecutive tests, in a transaction rolled back after the last.

conftest.py orders the tests so that the users of each such fixture come one after another and
closes the transaction in its pytest_runtest_teardown when the next test does not use it.
"""

import pytest
from django.db import transaction

_shared = {"name": None, "handles": None, "value": None}
FIXTURES = []  # the names of the fixtures shared_fixture() made, in the order it made them


def shared_fixture(name, build):
    """A module-scoped fixture called `name` giving `build()`'s value, built as `shared()` says.

    Assign it to a module-level variable (of any name) in a conftest or test file.
    """
    FIXTURES.append(name)

    @pytest.fixture(scope="module", name=name)
    def fixture(django_db_setup, django_db_blocker):
        return shared(name, django_db_blocker, build)

    return fixture


def shared_name():
    """The fixture whose data is open now, or None."""
    return _shared["name"]


def shared(name, django_db_blocker, build):
    """What `build()` returns, built once for the consecutive tests that use fixture `name`.

    It runs in a transaction opened here and rolled back after the last of them.
    """
    if _shared["name"] != name:
        close_shared()
        unblocked, atomic = django_db_blocker.unblock(), transaction.atomic()
        unblocked.__enter__()
        atomic.__enter__()
        _shared.update(name=name, handles=(unblocked, atomic), value=None)
        try:
            _shared["value"] = build()
        except BaseException:
            close_shared()
            raise
    return _shared["value"]


def close_shared():
    if _shared["handles"] is not None:
        unblocked, atomic = _shared["handles"]
        _shared.update(name=None, handles=None, value=None)
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        unblocked.__exit__(None, None, None)
