"""Targeting: all, key enterprises, by town, industry or scale."""

import pytest

from liaison.surveys.models import Survey
from portal.models import Unit
from tests.factories import EnterpriseFactory, UnitFactory

from .factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(department):
    town_a = UnitFactory(name="太和镇", kind=Unit.Kind.TOWN)
    town_b = UnitFactory(name="山塘镇", kind=Unit.Kind.TOWN)
    ents = {
        "key_a_c_small": EnterpriseFactory(town=town_a, is_key=True, industry="C", scale="small"),
        "a_f_micro": EnterpriseFactory(town=town_a, industry="F", scale="micro"),
        "b_c_large": EnterpriseFactory(town=town_b, industry="C", scale="large"),
        "b_none": EnterpriseFactory(town=town_b, industry="", scale=""),
    }
    return department, town_a, town_b, ents


def _check(survey, ents, expected):
    assert {e.name for e in survey.targeted_enterprises()} == {ents[k].name for k in expected}
    for key, enterprise in ents.items():
        assert (survey in Survey.objects.targeting(enterprise)) is (key in expected), key
        assert survey.targets(enterprise) is (key in expected)


def test_all_enterprises(setup):
    department, _a, _b, ents = setup
    _check(make_survey([department]), ents, set(ents))


def test_key_enterprises_only(setup):
    department, _a, _b, ents = setup
    _check(make_survey([department], key_only=True), ents, {"key_a_c_small"})


def test_by_town(setup):
    department, town_a, _b, ents = setup
    _check(make_survey([department], target_towns=[town_a]), ents, {"key_a_c_small", "a_f_micro"})


def test_by_industry_and_scale_combined(setup):
    department, _a, _b, ents = setup
    _check(make_survey([department], target_industries=["C"]), ents, {"key_a_c_small", "b_c_large"})
    _check(
        make_survey([department], title="大型", target_industries=["C"], target_scales=["large"]), ents, {"b_c_large"}
    )


def test_enterprise_outside_the_target_cannot_open_the_form(setup, login):
    from tests.factories import EnterpriseAccountFactory

    department, town_a, _b, ents = setup
    survey = make_survey([department], target_towns=[town_a])
    user = EnterpriseAccountFactory(enterprise=ents["b_c_large"]).user
    response = login(user).get(f"/surveys/{survey.pk}/")
    assert response.status_code == 404
