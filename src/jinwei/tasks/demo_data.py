"""The goals and tasks demo data: Enping's goals tree and about forty tasks from the article.

Plain data, no Django: `jinwei.tasks.demo` plays it through the task services. The goals follow
the article (Jiangmen Daily, 20 Feb 2024, on Enping's high-quality development meeting and 2024
work conference; `/work/shared/seed/`): the 百千万工程 stages, the 四个坚持, the three emerging
industries and the 2024 annual goals, each linked to the demo indicators that measure it. The
tasks are the article's projects and campaigns, handed out across the towns and departments; who
does what, the dates, the progress and the scores are illustrative (示例), and every task is
stored with `is_illustrative=True`.

Task dates are days relative to the day the demo is loaded, so the loop always looks alive:
deadlines spread around today, some tasks overdue, some just closed. A task's story is the list of
steps the demo plays through the real services on those days: assignment (交办), acknowledgement
(签收), progress reports (some late, some missing), completion requests with evidence, returns,
closing and scoring, postponement and cancellation requests.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

# --- units and people ----------------------------------------------------------------------------

SUPERVISION_OFFICE = "市委督查室"
EDUCATION = "教育局"
HOUSING = "住房和城乡建设局"
INDUSTRY = "工业和信息化局"
RESOURCES = "自然资源局"
DEVELOPMENT = "发展和改革局"
DATA = "政务服务数据管理局"
MARKET = "市场监督管理局"
INVESTMENT = "投资促进局"
COMMERCE = "商务局"
AGRICULTURE = "农业农村局"
CULTURE = "文化广电旅游体育局"
HEALTH = "卫生健康局"
FINANCE = "财政局"
STATISTICS = "统计局"
LABOUR = "人力资源和社会保障局"
ENCHENG, HENGPI, SHENGTANG, LIANGXI = "恩城街道", "横陂镇", "圣堂镇", "良西镇"
SHAHU, NIUJIANG, JUNTANG, DAHUAI = "沙湖镇", "牛江镇", "君堂镇", "大槐镇"
DONGCHENG, DATIAN, NAJI = "东成镇", "大田镇", "那吉镇"

# Units whose tasks the demo plays need someone to act for them; the foundation's accounts cover
# 恩城街道, 横陂镇, 统计局 and 投资促进局. The others get an illustrative staff member who cannot
# sign in (no password): they appear in the timelines as the people who acknowledged and reported.
UNIT_STAFF: dict[str, str] = {
    EDUCATION: "jiaoyu",
    HOUSING: "zhujian",
    INDUSTRY: "gongxin",
    RESOURCES: "ziran",
    DEVELOPMENT: "fagai",
    DATA: "zhengshu",
    MARKET: "shijian",
    COMMERCE: "shangwu",
    AGRICULTURE: "nongye",
    CULTURE: "wenlv",
    HEALTH: "weijian",
    FINANCE: "caizheng",
    LABOUR: "renshe",
    SHENGTANG: "shengtang",
    LIANGXI: "liangxi",
    SHAHU: "shahu",
    NIUJIANG: "niujiang",
    JUNTANG: "juntang",
    DAHUAI: "dahuai",
    DONGCHENG: "dongcheng",
    DATIAN: "datian",
    NAJI: "naji",
}
STAFF_PREFIX = "demo-"  # their logins: demo-gongxin, demo-shahu…

LEADER = "leader"  # the foundation's 示例·李领导
INDUSTRY_LEADER = "demo-vice-industry"
RURAL_LEADER = "demo-vice-rural"
# (login, name) of the illustrative deputy mayors in charge; they cannot sign in either
LEADERS = (
    (INDUSTRY_LEADER, "示例·赵副市长"),
    (RURAL_LEADER, "示例·钱副市长"),
)

# --- goals ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalSpec:
    title: str
    kind: str = "goal"  # goal, principle, direction
    parent: str = ""
    horizon: int | None = None
    stage: str = ""
    years: tuple[int, int] | None = None  # first and last year
    indicators: tuple[str, ...] = ()
    description: str = ""

    @property
    def start(self) -> datetime.date | None:
        return datetime.date(self.years[0], 1, 1) if self.years else None

    @property
    def end(self) -> datetime.date | None:
        return datetime.date(self.years[1], 12, 31) if self.years else None


BQW = "百千万工程（头号工程）"
THREE_YEARS = "三年初见成效"
ANNUAL = "2024年度目标"
PRINCIPLES = "四个坚持"
DIRECTIONS = "制造业当家：发展壮大新兴产业"
G_GDP = "地区生产总值增长5%以上"
G_INDUSTRY = "规上工业增加值稳步增长"
G_INVEST = "新招产业项目投资总额保持200亿元以上"
G_PROJECTS = "重点项目建设和固定资产投资"
G_RETAIL = "社会消费品零售总额稳定增长"
G_REVENUE = "一般公共预算收入稳定增长"
G_INNOVATION = "高新技术企业和专精特新企业扩量提质"
G_BUSINESS = "优化营商环境攻坚战"
G_RURAL = "百千万工程：典型镇村创建和城乡融合"
G_ECOLOGY = "生态优势巩固提升"
G_EDUCATION = "教育强市和技能人才培养"
SMART_EQUIPMENT, NEW_MATERIALS, ELECTRONICS = "智能装备制造", "新材料", "新一代电子信息"

GOALS: tuple[GoalSpec, ...] = (
    GoalSpec(
        BQW,
        horizon=10,
        years=(2023, 2032),
        description="省委把“百千万工程”作为推动高质量发展的“头号工程”，恩平属于进位类县，"
        "紧盯“一年开局起步、三年初见成效、五年显著变化、十年根本改变”的目标。",
    ),
    GoalSpec("一年开局起步", parent=BQW, horizon=1, stage="一年开局起步", years=(2023, 2023)),
    GoalSpec(THREE_YEARS, parent=BQW, horizon=3, stage="三年初见成效", years=(2023, 2025)),
    GoalSpec("五年显著变化", parent=BQW, horizon=5, stage="五年显著变化", years=(2023, 2027)),
    GoalSpec("十年根本改变", parent=BQW, horizon=10, stage="十年根本改变", years=(2023, 2032)),
    GoalSpec(
        ANNUAL,
        parent=THREE_YEARS,
        horizon=1,
        stage="三年初见成效",
        years=(2024, 2024),
        description="恩平市高质量发展推进会暨2024年开局工作会议确定的年度目标：确保开局顺利、全年精彩。",
    ),
    GoalSpec(G_GDP, parent=ANNUAL, horizon=1, indicators=("GDP", "GDP_GROWTH")),
    GoalSpec(G_INDUSTRY, parent=ANNUAL, horizon=1, indicators=("IND_OUTPUT", "IND_VA", "IND_VA_M")),
    GoalSpec(G_INVEST, parent=ANNUAL, horizon=1, indicators=("NEW_INVEST", "NEW_INVEST_M")),
    GoalSpec(G_PROJECTS, parent=ANNUAL, horizon=1, indicators=("FAI", "FAI_M")),
    GoalSpec(G_RETAIL, parent=ANNUAL, horizon=1, indicators=("RETAIL", "RETAIL_M")),
    GoalSpec(G_REVENUE, parent=ANNUAL, horizon=1, indicators=("REVENUE", "REVENUE_M")),
    GoalSpec(
        G_INNOVATION,
        parent=ANNUAL,
        horizon=1,
        indicators=("HIGH_TECH", "LITTLE_GIANT", "KEY_LAB", "RD_INTENSITY"),
    ),
    GoalSpec(
        G_BUSINESS,
        parent=ANNUAL,
        horizon=1,
        description="强化“人人都是营商环境”的责任意识，从营商环境最突出的短板弱项抓起。",
    ),
    GoalSpec(G_RURAL, parent=ANNUAL, horizon=1, indicators=("INCOME",)),
    GoalSpec(
        G_ECOLOGY, parent=ANNUAL, horizon=1, indicators=("AIR_QUALITY", "PM25", "FOREST_COVER")
    ),
    GoalSpec(G_EDUCATION, parent=ANNUAL, horizon=1, indicators=("QINGBEI",)),
    GoalSpec(
        PRINCIPLES,
        kind="principle",
        description="以高质量发展的步步推进，赢得现代化建设的节节胜利。",
    ),
    GoalSpec(
        "思想上不掉队",
        kind="principle",
        parent=PRINCIPLES,
        description="杜绝“小富即安、小进则满”心态，做到“恩平不突破、我们不止步”。",
    ),
    GoalSpec(
        "动力上不服输",
        kind="principle",
        parent=PRINCIPLES,
        description="坚持实体经济为本、“制造业当家”，培育具有恩平特色的现代产业体系和新质生产力。",
    ),
    GoalSpec(
        "能力上不差劲",
        kind="principle",
        parent=PRINCIPLES,
        description="持续增强改革意识，争当“改革型”干部，在高质量发展主战场上闯出一条新路来。",
    ),
    GoalSpec(
        "作风上不躺平",
        kind="principle",
        parent=PRINCIPLES,
        description="推进项目、招商引资都要雷厉风行、快马加鞭，确保说一件、干一件、成一件。",
    ),
    GoalSpec(
        DIRECTIONS,
        kind="direction",
        indicators=("IND_OUTPUT",),
        description="工业化、制造业是恩平发展的主心骨，不断提升产业聚集度和竞争力。",
    ),
    GoalSpec(SMART_EQUIPMENT, kind="direction", parent=DIRECTIONS),
    GoalSpec(NEW_MATERIALS, kind="direction", parent=DIRECTIONS),
    GoalSpec(ELECTRONICS, kind="direction", parent=DIRECTIONS),
)

# --- the steps of a task's story (days relative to the day the demo is loaded) -------------------


@dataclass(frozen=True)
class Assign:
    day: int
    note: str = "请按时签收，按期推进。"


@dataclass(frozen=True)
class Acknowledge:
    day: int


@dataclass(frozen=True)
class Report:
    day: int
    percent: int
    text: str = ""
    problems: str = ""
    month: int = 0  # a monthly report: on the task's k-th monthly due day (day is approximate)
    late: bool = False  # … or a week after it


@dataclass(frozen=True)
class CoReport:
    day: int
    unit: str
    percent: int
    text: str


@dataclass(frozen=True)
class Complete:
    day: int
    note: str = "已完成全部工作内容，申请办结，佐证材料见附件。"


@dataclass(frozen=True)
class Return:
    day: int
    note: str


@dataclass(frozen=True)
class Close:
    day: int
    timeliness: int
    quality: int
    note: str = "经审核，任务已完成，同意办结。"


@dataclass(frozen=True)
class Postpone:
    day: int
    new_deadline: int
    reason: str
    decided: int | None = None  # the day of the decision; None: still pending
    approve: bool = True
    note: str = ""


@dataclass(frozen=True)
class Cancel:
    day: int
    reason: str
    decided: int
    note: str = "同意取消。"


Step = Assign | Acknowledge | Report | CoReport | Complete | Return | Close | Postpone | Cancel


def monthly(start: int, percents: Sequence[int], late: Sequence[int] = ()) -> list[Report]:
    """Monthly reports from `start`: the k-th on its due day (start + k months), or (k in `late`)
    eight days after it. The lists are short enough that the last one, at most start + 31k + 8,
    comes before today."""
    return [
        Report(start + 30 * k, percent, month=k, late=k in late)
        for k, percent in enumerate(percents, start=1)
    ]


def running(start: int, percents: Sequence[int], late: Sequence[int] = ()) -> list[Step]:
    """Assigned on its first day, acknowledged the next, then monthly reports."""
    return [Assign(start), Acknowledge(start + 1), *monthly(start, percents, late)]


@dataclass(frozen=True)
class TaskSpec:
    code: str
    title: str
    lead: str
    start: int
    deadline: int
    story: Sequence[Step] = ()
    co_units: tuple[tuple[str, str], ...] = ()
    leader: str = LEADER
    goal: str = ""
    description: str = ""
    expected: str = ""
    source: str = "meeting"
    reference: str = "恩平市高质量发展推进会暨2024年开局工作会议"
    priority: int = 2
    cadence: str = "monthly"
    milestones: tuple[tuple[str, int], ...] = ()
    parent: str = ""
    reports: dict[int, str] = field(default_factory=dict)  # percent -> text of that report


HIGH, NORMAL, LOW = 1, 2, 3

TASKS: tuple[TaskSpec, ...] = (
    TaskSpec(
        "RW-001",
        "职教园区一期8月完工交付",
        EDUCATION,
        -240,
        20,
        [
            *running(-240, [20, 35, 48, 60, 70, 80, 90]),
            CoReport(-12, HOUSING, 90, "质量安全巡查三次，未发现重大隐患"),
        ],
        co_units=((HOUSING, "负责工程质量安全监管"), (ENCHENG, "负责周边道路和配套设施")),
        goal=G_EDUCATION,
        description="力争一期项目按期完工交付使用，为恩平打造“工匠摇篮”。",
        expected="一期项目竣工验收并交付使用",
        priority=HIGH,
        milestones=(("主体结构封顶", -120), ("室内外装修完成", -30), ("竣工验收", 15)),
        reports={45: "主体结构封顶", 80: "室内装修完成八成，室外管网同步施工"},
    ),
    TaskSpec(
        "RW-002",
        "加快智能装备特色产业园建设",
        INDUSTRY,
        -200,
        160,
        running(-200, [8, 15, 22, 30, 38, 45]),
        co_units=(
            (RESOURCES, "负责用地报批"),
            (DEVELOPMENT, "负责项目立项和资金争取"),
            (SHAHU, "负责征地拆迁"),
        ),
        leader=INDUSTRY_LEADER,
        goal=SMART_EQUIPMENT,
        expected="首期标准厂房建成，引进智能装备企业5家以上",
        priority=HIGH,
        milestones=(("完成控制性详细规划", -120), ("首期标准厂房动工", -40), ("首期厂房封顶", 90)),
    ),
    TaskSpec(
        "RW-003",
        "加快道氏新材料产业园建设",
        SHENGTANG,
        -180,
        90,
        [*running(-180, [5, 12, 20, 30], late=[3, 4])],
        co_units=((INDUSTRY, "负责产业链招商配套"), (RESOURCES, "负责用地保障")),
        leader=INDUSTRY_LEADER,
        goal=NEW_MATERIALS,
        expected="园区基础设施完工，首批项目投产",
        priority=HIGH,
        reports={30: "征地进度滞后，部分地块补偿标准未谈妥"},
    ),
    TaskSpec(
        "RW-004",
        "推进珠西科创智谷建设",
        ENCHENG,
        -150,
        210,
        running(-150, [8, 15, 22, 30]),
        co_units=((DEVELOPMENT, "负责项目谋划和申报"), (HOUSING, "负责规划建设审批")),
        goal=ELECTRONICS,
        expected="科创智谷一期载体建成并开园",
        priority=HIGH,
        milestones=(("方案设计批复", -90), ("一期开工", 30)),
    ),
    TaskSpec(
        "RW-005",
        "打好优化营商环境攻坚战",
        DATA,
        -270,
        35,
        running(-270, [10, 20, 30, 40, 50, 58, 66, 75], late=[5]),
        co_units=((MARKET, "负责企业开办和准入准营"), (DEVELOPMENT, "负责营商环境评价")),
        goal=G_BUSINESS,
        description="从营商环境最突出的短板弱项抓起，奋起直追、迎头赶上。",
        expected="营商环境评价进入江门前列",
        priority=HIGH,
    ),
    TaskSpec(
        "RW-005-1",
        "企业开办“一日办结”",
        MARKET,
        -270,
        -90,
        [*running(-270, [30, 60, 90]), Complete(-98), Close(-95, 95, 90)],
        goal=G_BUSINESS,
        parent="RW-005",
        expected="企业开办全流程一日办结",
    ),
    TaskSpec(
        "RW-005-2",
        "工程建设项目审批提速",
        HOUSING,
        -240,
        -10,
        running(-240, [10, 25, 40, 55, 65, 72, 80]),
        goal=G_BUSINESS,
        parent="RW-005",
        expected="一般社会投资项目审批时限压缩至30个工作日内",
    ),
    TaskSpec(
        "RW-006",
        "春节招商不停歇：向返恩企业家推介投资环境",
        INVESTMENT,
        -300,
        -270,
        [
            Assign(-300),
            Acknowledge(-300),
            Report(-293, 40, "走访返乡企业家32人次"),
            Report(-286, 80, "举办春节招商恳谈会1场，签约意向项目3个"),
            Report(-280, 100),
            Complete(-276),
            Close(-272, 95, 92),
        ],
        co_units=((COMMERCE, "负责企业家联络"), (ENCHENG, "负责恳谈会会务")),
        goal=G_INVEST,
        source="instruction",
        reference="市委主要领导批示",
        cadence="weekly",
        expected="春节期间招商不停歇、服务不打烊，签约意向项目3个以上",
    ),
    TaskSpec(
        "RW-007",
        "承接大湾区产业溢出，建立对接项目清单",
        INVESTMENT,
        -120,
        60,
        running(-120, [20, 40, 60]),
        co_units=((INDUSTRY, "负责产业研判"), (COMMERCE, "负责外资项目对接")),
        goal=G_INVEST,
        expected="形成大湾区溢出项目清单并落地5个以上",
        priority=HIGH,
    ),
    TaskSpec(
        "RW-008",
        "推进中山（恩平）智能家电产业园建设",
        DONGCHENG,
        -200,
        -15,
        running(-200, [10, 25, 40, 55]),
        co_units=((INDUSTRY, "负责对接南头镇产业协作"), (INVESTMENT, "负责家电配套企业招商")),
        leader=INDUSTRY_LEADER,
        goal=SMART_EQUIPMENT,
        description="中山市南头镇与恩平开展产业结对协作，推动智能家电产业园扎实推进。",
        expected="园区首期基础设施完工，引进家电配套企业10家",
        priority=HIGH,
    ),
    TaskSpec(
        "RW-009",
        "共建江门水都产业园",
        DEVELOPMENT,
        -240,
        -5,
        [*running(-240, [10, 25, 40, 55, 70, 85, 95]), Complete(-8)],
        co_units=((JUNTANG, "负责园区用地"), (INDUSTRY, "负责产业规划")),
        goal=THREE_YEARS,
        description="江门市安排蓬江、江海与恩平结对协同发展，推动共建江门水都产业园。",
        expected="共建协议签订，园区管理机构运作",
    ),
    TaskSpec(
        "RW-010",
        "横陂镇“百千万工程”典型镇创建",
        HENGPI,
        -200,
        165,
        running(-200, [8, 15, 22, 28, 34, 40], late=[2, 5]),
        co_units=((AGRICULTURE, "负责乡村振兴项目指导"), (HOUSING, "负责圩镇风貌提升")),
        leader=RURAL_LEADER,
        goal=G_RURAL,
        expected="建成省级典型镇",
        milestones=(("编制创建方案", -150), ("圩镇人居环境整治完成", 60)),
        reports={40: "圩镇主街立面改造完成六成"},
    ),
    TaskSpec(
        "RW-011",
        "村容村貌整治提升",
        AGRICULTURE,
        -260,
        -60,
        [*running(-260, [15, 30, 45, 60, 75, 90], late=[6]), Complete(-50), Close(-45, 70, 80)],
        co_units=((LIANGXI, "负责本镇村庄整治"), (DATIAN, "负责本镇村庄整治")),
        leader=RURAL_LEADER,
        goal=G_RURAL,
        expected="完成60个自然村人居环境整治",
    ),
    TaskSpec(
        "RW-012",
        "圣堂镇中心镇扩容提质",
        SHENGTANG,
        -100,
        265,
        running(-100, [8, 16, 25]),
        leader=RURAL_LEADER,
        goal=G_RURAL,
        expected="中心镇承载能力明显提升",
    ),
    TaskSpec(
        "RW-013",
        "恩城街道“百千万工程”示范带建设",
        ENCHENG,
        -180,
        30,
        [
            *running(-180, [20, 40, 60, 80]),
            Report(-25, 100, "示范带主体工程完成"),
            Complete(-20),
            Return(-15, "示范带沿线绿化和标识未完成，请补齐后再申请办结。"),
            Report(-5, 95, "按退回意见补种绿化，完善导视标识"),
        ],
        co_units=((AGRICULTURE, "负责示范村建设指导"),),
        leader=RURAL_LEADER,
        goal=G_RURAL,
        expected="建成锦江沿岸乡村振兴示范带",
    ),
    TaskSpec(
        "RW-014",
        "新一代电子信息产业链招商（浩洋股份上下游配套）",
        INVESTMENT,
        -90,
        90,
        running(-90, [12, 25]),
        co_units=((INDUSTRY, "负责产业链图谱"),),
        leader=INDUSTRY_LEADER,
        goal=ELECTRONICS,
        expected="引进上下游配套企业3家以上",
    ),
    TaskSpec(
        "RW-015",
        "数控机床产业链招商",
        INVESTMENT,
        -200,
        -30,
        [*running(-200, [20, 40, 60, 80, 95]), Complete(-40), Close(-35, 96, 95)],
        co_units=((INDUSTRY, "负责产业政策配套"),),
        leader=INDUSTRY_LEADER,
        goal=SMART_EQUIPMENT,
        expected="数控机床产业链新签约项目5个",
    ),
    TaskSpec(
        "RW-016",
        "省级重点实验室培育申报",
        INDUSTRY,
        5,
        180,
        leader=INDUSTRY_LEADER,
        goal=G_INNOVATION,
        expected="新增省级重点实验室1家",
    ),
    TaskSpec(
        "RW-017",
        "专精特新“小巨人”企业梯度培育",
        INDUSTRY,
        -150,
        215,
        running(-150, [10, 20, 30, 40]),
        co_units=((MARKET, "负责知识产权和质量品牌服务"),),
        leader=INDUSTRY_LEADER,
        goal=G_INNOVATION,
        expected="新增国家级专精特新“小巨人”企业1家、省级专精特新企业10家",
    ),
    TaskSpec(
        "RW-018",
        "规上工业企业“小升规”培育入库",
        STATISTICS,
        -210,
        20,
        running(-210, [12, 24, 36, 48, 60, 70]),
        co_units=((INDUSTRY, "负责企业培育"),),
        leader=INDUSTRY_LEADER,
        goal=G_INDUSTRY,
        expected="新增规上工业企业30家",
    ),
    TaskSpec(
        "RW-019",
        "开展2024年促消费系列活动",
        COMMERCE,
        -250,
        -100,
        [*running(-250, [20, 45, 70, 95]), Complete(-104), Close(-100, 90, 88)],
        co_units=((CULTURE, "负责文旅消费活动"),),
        goal=G_RETAIL,
        expected="社会消费品零售总额稳定增长",
    ),
    TaskSpec(
        "RW-020",
        "锦江河畔新春花车巡游及系列文旅商贸活动",
        CULTURE,
        -320,
        -280,
        [
            Assign(-320),
            Acknowledge(-320),
            Report(-313, 30),
            Report(-306, 60),
            Report(-299, 90),
            Complete(-285),
            Close(-282, 98, 95),
        ],
        co_units=((ENCHENG, "负责活动场地和安保"), (COMMERCE, "负责商贸促销")),
        goal=G_RETAIL,
        cadence="weekly",
        expected="活动安全有序举办，带动节日消费",
    ),
    TaskSpec(
        "RW-021",
        "打造气象旅游品牌",
        CULTURE,
        -3,
        240,
        [Assign(-2)],
        co_units=((NAJI, "负责景区配套"),),
        leader=RURAL_LEADER,
        goal=G_ECOLOGY,
        expected="“中国天然氧吧”气象旅游线路推出3条",
    ),
    TaskSpec(
        "RW-022",
        "推广共富公司模式",
        AGRICULTURE,
        -60,
        300,
        running(-60, [15]),
        co_units=((NIUJIANG, "负责试点村组织实施"),),
        leader=RURAL_LEADER,
        goal=G_RURAL,
        expected="共富公司覆盖全市所有镇街",
    ),
    TaskSpec(
        "RW-023",
        "生态产品价值实现机制试点",
        DEVELOPMENT,
        -300,
        10,
        [*running(-300, [10, 20, 30, 40, 55, 65, 75, 85, 95]), Complete(-3)],
        co_units=((RESOURCES, "负责生态产品调查监测"),),
        goal=G_ECOLOGY,
        source="document",
        reference="省发改委第一批生态产品价值实现机制试点文件",
        expected="形成可复制推广的恩平经验",
    ),
    TaskSpec(
        "RW-024",
        "深中通道、黄茅海通道通车后交通衔接规划",
        RESOURCES,
        10,
        200,
        goal=THREE_YEARS,
        description="抓住“大桥经济”“黄金内湾”机遇，融入大湾区“1.5小时经济生活圈”。",
        expected="完成交通衔接专项规划",
    ),
    TaskSpec(
        "RW-025",
        "黄茅海跨海通道连接线征地拆迁",
        RESOURCES,
        -240,
        -40,
        running(-240, [10, 25, 40, 55, 68, 78, 85], late=[6]),
        co_units=((SHAHU, "负责本镇征地拆迁"), (NIUJIANG, "负责本镇征地拆迁")),
        goal=G_PROJECTS,
        priority=HIGH,
        expected="完成连接线全部征地拆迁",
        reports={85: "剩余3户拆迁补偿未达成协议"},
    ),
    TaskSpec(
        "RW-026",
        "推行“恩为您”妈妈式服务企业专员制度",
        DATA,
        -200,
        -80,
        [*running(-200, [20, 40, 60], late=[2, 3]), Complete(-70), Close(-66, 65, 85)],
        co_units=((INVESTMENT, "负责重点企业对接"),),
        goal=G_BUSINESS,
        expected="重点企业服务专员全覆盖",
    ),
    TaskSpec(
        "RW-027",
        "重点项目用地报批攻坚",
        RESOURCES,
        -150,
        5,
        [
            *running(-150, [15, 30, 45, 60]),
            Postpone(-2, 65, "省级用地指标下达晚于预期，需延期办理"),
        ],
        goal=G_PROJECTS,
        priority=HIGH,
        expected="年度重点项目用地全部报批",
    ),
    TaskSpec(
        "RW-028",
        "高标准农田建设",
        AGRICULTURE,
        -180,
        120,
        running(-180, [10]),
        co_units=((JUNTANG, "负责本镇项目建设"), (DAHUAI, "负责本镇项目建设")),
        leader=RURAL_LEADER,
        goal=G_RURAL,
        expected="新建高标准农田2万亩",
    ),
    TaskSpec(
        "RW-029",
        "巩固全国粮食生产先进县成果",
        AGRICULTURE,
        -8,
        200,
        [Assign(-7)],
        leader=RURAL_LEADER,
        goal=G_RURAL,
        expected="粮食播种面积和产量保持稳定",
    ),
    TaskSpec(
        "RW-030",
        "建设省基础教育高质量发展示范区",
        EDUCATION,
        -200,
        165,
        running(-200, [10, 20, 30, 38, 45, 50]),
        goal=G_EDUCATION,
        expected="通过省基础教育高质量发展示范区评估",
    ),
    TaskSpec(
        "RW-031",
        "巩固省健康县建设成果",
        HEALTH,
        -220,
        -20,
        [*running(-220, [15, 35, 55, 75, 90, 100]), Complete(-25), Close(-22, 88, 86)],
        goal=G_RURAL,
        expected="通过省健康县复核",
    ),
    TaskSpec(
        "RW-032",
        "锦江河畔灯光秀项目",
        CULTURE,
        -120,
        60,
        [
            *running(-120, [10, 15]),
            Cancel(-40, "方案调整，灯光秀并入锦江河畔文旅商贸活动统筹实施", decided=-38),
        ],
        goal=G_RETAIL,
        expected="打造夜间文旅消费新场景",
    ),
    TaskSpec(
        "RW-033",
        "乡贤“家书”联络与回乡投资对接",
        INVESTMENT,
        -290,
        -200,
        [*running(-290, [40, 95]), Complete(-208), Close(-205, 92, 94)],
        co_units=((ENCHENG, "负责乡贤联络站"),),
        goal=G_INVEST,
        expected="海内外乡贤回乡投资项目签约2个以上",
    ),
    TaskSpec(
        "RW-034",
        "组织一般公共预算收入",
        FINANCE,
        -330,
        33,
        running(-330, [8, 16, 25, 33, 41, 50, 58, 66, 75, 83]),
        co_units=((STATISTICS, "负责经济数据监测"),),
        goal=G_REVENUE,
        expected="一般公共预算收入完成年度目标",
    ),
    TaskSpec(
        "RW-035",
        "固定资产投资入库项目督导",
        DEVELOPMENT,
        -200,
        30,
        [
            *running(-200, [10, 25, 40, 55, 70]),
            Report(-32, 90),
            Complete(-30),
            Return(-25, "部分入库项目佐证材料不全，请补充后再申请办结。"),
            Report(-10, 92, "补充入库项目佐证材料12份"),
        ],
        co_units=((STATISTICS, "负责入库审核"),),
        goal=G_PROJECTS,
        expected="全年入库项目应入尽入",
    ),
    TaskSpec(
        "RW-036",
        "“工匠摇篮”技能人才培训",
        LABOUR,
        -240,
        -30,
        [
            *running(-240, [15, 30, 45, 60, 75, 90]),
            Complete(-40),
            Return(-36, "培训台账与补贴发放名单不一致，请核对。"),
            Report(-30, 100, "完成台账核对和更正"),
            Complete(-25),
            Close(-20, 70, 85),
        ],
        co_units=((EDUCATION, "负责职业院校培训资源"),),
        goal=G_EDUCATION,
        expected="全年培训技能人才3000人次",
    ),
    TaskSpec(
        "RW-037",
        "大田镇特色农业产业园建设",
        DATIAN,
        -11,
        250,
        [Assign(-10)],
        leader=RURAL_LEADER,
        goal=G_RURAL,
        expected="产业园通过省级认定",
    ),
    TaskSpec(
        "RW-038",
        "良西镇温泉旅游综合体招商",
        LIANGXI,
        -200,
        -20,
        [
            *running(-200, [10, 20, 35, 50, 60]),
            Postpone(-22, 40, "意向投资方调整投资方案，签约需延后两个月", decided=-20),
        ],
        co_units=((INVESTMENT, "负责项目推介和谈判"),),
        goal=G_INVEST,
        expected="温泉旅游综合体项目签约落地",
    ),
    TaskSpec(
        "RW-039",
        "那吉镇乡村旅游示范点建设",
        NAJI,
        -160,
        -5,
        [
            *running(-160, [10, 20, 35, 45]),
            Postpone(
                -12,
                45,
                "雨季影响施工，申请延期",
                decided=-10,
                approve=False,
                note="理由不充分，请加快推进，按期完成。",
            ),
        ],
        co_units=((CULTURE, "负责旅游线路策划"),),
        leader=RURAL_LEADER,
        goal=G_RURAL,
        expected="建成乡村旅游示范点2个",
    ),
    TaskSpec(
        "RW-040",
        "市场主体倍增培育",
        MARKET,
        -200,
        -10,
        [*running(-200, [15, 30, 45, 60, 75, 90]), Report(-12, 100), Complete(-3)],
        goal=G_BUSINESS,
        expected="市场主体总量增长10%",
    ),
    TaskSpec(
        "RW-041",
        "君堂镇产业园区标准厂房建设",
        JUNTANG,
        7,
        240,
        goal=G_PROJECTS,
        expected="建成标准厂房5万平方米",
    ),
    TaskSpec(
        "RW-042",
        "牛江镇圩镇人居环境整治",
        NIUJIANG,
        -40,
        50,
        [
            Assign(-40),
            Acknowledge(-39),
            Report(-33, 8),  # weekly reports on their due days (start + 7k)…
            Report(-26, 15),
            Report(-17, 22),  # … but two days late
            Report(-12, 30),
            Report(-5, 38),
        ],
        co_units=((HOUSING, "负责风貌管控指导"),),
        leader=RURAL_LEADER,
        goal=G_RURAL,
        cadence="weekly",
        expected="圩镇环境面貌明显改善",
    ),
    TaskSpec(
        "RW-043",
        "大槐镇农文旅融合发展",
        DAHUAI,
        -180,
        -40,
        [*running(-180, [20, 45, 70, 95]), Complete(-46), Close(-43, 85, 82)],
        co_units=((CULTURE, "负责文旅活动策划"),),
        leader=RURAL_LEADER,
        goal=G_RURAL,
        expected="打造农文旅融合精品线路1条",
    ),
)


# --- 2023: the year the article looks back on -----------------------------------------------------

# The year before the demo's own story, closed and scored, so that a briefing or a scorecard of
# 2023 has work to show. Days are counted from PAST_DAY as the tasks above count from today.
PAST_DAY = datetime.date(2024, 1, 1)
PAST_REFERENCE = "2023年政府工作报告（示例）"


def past(
    code: str,
    title: str,
    lead: str,
    start: int,
    deadline: int,
    percents: Sequence[int],
    done: tuple[int, int, int, int],
    *,
    goal: str,
    expected: str,
    late: Sequence[int] = (),
) -> TaskSpec:
    """A 2023 task: assigned, reported monthly, completed and closed on the days given
    (`done`: completion requested, closed, timeliness and quality scores)."""
    complete, close, timeliness, quality = done
    story = [*running(start, percents, late), Complete(complete), Close(close, timeliness, quality)]
    return TaskSpec(
        code, title, lead, start, deadline, story,
        goal=goal, expected=expected, source="document", reference=PAST_REFERENCE,
    )  # fmt: skip


# A table, one task in three lines:
# fmt: off
PAST_TASKS: tuple[TaskSpec, ...] = (
    past(
        "LS-2023-01", "锦江温泉旅游度假区创建省级旅游度假区", CULTURE, -334, -62,
        [10, 20, 30, 45, 55, 65, 80, 90], (-75, -72, 95, 92),
        goal=G_ECOLOGY, expected="通过省级旅游度假区评定",
    ),
    past(
        "LS-2023-02", "完成年度高标准农田建设任务", AGRICULTURE, -334, -93,
        [10, 20, 30, 40, 50, 60, 70, 80, 90], (-45, -40, 60, 85),
        goal=G_RURAL, expected="新建和改造提升高标准农田任务全部完成", late=[6],
    ),
    past(
        "LS-2023-03", "规上工业企业“小升规”培育", INDUSTRY, -351, -5,
        [8, 16, 25, 33, 42, 50, 58, 66, 75, 83, 92], (-12, -9, 92, 90),
        goal=G_INDUSTRY, expected="新增规上工业企业20家以上",
    ),
    past(
        "LS-2023-04", "新签约产业项目投资额保持200亿元以上", INVESTMENT, -351, -1,
        [8, 17, 25, 33, 42, 50, 58, 67, 75, 83, 92], (-10, -6, 95, 95),
        goal=G_INVEST, expected="全年新签约产业项目投资额200亿元以上",
    ),
    past(
        "LS-2023-05", "恩城街道典型村创建", ENCHENG, -306, -62,
        [10, 20, 30, 40, 50, 60, 70, 80, 90], (-24, -20, 65, 80),
        goal=G_RURAL, expected="创建典型村2个", late=[4, 7],
    ),
    past(
        "LS-2023-06", "沙湖镇圩镇人居环境整治", SHAHU, -306, -93,
        [15, 30, 45, 60, 75, 90], (-105, -101, 95, 88),
        goal=G_RURAL, expected="圩镇主干道和农贸市场周边环境整治完成",
    ),
    past(
        "LS-2023-07", "省级重点实验室申报", DEVELOPMENT, -334, -62,
        [10, 25, 40, 55, 70, 85], (-80, -77, 90, 95),
        goal=G_INNOVATION, expected="获批省级重点实验室1家",
    ),
    past(
        "LS-2023-08", "高考质量提升行动", EDUCATION, -306, -185,
        [25, 50, 75], (-190, -186, 95, 95),
        goal=G_EDUCATION, expected="本科上线人数和优投率稳步提升",
    ),
    past(
        "LS-2023-09", "政务服务事项“一网通办”提升", DATA, -334, -93,
        [10, 20, 30, 40, 50, 60, 70, 80], (-58, -55, 70, 85),
        goal=G_BUSINESS, expected="政务服务事项网上可办率98%以上",
    ),
)
# fmt: on
