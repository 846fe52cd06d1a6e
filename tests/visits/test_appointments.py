"""Appointments: the official proposes, the enterprise answers online (or by phone through the
official); overlapping bookings by two units give a warning, not a refusal."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from visits import services
from visits.models import Appointment


def _at(days, hour=9):
    base = timezone.localtime(timezone.now()).replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + datetime.timedelta(days=days)


@pytest.fixture
def appointment(town_staff_user, enterprise):
    appointment, _conflicts = services.appointment_propose(
        enterprise=enterprise, official=town_staff_user.official, starts_at=_at(3), ends_at=_at(3, 11),
        purpose="了解二季度生产经营情况")
    return appointment


def test_another_units_overlapping_booking_is_a_warning_not_a_refusal(appointment, department_staff_user,
                                                                     enterprise, town_staff_user):
    other, conflicts = services.appointment_propose(
        enterprise=enterprise, official=department_staff_user.official, starts_at=_at(3, 10), ends_at=_at(3, 12),
        purpose="宣传市场监管政策")
    assert other.pk and [c.pk for c in conflicts] == [appointment.pk]
    _same_unit, conflicts = services.appointment_propose(
        enterprise=enterprise, official=town_staff_user.official, starts_at=_at(3, 10), ends_at=_at(3, 12), purpose="复访")
    assert [c.pk for c in conflicts] == [other.pk]  # own unit's booking is no conflict
    _later, conflicts = services.appointment_propose(
        enterprise=enterprise, official=department_staff_user.official, starts_at=_at(3, 12), ends_at=_at(3, 13),
        purpose="不重叠")
    assert not [c for c in conflicts if c.pk == appointment.pk]


def test_admin_shows_the_overlap_warning(login, department_staff_user, appointment, enterprise):
    client = login(department_staff_user)
    start = timezone.localtime(appointment.starts_at)
    response = client.post(reverse("admin:visits_appointment_add"), {
        "enterprise": enterprise.pk, "proposed_by": department_staff_user.official.pk,
        "starts_at_0": start.strftime("%Y-%m-%d"), "starts_at_1": "10:00",
        "ends_at_0": start.strftime("%Y-%m-%d"), "ends_at_1": "12:00", "purpose": "联合走访"}, follow=True)
    assert response.status_code == 200
    assert Appointment.objects.count() == 2
    assert "也已预约该企业" in response.content.decode()


def test_the_enterprise_accepts_online(login, enterprise_user, appointment):
    client = login(enterprise_user)
    html = client.get(reverse("portal:my_home")).content.decode()
    assert reverse("visits:my_appointment", args=[appointment.pk]) in html
    response = client.post(reverse("visits:my_appointment", args=[appointment.pk]), {"answer": "accept"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "accepted" and appointment.response_channel == "online"
    assert appointment.responded_by == enterprise_user


def test_the_enterprise_proposes_another_time_and_the_official_takes_it(login, enterprise_user, appointment,
                                                                        town_staff_user):
    client = login(enterprise_user)
    url = reverse("visits:my_appointment", args=[appointment.pk])
    response = client.post(url, {"answer": "counter", "note": "周三上午生产任务重"})
    assert response.status_code == 400
    assert "周三上午生产任务重" in response.content.decode()  # nothing typed is lost
    new_start = _at(5, 14)
    response = client.post(url, {"answer": "counter", "starts_at": new_start.strftime("%Y-%m-%dT%H:%M"),
                                 "ends_at": (new_start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                                 "note": "下午方便"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "counter"
    official = login(town_staff_user)
    response = official.post(reverse("visits:appointment_answer", args=[appointment.pk]), {"take_counter": "1"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "accepted" and appointment.starts_at == new_start


def test_the_official_records_a_phone_answer(login, town_staff_user, appointment):
    client = login(town_staff_user)
    response = client.post(reverse("visits:appointment_answer", args=[appointment.pk]),
                           {"answer": "decline", "note": "停产检修"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "declined" and appointment.response_channel == "phone"


def test_another_town_cannot_record_answers(login, other_town_staff_user, appointment):
    response = login(other_town_staff_user).post(reverse("visits:appointment_answer", args=[appointment.pk]),
                                                 {"answer": "accept"})
    assert response.status_code == 404


def test_pending_and_other_enterprises_cannot_answer(login, pending_enterprise_user, other_enterprise_user,
                                                     appointment):
    url = reverse("visits:my_appointment", args=[appointment.pk])
    assert login(pending_enterprise_user).post(url, {"answer": "accept"}).status_code == 403
    assert login(other_enterprise_user).post(url, {"answer": "accept"}).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "proposed"


def test_a_declined_appointment_cannot_be_accepted_again(appointment, enterprise_user):
    services.appointment_respond(appointment=appointment, by=enterprise_user, answer="decline")
    with pytest.raises(ValidationError):
        services.appointment_respond(appointment=appointment, by=enterprise_user, answer="accept")


def test_end_before_start_is_refused(town_staff_user, enterprise):
    with pytest.raises(ValidationError):
        services.appointment_propose(enterprise=enterprise, official=town_staff_user.official,
                                     starts_at=_at(3, 11), ends_at=_at(3, 9), purpose="x")


def test_the_enterprise_states_a_financing_need(login, enterprise_user, enterprise):
    client = login(enterprise_user)
    url = reverse("visits:my_financing_need")
    response = client.post(url, {"amount": "-5", "purpose": "购置设备", "term_months": "36"})
    assert response.status_code == 400 and "购置设备" in response.content.decode()
    response = client.post(url, {"amount": "500", "purpose": "购置设备", "term_months": "36",
                                 "collateral": "厂房抵押"})
    assert response.status_code == 302
    need = enterprise.financing_needs.get()
    assert need.source == "enterprise" and need.entered_by == enterprise_user


def test_pending_accounts_cannot_state_needs(login, pending_enterprise_user):
    assert login(pending_enterprise_user).get(reverse("visits:my_financing_need")).status_code == 403
