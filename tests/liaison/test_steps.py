"""The matter's change page as a list of steps (issue 17): a big button for each step this user
may take now, and the steps they cannot take, each with the reason — never hidden silently."""

import pytest
from django.urls import reverse
from django.utils import translation

from liaison import workflow
from liaison.services import matter_steps


def _steps(matter, user):
    with translation.override("en"):
        steps = matter_steps(matter, user)
        now = [s.action.name for s in steps if s.allowed]
        later = {s.action.name: s.reason for s in steps if not s.allowed}
    return now, later


@pytest.mark.django_db
def test_the_receiving_town_may_accept_and_is_told_what_comes_after(actors, matter, town_staff_user):
    now, later = _steps(matter, town_staff_user)
    assert now == ["accept", "note"]
    assert later["handle_self"] == "First: Accept (受理)."
    assert later["request_referral"] == "First: Accept (受理)."
    assert later["assign"] == "Only the county office may do this."
    assert "reply" not in later and "approve_extension" not in later  # neither theirs nor open now


@pytest.mark.django_db
def test_after_acceptance_the_town_handles_or_asks_for_referral(actors, matter, town_staff_user):
    now, later = _steps(actors.drive(matter, workflow.ACCEPTED), town_staff_user)
    assert now == ["handle_self", "request_referral", "note"]
    assert later["reply"] == "First: Handle ourselves (自办)."


@pytest.mark.django_db
def test_only_the_lead_unit_returns_an_assignment(actors, matter, town_staff_user, department_staff_user):
    matter = actors.drive(matter, workflow.ASSIGNED)
    lead_now, lead_later = _steps(matter, department_staff_user)
    assert {"return_assignment", "reply", "request_supplement", "request_extension", "note"} == set(lead_now)
    town_now, town_later = _steps(matter, town_staff_user)
    assert "return_assignment" not in town_now
    assert town_later["return_assignment"] == "Only the lead unit may do this."
    assert town_later["reply"] == "Only the unit handling the matter may do this."


@pytest.mark.django_db
def test_the_county_office_sees_extension_steps_grey_until_one_is_asked(
    actors, matter, county_office_user, department_staff_user
):
    matter = actors.drive(matter, workflow.ASSIGNED)
    now, later = _steps(matter, county_office_user)
    assert "supervise" in now and "unsupervise" not in now and "unsupervise" not in later
    assert later["approve_extension"] == "No extension has been requested."
    matter = actors.act(matter, "request_extension", department_staff_user, reason="需要补充审批", days=3)
    now, later = _steps(matter, county_office_user)
    assert {"approve_extension", "reject_extension"} <= set(now)
    assert _steps(matter, department_staff_user)[1]["request_extension"] == (
        "An extension request is already waiting for the county office."
    )


@pytest.mark.django_db
def test_a_unit_with_no_part_in_the_matter_gets_no_steps(actors, matter, other_town_staff_user):
    assert matter_steps(matter, other_town_staff_user) == []


@pytest.mark.django_db
def test_the_change_page_shows_buttons_and_reasons_in_chinese(login, actors, matter, town_staff_user):
    body = login(town_staff_user).get(reverse("admin:liaison_matter_change", args=[matter.pk])).content.decode()
    accept = reverse("admin:liaison_matter_act", args=[matter.pk, "accept"])
    assert f'class="button step-button" href="{accept}"' in body
    assert "现在可以做的" in body and "现在不能做的" in body
    assert "需先" in body and "仅县政府办可操作" in body
    assert reverse("admin:liaison_matter_act", args=[matter.pk, "assign"]) not in body  # grey, not a link


@pytest.mark.django_db
def test_the_action_page_says_why_a_step_is_not_open(login, actors, matter, town_staff_user):
    body = login(town_staff_user).get(reverse("admin:liaison_matter_act", args=[matter.pk, "handle_self"]))
    assert "需先" in body.content.decode()
