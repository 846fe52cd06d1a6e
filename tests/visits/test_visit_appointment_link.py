"""A visit and its appointment: the link survives re-saving the visit, and a visit links only
to an appointment of the same enterprise agreed for its own day or at most
VISIT_APPOINTMENT_DAYS_LATE days before (never to one agreed for a later day)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from visits import services
from visits.models import Appointment, Visit


def _agreed(enterprise, official, day):
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 30)))
    appointment, _c = services.appointment_propose(
        enterprise=enterprise,
        official=official,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        purpose="走访",
    )
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.ACCEPTED)
    return Appointment.objects.get(pk=appointment.pk)


def _form(enterprise, official, day, appointment, **extra):
    return {
        "enterprise": enterprise.pk,
        "date": day.isoformat(),
        "form": "onsite",
        "team": [official.pk],
        "met_persons": "李厂长",
        "operation": "good",
        "appointment": appointment.pk if appointment else "",
        "problems-TOTAL_FORMS": "0",
        "problems-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        **extra,
    }


def test_re_saving_a_visit_keeps_its_appointment(login, town_staff_user, enterprise):
    official = town_staff_user.official
    day = timezone.localdate() - datetime.timedelta(days=1)
    appointment = _agreed(enterprise, official, day)
    client = login(town_staff_user)
    assert (
        client.post(reverse("admin:visits_visit_add"), _form(enterprise, official, day, appointment)).status_code == 302
    )
    visit = Visit.objects.get()
    assert visit.appointment == appointment
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.HELD

    change = reverse("admin:visits_visit_change", args=[visit.pk])
    page = client.get(change)
    assert page.context["adminform"].form.initial["appointment"] == appointment.pk
    assert f'value="{appointment.pk}" selected' in page.content.decode()
    response = client.post(change, _form(enterprise, official, day, appointment, met_persons="李厂长、王主任"))
    assert response.status_code == 302, response.content.decode()[-2000:]
    visit.refresh_from_db()
    assert visit.appointment == appointment and visit.met_persons == "李厂长、王主任"


@pytest.mark.parametrize("days_after_visit, allowed", [(7, False), (1, False), (0, True), (-3, True), (-30, False)])
def test_a_visit_links_only_to_an_appointment_on_or_shortly_before_its_date(
    login, town_staff_user, enterprise, days_after_visit, allowed
):
    official = town_staff_user.official
    visit_day = timezone.localdate() - datetime.timedelta(days=1)
    appointment = _agreed(enterprise, official, visit_day + datetime.timedelta(days=days_after_visit))
    client = login(town_staff_user)
    response = client.post(reverse("admin:visits_visit_add"), _form(enterprise, official, visit_day, appointment))
    if allowed:
        assert response.status_code == 302
        assert Visit.objects.get().appointment == appointment
    else:
        assert response.status_code == 200
        html = response.content.decode()
        assert "预约" in html and "李厂长" in html  # a clear message, nothing typed lost
        assert not Visit.objects.exists()
        assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.ACCEPTED


def test_a_visit_cannot_link_another_enterprises_appointment(town_staff_user, enterprise, town):
    from django.core.exceptions import ValidationError

    from tests.factories import EnterpriseFactory

    official = town_staff_user.official
    day = timezone.localdate() - datetime.timedelta(days=1)
    other = EnterpriseFactory(town=town)
    appointment = _agreed(other, official, day)
    with pytest.raises(ValidationError) as refused:
        services.visit_record(
            unit=official.unit,
            enterprise=enterprise,
            date=day,
            officials=[official],
            appointment=appointment,
            form="onsite",
            operation="good",
            met_persons="李厂长",
        )
    assert "appointment" in refused.value.message_dict
