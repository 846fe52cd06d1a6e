"""Root fixtures: the units and one user for each role, built with the factories."""

import pytest

from tests.factories import EnterpriseAccountFactory, EnterpriseFactory, OfficialFactory, UnitFactory
from portal.models import EnterpriseAccount, Official, Unit


@pytest.fixture
def county_office_unit(db):
    return UnitFactory(name="县政府办公室", kind=Unit.Kind.COUNTY_OFFICE)


@pytest.fixture
def town(db):
    return UnitFactory(name="太和镇", kind=Unit.Kind.TOWN)


@pytest.fixture
def other_town(db):
    return UnitFactory(name="山塘镇", kind=Unit.Kind.TOWN)


@pytest.fixture
def department(db):
    return UnitFactory(name="县市场监督管理局", kind=Unit.Kind.DEPARTMENT)


@pytest.fixture
def other_department(db):
    return UnitFactory(name="县自然资源局", kind=Unit.Kind.DEPARTMENT)


@pytest.fixture
def county_government(db):
    return UnitFactory(name="县人民政府", kind=Unit.Kind.COUNTY_GOVERNMENT)


@pytest.fixture
def county_office_user(county_office_unit):
    return OfficialFactory(unit=county_office_unit, role=Official.Role.COUNTY_OFFICE).user


@pytest.fixture
def town_staff_user(town):
    return OfficialFactory(unit=town, role=Official.Role.UNIT_STAFF).user


@pytest.fixture
def town_head_user(town):
    return OfficialFactory(unit=town, role=Official.Role.UNIT_HEAD).user


@pytest.fixture
def other_town_staff_user(other_town):
    return OfficialFactory(unit=other_town, role=Official.Role.UNIT_STAFF).user


@pytest.fixture
def department_staff_user(department):
    return OfficialFactory(unit=department, role=Official.Role.UNIT_STAFF).user


@pytest.fixture
def department_head_user(department):
    return OfficialFactory(unit=department, role=Official.Role.UNIT_HEAD).user


@pytest.fixture
def county_leader_user(county_government):
    return OfficialFactory(unit=county_government, role=Official.Role.COUNTY_LEADER).user


@pytest.fixture
def enterprise(town):
    return EnterpriseFactory(town=town)


@pytest.fixture
def other_enterprise(other_town):
    return EnterpriseFactory(town=other_town)


@pytest.fixture
def enterprise_user(enterprise):
    return EnterpriseAccountFactory(enterprise=enterprise, status=EnterpriseAccount.Status.CONFIRMED).user


@pytest.fixture
def pending_enterprise_user(enterprise):
    return EnterpriseAccountFactory(enterprise=enterprise, status=EnterpriseAccount.Status.PENDING).user


@pytest.fixture
def login(client):
    """Log a user in on the test client; officials whose role needs a second factor get a
    verified TOTP device in the session, as after a real two-step login."""
    from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.site.admin_site import otp_required_for

    def _login(user):
        client.force_login(user)
        if otp_required_for(user) or user_has_device(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="test", confirmed=True
            )
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return _login


# ---- the clock at any hour of the Shanghai day (issue 13: a test taking the UTC date of a local
# moment fails between 00:00 and 08:00 Shanghai time, when the two dates differ)
def pytest_addoption(parser):
    parser.addoption(
        "--shanghai-time",
        default=None,
        metavar="HH:MM",
        help="Run every test with the clock at this Asia/Shanghai time of today (e.g. 00:30).",
    )


def _travel_to_shanghai_time(value):
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    zone = ZoneInfo("Asia/Shanghai")
    hour, minute = (int(part) for part in value.split(":"))
    today = datetime.datetime.now(zone).date()
    return time_machine.travel(datetime.datetime.combine(today, datetime.time(hour, minute), tzinfo=zone), tick=True)


@pytest.fixture(autouse=True)
def _shanghai_time_option(request):
    value = request.config.getoption("--shanghai-time")
    if not value:
        yield
        return
    with _travel_to_shanghai_time(value):
        yield


@pytest.fixture
def shanghai_small_hours():
    """The clock at 00:30 Asia/Shanghai today (16:30 UTC the day before), ticking. Modules
    named test_small_hours.py re-run the date-sensitive tests of their app with it."""
    with _travel_to_shanghai_time("00:30"):
        yield


@pytest.fixture(autouse=True)
def _search_synonyms_read_afresh():
    """The search keeps the synonym table in memory for a few seconds; a test's rolled-back
    changes to it must not reach the next test."""
    yield
    from portal.core.search import forget_local_synonyms

    forget_local_synonyms()
