"""Fixtures for the catalogue tests: a small, known set of cases (see catalogue_data.py)."""

import pytest

from cases.models import CaseStudyPage
from cases.tests.catalogue_data import build_catalogue
from portal.site_tree import ensure_site_tree
from tests.shared_data import shared_fixture


def build_catalogue_rows():
    """{title: page id} of the seven visible cases (built once for the tests that use them: tests/shared_data.py)."""
    ensure_site_tree()
    return {title: page.pk for title, page in build_catalogue().items()}


catalogue_rows = shared_fixture("catalogue_rows", build_catalogue_rows)


@pytest.fixture
def catalogue(catalogue_rows, site_tree):
    """{title: page} of the seven visible cases; three hidden Kenyan troll-farm cases exist too.

    The pages are read afresh for each test, so a change one test makes to them never reaches the next.
    """
    pages = CaseStudyPage.objects.in_bulk(catalogue_rows.values())
    return {title: pages[pk] for title, pk in catalogue_rows.items()}
