"""Every workflow's status changes are shown on the record's admin page: when, by whom, which
action, from which state to which, and why — in Chinese, to whoever may open the record."""

import datetime

from django.utils import timezone

from policies import services as policy_services
from tests.policies.factories import PolicyFactory
from visits import services as visit_services


def _history(html):
    history = html.split('id="portal-transitionlog-content_type-object_id-heading"', 1)[1].split("</fieldset>", 1)[0]
    assert "状态变更" in history and "原状态 → 新状态" in history
    return history


def test_a_policys_admin_page_shows_who_withdrew_it_when_and_why(login, county_office_user, county_office_unit):
    policy = PolicyFactory(unit=county_office_unit)
    policy_services.policy_withdraw(policy=policy, user=county_office_user, reason="金额有误")
    html = login(county_office_user).get(f"/admin/policies/policy/{policy.pk}/change/").content.decode()
    history = _history(html)
    assert "撤回" in history and "已发布 → 已撤回" in history and "金额有误" in history
    assert county_office_user.get_username() in history
    assert "withdraw" not in history and "published" not in history  # no raw names


def test_an_appointments_admin_page_shows_its_cancellation_to_the_unit_staff(login, town_staff_user, enterprise):
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    appointment, _conflicts = visit_services.appointment_propose(
        enterprise=enterprise,
        official=town_staff_user.official,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        purpose="了解生产经营情况",
    )
    visit_services.appointment_cancel(appointment=appointment, by=town_staff_user, reason="领导另有安排")
    response = login(town_staff_user).get(f"/admin/visits/appointment/{appointment.pk}/change/")
    assert response.status_code == 200
    history = _history(response.content.decode())
    assert "领导另有安排" in history and "已取消" in history and town_staff_user.get_username() in history

    # The read-only history does not get in the way of saving the record.
    local = timezone.localtime(appointment.starts_at)
    response = login(town_staff_user).post(
        f"/admin/visits/appointment/{appointment.pk}/change/",
        {
            "purpose": "了解用工情况",
            "starts_at_0": local.date().isoformat(),
            "starts_at_1": local.strftime("%H:%M:%S"),
            "ends_at_0": local.date().isoformat(),
            "ends_at_1": (local + datetime.timedelta(hours=2)).strftime("%H:%M:%S"),
            "_save": "1",
        },
    )  # without the history's (management) fields: it takes no part in saving
    assert response.status_code == 302, response.content.decode()[:3000]
    appointment.refresh_from_db()
    assert appointment.purpose == "了解用工情况"
