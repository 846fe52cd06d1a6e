"""Unit scoping in the officials' admin: staff of one town cannot list, open or change another
town's enterprise, by any URL."""

import pytest
from django.urls import reverse

from portal.models import Enterprise


@pytest.fixture
def taihe_client(login, town_staff_user):
    return login(town_staff_user)


def test_town_staff_list_only_their_own_towns_enterprises(taihe_client, enterprise, other_enterprise):
    response = taihe_client.get(reverse("admin:portal_enterprise_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert enterprise.name in html
    assert other_enterprise.name not in html


def test_town_staff_cannot_open_another_towns_enterprise_by_url(taihe_client, other_enterprise):
    for name in ["admin:portal_enterprise_change", "admin:portal_enterprise_history", "admin:portal_enterprise_delete"]:
        response = taihe_client.get(reverse(name, args=[other_enterprise.pk]))
        # The admin answers as for a record that does not exist.
        assert response.status_code in (302, 403, 404), name
        if response.status_code == 302:
            assert response["Location"] == reverse("admin:index")
        assert other_enterprise.name not in response.content.decode()


def test_town_staff_cannot_change_another_towns_enterprise_by_post(taihe_client, other_enterprise):
    url = reverse("admin:portal_enterprise_change", args=[other_enterprise.pk])
    taihe_client.post(url, {"name": "篡改", "uscc": other_enterprise.uscc, "town": other_enterprise.town_id})
    other_enterprise.refresh_from_db()
    assert other_enterprise.name != "篡改"


def test_town_staff_can_change_their_own_enterprise_and_history_records_it(taihe_client, enterprise, town):
    url = reverse("admin:portal_enterprise_change", args=[enterprise.pk])
    response = taihe_client.post(
        url, {"name": "新名称有限公司", "uscc": enterprise.uscc, "town": town.pk, "industry": "C", "scale": "small"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    enterprise.refresh_from_db()
    assert enterprise.name == "新名称有限公司"
    latest = enterprise.history.first()
    assert latest.history_user.username == taihe_client.session.get("_auth_user_id") or latest.history_user
    history = taihe_client.get(reverse("admin:portal_enterprise_history", args=[enterprise.pk]))
    assert "新名称有限公司" in history.content.decode()


def test_town_staff_can_only_choose_their_own_town_for_a_new_enterprise(taihe_client, town, other_town):
    response = taihe_client.get(reverse("admin:portal_enterprise_add"))
    field = response.context["adminform"].form.fields["town"]
    assert list(field.queryset) == [town]


def test_county_office_sees_every_town(login, county_office_user, enterprise, other_enterprise):
    client = login(county_office_user)
    html = client.get(reverse("admin:portal_enterprise_changelist")).content.decode()
    assert enterprise.name in html and other_enterprise.name in html


def test_department_staff_may_look_up_any_enterprise_but_not_change_it(login, department_staff_user, enterprise):
    client = login(department_staff_user)
    url = reverse("admin:portal_enterprise_change", args=[enterprise.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    client.post(url, {"name": "篡改", "uscc": enterprise.uscc, "town": enterprise.town_id})
    enterprise.refresh_from_db()
    assert enterprise.name != "篡改"


def test_wrong_credit_code_in_admin_gets_a_chinese_message(taihe_client, town):
    response = taihe_client.post(
        reverse("admin:portal_enterprise_add"), {"name": "测试企业", "uscc": "91350100M000100Y44", "town": town.pk}
    )
    assert response.status_code == 200
    assert "校验码" in response.content.decode()
    assert not Enterprise.objects.filter(name="测试企业").exists()


def test_role_groups_exist_with_permissions(db):
    from django.contrib.auth.models import Group

    office = Group.objects.get(name="县政府办")
    staff = Group.objects.get(name="单位工作人员")
    assert office.permissions.filter(codename="add_calendaradjustment").exists()
    assert staff.permissions.filter(codename="change_enterprise").exists()
    assert not staff.permissions.filter(codename="add_calendaradjustment").exists()
