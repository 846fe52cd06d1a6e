"""Demo evaluation: two finished campaigns (2025年度, 2026年上半年) with a few hundred responses
and one open campaign (2026年下半年); the 2026年上半年 results are published on the public site.
Idempotent: campaigns by title, answers only built for a campaign that has none yet. Responses
are bulk-created."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.models import Enterprise, EnterpriseAccount, Unit

from . import services
from .models import (
    DEFAULT_DIMENSIONS,
    Choice,
    ChoiceAnswer,
    Dimension,
    Finding,
    Question,
    Rating,
    Survey,
    SurveyResponse,
    TextAnswer,
    UnitAnswer,
)

COMMENTS = {
    "low": [
        "审批材料要求反复补正，希望一次性告知。",
        "窗口人员少，排队时间长，建议增加窗口。",
        "政策兑现慢，奖补资金拨付周期过长。",
        "电话经常无人接听，咨询不便。",
        "现场检查过于频繁，影响正常生产。",
        "办事指南与实际要求不一致。",
        "部分工作人员服务态度生硬。",
    ],
    "mid": [
        "总体可以，但网上办理系统经常卡顿。",
        "希望政策解读更通俗易懂。",
        "建议建立企业专员联系制度。",
        "办理进度不透明，希望能在线查询。",
    ],
    "high": ["服务热情周到，效率很高。", "上门服务解决了我们的实际困难，点赞！", "政策宣讲及时，申报指导细致。"],
}
FREE_TEXT = [
    "希望进一步压缩审批时限。",
    "建议多组织政银企对接活动。",
    "希望加强用工招聘方面的支持。",
    "建议定期召开企业座谈会。",
    "希望水电报装更快一些。",
]
# A department's "true" mean rating on the five-point scale in 2025 and the change by 2026.
CAMPAIGNS = [
    ("2025年度政府工作评议", datetime.date(2025, 11, 1), datetime.date(2025, 11, 30), 128, 0.0),
    ("2026年上半年政府工作评议", datetime.date(2026, 6, 1), datetime.date(2026, 6, 30), 141, 0.25),
]
OPEN_TITLE = "2026年下半年政府工作评议"


def build(stdout):
    departments = list(Unit.objects.departments().order_by("sort_order", "name"))
    enterprises = list(Enterprise.objects.order_by("pk"))
    if not departments or not enterprises:
        stdout.write("  surveys: no departments or enterprises; skipped")
        return
    office_user = get_user_model().objects.filter(username="countyoffice").first()
    rng = random.Random(20251101)
    quality = {d.pk: rng.uniform(3.2, 4.6) for d in departments}
    dealings = {e.pk: rng.sample(departments, rng.randint(3, 8)) for e in enterprises}
    previous = None
    surveys = []
    for title, opens, closes, count, improvement in CAMPAIGNS:
        survey = _campaign(title, opens, closes, departments, previous, office_user)
        if not survey.responses.exists():
            _responses(survey, rng, enterprises, count, quality, dealings, improvement, skip_demo_user=False)
        previous = survey
        surveys.append(survey)
    today = timezone.localdate()
    current = Survey.objects.filter(title=OPEN_TITLE).first()
    if current is None:
        current = services.survey_copy(
            source=previous,
            title=OPEN_TITLE,
            opens_on=today - datetime.timedelta(days=10),
            closes_on=today + datetime.timedelta(days=20),
            created_by=office_user,
        )
        current.intro = (
            "为进一步优化营商环境，县人民政府开展2026年下半年政府工作评议。请贵企业对近半年来"
            "打过交道的部门作出客观评价；评议内容对各部门匿名。"
        )
        current.published_at = timezone.now()
        current.save(update_fields=["intro", "published_at"])
    if not current.responses.exists():
        _responses(current, rng, enterprises, 46, quality, dealings, 0.35, skip_demo_user=True, drafts=9)
    _findings(surveys[0], departments, office_user)
    _publish_results(surveys[-1], office_user)
    total = SurveyResponse.objects.filter(survey__title__in=[c[0] for c in CAMPAIGNS] + [OPEN_TITLE]).count()
    stdout.write(f"  surveys: 3 campaigns, {total} responses, {Finding.objects.count()} rectification findings")


def _campaign(title, opens, closes, departments, previous, office_user):
    survey, created = Survey.objects.get_or_create(
        title=title,
        defaults=dict(
            opens_on=opens,
            closes_on=closes,
            previous=previous,
            created_by=office_user,
            published_at=timezone.make_aware(datetime.datetime.combine(opens, datetime.time(9))),
            intro="请贵企业对县政府各部门的服务作出客观评价，评议内容对各部门匿名。",
        ),
    )
    if survey.questions.exists():
        return survey
    grid = Question.objects.create(
        survey=survey,
        order=1,
        kind=Question.Kind.RATING_GRID,
        text="请对您近期打过交道的部门作出评价",
        help_text="没有打过交道的部门请勾选“我与该部门没有业务往来”。",
    )
    grid.units.set(departments)
    Dimension.objects.bulk_create(Dimension(question=grid, name=n, order=i) for i, n in enumerate(DEFAULT_DIMENSIONS))
    single = Question.objects.create(
        survey=survey, order=2, kind=Question.Kind.SINGLE, text="与上一年相比，您感到全县营商环境", required=True
    )
    Choice.objects.bulk_create(
        Choice(question=single, label=label, order=i)
        for i, label in enumerate(["明显改善", "有所改善", "没有变化", "有所下降"])
    )
    multiple = Question.objects.create(
        survey=survey, order=3, kind=Question.Kind.MULTIPLE, required=False, text="您认为最需要改进的方面（可多选）"
    )
    Choice.objects.bulk_create(
        Choice(question=multiple, label=label, order=i)
        for i, label in enumerate(["审批效率", "政策兑现", "融资支持", "用工保障", "执法检查", "要素保障"])
    )
    Question.objects.create(
        survey=survey, order=4, kind=Question.Kind.TEXT, required=False, text="对县政府工作的其他意见和建议"
    )
    return survey


def _level(rng, mean):
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


def _responses(survey, rng, enterprises, count, quality, dealings, improvement, *, skip_demo_user, drafts=0):
    questions = {q.kind: q for q in survey.questions.all()}
    grid = questions[Question.Kind.RATING_GRID]
    dims = list(grid.dimensions.all())
    single = list(questions[Question.Kind.SINGLE].choices.all())
    multiple = list(questions[Question.Kind.MULTIPLE].choices.all())
    text_q = questions[Question.Kind.TEXT]
    pool = enterprises
    if skip_demo_user:  # leave the demo login's enterprise free to try the open campaign
        taken = set(EnterpriseAccount.objects.values_list("enterprise_id", flat=True))
        pool = [e for e in enterprises if e.pk not in taken]
    chosen = rng.sample(pool, min(count + drafts, len(pool)))
    start = timezone.make_aware(datetime.datetime.combine(survey.opens_on, datetime.time(9)))
    responses = []
    for i, enterprise in enumerate(chosen):
        submitted = i >= drafts
        responses.append(
            SurveyResponse(
                survey=survey,
                enterprise=enterprise,
                status=SurveyResponse.Status.SUBMITTED if submitted else SurveyResponse.Status.DRAFT,
                submitted_at=start + datetime.timedelta(hours=rng.randint(1, 20 * 24)) if submitted else None,
                allow_named_follow_up=rng.random() < 0.3,
                respondent_name="",
            )
        )
    responses = SurveyResponse.objects.bulk_create(responses)
    ratings, unit_answers, choices, texts = [], [], [], []
    for response in responses:
        rated = dealings[response.enterprise_id]
        for unit in rated:
            mean = quality[unit.pk] + improvement * (1 if unit.pk % 3 else -0.5)
            values = [_level(rng, mean + (0.3 if dim.name == "廉洁自律" else 0)) for dim in dims]
            ratings.extend(
                Rating(response=response, question=grid, unit=unit, dimension=dim, value=v)
                for dim, v in zip(dims, values)
            )
            average = sum(values) / len(values)
            if rng.random() < 0.22:
                kind = "low" if average < 3.3 else "high" if average >= 4.3 else "mid"
                unit_answers.append(
                    UnitAnswer(response=response, question=grid, unit=unit, comment=rng.choice(COMMENTS[kind]))
                )
        for unit in rng.sample([u for u in grid_units(grid) if u not in rated], 2):
            unit_answers.append(UnitAnswer(response=response, question=grid, unit=unit, no_dealings=True))
        choices.append(
            ChoiceAnswer(
                response=response,
                question_id=single[0].question_id,
                choice=rng.choices(single, weights=[3, 5, 2, 1])[0],
            )
        )
        for choice in rng.sample(multiple, rng.randint(1, 3)):
            choices.append(ChoiceAnswer(response=response, question_id=choice.question_id, choice=choice))
        if rng.random() < 0.25:
            texts.append(TextAnswer(response=response, question=text_q, text=rng.choice(FREE_TEXT)))
    Rating.objects.bulk_create(ratings, batch_size=2000)
    UnitAnswer.objects.bulk_create(unit_answers, batch_size=2000)
    ChoiceAnswer.objects.bulk_create(choices, batch_size=2000)
    TextAnswer.objects.bulk_create(texts, batch_size=2000)


_grid_units_cache = {}


def grid_units(grid):
    if grid.pk not in _grid_units_cache:
        _grid_units_cache[grid.pk] = list(grid.units.all())
    return _grid_units_cache[grid.pk]


def _publish_results(survey, office_user):
    """公布: the latest closed campaign's results are on the public 政企互动 page (as the county
    office would have done a week after the close)."""
    if survey.results_published_at is None and survey.is_closed:
        survey.results_published_at = timezone.make_aware(
            datetime.datetime.combine(survey.closes_on + datetime.timedelta(days=7), datetime.time(10))
        )
        survey.results_published_by = office_user
        survey.save(update_fields=["results_published_at", "results_published_by"])


def _findings(survey, departments, office_user):
    """A few rectification findings from the 2025 campaign, sent as matters."""
    by_name = {d.name: d for d in departments}
    wanted = [
        (
            "县自然资源局",
            "用地审批材料一次性告知",
            "多家企业反映用地审批材料要求反复补正，请梳理材料清单并一次性告知。",
        ),
        ("县市场监督管理局", "缩短窗口排队时间", "企业反映登记窗口排队时间长，请优化窗口设置、推广网上办理。"),
        ("县财政局", "加快奖补资金拨付", "企业反映奖补资金拨付周期长，请明确拨付时限并公开进度。"),
        ("县住房和城乡建设局", "施工许可办理提速", "办事效率得分低于全县平均，请压缩施工许可办理时限。"),
    ]
    for unit_name, title, description in wanted:
        unit = by_name.get(unit_name)
        if unit is None or Finding.objects.filter(survey=survey, unit=unit, title=title).exists():
            continue
        services.finding_create(survey=survey, unit=unit, title=title, description=description, created_by=office_user)
