"""Demo policies: the 2012 implementation opinions on the government-enterprise communication
system (the seed document) as the county government's policy, and about 60 realistic
policies at every level and theme, with interpretations and a few open application windows.
Idempotent: the 文号 (or the title) is the natural key."""

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from portal.models import Unit

from .models import Interpretation, Level, Policy, Theme
from .services import next_index_number, reindex_now

# The founding document's full text is not ours to ship: it is read from SEED_POLICY_FILE when
# that file exists (the project's working copy keeps it in ../shared/data/). Without it the demo
# shows a summary written for the portal, in the repository — never the title alone.
SEED_SUMMARY_FILE = Path(__file__).resolve().parent / "data" / "seed-policy-2012-summary.txt"
SEED_TITLE = "关于建立政企沟通制度的实施意见"
SEED_DOC_NUMBER = "清新府〔2012〕35号"

# (level, issuer: our unit name or an outside body, 文号, 发布日期, title, themes, industries, summary)
POLICIES = [
    (
        "national",
        "国务院",
        "国发〔2023〕12号",
        "2023-07-14",
        "关于促进民营经济发展壮大的意见",
        ["财政扶持", "金融信贷"],
        "",
        "从持续优化民营经济发展环境、加大政策支持力度、强化法治保障等方面提出31条举措。",
    ),
    (
        "national",
        "国务院办公厅",
        "国办发〔2022〕31号",
        "2022-09-01",
        "关于进一步优化营商环境降低市场主体制度性交易成本的意见",
        ["审批改革"],
        "",
        "进一步破除隐性门槛，推动降低市场主体准入成本，规范涉企收费。",
    ),
    (
        "national",
        "财政部 税务总局",
        "财政部 税务总局公告2023年第12号",
        "2023-08-02",
        "关于进一步支持小微企业和个体工商户发展有关税费政策的公告",
        ["税收优惠"],
        "",
        "对小型微利企业减按25%计算应纳税所得额，按20%税率缴纳企业所得税，延续执行至2027年底。",
    ),
    (
        "national",
        "财政部 税务总局",
        "财政部 税务总局公告2023年第7号",
        "2023-03-26",
        "关于进一步完善研发费用税前加计扣除政策的公告",
        ["税收优惠", "科技创新"],
        "",
        "企业研发费用按实际发生额的100%在税前加计扣除，形成无形资产的按200%摊销。",
    ),
    (
        "national",
        "中国人民银行 国家金融监督管理总局",
        "银发〔2023〕233号",
        "2023-11-27",
        "关于强化金融支持举措 助力民营经济发展壮大的通知",
        ["金融信贷"],
        "",
        "持续加大小微企业贷款投放，扩大信用贷款、首贷和中长期贷款规模，降低综合融资成本。",
    ),
    (
        "national",
        "人力资源社会保障部 财政部",
        "人社部发〔2023〕19号",
        "2023-04-20",
        "关于延续实施失业保险援企稳岗政策的通知",
        ["人才就业"],
        "",
        "符合条件的企业可享受失业保险稳岗返还，中小微企业按上年度实际缴纳失业保险费的60%返还。",
    ),
    (
        "national",
        "工业和信息化部",
        "工信部企业〔2022〕63号",
        "2022-06-01",
        "优质中小企业梯度培育管理暂行办法",
        ["工业发展", "科技创新"],
        "C,I,M",
        "明确创新型中小企业、专精特新中小企业和专精特新“小巨人”企业的认定标准和培育措施。",
    ),
    (
        "national",
        "应急管理部",
        "应急管理部令第16号",
        "2024-02-01",
        "生产经营单位安全培训规定（修订）",
        ["安全生产"],
        "B,C,E",
        "规范生产经营单位主要负责人、安全生产管理人员和从业人员的安全培训。",
    ),
    (
        "national",
        "生态环境部",
        "环环评〔2022〕26号",
        "2022-04-10",
        "关于做好重大投资项目环评工作的通知",
        ["生态环保", "审批改革"],
        "C,D,E",
        "优化环评审批服务，对重大投资项目实行环评审批绿色通道。",
    ),
    (
        "national",
        "自然资源部",
        "自然资发〔2023〕72号",
        "2023-05-15",
        "关于深化规划用地“多审合一、多证合一”改革的通知",
        ["用地规划", "审批改革"],
        "",
        "合并规划选址和用地预审，合并建设用地规划许可和用地批准。",
    ),
    (
        "provincial",
        "广东省人民政府",
        "粤府〔2023〕59号",
        "2023-06-20",
        "广东省推动民营经济高质量发展的若干措施",
        ["财政扶持", "金融信贷"],
        "",
        "从降低经营成本、强化要素保障、支持融资等方面提出具体措施。",
    ),
    (
        "provincial",
        "广东省人民政府办公厅",
        "粤府办〔2022〕18号",
        "2022-05-12",
        "广东省进一步支持中小企业和个体工商户纾困发展的若干政策措施",
        ["财政扶持", "金融信贷", "税收优惠"],
        "",
        "落实减税降费，加大融资支持，对受困中小企业给予贷款延期还本付息。",
    ),
    (
        "provincial",
        "广东省工业和信息化厅",
        "粤工信规字〔2023〕3号",
        "2023-03-08",
        "广东省专精特新中小企业遴选办法",
        ["工业发展", "科技创新"],
        "C,I,M",
        "规定省级专精特新中小企业的申报条件、遴选程序和支持政策。",
    ),
    (
        "provincial",
        "广东省科学技术厅",
        "粤科规范字〔2022〕4号",
        "2022-08-30",
        "广东省高新技术企业培育库管理办法",
        ["科技创新"],
        "C,I,M",
        "明确高新技术企业培育库入库条件，入库企业可获研发经费支持。",
    ),
    (
        "provincial",
        "广东省人力资源和社会保障厅",
        "粤人社规〔2023〕8号",
        "2023-02-20",
        "广东省就业补贴申领管理办法",
        ["人才就业"],
        "",
        "规范一次性吸纳就业补贴、以工代训补贴、社会保险补贴等就业补贴的申领。",
    ),
    (
        "provincial",
        "广东省地方金融监督管理局",
        "粤金监〔2022〕45号",
        "2022-10-18",
        "关于加强中小微企业融资担保服务的通知",
        ["金融信贷"],
        "",
        "扩大政府性融资担保覆盖面，降低担保费率，支持小微企业贷款。",
    ),
    (
        "provincial",
        "广东省生态环境厅",
        "粤环发〔2023〕5号",
        "2023-04-25",
        "广东省排污许可管理实施细则",
        ["生态环保"],
        "B,C,D",
        "规定排污许可证的申请、核发、变更和执行报告要求。",
    ),
    (
        "provincial",
        "广东省应急管理厅",
        "粤应急〔2023〕66号",
        "2023-06-01",
        "广东省工贸企业安全生产标准化建设实施方案",
        ["安全生产"],
        "C",
        "推动工贸企业开展安全生产标准化建设和隐患排查治理。",
    ),
    (
        "provincial",
        "广东省自然资源厅",
        "粤自然资规字〔2022〕6号",
        "2022-11-02",
        "广东省工业用地“标准地”出让管理办法",
        ["用地规划", "工业发展"],
        "C",
        "工业用地按“标准地”出让，带规划、能耗、环境等指标供地。",
    ),
    (
        "provincial",
        "国家税务总局广东省税务局",
        "广东省税务局公告2023年第3号",
        "2023-05-10",
        "关于优化留抵退税办理流程的公告",
        ["税收优惠"],
        "",
        "简化增值税留抵退税申请资料，压缩办理时限。",
    ),
    (
        "municipal",
        "清远市人民政府",
        "清府〔2023〕21号",
        "2023-05-18",
        "清远市促进工业经济高质量发展若干措施",
        ["工业发展", "财政扶持"],
        "C",
        "对工业企业技术改造、小升规、产值增长给予奖补。",
    ),
    (
        "municipal",
        "清远市人民政府办公室",
        "清府办〔2022〕40号",
        "2022-09-22",
        "清远市中小微企业贷款风险补偿资金管理办法",
        ["金融信贷"],
        "",
        "设立中小微企业贷款风险补偿资金池，合作银行发放贷款损失给予补偿。",
    ),
    (
        "municipal",
        "清远市科学技术局",
        "清科〔2023〕14号",
        "2023-04-12",
        "清远市高新技术企业奖励实施细则",
        ["科技创新", "财政扶持"],
        "C,I,M",
        "对首次认定的高新技术企业给予一次性奖励。",
    ),
    (
        "municipal",
        "清远市人力资源和社会保障局",
        "清人社〔2023〕30号",
        "2023-03-28",
        "清远市企业引进高层次人才补贴办法",
        ["人才就业"],
        "",
        "对企业引进的高层次人才给予安家补贴和生活补贴。",
    ),
    (
        "municipal",
        "清远市工业和信息化局",
        "清工信〔2024〕9号",
        "2024-03-15",
        "清远市规模以上工业企业“小升规”奖励办法",
        ["工业发展", "财政扶持"],
        "C",
        "首次纳入规模以上工业企业统计的企业给予一次性奖励。",
    ),
    (
        "municipal",
        "清远市生态环境局",
        "清环〔2023〕52号",
        "2023-07-06",
        "清远市建设项目环境影响评价审批正面清单",
        ["生态环保", "审批改革"],
        "",
        "对清单内项目实行环评告知承诺制审批。",
    ),
    (
        "municipal",
        "清远市自然资源局",
        "清自然资〔2023〕88号",
        "2023-08-24",
        "清远市工业项目“拿地即开工”实施办法",
        ["用地规划", "审批改革"],
        "C",
        "工业项目在取得土地后即可办理施工许可开工建设。",
    ),
    (
        "municipal",
        "清远市住房公积金管理中心",
        "清公积金〔2023〕6号",
        "2023-06-30",
        "清远市住房公积金缴存管理办法",
        ["人才就业"],
        "",
        "规范单位和职工住房公积金缴存比例、基数和办理流程。",
    ),
    (
        "county",
        "清新县人民政府",
        "清新府〔2023〕18号",
        "2023-04-28",
        "清新县支持工业企业技术改造奖补办法",
        ["工业发展", "财政扶持"],
        "C",
        "对设备投资额达到一定规模的技术改造项目，按设备投资额的一定比例给予奖补。",
    ),
    (
        "county",
        "清新县人民政府",
        "清新府〔2023〕26号",
        "2023-06-15",
        "清新县促进中小微企业融资贷款贴息实施办法",
        ["金融信贷", "财政扶持"],
        "",
        "对符合条件的中小微企业银行贷款给予贴息，单户每年最高50万元。",
    ),
    (
        "county",
        "清新县人民政府办公室",
        "清新府办〔2023〕12号",
        "2023-05-08",
        "清新县政银企对接工作方案",
        ["金融信贷"],
        "",
        "定期组织政银企对接活动，建立企业融资需求清单和银行授信对接机制。",
    ),
    (
        "county",
        "清新县人民政府办公室",
        "清新府办〔2022〕33号",
        "2022-10-11",
        "清新县工程建设项目审批制度改革实施方案",
        ["审批改革", "用地规划"],
        "E",
        "工程建设项目审批全流程压缩至80个工作日以内，推行施工许可告知承诺。",
    ),
    (
        "county",
        "清新县人民政府",
        "清新府〔2022〕40号",
        "2022-12-20",
        "清新县企业上市挂牌扶持办法",
        ["金融信贷", "财政扶持"],
        "",
        "对在境内外资本市场上市挂牌的企业分阶段给予扶持资金。",
    ),
    (
        "county",
        "清新县人民政府办公室",
        "清新府办〔2024〕5号",
        "2024-02-26",
        "清新县优化营商环境三年行动方案",
        ["审批改革"],
        "",
        "围绕企业开办、项目审批、融资、纳税等提出优化营商环境的具体任务。",
    ),
    (
        "county",
        "县发展和改革局",
        "清新发改〔2023〕45号",
        "2023-07-21",
        "清新县重点建设项目管理办法",
        ["工业发展", "用地规划"],
        "",
        "规范县重点建设项目的申报、调度、协调和服务。",
    ),
    (
        "county",
        "县工业和信息化局",
        "清新工信〔2023〕22号",
        "2023-05-30",
        "清新县专精特新中小企业培育实施方案",
        ["工业发展", "科技创新"],
        "C,I,M",
        "建立专精特新企业培育库，对新认定企业给予奖励。",
    ),
    (
        "county",
        "县工业和信息化局",
        "清新工信〔2024〕6号",
        "2024-03-01",
        "清新县工业企业“小升规”培育工作方案",
        ["工业发展", "财政扶持"],
        "C",
        "建立小升规企业培育库，对首次上规企业给予奖励。",
    ),
    (
        "county",
        "县科学技术局",
        "清新科〔2023〕11号",
        "2023-04-06",
        "清新县科技创新券实施办法",
        ["科技创新", "财政扶持"],
        "C,I,M",
        "向中小企业发放科技创新券，用于购买检验检测、研发设计等科技服务。",
    ),
    (
        "county",
        "县财政局",
        "清新财〔2023〕58号",
        "2023-08-10",
        "清新县涉企财政资金直达管理办法",
        ["财政扶持"],
        "",
        "涉企奖补资金实行直达快享，缩短拨付时限。",
    ),
    (
        "county",
        "县人力资源和社会保障局",
        "清新人社〔2023〕16号",
        "2023-03-20",
        "清新县企业用工服务保障措施",
        ["人才就业"],
        "",
        "开展企业招工专场活动，对吸纳脱贫人口就业的企业给予补贴。",
    ),
    (
        "county",
        "县人力资源和社会保障局",
        "清新人社〔2024〕3号",
        "2024-01-18",
        "清新县以工代训补贴申领指南",
        ["人才就业", "财政扶持"],
        "",
        "规范以工代训补贴的申领条件、材料和程序。",
    ),
    (
        "county",
        "县自然资源局",
        "清新自然资〔2023〕37号",
        "2023-06-26",
        "清新县工业用地供应管理办法",
        ["用地规划", "工业发展"],
        "C",
        "明确工业用地出让方式、出让年限和履约监管要求。",
    ),
    (
        "county",
        "县住房和城乡建设局",
        "清新住建〔2023〕29号",
        "2023-07-12",
        "清新县建筑工程施工许可告知承诺制实施办法",
        ["审批改革"],
        "E",
        "对符合条件的建筑工程施工许可实行告知承诺制，当场办结。",
    ),
    (
        "county",
        "县应急管理局",
        "清新应急〔2023〕20号",
        "2023-05-05",
        "清新县工贸企业安全生产主体责任清单",
        ["安全生产"],
        "B,C",
        "明确工贸企业安全生产主体责任的具体内容和检查要点。",
    ),
    (
        "county",
        "县市场监督管理局",
        "清新市监〔2023〕33号",
        "2023-06-08",
        "清新县企业开办“一网通办”实施方案",
        ["审批改革"],
        "",
        "企业登记、印章刻制、涉税办理、社保登记一次办结，营业执照当天领取。",
    ),
    (
        "county",
        "县市场监督管理局",
        "清新市监〔2022〕41号",
        "2022-11-25",
        "清新县食品生产企业质量安全提升行动方案",
        ["安全生产"],
        "C,H",
        "推动食品生产企业落实质量安全主体责任。",
    ),
    (
        "county",
        "国家税务总局清新县税务局",
        "清新税〔2023〕8号",
        "2023-03-15",
        "清新县税收优惠政策落实工作方案",
        ["税收优惠"],
        "",
        "确保小微企业、研发费用加计扣除等税收优惠政策应享尽享。",
    ),
    (
        "county",
        "清远市生态环境局清新分局",
        "清新环〔2023〕19号",
        "2023-05-22",
        "清新县建设项目环评审批服务指引",
        ["生态环保", "审批改革"],
        "",
        "公开环评审批流程、材料和时限，推行环评与排污许可衔接。",
    ),
    (
        "county",
        "县金融工作局",
        "清新金融〔2024〕2号",
        "2024-02-05",
        "清新县中小企业转贷资金管理办法",
        ["金融信贷"],
        "",
        "设立中小企业转贷资金，帮助企业解决贷款到期续贷的资金周转问题。",
    ),
    (
        "county",
        "县投资促进局",
        "清新投促〔2023〕10号",
        "2023-09-06",
        "清新县招商引资项目扶持办法",
        ["工业发展", "财政扶持"],
        "C",
        "对新引进的工业项目按固定资产投资额给予扶持。",
    ),
    (
        "county",
        "县商务局",
        "清新商务〔2023〕15号",
        "2023-07-28",
        "清新县外贸企业稳订单拓市场扶持措施",
        ["财政扶持"],
        "C,F",
        "对外贸企业参加境内外展会、出口信用保险给予补助。",
    ),
    (
        "county",
        "县农业农村局",
        "清新农〔2023〕27号",
        "2023-04-18",
        "清新县农产品加工企业扶持办法",
        ["财政扶持", "工业发展"],
        "A,C",
        "对农产品加工企业新增设备和冷链设施给予补助。",
    ),
    (
        "county",
        "县文化广电旅游体育局",
        "清新文旅〔2023〕9号",
        "2023-05-16",
        "清新县文旅企业纾困扶持措施",
        ["财政扶持"],
        "H,R",
        "对文旅企业给予宣传推广补助和贷款贴息。",
    ),
    (
        "town",
        "太和镇",
        "太府〔2023〕12号",
        "2023-06-02",
        "太和镇工业园区企业服务办法",
        ["工业发展"],
        "C",
        "镇领导挂点联系园区企业，定期走访，协调解决用水用电等问题。",
    ),
    (
        "town",
        "太和镇",
        "太府〔2024〕3号",
        "2024-02-20",
        "太和镇促进商贸企业发展若干措施",
        ["财政扶持"],
        "F,H",
        "对新增限额以上商贸企业给予奖励。",
    ),
    (
        "town",
        "山塘镇",
        "山府〔2023〕8号",
        "2023-04-10",
        "山塘镇陶瓷企业安全生产专项整治方案",
        ["安全生产"],
        "C",
        "开展陶瓷企业窑炉、粉尘等安全隐患专项整治。",
    ),
    (
        "town",
        "太平镇",
        "太平府〔2023〕15号",
        "2023-07-03",
        "太平镇农业龙头企业扶持办法",
        ["财政扶持"],
        "A",
        "对新认定的县级以上农业龙头企业给予奖励。",
    ),
    (
        "town",
        "飞来峡镇",
        "飞府〔2023〕6号",
        "2023-05-25",
        "飞来峡镇生态环境保护企业责任清单",
        ["生态环保"],
        "B,C,D",
        "明确辖区企业在污染防治、河道保护方面的责任。",
    ),
    (
        "town",
        "笔架林场",
        "笔场〔2023〕2号",
        "2023-03-30",
        "笔架林场林下经济企业扶持办法",
        ["财政扶持"],
        "A",
        "支持企业发展林下种植、森林旅游等林下经济。",
    ),
]

# Superseded documents: (title of the old one, 文号, date, validity, replaced-by 文号)
OLD = [
    ("清新县促进中小微企业融资贷款贴息暂行办法", "清新府〔2019〕22号", "2019-05-10", "repealed", "清新府〔2023〕26号"),
    ("清新县支持工业企业技术改造奖补暂行办法", "清新府〔2018〕30号", "2018-08-16", "amended", "清新府〔2023〕18号"),
    ("清新县企业上市扶持暂行办法", "清新府〔2016〕12号", "2016-04-01", "expired", ""),
]

# Open windows: 文号 → (opens days ago, closes in days, contact)
WINDOWS = {
    "清新府〔2023〕18号": (10, 25, "县工业和信息化局 0763-5851123"),
    "清新府〔2023〕26号": (5, 40, "县金融工作局 0763-5874123"),
    "清新科〔2023〕11号": (3, 12, "县科学技术局 0763-5852123"),
    "清新人社〔2024〕3号": (20, 6, "县人力资源和社会保障局 0763-5854123"),
}

THEME_PARAGRAPHS = {
    "财政扶持": "各级财政安排专项资金，对符合条件的企业给予奖补。资金申报实行“免申即享”或网上申报，经审核公示后直达企业账户。",
    "税收优惠": "税务部门通过电子税务局推送优惠政策，企业在申报纳税时自行享受，相关资料留存备查。",
    "金融信贷": "鼓励银行业金融机构增加对中小微企业的信贷投放，扩大信用贷款和首贷规模；政府性融资担保机构降低担保费率，帮助企业解决融资难、融资贵问题。",
    "科技创新": "支持企业加大研发投入，建设研发机构，申报高新技术企业，推动科技成果转化。",
    "人才就业": "支持企业引进和培养人才，落实就业补贴、社会保险补贴和稳岗返还政策。",
    "工业发展": "推动工业企业技术改造、数字化转型和小升规，培育专精特新企业，促进工业经济高质量发展。",
    "用地规划": "保障重点项目用地需求，优化用地审批流程，推行工业用地“标准地”出让。",
    "安全生产": "企业应落实安全生产主体责任，建立健全全员安全生产责任制，定期开展隐患排查治理。",
    "生态环保": "企业应依法办理环境影响评价和排污许可手续，落实污染防治措施。",
    "审批改革": "推行“一网通办”“告知承诺”等改革措施，压缩审批时限，减少申请材料，提升企业办事便利度。",
}


def _body(title, themes, summary):
    parts = [
        f"为贯彻落实上级有关部署，结合本地实际，制定{title.removeprefix('关于').removesuffix('的通知')}。",
        summary,
    ]
    for i, theme in enumerate(themes, start=1):
        parts.append(f"## {['一', '二', '三'][min(i, 3) - 1]}、{theme}\n\n{THEME_PARAGRAPHS.get(theme, '')}")
    parts.append("## 附则\n\n本文件自发布之日起施行，由发布机构负责解释。")
    return "\n\n".join(p for p in parts if p)


def seed_file():
    """The full text's file: settings.SEED_POLICY_FILE, by default ../shared/data/seed-policy-2012.txt."""
    configured = getattr(settings, "SEED_POLICY_FILE", "")
    return (
        Path(configured) if configured else Path(settings.BASE_DIR).parent / "shared" / "data" / "seed-policy-2012.txt"
    )


def _seed_body():
    full = seed_file()
    if not full.is_file():
        return SEED_SUMMARY_FILE.read_text(encoding="utf-8").strip()
    lines = [line.strip() for line in full.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for line in lines:
        if line[:2] in ("一、", "二、", "三、", "四、"):
            out.append(f"## {line}")
        elif line[:1] in ("（", "(") and ("）" in line[:4] or ")" in line[:4]):
            out.append(f"### {line}")
        else:
            out.append(line)
    return "\n\n".join(out)


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


def _save(
    units,
    themes,
    *,
    title,
    unit,
    issuer_name,
    level,
    doc_number,
    day,
    theme_names,
    industries,
    summary,
    body,
    validity="in_force",
    written_on=None,
):
    policy = Policy.objects.filter(doc_number=doc_number).first() if doc_number else None
    policy = policy or Policy.objects.filter(title=title).first() or Policy(title=title)
    policy.title = title
    policy.unit = unit
    policy.issuer_name = issuer_name
    policy.level = level
    policy.doc_number = doc_number
    policy.written_on = written_on or day - datetime.timedelta(days=7)
    policy.published_on = day
    policy.effective_on = day
    policy.published_at = _aware(day)
    policy.status = Policy.Status.PUBLISHED
    policy.summary = summary[:100]
    policy.body = body
    policy.validity = validity
    policy.industries = [c for c in industries.split(",") if c]
    policy.keywords = "、".join(theme_names)
    if not policy.index_number:
        policy.index_number = next_index_number(unit=unit, year=policy.written_on.year)
    policy.save()
    policy.themes.set([themes[n] for n in theme_names])
    return policy


def build(stdout):
    units = {u.name: u for u in Unit.objects.all()}
    themes = {t.name: t for t in Theme.objects.all()}
    government = units.get("清新县人民政府") or Unit.objects.filter(kind=Unit.Kind.COUNTY_GOVERNMENT).first()
    office = units.get("清新县人民政府办公室") or government
    if government is None:
        stdout.write("  policies: no county government unit; run the portal demo first")
        return
    saved = []
    seed = _save(
        units,
        themes,
        title=SEED_TITLE,
        unit=government,
        issuer_name="",
        level=Level.COUNTY,
        doc_number=SEED_DOC_NUMBER,
        day=datetime.date(2012, 6, 26),
        written_on=datetime.date(2012, 6, 26),
        theme_names=["审批改革", "金融信贷"],
        industries="",
        summary="建立涉企政策信息公开、企情动态监测和涉企事项综合处置机制，强化政企沟通，密切政企关系，提升涉企服务效能。",
        body=_seed_body(),
    )
    saved.append(seed)
    Interpretation.objects.get_or_create(
        policy=seed,
        title="《关于建立政企沟通制度的实施意见》政策解读",
        defaults=dict(
            author="清新县人民政府办公室",
            published_on=datetime.date(2012, 6, 28),
            form=Interpretation.Form.QA,
            body="## 一、为什么要建立政企沟通制度？\n\n为解放思想、转变作风，强化政企沟通，密切政企关系，提升涉企服务效能。\n\n"
            "## 二、主要内容有哪些？\n\n涉企政策信息公开机制、企情动态监测机制（县领导联系重点企业、干部走访企业、政企协调会、政银企对接、政府工作评议）"
            "和涉企事项综合处置机制（涉企事项交办、政策信息发布）。\n\n## 三、企业反映的问题如何办理？\n\n"
            "不属本单位职责的，向县政府反馈，由县政府交办相应的镇（场）、部门办理，并向企业反馈。",
        ),
    )
    by_number = {}
    for index, (level, issuer, doc_number, day, title, theme_names, industries, summary) in enumerate(POLICIES):
        day = datetime.date.fromisoformat(day)
        own = units.get(issuer)
        unit = own or (
            units.get("县发展和改革局") if level in ("national", "provincial") and "发展" in issuer else office
        )
        policy = _save(
            units,
            themes,
            title=title,
            unit=unit,
            issuer_name="" if own else issuer,
            level=level,
            doc_number=doc_number,
            day=day,
            theme_names=theme_names,
            industries=industries,
            summary=summary,
            body=_body(title, theme_names, summary),
        )
        by_number[doc_number] = policy
        saved.append(policy)
        if index % 3 != 2:  # most have an interpretation; some are left for the overdue report
            Interpretation.objects.get_or_create(
                policy=policy,
                title=f"一图读懂《{title}》",
                defaults=dict(
                    author=policy.issuer,
                    published_on=day + datetime.timedelta(days=1),
                    form=Interpretation.Form.GRAPHIC,
                    body=f"## 出台背景\n\n{summary}\n\n## 主要内容\n\n{_body(title, theme_names, '')}\n\n## 适用对象\n\n"
                    "符合条件的企业均可享受，具体以原文为准。",
                ),
            )
    for title, doc_number, day, validity, replaced_by in OLD:
        day = datetime.date.fromisoformat(day)
        policy = _save(
            units,
            themes,
            title=title,
            unit=government,
            issuer_name="",
            level=Level.COUNTY,
            doc_number=doc_number,
            day=day,
            theme_names=["财政扶持"],
            industries="",
            summary=f"{title}（已被新文件取代）。",
            body=_body(title, ["财政扶持"], ""),
            validity=validity,
        )
        policy.replaced_by = by_number.get(replaced_by)
        policy.validity_changed_on = (
            policy.replaced_by.published_on if policy.replaced_by else day.replace(year=day.year + 5)
        )
        policy.save(update_fields=["replaced_by", "validity_changed_on"])
        saved.append(policy)
    today = timezone.localdate()
    for doc_number, (opened, closes, contact) in WINDOWS.items():
        policy = by_number[doc_number]
        policy.application_opens = today - datetime.timedelta(days=opened)
        policy.application_closes = today + datetime.timedelta(days=closes)
        policy.application_contact = contact
        policy.application_url = "/guide/"
        policy.save(update_fields=["application_opens", "application_closes", "application_contact", "application_url"])
    by_number["清新府〔2023〕26号"].related.add(by_number["清新府办〔2023〕12号"], by_number["清新金融〔2024〕2号"])
    by_number["清新府〔2023〕18号"].related.add(by_number["清新工信〔2024〕6号"])
    # A draft and a scheduled policy: visible in the admin only, until their time.
    draft = Policy.objects.filter(title="清新县数字化转型扶持办法（征求意见稿）").first() or Policy(
        title="清新县数字化转型扶持办法（征求意见稿）",
        unit=units.get("县工业和信息化局", government),
        level=Level.COUNTY,
        body="起草中的文件，尚未发布。",
        summary="数字化转型扶持办法征求意见稿。",
    )
    draft.save()
    # Indexed here, not queued: seeding is itself a batch job, and a first `./run start` must
    # leave its worker nothing to report after the demo logins.
    for policy in saved:
        reindex_now(policy.pk)
    stdout.write(f"  policies: {Policy.objects.count()} policies, {Interpretation.objects.count()} interpretations")
