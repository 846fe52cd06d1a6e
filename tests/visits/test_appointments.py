"""Appointments: the official proposes, the enterprise answers online (or by phone through the
official); overlapping bookings by two units give a warning, not a refusal."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.core.workflow import ActionRefused, history_of
from visits import services
from visits.models import Appointment


def _at(days, hour=9):
    base = timezone.localtime(timezone.now()).replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + datetime.timedelta(days=days)


@pytest.fixture
def appointment(town_staff_user, enterprise):
    appointment, _conflicts = services.appointment_propose(
        enterprise=enterprise,
        official=town_staff_user.official,
        starts_at=_at(3),
        ends_at=_at(3, 11),
        purpose="了解二季度生产经营情况",
    )
    return appointment


def test_another_units_overlapping_booking_is_a_warning_not_a_refusal(
    appointment, department_staff_user, enterprise, town_staff_user
):
    other, conflicts = services.appointment_propose(
        enterprise=enterprise,
        official=department_staff_user.official,
        starts_at=_at(3, 10),
        ends_at=_at(3, 12),
        purpose="宣传市场监管政策",
    )
    assert other.pk and [c.pk for c in conflicts] == [appointment.pk]
    _same_unit, conflicts = services.appointment_propose(
        enterprise=enterprise,
        official=town_staff_user.official,
        starts_at=_at(3, 10),
        ends_at=_at(3, 12),
        purpose="复访",
    )
    assert [c.pk for c in conflicts] == [other.pk]  # own unit's booking is no conflict
    _later, conflicts = services.appointment_propose(
        enterprise=enterprise,
        official=department_staff_user.official,
        starts_at=_at(3, 12),
        ends_at=_at(3, 13),
        purpose="不重叠",
    )
    assert not [c for c in conflicts if c.pk == appointment.pk]


def test_admin_shows_the_overlap_warning(login, department_staff_user, appointment, enterprise):
    client = login(department_staff_user)
    start = timezone.localtime(appointment.starts_at)
    response = client.post(
        reverse("admin:visits_appointment_add"),
        {
            "enterprise": enterprise.pk,
            "proposed_by": department_staff_user.official.pk,
            "starts_at_0": start.strftime("%Y-%m-%d"),
            "starts_at_1": "10:00",
            "ends_at_0": start.strftime("%Y-%m-%d"),
            "ends_at_1": "12:00",
            "purpose": "联合走访",
        },
        follow=True,
    )
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


def test_the_enterprise_proposes_another_time_and_the_official_takes_it(
    login, enterprise_user, appointment, town_staff_user
):
    client = login(enterprise_user)
    url = reverse("visits:my_appointment", args=[appointment.pk])
    response = client.post(url, {"answer": "counter", "note": "周三上午生产任务重"})
    assert response.status_code == 400
    assert "周三上午生产任务重" in response.content.decode()  # nothing typed is lost
    new_start = _at(5, 14)
    response = client.post(
        url,
        {
            "answer": "counter",
            "starts_at": new_start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (new_start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "note": "下午方便",
        },
    )
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
    response = client.post(
        reverse("visits:appointment_answer", args=[appointment.pk]), {"answer": "decline", "note": "停产检修"}
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "declined" and appointment.response_channel == "phone"


def test_another_town_cannot_record_answers(login, other_town_staff_user, appointment):
    response = login(other_town_staff_user).post(
        reverse("visits:appointment_answer", args=[appointment.pk]), {"answer": "accept"}
    )
    assert response.status_code == 404


def test_pending_and_other_enterprises_cannot_answer(
    login, pending_enterprise_user, other_enterprise_user, appointment
):
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
        services.appointment_propose(
            enterprise=enterprise,
            official=town_staff_user.official,
            starts_at=_at(3, 11),
            ends_at=_at(3, 9),
            purpose="x",
        )


def test_the_enterprise_states_a_financing_need(login, enterprise_user, enterprise):
    client = login(enterprise_user)
    url = reverse("visits:my_financing_need")
    response = client.post(url, {"amount": "-5", "purpose": "购置设备", "term_months": "36"})
    assert response.status_code == 400 and "购置设备" in response.content.decode()
    response = client.post(url, {"amount": "500", "purpose": "购置设备", "term_months": "36", "collateral": "厂房抵押"})
    assert response.status_code == 302
    need = enterprise.financing_needs.get()
    assert need.source == "enterprise" and need.entered_by == enterprise_user


def test_pending_accounts_cannot_state_needs(login, pending_enterprise_user):
    assert login(pending_enterprise_user).get(reverse("visits:my_financing_need")).status_code == 403


# --- one workflow: every change through the transition service, recorded who/when/why ----------


def test_every_answer_is_recorded_with_who_when_and_why(appointment, enterprise_user, town_staff_user):
    services.appointment_respond(appointment=appointment, by=enterprise_user, answer="decline", note="停产检修")
    services.appointment_reschedule(appointment=appointment, starts_at=_at(6), ends_at=_at(6, 10), by=town_staff_user)
    log = list(history_of(appointment))
    assert [(e.action, e.from_state, e.to_state) for e in log] == [
        ("decline", "proposed", "declined"),
        ("reschedule", "declined", "proposed"),
    ]
    assert log[0].actor == enterprise_user and log[0].reason == "停产检修" and log[0].created_at
    assert log[1].actor == town_staff_user


def test_refusals_are_the_one_domain_exception(appointment, enterprise_user):
    services.appointment_respond(appointment=appointment, by=enterprise_user, answer="decline")
    with pytest.raises(ActionRefused) as refused:
        services.appointment_respond(appointment=appointment, by=enterprise_user, answer="accept")
    assert refused.value.code == "state"
    with pytest.raises(ActionRefused) as refused:
        services.appointment_cancel(appointment=appointment, by=enterprise_user)  # declined: nothing to cancel
    assert refused.value.code == "state" and "不能" in str(refused.value)
    assert Appointment.objects.get(pk=appointment.pk).status == "declined"


def test_the_official_cancels_an_appointment_with_a_reason(login, town_staff_user, appointment):
    client = login(town_staff_user)
    page = client.get(reverse("visits:appointment_answer", args=[appointment.pk])).content.decode()
    assert 'name="cancel"' in page
    response = client.post(
        reverse("visits:appointment_answer", args=[appointment.pk]),
        {"cancel": "1", "reason": "领导临时有会"},
        follow=True,
    )
    assert response.status_code == 200 and "预约已取消" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    event = history_of(appointment).get()
    assert (event.action, event.actor, event.reason) == ("cancel", town_staff_user, "领导临时有会")
    # a cancelled appointment cannot be cancelled again: a message, not a 500
    response = client.post(reverse("visits:appointment_answer", args=[appointment.pk]), {"cancel": "1"}, follow=True)
    assert response.status_code == 200 and "已取消" in response.content.decode()
    assert history_of(appointment).count() == 1


def test_the_enterprise_cancels_its_appointment_but_not_another_enterprises(
    login, enterprise_user, other_enterprise_user, other_town_staff_user, appointment
):
    url = reverse("visits:my_appointment", args=[appointment.pk])
    assert login(other_enterprise_user).post(url, {"cancel": "1"}).status_code == 404
    assert (
        login(other_town_staff_user)
        .post(reverse("visits:appointment_answer", args=[appointment.pk]), {"cancel": "1"})
        .status_code
        == 404
    )
    appointment.refresh_from_db()
    assert appointment.status == "proposed"
    client = login(enterprise_user)
    assert 'name="cancel"' in client.get(url).content.decode()
    response = client.post(url, {"cancel": "1", "reason": "另有安排"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert history_of(appointment).get().actor == enterprise_user
    assert 'name="cancel"' not in client.get(url).content.decode()


def test_recording_a_visit_marks_its_agreed_appointment_held_through_the_service(
    appointment, enterprise_user, town_staff_user, enterprise
):
    services.appointment_respond(appointment=appointment, by=enterprise_user, answer="accept")
    # The agreed time has come (a visit links only to an appointment of its day or shortly before).
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=_at(-1), ends_at=_at(-1, 11))
    appointment.refresh_from_db()
    services.visit_record(
        unit=town_staff_user.official.unit,
        enterprise=enterprise,
        date=timezone.localdate(),
        officials=[town_staff_user.official],
        recorded_by=town_staff_user,
        appointment=appointment,
        met_persons="张总经理",
    )
    appointment.refresh_from_db()
    assert appointment.status == "held"
    assert [e.action for e in history_of(appointment)] == ["accept", "hold"]


def test_recording_a_visit_in_the_admin_marks_its_agreed_appointment_held(
    login, enterprise, enterprise_user, town_staff_user
):
    agreed, _conflicts = services.appointment_propose(
        enterprise=enterprise, official=town_staff_user.official, starts_at=_at(-1), ends_at=_at(-1, 11), purpose="走访"
    )
    services.appointment_respond(appointment=agreed, by=enterprise_user, answer="accept")
    day = timezone.localdate(agreed.starts_at).isoformat()
    data = {
        "enterprise": enterprise.pk,
        "date": day,
        "form": "onsite",
        "appointment": agreed.pk,
        "team": [town_staff_user.official.pk],
        "met_persons": "李厂长",
        "operation": "good",
        "problems-TOTAL_FORMS": "0",
        "problems-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    response = login(town_staff_user).post(reverse("admin:visits_visit_add"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    agreed.refresh_from_db()
    assert agreed.status == "held"
    assert [(e.action, e.actor) for e in history_of(agreed)] == [("accept", enterprise_user), ("hold", town_staff_user)]
