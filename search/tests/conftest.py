import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _no_cached_search_pages():
    """Each test starts without cached search pages: a rolled-back test never sent the signals
    that would have moved the search generation on, so its pages must not reach the next test."""
    cache.clear()
    yield
    cache.clear()
