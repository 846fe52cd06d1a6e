"""Liaison assignments: the 2–3 rule for county leaders (service and admin form), the remit
rule for cadres, history, and the enterprise ids the liaison app reads."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from visits import services
from visits.models import LiaisonAssignment
from visits.selectors import liaison_enterprise_ids

D = datetime.date(2026, 1, 1)


@pytest.fixture
def leader(county_leader_user):
    return county_leader_user.official


def test_a_leader_gets_two_or_three_key_enterprises(leader, key_enterprises):
    services.leader_assignments_set(leader=leader, enterprises=key_enterprises[:3], start_date=D)
    assert LiaisonAssignment.objects.filter(official=leader, end_date__isnull=True).count() == 3
    assert set(LiaisonAssignment.objects.values_list("kind", flat=True)) == {"leader"}


@pytest.mark.parametrize("count", [0, 1, 4])
def test_fewer_than_two_or_more_than_three_is_refused_with_a_chinese_message(leader, key_enterprises, count):
    with pytest.raises(ValidationError) as caught:
        services.leader_assignments_set(leader=leader, enterprises=key_enterprises[:count], start_date=D)
    assert "2" in caught.value.messages[0] and "3" in caught.value.messages[0]
    assert "县领导" in caught.value.messages[0]
    assert not LiaisonAssignment.objects.exists()


def test_a_leader_looks_after_key_enterprises_only(leader, key_enterprises, enterprise):
    with pytest.raises(ValidationError, match="重点企业"):
        services.leader_assignments_set(leader=leader, enterprises=[key_enterprises[0], enterprise], start_date=D)


def test_bounds_come_from_settings(leader, key_enterprises, settings):
    settings.LEADER_LIAISON_MAX = 4
    services.leader_assignments_set(leader=leader, enterprises=key_enterprises, start_date=D)
    assert LiaisonAssignment.objects.count() == 4
    settings.LEADER_LIAISON_MIN = 5
    settings.LEADER_LIAISON_MAX = 6
    with pytest.raises(ValidationError):
        services.leader_assignments_set(leader=leader, enterprises=key_enterprises, start_date=D)


def test_changing_the_set_ends_dropped_ones_and_keeps_history(leader, key_enterprises):
    services.leader_assignments_set(leader=leader, enterprises=key_enterprises[:2], start_date=D)
    later = datetime.date(2026, 7, 1)
    services.leader_assignments_set(leader=leader, enterprises=key_enterprises[1:4], start_date=later)
    dropped = LiaisonAssignment.objects.get(official=leader, enterprise=key_enterprises[0])
    assert dropped.end_date == datetime.date(2026, 6, 30)
    kept = LiaisonAssignment.objects.get(official=leader, enterprise=key_enterprises[1])
    assert kept.start_date == D and kept.end_date is None
    assert LiaisonAssignment.objects.filter(official=leader, end_date__isnull=True).count() == 3
    assert dropped.history.count() == 2  # created, then ended


def test_adding_one_at_a_time_cannot_leave_a_leader_with_one(leader, key_enterprises):
    with pytest.raises(ValidationError):
        services.assignment_create(official=leader, enterprise=key_enterprises[0], start_date=D)
    services.leader_assignments_set(leader=leader, enterprises=key_enterprises[:2], start_date=D)
    services.assignment_create(official=leader, enterprise=key_enterprises[2], start_date=D)
    with pytest.raises(ValidationError):
        services.assignment_create(official=leader, enterprise=key_enterprises[3], start_date=D)


def test_ending_a_leaders_assignment_below_the_minimum_is_refused(leader, key_enterprises):
    services.leader_assignments_set(leader=leader, enterprises=key_enterprises[:2], start_date=D)
    assignment = LiaisonAssignment.objects.filter(official=leader).first()
    with pytest.raises(ValidationError):
        services.assignment_end(assignment=assignment, end_date=datetime.date(2026, 3, 1))
    assignment.refresh_from_db()
    assert assignment.end_date is None


def test_only_the_county_office_sets_leaders_enterprises(leader, key_enterprises, town_head_user, county_office_user):
    with pytest.raises(PermissionDenied):
        services.leader_assignments_set(leader=leader, enterprises=key_enterprises[:2], start_date=D, by=town_head_user)
    services.leader_assignments_set(leader=leader, enterprises=key_enterprises[:2], start_date=D, by=county_office_user)


def test_admin_leader_form_shows_the_rule_and_saves_nothing(login, county_office_user, leader, key_enterprises):
    client = login(county_office_user)
    url = reverse("admin:visits_countyleader_change", args=[leader.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"key_enterprises": [key_enterprises[0].pk], "start_date": "2026-01-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "每位县领导联系 2 至 3 家重点企业" in html
    assert not LiaisonAssignment.objects.exists()
    response = client.post(url, {"key_enterprises": [e.pk for e in key_enterprises[:3]], "start_date": "2026-01-01"})
    assert response.status_code == 302
    assert LiaisonAssignment.objects.filter(official=leader).count() == 3


def test_town_staff_cannot_change_leaders_sets(login, town_staff_user, leader, key_enterprises):
    client = login(town_staff_user)
    url = reverse("admin:visits_countyleader_change", args=[leader.pk])
    client.post(url, {"key_enterprises": [e.pk for e in key_enterprises[:2]], "start_date": "2026-01-01"})
    assert not LiaisonAssignment.objects.exists()


def test_a_town_cadre_looks_after_the_towns_enterprises_only(town_staff_user, enterprise, other_enterprise):
    cadre = town_staff_user.official
    services.assignment_create(official=cadre, enterprise=enterprise, start_date=D)
    with pytest.raises(ValidationError, match="只联系本镇"):
        services.assignment_create(official=cadre, enterprise=other_enterprise, start_date=D)


def test_department_cadres_may_look_after_any_enterprise(department_staff_user, enterprise, other_enterprise):
    cadre = department_staff_user.official
    services.assignment_create(official=cadre, enterprise=enterprise, start_date=D)
    services.assignment_create(official=cadre, enterprise=other_enterprise, start_date=D)
    assert LiaisonAssignment.objects.filter(official=cadre, kind="cadre").count() == 2


def test_the_same_pair_is_not_assigned_twice(town_staff_user, enterprise):
    cadre = town_staff_user.official
    services.assignment_create(official=cadre, enterprise=enterprise, start_date=D)
    with pytest.raises(ValidationError):
        services.assignment_create(official=cadre, enterprise=enterprise, start_date=D)


def test_unit_staff_assign_their_own_units_cadres_only(town_staff_user, other_town_staff_user, other_enterprise):
    with pytest.raises(PermissionDenied):
        services.assignment_create(
            official=other_town_staff_user.official, enterprise=other_enterprise, start_date=D, by=town_staff_user
        )


def test_admin_assignment_form_refuses_another_towns_enterprise_in_chinese(
    login, town_head_user, town_staff_user, enterprise, other_enterprise
):
    client = login(town_head_user)
    url = reverse("admin:visits_liaisonassignment_add")
    response = client.post(
        url, {"official": town_staff_user.official.pk, "enterprise": other_enterprise.pk, "start_date": "2026-01-01"}
    )
    assert response.status_code == 200
    assert not LiaisonAssignment.objects.exists()
    response = client.post(
        url, {"official": town_staff_user.official.pk, "enterprise": enterprise.pk, "start_date": "2026-01-01"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = LiaisonAssignment.objects.get()
    assert assignment.unit == town_staff_user.official.unit
    history = client.get(reverse("admin:visits_liaisonassignment_history", args=[assignment.pk]))
    assert history.status_code == 200


def test_liaison_enterprise_ids_lists_current_assignments_only(leader, key_enterprises, county_leader_user):
    services.leader_assignments_set(leader=leader, enterprises=key_enterprises[:2], start_date=D)
    services.leader_assignments_set(leader=leader, enterprises=key_enterprises[1:3], start_date=D)
    assert liaison_enterprise_ids(county_leader_user) == {key_enterprises[1].pk, key_enterprises[2].pk}


def test_liaison_enterprise_ids_is_empty_for_others(enterprise_user, db):
    assert liaison_enterprise_ids(enterprise_user) == set()
