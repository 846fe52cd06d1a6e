"""Builders for evaluation campaigns and responses in tests."""

import datetime

from django.utils import timezone

from liaison.surveys.models import Choice, Dimension, Question, Rating, RatingScale, Survey, SurveyResponse, UnitAnswer


def make_survey(
    units,
    *,
    title="2026年评议",
    scale=RatingScale.FIVE_POINT,
    dimensions=("服务态度", "办事效率"),
    opens=-5,
    closes=10,
    published=True,
    extra_questions=True,
    **targeting,
):
    today = timezone.localdate()
    survey = Survey.objects.create(
        title=title,
        opens_on=today + datetime.timedelta(days=opens),
        closes_on=today + datetime.timedelta(days=closes),
        published_at=timezone.now() if published else None,
        **{k: v for k, v in targeting.items() if k != "target_towns"},
    )
    if targeting.get("target_towns"):
        survey.target_towns.set(targeting["target_towns"])
    grid = Question.objects.create(
        survey=survey, kind=Question.Kind.RATING_GRID, text="请评价各部门", order=1, scale=scale
    )
    grid.units.set(units)
    for i, name in enumerate(dimensions):
        Dimension.objects.create(question=grid, name=name, order=i)
    if extra_questions:
        single = Question.objects.create(survey=survey, kind=Question.Kind.SINGLE, text="总体感受", order=2)
        for i, label in enumerate(["好转", "不变", "变差"]):
            Choice.objects.create(question=single, label=label, order=i)
        multiple = Question.objects.create(
            survey=survey, kind=Question.Kind.MULTIPLE, text="最需改进的方面", order=3, required=False
        )
        for i, label in enumerate(["审批", "收费", "检查"]):
            Choice.objects.create(question=multiple, label=label, order=i)
        Question.objects.create(survey=survey, kind=Question.Kind.TEXT, text="其他意见建议", order=4, required=False)
    return survey


def grid_of(survey):
    return survey.questions.get(kind=Question.Kind.RATING_GRID)


def submit_ratings(survey, enterprise, ratings, *, comments=None, no_dealings=(), status="submitted"):
    """ratings: {unit: {dimension name: value}}; writes the rows directly (for result tests)."""
    grid = grid_of(survey)
    dims = {d.name: d for d in grid.dimensions.all()}
    response = SurveyResponse.objects.create(
        survey=survey,
        enterprise=enterprise,
        status=status,
        submitted_at=timezone.now() if status == "submitted" else None,
    )
    for unit, values in ratings.items():
        for name, value in values.items():
            Rating.objects.create(response=response, question=grid, unit=unit, dimension=dims[name], value=value)
    for unit, text in (comments or {}).items():
        UnitAnswer.objects.create(response=response, question=grid, unit=unit, comment=text)
    for unit in no_dealings:
        UnitAnswer.objects.create(response=response, question=grid, unit=unit, no_dealings=True)
    return response
