"""Issue 12 item 5: cross-unit writes and reads outside the admin, each through the one rule."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import Official
from tests.factories import EnterpriseFactory, OfficialFactory
from visits.models import Appointment, FinancingNeed, LiaisonAssignment, Meeting


def _appointment(unit, enterprise, by):
    start = timezone.now() + datetime.timedelta(days=3)
    return Appointment.objects.create(
        unit=unit,
        enterprise=enterprise,
        proposed_by=by.official,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )


def test_a_town_cannot_answer_another_units_appointment_with_its_enterprise(
    login, town_staff_user, department, department_staff_user, enterprise
):
    appointment = _appointment(department, enterprise, department_staff_user)
    client = login(town_staff_user)
    url = reverse("visits:appointment_answer", args=[appointment.pk])
    assert client.get(url).status_code in (403, 404)
    response = client.post(url, {"answer": "accept"})
    assert response.status_code in (403, 404)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.PROPOSED
    # It still sees the appointment (its enterprise's), and the proposing unit answers it.
    assert town_staff_user.has_perm("visits.view_appointment", appointment)
    assert not town_staff_user.has_perm("visits.change_appointment", appointment)
    assert department_staff_user.has_perm("visits.change_appointment", appointment)
    assert login(department_staff_user).get(url).status_code == 200


@pytest.fixture
def other_towns_need(other_enterprise):
    return FinancingNeed.objects.create(enterprise=other_enterprise, amount=100, purpose="购置设备", term_months=12)


def test_a_department_reads_but_cannot_change_a_towns_financing_need(login, department_staff_user, other_towns_need):
    client = login(department_staff_user)
    url = reverse("admin:visits_financingneed_change", args=[other_towns_need.pk])
    assert department_staff_user.has_perm("visits.view_financingneed", other_towns_need)
    assert not department_staff_user.has_perm("visits.change_financingneed", other_towns_need)
    response = client.post(
        url,
        {
            "enterprise": other_towns_need.enterprise_id,
            "amount": 999,
            "purpose": "篡改",
            "term_months": 12,
            "status": other_towns_need.status,
            "matches-TOTAL_FORMS": "0",
            "matches-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code in (200, 302, 403)
    other_towns_need.refresh_from_db()
    assert other_towns_need.purpose == "购置设备"


def test_the_town_changes_its_own_enterprises_financing_need(other_town_staff_user, other_towns_need):
    assert other_town_staff_user.has_perm("visits.change_financingneed", other_towns_need)


def test_a_county_leader_sees_only_his_key_enterprises_financing_needs(login, county_leader_user, town, enterprise):
    key = EnterpriseFactory(town=town, is_key=True)
    LiaisonAssignment.objects.create(
        official=county_leader_user.official,
        enterprise=key,
        unit=county_leader_user.official.unit,
        kind=LiaisonAssignment.Kind.LEADER,
        start_date=datetime.date(2020, 1, 1),
    )
    mine = FinancingNeed.objects.create(enterprise=key, amount=100, purpose="扩产", term_months=12)
    other = FinancingNeed.objects.create(enterprise=enterprise, amount=50, purpose="周转", term_months=6)
    assert list(FinancingNeed.objects.visible_to(county_leader_user)) == [mine]
    response = login(county_leader_user).get(reverse("admin:visits_financingneed_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert not county_leader_user.has_perm("visits.view_financingneed", other)


def test_the_enterprise_file_shows_only_meetings_the_official_may_see(
    login, department_staff_user, other_department, enterprise, town
):
    other_official = OfficialFactory(unit=other_department, role=Official.Role.UNIT_STAFF)
    meeting = Meeting.objects.create(
        unit=other_department,
        title="自然资源局内部会议",
        date=datetime.date(2026, 5, 6),
        recorded_by=other_official.user,
    )
    meeting.enterprises_attending.add(enterprise)
    page = login(department_staff_user).get(reverse("visits:enterprise_file", args=[enterprise.pk]))
    assert page.status_code == 200
    assert "自然资源局内部会议" not in page.content.decode()
    # The town of the enterprise sees the meetings its enterprises attended.
    town_official = OfficialFactory(unit=town, role=Official.Role.UNIT_STAFF)
    page = login(town_official.user).get(reverse("visits:enterprise_file", args=[enterprise.pk]))
    assert "自然资源局内部会议" in page.content.decode()


def test_an_admin_action_skips_the_records_the_user_may_not_change(
    login, town_staff_user, department, department_staff_user, enterprise
):
    """A town sees the problems other units raised at visits to its enterprises, but turning one
    into a matter (an admin action on the changelist) stays with the unit that visited."""
    from tests.visits.factories import VisitFactory, VisitProblemFactory

    problem = VisitProblemFactory(visit=VisitFactory(unit=department, enterprise=enterprise))
    client = login(town_staff_user)
    changelist = reverse("admin:visits_visitproblem_changelist")
    assert f"/{problem.pk}/change/" in client.get(changelist).content.decode()
    response = client.post(changelist, {"action": "turn_into_matters", "_selected_action": [problem.pk]}, follow=True)
    assert response.status_code == 200
    problem.refresh_from_db()
    assert problem.matter_id is None
    assert "无权" in response.content.decode()


def test_the_changelist_offers_turn_into_a_matter_only_where_the_rule_allows(
    login, town, town_staff_user, department, enterprise
):
    """No button that leads to a 403: a department's problem at the town's enterprise is listed for
    the town without one; the town's own problem has it."""
    from tests.visits.factories import VisitFactory, VisitProblemFactory

    theirs = VisitProblemFactory(visit=VisitFactory(unit=department, enterprise=enterprise))
    ours = VisitProblemFactory(visit=VisitFactory(unit=town, enterprise=enterprise))
    page = login(town_staff_user).get(reverse("admin:visits_visitproblem_changelist")).content.decode()
    assert reverse("visits:problem_to_matter", args=["visit", ours.pk]) in page
    assert reverse("visits:problem_to_matter", args=["visit", theirs.pk]) not in page
