"""Demo data for enterprise-situation monitoring: every county leader's key enterprises, the
towns' and some departments' cadres with their enterprises, two years of visits and meetings
with realistic problems (some handed to the liaison app as matters), appointments waiting for
the demo enterprise, and 政银企 matchmaking events with needs and outcomes.

Idempotent: a fixed random seed and natural keys ((unit, enterprise, date) for visits, (unit,
kind, date) for meetings, (enterprise, purpose, event) for needs); what exists is left alone."""

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.models import Enterprise, EnterpriseAccount, FinancialInstitution, Official, Unit
from portal.core.roles import group_for

from . import services
from .models import (
    Appointment,
    FinancingMatch,
    FinancingNeed,
    LiaisonAssignment,
    MatchmakingEvent,
    Meeting,
    MeetingDecision,
    MeetingProblem,
    Visit,
    VisitParticipant,
    VisitProblem,
)
from .periods import last_periods, period_of, today as local_today

DEMO_PASSWORD = "Qingxin-Demo-2026"
START = datetime.date(2024, 10, 1)  # assignments start here; visits cover the eight quarters since

PROBLEMS = [
    (
        "financing",
        "流动资金紧张，贷款抵押物不足",
        "订单增长需流动资金约500万元，现有厂房已抵押，希望协调担保公司增信。",
    ),
    ("financing", "技改贷款贴息申报", "希望了解技术改造贷款贴息的申报条件和时间。"),
    ("land", "二期厂房用地报批进度慢", "二期用地材料已报送两个月，尚未批复，影响设备进场。"),
    ("land", "历史用地无法办理不动产权证", "厂区部分用地存在历史遗留问题，无法办证，影响融资。"),
    ("labour", "一线普工招工难", "节后普工缺口约80人，希望协助对接劳务资源。"),
    ("labour", "技术工人培训补贴", "希望组织技能培训并申请培训补贴。"),
    ("approval", "新建项目审批环节多", "新建项目希望环评、施工许可并联办理，缩短审批时间。"),
    ("utilities", "用电增容报装慢", "新增生产线需增容至1250千伏安，报装进度慢。"),
    ("utilities", "园区夜间供水压力不足", "夜间供水压力不足，影响连续生产。"),
    ("transport", "进厂道路破损", "进厂道路破损严重，大货车通行困难。"),
    ("policy", "高新技术企业奖补未到账", "去年认定的高新技术企业奖补资金尚未拨付。"),
    ("environment", "排污许可变更流程不清", "产能调整后需变更排污许可，流程不清楚。"),
    ("safety", "希望安排安全生产标准化辅导", "希望安排专家指导安全生产标准化创建。"),
    ("other", "厂区周边夜间治安较差", "希望加强厂区周边夜间巡逻。"),
]
SOLVED = [
    "现场讲解了稳岗返还政策的申领流程，企业当场在线提交申请。",
    "现场协调供电所到厂勘查，确定了增容方案。",
    "现场答复了留抵退税办理条件，企业已明确所需材料。",
]
POLICIES = [
    "宣传了稳岗返还、社保补贴政策",
    "讲解了技术改造事后奖补政策和申报时间",
    "宣传了增值税留抵退税和小微企业税费减免政策",
    "介绍了高新技术企业认定奖励政策",
    "宣传了工业企业扩产增效奖励办法",
    "介绍了清新县中小企业转贷应急资金使用办法",
]
PROGRESS = [
    "二期厂房主体已封顶，预计下季度设备安装。",
    "新生产线已试产，产能逐步释放。",
    "技改项目设备已招标，正在办理进口手续。",
    "",
    "",
    "扩建项目正在办理用地报批。",
]
OPERATION_NOTES = {
    "good": "订单饱满，产销两旺。",
    "normal": "生产经营平稳。",
    "difficult": "原材料价格上涨，利润下降，订单减少约两成。",
    "halted": "设备检修，部分停产。",
}
MEETING_DECISIONS = [
    ("用电增容问题由县供电局牵头，两周内完成现场勘查并答复企业。", "县供电局"),
    ("用地报批问题由县自然资源局牵头，加快材料审核，月底前报市审批。", "县自然资源局"),
    ("招工问题由县人力资源和社会保障局组织专场招聘会。", "县人力资源和社会保障局"),
    ("融资问题由县金融工作局组织银行、担保公司专题对接。", "县金融工作局"),
]


def _user(username, email):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True, "email": email})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def build_cadres(rng):
    """Two extra cadres in each town (林场 included), so each town has a few officials with enterprises."""
    surnames = "陈李黄张林王吴刘梁何郑罗谢周邓冯朱曾彭苏"
    given = ["志远", "丽华", "振兴", "海燕", "建新", "晓红", "伟强", "秀兰", "国华", "永明"]
    group = group_for(Official.Role.UNIT_STAFF)
    for t, town in enumerate(Unit.objects.towns().order_by("sort_order")):
        for j in (1, 2):
            user = _user(f"cadre{t + 1:02d}_{j}", f"cadre{t + 1:02d}_{j}@example.gov.cn")
            Official.objects.get_or_create(
                user=user,
                defaults=dict(
                    unit=town,
                    role=Official.Role.UNIT_STAFF,
                    name=surnames[(t * 2 + j) % 20] + given[(t + j) % 10],
                    post="经济发展办干部",
                    phone="0763-5812345",
                ),
            )
            user.groups.add(group)
    # the demo logins get addresses so the reminder command has somewhere to send
    for official in Official.objects.select_related("user").filter(user__email=""):
        official.user.email = f"{official.user.username}@example.gov.cn"
        official.user.save(update_fields=["email"])


def build_assignments(rng):
    leaders = list(Official.objects.filter(role=Official.Role.COUNTY_LEADER).order_by("user__username"))
    keys = list(Enterprise.objects.key().order_by("uscc"))
    low, high = services.leader_bounds()
    for i, leader in enumerate(leaders):
        if LiaisonAssignment.objects.filter(official=leader, end_date__isnull=True).exists():
            continue
        count = high if i % 2 == 0 else low
        chosen = keys[i * high : i * high + count] or keys[:count]
        if len(chosen) >= low:
            services.leader_assignments_set(leader=leader, enterprises=chosen, start_date=START)
    # town cadres share their town's enterprises; a few department cadres take some in every town
    for town in Unit.objects.towns():
        cadres = list(
            Official.objects.filter(unit=town, role__in=[Official.Role.UNIT_STAFF, Official.Role.UNIT_HEAD]).order_by(
                "role", "user__username"
            )
        )
        if not cadres:
            continue
        for k, enterprise in enumerate(Enterprise.objects.filter(town=town).order_by("uscc")):
            official = cadres[k % len(cadres)]
            _assign(official, enterprise)
    departments = Official.objects.filter(
        unit__kind__in=[Unit.Kind.DEPARTMENT, Unit.Kind.AGENCY], role=Official.Role.UNIT_STAFF
    ).order_by("user__username")
    enterprises = list(Enterprise.objects.order_by("uscc"))
    for d, official in enumerate(departments):
        for enterprise in enterprises[d * 7 : d * 7 + 6]:
            _assign(official, enterprise)


def _assign(official, enterprise):
    if not LiaisonAssignment.objects.filter(official=official, enterprise=enterprise).exists():
        LiaisonAssignment.objects.create(
            official=official,
            enterprise=enterprise,
            unit=official.unit,
            kind=LiaisonAssignment.Kind.CADRE,
            start_date=START,
        )


def build_visits(rng):
    """For each assignment, one visit in most quarters (fewer in the current one), paid by the
    assigned official, sometimes with a colleague; problems on about a third of them."""
    today = local_today()
    periods = [p for p in last_periods(9, today) if p.end >= START]
    assignments = list(LiaisonAssignment.objects.select_related("official__unit", "enterprise").order_by("id"))
    colleagues = {}
    for official in Official.objects.exclude(role=Official.Role.COUNTY_OFFICE).order_by("id"):
        colleagues.setdefault(official.unit_id, []).append(official)
    # natural key: one demo visit per (official, enterprise, period); each pair's choices come
    # from its own seed, so a second run (or a run on another day) adds nothing already there
    existing = {
        (o, e, period_of(d).start)
        for o, e, d in VisitParticipant.objects.values_list("official_id", "enterprise_id", "date")
    }
    visits, teams, problems = [], [], []
    for assignment in assignments:
        for period in periods:
            official = assignment.official
            rng = random.Random(f"{official.user_id}-{assignment.enterprise.uscc}-{period.key}")
            current = period.contains(today)
            if rng.random() > (0.55 if current else 0.86):
                continue
            if (official.pk, assignment.enterprise_id, period.start) in existing:
                continue
            last_day = min(period.end, today)
            day = period.start + datetime.timedelta(days=rng.randint(0, (last_day - period.start).days))
            operation = rng.choices(["good", "normal", "difficult", "halted"], [3, 6, 2, 0.3])[0]
            with_figures = rng.random() < 0.6
            visit = Visit(
                unit_id=official.unit_id,
                enterprise=assignment.enterprise,
                date=day,
                form=rng.choices(["onsite", "symposium", "phone", "video"], [7, 2, 1.5, 0.5])[0],
                met_persons=rng.choice(["总经理", "董事长", "行政经理", "财务总监", "厂长"])
                + rng.choice("陈李黄张林王吴刘梁何")
                + rng.choice(["先生", "女士"]),
                operation=operation,
                operation_notes=OPERATION_NOTES[operation],
                output_value=Decimal(rng.randint(300, 30000)) if with_figures else None,
                revenue=Decimal(rng.randint(300, 28000)) if with_figures else None,
                employees=rng.randint(12, 900) if with_figures else None,
                capacity_use=Decimal(rng.randint(45, 98)) if with_figures else None,
                project_progress=rng.choice(PROGRESS),
                policies_explained=rng.choice(POLICIES),
                solved_on_spot=rng.choice(SOLVED) if rng.random() < 0.25 else "",
                follow_up="问题已登记，持续跟进。" if rng.random() < 0.3 else "",
            )
            visits.append(visit)
            team = [official]
            mates = [o for o in colleagues.get(official.unit_id, []) if o.pk != official.pk]
            if mates and rng.random() < 0.3:
                team.append(rng.choice(mates))
            teams.append(team)
            problems.append(rng.sample(PROBLEMS, k=rng.choice([0, 0, 1, 1, 2])) if rng.random() < 0.45 else [])
    Visit.objects.bulk_create(visits, batch_size=1000)
    VisitParticipant.objects.bulk_create(
        [
            VisitParticipant(visit=v, official=o, enterprise_id=v.enterprise_id, date=v.date)
            for v, team in zip(visits, teams)
            for o in team
        ],
        batch_size=2000,
    )
    VisitProblem.objects.bulk_create(
        [
            VisitProblem(
                visit=v,
                enterprise_id=v.enterprise_id,
                category=c,
                title=t,
                description=d,
                solved_on_spot=rng.random() < 0.15,
            )
            for v, chosen in zip(visits, problems)
            for c, t, d in chosen
        ],
        batch_size=1000,
    )
    return len(visits)


def build_meetings(rng):
    today = local_today()
    office = Unit.objects.filter(kind=Unit.Kind.COUNTY_OFFICE).order_by("sort_order").first()
    departments = {u.name: u for u in Unit.objects.departments()}
    key = list(Enterprise.objects.key().order_by("uscc"))
    made = 0
    dates = [
        datetime.date(2025, 1, 16),
        datetime.date(2025, 7, 10),
        datetime.date(2026, 1, 15),
        datetime.date(2026, 7, 9),
    ]
    for n, day in enumerate(d for d in dates if d <= today):
        meeting, created = Meeting.objects.get_or_create(
            unit=office,
            kind=Meeting.Kind.COORDINATION,
            date=day,
            defaults=dict(
                title=f"{day.year}年{'上' if day.month < 7 else '下'}半年政企协调会",
                place="县政府第一会议室",
                convener="梁志强（县长）",
                agenda="一、通报全县工业经济运行情况；二、重点企业反映问题；三、相关部门现场答复。",
                minutes="会议听取了重点企业负责人对政府及部门的意见建议，相关部门负责人现场答复，议定事项如下。",
            ),
        )
        if created:
            made += 1
            attending = rng.sample(key, k=min(8, len(key)))
            meeting.enterprises_attending.set(attending)
            meeting.units_attending.set(
                [
                    u
                    for name, u in departments.items()
                    if name
                    in (
                        "县发展和改革局",
                        "县自然资源局",
                        "县人力资源和社会保障局",
                        "县金融工作局",
                        "县供电局",
                        "县市场监督管理局",
                    )
                ]
            )
            for enterprise in attending[:4]:
                category, title, text = rng.choice(PROBLEMS)
                MeetingProblem.objects.create(
                    meeting=meeting, enterprise=enterprise, category=category, title=title, description=text
                )
            for text, unit_name in rng.sample(MEETING_DECISIONS, k=3):
                MeetingDecision.objects.create(
                    meeting=meeting,
                    text=text,
                    follow_up_unit=departments.get(unit_name),
                    follow_up_person="分管副局长",
                    due_date=day + datetime.timedelta(days=30),
                    done=day < today - datetime.timedelta(days=60),
                )
    for t, town in enumerate(Unit.objects.towns().order_by("sort_order")):
        enterprises = list(Enterprise.objects.filter(town=town).order_by("uscc"))
        for year in (2025, 2026):
            for half, month in enumerate((4, 10)):
                day = datetime.date(year, month, 8 + t)
                if day > today or not enterprises:
                    continue
                meeting, created = Meeting.objects.get_or_create(
                    unit=town,
                    kind=Meeting.Kind.SYMPOSIUM,
                    date=day,
                    defaults=dict(
                        title=f"{town.short_name or town.name}{year}年{'上' if half == 0 else '下'}半年企业座谈会",
                        place=f"{town.name}政府会议室",
                        convener=f"{town.principal_name}（{town.principal_post}）",
                        agenda="一、企业发展状况和重点技改项目进展；二、听取企业意见建议；三、协调解决实际困难。",
                        minutes="与会企业介绍了生产经营和项目推进情况，镇政府对企业反映的问题逐一回应。",
                    ),
                )
                if created:
                    made += 1
                    attending = rng.sample(enterprises, k=min(6, len(enterprises)))
                    meeting.enterprises_attending.set(attending)
                    for enterprise in attending[:2]:
                        category, title, text = rng.choice(PROBLEMS)
                        MeetingProblem.objects.create(
                            meeting=meeting, enterprise=enterprise, category=category, title=title, description=text
                        )
                    MeetingDecision.objects.create(
                        meeting=meeting,
                        text="镇经济发展办汇总问题，一周内分送相关部门。",
                        follow_up_unit=town,
                        follow_up_person="经济发展办主任",
                        due_date=day + datetime.timedelta(days=7),
                        done=True,
                    )
    return made


def build_matters(rng, stdout):
    """Hand some recent problems to the liaison app, through its service, as an official would."""
    made = 0
    since = local_today() - datetime.timedelta(days=240)
    visit_quota = max(0, 25 - VisitProblem.objects.filter(matter_id__isnull=False).count())
    meeting_quota = max(0, 8 - MeetingProblem.objects.filter(matter_id__isnull=False).count())
    problems = list(
        VisitProblem.objects.filter(matter_id__isnull=True, solved_on_spot=False, visit__date__gte=since)
        .select_related("visit__unit", "enterprise")
        .order_by("id")[:visit_quota]
    )
    problems += list(
        MeetingProblem.objects.filter(matter_id__isnull=True, meeting__date__gte=since)
        .select_related("meeting__unit", "enterprise")
        .order_by("id")[:meeting_quota]
    )
    for problem in problems:
        owner = problem.owner
        by = (
            owner.participants.select_related("official__user").first().official.user
            if isinstance(owner, Visit) and owner.participants.exists()
            else Official.objects.filter(unit=owner.unit).select_related("user").first().user
            if Official.objects.filter(unit=owner.unit).exists()
            else None
        )
        if by is None:
            continue
        _problem, created = services.problem_to_matter(problem=problem, by=by)
        made += created
    return made


def build_appointments(rng):
    """Visits being arranged with the demo enterprise (我的企业 shows them), one overlapping."""
    account = EnterpriseAccount.objects.filter(user__username="enterprise").select_related("enterprise").first()
    if account is None:
        return
    enterprise = account.enterprise
    town_official = Official.objects.filter(unit=enterprise.town).order_by("role", "id").first()
    dept_official = Official.objects.filter(user__username="scjg_staff").first()
    base = timezone.localtime(timezone.now()).replace(hour=9, minute=30, second=0, microsecond=0)
    plans = [
        (town_official, 6, "了解四季度生产经营情况和用工需求"),
        (dept_official, 6, "宣传质量强企政策，了解特种设备检验需求"),
        (town_official, 20, "回访用电增容问题落实情况"),
    ]
    for official, days, purpose in plans:
        if official is None:
            continue
        if Appointment.objects.filter(enterprise=enterprise, unit=official.unit, purpose=purpose).exists():
            continue
        start = base + datetime.timedelta(days=days)
        services.appointment_propose(
            enterprise=enterprise,
            official=official,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            purpose=purpose,
        )


def build_financing(rng):
    finance = (
        Unit.objects.filter(name="县金融工作局").first() or Unit.objects.filter(kind=Unit.Kind.COUNTY_OFFICE).first()
    )
    institutions = list(FinancialInstitution.objects.order_by("sort_order"))
    if finance is None or not institutions:
        return 0
    events = []
    for day, title in [
        (datetime.date(2025, 3, 20), "2025年春季政银企对接会"),
        (datetime.date(2025, 9, 18), "2025年秋季政银企对接会"),
        (datetime.date(2026, 4, 16), "2026年“稳增长”政银企对接会"),
    ]:
        event, created = MatchmakingEvent.objects.get_or_create(
            title=title,
            defaults=dict(
                date=day,
                unit=finance,
                place="县政务服务中心多功能厅",
                notes="县金融工作局组织，各商业银行、担保公司现场推介融资产品。",
            ),
        )
        if created:
            event.institutions.set(institutions)
        events.append(event)
    enterprises = list(Enterprise.objects.order_by("uscc"))
    purposes = [
        ("购置生产设备", "厂房、设备抵押"),
        ("补充流动资金", "应收账款质押"),
        ("扩建厂房", "土地使用权抵押"),
        ("原材料采购", "担保公司担保"),
        ("技术改造", "知识产权质押"),
    ]
    made = 0
    for e, event in enumerate(events):
        for k in range(8):
            enterprise = enterprises[(e * 13 + k * 7) % len(enterprises)]
            purpose, collateral = purposes[(e + k) % len(purposes)]
            need, created = FinancingNeed.objects.get_or_create(
                enterprise=enterprise,
                purpose=purpose,
                event=event,
                defaults=dict(
                    amount=Decimal(rng.choice([100, 200, 300, 500, 800, 1000, 1500, 3000])),
                    term_months=rng.choice([6, 12, 24, 36]),
                    collateral=collateral,
                    source=FinancingNeed.Source.ENTERPRISE if k % 3 == 0 else FinancingNeed.Source.OFFICIAL,
                ),
            )
            if not created:
                continue
            made += 1
            for institution in rng.sample(institutions, k=rng.choice([1, 1, 2])):
                outcome = rng.choices(
                    ["negotiating", "credit", "loan", "failed"], [1 if e == len(events) - 1 else 0.3, 2, 4, 1.5]
                )[0]
                credit = (
                    need.amount * Decimal(rng.choice(["0.6", "0.8", "1"])) if outcome in ("credit", "loan") else None
                )
                FinancingMatch.objects.create(
                    need=need,
                    institution=institution,
                    event=event,
                    outcome=outcome,
                    credit_amount=credit,
                    loan_amount=credit if outcome == "loan" else None,
                    failure_reason=rng.choice(["抵押物不足", "企业征信有逾期记录", "经营现金流不足以覆盖还款"])
                    if outcome == "failed"
                    else "",
                )
            if any(m.outcome == "loan" for m in need.matches.all()):
                services.financing_need_transition(need=need, action="meet")
    made += _upcoming_event(finance, institutions, enterprises, purposes, rng)
    return made


def _upcoming_event(finance, institutions, enterprises, purposes, rng):
    """A coming event (three weeks after the demo is loaded) with a few needs registered for it and
    no results yet, so the public page shows both what is planned and what was achieved."""
    title = "2026年冬季“助企纾困”政银企对接会"
    event, created = MatchmakingEvent.objects.get_or_create(
        title=title,
        defaults=dict(
            date=timezone.localdate() + datetime.timedelta(days=21),
            unit=finance,
            place="县政务服务中心多功能厅",
            notes="县金融工作局组织，重点对接中小微企业流动资金需求。",
        ),
    )
    if created:
        event.institutions.set(institutions[:4])
    made = 0
    for k in range(4):
        enterprise = enterprises[(k * 11 + 5) % len(enterprises)]
        purpose, collateral = purposes[k % len(purposes)]
        _need, created = FinancingNeed.objects.get_or_create(
            enterprise=enterprise,
            purpose=purpose,
            event=event,
            defaults=dict(
                amount=Decimal(rng.choice([100, 200, 300, 500])),
                term_months=12,
                collateral=collateral,
                source=FinancingNeed.Source.ENTERPRISE,
            ),
        )
        made += created
    return made


def build(stdout):
    started = time.monotonic()
    rng = random.Random(20120626)
    if not Enterprise.objects.exists():
        stdout.write("  visits: no portal demo data; skipped.")
        return
    build_cadres(rng)
    build_assignments(rng)
    visits = build_visits(rng)
    meetings = build_meetings(rng)
    matters = build_matters(rng, stdout)
    build_appointments(rng)
    needs = build_financing(rng)
    stdout.write(
        f"  visits: {LiaisonAssignment.objects.count()} assignments, {visits} new visits "
        f"({Visit.objects.count()} in all), {meetings} new meetings, {matters} problems handed over as "
        f"matters, {needs} new financing needs ({time.monotonic() - started:.1f}s)"
    )
