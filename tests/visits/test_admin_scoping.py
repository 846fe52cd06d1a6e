"""A town's cadre cannot see another town's visits (or appointments, problems, meetings,
assignments) by any admin URL: changelist, change, history, delete, nor change them by POST."""

import datetime

import pytest
from django.urls import reverse

from portal.models import Official
from tests.factories import OfficialFactory
from visits.models import Appointment, Visit, VisitParticipant

from .factories import AssignmentFactory, MeetingFactory, VisitFactory, VisitProblemFactory


@pytest.fixture
def other_town_visit(other_town, other_enterprise, other_town_staff_user):
    return VisitFactory(
        unit=other_town,
        enterprise=other_enterprise,
        met_persons="机密接待人甲",
        officials=[other_town_staff_user.official],
    )


@pytest.fixture
def own_visit(town, enterprise, town_staff_user):
    return VisitFactory(
        unit=town, enterprise=enterprise, met_persons="本镇接待人乙", officials=[town_staff_user.official]
    )


def _records(other_town, other_enterprise, other_town_staff_user, other_town_visit):
    from django.utils import timezone

    start = timezone.now() + datetime.timedelta(days=3)
    appointment = Appointment.objects.create(
        enterprise=other_enterprise,
        unit=other_town,
        proposed_by=other_town_staff_user.official,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        purpose="机密预约",
    )
    meeting = MeetingFactory(unit=other_town, title="机密座谈会")
    problem = VisitProblemFactory(visit=other_town_visit, title="机密问题")
    assignment = AssignmentFactory(official=other_town_staff_user.official, enterprise=other_enterprise)
    return {
        "visit": (other_town_visit, "机密接待人甲"),
        "appointment": (appointment, "机密预约"),
        "meeting": (meeting, "机密座谈会"),
        "visitproblem": (problem, "机密问题"),
        "liaisonassignment": (assignment, other_town_staff_user.official.name),
    }


def test_town_cadre_cannot_reach_another_towns_records_by_any_admin_url(
    login, town_staff_user, other_town, other_enterprise, other_town_staff_user, other_town_visit, own_visit
):
    records = _records(other_town, other_enterprise, other_town_staff_user, other_town_visit)
    client = login(town_staff_user)
    for model, (obj, secret) in records.items():
        changelist = client.get(reverse(f"admin:visits_{model}_changelist"))
        assert changelist.status_code == 200, model
        assert obj.pk not in [row.pk for row in changelist.context["cl"].result_list], model
        assert secret not in changelist.content.decode(), model
        for view in ("change", "history", "delete"):
            response = client.get(reverse(f"admin:visits_{model}_{view}", args=[obj.pk]))
            assert response.status_code in (302, 403, 404), (model, view)
            if response.status_code == 302:
                assert response["Location"] == reverse("admin:index"), (model, view)
            assert secret not in response.content.decode(), (model, view)
        client.post(reverse(f"admin:visits_{model}_delete", args=[obj.pk]), {"post": "yes"})
        assert type(obj).objects.filter(pk=obj.pk).exists(), model


def test_town_cadre_cannot_change_another_towns_visit_by_post(login, town_staff_user, other_town_visit):
    client = login(town_staff_user)
    url = reverse("admin:visits_visit_change", args=[other_town_visit.pk])
    client.post(
        url,
        {
            "met_persons": "篡改",
            "enterprise": other_town_visit.enterprise_id,
            "date": "2026-05-01",
            "form": "onsite",
            "operation": "normal",
        },
    )
    other_town_visit.refresh_from_db()
    assert other_town_visit.met_persons == "机密接待人甲"


def test_town_cadre_sees_and_opens_own_visits_and_history(login, town_staff_user, own_visit, other_town_visit):
    client = login(town_staff_user)
    response = client.get(reverse("admin:visits_visit_changelist"))
    assert [v.pk for v in response.context["cl"].result_list] == [own_visit.pk]
    assert own_visit.enterprise.name in response.content.decode()
    assert client.get(reverse("admin:visits_visit_change", args=[own_visit.pk])).status_code == 200
    assert client.get(reverse("admin:visits_visit_history", args=[own_visit.pk])).status_code == 200


def test_county_office_sees_every_towns_visits(login, county_office_user, own_visit, other_town_visit):
    response = login(county_office_user).get(reverse("admin:visits_visit_changelist"))
    assert {v.pk for v in response.context["cl"].result_list} == {own_visit.pk, other_town_visit.pk}


def test_department_sees_its_own_visits_not_towns(login, department_staff_user, department, enterprise, own_visit):
    dept_visit = VisitFactory(
        unit=department, enterprise=enterprise, officials=[department_staff_user.official], met_persons="部门接待"
    )
    client = login(department_staff_user)
    response = client.get(reverse("admin:visits_visit_changelist"))
    pks = [v.pk for v in response.context["cl"].result_list]
    assert pks == [dept_visit.pk]


def test_a_town_sees_departments_visits_to_its_enterprises_but_cannot_change_them(
    login, town_staff_user, department, department_staff_user, enterprise
):
    dept_visit = VisitFactory(unit=department, enterprise=enterprise, officials=[department_staff_user.official])
    client = login(town_staff_user)
    response = client.get(reverse("admin:visits_visit_change", args=[dept_visit.pk]))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_recording_a_visit_in_the_admin(login, town_staff_user, enterprise, town):
    client = login(town_staff_user)
    colleague = OfficialFactory(unit=town, role=Official.Role.UNIT_STAFF)
    data = {
        "enterprise": enterprise.pk,
        "date": "2026-06-30",
        "form": "onsite",
        "team": [town_staff_user.official.pk, colleague.pk],
        "met_persons": "李厂长",
        "operation": "good",
        "output_value": "1200.50",
        "employees": "85",
        "capacity_use": "76.5",
        "policies_explained": "技改补贴政策",
        "problems-TOTAL_FORMS": "1",
        "problems-INITIAL_FORMS": "0",
        "problems-MIN_NUM_FORMS": "0",
        "problems-MAX_NUM_FORMS": "1000",
        "problems-0-category": "land",
        "problems-0-title": "扩建用地指标不足",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:visits_visit_add"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    visit = Visit.objects.get()
    assert visit.unit == town and visit.recorded_by == town_staff_user
    assert set(VisitParticipant.objects.values_list("official_id", flat=True)) == {
        town_staff_user.official.pk,
        colleague.pk,
    }
    assert set(VisitParticipant.objects.values_list("date", flat=True)) == {datetime.date(2026, 6, 30)}
    problem = visit.problems.get()
    assert problem.enterprise == enterprise and problem.title == "扩建用地指标不足"


def test_a_visit_in_the_future_or_with_capacity_over_100_is_refused_in_chinese(login, town_staff_user, enterprise):
    client = login(town_staff_user)
    data = {
        "enterprise": enterprise.pk,
        "date": "2099-01-01",
        "form": "onsite",
        "team": [town_staff_user.official.pk],
        "met_persons": "李厂长",
        "operation": "good",
        "capacity_use": "120",
        "problems-TOTAL_FORMS": "0",
        "problems-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:visits_visit_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "不能登记未来日期的走访" in html
    assert "李厂长" in html  # nothing typed is lost
    assert not Visit.objects.exists()


def test_a_town_cadre_cannot_pick_another_towns_enterprise(login, town_staff_user, enterprise, other_enterprise):
    response = login(town_staff_user).get(reverse("admin:visits_visit_add"))
    choices = list(response.context["adminform"].form.fields["enterprise"].queryset)
    assert enterprise in choices and other_enterprise not in choices


def test_anonymous_and_enterprise_users_get_no_admin(client, enterprise_user, login):
    assert client.get(reverse("admin:visits_visit_changelist")).status_code == 302
    response = login(enterprise_user).get(reverse("admin:visits_visit_changelist"))
    assert response.status_code == 302


def _visits(n, town, enterprise, official):
    from .factories import VisitProblemFactory

    for i in range(n):
        visit = VisitFactory(
            unit=town,
            enterprise=enterprise,
            officials=[official],
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
        )
        VisitProblemFactory(visit=visit)


@pytest.mark.parametrize("who", ["town_staff_user", "county_office_user"])
def test_visit_changelist_query_count_does_not_grow(login, request, town, enterprise, town_staff_user, who):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(request.getfixturevalue(who))
    url = reverse("admin:visits_visit_changelist")
    _visits(1, town, enterprise, town_staff_user.official)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _visits(30, town, enterprise, town_staff_user.official)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(one) == len(many)
    assert len(response.context["cl"].result_list) == 31


def test_visit_changelist_search_and_period_filter(
    login, county_office_user, town, enterprise, other_enterprise, town_staff_user
):
    enterprise.name, other_enterprise.name = "清远市宏盛陶瓷制造有限公司", "清远市瑞达物流运输有限公司"
    enterprise.save(update_fields=["name"])
    other_enterprise.save(update_fields=["name"])
    VisitFactory(unit=town, enterprise=enterprise, date=datetime.date(2026, 3, 31))
    VisitFactory(unit=town, enterprise=enterprise, date=datetime.date(2026, 4, 1))
    VisitFactory(enterprise=other_enterprise, unit=other_enterprise.town, date=datetime.date(2026, 4, 2))
    client = login(county_office_user)
    url = reverse("admin:visits_visit_changelist")
    found = client.get(url, {"q": "宏盛陶瓷"}).context["cl"].result_list
    assert {v.enterprise_id for v in found} == {enterprise.pk}
    found = client.get(url, {"q": other_enterprise.uscc}).context["cl"].result_list
    assert [v.enterprise_id for v in found] == [other_enterprise.pk]
    found = client.get(url, {"period": "2026-04-01"}).context["cl"].result_list
    assert sorted(v.date.day for v in found) == [1, 2]


def test_a_visit_links_published_policies_through_the_policies_selector(login, town_staff_user, enterprise):
    from tests.policies.factories import DraftFactory, PolicyFactory

    published = PolicyFactory(title="清新县技术改造事后奖补办法")
    draft = DraftFactory(title="未发布的草稿政策")
    client = login(town_staff_user)
    form = client.get(reverse("admin:visits_visit_add")).context["adminform"].form
    choices = dict(form.fields["linked_policies"].choices)
    assert published.pk in choices and draft.pk not in choices
    data = {
        "enterprise": enterprise.pk,
        "date": "2026-06-30",
        "form": "onsite",
        "team": [town_staff_user.official.pk],
        "met_persons": "李厂长",
        "operation": "good",
        "policies_explained": "讲解技改奖补",
        "linked_policies": [published.pk],
        "problems-TOTAL_FORMS": "0",
        "problems-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    assert client.post(reverse("admin:visits_visit_add"), data).status_code == 302
    visit = Visit.objects.get()
    assert visit.policy_links == [
        {"id": published.pk, "title": "清新县技术改造事后奖补办法", "url": published.get_absolute_url()}
    ]
    response = client.get(reverse("visits:ledger_export", args=["visits", "csv"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "讲解技改奖补；清新县技术改造事后奖补办法" in body
