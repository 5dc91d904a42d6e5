import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The per-address login throttle counts in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()
