"""Demo county: 清新县's towns and 笔架林场, its departments and agencies, 160 enterprises with
valid credit codes, and one login per role. Idempotent: natural keys decide what exists."""

import random

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Enterprise, EnterpriseAccount, LeadingGroupMember, Official, Scale, Unit
from portal.core.roles import group_for
from portal.core.validators import USCC_CHARSET, uscc_check_character

DEMO_PASSWORD = "Qingxin-Demo-2026"
# A fixed TOTP key for the county-office demo login (base32 JBSWY3DPEHPK3PXP...), printed with the logins.
DEMO_TOTP_HEX = "48656c6c6f21deadbeef48656c6c6f21deadbeef"

TOWNS = [
    ("太和镇", "太和"),
    ("山塘镇", "山塘"),
    ("太平镇", "太平"),
    ("三坑镇", "三坑"),
    ("龙颈镇", "龙颈"),
    ("禾云镇", "禾云"),
    ("飞来峡镇", "飞来峡"),
    ("浸潭镇", "浸潭"),
    ("石潭镇", "石潭"),
    ("笔架林场", "笔架"),
]
DEPARTMENTS = [
    ("县发展和改革局", "发改局", "department", "项目立项、备案、重点项目协调、价格"),
    ("县工业和信息化局", "工信局", "department", "工业经济运行、技术改造、中小企业服务"),
    ("县科学技术局", "科技局", "department", "科技项目、高新技术企业认定"),
    ("县财政局", "财政局", "department", "财政资金、奖补资金拨付"),
    ("县人力资源和社会保障局", "人社局", "department", "用工招聘、社会保险、劳动关系"),
    ("县自然资源局", "自然资源局", "department", "用地审批、规划许可、不动产登记"),
    ("县住房和城乡建设局", "住建局", "department", "施工许可、竣工验收、建筑市场"),
    ("县交通运输局", "交通局", "department", "道路运输许可、交通物流"),
    ("县水利局", "水利局", "department", "取水许可、水土保持"),
    ("县农业农村局", "农业农村局", "department", "农业企业、农产品加工扶持"),
    ("县商务局", "商务局", "department", "外贸、电商、招商引资"),
    ("县文化广电旅游体育局", "文广旅体局", "department", "文旅企业许可"),
    ("县卫生健康局", "卫健局", "department", "卫生许可、职业卫生"),
    ("县应急管理局", "应急局", "department", "安全生产许可、危化品"),
    ("县市场监督管理局", "市场监管局", "department", "企业登记、食品许可、特种设备、质量"),
    ("国家税务总局清新县税务局", "税务局", "department", "税收优惠、纳税服务、退税"),
    ("清远市生态环境局清新分局", "生态环境分局", "department", "环评审批、排污许可"),
    ("县公安局", "公安局", "department", "治安、企业周边环境"),
    ("县司法局", "司法局", "department", "法律服务、公共法律服务中心"),
    ("县统计局", "统计局", "department", "统计报表、规上企业统计"),
    ("县城市管理和综合执法局", "城管局", "department", "户外广告、渣土运输"),
    ("县医疗保障局", "医保局", "department", "医疗保险参保"),
    ("县政务服务数据管理局", "政数局", "agency", "政务服务中心、一网通办"),
    ("县投资促进局", "投促局", "agency", "项目引进、投资服务"),
    ("县金融工作局", "金融局", "agency", "政银企对接、融资协调"),
    ("县消防救援大队", "消防大队", "agency", "消防验收、消防安全检查"),
    ("县供电局", "供电局", "agency", "用电报装"),
]
WORDS = [
    "华",
    "盛",
    "兴",
    "隆",
    "泰",
    "安",
    "鑫",
    "达",
    "源",
    "宏",
    "丰",
    "瑞",
    "康",
    "信",
    "恒",
    "远",
    "腾",
    "飞",
    "嘉",
    "和",
    "润",
    "祥",
    "昌",
    "新",
    "利",
    "发",
    "创",
    "德",
    "佳",
    "正",
]
TRADES = [
    ("C", "陶瓷", "制造"),
    ("C", "五金", "制品"),
    ("C", "食品", "加工"),
    ("C", "塑料", "制品"),
    ("C", "新材料", "科技"),
    ("C", "电子", "科技"),
    ("C", "纺织", "实业"),
    ("C", "家具", "制造"),
    ("C", "建材", "实业"),
    ("C", "机械", "制造"),
    ("A", "农业", "发展"),
    ("A", "茶业", "发展"),
    ("F", "商贸", "贸易"),
    ("G", "物流", "运输"),
    ("H", "酒店", "管理"),
    ("E", "建筑", "工程"),
    ("I", "信息", "技术"),
    ("R", "文化旅游", "发展"),
    ("B", "矿业", "开发"),
    ("D", "水电", "开发"),
    ("M", "检测", "技术"),
    ("L", "商务", "服务"),
]
SURNAMES = "陈李黄张林王吴刘梁何郑罗谢周邓冯朱曾彭苏"
GIVEN = ["伟", "芳", "强", "敏", "军", "丽", "志明", "建华", "海燕", "国强", "秀英", "文杰", "晓东", "美玲", "永红"]


def make_uscc(rng, division="441827"):
    """A valid unified social credit code for an enterprise registered in the county."""
    body = "91" + division + "".join(rng.choice(USCC_CHARSET) for _ in range(9))
    return body + uscc_check_character(body)


def person(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def build_units():
    units = {}
    gov, _ = Unit.objects.update_or_create(
        name="清新县人民政府",
        defaults=dict(
            short_name="县政府",
            kind=Unit.Kind.COUNTY_GOVERNMENT,
            code="11441827007042188M",
            sort_order=1,
            principal_name="梁志强",
            principal_post="县长",
            address="清新县太和镇府前路1号",
            phone="0763-5812001",
            service_phone="0763-5812345",
            remit="全县政企沟通工作的统一领导",
        ),
    )
    office, _ = Unit.objects.update_or_create(
        name="清新县人民政府办公室",
        defaults=dict(
            short_name="县政府办",
            kind=Unit.Kind.COUNTY_OFFICE,
            code="11441827007042196F",
            sort_order=2,
            principal_name="陈建华",
            principal_post="县政府办主任",
            address="清新县太和镇府前路1号",
            phone="0763-5812002",
            service_phone="0763-5812345",
            remit="涉企事项交办、督办、政府工作评议",
        ),
    )
    units[gov.name], units[office.name] = gov, office
    for i, (name, short) in enumerate(TOWNS):
        town, _ = Unit.objects.update_or_create(
            name=name,
            defaults=dict(
                short_name=short,
                kind=Unit.Kind.TOWN,
                sort_order=10 + i,
                code=f"1144182700{7100 + i:04d}000X"[:18],
                principal_name=f"{SURNAMES[i]}{GIVEN[i]}",
                principal_post="党委书记" if name != "笔架林场" else "场长",
                address=f"清新县{name}政府大院",
                phone=f"0763-58{30 + i:02d}001",
                service_phone=f"0763-58{30 + i:02d}100",
                remit="辖区企业联系走访、座谈、企业账号确认",
            ),
        )
        units[name] = town
    for i, (name, short, kind, remit) in enumerate(DEPARTMENTS):
        dept, _ = Unit.objects.update_or_create(
            name=name,
            defaults=dict(
                short_name=short,
                kind=kind,
                sort_order=30 + i,
                code=f"1144182700{7200 + i:04d}000X"[:18],
                principal_name=f"{SURNAMES[(i + 5) % len(SURNAMES)]}{GIVEN[(i + 3) % len(GIVEN)]}",
                principal_post="局长" if kind == "department" else "负责人",
                remit=remit,
                address=f"清新县太和镇政务服务中心{i + 1}楼" if kind == "agency" else "清新县太和镇",
                phone=f"0763-58{50 + i:02d}001",
                service_phone=f"0763-58{50 + i:02d}123",
            ),
        )
        units[name] = dept
    for unit in Unit.objects.all():
        if not unit.leading_group.exists():
            LeadingGroupMember.objects.create(
                unit=unit,
                name=unit.principal_name,
                post=unit.principal_post,
                role=LeadingGroupMember.Role.LEADER,
                sort_order=1,
            )
            LeadingGroupMember.objects.create(
                unit=unit, name="分管副职", post="副职领导", role=LeadingGroupMember.Role.DEPUTY, sort_order=2
            )
    return units


def demo_enterprise_rows(count=160):
    """The same `count` enterprises every time (fixed seed), with unique names and codes."""
    rng = random.Random(20120626)
    scales = [Scale.LARGE] * 1 + [Scale.MEDIUM] * 3 + [Scale.SMALL] * 8 + [Scale.MICRO] * 6
    names, rows, index = set(), [], 0
    while len(rows) < count:
        index += 1
        industry, trade, suffix = TRADES[index % len(TRADES)]
        name = f"清远市{rng.choice(WORDS)}{rng.choice(WORDS)}{trade}{suffix}有限公司"
        uscc = make_uscc(rng)
        if name in names:
            continue
        names.add(name)
        town_name = TOWNS[index % len(TOWNS)][0]
        rows.append(
            dict(
                name=name,
                uscc=uscc,
                town_name=town_name,
                industry=industry,
                scale=rng.choice(scales),
                is_key=index % 6 == 0,
                address=f"清新县{town_name}{rng.choice(['工业园', '大道', '开发区', '村'])}{rng.randint(1, 200)}号",
                contact_name=person(rng),
                contact_phone=f"13{rng.randint(100000000, 999999999)}",
            )
        )
    return rows


def build_enterprises(units, count=160):
    for row in demo_enterprise_rows(count):
        town = units[row.pop("town_name")]
        Enterprise.objects.get_or_create(uscc=row.pop("uscc"), defaults=dict(row, town=town))


DEMO_OFFICIALS = [
    # username, unit name, role, name, post
    ("countyoffice", "清新县人民政府办公室", Official.Role.COUNTY_OFFICE, "陈晓东", "督查室主任"),
    ("leader_liang", "清新县人民政府", Official.Role.COUNTY_LEADER, "梁志强", "县长"),
    ("leader_he", "清新县人民政府", Official.Role.COUNTY_LEADER, "何国强", "常务副县长"),
    ("leader_zhou", "清新县人民政府", Official.Role.COUNTY_LEADER, "周美玲", "副县长"),
    ("taihe_head", "太和镇", Official.Role.UNIT_HEAD, "黄志明", "党委书记"),
    ("taihe_staff", "太和镇", Official.Role.UNIT_STAFF, "林海燕", "经济发展办干部"),
    ("shantang_staff", "山塘镇", Official.Role.UNIT_STAFF, "罗文杰", "经济发展办干部"),
    ("fgj_head", "县发展和改革局", Official.Role.UNIT_HEAD, "谢永红", "局长"),
    ("fgj_staff", "县发展和改革局", Official.Role.UNIT_STAFF, "邓伟", "项目股股长"),
    ("scjg_staff", "县市场监督管理局", Official.Role.UNIT_STAFF, "苏敏", "登记注册股干部"),
    ("zrzy_staff", "县自然资源局", Official.Role.UNIT_STAFF, "冯军", "用地股干部"),
]


def build_logins(units):
    User = get_user_model()
    for username, unit_name, role, name, post in DEMO_OFFICIALS:
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Official.objects.update_or_create(
            user=user, defaults=dict(unit=units[unit_name], role=role, name=name, post=post, phone="0763-5812345")
        )
        user.groups.add(group_for(role))
    office_user = User.objects.get(username="countyoffice")
    TOTPDevice.objects.get_or_create(
        user=office_user, name="演示验证器", defaults={"key": DEMO_TOTP_HEX, "confirmed": True}
    )
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.gov.cn", DEMO_PASSWORD)
    # Superusers owe a second factor like the county office: the same demo authenticator.
    TOTPDevice.objects.get_or_create(
        user=User.objects.get(username="admin"), name="演示验证器", defaults={"key": DEMO_TOTP_HEX, "confirmed": True}
    )
    enterprise = Enterprise.objects.filter(town=units["太和镇"]).order_by("id").first()
    for username, status in [
        ("enterprise", EnterpriseAccount.Status.CONFIRMED),
        ("enterprise_pending", EnterpriseAccount.Status.PENDING),
    ]:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.email = f"{username}@example.com"
            user.save()
        EnterpriseAccount.objects.update_or_create(
            user=user,
            defaults=dict(
                enterprise=enterprise,
                real_name="张丽" if status == "confirmed" else "王强",
                position="行政经理",
                phone="13800138000",
                status=status,
            ),
        )


def build(stdout):
    units = build_units()
    build_enterprises(units)
    build_logins(units)
    build_institutions()
    stdout.write(f"  portal: {Unit.objects.count()} units, {Enterprise.objects.count()} enterprises")


INSTITUTIONS = [
    ("中国工商银行清新支行", "bank"),
    ("中国农业银行清新支行", "bank"),
    ("中国银行清新支行", "bank"),
    ("中国建设银行清新支行", "bank"),
    ("广东清新农村商业银行", "bank"),
    ("中国邮政储蓄银行清新县支行", "bank"),
    ("清远市融资担保有限公司", "guarantee"),
    ("清新县中小企业融资担保有限公司", "guarantee"),
]


def build_institutions():
    from portal.models import FinancialInstitution

    for i, (name, kind) in enumerate(INSTITUTIONS):
        FinancialInstitution.objects.update_or_create(
            name=name,
            defaults=dict(
                kind=kind,
                sort_order=i,
                address="清新县太和镇",
                contact_name="客户经理",
                phone=f"0763-58{70 + i:02d}888",
            ),
        )
