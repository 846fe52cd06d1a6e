"""A problem raised at a visit or meeting turns into exactly one liaison matter."""
import sys
import types

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison.categories import ENTERPRISE_CATEGORIES, Category
from visits import services

from .factories import MeetingFactory, VisitFactory, VisitProblemFactory


class FakeMatter:
    def __init__(self, pk, **kwargs):
        self.pk = pk
        self.number = f"ZQ2026{pk:05d}"
        self.kwargs = kwargs

    def __str__(self):
        return self.number


@pytest.fixture
def fake_liaison(monkeypatch):
    """A stand-in for liaison.services whose matter_create records each call and makes no matter."""
    from liaison import services as real

    calls = []

    def matter_create(**kwargs):
        calls.append(kwargs)
        return FakeMatter(len(calls), **kwargs)

    # the rest of liaison.services stays: liaison's views import from it when a test first
    # loads the URLconf, which may happen while the stand-in is in place
    module = types.ModuleType("liaison.services")
    module.__dict__.update((name, value) for name, value in vars(real).items() if not name.startswith("__"))
    module.matter_create = matter_create
    monkeypatch.setitem(sys.modules, "liaison.services", module)
    import liaison

    monkeypatch.setattr(liaison, "services", module, raising=False)
    return calls


@pytest.fixture
def problem(town, enterprise, town_staff_user):
    visit = VisitFactory(unit=town, enterprise=enterprise, officials=[town_staff_user.official])
    return VisitProblemFactory(visit=visit, title="用电增容审批慢", category="utilities")


def test_a_problem_becomes_one_matter_with_its_source(fake_liaison, problem, town_staff_user):
    problem, created = services.problem_to_matter(problem=problem, by=town_staff_user)
    assert created and problem.matter_id == 1 and problem.matter_label == "ZQ202600001"
    call = fake_liaison[0]
    assert call["source"].pk == problem.pk and call["channel"] == "visit"
    assert call["enterprise"] == problem.enterprise and call["category"] == "utilities"
    assert call["received_by"] == town_staff_user.official.unit and call["created_by"] == town_staff_user
    again, created = services.problem_to_matter(problem=problem, by=town_staff_user)
    assert not created and again.matter_id == 1
    assert len(fake_liaison) == 1


def test_a_stale_copy_does_not_make_a_second_matter(fake_liaison, problem, town_staff_user):
    from visits.models import VisitProblem

    stale = VisitProblem.objects.get(pk=problem.pk)
    services.problem_to_matter(problem=problem, by=town_staff_user)
    _again, created = services.problem_to_matter(problem=stale, by=town_staff_user)
    assert not created and len(fake_liaison) == 1


def test_the_button_twice_makes_one_matter(fake_liaison, problem, login, town_staff_user):
    client = login(town_staff_user)
    url = reverse("visits:problem_to_matter", args=["visit", problem.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert len(fake_liaison) == 1


def test_the_admin_action_twice_makes_one_matter(fake_liaison, problem, login, town_staff_user):
    client = login(town_staff_user)
    url = reverse("admin:visits_visitproblem_changelist")
    for _ in range(2):
        response = client.post(url, {"action": "turn_into_matters", "_selected_action": [problem.pk]})
        assert response.status_code == 302
    assert len(fake_liaison) == 1


def test_another_towns_problem_cannot_be_turned(fake_liaison, problem, login, other_town_staff_user):
    client = login(other_town_staff_user)
    url = reverse("visits:problem_to_matter", args=["visit", problem.pk])
    assert client.post(url, {"confirm": "on"}).status_code == 404
    assert fake_liaison == []


def test_meeting_problems_go_by_the_meeting_channel(fake_liaison, town, enterprise, town_staff_user):
    meeting = MeetingFactory(unit=town)
    problem = meeting.problems.create(enterprise=enterprise, title="园区道路破损", category="transport")
    services.problem_to_matter(problem=problem, by=town_staff_user)
    assert fake_liaison[0]["channel"] == "meeting" and fake_liaison[0]["source"].pk == problem.pk


def test_without_the_liaison_service_the_problem_waits(problem, town_staff_user, monkeypatch):
    monkeypatch.setattr(services, "liaison_available", lambda: False)
    with pytest.raises(ValidationError):
        services.problem_to_matter(problem=problem, by=town_staff_user)
    problem.refresh_from_db()
    assert problem.matter_id is None


@pytest.mark.skipif(not services.liaison_available(), reason="liaison.services.matter_create not written yet")
def test_with_the_real_liaison_app_a_problem_becomes_exactly_one_matter(problem, town_staff_user):
    from liaison.models import Matter

    services.problem_to_matter(problem=problem, by=town_staff_user)
    services.problem_to_matter(problem=problem, by=town_staff_user)
    problem.refresh_from_db()
    assert Matter.objects.filter(pk=problem.matter_id).count() == 1
    assert Matter.objects.filter(enterprise=problem.enterprise).count() == 1


def test_the_matter_is_filed_under_the_problems_category(town, enterprise, town_staff_user):
    from liaison.models import Matter

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
