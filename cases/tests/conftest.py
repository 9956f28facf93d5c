"""Fixtures for the catalogue tests: a small, known set of cases (see catalogue_data.py)."""

import pytest

from cases.tests.catalogue_data import build_catalogue


@pytest.fixture
def catalogue(site_tree):
    """{title: page} of the seven visible cases; three hidden Kenyan troll-farm cases exist too."""
    return build_catalogue()
