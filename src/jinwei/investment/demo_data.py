"""The investment-promotion demo data: Enping's leads pipeline and two benefit-sharing agreements.

Plain data, no Django: `jinwei.investment.demo` plays it through the pipeline and benefit-sharing
services. Published (Jiangmen Daily, 20 Feb 2024; `/work/shared/seed/`):
- 恩大组团 and 正旭新能源 contacted Enping by themselves, having learnt of its business
  environment, and settled there;
- the Spring-Festival visits to returning entrepreneurs;
- 数控机床产业链招商 and the 异地招商利益分享机制;
- the pairing of 中山市南头镇 with Enping for 中山(恩平)智能家电产业园, and of 蓬江/江海
  with Enping for 江门水都产业园.
Everything else — the other companies (named 示例·…), amounts, dates, contacts, shares and
figures — is illustrative and stored with `is_illustrative=True`; contact details use reserved
example addresses and zero numbers.

Dates are relative to the day the demo is loaded (`Days`, `Rel`), except the two published
leads, which settled before the article.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from jinwei.projects.demo_data import (
    ACOUSTICS,
    ARTICLE,
    BATTERIES,
    CASTINGS,
    CATHODE,
    CNC,
    CNC_SYSTEM,
    COMPONENTS,
    DOSHINE_PARK,
    ELECTRONICS,
    INDUSTRIAL,
    INDUSTRY_LEADER,
    INVESTMENT,
    MACHINING_CENTRES,
    NEW_MATERIALS,
    SMART_AUDIO,
    SMART_EQUIPMENT,
    SMART_PARK,
    SPECIAL_EQUIPMENT,
    SPINDLES,
    STAGE_LIGHTING,
    UNDER_CONSTRUCTION,
    ZHONGSHAN_PARK,
    Days,
    Rel,
    Reports,
    When,
)

COMMERCE = "商务局"
HENGPI = "横陂镇"
OWNER = "investment"  # the foundation's investment staff account (示例·刘招商)

CLUE, CONTACT, VISIT, NEGOTIATION = "clue", "contact", "visit", "negotiation"
SIGNED, REGISTERED, LANDED = "signed", "registered", "landed"
STARTED, COMPLETED, IN_PRODUCTION = "started", "completed", "in_production"

COMPATRIOTS, REFERRAL, REMOTE = "compatriots", "referral", "remote"
FAIR, SPRING_FESTIVAL, SELF, OTHER = "fair", "spring_festival", "self", "other"

VISIT_LOG, CALL, MEETING, MESSAGE, EVENT = "visit", "call", "meeting", "message", "event"

SPRING_VISITS = "春节期间走访返恩过年的企业家、知名人士，推介投资环境和优惠政策"


@dataclass(frozen=True)
class Signing:
    """The project a lead becomes when it is signed, and what happens to it afterwards."""

    code: str
    signed_investment: Decimal
    lead_unit: str = INVESTMENT
    kind: str = INDUSTRIAL
    park: str = ""
    leader: str = INDUSTRY_LEADER
    planned_start: When | None = None
    planned_completion: When | None = None
    planned_production: When | None = None
    stages: tuple[tuple[str, When], ...] = ()  # project stages reached after signing
    reports: Reports | None = None


class Contact(NamedTuple):
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class LeadSpec:
    company: str
    project_name: str
    industry: str
    source: str
    intended_investment: Decimal
    stages: tuple[tuple[str, When], ...]  # the first is where it enters the pipeline
    source_detail: str = ""
    link: tuple[str, str] | None = None
    owner_unit: str = INVESTMENT
    owner: str = OWNER
    next_action: str = ""
    next_action_on: When | None = None
    contact: Contact | None = None
    contacts: tuple[tuple[When, str, str], ...] = ()  # (day, kind, summary)
    signing: Signing | None = None
    dropped: tuple[When, str] | None = None
    notes: str = "示例数据（非公开发布数据）。"
    is_illustrative: bool = True

    @property
    def stage(self) -> str:
        return self.stages[-1][0]


def contact(number: int) -> Contact:
    """Illustrative contact details: a 示例 name, a zero number, a reserved example address."""
    return Contact(
        f"示例·联系人{number:02d}", f"0750-000{number:04d}", f"lead{number:02d}@example.com"
    )


ENDA = "恩大组团"
ZHENGXU = "正旭新能源"
CAME_BY_ITSELF = f"了解到恩平良好的营商环境后主动联系并落户恩平（{ARTICLE}）"

LEADS: tuple[LeadSpec, ...] = (
    LeadSpec(
        ENDA,
        "恩大组团落户项目",
        "制造业",
        SELF,
        Decimal("50000"),
        (
            (CLUE, datetime.date(2023, 5, 8)),
            (CONTACT, datetime.date(2023, 5, 12)),
            (VISIT, datetime.date(2023, 5, 26)),
            (NEGOTIATION, datetime.date(2023, 6, 20)),
            (SIGNED, datetime.date(2023, 8, 18)),
            (REGISTERED, datetime.date(2023, 9, 15)),
            (LANDED, datetime.date(2023, 11, 20)),
        ),
        source_detail=CAME_BY_ITSELF,
        link=(SMART_EQUIPMENT, SPECIAL_EQUIPMENT),
        contacts=(
            (datetime.date(2023, 5, 8), CALL, "企业主动来电咨询投资环境和用地条件。（示例）"),
            (datetime.date(2023, 5, 26), VISIT_LOG, "陪同企业考察智能装备特色产业园。（示例）"),
        ),
        signing=Signing(
            "ZS-01",
            Decimal("50000"),
            planned_start=datetime.date(2024, 1, 1),
            planned_completion=Rel(-2, 28),
            planned_production=Rel(1, 1),
            stages=(
                (STARTED, datetime.date(2024, 1, 10)),
                (UNDER_CONSTRUCTION, datetime.date(2024, 2, 1)),
                (COMPLETED, Rel(-3, 10)),
            ),
        ),
        notes=f"落户恩平为公开报道内容（{ARTICLE}）；投资额、日期、联系记录为示例数据。",
        contact=contact(1),
    ),
    LeadSpec(
        ZHENGXU,
        "正旭新能源项目",
        "新能源",
        SELF,
        Decimal("35000"),
        (
            (CLUE, datetime.date(2023, 3, 6)),
            (CONTACT, datetime.date(2023, 3, 9)),
            (VISIT, datetime.date(2023, 3, 30)),
            (NEGOTIATION, datetime.date(2023, 5, 10)),
            (SIGNED, datetime.date(2023, 7, 6)),
            (REGISTERED, datetime.date(2023, 8, 2)),
            (LANDED, datetime.date(2023, 10, 16)),
        ),
        source_detail=CAME_BY_ITSELF,
        link=(NEW_MATERIALS, BATTERIES),
        contacts=(
            (datetime.date(2023, 3, 6), MESSAGE, "企业主动发函表达投资意向。（示例）"),
            (datetime.date(2023, 5, 10), MEETING, "商谈供地方式和扶持政策。（示例）"),
        ),
        signing=Signing(
            "ZS-02",
            Decimal("35000"),
            planned_start=datetime.date(2023, 11, 1),
            planned_completion=Rel(-10, 28),
            planned_production=Rel(-8, 1),
            stages=(
                (STARTED, datetime.date(2023, 11, 8)),
                (UNDER_CONSTRUCTION, datetime.date(2023, 12, 1)),
                (COMPLETED, Rel(-9, 12)),
                (IN_PRODUCTION, Rel(-7, 20)),
            ),
        ),
        notes=f"落户恩平为公开报道内容（{ARTICLE}）；投资额、日期、联系记录为示例数据。",
        contact=contact(2),
    ),
    # Spring-Festival visits to returning entrepreneurs
    LeadSpec(
        "示例·恒声电子有限公司",
        "示例·电声配套元件项目",
        "电声器件",
        SPRING_FESTIVAL,
        Decimal("8000"),
        ((CLUE, Days(-285)), (CONTACT, Days(-270))),
        source_detail=SPRING_VISITS,
        link=(ELECTRONICS, ACOUSTICS),
        next_action="安排企业赴珠西科创智谷考察",
        next_action_on=Days(7),
        contacts=(
            (Days(-285), VISIT_LOG, "春节走访返乡企业家，推介电声产业配套政策。"),
            (Days(-120), CALL, "电话回访，企业表示年内确定选址。"),
        ),
        contact=contact(3),
    ),
    LeadSpec(
        "示例·锦江智能装备有限公司",
        "示例·智能专用设备生产项目",
        "智能装备",
        SPRING_FESTIVAL,
        Decimal("20000"),
        ((CLUE, Days(-285)), (CONTACT, Days(-250)), (VISIT, Days(-40))),
        source_detail=SPRING_VISITS,
        link=(SMART_EQUIPMENT, SPECIAL_EQUIPMENT),
        next_action="提供智能装备特色产业园地块方案",
        next_action_on=Days(-3),  # overdue: the board shows it
        contacts=((Days(-40), VISIT_LOG, "陪同企业考察智能装备特色产业园首期标准厂房。"),),
        contact=contact(4),
    ),
    LeadSpec(
        "示例·恩州精密五金有限公司",
        "示例·精密五金扩产项目",
        "五金制品",
        SPRING_FESTIVAL,
        Decimal("12000"),
        ((CLUE, Days(-286)), (CONTACT, Days(-260)), (VISIT, Days(-200)), (NEGOTIATION, Days(-90))),
        source_detail=SPRING_VISITS,
        link=(CNC, CASTINGS),
        next_action="商谈用地价格和投产时间",
        next_action_on=Days(10),
        contact=contact(5),
    ),
    # local and overseas compatriots (乡贤、侨胞)
    LeadSpec(
        "示例·侨兴电子（香港）有限公司",
        "示例·电子元器件生产项目",
        "电子元器件",
        COMPATRIOTS,
        Decimal("15000"),
        ((CLUE, Days(-12)),),
        source_detail="恩平籍海外侨胞经华侨华人联谊会推介",
        link=(ELECTRONICS, COMPONENTS),
        next_action="电话联系了解投资意向",
        next_action_on=Days(3),
        contact=contact(6),
    ),
    LeadSpec(
        "示例·澳门乡贤投资有限公司",
        "示例·锂电正极材料配套项目",
        "新材料",
        COMPATRIOTS,
        Decimal("40000"),
        (
            (CLUE, Days(-200)),
            (CONTACT, Days(-180)),
            (VISIT, Days(-150)),
            (NEGOTIATION, Days(-100)),
            (SIGNED, Days(-30)),
        ),
        source_detail="乡贤回乡投资，市委、市政府“家书”推介",
        link=(NEW_MATERIALS, CATHODE),
        next_action="协助办理工商注册",
        next_action_on=Days(5),
        contacts=(
            (Days(-150), VISIT_LOG, "陪同考察道氏新材料产业园。"),
            (Days(-30), MEETING, "举行签约仪式。"),
        ),
        signing=Signing(
            "ZS-03",
            Decimal("40000"),
            park=DOSHINE_PARK,
            planned_start=Rel(3, 1),
            planned_completion=Rel(21, 1),
        ),
        contact=contact(7),
    ),
    # referrals by investors (以商引商)
    LeadSpec(
        "示例·光影结构件有限公司",
        "示例·演艺灯光配套结构件项目",
        "演艺灯光",
        REFERRAL,
        Decimal("6000"),
        ((CLUE, Days(-95)), (CONTACT, Days(-80)), (VISIT, Days(-25))),
        source_detail="江门市浩明电子有限公司引荐的配套企业",
        link=(ELECTRONICS, STAGE_LIGHTING),
        next_action="洽谈厂房租赁条件",
        next_action_on=Days(12),
        contact=contact(8),
    ),
    LeadSpec(
        "示例·循环材料科技有限公司",
        "示例·锂电材料回收利用项目",
        "新材料",
        REFERRAL,
        Decimal("22000"),
        (
            (CLUE, Days(-320)),
            (CONTACT, Days(-300)),
            (VISIT, Days(-260)),
            (NEGOTIATION, Days(-210)),
            (SIGNED, Days(-150)),
            (REGISTERED, Days(-90)),
        ),
        source_detail="园区龙头企业以商引商",
        link=(NEW_MATERIALS, BATTERIES),
        next_action="协调项目用地交付",
        next_action_on=Days(20),
        signing=Signing(
            "ZS-04",
            Decimal("22000"),
            park=DOSHINE_PARK,
            planned_start=Rel(1, 1),
            planned_completion=Rel(16, 1),
        ),
        contact=contact(9),
    ),
    # investment promotion elsewhere (异地招商): the 数控机床 chain's gaps
    LeadSpec(
        "示例·华数智控科技有限公司",
        "示例·数控系统研发制造项目",
        "数控系统",
        REMOTE,
        Decimal("30000"),
        ((CLUE, Days(-150)), (CONTACT, Days(-140)), (VISIT, Days(-110)), (NEGOTIATION, Days(-45))),
        source_detail="数控机床产业链招商：赴深圳对接链上空白环节企业",
        link=(CNC, CNC_SYSTEM),
        next_action="第三轮商务谈判",
        next_action_on=Days(6),
        contacts=(
            (Days(-150), EVENT, "深圳数控机床产业链招商推介会上初次接触。"),
            (Days(-45), MEETING, "就厂房代建和人才公寓进行谈判。"),
        ),
        contact=contact(10),
    ),
    LeadSpec(
        "示例·高速电主轴有限公司",
        "示例·电主轴制造项目",
        "机床功能部件",
        REMOTE,
        Decimal("10000"),
        ((CLUE, Days(-20)),),
        source_detail="数控机床产业链招商：整机企业推荐的上游配套",
        link=(CNC, SPINDLES),
        next_action="赴东莞拜访企业",
        next_action_on=Days(14),
        contact=contact(11),
    ),
    LeadSpec(
        "示例·立加机床有限公司",
        "示例·立式加工中心整机项目",
        "数控机床",
        REMOTE,
        Decimal("45000"),
        (
            (CLUE, Days(-220)),
            (CONTACT, Days(-210)),
            (VISIT, Days(-170)),
            (NEGOTIATION, Days(-120)),
            (SIGNED, Days(-60)),
        ),
        source_detail="数控机床产业链招商：江门水都产业园共建方推荐",
        link=(CNC, MACHINING_CENTRES),
        next_action="跟进项目备案和环评",
        next_action_on=Days(9),
        signing=Signing(
            "ZS-05",
            Decimal("45000"),
            park=SMART_PARK,
            planned_start=Rel(2, 1),
            planned_completion=Rel(20, 1),
        ),
        contact=contact(12),
    ),
    # fairs and promotion events
    LeadSpec(
        "示例·慧居电器有限公司",
        "示例·智能小家电项目",
        "智能家电",
        FAIR,
        Decimal("18000"),
        ((CLUE, Days(-60)), (CONTACT, Days(-48))),
        source_detail="粤港澳大湾区招商推介会",
        link=(ELECTRONICS, SMART_AUDIO),
        owner_unit=COMMERCE,
        owner="",
        next_action="寄送中山(恩平)智能家电产业园资料",
        next_action_on=Days(2),
        contact=contact(13),
    ),
    LeadSpec(
        "示例·储能科技有限公司",
        "示例·储能电池生产项目",
        "储能电池",
        FAIR,
        Decimal("26000"),
        (
            (CLUE, Days(-520)),
            (CONTACT, Days(-505)),
            (VISIT, Days(-480)),
            (NEGOTIATION, Days(-450)),
            (SIGNED, Days(-400)),
            (REGISTERED, Days(-330)),
            (LANDED, Days(-250)),
        ),
        source_detail="中国国际中小企业博览会",
        link=(NEW_MATERIALS, BATTERIES),
        signing=Signing(
            "ZS-06",
            Decimal("26000"),
            park=ZHONGSHAN_PARK,
            planned_start=Rel(-8, 1),
            planned_completion=Rel(10, 1),
            stages=((STARTED, Rel(-8, 5)), (UNDER_CONSTRUCTION, Rel(-7, 1))),
            reports=Reports(Rel(-8), 8, (5, 42), Decimal("9000")),
        ),
        contact=contact(14),
    ),
    LeadSpec(
        "示例·音响制造有限公司",
        "示例·专业音响生产项目",
        "电声器件",
        FAIR,
        Decimal("9000"),
        ((CLUE, Days(-180)), (CONTACT, Days(-170)), (VISIT, Days(-140)), (NEGOTIATION, Days(-100))),
        source_detail="中国（广州）国际专业灯光音响展览会",
        link=(ELECTRONICS, ACOUSTICS),
        owner_unit=HENGPI,
        owner="hengpi",
        dropped=(Days(-20), "投资方调整产能布局，暂缓对外投资。"),
        contact=contact(15),
    ),
)


# --- benefit-sharing agreements (异地招商利益分享) -----------------------------------------------

ENPING = "440785"
PENGJIANG = "440703"
JIANGHAI = "440704"
ZHONGSHAN = "442000"
# regions the foundation demo does not have: (code, name, short name, level, parent code)
EXTRA_REGIONS = (("442000", "中山市", "中山", "prefecture", "440000"),)


@dataclass(frozen=True)
class TermSpec:
    start_year: int  # a year, or (below 100) an offset from this year
    end_year: int | None
    shares: tuple[tuple[str, Decimal, Decimal, Decimal], ...]  # (region, output, tax, investment)


@dataclass(frozen=True)
class AgreementSpec:
    name: str
    project: str  # the project's code
    introducing: str
    host: str
    reference: str
    notes: str
    terms: tuple[TermSpec, ...]
    figures: tuple[tuple[int, Decimal, Decimal, Decimal], ...]  # (year, output, tax, investment)


def share(
    region: str, output: str, tax: str, investment: str
) -> tuple[str, Decimal, Decimal, Decimal]:
    return (region, Decimal(output), Decimal(tax), Decimal(investment))


AGREEMENTS: tuple[AgreementSpec, ...] = (
    AgreementSpec(
        "江门水都产业园异地招商利益分享协议（示例）",
        "ZD-2024-11",
        ENPING,
        JIANGHAI,
        "示例〔2024〕1号",
        "江门市安排蓬江、江海与恩平结对协同发展、共建江门水都产业园"
        f"（{ARTICLE}）；项目由恩平引进，分享比例和数据为示例。",
        (
            TermSpec(
                -2,
                0,
                (
                    share(ENPING, "50", "50", "60"),
                    share(JIANGHAI, "30", "30", "25"),
                    share(PENGJIANG, "20", "20", "15"),
                ),
            ),
            TermSpec(
                1,
                None,
                (
                    share(ENPING, "40", "40", "50"),
                    share(JIANGHAI, "35", "35", "30"),
                    share(PENGJIANG, "25", "25", "20"),
                ),
            ),
        ),
        (
            (-2, Decimal("0"), Decimal("0"), Decimal("6000")),
            (-1, Decimal("0"), Decimal("0"), Decimal("12000")),
            (0, Decimal("3200"), Decimal("96"), Decimal("7500")),
        ),
    ),
    AgreementSpec(
        "中山(恩平)智能家电产业园产业转移利益分享协议（示例）",
        "ZD-2024-10",
        ZHONGSHAN,
        ENPING,
        "示例〔2024〕2号",
        "中山市南头镇与恩平开展产业结对协作，推动中山(恩平)智能家电产业园建设"
        f"（{ARTICLE}）；项目由中山引荐，分享比例和数据为示例。",
        (
            TermSpec(
                0,
                4,
                (share(ZHONGSHAN, "30", "30", "20"), share(ENPING, "70", "70", "80")),
            ),
        ),
        ((0, Decimal("0"), Decimal("0"), Decimal("12000")),),
    ),
)
