"""Enping's honours and practices as the Jiangmen Daily report of 20 February 2024 lists them
("获得更多荣誉称号", "创出更多恩平经验").

The report names the titles, who recognised the practices and one year (全国“平安农机”示范县,
2023). Every year or date it does not give is chosen here to spread the titles over 2021–2024
(none after the report), and the record says so: `is_illustrative` and a source that names the
choice. Issuing bodies are the ones that award such titles (the report does not name them);
the responsible units are the demo's departments nearest to the work (the leadership unit where
no department of the demo fits).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from jinwei.honors.models import Category, Level

ARTICLE = "《江门日报》2024年2月20日报道"
CHOSEN_YEAR = ARTICLE + "；报道未载年份，年份为示例"
CHOSEN_DATE = ARTICLE + "；报道未载日期，日期为示例"
LEADERSHIP = "恩平市人民政府"


@dataclass(frozen=True)
class HonourSpec:
    title: str
    level: Level
    year: int
    issuer: str
    category: Category
    unit: str
    description: str = ""
    awarded_on: datetime.date | None = None
    year_from_article: bool = False  # else the year (and any date) is chosen: illustrative


@dataclass(frozen=True)
class PracticeSpec:
    title: str
    description: str
    recognised_by: str
    level: Level
    recognised_on: datetime.date  # the report gives no date: every one is chosen
    promotion: str
    unit: str


N, P = Level.NATIONAL, Level.PROVINCIAL

HONOURS: tuple[HonourSpec, ...] = (
    HonourSpec(
        "“中国天然氧吧”", N, 2021, "中国气象服务协会", Category.ECOLOGY, "文化广电旅游体育局"
    ),
    HonourSpec("全国粮食生产先进县", N, 2021, "国务院", Category.AGRICULTURE, "农业农村局"),
    HonourSpec(
        "全国信访工作示范县",
        N,
        2021,
        "国家信访局",
        Category.GOVERNANCE,
        LEADERSHIP,
        "江门唯一获评全国信访工作示范县的县（市、区）。",
    ),
    HonourSpec("国家生态文明建设示范区", N, 2022, "生态环境部", Category.ECOLOGY, "自然资源局"),
    HonourSpec(
        "县级财政管理绩效综合评价国家表扬奖补",
        N,
        2022,
        "财政部",
        Category.FINANCE,
        "财政局",
        "县级财政管理绩效综合评价获国家表扬奖补（连续两年的第一年）。",
    ),
    HonourSpec(
        "国家生猪调出大县", N, 2022, "农业农村部、财政部", Category.AGRICULTURE, "农业农村局"
    ),
    HonourSpec(
        "省全域旅游示范区", P, 2022, "广东省文化和旅游厅", Category.TOURISM, "文化广电旅游体育局"
    ),
    HonourSpec("省健康县", P, 2022, "广东省爱国卫生运动委员会", Category.HEALTH, "卫生健康局"),
    HonourSpec(
        "全国“平安农机”示范县",
        N,
        2023,
        "农业农村部、应急管理部",
        Category.SAFETY,
        "农业农村局",
        year_from_article=True,
    ),
    HonourSpec(
        "县级财政管理绩效综合评价国家表扬奖补",
        N,
        2023,
        "财政部",
        Category.FINANCE,
        "财政局",
        "江门唯一连续两年在县级财政管理绩效综合评价中获国家表扬奖补的县（市、区）。",
    ),
    HonourSpec(
        "省第一批生态产品价值实现机制试点县",
        P,
        2023,
        "广东省发展和改革委员会",
        Category.ECOLOGY,
        "发展和改革局",
        "江门唯一列入省发改委第一批生态产品价值实现机制试点的县（市、区）。",
    ),
    HonourSpec(
        "省工业稳增长优秀县", P, 2023, "广东省人民政府", Category.INDUSTRY, "工业和信息化局"
    ),
    HonourSpec(
        "省基础教育高质量发展示范区",
        P,
        2023,
        "广东省教育厅",
        Category.EDUCATION,
        "教育局",
        "江门唯一列入省基础教育高质量发展示范区的县（市、区）。",
    ),
    HonourSpec(
        "全国基层中医药工作先进单位",
        N,
        2024,
        "国家中医药管理局",
        Category.HEALTH,
        "卫生健康局",
        "江门首个获评的县级单位。",
        awarded_on=datetime.date(2024, 1, 12),
    ),
    HonourSpec(
        "全国信访工作“三无”县",
        N,
        2024,
        "国家信访局",
        Category.GOVERNANCE,
        LEADERSHIP,
        awarded_on=datetime.date(2024, 1, 26),
    ),
    HonourSpec(
        "省“百千万工程”精选案例",
        P,
        2024,
        "广东省委实施“百县千镇万村高质量发展工程”指挥部办公室",
        Category.GOVERNANCE,
        "发展和改革局",
        awarded_on=datetime.date(2024, 2, 2),
    ),
)

PRACTICES: tuple[PracticeSpec, ...] = (
    PracticeSpec(
        "侨益司法保护“恩平样本”",
        "成立首个县级华侨华人法律服务中心，为华侨华人提供涉侨法律咨询、调解和司法保护，"
        "形成侨益司法保护的“恩平样本”。",
        "中央统战部、最高人民法院",
        Level.NATIONAL,
        datetime.date(2022, 11, 15),
        "在全国推广",
        LEADERSHIP,
    ),
    PracticeSpec(
        "数控机床产业链招商",
        "围绕数控机床产业链的缺失环节精准招商，以链招商、以商引商。",
        "江门市领导",
        Level.MUNICIPAL,
        datetime.date(2023, 5, 18),
        "江门市领导多次表扬，要求各市（区）借鉴学习",
        "投资促进局",
    ),
    PracticeSpec(
        "异地招商利益分享机制",
        "引进项目落户异地时，按约定在引进地与落户地之间分享统计和税收，调动异地招商的积极性。",
        "江门市领导",
        Level.MUNICIPAL,
        datetime.date(2023, 9, 8),
        "江门市领导多次表扬，要求各市（区）借鉴学习",
        "投资促进局",
    ),
    PracticeSpec(
        "气象旅游",
        "依托“中国天然氧吧”等气候资源发展气象旅游。",
        "上级有关部门",
        Level.PROVINCIAL,
        datetime.date(2024, 1, 20),
        "工作成效获得上级充分肯定",
        "文化广电旅游体育局",
    ),
    PracticeSpec(
        "共富公司模式",
        "以共富公司为平台盘活村集体资源，带动村集体和农民增收。",
        "上级有关部门",
        Level.PROVINCIAL,
        datetime.date(2024, 2, 6),
        "工作成效获得上级充分肯定",
        "农业农村局",
    ),
)
