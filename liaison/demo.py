"""Demo matters: ~300 over the last eight months, across channels, units, categories and every
state, made through the services (so every event row is real). Idempotent: each demo matter
has a fixed submission token; a matter that exists is left as it is."""

import datetime
import random
import time
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from portal.models import Enterprise, EnterpriseAccount, Official, Unit
from portal.core.roles import group_for

from . import clock, workflow
from .models import DeadlineRule, Matter, ReplyTemplate
from .services import matter_register, matter_transition

COUNT = 300
DEMO_QUERY_CODE = "DEMAKR26"
NAMESPACE = uuid.UUID("6d1f3c1e-6c55-4a4e-9d8e-2d0b7f1a9e01")

PROBLEMS = {
    "financing": [
        ("流动资金贷款难", "企业订单增加，需流动资金约500万元，银行要求抵押物不足，希望协调担保。"),
        ("贴息政策咨询", "想了解技改贷款贴息政策的申报条件和时间。"),
    ],
    "land": [
        ("扩建厂房用地报批慢", "二期厂房用地已提交报批材料两个月，尚无进展，影响设备进场。"),
        ("土地证办理", "厂区部分土地历史遗留问题，无法办理不动产权证。"),
    ],
    "labour": [
        ("招工难", "春节后一线普工缺口约80人，希望协助对接劳务资源。"),
        ("社保补贴申领", "吸纳就业社保补贴申请后未到账。"),
    ],
    "approval": [
        ("环评与施工许可并联办理", "新建项目希望环评、施工许可同步推进，缩短审批时间。"),
        ("食品经营许可延续", "许可证即将到期，延续办理需提交哪些材料？"),
    ],
    "utilities": [
        ("用电增容", "新增生产线需增容至1250千伏安，报装进度慢。"),
        ("供水压力不足", "园区夜间供水压力不足，影响生产。"),
    ],
    "transport": [
        ("园区道路破损", "进厂道路破损严重，货车通行困难。"),
        ("物流车辆通行证", "物流车辆进城通行证办理问题。"),
    ],
    "policy": [("奖补资金未兑现", "去年认定的高新技术企业奖补资金尚未拨付。"), ("稳岗返还", "稳岗返还资金何时发放？")],
    "environment": [("排污许可变更", "产能调整后需变更排污许可，流程不清楚。")],
    "safety": [("安全生产标准化辅导", "希望安排专家指导安全生产标准化创建。")],
    "complaint": [
        ("窗口办事推诿", "在政务服务中心办理业务时被多次要求补交材料，反映窗口推诿。"),
        ("检查过多", "一个月内被不同部门重复检查三次，影响正常生产。"),
    ],
    "other": [("企业周边治安", "厂区周边夜间治安较差，希望加强巡逻。")],
}
CATEGORY_LEADS = {
    "financing": "县金融工作局",
    "land": "县自然资源局",
    "labour": "县人力资源和社会保障局",
    "approval": "县政务服务数据管理局",
    "utilities": "县供电局",
    "transport": "县交通运输局",
    "policy": "县财政局",
    "environment": "清远市生态环境局清新分局",
    "safety": "县应急管理局",
    "complaint": "县市场监督管理局",
    "other": "县公安局",
}
REPLIES = {
    "financing": "已协调县融资担保公司为贵司提供担保，合作银行已受理贷款申请，请与客户经理对接。",
    "land": "用地报批材料已补正并报市审批，预计15个工作日内批复，我局将跟踪进度。",
    "labour": "已将贵司用工需求纳入县春风行动专场招聘会，并推送至劳务合作基地。",
    "approval": "已为项目开通并联审批绿色通道，专人跟进，材料齐全即可同步受理。",
    "utilities": "供电局已安排现场勘查，增容方案确定后即开工，预计月底送电。",
    "transport": "道路修复已列入本月养护计划，施工期间请注意绕行。",
    "policy": "奖补资金已完成审核，将于本月内拨付至企业账户。",
    "environment": "排污许可变更可网上申请，已安排专人上门指导。",
    "safety": "已安排安全生产专家于下周到企业开展指导。",
    "complaint": "经核查，已对相关窗口人员批评教育，并实行一次性告知制度。",
    "other": "已通报辖区派出所加强夜间巡逻，并在厂区周边增设监控。",
}
# Final state → share of the demo matters (every state present).
TARGETS = [
    (workflow.ARCHIVED, 70),
    (workflow.RATED, 45),
    (workflow.REPLIED, 30),
    (workflow.CLOSED, 8),
    (workflow.ASSIGNED, 40),
    (workflow.HANDLING, 30),
    (workflow.WAITING, 12),
    (workflow.REFERRAL_REQUESTED, 15),
    (workflow.RETURNED, 8),
    (workflow.ACCEPTED, 12),
    (workflow.RECEIVED, 20),
]
CHANNELS = [
    ("online", 40),
    ("visit", 20),
    ("meeting", 8),
    ("phone", 15),
    ("complaint", 10),
    ("survey", 3),
    ("site_error", 4),
]


def _weighted(rng, pairs):
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def _unit_actor(unit, cache):
    """An official of `unit` to act in the demo: a demo login if the unit has one, else a
    service account without a usable password."""
    if unit.pk in cache:
        return cache[unit.pk]
    official = Official.objects.acting_for([unit]).select_related("user").order_by("id").first()
    if official is None:
        User = get_user_model()
        user, created = User.objects.get_or_create(username=f"liaison_desk_{unit.pk}", defaults={"is_staff": True})
        if created:
            user.set_unusable_password()
            user.save()
        official, _ = Official.objects.get_or_create(
            user=user,
            defaults=dict(
                unit=unit, role=Official.Role.UNIT_STAFF, name=f"{unit.short_name or unit.name}值班员", post="联络员"
            ),
        )
        user.groups.add(group_for(Official.Role.UNIT_STAFF))
    cache[unit.pk] = official.user
    return official.user


def build_rules():
    for category in ("financing", "land", "utilities", "approval"):
        DeadlineRule.objects.update_or_create(category=category, urgency="urgent", defaults={"workdays": 3})
        DeadlineRule.objects.update_or_create(category=category, urgency="very_urgent", defaults={"workdays": 2})
    DeadlineRule.objects.update_or_create(category="land", urgency="normal", defaults={"workdays": 10})
    for category, text in REPLIES.items():
        ReplyTemplate.objects.update_or_create(category=category, title="标准答复", defaults={"body": text})


def build(stdout):
    started = time.monotonic()
    build_rules()
    rng = random.Random(20261126)
    enterprises = list(Enterprise.objects.select_related("town").order_by("uscc"))
    office = Unit.objects.filter(kind=Unit.Kind.COUNTY_OFFICE).order_by("sort_order", "id").first()
    User = get_user_model()
    office_user = User.objects.filter(official__role=Official.Role.COUNTY_OFFICE).order_by("id").first()
    enterprise_users = {
        a.enterprise_id: a.user
        for a in EnterpriseAccount.objects.filter(status=EnterpriseAccount.Status.CONFIRMED)
        .select_related("user")
        .order_by("id")
    }
    units = {u.name: u for u in Unit.objects.all()}
    if not enterprises or office is None or office_user is None:
        stdout.write("liaison: no portal demo data; skipped.")
        return
    # Every demo matter shares one query code, hashed once, so that the demo can be followed
    # by tracking number (the code is printed below; real codes are never stored in clear).
    code_hash = make_password(DEMO_QUERY_CODE)
    existing = set(Matter.objects.filter(idempotency_key__isnull=False).values_list("idempotency_key", flat=True))
    actors = {}
    today = clock.today()
    made = 0
    targets = []
    for state, n in TARGETS:
        targets += [state] * n
    for i in range(COUNT):
        key = uuid.uuid5(NAMESPACE, f"demo-matter-{i}")
        target = targets[i % len(targets)]
        enterprise = rng.choice(enterprises)
        channel = _weighted(rng, CHANNELS)
        category = rng.choice(list(PROBLEMS))
        if channel == "complaint":
            category = "complaint"
        if channel == "site_error":
            category = "website"
        title, description = rng.choice(PROBLEMS.get(category, [("政策页面链接失效", "政策文件附件链接打不开。")]))
        urgency = rng.choices(["normal", "urgent", "very_urgent"], weights=[80, 15, 5])[0]
        open_target = target in workflow.OPEN_STATES
        age = rng.randint(0, 12) if open_target else rng.randint(20, 240)
        received = today - datetime.timedelta(days=age)
        if key in existing:
            continue
        receiver = office if channel == "site_error" else (enterprise.town if rng.random() < 0.85 else office)
        if target == workflow.REFERRAL_REQUESTED:
            receiver = enterprise.town
        received_at = timezone.make_aware(datetime.datetime.combine(received, datetime.time(9, rng.randint(0, 59))))
        with clock.travel(received_at):
            matter, _created = matter_register(
                enterprise=None if channel == "site_error" else enterprise,
                enterprise_name="" if channel != "site_error" else "",
                title=title,
                description=description,
                category=category,
                channel=channel,
                urgency=urgency,
                received_by=receiver,
                created_by=_unit_actor(receiver, actors) if channel in ("phone", "complaint") else None,
                contact_name=enterprise.contact_name or "联系人",
                contact_phone=enterprise.contact_phone,
                idempotency_key=key,
                query_code_hash=code_hash,
            )
        _drive(matter, target, rng, received, today, office_user, actors, units, enterprise_users, enterprise)
        made += 1
    stdout.write(
        f"liaison: {made} demo matters made ({Matter.objects.count()} in all) "
        f"in {time.monotonic() - started:.1f} s; their query code is {DEMO_QUERY_CODE}."
    )


def _drive(matter, target, rng, received, today, office_user, actors, units, enterprise_users, enterprise):
    """Walk a matter to `target`, each step a few days after the one before, never past today."""
    state = {"day": received, "step": 0, "matter": matter}
    span = max((today - received).days, 0)
    pace = max(span // 10, 1)

    def at():
        state["step"] += 1
        day = min(state["day"], today)
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(9, 0)) + datetime.timedelta(minutes=7 * state["step"])
        )

    def act(action, user, advance=None, **params):
        state["day"] += datetime.timedelta(days=advance if advance is not None else rng.randint(0, pace))
        if user is None:  # the person who raised it, with the tracking number and query code
            user, params["tracking_grant"] = AnonymousUser(), True
        with clock.travel(at()):
            state["matter"] = matter_transition(matter=state["matter"], action=action, user=user, **params)

    m = state["matter"]
    receiver_user = _unit_actor(m.received_by, actors)
    ent_user = enterprise_users.get(m.enterprise_id) if m.enterprise_id else None
    if target == workflow.RECEIVED:
        return
    refer = (
        m.received_by.is_county_office
        or rng.random() < 0.55
        or target in (workflow.REFERRAL_REQUESTED, workflow.ASSIGNED, workflow.RETURNED)
    )
    if target == workflow.HANDLING:
        refer = False
    if m.received_by.is_county_office and m.channel == "site_error":
        refer = False
    act("accept", receiver_user, advance=rng.choice([0, 0, 1, 1, 3]))
    if target == workflow.ACCEPTED:
        return
    lead_user = receiver_user
    if refer and not m.received_by.is_county_office:
        act("request_referral", receiver_user, reason="该事项超出本单位职权，提请县政府办交办。")
        if target == workflow.REFERRAL_REQUESTED:
            return
    if refer:
        lead = units.get(CATEGORY_LEADS.get(m.category, ""), None) or units["县发展和改革局"]
        coop = [u for u in units.values() if u.name in ("县发展和改革局", "县工业和信息化局") and u.pk != lead.pk]
        _unit_actor(lead, actors)  # 交办 goes only to a unit somebody can act for
        act(
            "assign",
            office_user,
            lead_unit=lead,
            cooperating_units=coop[: rng.randint(0, 1)],
            reason="请牵头办理并按期答复企业。",
        )
        if target == workflow.RETURNED or (rng.random() < 0.08 and target not in (workflow.ASSIGNED,)):
            lead_user = _unit_actor(lead, actors)
            act("return_assignment", lead_user, advance=1, reason="该事项属供电企业职责，不属本单位职权范围。")
            if target == workflow.RETURNED:
                return
            _unit_actor(units["县发展和改革局"], actors)
            act("assign", office_user, lead_unit=units["县发展和改革局"], reason="重新交办，请牵头协调。")
        lead_user = _unit_actor(state["matter"].lead_unit, actors)
    else:
        act("handle_self", receiver_user, advance=0)
    if target in (workflow.ASSIGNED, workflow.HANDLING):
        if rng.random() < 0.3:
            act("note", lead_user, reason="已与企业电话联系，了解具体情况。", public=True)
        if rng.random() < 0.2:
            act("request_extension", lead_user, days=rng.randint(2, 6), reason="需协调上级部门，申请延期。")
        if rng.random() < 0.2:
            act("supervise", office_user, reason="县领导关注事项，列入督办。")
        return
    if rng.random() < 0.25 or target == workflow.WAITING:
        act("request_supplement", lead_user, reason="请补充项目立项批复及用地红线图。")
        if target == workflow.WAITING:
            return
        act("resume", ent_user, reason="已补充相关材料。")
    if rng.random() < 0.15:
        act("request_extension", lead_user, days=rng.randint(2, 5), reason="涉及多部门会商，申请延期。")
        act("approve_extension", office_user, advance=1, reason="同意延期。")
    act("note", lead_user, reason="内部：已召开协调会研究。", public=False)
    act("reply", lead_user, advance=rng.randint(1, pace + 6), reason=REPLIES.get(m.category, "已办理完毕。"))
    if target == workflow.REPLIED:
        return
    poor = target == workflow.CLOSED or rng.random() < 0.12
    rating = rng.choice([1, 2]) if poor else rng.choices([5, 4, 3], weights=[55, 35, 10])[0]
    act("rate", ent_user, rating=rating, reason="问题仍未解决。" if poor else "")
    if target == workflow.RATED:
        return
    if poor:
        act("close", office_user, reason="经核实，企业诉求涉及上级审批权限，已向企业解释说明。")
        if target == workflow.CLOSED:
            return
    act("archive", office_user if poor or rng.random() < 0.5 else lead_user)
