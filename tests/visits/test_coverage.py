"""Coverage: each official visits each assigned enterprise once a period (a quarter by default),
counted on local dates in Asia/Shanghai, with a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import Official
from tests.factories import EnterpriseFactory, OfficialFactory
from visits import periods
from visits.selectors import coverage, coverage_trend

from .factories import AssignmentFactory, VisitFactory

Q1 = periods.period_of(datetime.date(2026, 2, 1))
Q2 = periods.period_of(datetime.date(2026, 5, 1))


def test_quarters_are_calendar_quarters():
    assert Q1 == periods.Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert periods.period_of(datetime.date(2026, 3, 31)) == Q1
    assert periods.period_of(datetime.date(2026, 4, 1)) == Q2
    assert periods.period_of(datetime.date(2025, 12, 31)).start == datetime.date(2025, 10, 1)
    assert Q1.previous().start == datetime.date(2025, 10, 1)
    assert [p.start.month for p in periods.last_periods(4, datetime.date(2026, 2, 1))] == [4, 7, 10, 1]


def test_the_period_is_a_setting(settings):
    settings.VISIT_PERIOD_MONTHS = 1
    assert periods.period_of(datetime.date(2026, 2, 14)) == periods.Period(
        datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)
    )
    settings.VISIT_PERIOD_MONTHS = 6
    assert periods.period_of(datetime.date(2026, 7, 1)).end == datetime.date(2026, 12, 31)


def test_today_is_the_date_in_shanghai(monkeypatch):
    # 16:30 UTC on 31 March is 00:30 on 1 April in Asia/Shanghai: already the second quarter.
    instant = datetime.datetime(2026, 3, 31, 16, 30, tzinfo=datetime.timezone.utc)
    monkeypatch.setattr(timezone, "now", lambda: instant)
    assert periods.today() == datetime.date(2026, 4, 1)
    assert periods.current_period() == Q2


@pytest.fixture
def cadre(town):
    return OfficialFactory(unit=town, role=Official.Role.UNIT_STAFF)


def test_a_visit_on_the_last_day_counts_for_that_quarter_only(town, cadre, enterprise):
    AssignmentFactory(official=cadre, enterprise=enterprise)
    VisitFactory(unit=town, enterprise=enterprise, date=datetime.date(2026, 3, 31), officials=[cadre])
    q1, q2 = coverage(period=Q1), coverage(period=Q2)
    assert (q1.totals["assigned"], q1.totals["visited"]) == (1, 1)
    assert (q2.totals["assigned"], q2.totals["visited"]) == (1, 0)


def test_a_visit_on_the_first_day_counts_for_the_new_quarter(town, cadre, enterprise):
    AssignmentFactory(official=cadre, enterprise=enterprise)
    VisitFactory(unit=town, enterprise=enterprise, date=datetime.date(2026, 4, 1), officials=[cadre])
    assert coverage(period=Q1).totals["visited"] == 0
    assert coverage(period=Q2).totals["visited"] == 1


def test_year_boundary(town, cadre, enterprise):
    AssignmentFactory(official=cadre, enterprise=enterprise, start_date=datetime.date(2025, 1, 1))
    VisitFactory(unit=town, enterprise=enterprise, date=datetime.date(2025, 12, 31), officials=[cadre])
    VisitFactory(unit=town, enterprise=enterprise, date=datetime.date(2026, 1, 1), officials=[cadre])
    q4 = periods.period_of(datetime.date(2025, 12, 31))
    trend = coverage_trend(periods=[q4.previous(), q4, Q1, Q2])
    assert [(t["assigned"], t["visited"]) for t in trend] == [(1, 0), (1, 1), (1, 1), (1, 0)]


def test_only_the_assigned_official_visiting_counts(town, cadre, enterprise):
    colleague = OfficialFactory(unit=town, role=Official.Role.UNIT_STAFF)
    AssignmentFactory(official=cadre, enterprise=enterprise)
    VisitFactory(unit=town, enterprise=enterprise, date=datetime.date(2026, 5, 1), officials=[colleague])
    VisitFactory(unit=town, enterprise=EnterpriseFactory(town=town), date=datetime.date(2026, 5, 1), officials=[cadre])
    assert coverage(period=Q2).totals["visited"] == 0


def test_assignments_count_in_the_periods_they_overlap(town, cadre, enterprise):
    AssignmentFactory(
        official=cadre, enterprise=enterprise, start_date=datetime.date(2026, 3, 31), end_date=datetime.date(2026, 4, 1)
    )
    later = EnterpriseFactory(town=town)
    AssignmentFactory(official=cadre, enterprise=later, start_date=datetime.date(2026, 4, 2))
    trend = coverage_trend(periods=[Q1, Q2, Q2.next()])
    assert [t["assigned"] for t in trend] == [1, 2, 1]


def test_per_unit_official_enterprise_and_overdue(
    town, other_town, cadre, enterprise, other_enterprise, county_leader_user
):
    second = EnterpriseFactory(town=town)
    other_cadre = OfficialFactory(unit=other_town, role=Official.Role.UNIT_STAFF)
    AssignmentFactory(official=cadre, enterprise=enterprise)
    AssignmentFactory(official=cadre, enterprise=second)
    AssignmentFactory(official=other_cadre, enterprise=other_enterprise)
    VisitFactory(unit=town, enterprise=enterprise, date=datetime.date(2026, 5, 20), officials=[cadre])
    # visited last quarter, not this one: not yet overdue
    VisitFactory(unit=other_town, enterprise=other_enterprise, date=datetime.date(2026, 2, 1), officials=[other_cadre])
    data = coverage(period=Q2)
    by_unit = {row["unit__name"]: (row["assigned"], row["visited"], row["rate"]) for row in data.units}
    assert by_unit == {town.name: (2, 1, 50), other_town.name: (1, 0, 0)}
    by_official = {row["official_id"]: (row["assigned"], row["visited"]) for row in data.officials}
    assert by_official == {cadre.pk: (2, 1), other_cadre.pk: (1, 0)}
    by_enterprise = {row["enterprise_id"]: row["visited"] for row in data.enterprises}
    assert by_enterprise == {enterprise.pk: 1, second.pk: 0, other_enterprise.pk: 0}
    assert [a.enterprise_id for a in data.overdue] == [second.pk]
    only_town = coverage(unit=town, period=Q2)
    assert only_town.totals["assigned"] == 2 and [r["unit__name"] for r in only_town.units] == [town.name]


def _make(n, town):
    for _ in range(n):
        cadre = OfficialFactory(unit=town, role=Official.Role.UNIT_STAFF)
        enterprise = EnterpriseFactory(town=town)
        AssignmentFactory(official=cadre, enterprise=enterprise)
        VisitFactory(unit=town, enterprise=enterprise, date=datetime.date(2026, 5, 2), officials=[cadre])
        AssignmentFactory(official=cadre, enterprise=EnterpriseFactory(town=town))


def test_coverage_runs_a_fixed_number_of_queries(town):
    _make(1, town)
    with CaptureQueriesContext(connection) as one:
        coverage(period=Q2)
    _make(6, town)
    with CaptureQueriesContext(connection) as many:
        data = coverage(period=Q2)
    assert len(one) == len(many) == 6
    assert data.totals["assigned"] == 14 and data.totals["visited"] == 7


def test_coverage_page_query_count_does_not_grow(login, county_office_user, town, django_assert_num_queries):
    client = login(county_office_user)
    _make(1, town)
    url = reverse("visits:coverage") + "?period=" + Q2.key
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _make(8, town)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(one) == len(many)
    assert response.context["data"].totals["assigned"] == 18


def test_a_unit_sees_its_own_coverage_only(login, town_staff_user, town, other_town, other_enterprise):
    other_cadre = OfficialFactory(unit=other_town, role=Official.Role.UNIT_STAFF, name="别镇干部")
    AssignmentFactory(official=other_cadre, enterprise=other_enterprise)
    response = login(town_staff_user).get(reverse("visits:coverage") + f"?unit={other_town.pk}")
    assert response.status_code == 200
    assert response.context["data"].unit == town
    assert "别镇干部" not in response.content.decode()


def test_coverage_page_refuses_anonymous_and_enterprises(client, login, enterprise_user):
    response = client.get(reverse("visits:coverage"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert login(enterprise_user).get(reverse("visits:coverage")).status_code == 403


def test_county_leaders_coverage_counts_their_own_visits_to_their_key_enterprises(
    county_leader_user, county_government, key_enterprises, town, cadre
):
    from visits import services

    leader = county_leader_user.official
    services.leader_assignments_set(
        leader=leader, enterprises=key_enterprises[:2], start_date=datetime.date(2026, 1, 1)
    )
    VisitFactory(
        unit=county_government, enterprise=key_enterprises[0], date=datetime.date(2026, 6, 30), officials=[leader]
    )
    # a town cadre's visit to the leader's other enterprise does not count for the leader
    VisitFactory(unit=town, enterprise=key_enterprises[1], date=datetime.date(2026, 6, 1), officials=[cadre])
    data = coverage(unit=county_government, period=Q2)
    assert [(r["official_id"], r["kind"], r["assigned"], r["visited"]) for r in data.officials] == [
        (leader.pk, "leader", 2, 1)
    ]
    assert coverage(unit=county_government, period=Q2.next()).totals["visited"] == 0
