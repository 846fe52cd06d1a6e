"""Deadlines in working days (Chinese calendar): the pause while waiting for the enterprise,
extensions (at most 10 working days in all, approved by the county office), acceptance on time."""

import datetime

import pytest

from liaison import clock, workflow
from liaison.models import DeadlineRule
from liaison.services import matter_transition

from .factories import make_matter
from portal.core.workflow import ActionRefused

MON = datetime.date(2026, 3, 2)  # an ordinary week: Mon 2 .. Fri 6 March 2026


@pytest.mark.django_db
def test_assignment_deadline_defaults_to_five_working_days_and_skips_holidays(actors, enterprise, town):
    with clock.travel(MON):
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.REFERRAL_REQUESTED)
        matter = matter_transition(matter=matter, action="assign", user=actors.office_user, lead_unit=actors.department)
    assert matter.deadline_workdays == 5 and matter.due_date == datetime.date(2026, 3, 9)
    # assigned on the eve of 国庆: the Golden Week is skipped
    with clock.travel(datetime.date(2025, 9, 30)):
        other = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.ASSIGNED)
    # holiday 1–8 October; Saturday 11 October is an adjusted working day (调休): 9, 10, 11, 13, 14
    assert other.due_date == datetime.date(2025, 10, 14)


@pytest.mark.django_db
def test_deadline_rule_by_category_and_urgency(actors, enterprise, town):
    DeadlineRule.objects.create(category="land", urgency="urgent", workdays=3)
    with clock.travel(MON):
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town, urgency="urgent"), workflow.HANDLING)
    assert matter.deadline_workdays == 3 and matter.due_date == datetime.date(2026, 3, 5)


@pytest.mark.django_db
def test_waiting_for_the_enterprise_pauses_the_clock(actors, enterprise, town):
    with clock.travel(MON):
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.ASSIGNED)
        assert matter.due_date == datetime.date(2026, 3, 9)
        matter = actors.perform(matter, "request_supplement")
        assert matter.state == workflow.WAITING
    # paused Monday → resumed Thursday: 3 working days (Tue, Wed, Thu) are added
    with clock.travel(datetime.date(2026, 3, 5)):
        from liaison.models import Matter

        assert not Matter.objects.overdue(datetime.date(2026, 3, 20), ["handling"]).filter(pk=matter.pk).exists()
        matter = matter_transition(matter=matter, action="resume", user=actors.enterprise_user, reason="已补充材料")
    assert matter.state == workflow.ASSIGNED
    assert matter.paused_workdays == 3
    assert matter.due_date == datetime.date(2026, 3, 12)


@pytest.mark.django_db
def test_a_pause_over_a_weekend_counts_only_working_days(actors, enterprise, town):
    with clock.travel(datetime.date(2026, 3, 6)):  # Friday
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.ASSIGNED)
        due = matter.due_date
        matter = actors.perform(matter, "request_supplement")
    with clock.travel(datetime.date(2026, 3, 9)):  # Monday
        matter = actors.perform(matter, "resume")
    assert matter.paused_workdays == 1
    assert matter.due_date == datetime.date(2026, 3, 16) and due == datetime.date(2026, 3, 13)


@pytest.mark.django_db
def test_extension_is_approved_by_the_county_office_and_capped_at_ten(actors, enterprise, town):
    with clock.travel(MON):
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.ASSIGNED)
        matter = actors.perform(matter, "request_extension", days=6)
        assert matter.due_date == datetime.date(2026, 3, 9)  # nothing changes until approved
        with pytest.raises(ActionRefused) as refused:
            matter_transition(matter=matter, action="approve_extension", user=actors.department_user)
        assert refused.value.code == "permission"
        matter = actors.perform(matter, "approve_extension")
        assert matter.extension_workdays == 6 and matter.due_date == datetime.date(2026, 3, 17)
        with pytest.raises(ActionRefused) as refused:
            actors.perform(matter, "request_extension", days=5)
        assert refused.value.code == "extension_limit"
        matter = actors.perform(matter, "request_extension", days=4)
        with pytest.raises(ActionRefused) as refused:
            actors.perform(matter, "request_extension", days=1)
        assert refused.value.code == "pending"
        matter = actors.perform(matter, "approve_extension")
        assert matter.extension_workdays == 10
        with pytest.raises(ActionRefused):
            actors.perform(matter, "request_extension", days=1)


@pytest.mark.django_db
def test_refused_extension_leaves_the_deadline(actors, enterprise, town):
    with clock.travel(MON):
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.ASSIGNED)
        matter = actors.perform(matter, "request_extension", days=2)
        matter = actors.perform(matter, "reject_extension")
    assert matter.extension_workdays == 0 and matter.extension_requested_days == 0
    assert matter.due_date == datetime.date(2026, 3, 9)


@pytest.mark.django_db
def test_acceptance_and_closing_on_time_are_recorded(actors, enterprise, town):
    with clock.travel(MON):
        on_time = make_matter(enterprise=enterprise, received_by=town)
        late = make_matter(enterprise=enterprise, received_by=town)
        assert on_time.accept_due == datetime.date(2026, 3, 4)
        on_time = actors.drive(on_time, workflow.HANDLING)
    with clock.travel(datetime.date(2026, 3, 5)):
        late = actors.drive(late, workflow.HANDLING)
    assert on_time.accepted_on_time is True and late.accepted_on_time is False
    with clock.travel(datetime.date(2026, 3, 9)):
        on_time = actors.perform(on_time, "reply")
    with clock.travel(datetime.date(2026, 3, 13)):
        late = actors.perform(late, "reply")
    assert on_time.closed_on_time is True and on_time.workdays_to_close == 5
    assert late.closed_on_time is False and late.workdays_to_close == 9


@pytest.mark.django_db
def test_site_error_reports_are_due_in_three_working_days(enterprise, county_office_unit):
    from liaison.services import matter_create

    with clock.travel(datetime.date(2026, 3, 5)):  # Thursday
        matter = matter_create(
            enterprise=None,
            title="链接失效",
            description="政策页面链接打不开",
            category="website",
            channel="site_error",
            received_by=county_office_unit,
        )
    assert matter.due_date == datetime.date(2026, 3, 10)


@pytest.mark.django_db
def test_overdue_and_near_due_flags(actors, enterprise, town):
    from liaison.models import Matter

    with clock.travel(MON):
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.ASSIGNED)
    assert Matter.objects.near_due(datetime.date(2026, 3, 6), datetime.date(2026, 3, 10)).filter(pk=matter.pk).exists()
    assert not Matter.objects.overdue(datetime.date(2026, 3, 9)).exists()
    assert Matter.objects.overdue(datetime.date(2026, 3, 10)).filter(pk=matter.pk).exists()
