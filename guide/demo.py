"""Demo guide: the current 2026年版 with 90+ service items from 15 departments, leaders'
division of labour for county leaders and town heads, and loan products of the demo banks and
guarantee companies. Idempotent: natural keys (edition slug; department + item name; leader
name + post; institution + product name)."""

import datetime

from django.db import transaction
from django.utils import timezone

from portal.models import FinancialInstitution, Unit

from .models import Faq, Fee, GuideEdition, LeaderDuty, LoanProduct, Material, ServiceItem, Step, Topic

T = Topic
L, C, F, P, O = "licence", "confirmation", "filing", "public_service", "other"  # noqa: E741 - kind codes
PLACE = "清新县政务服务中心（太和镇府前路8号）{}号窗口"
HOURS = "工作日 上午8:30—12:00，下午14:30—17:30（法定节假日除外）"
ONLINE = "https://www.gdzwfw.gov.cn/"

LICENCE = ("营业执照副本复印件（加盖公章）", "copy", 1, "")
ID_CARD = ("法定代表人身份证复印件", "copy", 1, "核验原件")
AGENT = ("授权委托书及受托人身份证复印件", "original", 1, "委托办理时提供")
APPLICATION = ("申请表", "original", 1, "可在窗口领取或网上下载")

# department: [(name, type, topics, legal days, promised days, fees or None, materials, steps, basis), ...]
COMMON_STEPS = [
    "申请：网上或窗口提交材料",
    "受理：材料齐全、符合法定形式的当场受理",
    "审查：审查材料，必要时现场核查",
    "决定：作出决定并送达",
]
ITEMS = {
    "县市场监督管理局": [
        (
            "企业设立登记",
            L,
            [T.START_UP],
            3,
            1,
            None,
            [
                ("公司登记（备案）申请书", "original", 1, "全体股东签署"),
                ("公司章程", "original", 1, ""),
                ("股东主体资格证明或自然人身份证件复印件", "copy", 1, ""),
                ("法定代表人、董事、监事和经理的任职文件", "original", 1, ""),
                ("住所使用证明", "copy", 1, "租赁合同或产权证明"),
            ],
            [
                "网上申报：登录广东省市场监管局企业开办一网通办平台填报",
                "审核：登记机关审核申请材料",
                "领照：审核通过后领取营业执照，可同步刻制公章、申领发票",
            ],
            "《中华人民共和国市场主体登记管理条例》第三条、第十九条",
        ),
        (
            "企业变更登记",
            L,
            [T.OPERATIONS],
            3,
            1,
            None,
            [("公司登记（备案）申请书", "original", 1, ""), ("关于变更事项的决议或决定", "original", 1, ""), LICENCE],
            ["提交变更申请", "登记机关审查", "换发营业执照"],
            "《中华人民共和国市场主体登记管理条例》第二十四条",
        ),
        (
            "企业注销登记",
            L,
            [T.EXIT],
            10,
            3,
            None,
            [
                ("注销登记申请书", "original", 1, ""),
                ("清算报告或全体投资人承诺书", "original", 1, "简易注销提供承诺书"),
                ("清税证明", "original", 1, "税务机关出具"),
            ],
            ["公告：通过国家企业信用信息公示系统公告（简易注销公示20日）", "申请注销", "登记机关核准并收缴营业执照"],
            "《中华人民共和国市场主体登记管理条例》第三十一条至第三十四条",
        ),
        (
            "食品经营许可",
            L,
            [T.START_UP, T.OPERATIONS],
            20,
            10,
            None,
            [
                ("食品经营许可申请书", "original", 1, ""),
                ("营业执照复印件", "copy", 1, ""),
                ("与食品经营相适应的主要设备设施布局、操作流程等文件", "original", 1, ""),
                ("食品安全管理制度文本", "original", 1, ""),
            ],
            ["申请", "受理", "现场核查（必要时）", "作出许可决定，颁发许可证"],
            "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        ),
        (
            "食品生产许可",
            L,
            [T.START_UP, T.OPERATIONS],
            20,
            15,
            None,
            [
                ("食品生产许可申请书", "original", 1, ""),
                ("食品生产设备布局图和食品生产工艺流程图", "original", 1, ""),
                ("食品生产主要设备、设施清单", "original", 1, ""),
                ("食品安全管理制度", "original", 1, ""),
            ],
            COMMON_STEPS,
            "《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》",
        ),
        (
            "特种设备使用登记",
            C,
            [T.OPERATIONS],
            15,
            5,
            None,
            [("特种设备使用登记表", "original", 2, ""), ("产品合格证、监督检验证明", "copy", 1, ""), LICENCE],
            ["网上申请", "审查", "发放使用登记证"],
            "《中华人民共和国特种设备安全法》第三十三条",
        ),
        (
            "工业产品生产许可证（省级委托事项）",
            L,
            [T.OPERATIONS],
            30,
            20,
            None,
            [("工业产品生产许可证申请书", "original", 1, ""), LICENCE, ("产品检验报告", "original", 1, "")],
            COMMON_STEPS,
            "《中华人民共和国工业产品生产许可证管理条例》",
        ),
        (
            "股权出质登记",
            C,
            [T.FINANCE],
            3,
            1,
            None,
            [
                ("股权出质登记申请书", "original", 1, ""),
                ("质押合同", "copy", 1, ""),
                ("出质人、质权人主体资格证明", "copy", 1, ""),
            ],
            ["提交申请", "审查", "出具登记通知书"],
            "《中华人民共和国民法典》第四百四十三条；《股权出质登记办法》",
        ),
    ],
    "国家税务总局清新县税务局": [
        (
            "新办纳税人套餐式服务（信息确认、发票领用）",
            C,
            [T.START_UP],
            1,
            0,
            None,
            [ID_CARD, ("经办人身份证件", "original", 1, "")],
            ["登录广东省电子税务局", "确认登记信息、财务会计制度备案", "申领数字化电子发票额度"],
            "《中华人民共和国税收征收管理法》第十五条",
        ),
        (
            "增值税一般纳税人登记",
            C,
            [T.OPERATIONS],
            1,
            0,
            None,
            [("增值税一般纳税人登记表", "original", 1, ""), ("经办人身份证件", "original", 1, "")],
            ["提交登记表", "即时办结"],
            "《增值税一般纳税人登记管理办法》",
        ),
        (
            "增值税留抵退税",
            O,
            [T.FINANCE, T.OPERATIONS],
            10,
            5,
            None,
            [("退（抵）税申请表", "original", 1, "电子税务局填报")],
            ["电子税务局申请", "税务机关审核", "国库退库"],
            "财政部 税务总局公告2019年第39号",
        ),
        (
            "清税证明开具",
            C,
            [T.EXIT],
            1,
            0,
            None,
            [("清税申报表", "original", 1, ""), ("经办人身份证件", "original", 1, "")],
            ["结清税款、缴销发票", "提交清税申报", "开具清税证明"],
            "《中华人民共和国税收征收管理法实施细则》第十五条",
        ),
        (
            "纳税信用复评",
            C,
            [T.FINANCE],
            15,
            10,
            None,
            [("纳税信用复评申请表", "original", 1, "")],
            ["提交申请", "税务机关复核", "告知结果"],
            "《纳税信用管理办法（试行）》",
        ),
        (
            "研发费用加计扣除享受辅导",
            P,
            [T.OPERATIONS],
            None,
            None,
            None,
            [("研发项目立项资料", "copy", 1, ""), ("研发支出辅助账", "copy", 1, "")],
            ["预约辅导", "政策讲解与资料梳理", "年度汇算申报享受"],
            "《中华人民共和国企业所得税法》第三十条",
        ),
    ],
    "县发展和改革局": [
        (
            "企业投资项目备案",
            F,
            [T.CONSTRUCTION],
            3,
            1,
            None,
            [("项目备案信息（在线平台填报）", "electronic", 1, "项目名称、建设地点、规模和内容、总投资等")],
            ["登录广东省投资项目在线审批监管平台告知备案信息", "备案机关核对信息完整性", "出具备案证"],
            "《企业投资项目核准和备案管理条例》第十三条",
        ),
        (
            "企业投资项目核准",
            L,
            [T.CONSTRUCTION],
            20,
            15,
            None,
            [
                ("项目申请报告", "original", 3, "委托有资质机构编制"),
                ("城乡规划意见或用地预审意见", "copy", 1, ""),
                ("法律法规规定的其他文件", "copy", 1, ""),
            ],
            ["在线平台提交申请", "受理", "委托评估（不超过30日，不计入时限）", "核准决定"],
            "《企业投资项目核准和备案管理条例》第六条至第十二条",
        ),
        (
            "固定资产投资项目节能审查",
            L,
            [T.CONSTRUCTION],
            20,
            15,
            None,
            [("节能报告", "original", 2, ""), ("项目备案或核准文件", "copy", 1, "")],
            COMMON_STEPS,
            "《固定资产投资项目节能审查办法》",
        ),
        (
            "重点项目协调服务",
            P,
            [T.CONSTRUCTION],
            None,
            None,
            None,
            [("项目基本情况及需协调事项说明", "original", 1, "")],
            ["提出协调申请", "梳理问题清单", "召开协调会并跟踪落实"],
            "清新县政企沟通制度实施意见（2012）",
        ),
        (
            "政府定价收费项目咨询",
            P,
            [T.OPERATIONS],
            5,
            3,
            None,
            [("咨询事项说明", "original", 1, "")],
            ["电话或窗口咨询", "答复"],
            "《中华人民共和国价格法》",
        ),
    ],
    "县自然资源局": [
        (
            "建设项目用地预审与选址意见书",
            L,
            [T.CONSTRUCTION],
            20,
            10,
            None,
            [
                ("建设项目用地预审与选址申请表", "original", 1, ""),
                ("建设项目拟选址位置图", "original", 1, ""),
                ("项目建议书或备案证明", "copy", 1, ""),
            ],
            COMMON_STEPS,
            "《中华人民共和国土地管理法》第五十二条；《中华人民共和国城乡规划法》第三十六条",
        ),
        (
            "建设用地规划许可证核发",
            L,
            [T.CONSTRUCTION],
            20,
            10,
            None,
            [("建设用地规划许可申请表", "original", 1, ""), ("国有土地使用权出让合同", "copy", 1, ""), LICENCE],
            COMMON_STEPS,
            "《中华人民共和国城乡规划法》第三十七条、第三十八条",
        ),
        (
            "建设工程规划许可证核发",
            L,
            [T.CONSTRUCTION],
            20,
            10,
            None,
            [
                ("建设工程规划许可申请表", "original", 1, ""),
                ("建设工程设计方案", "original", 2, "含总平面图"),
                ("不动产权证书", "copy", 1, ""),
            ],
            ["申请", "受理", "方案审查、批前公示", "核发许可证"],
            "《中华人民共和国城乡规划法》第四十条",
        ),
        (
            "国有建设用地使用权首次登记",
            C,
            [T.CONSTRUCTION],
            10,
            5,
            [("不动产登记费", "550元/件", "财税〔2016〕79号")],
            [
                ("不动产登记申请书", "original", 1, ""),
                ("土地出让价款缴清证明", "copy", 1, ""),
                ("宗地图及界址点坐标", "original", 1, ""),
            ],
            ["申请", "受理", "审核", "登簿发证"],
            "《不动产登记暂行条例》",
        ),
        (
            "建设工程规划条件核实",
            C,
            [T.CONSTRUCTION],
            15,
            7,
            None,
            [("规划核实申请表", "original", 1, ""), ("竣工测量报告", "original", 1, "")],
            ["申请", "现场核实", "出具核实意见"],
            "《中华人民共和国城乡规划法》第四十五条",
        ),
        (
            "临时用地审批",
            L,
            [T.CONSTRUCTION],
            20,
            12,
            None,
            [
                ("临时用地申请书", "original", 1, ""),
                ("土地复垦方案", "original", 1, ""),
                ("临时使用土地合同", "original", 1, ""),
            ],
            COMMON_STEPS,
            "《中华人民共和国土地管理法》第五十七条",
        ),
        (
            "企业不动产抵押登记",
            C,
            [T.FINANCE],
            5,
            1,
            [("不动产登记费", "80元/件", "发改价格规〔2016〕2559号")],
            [
                ("不动产登记申请书", "original", 1, ""),
                ("抵押合同和主债权合同", "original", 1, ""),
                ("不动产权证书", "original", 1, ""),
            ],
            ["银行网点或窗口申请", "审核", "登簿并出具电子证明"],
            "《中华人民共和国民法典》第四百零二条；《不动产登记暂行条例》",
        ),
    ],
    "县住房和城乡建设局": [
        (
            "建筑工程施工许可证核发",
            L,
            [T.CONSTRUCTION],
            7,
            3,
            None,
            [
                ("建筑工程施工许可申请表", "original", 1, ""),
                ("建设工程规划许可证", "copy", 1, ""),
                ("施工图设计文件审查合格意见", "copy", 1, "联审系统自动获取"),
                ("中标通知书或直接发包证明", "copy", 1, ""),
            ],
            ["在线提交", "受理", "审查", "核发施工许可证"],
            "《中华人民共和国建筑法》第七条、第八条",
        ),
        (
            "房屋建筑和市政基础设施工程竣工验收备案",
            F,
            [T.CONSTRUCTION],
            15,
            5,
            None,
            [
                ("竣工验收备案表", "original", 2, ""),
                ("工程竣工验收报告", "original", 1, ""),
                ("规划、消防等认可文件", "copy", 1, ""),
            ],
            ["提交备案材料", "审查", "备案"],
            "《房屋建筑和市政基础设施工程竣工验收备案管理办法》",
        ),
        (
            "建筑业企业资质（施工总承包三级等）核准",
            L,
            [T.START_UP],
            20,
            15,
            None,
            [("资质申请表", "original", 1, ""), ("技术负责人及注册人员证明材料", "copy", 1, ""), LICENCE],
            COMMON_STEPS,
            "《中华人民共和国建筑法》第十三条；《建筑业企业资质管理规定》",
        ),
        (
            "城镇污水排入排水管网许可",
            L,
            [T.OPERATIONS],
            20,
            10,
            None,
            [
                ("排水许可申请表", "original", 1, ""),
                ("排水户内部排水管网平面图", "original", 1, ""),
                ("水质检测报告", "original", 1, ""),
            ],
            ["申请", "现场核查", "核发许可证"],
            "《城镇排水与污水处理条例》第二十一条",
        ),
        (
            "商品房预售许可",
            L,
            [T.OPERATIONS],
            10,
            5,
            None,
            [
                ("商品房预售许可申请表", "original", 1, ""),
                ("工程施工合同及进度证明", "copy", 1, ""),
                ("预售资金监管协议", "original", 1, ""),
            ],
            COMMON_STEPS,
            "《城市房地产开发经营管理条例》第二十三条",
        ),
        (
            "建设工程质量安全监督登记",
            F,
            [T.CONSTRUCTION],
            5,
            2,
            None,
            [("质量安全监督登记表", "original", 1, ""), ("施工合同、监理合同", "copy", 1, "")],
            ["网上申报", "审核", "登记"],
            "《建设工程质量管理条例》第十三条",
        ),
    ],
    "清远市生态环境局清新分局": [
        (
            "建设项目环境影响报告书审批",
            L,
            [T.CONSTRUCTION],
            60,
            30,
            None,
            [
                ("建设项目环境影响报告书", "original", 2, "含电子版"),
                ("公众参与说明", "original", 1, ""),
                ("审批申请", "original", 1, ""),
            ],
            ["在线申报", "受理并公示", "技术评估", "审批决定并公告"],
            "《中华人民共和国环境影响评价法》第二十二条",
        ),
        (
            "建设项目环境影响报告表审批",
            L,
            [T.CONSTRUCTION],
            30,
            15,
            None,
            [("建设项目环境影响报告表", "original", 2, ""), ("审批申请", "original", 1, "")],
            ["在线申报", "受理并公示", "技术评估", "审批决定"],
            "《中华人民共和国环境影响评价法》第二十二条",
        ),
        (
            "建设项目环境影响登记表备案",
            F,
            [T.CONSTRUCTION],
            0,
            0,
            None,
            [("环境影响登记表（在线填报）", "electronic", 1, "")],
            ["登录建设项目环境影响登记表备案系统填报", "即时生成备案回执"],
            "《建设项目环境影响登记表备案管理办法》",
        ),
        (
            "排污许可证核发",
            L,
            [T.OPERATIONS],
            20,
            15,
            None,
            [
                ("排污许可证申请表", "original", 1, "全国排污许可证管理信息平台填报"),
                ("自行监测方案", "original", 1, ""),
                ("环评批复文件", "copy", 1, ""),
            ],
            ["平台填报并公开信息", "受理", "审核（必要时现场核查）", "核发"],
            "《排污许可管理条例》第八条、第十三条",
        ),
        (
            "固定污染源排污登记",
            F,
            [T.OPERATIONS],
            0,
            0,
            None,
            [("排污登记表", "electronic", 1, "")],
            ["平台填报", "即时登记"],
            "《排污许可管理条例》第二十四条",
        ),
        (
            "危险废物转移联单审批（省内）",
            L,
            [T.OPERATIONS],
            10,
            5,
            None,
            [("危险废物转移计划", "original", 1, ""), ("接收单位经营许可证", "copy", 1, "")],
            COMMON_STEPS,
            "《中华人民共和国固体废物污染环境防治法》第八十二条",
        ),
    ],
    "县消防救援大队": [
        (
            "公众聚集场所投入使用、营业前消防安全检查",
            L,
            [T.OPERATIONS, T.START_UP],
            10,
            5,
            None,
            [
                ("消防安全检查申报表", "original", 1, ""),
                ("营业执照复印件", "copy", 1, ""),
                ("消防安全制度、灭火和应急疏散预案", "original", 1, ""),
                ("场所平面布置图", "original", 1, ""),
            ],
            ["网上申请（告知承诺或检查）", "受理", "现场检查", "作出决定"],
            "《中华人民共和国消防法》第十五条",
        ),
        (
            "消防安全重点单位界定备案",
            F,
            [T.OPERATIONS],
            5,
            3,
            None,
            [("消防安全重点单位申报表", "original", 1, ""), ("消防安全责任人、管理人任命文件", "copy", 1, "")],
            ["申报", "审核", "备案"],
            "《机关、团体、企业、事业单位消防安全管理规定》",
        ),
        (
            "大型群众性活动消防安全检查",
            L,
            [T.OPERATIONS],
            7,
            5,
            None,
            [("活动消防安全方案", "original", 1, ""), ("场地平面图", "original", 1, "")],
            ["申请", "现场检查", "出具意见"],
            "《大型群众性活动安全管理条例》",
        ),
        (
            "消防安全咨询与宣传培训",
            P,
            [T.OPERATIONS, T.STAFF],
            None,
            None,
            None,
            [("培训需求说明", "original", 1, "")],
            ["预约", "上门宣讲或培训"],
            "《中华人民共和国消防法》第六条",
        ),
    ],
    "县住房和城乡建设局（消防审验）": [],
    "县人力资源和社会保障局": [
        (
            "单位参保登记",
            C,
            [T.START_UP, T.STAFF],
            1,
            0,
            None,
            [("营业执照", "original", 1, "新办企业开办时同步登记"), ("社会保险登记表", "original", 1, "")],
            ["网上办理或窗口申请", "即时办结"],
            "《中华人民共和国社会保险法》第五十七条",
        ),
        (
            "职工参保增员、减员",
            C,
            [T.STAFF],
            1,
            0,
            None,
            [("参保人员增减表", "original", 1, "")],
            ["网上或窗口申报", "即时办结"],
            "《中华人民共和国社会保险法》第五十八条",
        ),
        (
            "企业吸纳就业困难人员社会保险补贴",
            O,
            [T.STAFF, T.FINANCE],
            20,
            15,
            None,
            [("补贴申请表", "original", 1, ""), ("劳动合同复印件", "copy", 1, ""), ("社保缴费明细", "original", 1, "")],
            ["申请", "审核公示", "拨付"],
            "《广东省就业补贴资金管理办法》",
        ),
        (
            "失业保险稳岗返还",
            O,
            [T.STAFF, T.FINANCE],
            None,
            None,
            None,
            [("无需申请（免申即享）", "electronic", 1, "")],
            ["系统比对", "公示", "资金直达企业账户"],
            "人社部发〔2023〕号文件",
        ),
        (
            "特殊工时工作制审批",
            L,
            [T.STAFF],
            20,
            10,
            None,
            [("实行特殊工时工作制申请表", "original", 1, ""), ("工会或职工代表意见", "original", 1, "")],
            COMMON_STEPS,
            "《中华人民共和国劳动法》第三十九条",
        ),
        (
            "劳动人事争议仲裁申请",
            P,
            [T.STAFF],
            45,
            45,
            None,
            [("仲裁申请书", "original", 2, ""), ("证据材料", "copy", 1, "")],
            ["立案", "开庭审理", "裁决"],
            "《中华人民共和国劳动争议调解仲裁法》第四十三条",
        ),
        (
            "企业招聘用工服务（招聘会摊位）",
            P,
            [T.STAFF],
            3,
            2,
            None,
            [LICENCE, ("招聘简章", "original", 1, "")],
            ["报名", "审核", "安排摊位"],
            "《就业服务与就业管理规定》",
        ),
        (
            "职业技能等级认定企业备案",
            F,
            [T.STAFF],
            20,
            10,
            None,
            [("备案申请表", "original", 1, ""), ("评价工作方案", "original", 1, "")],
            COMMON_STEPS,
            "《职业技能等级认定工作规程》",
        ),
    ],
    "县医疗保障局": [
        (
            "单位医疗保险参保登记",
            C,
            [T.START_UP, T.STAFF],
            1,
            0,
            None,
            [("单位参保登记表", "original", 1, "")],
            ["网上或窗口申请", "即时办结"],
            "《中华人民共和国社会保险法》第五十七条",
        ),
        (
            "定点医药机构申请",
            C,
            [T.OPERATIONS],
            90,
            60,
            None,
            [("定点申请表", "original", 1, ""), ("医疗机构执业许可证或药品经营许可证", "copy", 1, "")],
            ["提交申请", "评估", "公示", "签订协议"],
            "《医疗机构医疗保障定点管理暂行办法》",
        ),
        (
            "职工医保费用缴纳基数申报",
            C,
            [T.STAFF],
            1,
            0,
            None,
            [("缴费基数申报表", "original", 1, "")],
            ["网上申报", "即时办结"],
            "《广东省职工基本医疗保险实施办法》",
        ),
    ],
    "县水利局": [
        (
            "取水许可",
            L,
            [T.CONSTRUCTION, T.OPERATIONS],
            45,
            20,
            None,
            [
                ("取水许可申请书", "original", 1, ""),
                ("建设项目水资源论证报告", "original", 2, ""),
                ("与第三者利害关系的说明", "original", 1, ""),
            ],
            COMMON_STEPS,
            "《取水许可和水资源费征收管理条例》第十一条",
        ),
        (
            "生产建设项目水土保持方案审批",
            L,
            [T.CONSTRUCTION],
            20,
            10,
            None,
            [("水土保持方案报告书（表）", "original", 2, ""), ("申请文件", "original", 1, "")],
            ["申请", "技术评审", "审批"],
            "《中华人民共和国水土保持法》第二十五条",
        ),
        (
            "河道管理范围内建设项目工程建设方案审批",
            L,
            [T.CONSTRUCTION],
            20,
            15,
            None,
            [("申请书", "original", 1, ""), ("防洪评价报告", "original", 2, "")],
            COMMON_STEPS,
            "《中华人民共和国防洪法》第二十七条",
        ),
        (
            "水土保持设施自主验收报备",
            F,
            [T.CONSTRUCTION],
            5,
            3,
            None,
            [("验收鉴定书", "copy", 1, ""), ("验收报告", "copy", 1, "")],
            ["公示后提交报备材料", "出具报备回执"],
            "《水利部关于加强事中事后监管规范生产建设项目水土保持设施自主验收的通知》",
        ),
        (
            "非防洪建设项目洪水影响评价",
            L,
            [T.CONSTRUCTION],
            20,
            15,
            None,
            [("洪水影响评价报告", "original", 2, "")],
            COMMON_STEPS,
            "《中华人民共和国防洪法》第三十三条",
        ),
    ],
    "县应急管理局": [
        (
            "危险化学品经营许可（不带储存设施）",
            L,
            [T.OPERATIONS],
            30,
            15,
            None,
            [
                ("危险化学品经营许可证申请书", "original", 1, ""),
                ("安全生产管理制度和岗位操作规程", "original", 1, ""),
                ("主要负责人、安全管理人员安全资格证", "copy", 1, ""),
                ("经营场所产权证明", "copy", 1, ""),
            ],
            ["申请", "受理", "现场核查", "发证"],
            "《危险化学品安全管理条例》第三十三条",
        ),
        (
            "生产经营单位生产安全事故应急预案备案",
            F,
            [T.OPERATIONS],
            5,
            3,
            None,
            [
                ("应急预案备案申报表", "original", 1, ""),
                ("应急预案评审意见", "original", 1, ""),
                ("应急预案文本", "original", 1, ""),
            ],
            ["提交", "形式审查", "出具备案登记表"],
            "《生产安全事故应急预案管理办法》第二十六条",
        ),
        (
            "烟花爆竹经营（零售）许可",
            L,
            [T.OPERATIONS],
            20,
            10,
            None,
            [("零售许可申请表", "original", 1, ""), ("零售场所产权或租赁证明", "copy", 1, "")],
            COMMON_STEPS,
            "《烟花爆竹安全管理条例》第十九条",
        ),
        (
            "安全生产培训与标准化咨询",
            P,
            [T.OPERATIONS, T.STAFF],
            None,
            None,
            None,
            [("咨询需求", "original", 1, "")],
            ["预约", "服务"],
            "《中华人民共和国安全生产法》",
        ),
        (
            "建设项目安全设施设计审查（危险化学品）",
            L,
            [T.CONSTRUCTION],
            20,
            15,
            None,
            [("审查申请书", "original", 1, ""), ("安全设施设计", "original", 2, ""), ("安全评价报告", "copy", 1, "")],
            COMMON_STEPS,
            "《建设项目安全设施“三同时”监督管理办法》",
        ),
    ],
    "县交通运输局": [
        (
            "道路货物运输经营许可",
            L,
            [T.START_UP, T.OPERATIONS],
            20,
            5,
            None,
            [
                ("道路货物运输经营申请表", "original", 1, ""),
                ("车辆行驶证", "copy", 1, ""),
                ("驾驶人员从业资格证", "copy", 1, ""),
            ],
            ["申请", "审查", "发证"],
            "《中华人民共和国道路运输条例》第二十四条",
        ),
        (
            "道路运输证配发",
            C,
            [T.OPERATIONS],
            10,
            1,
            None,
            [("车辆行驶证", "copy", 1, ""), ("车辆技术等级评定", "original", 1, "")],
            ["申请", "即时配发"],
            "《道路货物运输及站场管理规定》",
        ),
        (
            "公路超限运输许可",
            L,
            [T.OPERATIONS],
            5,
            2,
            None,
            [("超限运输申请表", "original", 1, ""), ("车货总体轮廓图", "original", 1, "")],
            ["网上申请", "审核", "许可"],
            "《公路安全保护条例》第三十五条",
        ),
        (
            "涉路施工许可",
            L,
            [T.CONSTRUCTION],
            20,
            10,
            None,
            [("涉路施工申请书", "original", 1, ""), ("施工方案及安全保障措施", "original", 1, "")],
            COMMON_STEPS,
            "《中华人民共和国公路法》第四十四条",
        ),
    ],
    "县卫生健康局": [
        (
            "公共场所卫生许可",
            L,
            [T.START_UP, T.OPERATIONS],
            20,
            5,
            None,
            [
                ("公共场所卫生许可申请表", "original", 1, ""),
                ("卫生管理制度", "original", 1, ""),
                ("从业人员健康合格证明", "copy", 1, ""),
            ],
            ["告知承诺或申请", "现场审查", "发证"],
            "《公共场所卫生管理条例》第八条",
        ),
        (
            "医疗机构执业登记（诊所备案）",
            F,
            [T.START_UP],
            1,
            0,
            None,
            [("诊所备案信息表", "original", 1, ""), ("执业医师资格证", "copy", 1, "")],
            ["备案", "发放备案凭证"],
            "《医疗机构管理条例》",
        ),
        (
            "职业病危害项目申报",
            F,
            [T.OPERATIONS, T.STAFF],
            5,
            1,
            None,
            [("职业病危害项目申报表", "electronic", 1, "")],
            ["网上申报", "出具回执"],
            "《中华人民共和国职业病防治法》第十六条",
        ),
        (
            "放射诊疗许可",
            L,
            [T.OPERATIONS],
            20,
            15,
            None,
            [("放射诊疗许可申请表", "original", 1, ""), ("放射防护评价报告", "original", 1, "")],
            COMMON_STEPS,
            "《放射诊疗管理规定》",
        ),
    ],
    "县工业和信息化局": [
        (
            "企业技术改造项目备案",
            F,
            [T.CONSTRUCTION],
            3,
            1,
            None,
            [("技术改造项目备案信息", "electronic", 1, "")],
            ["在线平台填报", "备案"],
            "《企业投资项目核准和备案管理条例》",
        ),
        (
            "规模以上工业企业培育入库",
            P,
            [T.OPERATIONS],
            15,
            10,
            None,
            [("入库申请表", "original", 1, ""), ("近12个月营业收入证明", "copy", 1, "")],
            ["申请", "镇初审", "县审核", "纳入培育库"],
            "清新县促进工业经济发展若干措施",
        ),
        (
            "专精特新中小企业认定推荐",
            P,
            [T.OPERATIONS, T.FINANCE],
            30,
            20,
            None,
            [("申报书", "original", 1, ""), ("近两年财务审计报告", "copy", 1, ""), ("知识产权证明", "copy", 1, "")],
            ["网上申报", "县级推荐", "省级认定"],
            "《优质中小企业梯度培育管理暂行办法》",
        ),
        (
            "工业企业用电、用气保障协调",
            P,
            [T.OPERATIONS],
            5,
            3,
            None,
            [("协调事项说明", "original", 1, "")],
            ["提出需求", "协调供电、供气单位", "答复"],
            "清新县政企沟通制度实施意见（2012）",
        ),
    ],
    "县商务局": [
        (
            "对外贸易经营者备案（已改为登记信息共享）",
            F,
            [T.START_UP],
            0,
            0,
            None,
            [("无需单独提交材料", "electronic", 1, "")],
            ["办理营业执照时勾选进出口业务"],
            "《中华人民共和国对外贸易法》（2022年修正）",
        ),
        (
            "外商投资企业设立信息报告",
            F,
            [T.START_UP],
            0,
            0,
            None,
            [("初始报告（登记时同步报送）", "electronic", 1, "")],
            ["通过企业登记系统报送"],
            "《中华人民共和国外商投资法》第三十四条",
        ),
        (
            "单用途商业预付卡备案",
            F,
            [T.OPERATIONS],
            5,
            3,
            None,
            [("备案表", "original", 1, ""), LICENCE],
            ["提交", "备案"],
            "《单用途商业预付卡管理办法（试行）》",
        ),
        (
            "二手车交易市场经营者备案",
            F,
            [T.OPERATIONS],
            5,
            3,
            None,
            [("备案登记表", "original", 1, ""), LICENCE],
            ["提交", "备案"],
            "《二手车流通管理办法》",
        ),
        (
            "电商企业服务与项目申报指导",
            P,
            [T.OPERATIONS, T.FINANCE],
            None,
            None,
            None,
            [("企业基本情况", "original", 1, "")],
            ["预约", "辅导"],
            "广东省促进电子商务发展政策",
        ),
    ],
    "县政务服务数据管理局": [
        (
            "企业开办一窗通办（营业执照、公章、发票、社保、公积金）",
            P,
            [T.START_UP],
            1,
            1,
            None,
            [ID_CARD, ("住所使用证明", "copy", 1, ""), ("公司章程", "original", 1, "")],
            ["开办专区一次提交", "各部门并联审批", "一次领取营业执照、公章、发票"],
            "《优化营商环境条例》第十九条",
        ),
        (
            "工程建设项目审批帮办代办",
            P,
            [T.CONSTRUCTION],
            None,
            None,
            None,
            [("代办委托书", "original", 1, "")],
            ["签订代办协议", "全程代办", "办结交付"],
            "清新县工程建设项目审批制度改革实施方案",
        ),
        (
            "“跨省通办”“全省通办”事项受理",
            P,
            [T.OPERATIONS],
            None,
            None,
            None,
            [("依事项所需材料", "original", 1, "")],
            ["窗口收件", "流转至属地部门", "结果寄递"],
            "国务院办公厅关于加快推进政务服务“跨省通办”的指导意见",
        ),
        (
            "电子营业执照及电子印章申领",
            P,
            [T.START_UP],
            0,
            0,
            None,
            [("法定代表人手机与身份证件", "original", 1, "")],
            ["下载电子营业执照小程序", "实名认证后领取", "同步申领电子印章"],
            "《电子营业执照管理办法（试行）》",
        ),
    ],
    "县供电局": [
        (
            "低压非居民用电报装",
            P,
            [T.START_UP, T.CONSTRUCTION],
            5,
            3,
            None,
            [("用电人有效身份证明", "copy", 1, ""), ("用电地址物业权属证明", "copy", 1, "")],
            ["网上国网或窗口申请", "现场勘查", "装表接电"],
            "《供电营业规则》",
        ),
        (
            "高压用电报装",
            P,
            [T.CONSTRUCTION],
            30,
            15,
            None,
            [("用电申请", "original", 1, ""), ("项目批复或备案文件", "copy", 1, "")],
            ["申请", "供电方案答复", "设计审查与中间检查", "竣工检验与装表接电"],
            "《供电营业规则》",
        ),
        (
            "增容、减容业务",
            P,
            [T.OPERATIONS],
            15,
            10,
            None,
            [("变更用电申请", "original", 1, "")],
            ["申请", "方案答复", "实施"],
            "《供电营业规则》",
        ),
    ],
}
ITEMS.pop("县住房和城乡建设局（消防审验）")
FAQS = {
    "企业设立登记": [
        ("公司名称需要先核准吗？", "已实行名称自主申报，在企业开办平台填报时系统自动比对，无需单独核准。"),
        ("注册资本需要实缴吗？", "有限责任公司全体股东认缴的出资额应自公司成立之日起五年内缴足。"),
    ],
    "建筑工程施工许可证核发": [("可以分段办理施工许可吗？", "符合条件的项目可按基础、主体分阶段申请施工许可。")],
    "建设项目环境影响报告表审批": [
        ("哪些项目可以告知承诺审批？", "列入省告知承诺审批名录的项目，可承诺后当场取得批复。")
    ],
    "取水许可": [("使用自来水需要办理取水许可吗？", "使用公共供水管网的不需要办理取水许可。")],
}

LEADERS = [
    (
        "county",
        "清新县人民政府",
        "梁志强",
        "县长",
        "主持县政府全面工作，负责审计、编制工作",
        "县审计局",
        "清远市华盛陶瓷制造有限公司、清远市鑫达新材料科技有限公司",
        "0763-5812001",
    ),
    (
        "county",
        "清新县人民政府",
        "何国强",
        "常务副县长",
        "负责财政、税务、金融、发展改革、统计、政务服务工作，协助县长分管审计工作",
        "县发展和改革局、县财政局、县金融工作局、国家税务总局清新县税务局、县统计局、县政务服务数据管理局",
        "清远市兴隆五金制品有限公司",
        "0763-5812003",
    ),
    (
        "county",
        "清新县人民政府",
        "周美玲",
        "副县长",
        "负责工业、商务、市场监管、投资促进、安全生产、消防工作",
        "县工业和信息化局、县商务局、县市场监督管理局、县投资促进局、县应急管理局、县消防救援大队",
        "清远市泰安食品加工有限公司、清远市恒远电子科技有限公司",
        "0763-5812005",
    ),
    (
        "county",
        "清新县人民政府",
        "罗建华",
        "副县长",
        "负责自然资源、住房城乡建设、交通运输、水利、生态环境、城市管理工作",
        "县自然资源局、县住房和城乡建设局、县交通运输局、县水利局、清远市生态环境局清新分局、县城市管理和综合执法局",
        "",
        "0763-5812006",
    ),
    (
        "county",
        "清新县人民政府",
        "吴海燕",
        "副县长",
        "负责人力资源和社会保障、医疗保障、卫生健康、教育、文化旅游工作",
        "县人力资源和社会保障局、县医疗保障局、县卫生健康局、县文化广电旅游体育局",
        "",
        "0763-5812007",
    ),
]
TOWN_POSTS = [
    ("党委书记", "主持镇党委全面工作，负责辖区重点企业联系"),
    ("镇长", "主持镇政府全面工作，负责经济发展、招商引资、安全生产"),
]
LOANS = [
    (
        "中国工商银行清新支行",
        "经营快贷",
        "纯信用线上贷款，依据企业纳税、结算数据自动授信",
        "最高200万元",
        "1年，随借随还",
        "年化3.45%起",
        "成立满2年；纳税信用等级B级及以上；企业及实际控制人无不良信用记录",
        "营业执照\n法定代表人身份证\n近两年纳税申报表（系统授权获取）",
        "手机银行申请\n系统自动审批\n线上签约放款",
        "陈经理",
        "0763-5870888",
    ),
    (
        "中国农业银行清新支行",
        "乡村振兴·富民贷（企业版）",
        "面向农业产业化龙头企业、农产品加工企业的流动资金贷款",
        "最高500万元",
        "1—3年",
        "年化3.6%起",
        "从事农业生产或农产品加工满1年；经营正常",
        "营业执照\n近一年财务报表\n购销合同\n抵押物权属证明（如有）",
        "提出申请\n实地调查\n审批\n签约放款",
        "李经理",
        "0763-5871888",
    ),
    (
        "中国建设银行清新支行",
        "善新贷",
        "面向科技型中小企业，以知识产权和研发投入为授信依据",
        "最高1000万元",
        "1—3年",
        "年化3.5%起",
        "高新技术企业或专精特新企业；拥有有效知识产权",
        "营业执照\n高新技术企业证书\n知识产权证书\n近两年财务报表",
        "提交申请\n专家评估\n审批\n签约放款",
        "黄经理",
        "0763-5873888",
    ),
    (
        "广东清新农村商业银行",
        "政银保·助企贷",
        "县财政风险补偿资金池支持的小微企业贷款",
        "最高300万元",
        "1年",
        "年化不超过LPR+100BP",
        "纳入县中小微企业名录；无重大不良信用记录",
        "营业执照\n申请书\n近一年纳税或社保缴费证明",
        "向金融局或银行提出申请\n银行调查审批\n风险补偿备案\n放款",
        "何经理",
        "0763-5874888",
    ),
    (
        "中国邮政储蓄银行清新县支行",
        "小微易贷",
        "依据企业纳税、发票数据的线上信用或抵押贷款",
        "最高500万元",
        "1年",
        "年化3.55%起",
        "经营满1年；纳税信用B级以上",
        "营业执照\n法定代表人身份证",
        "线上申请\n审批\n放款",
        "林经理",
        "0763-5875888",
    ),
    (
        "清远市融资担保有限公司",
        "园区企业融资担保",
        "为园区内中小企业向银行贷款提供担保",
        "最高1000万元",
        "1—3年",
        "担保费率不超过1%/年",
        "在清远市内注册经营；生产经营正常",
        "担保申请书\n营业执照\n近两年财务报表\n反担保措施材料",
        "提出申请\n项目评审\n签订担保合同\n银行放款",
        "周经理",
        "0763-5876888",
    ),
    (
        "清新县中小企业融资担保有限公司",
        "转贷应急服务",
        "为到期续贷的企业提供过桥资金，避免抽贷断贷",
        "最高500万元",
        "不超过15天",
        "日费率0.1‰起",
        "贷款银行已出具续贷意向；企业经营正常",
        "转贷申请表\n银行续贷承诺函\n营业执照",
        "申请\n审核\n资金划付\n银行续贷后归还",
        "谢经理",
        "0763-5877888",
    ),
]


def build_edition():
    edition, _ = GuideEdition.objects.get_or_create(
        slug="2026",
        defaults=dict(
            title="2026年版",
            status=GuideEdition.Status.DRAFT,
            foreword="为贯彻落实《清新县建立政企沟通制度的实施意见》，方便企业办事“少跑腿、不跑空”，县政府办公室会同各部门编印本指南，"
            "汇编县镇领导分工、各部门办事事项的申请材料、办理流程、办结时限、收费标准以及融资信贷服务和联系电话。"
            "指南内容以各部门经县政府办公室审核的最新信息为准。",
        ),
    )
    if not GuideEdition.objects.current().exists():
        GuideEdition.objects.filter(pk=edition.pk).update(
            status=GuideEdition.Status.CURRENT, published_at=timezone.now()
        )
        edition.refresh_from_db()
    return edition


def build_items(edition):
    units = {u.name: u for u in Unit.objects.filter(name__in=ITEMS)}
    existing = set(ServiceItem.objects.masters().filter(edition=edition).values_list("department__name", "name"))
    today = timezone.localdate()
    window = 10
    created = []
    for d_index, (unit_name, rows) in enumerate(ITEMS.items()):
        unit = units.get(unit_name)
        if unit is None:
            continue
        for i, (name, kind, topics, legal, promised, fees, materials, steps, basis) in enumerate(rows):
            if (unit_name, name) in existing:
                continue
            # A few items were last reviewed long ago, so the review flag has something to show.
            reviewed = today - datetime.timedelta(days=400 if (d_index + i) % 11 == 0 else 30 + i * 7)
            item = ServiceItem(
                edition=edition,
                department=unit,
                status=ServiceItem.Status.APPROVED,
                name=name,
                code=f"11441827{unit.code[-6:-1] if unit.code else '00000'}{d_index:02d}{i:03d}",
                item_type=kind,
                topics=[t.value for t in topics],
                legal_basis=basis,
                summary=f"{unit.short_name or unit.name}办理的{name}事项。",
                conditions="申请人为依法设立的企业或其他组织，申请材料真实、齐全，符合法定形式。",
                legal_time_limit=legal,
                promised_time_limit=promised,
                is_free=not fees,
                place=PLACE.format(window + d_index),
                hours=HOURS,
                phone=unit.service_phone,
                online_url=ONLINE,
                last_reviewed=reviewed,
                sort_order=i,
                approved_at=timezone.now(),
            )
            created.append((item, fees, materials, steps))
    ServiceItem.objects.bulk_create([c[0] for c in created])
    Material.objects.bulk_create(
        [
            Material(item=item, name=m[0], form=m[1], copies=m[2], notes=m[3], sort_order=n)
            for item, _f, materials, _s in created
            for n, m in enumerate(materials, 1)
        ]
    )
    Step.objects.bulk_create(
        [
            Step(item=item, number=n, name=s.split("：")[0], description=s.split("：", 1)[1] if "：" in s else "")
            for item, _f, _m, steps in created
            for n, s in enumerate(steps, 1)
        ]
    )
    Fee.objects.bulk_create(
        [
            Fee(item=item, name=f[0], standard=f[1], basis=f[2], sort_order=n)
            for item, fees, _m, _s in created
            for n, f in enumerate(fees or [], 1)
        ]
    )
    Faq.objects.bulk_create(
        [
            Faq(item=item, question=q, answer=a, sort_order=n)
            for item, _f, _m, _s in created
            for n, (q, a) in enumerate(FAQS.get(item.name, []), 1)
        ]
    )
    return [c[0] for c in created]


def build_leaders(edition):
    units = {u.name: u for u in Unit.objects.all()}
    rows = list(LEADERS)
    for town in Unit.objects.towns().order_by("sort_order"):
        for j, (post, duties) in enumerate(TOWN_POSTS):
            name = town.principal_name if j == 0 and town.principal_name else f"{town.short_name or town.name}{post}"
            rows.append(
                (
                    "town",
                    town.name,
                    name,
                    post if town.name != "笔架林场" else ("场长" if j else "党委书记"),
                    duties,
                    "镇经济发展办、安监办" if j else "镇党政办",
                    "",
                    town.phone,
                )
            )
    for order, (level, unit_name, name, post, duties, in_charge, liaison, phone) in enumerate(rows):
        unit = units.get(unit_name)
        if unit is None:
            continue
        LeaderDuty.objects.update_or_create(
            edition=edition,
            unit=unit,
            name=name,
            post=post,
            defaults=dict(
                level=level,
                duties=duties,
                units_in_charge=in_charge,
                liaison_enterprises=liaison,
                office_phone=phone,
                sort_order=order,
            ),
        )


def build_loans(edition):
    institutions = {i.name: i for i in FinancialInstitution.objects.all()}
    for order, row in enumerate(LOANS):
        inst = institutions.get(row[0])
        if inst is None:
            continue
        LoanProduct.objects.update_or_create(
            edition=edition,
            institution=inst,
            name=row[1],
            defaults=dict(
                description=row[2],
                amount=row[3],
                term=row[4],
                rate=row[5],
                eligibility=row[6],
                materials=row[7],
                steps=row[8],
                contact_name=row[9],
                contact_phone=row[10],
                sort_order=order,
            ),
        )


def build(stdout):
    edition = build_edition()
    build_items(edition)
    build_leaders(edition)
    build_loans(edition)

    def index_and_build():
        # The whole guide is built once here (about 20 s); chapters and single items are built
        # on their first download (well under a second each) and whenever an approval changes them.
        from django.core.files.storage import default_storage

        from .downloads import build_whole_guide, edition_path
        from .services import edition_reindex

        edition_reindex(edition=edition)
        if not default_storage.exists(edition_path(edition, "pdf")):
            build_whole_guide(edition)

    transaction.on_commit(index_and_build)
    count = ServiceItem.objects.approved().filter(edition=edition).count()
    departments = ServiceItem.objects.approved().filter(edition=edition).values("department").distinct().count()
    stdout.write(
        f"  guide: {edition.title}, {count} items from {departments} departments, "
        f"{LeaderDuty.objects.filter(edition=edition).count()} leaders, "
        f"{LoanProduct.objects.filter(edition=edition).count()} loan products (the whole-guide PDF/DOCX builds after commit)"
    )
