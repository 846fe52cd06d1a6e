import pytest

from .factories import Actors, make_matter


@pytest.fixture
def actors(town_staff_user, county_office_user, department, department_staff_user, enterprise_user):
    return Actors(
        town_user=town_staff_user,
        office_user=county_office_user,
        department=department,
        department_user=department_staff_user,
        enterprise_user=enterprise_user,
    )


@pytest.fixture
def matter(enterprise, town, town_staff_user, county_office_unit):
    return make_matter(enterprise=enterprise, received_by=town, created_by=town_staff_user)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits live in the cache; each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
