"""Shared fixtures: the site tree every page test needs, the factories, and the real demo data."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from portal.site_tree import ensure_site_tree
from tests.factories import make_case, make_guide


@pytest.fixture
def site_tree(db):
    """(home, case index, guide index), as load_demo creates them, without the demo data."""
    return ensure_site_tree()


@pytest.fixture
def media_on_disk(settings, tmp_path):
    """Uploads stored on disk, as in production (Wagtail serves a stored document from its path)."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    cache.clear()  # Wagtail caches renditions by image id, and ids come round again between tests


@pytest.fixture
def case_factory(site_tree):
    return make_case


@pytest.fixture
def guide_factory(site_tree):
    return make_guide


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The real demo cases and guides (load_demo), loaded once per module and rolled back after it.

    Each test still runs in its own savepoint inside this transaction, so what one test changes
    is undone before the next.
    """
    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("load_demo", stdout=StringIO(), stderr=StringIO())
            yield
            transaction.set_rollback(True)
