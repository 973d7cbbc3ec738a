"""The indicator demo data: Jiangmen's seven county units, 2019–2024, and Enping's 2024 months.

Plain data, no Django: `jinwei.indicators.demo` loads it, the tests read it directly.

Only the figures in PUBLISHED are published statistics (each with the bulletin it comes from);
every other value is illustrative (示例数据) and is stored with `is_illustrative=True`. The
illustrative values are shaped to tell the story of the article the demo follows (Jiangmen Daily,
20 Feb 2024, on Enping's high-quality development meeting; `/work/shared/seed/`), and to be
plausible and consistent with one another:

- the milestones it reports are found in Enping's series: 地区生产总值 first at or above
  200亿元 in 2021, 规上工业总产值 in 2022, 新招产业项目投资总额 200亿元 and 社会消费品零售总额
  100亿元 in 2023, and the three "零的突破" of 2023 (清华北大录取, 国家级专精特新"小巨人",
  省级重点实验室);
- Enping ranks first among the seven county units ("江门第一") on 1 indicator in 2021 (森林覆盖率),
  9 in 2022 and 11 in 2023 ("10余个"), counting every annual indicator below with competition
  ranking (ties share a rank) and each indicator's direction;
- Enping is the smallest economy of the seven but, from 2022, the fastest growing; the seven
  counties' GDP adds up to within about 1 % of Jiangmen's where both are given; reported growth
  rates agree in sign and rough size with the level series (GDP growth is at comparable prices,
  so it is not the ratio of the nominal values); 规上工业增加值 is about a quarter of
  规上工业总产值;
- Enping's 2024 monthly cumulative figures stop at September, where against time progress (75 %)
  固定资产投资 is yellow (10–30 points behind), 新招产业项目投资总额 red (more than 30 behind) and
  the other indicators with a 2024 target green. The 2024 annual figures are preliminary
  (submitted, not yet approved).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

ILLUSTRATIVE_SOURCE = "示例数据（非公开发布数据）"

YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
APPROVED_UNTIL = 2023  # later figures are submitted and wait for the statistics bureau
MONTHS_OF_2024 = 9  # Enping's monthly cumulative figures run January to September 2024

JIANGMEN = "440700"
PENGJIANG = "440703"
JIANGHAI = "440704"
XINHUI = "440705"
TAISHAN = "440781"
KAIPING = "440783"
HESHAN = "440784"
ENPING = "440785"
COUNTIES = (PENGJIANG, JIANGHAI, XINHUI, TAISHAN, KAIPING, HESHAN, ENPING)

# owning units, by the names the foundation demo gives Enping's departments
STATISTICS = "统计局"
INDUSTRY = "工业和信息化局"  # also in charge of science and technology in the demo
DEVELOPMENT = "发展和改革局"
COMMERCE = "商务局"
INVESTMENT = "投资促进局"
FINANCE = "财政局"
EDUCATION = "教育局"
# The environment bureau is a branch of Jiangmen's (江门市生态环境局恩平分局), not one of Enping's
# units in the demo: 自然资源局 (which also runs forestry) stands in for it.
NATURAL_RESOURCES = "自然资源局"

HIGHER = "higher"
LOWER = "lower"
ANNUAL = "annual"
MONTHLY = "monthly"
POINT = "point"
CUMULATIVE = "cumulative"


@dataclass(frozen=True)
class Spec:
    """One catalogue entry; field names and values follow `Indicator`."""

    code: str
    name: str
    unit: str
    category: str  # a default category's code
    owner: str  # the owning unit's name
    decimals: int = 2
    aliases: tuple[str, ...] = ()
    direction: str = HIGHER
    frequency: str = ANNUAL
    value_kind: str = POINT
    thresholds: tuple[int, ...] = ()
    valid_min: int | None = None
    valid_max: int | None = None
    swing_warning: int | None = None
    is_headline: bool = False
    is_public: bool = False  # shown on the public page when a deployment turns it on
    growth_of: str | None = None  # the level indicator whose reported growth rate this is
    notes: str = ""


GROWTH_NOTE = "上年=100 的增长速度（%），按发布口径填报，不由总量推算。"


def _growth(code: str, of: str, name: str, category: str, owner: str, *aliases: str) -> Spec:
    return Spec(
        code=code,
        name=name,
        unit="%",
        category=category,
        owner=owner,
        decimals=1,
        aliases=aliases,
        valid_min=-100,
        growth_of=of,
        notes=GROWTH_NOTE,
    )


INDICATORS: tuple[Spec, ...] = (
    # 经济总量
    Spec(
        "GDP",
        "地区生产总值",
        "亿元",
        "economy",
        STATISTICS,
        aliases=("GDP", "生产总值", "地区GDP"),
        thresholds=(100, 200, 300),
        valid_min=0,
        swing_warning=20,
        is_headline=True,
        is_public=True,
    ),
    Spec(
        "GDP_GROWTH",
        "地区生产总值增速",
        "%",
        "economy",
        STATISTICS,
        decimals=1,
        aliases=("GDP增速", "生产总值增速", "地区生产总值增长"),
        valid_min=-100,
        is_headline=True,
        growth_of="GDP",
        notes="按可比价格计算，不等于名义总量之比。",
    ),
    Spec(
        "IND_OUTPUT",
        "规上工业总产值",
        "亿元",
        "economy",
        INDUSTRY,
        aliases=("规模以上工业总产值", "规上工业产值"),
        thresholds=(100, 200),
        valid_min=0,
        swing_warning=30,
        is_headline=True,
        is_public=True,
    ),
    _growth("IND_OUTPUT_GROWTH", "IND_OUTPUT", "规上工业总产值增速", "economy", INDUSTRY),
    Spec(
        "IND_VA",
        "规上工业增加值",
        "亿元",
        "economy",
        INDUSTRY,
        aliases=("规模以上工业增加值",),
        valid_min=0,
    ),
    _growth("IND_VA_GROWTH", "IND_VA", "规上工业增加值增速", "economy", INDUSTRY, "规上工业增速"),
    Spec(
        "FAI",
        "固定资产投资",
        "亿元",
        "economy",
        DEVELOPMENT,
        aliases=("固定资产投资额", "固投"),
        valid_min=0,
    ),
    _growth("FAI_GROWTH", "FAI", "固定资产投资增速", "economy", DEVELOPMENT, "固投增速"),
    Spec(
        "RETAIL",
        "社会消费品零售总额",
        "亿元",
        "economy",
        COMMERCE,
        aliases=("社零总额", "社消零"),
        thresholds=(50, 100),
        valid_min=0,
        swing_warning=25,
        is_headline=True,
        is_public=True,
    ),
    _growth("RETAIL_GROWTH", "RETAIL", "社会消费品零售总额增速", "economy", COMMERCE, "社零增速"),
    Spec(
        "REVENUE",
        "一般公共预算收入",
        "亿元",
        "economy",
        FINANCE,
        aliases=("地方一般公共预算收入", "一般预算收入"),
        thresholds=(20,),
        valid_min=0,
        swing_warning=30,
    ),
    _growth(
        "REVENUE_GROWTH", "REVENUE", "一般公共预算收入增速", "economy", FINANCE, "一般预算收入增速"
    ),
    # 开放
    Spec(
        "NEW_INVEST",
        "新招产业项目投资总额",
        "亿元",
        "openness",
        INVESTMENT,
        aliases=("新签约产业项目投资总额", "新引进产业项目投资额"),
        thresholds=(100, 200),
        valid_min=0,
        is_headline=True,
        notes="当年新签约产业项目的计划总投资。",
    ),
    _growth("NEW_INVEST_GROWTH", "NEW_INVEST", "新招产业项目投资总额增速", "openness", INVESTMENT),
    Spec(
        "TRADE",
        "外贸进出口总额",
        "亿元",
        "openness",
        COMMERCE,
        aliases=("进出口总额", "外贸进出口"),
        valid_min=0,
    ),
    _growth("TRADE_GROWTH", "TRADE", "外贸进出口总额增速", "openness", COMMERCE, "进出口增速"),
    # 协调
    Spec(
        "INCOME",
        "城乡居民人均可支配收入",
        "元",
        "coordination",
        STATISTICS,
        decimals=0,
        aliases=("全体居民人均可支配收入", "居民人均可支配收入"),
        valid_min=0,
    ),
    _growth("INCOME_GROWTH", "INCOME", "城乡居民人均可支配收入增速", "coordination", STATISTICS),
    # 创新
    Spec(
        "RD_INTENSITY",
        "研发投入强度",
        "%",
        "innovation",
        INDUSTRY,
        aliases=("R&D经费投入强度", "研发经费投入强度"),
        valid_min=0,
        valid_max=100,
        notes="研究与试验发展经费支出占地区生产总值的比重。",
    ),
    Spec(
        "HIGH_TECH",
        "国家高新技术企业数",
        "个",
        "innovation",
        INDUSTRY,
        decimals=0,
        aliases=("高新技术企业数", "高企数"),
        valid_min=0,
    ),
    Spec(
        "LITTLE_GIANT",
        '专精特新"小巨人"企业数',
        "个",
        "innovation",
        INDUSTRY,
        decimals=0,
        aliases=("国家级专精特新小巨人企业数", "小巨人企业数"),
        valid_min=0,
    ),
    Spec(
        "KEY_LAB",
        "省级重点实验室数",
        "个",
        "innovation",
        INDUSTRY,
        decimals=0,
        aliases=("省重点实验室数",),
        valid_min=0,
    ),
    # 绿色
    Spec(
        "AIR_QUALITY",
        "空气质量优良天数比例",
        "%",
        "green",
        NATURAL_RESOURCES,
        decimals=1,
        aliases=("空气质量优良率", "AQI达标率"),
        valid_min=0,
        valid_max=100,
    ),
    Spec(
        "PM25",
        "PM2.5年均浓度",
        "微克/立方米",
        "green",
        NATURAL_RESOURCES,
        decimals=0,
        aliases=("细颗粒物年均浓度", "PM2.5浓度"),
        direction=LOWER,
        valid_min=0,
    ),
    Spec(
        "FOREST_COVER",
        "森林覆盖率",
        "%",
        "green",
        NATURAL_RESOURCES,
        decimals=1,
        valid_min=0,
        valid_max=100,
    ),
    # 共享
    Spec(
        "QINGBEI",
        "清华北大录取人数",
        "人",
        "sharing",
        EDUCATION,
        decimals=0,
        aliases=("清北录取人数", "清华、北大录取人数"),
        valid_min=0,
    ),
    # Enping's monthly cumulative figures (累计), with the 2024 targets
    Spec(
        "IND_VA_M",
        "规上工业增加值（月度累计）",
        "亿元",
        "economy",
        INDUSTRY,
        aliases=("规上工业增加值累计",),
        frequency=MONTHLY,
        value_kind=CUMULATIVE,
        valid_min=0,
        is_headline=True,
    ),
    Spec(
        "FAI_M",
        "固定资产投资（月度累计）",
        "亿元",
        "economy",
        DEVELOPMENT,
        aliases=("固定资产投资累计",),
        frequency=MONTHLY,
        value_kind=CUMULATIVE,
        valid_min=0,
        is_headline=True,
    ),
    Spec(
        "RETAIL_M",
        "社会消费品零售总额（月度累计）",
        "亿元",
        "economy",
        COMMERCE,
        aliases=("社会消费品零售总额累计",),
        frequency=MONTHLY,
        value_kind=CUMULATIVE,
        valid_min=0,
        is_headline=True,
    ),
    Spec(
        "REVENUE_M",
        "一般公共预算收入（月度累计）",
        "亿元",
        "economy",
        FINANCE,
        aliases=("一般公共预算收入累计",),
        frequency=MONTHLY,
        value_kind=CUMULATIVE,
        valid_min=0,
    ),
    Spec(
        "NEW_INVEST_M",
        "新招产业项目投资总额（月度累计）",
        "亿元",
        "openness",
        INVESTMENT,
        aliases=("新招产业项目投资总额累计",),
        frequency=MONTHLY,
        value_kind=CUMULATIVE,
        valid_min=0,
        is_headline=True,
    ),
)

SPECS = {spec.code: spec for spec in INDICATORS}

# Annual values, 2019–2024, per county unit. Illustrative except the cells listed in PUBLISHED.
Series = tuple[float, float, float, float, float, float]
AnnualTable = dict[str, Series]

ANNUAL_DATA: dict[str, AnnualTable] = {
    # 亿元. Published: 恩平 2021, 台山 2022–2023, 鹤山 2020 and 2023, 新会 2023. The rest is set
    # so that the seven add up to about Jiangmen's total (CITY_DATA) and Enping grows fastest
    # from 2022.
    "GDP": {
        PENGJIANG: (740.2, 748.1, 820.4, 868.3, 909.93, 938.1),
        JIANGHAI: (296.8, 300.4, 338.2, 357.5, 381.3, 396.9),
        XINHUI: (772.4, 790.5, 905.2, 958.5, 1011.25, 1048.7),
        TAISHAN: (433.6, 445.8, 502.3, 516.5, 547.4, 569.8),
        KAIPING: (352.5, 357.2, 397.8, 413.9, 432.5, 446.3),
        HESHAN: (361.2, 374.76, 445.0, 468.2, 502.87, 526.5),
        ENPING: (182.1, 186.3, 205.72, 218.4, 237.0, 250.2),
    },
    # %, comparable prices
    "GDP_GROWTH": {
        PENGJIANG: (5.2, 0.8, 8.1, 2.6, 4.6, 2.9),
        JIANGHAI: (6.5, 1.6, 9.0, 3.4, 5.9, 4.3),
        XINHUI: (4.6, 2.6, 9.8, 2.9, 5.2, 3.8),
        TAISHAN: (3.1, 2.9, 8.6, 1.2, 5.4, 4.4),
        KAIPING: (3.8, 1.3, 7.5, 1.9, 4.1, 3.0),
        HESHAN: (5.7, 3.9, 12.1, 3.6, 6.4, 5.1),
        ENPING: (3.3, 2.4, 7.2, 4.2, 7.8, 5.8),
    },
    # 亿元; Enping first above 200 in 2022
    "IND_OUTPUT": {
        PENGJIANG: (1320, 1298, 1486, 1532, 1571, 1604),
        JIANGHAI: (690, 702, 812, 846, 880, 915),
        XINHUI: (1120, 1156, 1342, 1408, 1485, 1540),
        TAISHAN: (520, 536, 612, 628, 660, 684),
        KAIPING: (470, 478, 548, 560, 578, 590),
        HESHAN: (720, 748, 872, 902, 958, 1001),
        ENPING: (148.6, 156.3, 178.5, 211.5, 243.8, 268.9),
    },
    "IND_OUTPUT_GROWTH": {
        PENGJIANG: (4.1, -2.1, 13.2, 2.1, 2.2, 1.8),
        JIANGHAI: (6.2, 1.2, 14.6, 3.0, 3.5, 3.6),
        XINHUI: (5.3, 2.5, 15.3, 3.8, 4.9, 3.2),
        TAISHAN: (3.5, 2.8, 12.8, 1.6, 4.2, 3.1),
        KAIPING: (2.9, 1.1, 13.1, 1.4, 2.6, 1.7),
        HESHAN: (6.8, 3.4, 15.9, 2.7, 5.6, 4.0),
        ENPING: (4.4, 4.6, 12.6, 16.9, 14.1, 9.6),
    },
    # 亿元; about 24 % of gross output
    "IND_VA": {
        PENGJIANG: (316.8, 311.5, 356.6, 367.7, 377.0, 385.0),
        JIANGHAI: (166.3, 169.2, 195.7, 203.9, 212.1, 220.5),
        XINHUI: (269.4, 278.0, 322.8, 338.6, 357.1, 370.4),
        TAISHAN: (124.3, 128.1, 146.3, 150.1, 157.7, 163.5),
        KAIPING: (112.6, 114.5, 131.2, 134.1, 138.4, 141.3),
        HESHAN: (172.7, 179.4, 209.1, 216.3, 229.7, 240.0),
        ENPING: (36.0, 37.9, 43.3, 51.3, 59.1, 65.2),
    },
    "IND_VA_GROWTH": {
        PENGJIANG: (3.8, -2.4, 12.1, 1.6, 1.9, 1.5),
        JIANGHAI: (6.0, 1.0, 13.5, 2.8, 3.2, 3.4),
        XINHUI: (5.1, 2.3, 14.0, 3.5, 4.6, 3.0),
        TAISHAN: (3.3, 2.5, 11.6, 1.1, 3.8, 2.9),
        KAIPING: (2.6, 0.8, 12.2, 0.9, 2.2, 1.4),
        HESHAN: (6.5, 3.1, 15.2, 2.4, 5.1, 3.8),
        ENPING: (4.1, 4.2, 11.8, 15.8, 13.2, 9.1),
    },
    # 亿元; 2024 falls everywhere, Enping most (its FAI_M is yellow at September)
    "FAI": {
        PENGJIANG: (420, 446, 478, 452, 431, 380),
        JIANGHAI: (240, 262, 285, 276, 268, 241),
        XINHUI: (410, 438, 476, 489, 470, 428),
        TAISHAN: (260, 281, 302, 296, 288, 262),
        KAIPING: (190, 204, 219, 208, 201, 184),
        HESHAN: (230, 251, 276, 285, 292, 270),
        ENPING: (82.5, 90.1, 96.3, 108.9, 121.6, 104.0),
    },
    "FAI_GROWTH": {
        PENGJIANG: (8.5, 6.2, 7.2, -5.4, -4.6, -11.8),
        JIANGHAI: (10.3, 9.0, 8.8, -3.2, -2.9, -10.1),
        XINHUI: (9.1, 6.8, 8.7, 2.7, -3.9, -8.9),
        TAISHAN: (6.6, 8.1, 7.5, -2.0, -2.7, -9.0),
        KAIPING: (7.2, 7.4, 7.4, -5.0, -3.4, -8.5),
        HESHAN: (11.4, 9.1, 10.0, 3.3, 2.5, -7.5),
        ENPING: (9.8, 9.2, 6.9, 13.1, 11.7, -14.5),
    },
    # 亿元; Enping first above 100 in 2023
    "RETAIL": {
        PENGJIANG: (420, 398, 446, 452, 478, 489),
        JIANGHAI: (95, 90, 101, 103, 109, 111),
        XINHUI: (280, 268, 298, 304, 322, 331),
        TAISHAN: (182, 172, 190, 194, 204, 209),
        KAIPING: (175, 166, 183, 186, 195, 199),
        HESHAN: (118, 112, 125, 128, 136, 140),
        ENPING: (82.4, 78.1, 86.9, 91.5, 101.3, 106.2),
    },
    "RETAIL_GROWTH": {
        PENGJIANG: (5.6, -5.2, 12.1, 1.3, 5.8, 2.3),
        JIANGHAI: (6.8, -5.3, 12.2, 2.0, 5.8, 1.8),
        XINHUI: (6.1, -4.3, 11.2, 2.0, 5.9, 2.8),
        TAISHAN: (5.4, -5.5, 10.5, 2.1, 5.2, 2.5),
        KAIPING: (5.2, -5.1, 10.2, 1.6, 4.8, 2.1),
        HESHAN: (6.5, -5.1, 11.6, 2.4, 6.2, 2.9),
        ENPING: (5.9, -5.2, 11.3, 5.3, 10.7, 4.8),
    },
    # 亿元; 2022 shrinks with the VAT credit refunds, except in Enping
    "REVENUE": {
        PENGJIANG: (52.6, 50.1, 56.8, 51.2, 54.0, 53.1),
        JIANGHAI: (24.3, 23.5, 26.6, 24.9, 26.0, 25.7),
        XINHUI: (48.9, 47.2, 53.6, 49.8, 52.9, 52.5),
        TAISHAN: (26.8, 25.6, 28.9, 27.1, 28.5, 28.0),
        KAIPING: (19.6, 18.7, 21.2, 19.8, 20.7, 20.4),
        HESHAN: (25.1, 24.4, 28.3, 26.7, 28.4, 28.6),
        ENPING: (10.6, 10.2, 11.4, 11.9, 12.8, 13.2),
    },
    "REVENUE_GROWTH": {
        PENGJIANG: (2.1, -4.8, 13.4, -9.9, 5.5, -1.7),
        JIANGHAI: (3.5, -3.3, 13.2, -6.4, 4.4, -1.2),
        XINHUI: (2.8, -3.5, 13.6, -7.1, 6.2, -0.8),
        TAISHAN: (1.9, -4.5, 12.9, -6.2, 5.2, -1.8),
        KAIPING: (1.6, -4.6, 13.4, -6.6, 4.5, -1.4),
        HESHAN: (4.2, -2.8, 16.0, -5.7, 6.4, 0.7),
        ENPING: (2.5, -3.8, 11.8, 4.4, 7.6, 3.1),
    },
    # 亿元; Enping first above 100 in 2022 and 200 in 2023
    "NEW_INVEST": {
        PENGJIANG: (280, 310, 352, 386, 412, 398),
        JIANGHAI: (190, 215, 246, 262, 285, 276),
        XINHUI: (260, 298, 340, 372, 405, 392),
        TAISHAN: (150, 176, 215, 228, 246, 238),
        KAIPING: (110, 128, 152, 168, 181, 172),
        HESHAN: (170, 198, 236, 255, 278, 270),
        ENPING: (48.6, 71.5, 82.7, 136.4, 208.6, 214.3),
    },
    "NEW_INVEST_GROWTH": {
        PENGJIANG: (8.2, 10.7, 13.5, 9.7, 6.7, -3.4),
        JIANGHAI: (11.5, 13.2, 14.4, 6.5, 8.8, -3.2),
        XINHUI: (9.6, 14.6, 14.1, 9.4, 8.9, -3.2),
        TAISHAN: (12.4, 17.3, 22.2, 6.0, 7.9, -3.3),
        KAIPING: (7.1, 16.4, 18.8, 10.5, 7.7, -5.0),
        HESHAN: (13.8, 16.5, 19.2, 8.1, 9.0, -2.9),
        ENPING: (10.3, 47.1, 15.7, 64.9, 52.9, 2.7),
    },
    # 亿元
    "TRADE": {
        PENGJIANG: (620, 598, 702, 688, 671, 702),
        JIANGHAI: (260, 255, 302, 296, 289, 301),
        XINHUI: (230, 226, 275, 281, 276, 289),
        TAISHAN: (120, 116, 138, 135, 131, 137),
        KAIPING: (135, 128, 155, 150, 146, 151),
        HESHAN: (210, 205, 248, 246, 240, 252),
        ENPING: (58.2, 54.6, 64.1, 64.9, 74.6, 80.2),
    },
    "TRADE_GROWTH": {
        PENGJIANG: (1.2, -3.5, 17.4, -2.0, -2.5, 4.6),
        JIANGHAI: (3.4, -1.9, 18.4, -2.0, -2.4, 4.2),
        XINHUI: (2.6, -1.7, 21.7, 2.2, -1.8, 4.7),
        TAISHAN: (-1.5, -3.3, 19.0, -2.2, -3.0, 4.6),
        KAIPING: (0.8, -5.2, 21.1, -3.2, -2.7, 3.4),
        HESHAN: (4.1, -2.4, 21.0, -0.8, -2.4, 5.0),
        ENPING: (2.9, -6.2, 17.4, 1.2, 14.9, 7.5),
    },
    # 元; 台山 grows fastest, Enping second
    "INCOME": {
        PENGJIANG: (44200, 45900, 49600, 51300, 53600, 55600),
        JIANGHAI: (41800, 43450, 47000, 48550, 50800, 52650),
        XINHUI: (38600, 40200, 43600, 45300, 47400, 49300),
        TAISHAN: (28900, 30400, 33300, 34950, 37150, 38950),
        KAIPING: (30100, 31500, 34200, 35700, 37400, 39000),
        HESHAN: (35500, 37000, 40100, 41700, 43800, 45500),
        ENPING: (24860, 26090, 28430, 29780, 31590, 33230),
    },
    "INCOME_GROWTH": {
        PENGJIANG: (8.2, 3.8, 8.1, 3.4, 4.5, 3.7),
        JIANGHAI: (8.3, 3.9, 8.2, 3.3, 4.6, 3.6),
        XINHUI: (8.6, 4.1, 8.5, 3.9, 4.6, 4.0),
        TAISHAN: (9.0, 5.2, 9.5, 5.0, 6.3, 4.8),
        KAIPING: (8.8, 4.7, 8.6, 4.4, 4.8, 4.3),
        HESHAN: (8.5, 4.2, 8.4, 4.0, 5.0, 3.9),
        ENPING: (8.9, 4.9, 9.0, 4.7, 6.1, 5.2),
    },
    # %
    "RD_INTENSITY": {
        PENGJIANG: (2.85, 2.96, 3.08, 3.15, 3.22, 3.30),
        JIANGHAI: (3.40, 3.52, 3.61, 3.70, 3.78, 3.85),
        XINHUI: (2.45, 2.58, 2.70, 2.76, 2.84, 2.90),
        TAISHAN: (1.35, 1.42, 1.50, 1.58, 1.66, 1.72),
        KAIPING: (1.80, 1.88, 1.95, 2.02, 2.08, 2.12),
        HESHAN: (2.60, 2.72, 2.85, 2.92, 3.01, 3.08),
        ENPING: (1.12, 1.25, 1.38, 1.56, 1.74, 1.86),
    },
    # 个
    "HIGH_TECH": {
        PENGJIANG: (520, 580, 640, 690, 735, 760),
        JIANGHAI: (380, 420, 465, 500, 532, 550),
        XINHUI: (410, 460, 515, 560, 598, 620),
        TAISHAN: (120, 138, 160, 178, 196, 205),
        KAIPING: (150, 170, 192, 210, 226, 235),
        HESHAN: (260, 295, 332, 362, 390, 405),
        ENPING: (62, 78, 95, 118, 141, 156),
    },
    # 个; Enping's first in 2023 (零的突破)
    "LITTLE_GIANT": {
        PENGJIANG: (3, 6, 10, 14, 18, 21),
        JIANGHAI: (2, 5, 8, 12, 15, 18),
        XINHUI: (2, 4, 7, 10, 13, 16),
        TAISHAN: (0, 1, 1, 2, 3, 4),
        KAIPING: (1, 1, 2, 3, 4, 5),
        HESHAN: (1, 3, 5, 7, 9, 11),
        ENPING: (0, 0, 0, 0, 1, 2),
    },
    # 个; Enping's first in 2023 (零的突破)
    "KEY_LAB": {
        PENGJIANG: (6, 6, 7, 8, 8, 9),
        JIANGHAI: (3, 3, 4, 4, 5, 5),
        XINHUI: (2, 2, 3, 3, 4, 4),
        TAISHAN: (0, 0, 1, 1, 1, 1),
        KAIPING: (0, 1, 1, 1, 1, 2),
        HESHAN: (1, 1, 2, 2, 3, 3),
        ENPING: (0, 0, 0, 0, 1, 1),
    },
    # %; Enping best from 2022 (台山 in 2019–2021)
    "AIR_QUALITY": {
        PENGJIANG: (86.3, 92.1, 89.0, 84.1, 88.5, 90.2),
        JIANGHAI: (85.8, 91.5, 88.5, 83.6, 88.0, 89.6),
        XINHUI: (87.1, 93.0, 89.6, 85.2, 89.3, 91.0),
        TAISHAN: (93.6, 96.4, 95.1, 91.5, 94.2, 95.6),
        KAIPING: (90.4, 95.1, 93.2, 90.1, 93.0, 94.3),
        HESHAN: (88.2, 94.0, 91.0, 87.4, 91.2, 92.8),
        ENPING: (93.4, 96.2, 94.5, 93.2, 96.4, 97.5),
    },
    # 微克/立方米, lower is better; Enping shares the best with 台山 in 2023
    "PM25": {
        PENGJIANG: (30, 23, 24, 22, 23, 21),
        JIANGHAI: (31, 24, 25, 23, 24, 22),
        XINHUI: (29, 22, 23, 21, 22, 20),
        TAISHAN: (23, 18, 19, 18, 18, 17),
        KAIPING: (26, 20, 21, 19, 20, 18),
        HESHAN: (28, 21, 22, 20, 21, 19),
        ENPING: (24, 19, 20, 19, 18, 16),
    },
    # %; Enping the most wooded of the seven
    "FOREST_COVER": {
        PENGJIANG: (24.8, 24.9, 25.0, 25.1, 25.2, 25.3),
        JIANGHAI: (12.5, 12.6, 12.6, 12.7, 12.8, 12.8),
        XINHUI: (35.2, 35.3, 35.4, 35.5, 35.6, 35.7),
        TAISHAN: (52.6, 52.7, 52.8, 52.9, 53.0, 53.1),
        KAIPING: (48.1, 48.2, 48.3, 48.4, 48.5, 48.6),
        HESHAN: (51.3, 51.4, 51.5, 51.6, 51.7, 51.8),
        ENPING: (56.2, 56.3, 56.5, 56.6, 56.8, 56.9),
    },
    # 人; Enping's first admissions in 16 years come in 2023 (零的突破)
    "QINGBEI": {
        PENGJIANG: (12, 14, 11, 15, 13, 16),
        JIANGHAI: (1, 1, 2, 1, 1, 2),
        XINHUI: (5, 6, 4, 7, 6, 8),
        TAISHAN: (3, 2, 4, 3, 5, 4),
        KAIPING: (2, 3, 2, 3, 2, 3),
        HESHAN: (1, 2, 1, 2, 2, 1),
        ENPING: (0, 0, 0, 0, 2, 1),
    },
}

# 江门市 as a whole: published only (亿元).
CITY_DATA: dict[str, dict[int, float]] = {
    "GDP": {2019: 3146.64, 2020: 3200.95, 2023: 4022.25},
}

# The published cells, with the publication each comes from. The figures are those cited in
# issue 3; each is attributed to the statistical bulletin (统计公报) in which a county's or a
# city's annual GDP is published.
PUBLISHED: dict[tuple[str, str, int], str] = {
    ("GDP", ENPING, 2021): "《恩平市2021年国民经济和社会发展统计公报》",
    ("GDP", TAISHAN, 2022): "《台山市2022年国民经济和社会发展统计公报》",
    ("GDP", TAISHAN, 2023): "《台山市2023年国民经济和社会发展统计公报》",
    ("GDP", HESHAN, 2020): "《鹤山市2020年国民经济和社会发展统计公报》",
    ("GDP", HESHAN, 2023): "《鹤山市2023年国民经济和社会发展统计公报》",
    ("GDP", XINHUI, 2023): "《江门市新会区2023年国民经济和社会发展统计公报》",
    ("GDP", JIANGMEN, 2019): "《江门市2019年国民经济和社会发展统计公报》",
    ("GDP", JIANGMEN, 2020): "《江门市2020年国民经济和社会发展统计公报》",
    ("GDP", JIANGMEN, 2023): "《江门市2023年国民经济和社会发展统计公报》",
}

# Enping's 2024 monthly cumulative figures, January to September: (value 亿元, reported
# cumulative growth on the same months of 2023, %).
MONTHLY_DATA: dict[str, tuple[tuple[float, float], ...]] = {
    "IND_VA_M": (
        (4.9, 12.5),
        (9.3, 11.8),
        (14.6, 11.2),
        (19.8, 10.9),
        (25.1, 10.6),
        (30.9, 10.4),
        (36.6, 10.2),
        (42.4, 10.1),
        (48.6, 10.0),
    ),
    "FAI_M": (
        (5.6, -8.2),
        (11.9, -9.5),
        (20.3, -10.8),
        (28.1, -11.6),
        (36.4, -12.4),
        (46.2, -12.9),
        (54.0, -13.5),
        (62.9, -14.1),
        (72.8, -14.6),
    ),
    "RETAIL_M": (
        (9.4, 5.6),
        (17.6, 5.2),
        (26.2, 5.0),
        (34.5, 4.9),
        (43.1, 4.9),
        (52.0, 4.8),
        (60.6, 4.8),
        (69.4, 4.7),
        (78.9, 4.7),
    ),
    "REVENUE_M": (
        (1.32, 4.2),
        (2.21, 3.9),
        (3.35, 3.6),
        (4.60, 3.5),
        (5.62, 3.4),
        (6.95, 3.3),
        (8.02, 3.2),
        (9.21, 3.1),
        (10.45, 3.1),
    ),
    # signings come in lumps, and most of the year's at the year-end signing ceremony
    "NEW_INVEST_M": (
        (6.2, -8.4),
        (11.5, -10.2),
        (25.8, 3.5),
        (32.4, -5.6),
        (41.0, -9.8),
        (58.7, -4.1),
        (66.3, -7.3),
        (79.8, -6.5),
        (92.4, -5.2),
    ),
}

# Enping's 2024 targets (levels, 亿元) and where September leaves each against time progress.
TARGETS_2024: dict[str, tuple[float, str]] = {
    "IND_VA_M": (65.0, "比上年增长10%左右"),  # 48.6 of 65.0: 74.8 %, green
    "FAI_M": (131.0, "比上年增长8%左右"),  # 72.8 of 131.0: 55.6 %, 19.4 points behind: yellow
    "RETAIL_M": (108.4, "比上年增长7%"),  # 78.9 of 108.4: 72.8 %, green
    "REVENUE_M": (13.6, "比上年增长6%左右"),  # 10.45 of 13.6: 76.8 %, green
    "NEW_INVEST_M": (260.0, "全年新招产业项目投资总额260亿元"),  # 92.4 of 260: 35.5 %: red
}


@dataclass(frozen=True)
class Row:
    """One observation to load."""

    indicator: str
    region: str
    period: str
    value: Decimal
    growth_rate: Decimal | None
    source: str
    is_illustrative: bool

    @property
    def year(self) -> int:
        return int(self.period[:4])


def number(value: float) -> Decimal:
    """The value as written in this file (no binary-float noise)."""
    return Decimal(str(value))


def growth_indicator_of(level_code: str) -> str | None:
    return next((s.code for s in INDICATORS if s.growth_of == level_code), None)


def observation_rows() -> Iterator[Row]:
    """Every observation of the demo, annual ones first."""
    for code, table in ANNUAL_DATA.items():
        growth_code = growth_indicator_of(code)
        for region, values in table.items():
            for year, value in zip(YEARS, values, strict=True):
                yield _annual_row(code, region, year, value, growth_code)
    for code, by_year in CITY_DATA.items():
        for year, value in by_year.items():
            yield _annual_row(code, JIANGMEN, year, value, None)
    for code, months in MONTHLY_DATA.items():
        for month, (value, growth) in enumerate(months, start=1):
            yield Row(
                indicator=code,
                region=ENPING,
                period=f"2024-{month:02d}",
                value=number(value),
                growth_rate=number(growth),
                source=ILLUSTRATIVE_SOURCE,
                is_illustrative=True,
            )


def _annual_row(code: str, region: str, year: int, value: float, growth_code: str | None) -> Row:
    source = PUBLISHED.get((code, region, year))
    growth = None
    # a published figure carries only what was published with it: no illustrative growth rate
    if source is None and growth_code is not None:
        growth = number(ANNUAL_DATA[growth_code][region][YEARS.index(year)])
    return Row(
        indicator=code,
        region=region,
        period=str(year),
        value=number(value),
        growth_rate=growth,
        source=source or ILLUSTRATIVE_SOURCE,
        is_illustrative=source is None,
    )
