import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Cached facet/browse counts and synonyms must not leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()
