"""The enterprise-service demo data: enterprises with their service managers ("一号到N号服务员"),
requests (诉求) in every state of the loop, and the 2024 holiday calendar.

Plain data, no Django: `jinwei.enterprises.demo` plays it through the registry and request
services. Published: the name 江门市浩明电子有限公司 (Jiangmen Daily, 20 Feb 2024;
`/work/shared/seed/`) and the 2024 public holidays with their make-up working days
(国务院办公厅关于2024年部分节假日安排的通知, 国办发明电〔2023〕7号). Everything else is
illustrative and stored with `is_illustrative=True`:
the other enterprises (named 示例·…), every unified social credit code (built from Enping's
administrative code and a running number, with a valid check character, so none is a real
company's), sizes, contacts, managers and requests. The enterprises fill the 数控机床 chain
unevenly, so its page shows empty links (数控系统, 电主轴) and thin ones.

Request dates are days relative to the day the demo is loaded, so deadlines fall around today.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from jinwei.lib.credit_code import check_character
from jinwei.projects.demo_data import (
    ACOUSTICS,
    AUTO_PARTS,
    BATTERIES,
    CASTINGS,
    CATHODE,
    CERAMIC_INK,
    CNC,
    DOSHINE_PARK,
    ELECTRONICS,
    INDUSTRY_LEADER,
    LATHES,
    MACHINING_CENTRES,
    MOULDS,
    NEW_MATERIALS,
    ROBOTS,
    SCREWS,
    SMART_AUDIO,
    SMART_EQUIPMENT,
    SMART_PARK,
    STAGE_LIGHTING,
    TOOLS,
    VALLEY,
    ZHONGSHAN_PARK,
    Days,
)

ENPING_CODE = "440785"

# units the requests are assigned to
RESOURCES = "自然资源局"
DATA = "政务服务数据管理局"
FINANCE = "财政局"
LABOUR = "人力资源和社会保障局"
HOUSING = "住房和城乡建设局"
INDUSTRY = "工业和信息化局"
MARKET = "市场监督管理局"
ENCHENG, HENGPI, SHENGTANG, SHAHU = "恩城街道", "横陂镇", "圣堂镇", "沙湖镇"

LARGE, MEDIUM, SMALL, MICRO = "large", "medium", "small", "micro"

# service managers: a person by login (the foundation's accounts, the tasks demo's deputy mayor)
# or whoever acts for a unit (its staff)
INVESTMENT_STAFF = ("user", "investment")
INDUSTRY_STAFF = ("unit", INDUSTRY)
VICE_MAYOR = ("user", INDUSTRY_LEADER)


def credit_code(serial: int) -> str:
    """An illustrative unified social credit code: 91 (an enterprise registered with the market
    regulator), Enping's code, a running number as the organisation code, the check character."""
    first17 = f"91{ENPING_CODE}{serial:09d}"
    return first17 + check_character(first17)


@dataclass(frozen=True)
class EnterpriseSpec:
    serial: int
    name: str
    size: str
    industry: str
    town: str
    link: tuple[str, str] | None = None
    park: str = ""
    is_above_scale: bool = False
    address: str = ""
    contact: tuple[str, str] = ("", "")  # name, phone

    @property
    def credit_code(self) -> str:
        return credit_code(self.serial)

    @property
    def managers(self) -> tuple[tuple[tuple[str, str], str], ...]:
        """The chain of service managers ((kind, who), duty): 一号服务员 the deputy mayor in
        charge of industry for the large and above-scale firms, then investment staff, the
        industry bureau and the town."""
        chain = [
            (INVESTMENT_STAFF, "投资促进局招商专员"),
            (INDUSTRY_STAFF, "工业和信息化局联络员"),
            (("unit", self.town), "属地镇街联络员"),
        ]
        if self.size == LARGE or self.is_above_scale:
            chain.insert(0, (VICE_MAYOR, "挂点市领导"))
        return tuple(chain)


def _contact(serial: int) -> tuple[str, str]:
    """Illustrative contact details: a 示例 name and a zero number."""
    return (f"示例·经理{serial:02d}", f"0750-000{serial + 100:04d}")


HAOMING = "江门市浩明电子有限公司"

ENTERPRISES: tuple[EnterpriseSpec, ...] = (
    EnterpriseSpec(
        1,
        HAOMING,
        LARGE,
        "演艺灯光设备制造",
        ENCHENG,
        (ELECTRONICS, STAGE_LIGHTING),
        is_above_scale=True,
        contact=_contact(1),
    ),
    EnterpriseSpec(
        2,
        "正旭新能源",
        MEDIUM,
        "新能源电池",
        SHENGTANG,
        (NEW_MATERIALS, BATTERIES),
        is_above_scale=True,
        contact=_contact(2),
    ),
    # the 数控机床 chain: castings 2, tools 2 of 3, screws 1, lathes 2, machining centres 1,
    # auto parts 2, moulds 1; 数控系统 and 电主轴 empty
    EnterpriseSpec(
        3,
        "示例·锦江精铸机械有限公司",
        MEDIUM,
        "机床铸件",
        SHAHU,
        (CNC, CASTINGS),
        SMART_PARK,
        is_above_scale=True,
        contact=_contact(3),
    ),
    EnterpriseSpec(
        4, "示例·恩平铸造有限公司", SMALL, "铸件", SHAHU, (CNC, CASTINGS), contact=_contact(4)
    ),
    EnterpriseSpec(5, "示例·利刃刀具有限公司", SMALL, "数控刀具", SHAHU, (CNC, TOOLS), SMART_PARK),
    EnterpriseSpec(6, "示例·精夹工装有限公司", MICRO, "机床夹具", ENCHENG, (CNC, TOOLS)),
    EnterpriseSpec(
        7, "示例·精密传动科技有限公司", SMALL, "丝杠导轨", SHAHU, (CNC, SCREWS), SMART_PARK
    ),
    EnterpriseSpec(
        8,
        "示例·精工数控机床（恩平）有限公司",
        LARGE,
        "数控车床",
        SHAHU,
        (CNC, LATHES),
        SMART_PARK,
        is_above_scale=True,
        contact=_contact(8),
    ),
    EnterpriseSpec(9, "示例·恩平机床厂有限公司", MEDIUM, "数控车床", HENGPI, (CNC, LATHES)),
    EnterpriseSpec(10, "示例·立达机械有限公司", SMALL, "加工中心", SHAHU, (CNC, MACHINING_CENTRES)),
    EnterpriseSpec(
        11,
        "示例·恒通汽车零部件有限公司",
        MEDIUM,
        "汽车零部件",
        HENGPI,
        (CNC, AUTO_PARTS),
        is_above_scale=True,
    ),
    EnterpriseSpec(12, "示例·锦城精密部件有限公司", SMALL, "精密加工", ENCHENG, (CNC, AUTO_PARTS)),
    EnterpriseSpec(13, "示例·恩州模具有限公司", SMALL, "模具", HENGPI, (CNC, MOULDS)),
    # the other chains
    EnterpriseSpec(
        14,
        "示例·新能材料科技有限公司",
        LARGE,
        "锂电正极材料",
        SHENGTANG,
        (NEW_MATERIALS, CATHODE),
        DOSHINE_PARK,
        is_above_scale=True,
        contact=_contact(14),
    ),
    EnterpriseSpec(
        15,
        "示例·彩釉新材料有限公司",
        MEDIUM,
        "陶瓷墨水",
        SHENGTANG,
        (NEW_MATERIALS, CERAMIC_INK),
        DOSHINE_PARK,
    ),
    EnterpriseSpec(
        16,
        "示例·声悦电子有限公司",
        MEDIUM,
        "麦克风",
        ENCHENG,
        (ELECTRONICS, ACOUSTICS),
        VALLEY,
        is_above_scale=True,
    ),
    EnterpriseSpec(
        17, "示例·金声电声器材有限公司", SMALL, "扬声器", ENCHENG, (ELECTRONICS, ACOUSTICS)
    ),
    EnterpriseSpec(
        18,
        "示例·南头智能家电有限公司",
        MEDIUM,
        "智能小家电",
        HENGPI,
        (ELECTRONICS, SMART_AUDIO),
        ZHONGSHAN_PARK,
    ),
    EnterpriseSpec(
        19, "示例·智机机器人有限公司", SMALL, "工业机器人", SHAHU, (SMART_EQUIPMENT, ROBOTS)
    ),
    EnterpriseSpec(20, "示例·恩平食品有限公司", SMALL, "食品加工", HENGPI),
)

# --- requests -----------------------------------------------------------------------------------

LAND, APPROVAL, FINANCE_CAT, LABOUR_CAT = "land", "approval", "finance", "labour"
UTILITIES, POLICY, MARKET_CAT, OTHER = "utilities", "policy", "market", "other"


@dataclass(frozen=True)
class RequestSpec:
    """A request and how far it has gone: assigned to a unit, answered, resolved, rated."""

    enterprise: str
    category: str
    title: str
    received: Days
    description: str = ""
    assigned: tuple[str, Days] | None = None  # (unit, day)
    responded: tuple[Days, str] | None = None  # (day, response)
    resolved: tuple[Days, str] | None = None  # (day, resolution)
    rated: tuple[int, str] | None = None  # (satisfaction 1–5, comment)

    @property
    def state(self) -> str:
        if self.rated:
            return "rated"
        if self.resolved:
            return "resolved"
        if self.responded:
            return "responded"
        return "assigned" if self.assigned else "unassigned"


REQUESTS: tuple[RequestSpec, ...] = (
    # unassigned: waiting for the service centre to hand them out
    RequestSpec(
        "示例·利刃刀具有限公司",
        FINANCE_CAT,
        "申请技改设备贷款贴息",
        Days(-1),
        "企业计划购置五轴磨床，希望了解技改贷款贴息政策并协助对接银行。",
    ),
    RequestSpec(
        "示例·恩平食品有限公司",
        OTHER,
        "厂区门前道路积水",
        Days(-2),
        "雨天厂区门前道路积水严重，影响货车进出。",
    ),
    # assigned, not answered yet (one past its response deadline)
    RequestSpec(
        "示例·精工数控机床（恩平）有限公司",
        LABOUR_CAT,
        "招聘数控技工50名",
        Days(-1),
        "二期投产在即，急需数控车工、装配钳工。",
        assigned=(LABOUR, Days(-1)),
    ),
    RequestSpec(
        "示例·声悦电子有限公司",
        UTILITIES,
        "新厂房用电增容",
        Days(-3),
        "新生产线投产需增加变压器容量。",
        assigned=(INDUSTRY, Days(-2)),
    ),
    RequestSpec(
        "示例·锦江精铸机械有限公司",
        APPROVAL,
        "环评批复办理进度",
        Days(-12),
        "扩建项目环评报告已提交，询问批复时间。",
        assigned=(DATA, Days(-11)),
    ),
    # answered, not resolved yet (one past its resolution deadline)
    RequestSpec(
        "示例·新能材料科技有限公司",
        LAND,
        "二期项目用地报批",
        Days(-30),
        "二期项目需新增用地约80亩，请协助加快用地报批。",
        assigned=(RESOURCES, Days(-29)),
        responded=(Days(-28), "已纳入年度用地计划，正在组卷报批。"),
    ),
    RequestSpec(
        "示例·恒通汽车零部件有限公司",
        MARKET_CAT,
        "对接本地整机企业配套",
        Days(-6),
        "希望与本地数控机床整机企业建立配套关系。",
        assigned=(INDUSTRY, Days(-6)),
        responded=(Days(-5), "已联系精工数控机床，拟组织供需对接会。"),
    ),
    # resolved, waiting for the enterprise's rating
    RequestSpec(
        "示例·南头智能家电有限公司",
        POLICY,
        "产业转移奖补申报",
        Days(-25),
        "咨询中山(恩平)智能家电产业园产业转移奖补申报条件。",
        assigned=(INDUSTRY, Days(-24)),
        responded=(Days(-23), "已发送政策文件并安排专人辅导申报。"),
        resolved=(Days(-10), "企业已完成申报，奖补资金进入审核。"),
    ),
    RequestSpec(
        "示例·声悦电子有限公司",
        LABOUR_CAT,
        "员工子女入学",
        Days(-40),
        "外地技术骨干子女申请在恩城街道就近入学。",
        assigned=(ENCHENG, Days(-40)),
        responded=(Days(-39), "已与教育局对接学位。"),
        resolved=(Days(-20), "三名子女已落实学位。"),
    ),
    # resolved and rated
    RequestSpec(
        HAOMING,
        UTILITIES,
        "满负荷生产用电保障",
        Days(-60),
        "投产后满负荷生产，需保障用电稳定。",
        assigned=(INDUSTRY, Days(-60)),
        responded=(Days(-59), "已协调供电部门现场踏勘。"),
        resolved=(Days(-50), "专线改造完成，供电稳定。"),
        rated=(5, "响应迅速，“恩为您”服务很贴心。"),
    ),
    RequestSpec(
        "示例·锦江精铸机械有限公司",
        APPROVAL,
        "施工许可办理",
        Days(-90),
        "扩建厂房施工许可申请。",
        assigned=(HOUSING, Days(-89)),
        responded=(Days(-87), "已受理，指导补正材料。"),
        resolved=(Days(-70), "施工许可证已核发。"),
        rated=(4, "办理顺利，材料补正次数可再减少。"),
    ),
    RequestSpec(
        "示例·恩平机床厂有限公司",
        MARKET_CAT,
        "产品质量检测",
        Days(-75),
        "出口订单需第三方检测报告。",
        assigned=(MARKET, Days(-74)),
        responded=(Days(-68), "已联系江门检测机构。"),
        resolved=(Days(-45), "检测报告已出具。"),
        rated=(2, "等待时间较长，影响交货。"),
    ),
)

# --- the holiday calendar -----------------------------------------------------------------------

CALENDAR_SOURCE = "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）"


def _days(
    name: str, holidays: tuple[str, ...], workdays: tuple[str, ...] = ()
) -> list[tuple[datetime.date, bool, str]]:
    """The weekdays off and the weekend days worked (调休) of one holiday, as calendar rows."""
    rows = [(datetime.date.fromisoformat(day), False, name) for day in holidays]
    rows += [(datetime.date.fromisoformat(day), True, f"{name}调休上班") for day in workdays]
    return rows


# Only the exceptions to the Monday-to-Friday week: weekdays off, weekend days worked.
CALENDAR_2024: tuple[tuple[datetime.date, bool, str], ...] = tuple(
    sorted(
        _days("元旦", ("2024-01-01",))
        + _days(
            "春节",
            ("2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15", "2024-02-16"),
            ("2024-02-04", "2024-02-18"),
        )
        + _days("清明节", ("2024-04-04", "2024-04-05"), ("2024-04-07",))
        + _days("劳动节", ("2024-05-01", "2024-05-02", "2024-05-03"), ("2024-04-28", "2024-05-11"))
        + _days("端午节", ("2024-06-10",))
        + _days("中秋节", ("2024-09-16", "2024-09-17"), ("2024-09-14",))
        + _days(
            "国庆节",
            ("2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-07"),
            ("2024-09-29", "2024-10-12"),
        )
    )
)
