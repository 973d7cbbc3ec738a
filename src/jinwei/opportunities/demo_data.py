"""The opportunities demo data: the programmes, plans, bridges and paired assistance the article
names as Enping's opportunities (问题二), with the items in them that concern the county and the
goals, tasks and projects of the other demos that act on each item.

Plain data, no Django: `jinwei.opportunities.demo` plays it through the services. Source: the
article the demo follows (Jiangmen Daily, 20 Feb 2024, on Enping's high-quality development
meeting; `/work/shared/seed/`). What it says is kept as it says it: 百千万工程 as the province's
头号工程 with Enping a 进位类县 and its four staged goals; 深中通道 and 黄茅海跨海通道 with
“大桥经济”“黄金内湾” and the 1.5-hour economic circle; the 珠江口西岸都市圈发展规划 published in
December 2023 with 16 items directly concerning Enping across 交通、产业、生态环境、城乡融合;
中山市南头镇's industrial pairing and the 中山(恩平)智能家电产业园; 蓬江 and 江海's pairing with the
江门水都产业园 and a cross-district education group; the provincial 纵向帮扶 and the 双百行动
service team. The article does not list the plan's 16 items: their titles here are plausible
examples, and that opportunity is stored with `is_illustrative=True`. The responsible units, and
which goal, task or project acts on an item, are illustrative too; several items are left with
no action so the flag shows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from jinwei.tasks import demo_data as tasks

SUPERVISOR = "supervisor"  # the foundation's 示例·张主任 (市委督查室) adds the opportunities
ARTICLE = "《江门日报》2024年2月20日关于恩平市高质量发展推进会的报道"

TRANSPORT, INDUSTRY, ECOLOGY = "transport", "industry", "ecology"
URBAN_RURAL, PUBLIC_SERVICES, OTHER = "urban_rural", "public_services", "other"


@dataclass(frozen=True)
class ItemSpec:
    title: str
    area: str = OTHER
    goals: tuple[str, ...] = ()  # goal titles (tasks demo)
    tasks: tuple[str, ...] = ()  # task codes (tasks demo)
    projects: tuple[str, ...] = ()  # project codes (projects demo)
    description: str = ""


@dataclass(frozen=True)
class OpportunitySpec:
    title: str
    kind: str  # Opportunity.Kind
    level: str  # honors Level
    items: tuple[ItemSpec, ...]
    unit: str = ""  # the responsible unit; empty: only supervisors and admins change it
    issuer: str = ""
    source_document: str = ARTICLE
    issued_on: datetime.date | None = None
    summary: str = ""
    is_illustrative: bool = False


BQW = OpportunitySpec(
    "百千万工程（头号工程）",
    kind="programme",
    level="provincial",
    unit=tasks.AGRICULTURE,
    issuer="中共广东省委",
    source_document="中共广东省委关于实施“百县千镇万村高质量发展工程”促进城乡区域协调发展的决定",
    summary="省委把“百千万工程”作为推动高质量发展的“头号工程”，明确恩平属于进位类县，"
    "与恩平追赶发展的定位不谋而合。",
    items=(
        ItemSpec("一年开局起步", goals=("一年开局起步",)),
        ItemSpec("三年初见成效", goals=(tasks.THREE_YEARS, tasks.ANNUAL)),
        ItemSpec("五年显著变化", goals=("五年显著变化",)),
        ItemSpec("十年根本改变", goals=("十年根本改变",)),
        ItemSpec(
            "进位类县：力争在进位赛道上跑出“加速度”、实现新跨越",
            URBAN_RURAL,
            goals=(tasks.G_RURAL,),
            tasks=("RW-010", "RW-012", "RW-013"),
            description="全面整合资源、充分发挥所长（典型镇、中心镇和示范带创建为示例举措）。",
        ),
    ),
)

BRIDGES = OpportunitySpec(
    "深中通道、黄茅海跨海通道建成通车",
    kind="infrastructure",
    level="provincial",
    unit=tasks.RESOURCES,
    summary="深中通道、黄茅海跨海通道将建成通车，江门迎来“大桥经济”“黄金内湾”的历史机遇。",
    items=(
        ItemSpec(
            "“大桥经济”“黄金内湾”：承接湾区城市人才、资金、资源、技术等方面溢出",
            INDUSTRY,
            tasks=("RW-007",),
        ),
        ItemSpec(
            "与大湾区城市群形成“1.5小时经济生活圈”",
            TRANSPORT,
            tasks=("RW-024", "RW-025"),
        ),
        ItemSpec(
            "粤港澳大湾区“一点两地”全新定位：连接粤西地区、辐射大西南地区的重要节点城市",
            OTHER,
        ),
    ),
)

# The article gives the count and the areas of the plan's items on Enping, not the items:
# these titles are examples (示例).
METROPOLITAN = OpportunitySpec(
    "珠江口西岸都市圈发展规划",
    kind="plan",
    level="provincial",
    unit=tasks.DEVELOPMENT,
    issuer="广东省人民政府",
    source_document="《珠江口西岸都市圈发展规划》",
    issued_on=datetime.date(2023, 12, 1),
    summary="2023年12月省发布，对2023—2030年珠西都市圈建设作出详细规划，规划中有16处内容直接"
    "涉及恩平，涵盖交通、产业、生态环境、城乡融合等多个领域（以下条目为示例）。",
    is_illustrative=True,
    items=(
        ItemSpec("示例·推进黄茅海跨海通道恩平连接线建设", TRANSPORT, tasks=("RW-025",)),
        ItemSpec("示例·研究恩平融入都市圈城际轨道网络", TRANSPORT),
        ItemSpec("示例·提升恩平对外高速公路通道能力", TRANSPORT),
        ItemSpec("示例·构建恩平至湾区核心城市1.5小时交通圈", TRANSPORT, tasks=("RW-024",)),
        ItemSpec(
            "示例·支持恩平发展智能装备制造产业",
            INDUSTRY,
            goals=(tasks.SMART_EQUIPMENT,),
            tasks=("RW-002",),
            projects=("ZD-2024-03",),
        ),
        ItemSpec(
            "示例·支持新材料产业集聚发展",
            INDUSTRY,
            goals=(tasks.NEW_MATERIALS,),
            tasks=("RW-003",),
            projects=("ZD-2024-06",),
        ),
        ItemSpec(
            "示例·推动新一代电子信息（演艺灯光、电声）产业集群发展",
            INDUSTRY,
            goals=(tasks.ELECTRONICS,),
            tasks=("RW-014",),
            projects=("ZD-2024-02",),
        ),
        ItemSpec(
            "示例·共建产业转移合作园区", INDUSTRY, tasks=("RW-008",), projects=("ZD-2024-10",)
        ),
        ItemSpec(
            "示例·建设科技创新载体，承接湾区科创溢出",
            INDUSTRY,
            tasks=("RW-004",),
            projects=("ZD-2024-08",),
        ),
        ItemSpec("示例·发展温泉、气象等特色文旅产业", INDUSTRY, tasks=("RW-021", "RW-038")),
        ItemSpec("示例·锦江流域生态保护和水环境综合治理", ECOLOGY),
        ItemSpec("示例·探索生态产品价值实现机制", ECOLOGY, tasks=("RW-023",)),
        ItemSpec("示例·建设都市圈西部生态屏障", ECOLOGY, goals=(tasks.G_ECOLOGY,)),
        ItemSpec("示例·建设城乡融合发展示范区", URBAN_RURAL),
        ItemSpec("示例·推进中心镇扩容提质", URBAN_RURAL, tasks=("RW-012",)),
        ItemSpec(
            "示例·共享职业教育和技能人才培养资源",
            PUBLIC_SERVICES,
            tasks=("RW-001", "RW-036"),
            projects=("ZD-2024-01",),
        ),
    ),
)

NANTOU = OpportunitySpec(
    "中山市南头镇与恩平产业结对协作",
    kind="assistance",
    level="provincial",
    unit=tasks.DONGCHENG,
    summary="安排中山市南头镇与恩平开展产业结对协作。",
    items=(
        ItemSpec(
            "推动中山(恩平)智能家电产业园扎实推进",
            INDUSTRY,
            tasks=("RW-008",),
            projects=("ZD-2024-10",),
        ),
    ),
)

PENGJIANG_JIANGHAI = OpportunitySpec(
    "蓬江、江海与恩平结对协同发展",
    kind="assistance",
    level="municipal",
    unit=tasks.DEVELOPMENT,
    issuer="江门市",
    summary="江门市安排蓬江、江海与恩平结对协同发展。",
    items=(
        ItemSpec("共建江门水都产业园", INDUSTRY, tasks=("RW-009",), projects=("ZD-2024-11",)),
        ItemSpec("组建跨区域教育集团", PUBLIC_SERVICES),
    ),
)

VERTICAL_AID = OpportunitySpec(
    "省纵向帮扶",
    kind="assistance",
    level="provincial",
    summary="省纵向帮扶进驻恩平，主动参与、大力支持恩平经济社会各项工作。",
    items=(
        ItemSpec(
            "帮扶单位参与、支持恩平经济社会各项工作",
            URBAN_RURAL,
            goals=(tasks.G_RURAL,),
            description="落实举措为示例。",
        ),
    ),
)

SERVICE_TEAM = OpportunitySpec(
    "省“双百行动”服务队",
    kind="assistance",
    level="provincial",
    summary="省“双百行动”服务队进驻恩平，主动参与、大力支持恩平经济社会各项工作。",
    items=(ItemSpec("服务队进驻恩平，参与、支持恩平经济社会各项工作", URBAN_RURAL),),
)

OPPORTUNITIES: tuple[OpportunitySpec, ...] = (
    BQW,
    BRIDGES,
    METROPOLITAN,
    NANTOU,
    PENGJIANG_JIANGHAI,
    VERTICAL_AID,
    SERVICE_TEAM,
)
