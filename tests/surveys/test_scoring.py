"""Score computation on a hand-built data set."""

import pytest

from liaison.surveys import selectors
from liaison.surveys.models import RatingScale
from tests.factories import EnterpriseFactory, UnitFactory

from .factories import make_survey, submit_ratings

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return [
        UnitFactory(name="县甲局", sort_order=1),
        UnitFactory(name="县乙局", sort_order=2),
        UnitFactory(name="县丙局", sort_order=3),
    ]


def test_five_point_scores_dimension_means_and_overall(settings, units):
    settings.SURVEY_MIN_RESPONSES = 2
    a, b, c = units
    survey = make_survey(units)
    e1, e2, e3 = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    # 甲: 服务态度 5,4,3 → 100,80,60 → 80.0 ; 办事效率 5,5 → 100 (e3 skipped it) ; overall (80+100)/2 = 90.0
    submit_ratings(survey, e1, {a: {"服务态度": 5, "办事效率": 5}, b: {"服务态度": 2, "办事效率": 1}})
    submit_ratings(survey, e2, {a: {"服务态度": 4, "办事效率": 5}, b: {"服务态度": 1, "办事效率": 1}})
    submit_ratings(survey, e3, {a: {"服务态度": 3}}, no_dealings=[b, c])
    results = selectors.campaign_results(survey)
    by_unit = {r.unit: r for r in results.units}
    assert by_unit[a].dimensions["服务态度"].score == 80.0
    assert by_unit[a].dimensions["办事效率"].score == 100.0
    assert by_unit[a].score == 90.0
    # 乙: 服务态度 40,20 → 30 ; 办事效率 20,20 → 20 ; overall 25 ; one "no dealings" left out of the means
    assert by_unit[b].score == 25.0
    assert by_unit[b].respondents == 2 and by_unit[b].no_dealings == 1
    # best level first: very satisfied, satisfied, average, dissatisfied, very dissatisfied
    assert list(by_unit[a].dimensions["服务态度"].distribution.values()) == [1, 1, 1, 0, 0]
    # 丙 only has "no dealings": no score, not ranked
    assert by_unit[c].score is None and by_unit[c].rank is None
    assert [(r.unit, r.rank) for r in results.units[:2]] == [(a, 1), (b, 2)]
    assert results.submitted == 3


def test_three_level_scale_maps_to_100_60_0(settings, units):
    settings.SURVEY_MIN_RESPONSES = 1
    a = units[0]
    survey = make_survey([a], scale=RatingScale.THREE_LEVEL, dimensions=("廉洁自律",))
    for value in (3, 2, 1, 1):
        submit_ratings(survey, EnterpriseFactory(), {a: {"廉洁自律": value}})
    result = selectors.campaign_results(survey).units[0]
    assert result.dimensions["廉洁自律"].score == 40.0  # (100+60+0+0)/4
    assert list(result.dimensions["廉洁自律"].distribution.values()) == [1, 1, 2]


def test_drafts_do_not_count(settings, units):
    settings.SURVEY_MIN_RESPONSES = 1
    a = units[0]
    survey = make_survey([a])
    submit_ratings(survey, EnterpriseFactory(), {a: {"服务态度": 5, "办事效率": 5}})
    submit_ratings(survey, EnterpriseFactory(), {a: {"服务态度": 1, "办事效率": 1}}, status="draft")
    results = selectors.campaign_results(survey)
    assert results.units[0].score == 100.0
    assert (results.submitted, results.drafts) == (1, 1)


def test_ties_share_a_rank(settings, units):
    settings.SURVEY_MIN_RESPONSES = 1
    a, b, c = units
    survey = make_survey(units)
    submit_ratings(
        survey,
        EnterpriseFactory(),
        {a: {"服务态度": 4, "办事效率": 4}, b: {"服务态度": 4, "办事效率": 4}, c: {"服务态度": 5, "办事效率": 5}},
    )
    ranks = {r.unit: r.rank for r in selectors.campaign_results(survey).units}
    assert ranks == {c: 1, a: 2, b: 2}


def test_units_below_the_threshold_are_neither_shown_nor_ranked(settings, units):
    settings.SURVEY_MIN_RESPONSES = 3
    a, b, _c = units
    survey = make_survey([a, b])
    for _i in range(3):
        submit_ratings(survey, EnterpriseFactory(), {a: {"服务态度": 5, "办事效率": 5}})
    submit_ratings(survey, EnterpriseFactory(), {b: {"服务态度": 1, "办事效率": 1}})
    by_unit = {r.unit: r for r in selectors.campaign_results(survey).units}
    assert by_unit[a].visible and by_unit[a].rank == 1
    assert not by_unit[b].visible and by_unit[b].rank is None
    only_b = selectors.campaign_results(survey, unit=b, with_comments=True).units[0]
    assert only_b.dimensions == {} and only_b.comments == [] and only_b.score is None


def test_comparison_with_the_previous_campaign(settings, units):
    settings.SURVEY_MIN_RESPONSES = 1
    a = units[0]
    old = make_survey([a], title="2025年度", opens=-400, closes=-370)
    new = make_survey([a], title="2026年上半年")
    submit_ratings(old, EnterpriseFactory(), {a: {"服务态度": 3, "办事效率": 3}})
    submit_ratings(new, EnterpriseFactory(), {a: {"服务态度": 4, "办事效率": 5}})
    results = selectors.campaign_results(new)
    assert results.previous == old
    assert results.units[0].previous_score == 60.0
    assert results.units[0].score == 90.0
    assert results.units[0].change == 30.0


def test_response_rate_counts_the_target_group(settings, units):
    survey = make_survey(units[:1], key_only=True)
    key = [EnterpriseFactory(is_key=True) for _i in range(4)]
    EnterpriseFactory(is_key=False)
    submit_ratings(survey, key[0], {units[0]: {"服务态度": 5}})
    results = selectors.campaign_results(survey)
    assert (results.submitted, results.targeted, results.response_rate) == (1, 4, 25.0)


def test_overall_score_does_not_depend_on_the_order_of_the_dimensions():
    from liaison.surveys.selectors import DimensionResult, UnitResult

    def result(names_and_points):
        dims = {
            name: DimensionResult(name=name, count=10, total_points=points * 10) for name, points in names_and_points
        }
        return UnitResult(unit=None, dimensions=dims).score

    values = [("a", 86.7), ("b", 80.7), ("c", 86.7), ("d", 93.3)]
    scores = {result(order) for order in (values, values[::-1], values[1:] + values[:1], sorted(values))}
    assert len(scores) == 1
