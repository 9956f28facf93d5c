"""Shared fixtures: the site tree every page test needs, and the factories."""

import pytest

from portal.site_tree import ensure_site_tree
from tests.factories import make_case, make_guide


@pytest.fixture
def site_tree(db):
    """(home, case index, guide index), as load_demo creates them, without the demo data."""
    return ensure_site_tree()


@pytest.fixture
def case_factory(site_tree):
    return make_case


@pytest.fixture
def guide_factory(site_tree):
    return make_guide
