"""The lead unit's return window (退回期, issue 13 item 1): a unit assigned a matter that is not
its business may return it within 2 working days. The window is a clock like the others —
its closing date is shown with a near flag, listed in the review queue, put in the lead
unit's daily deadline mail and counted in the figures — but a window that has closed is not
"overdue": the matter simply stays with the lead unit, whose handling clock runs on."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from liaison import clock, deadlines, figures, workflow
from liaison.models import Matter
from liaison.selectors import near_due_horizon

from .factories import fresh, make_matter

MON = datetime.date(2026, 3, 2)
TUE, WED, THU = (MON + datetime.timedelta(days=n) for n in (1, 2, 3))


def queue_section(page, key):
    return page.split(f'id="q-{key}"')[1].split("</table>")[0]


@pytest.fixture
def assigned(actors, enterprise, town):
    with clock.travel(MON):
        return actors.drive(
            make_matter(enterprise=enterprise, received_by=town, title="错派的用地事项"), workflow.ASSIGNED
        )


@pytest.mark.django_db
def test_the_return_window_runs_until_it_closes_and_is_never_overdue(assigned):
    assert assigned.return_due == WED
    with clock.travel(TUE):
        which, day = fresh(assigned).next_deadline
        assert which.key == "return" and day == WED
    assert Matter.objects.near_due(TUE, near_due_horizon(TUE), ["return"]).filter(pk=assigned.pk).exists()
    # Closed: not overdue, no longer near; the handling clock is the next deadline.
    assert not Matter.objects.overdue(THU).filter(pk=assigned.pk).exists()
    assert not Matter.objects.near_due(THU, near_due_horizon(THU), ["return"]).exists()
    with clock.travel(THU):
        assert fresh(assigned).next_deadline[0].key == "handling"
        assert "return" not in {c.key for c, _d in deadlines.running_clocks(fresh(assigned))}
    # A fresh assignment does not crowd the general near-due list for its window alone.
    assert (
        not Matter.objects.near_due(TUE, near_due_horizon(TUE))
        .filter(pk=assigned.pk, due_date__gt=near_due_horizon(TUE))
        .exists()
    )


@pytest.mark.django_db
def test_the_review_queue_and_the_list_show_open_return_windows(client, login, assigned, county_office_user):
    login(county_office_user)
    with clock.travel(TUE):
        queue = client.get(reverse("admin:liaison_matter_queue"), {"section": "return_window"}).content.decode()
        listing = client.get(reverse("admin:liaison_matter_changelist") + "?due=return_window").content.decode()
    section = queue_section(queue, "return_window")
    assert assigned.tracking_number in section and "退回期" in section and "2026-03-04" in section
    assert "临近到期" in section
    assert assigned.tracking_number in listing and "退回期：2026-03-04" in listing
    with clock.travel(THU):
        queue = client.get(reverse("admin:liaison_matter_queue"), {"section": "return_window"}).content.decode()
    assert assigned.tracking_number not in queue_section(queue, "return_window")


@pytest.mark.django_db
def test_the_deadline_mail_reminds_the_lead_unit_while_it_may_return(assigned, department_staff_user):
    with clock.travel(TUE):
        call_command("liaison_deadlines", stdout=io.StringIO())
    to_department = [m for m in mail.outbox if department_staff_user.email in m.to]
    assert len(to_department) == 1
    line = next(
        line for line in to_department[0].body.splitlines() if assigned.tracking_number in line and "退回期" in line
    )
    assert "2026-03-04" in line
    mail.outbox.clear()
    with clock.travel(THU):
        call_command("liaison_deadlines", stdout=io.StringIO())
    assert not any("退回期" in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_the_figures_count_open_return_windows(assigned):
    rows = {
        str(label): (overdue, near)
        for label, overdue, near in figures.clocks_now(Matter.objects.all(), TUE, near_due_horizon(TUE))
    }
    assert rows[str(deadlines.CLOCKS_BY_KEY["return"].label)] == (0, 1)
    rows = {
        str(label): (overdue, near)
        for label, overdue, near in figures.clocks_now(Matter.objects.all(), THU, near_due_horizon(THU))
    }
    assert rows[str(deadlines.CLOCKS_BY_KEY["return"].label)] == (0, 0)
