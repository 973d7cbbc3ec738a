"""The key projects demo data: Enping's parks, industry chains and key projects.

Plain data, no Django: `jinwei.projects.demo` plays it through the project services. The names
come from the article the demo follows (Jiangmen Daily, 20 Feb 2024, on Enping's high-quality
development meeting; `/work/shared/seed/`):
- the parks it names: 智能装备特色产业园, 道氏新材料产业园, 珠西科创智谷,
  中山(恩平)智能家电产业园 and 江门水都产业园;
- the three emerging industries, and the 数控机床 chain whose 产业链招商 it praises;
- 恩平市职教园区, phase one due in August 2024;
- 浩洋股份演艺灯光制造基地 of 江门市浩明电子有限公司, completed and in production on
  12 January 2024.
Everything else — areas, links, investors of the other projects, amounts, dates, progress,
problems — is illustrative (示例), and every row holding it is stored with `is_illustrative=True`;
where a row mixes both, its description says which facts are published and where.

Dates of the illustrative projects are relative to the day the demo is loaded (`Rel`), so their
schedule colours always show: some on time, some 10–30 points behind (yellow), some further behind
(red), one not started more than three months after its planned start. The article's dates are
absolute.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

ARTICLE = "江门日报2024年2月20日关于恩平市高质量发展推进会暨2024年开局工作会议的报道"
PUBLISHED_NAME = f"名称见{ARTICLE}；其余内容为示例数据。"
ILLUSTRATIVE = "示例数据（非公开发布数据）。"

# --- units and people (names as the foundation demo gives them) -----------------------------------

LEADERSHIP = "恩平市人民政府"
INDUSTRY = "工业和信息化局"
DEVELOPMENT = "发展和改革局"
EDUCATION = "教育局"
INVESTMENT = "投资促进局"
HOUSING = "住房和城乡建设局"
ENCHENG, HENGPI, SHENGTANG, SHAHU = "恩城街道", "横陂镇", "圣堂镇", "沙湖镇"
DONGCHENG, DATIAN = "东成镇", "大田镇"

LEADER = "leader"  # the foundation's 示例·李领导
INDUSTRY_LEADER = "demo-vice-industry"  # 示例·赵副市长, as the tasks demo names him
RURAL_LEADER = "demo-vice-rural"  # 示例·钱副市长

# --- days relative to the day the demo is loaded --------------------------------------------------


@dataclass(frozen=True)
class Rel:
    """Day `day` of the month `months` months from the current one (negative: before)."""

    months: int
    day: int = 15


@dataclass(frozen=True)
class Days:
    """`days` days from the day the demo is loaded (negative: before)."""

    days: int


When = datetime.date | Rel | Days


# --- industry chains ------------------------------------------------------------------------------

UPSTREAM, MIDSTREAM, DOWNSTREAM = "upstream", "midstream", "downstream"


@dataclass(frozen=True)
class LinkSpec:
    segment: str
    name: str
    children: tuple[LinkSpec, ...] = ()
    min_enterprises: int = 2
    description: str = ""


@dataclass(frozen=True)
class ChainSpec:
    name: str
    description: str
    links: tuple[LinkSpec, ...]


SMART_EQUIPMENT = "智能装备制造"
NEW_MATERIALS = "新材料"
ELECTRONICS = "新一代电子信息"
CNC = "数控机床"

# link names the other demo modules place enterprises, projects and leads on
CASTINGS = "铸件与结构件"
CNC_SYSTEM = "数控系统"
FUNCTIONAL_PARTS = "功能部件"
SPINDLES = "电主轴"
SCREWS = "滚珠丝杠与直线导轨"
TOOLS = "刀具与夹具"
LATHES = "数控车床"
MACHINING_CENTRES = "加工中心"
AUTO_PARTS = "汽车零部件精密加工"
MOULDS = "模具制造"
SERVO = "伺服电机与减速器"
ROBOTS = "工业机器人"
SPECIAL_EQUIPMENT = "智能专用设备"
INTEGRATION = "智能制造系统集成"
RAW_MATERIALS = "锂钴镍原料与前驱体"
CATHODE = "锂电正极材料"
CERAMIC_INK = "陶瓷釉料与墨水"
BATTERIES = "电池与储能应用"
COMPONENTS = "电子元器件"
ACOUSTICS = "电声器件"
SMART_AUDIO = "智能音响与家电"
STAGE_LIGHTING = "演艺灯光与专业音响"

CHAINS: tuple[ChainSpec, ...] = (
    ChainSpec(
        SMART_EQUIPMENT,
        f"恩平重点发展的新兴产业之一。{PUBLISHED_NAME}",
        (
            LinkSpec(UPSTREAM, SERVO),
            LinkSpec(MIDSTREAM, ROBOTS),
            LinkSpec(MIDSTREAM, SPECIAL_EQUIPMENT),
            LinkSpec(DOWNSTREAM, INTEGRATION),
        ),
    ),
    ChainSpec(
        NEW_MATERIALS,
        f"恩平重点发展的新兴产业之一，以道氏新材料产业园为主要载体。{PUBLISHED_NAME}",
        (
            LinkSpec(UPSTREAM, RAW_MATERIALS),
            LinkSpec(MIDSTREAM, CATHODE),
            LinkSpec(MIDSTREAM, CERAMIC_INK),
            LinkSpec(DOWNSTREAM, BATTERIES),
        ),
    ),
    ChainSpec(
        ELECTRONICS,
        f"恩平重点发展的新兴产业之一，依托电声产业基础。{PUBLISHED_NAME}",
        (
            LinkSpec(UPSTREAM, COMPONENTS),
            LinkSpec(MIDSTREAM, ACOUSTICS),
            LinkSpec(MIDSTREAM, SMART_AUDIO),
            LinkSpec(DOWNSTREAM, STAGE_LIGHTING),
        ),
    ),
    ChainSpec(
        CNC,
        "数控机床产业链招商获江门市领导多次表扬。"
        f"{PUBLISHED_NAME}链上空白（数控系统、电主轴）和薄弱环节即产业链招商的目标。",
        (
            LinkSpec(UPSTREAM, CASTINGS),
            LinkSpec(UPSTREAM, CNC_SYSTEM, description="整机的“大脑”，本地尚无配套企业。"),
            LinkSpec(
                UPSTREAM,
                FUNCTIONAL_PARTS,
                children=(LinkSpec(UPSTREAM, SPINDLES), LinkSpec(UPSTREAM, SCREWS)),
                min_enterprises=1,
            ),
            LinkSpec(UPSTREAM, TOOLS, min_enterprises=3),
            LinkSpec(MIDSTREAM, LATHES),
            LinkSpec(MIDSTREAM, MACHINING_CENTRES),
            LinkSpec(DOWNSTREAM, AUTO_PARTS),
            LinkSpec(DOWNSTREAM, MOULDS),
        ),
    ),
)

# --- parks ----------------------------------------------------------------------------------------

SMART_PARK = "智能装备特色产业园"
DOSHINE_PARK = "道氏新材料产业园"
VALLEY = "珠西科创智谷"
ZHONGSHAN_PARK = "中山(恩平)智能家电产业园"
WATER_PARK = "江门水都产业园"


@dataclass(frozen=True)
class ParkSpec:
    name: str
    area_mu: Decimal | None
    focus_industries: str
    chains: tuple[str, ...]
    managing_unit: str
    location: str
    description: str


PARKS: tuple[ParkSpec, ...] = (
    ParkSpec(
        SMART_PARK,
        Decimal("3200"),
        "智能装备制造、数控机床",
        (SMART_EQUIPMENT, CNC),
        INDUSTRY,
        "沙湖镇",
        f"加快建设的大项目之一。{PUBLISHED_NAME}",
    ),
    ParkSpec(
        DOSHINE_PARK,
        Decimal("2600"),
        "锂电新材料、陶瓷新材料",
        (NEW_MATERIALS,),
        SHENGTANG,
        "圣堂镇",
        f"加快建设的大项目之一。{PUBLISHED_NAME}",
    ),
    ParkSpec(
        VALLEY,
        Decimal("1500"),
        "新一代电子信息、科技研发",
        (ELECTRONICS,),
        ENCHENG,
        "恩城街道",
        f"加快建设的大项目之一。{PUBLISHED_NAME}",
    ),
    ParkSpec(
        ZHONGSHAN_PARK,
        Decimal("2000"),
        "智能家电、电声器件",
        (ELECTRONICS, SMART_EQUIPMENT),
        HENGPI,
        "横陂镇",
        "中山市南头镇与恩平开展产业结对协作共建的园区。" + PUBLISHED_NAME,
    ),
    ParkSpec(
        WATER_PARK,
        Decimal("1800"),
        "电子信息、智能装备",
        (ELECTRONICS, SMART_EQUIPMENT),
        DEVELOPMENT,
        "恩平、蓬江、江海共建",
        "江门市安排蓬江、江海与恩平结对协同发展共建的园区。" + PUBLISHED_NAME,
    ),
)

# --- key projects ---------------------------------------------------------------------------------

INDUSTRIAL, INFRASTRUCTURE, PUBLIC_SERVICE = "industrial", "infrastructure", "public_service"
SIGNED, STARTED, UNDER_CONSTRUCTION = "signed", "started", "under_construction"
COMPLETED, IN_PRODUCTION = "completed", "in_production"


@dataclass(frozen=True)
class Reports:
    """Monthly reports from the month of `first` on, `months` of them: physical progress rising
    evenly from `progress[0]` to `progress[1]`, the investment `amount` spread over the months."""

    first: When
    months: int
    progress: tuple[int, int]
    amount: Decimal
    problems: dict[int, str] = field(default_factory=dict)  # month index (from 0) -> problems


@dataclass(frozen=True)
class ProjectSpec:
    code: str
    name: str
    kind: str
    lead_unit: str
    total_investment: Decimal
    signed_on: When
    planned_start: When
    planned_completion: When
    stages: tuple[tuple[str, When], ...] = ()  # the stages reached after signing, with dates
    planned_production: When | None = None
    park: str = ""
    link: tuple[str, str] | None = None  # (chain, link)
    investor: str = ""
    leader: str = LEADER
    town: str = ""
    address: str = ""
    description: str = ILLUSTRATIVE
    plans: tuple[tuple[int, Decimal], ...] = ()  # (year, or offset from this year if < 100)
    milestones: tuple[tuple[str, When, When | None], ...] = ()  # name, planned, reached
    reports: Reports | None = None
    problem_task: str = ""  # the title of a task raised from the latest report's problems
    is_illustrative: bool = True


VOCATIONAL = "ZD-2024-01"
LIGHTING = "ZD-2024-02"
NOT_STARTED = "ZD-2024-05"

PROJECTS: tuple[ProjectSpec, ...] = (
    ProjectSpec(
        VOCATIONAL,
        "恩平市职教园区（一期）",
        PUBLIC_SERVICE,
        EDUCATION,
        Decimal("68000"),
        signed_on=datetime.date(2022, 11, 18),
        planned_start=datetime.date(2023, 1, 1),
        planned_completion=datetime.date(2024, 8, 31),
        stages=(
            (STARTED, datetime.date(2023, 2, 20)),
            (UNDER_CONSTRUCTION, datetime.date(2023, 3, 15)),
            (COMPLETED, datetime.date(2024, 8, 28)),
        ),
        leader=LEADER,
        town=ENCHENG,
        description=(
            "为恩平打造“工匠摇篮”，力争一期项目在2024年8月完工交付使用（"
            f"{ARTICLE}）。投资额、开工和竣工日期、进度为示例数据。"
        ),
        plans=((2023, Decimal("36000")), (2024, Decimal("32000"))),
        milestones=(
            ("主体结构封顶", datetime.date(2023, 12, 31), datetime.date(2024, 1, 20)),
            ("室内外装修完成", datetime.date(2024, 6, 30), datetime.date(2024, 7, 10)),
            ("一期竣工验收、交付使用", datetime.date(2024, 8, 31), datetime.date(2024, 8, 28)),
        ),
        reports=Reports(
            datetime.date(2023, 3, 1),
            18,
            (5, 100),
            Decimal("68000"),
            problems={6: "雨季影响土方施工，需协调增加作业面。"},
        ),
    ),
    ProjectSpec(
        LIGHTING,
        "浩洋股份演艺灯光制造基地",
        INDUSTRIAL,
        INDUSTRY,
        Decimal("100000"),
        signed_on=datetime.date(2021, 9, 28),
        planned_start=datetime.date(2022, 2, 1),
        planned_completion=datetime.date(2023, 12, 31),
        planned_production=datetime.date(2024, 1, 31),
        stages=(
            (STARTED, datetime.date(2022, 2, 18)),
            (UNDER_CONSTRUCTION, datetime.date(2022, 3, 10)),
            (COMPLETED, datetime.date(2024, 1, 12)),
            (IN_PRODUCTION, datetime.date(2024, 1, 12)),
        ),
        link=(ELECTRONICS, STAGE_LIGHTING),
        investor="江门市浩明电子有限公司",
        leader=INDUSTRY_LEADER,
        description=(
            "2024年1月12日竣工投产，春节假期过后已加足马力满负荷生产（"
            f"{ARTICLE}）。投资额、签约和开工日期、进度为示例数据。"
        ),
        plans=((2022, Decimal("42000")), (2023, Decimal("50000")), (2024, Decimal("8000"))),
        milestones=(
            ("厂房主体封顶", datetime.date(2023, 3, 31), datetime.date(2023, 4, 15)),
            ("设备安装调试", datetime.date(2023, 11, 30), datetime.date(2023, 12, 20)),
            ("竣工投产", datetime.date(2024, 1, 31), datetime.date(2024, 1, 12)),
        ),
        reports=Reports(datetime.date(2022, 2, 1), 24, (3, 100), Decimal("98000")),
    ),
    ProjectSpec(
        "ZD-2024-03",
        "智能装备特色产业园首期标准厂房",
        INFRASTRUCTURE,
        INDUSTRY,
        Decimal("45000"),
        signed_on=Rel(-13),
        planned_start=Rel(-10, 1),
        planned_completion=Rel(8, 1),
        stages=((STARTED, Rel(-10, 5)), (UNDER_CONSTRUCTION, Rel(-9, 1))),
        park=SMART_PARK,
        link=(SMART_EQUIPMENT, SPECIAL_EQUIPMENT),
        investor="恩平市城市建设投资集团（示例）",
        leader=INDUSTRY_LEADER,
        town=SHAHU,
        plans=((-1, Decimal("8000")), (0, Decimal("22000")), (1, Decimal("15000"))),
        milestones=(("完成场地平整", Rel(-8), Rel(-8, 25)), ("厂房主体封顶", Rel(2), None)),
        reports=Reports(Rel(-10), 10, (6, 56), Decimal("24000")),
    ),
    ProjectSpec(
        "ZD-2024-04",
        "示例·高端数控车床整机制造项目",
        INDUSTRIAL,
        INVESTMENT,
        Decimal("60000"),
        signed_on=Rel(-17),
        planned_start=Rel(-14, 1),
        planned_completion=Rel(4, 1),
        planned_production=Rel(6, 1),
        stages=((STARTED, Rel(-14, 3)), (UNDER_CONSTRUCTION, Rel(-13, 1))),
        park=SMART_PARK,
        link=(CNC, LATHES),
        investor="示例·精工数控机床（恩平）有限公司",
        leader=INDUSTRY_LEADER,
        town=SHAHU,
        plans=((-1, Decimal("30000")), (0, Decimal("25000"))),
        milestones=(
            ("厂房主体封顶", Rel(-6), Rel(-4, 20)),
            ("设备进场安装", Rel(1), None),
        ),
        reports=Reports(
            Rel(-14),
            14,
            (4, 58),
            Decimal("33000"),
            problems={13: "进口主轴设备到货推迟，安装调试进度滞后。"},
        ),
    ),
    ProjectSpec(
        NOT_STARTED,
        "示例·精密滚珠丝杠与直线导轨项目",
        INDUSTRIAL,
        INVESTMENT,
        Decimal("18000"),
        signed_on=Rel(-9),
        planned_start=Rel(-5, 1),
        planned_completion=Rel(13, 1),
        park=SMART_PARK,
        link=(CNC, SCREWS),
        investor="示例·精密传动科技有限公司",
        leader=INDUSTRY_LEADER,
        town=SHAHU,
        description="签约后因用地报批未完成，计划开工已逾三个月仍未动工。" + ILLUSTRATIVE,
        plans=((0, Decimal("6000")),),
        milestones=(("取得施工许可", Rel(-6), None),),
    ),
    ProjectSpec(
        "ZD-2024-06",
        "道氏新材料产业园基础设施工程",
        INFRASTRUCTURE,
        SHENGTANG,
        Decimal("52000"),
        signed_on=Rel(-22),
        planned_start=Rel(-20, 1),
        planned_completion=Rel(4, 1),
        stages=((STARTED, Rel(-20, 8)), (UNDER_CONSTRUCTION, Rel(-19, 1))),
        park=DOSHINE_PARK,
        link=(NEW_MATERIALS, RAW_MATERIALS),
        investor="恩平市城市建设投资集团（示例）",
        leader=INDUSTRY_LEADER,
        town=SHENGTANG,
        plans=((-1, Decimal("20000")), (0, Decimal("22000"))),
        milestones=(
            ("完成征地", Rel(-15), None),
            ("园区主干道通车", Rel(-2), None),
        ),
        reports=Reports(
            Rel(-20),
            20,
            (3, 45),
            Decimal("23000"),
            problems={
                17: "部分地块补偿标准未谈妥，征地进度滞后。",
                18: "部分地块补偿标准未谈妥，征地进度滞后。",
                19: "征地仍未完成，主干道施工受阻，需市级层面协调。",
            },
        ),
        problem_task="协调解决道氏新材料产业园征地问题",
    ),
    ProjectSpec(
        "ZD-2024-07",
        "示例·锂电正极材料一期项目",
        INDUSTRIAL,
        INDUSTRY,
        Decimal("120000"),
        signed_on=Rel(-34),
        planned_start=Rel(-30, 1),
        planned_completion=Rel(-6, 28),
        planned_production=Rel(-4, 28),
        stages=(
            (STARTED, Rel(-30, 6)),
            (UNDER_CONSTRUCTION, Rel(-29, 1)),
            (COMPLETED, Rel(-6, 20)),
            (IN_PRODUCTION, Rel(-4, 18)),
        ),
        park=DOSHINE_PARK,
        link=(NEW_MATERIALS, CATHODE),
        investor="示例·新能材料科技有限公司",
        leader=INDUSTRY_LEADER,
        town=SHENGTANG,
        plans=((-2, Decimal("45000")), (-1, Decimal("50000")), (0, Decimal("12000"))),
        milestones=(
            ("主体厂房封顶", Rel(-18), Rel(-17, 10)),
            ("生产线安装完成", Rel(-8), Rel(-7, 25)),
            ("竣工投产", Rel(-4, 28), Rel(-4, 18)),
        ),
        reports=Reports(Rel(-29), 24, (8, 100), Decimal("92000")),
    ),
    ProjectSpec(
        "ZD-2024-08",
        "珠西科创智谷一期载体",
        INFRASTRUCTURE,
        ENCHENG,
        Decimal("38000"),
        signed_on=Rel(-5),
        planned_start=Rel(-2, 1),
        planned_completion=Rel(22, 1),
        stages=((STARTED, Rel(-2, 6)),),
        park=VALLEY,
        link=(ELECTRONICS, COMPONENTS),
        investor="恩平市城市建设投资集团（示例）",
        town=ENCHENG,
        plans=((0, Decimal("3000")), (1, Decimal("20000"))),
        milestones=(("方案设计批复", Rel(-3), Rel(-3, 10)), ("一期主体封顶", Rel(12), None)),
        reports=Reports(Rel(-2), 2, (4, 9), Decimal("2600")),
    ),
    ProjectSpec(
        "ZD-2024-09",
        "示例·电声器件研发中心",
        INDUSTRIAL,
        ENCHENG,
        Decimal("15000"),
        signed_on=Rel(-1),
        planned_start=Rel(2, 1),
        planned_completion=Rel(20, 1),
        park=VALLEY,
        link=(ELECTRONICS, ACOUSTICS),
        investor="示例·声学科技有限公司",
        town=ENCHENG,
        plans=((1, Decimal("8000")),),
    ),
    ProjectSpec(
        "ZD-2024-10",
        "示例·智能小家电制造项目（中山产业转移）",
        INDUSTRIAL,
        HENGPI,
        Decimal("30000"),
        signed_on=Rel(-11),
        planned_start=Rel(-8, 1),
        planned_completion=Rel(6, 1),
        planned_production=Rel(8, 1),
        stages=((STARTED, Rel(-8, 10)), (UNDER_CONSTRUCTION, Rel(-7, 1))),
        park=ZHONGSHAN_PARK,
        link=(ELECTRONICS, SMART_AUDIO),
        investor="示例·南头智能家电有限公司",
        leader=INDUSTRY_LEADER,
        town=HENGPI,
        plans=((0, Decimal("16000")), (1, Decimal("14000"))),
        milestones=(("厂房主体封顶", Rel(-2), None),),
        reports=Reports(Rel(-8), 8, (5, 40), Decimal("12000"), problems={7: "技术工人招聘不足。"}),
    ),
    ProjectSpec(
        "ZD-2024-11",
        "示例·水都产业园电子信息制造项目",
        INDUSTRIAL,
        DEVELOPMENT,
        Decimal("26000"),
        signed_on=Rel(-26),
        planned_start=Rel(-22, 1),
        planned_completion=Rel(-2, 28),
        planned_production=Rel(2, 1),
        stages=(
            (STARTED, Rel(-22, 12)),
            (UNDER_CONSTRUCTION, Rel(-21, 1)),
            (COMPLETED, Rel(-2, 10)),
        ),
        park=WATER_PARK,
        link=(ELECTRONICS, COMPONENTS),
        investor="示例·侨联电子科技有限公司",
        description="由恩平引进、落户蓬江江海恩平共建的江门水都产业园，按异地招商利益分享协议"
        "分享统计数据和税收。" + ILLUSTRATIVE,
        plans=((-2, Decimal("6000")), (-1, Decimal("12000")), (0, Decimal("8000"))),
        milestones=(("竣工验收", Rel(-2, 28), Rel(-2, 10)),),
        reports=Reports(Rel(-22), 20, (5, 100), Decimal("25500")),
    ),
)


def year_of(year: int, this_year: int) -> int:
    """A plan's year: as written, or (below 100) an offset from this year."""
    return year if year >= 100 else this_year + year


def report_months(reports: Reports) -> list[tuple[int, Decimal, int, str]]:
    """(month index, amount, cumulative physical progress, problems) for each month."""
    count = reports.months
    low, high = reports.progress
    base = (reports.amount / count).quantize(Decimal("0.01"))
    rows = []
    for index in range(count):
        progress = low + round((high - low) * index / max(count - 1, 1))
        # the last month takes the rounding, so the months add up to the amount exactly
        amount = reports.amount - base * (count - 1) if index == count - 1 else base
        rows.append((index, amount, progress, reports.problems.get(index, "")))
    return rows


PROGRESS_TEXTS: tuple[tuple[int, str], ...] = (
    (10, "完成前期手续和场地准备，施工队伍进场"),
    (30, "基础工程施工中"),
    (60, "主体结构施工中"),
    (90, "主体完工，装饰装修和设备安装同步推进"),
    (100, "收尾和竣工验收准备"),
    (101, "全部完工"),
)


def progress_text(progress: int) -> str:
    phase = next(text for limit, text in PROGRESS_TEXTS if progress < limit)
    return f"{phase}，形象进度{progress}%。（示例）"
