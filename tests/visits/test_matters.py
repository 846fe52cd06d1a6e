"""A problem raised at a visit or meeting turns into exactly one liaison matter (the real
liaison app: no stand-in)."""

import pytest
from django.urls import reverse

from portal.core.categories import ENTERPRISE_CATEGORIES, Category
from liaison.models import Matter
from visits import services

from .factories import MeetingFactory, VisitFactory, VisitProblemFactory


@pytest.fixture
def problem(town, enterprise, town_staff_user):
    visit = VisitFactory(unit=town, enterprise=enterprise, officials=[town_staff_user.official])
    return VisitProblemFactory(visit=visit, title="用电增容审批慢", category="utilities")


def _matters_of(problem):
    return Matter.objects.filter(source_id=str(problem.pk), channel=problem.CHANNEL)


def test_a_problem_becomes_one_matter_with_its_source(problem, town_staff_user):
    problem, created = services.problem_to_matter(problem=problem, by=town_staff_user)
    matter = Matter.objects.get(pk=problem.matter_id)
    assert created and problem.matter_label == matter.tracking_number
    assert matter.source == problem and matter.channel == "visit"
    assert matter.enterprise == problem.enterprise and matter.category == "utilities"
    assert matter.received_by == town_staff_user.official.unit and matter.created_by == town_staff_user
    again, created = services.problem_to_matter(problem=problem, by=town_staff_user)
    assert not created and again.matter_id == matter.pk
    assert _matters_of(problem).count() == 1


def test_a_stale_copy_does_not_make_a_second_matter(problem, town_staff_user):
    from visits.models import VisitProblem

    stale = VisitProblem.objects.get(pk=problem.pk)
    services.problem_to_matter(problem=problem, by=town_staff_user)
    _again, created = services.problem_to_matter(problem=stale, by=town_staff_user)
    assert not created and _matters_of(problem).count() == 1


def test_the_button_twice_makes_one_matter(problem, login, town_staff_user):
    client = login(town_staff_user)
    url = reverse("visits:problem_to_matter", args=["visit", problem.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert _matters_of(problem).count() == 1


def test_the_admin_action_twice_makes_one_matter(problem, login, town_staff_user):
    client = login(town_staff_user)
    url = reverse("admin:visits_visitproblem_changelist")
    for _ in range(2):
        response = client.post(url, {"action": "turn_into_matters", "_selected_action": [problem.pk]})
        assert response.status_code == 302
    assert _matters_of(problem).count() == 1


def test_another_towns_problem_cannot_be_turned(problem, login, other_town_staff_user):
    client = login(other_town_staff_user)
    url = reverse("visits:problem_to_matter", args=["visit", problem.pk])
    assert client.post(url, {"confirm": "on"}).status_code == 404
    assert not Matter.objects.exists()


def test_meeting_problems_go_by_the_meeting_channel(town, enterprise, town_staff_user):
    meeting = MeetingFactory(unit=town)
    problem = meeting.problems.create(enterprise=enterprise, title="园区道路破损", category="transport")
    problem, _created = services.problem_to_matter(problem=problem, by=town_staff_user)
    matter = Matter.objects.get(pk=problem.matter_id)
    assert matter.channel == "meeting" and matter.source == problem


def test_the_matter_is_filed_under_the_problems_category(town, enterprise, town_staff_user):
    meeting = MeetingFactory(unit=town)
    problem = meeting.problems.create(enterprise=enterprise, title="扩建用地指标不足", category=Category.LAND)
    problem, _created = services.problem_to_matter(problem=problem, by=town_staff_user)
    matter = Matter.objects.get(pk=problem.matter_id)
    assert matter.category == Category.LAND and matter.get_category_display() == problem.get_category_display()


def test_a_problem_offers_the_categories_an_enterprise_raises_matters_under():
    from visits.models import MeetingProblem, VisitProblem

    for model in (VisitProblem, MeetingProblem):
        field = model._meta.get_field("category")
        assert field.choices == ENTERPRISE_CATEGORIES and field.default == Category.OTHER
        assert Category.WEBSITE not in dict(field.choices) and Category.RECTIFICATION not in dict(field.choices)
