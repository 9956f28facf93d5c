"""Search test fixtures: the real demo data, loaded once per module and rolled back after."""

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo cases and guides (load_demo), inside a transaction undone when the module ends."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("load_demo", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))  # noqa: SIM115
            yield
            transaction.set_rollback(True)
