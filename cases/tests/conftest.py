"""Fixtures for the catalogue tests: a small, known set of cases (see catalogue_data.py)."""

import pytest

from cases.models import CaseStudyPage
from cases.tests.catalogue_data import build_catalogue
from portal.site_tree import ensure_site_tree
from tests.shared_data import shared


@pytest.fixture(scope="module")
def catalogue_rows(django_db_setup, django_db_blocker):
    """{title: page id} of the seven visible cases, built once for the file's tests that use them
    (they come first in each file) and rolled back after the last of them (conftest.shared)."""

    def build():
        ensure_site_tree()
        return {title: page.pk for title, page in build_catalogue().items()}

    return shared("catalogue_rows", django_db_blocker, build)


@pytest.fixture
def catalogue(catalogue_rows, site_tree):
    """{title: page} of the seven visible cases; three hidden Kenyan troll-farm cases exist too.

    The pages are read afresh for each test, so a change one test makes to them never reaches the next.
    """
    pages = CaseStudyPage.objects.in_bulk(catalogue_rows.values())
    return {title: pages[pk] for title, pk in catalogue_rows.items()}
