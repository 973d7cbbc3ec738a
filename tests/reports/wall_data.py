"""Data for the wall dashboard's tests, on the shared cast and relative to today.

`build(cast)` gives every panel something to show, with figures simple enough to check by hand:
the small evaluation scheme of the rankings tests (four of 江门市's counties, three indicators,
2022 and 2023; one published run), 地区生产总值 as a headline indicator with a 2023 target and a
milestone at 240 亿元, an illustrative 社会消费品零售总额 that first reaches 100 亿元 in 2023,
red tasks of two towns, two key projects of one park, and leads at four stages.

`add_volume(cast, n)` adds n of everything (indicators with peer values, tasks, projects, leads)
for the query-count tests; `add_demo_like(cast)` adds what the Enping demo has in number and in
name length (nine headline indicators, many units with red tasks), for the 1920×1080 checks.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from jinwei.accounts.models import OrgUnit, Region
from jinwei.indicators.models import Category, Indicator
from jinwei.investment.models import Lead
from jinwei.projects.models import Park, Project
from jinwei.rankings.models import EvaluationRun
from jinwei.rankings.services import scheme_evaluate
from tests.conftest import Cast
from tests.factories import OrgUnitFactory
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory
from tests.investment.factories import LeadFactory
from tests.projects.factories import InvestmentPlanFactory, InvestmentReportFactory, ProjectFactory
from tests.rankings.evaluation_data import Evaluated
from tests.rankings.evaluation_data import build as build_evaluation
from tests.tasks.work_helpers import green, overdue, red

PEERS = ("440785", "440781", "440703", "440783")  # 恩平, 台山, 蓬江, 开平 (evaluation_data)


@dataclass
class WallData:
    evaluated: Evaluated
    run: EvaluationRun
    gdp: Indicator
    retail: Indicator
    park: Park
    today: datetime.date


def today() -> datetime.date:
    return timezone.localdate()


def build(cast: Cast) -> WallData:
    evaluated = build_evaluation(cast)
    run = scheme_evaluate(actor=cast.supervisor, scheme=evaluated.scheme, publish=True)
    gdp = evaluated.indicators["GDP"]
    gdp.is_headline, gdp.thresholds, gdp.order = True, [240], 1
    gdp.save(update_fields=["is_headline", "thresholds", "order"])
    TargetFactory(indicator=gdp, region=cast.enping, year=2023, value=Decimal("260"))
    retail = IndicatorFactory(
        owner_unit=cast.stats_bureau,
        code="RETAIL",
        name="社会消费品零售总额",
        is_headline=True,
        thresholds=[100],
        order=2,
        category=Category.objects.get(code="economy"),
    )
    for period, value in (("2022", "95.0"), ("2023", "101.3")):
        ObservationFactory(
            indicator=retail,
            region=cast.enping,
            period=period,
            value=Decimal(value),
            is_illustrative=True,
        )
    _tasks(cast)
    park = _projects(cast)
    _leads(cast)
    return WallData(evaluated, run, gdp, retail, park, today())


def _tasks(cast: Cast) -> None:
    overdue(cast.encheng, code="E-LATE", title="黄茅海跨海通道连接线征地拆迁", days_late=12)
    red(cast.encheng, code="E-BEHIND", title="恩城老街改造")
    red(cast.hengpi, code="H-BEHIND", title="横陂镇污水管网")
    green(cast.hengpi, code="H-GREEN")


def _projects(cast: Cast) -> Park:
    year, day = today().year, today()
    park = Park.objects.create(government=cast.enping, name="智能装备特色产业园")
    started = ProjectFactory(
        lead_unit=cast.encheng,
        park=park,
        name="数控机床生产基地",
        stage=Project.Stage.UNDER_CONSTRUCTION,
        planned_start=day - datetime.timedelta(days=100),
        planned_completion=day + datetime.timedelta(days=100),
        started_on=day - datetime.timedelta(days=90),
        progress=50,
    )
    done = ProjectFactory(
        lead_unit=cast.hengpi, park=park, name="新材料一期", stage=Project.Stage.COMPLETED
    )
    InvestmentPlanFactory(project=started, year=year, amount=Decimal("20000"))
    InvestmentPlanFactory(project=done, year=year, amount=Decimal("10000"))
    InvestmentReportFactory(project=started, period=f"{year}-01", amount=Decimal("6000"))
    InvestmentReportFactory(project=done, period=f"{year}-01", amount=Decimal("4500"))
    return park


def _leads(cast: Cast) -> None:
    day = today()
    for stage, amount in (
        (Lead.Stage.CLUE, "20000"),
        (Lead.Stage.CLUE, "5000"),
        (Lead.Stage.NEGOTIATION, "30000"),
    ):
        LeadFactory(
            owner_unit=cast.investment_bureau,
            stage=stage,
            top_stage=stage,
            intended_investment=Decimal(amount),
            stage_since=day,
        )
    LeadFactory(
        owner_unit=cast.investment_bureau,
        stage=Lead.Stage.SIGNED,
        top_stage=Lead.Stage.SIGNED,
        intended_investment=Decimal("25000"),
        signed_investment=Decimal("25000"),
        signed_on=day,
        stage_since=day,
    )


# --- more data ---------------------------------------------------------------------------------


def add_volume(cast: Cast, n: int) -> None:
    """n more of everything: indicators with values in the four peers, tasks, projects, leads."""
    economy = Category.objects.get(code="economy")
    regions = {r.code: r for r in Region.objects.filter(code__in=PEERS)}
    for k in range(n):
        indicator = IndicatorFactory(
            owner_unit=cast.stats_bureau, code=f"V{k}", is_headline=k % 2 == 0, category=economy
        )
        for i, code in enumerate(PEERS):
            for year in ("2022", "2023"):
                value = Decimal(100 + k + 3 * i + (i - 1) * (year == "2023"))
                ObservationFactory(
                    indicator=indicator, region=regions[code], period=year, value=value
                )
        TargetFactory(indicator=indicator, region=cast.enping, year=2023, value=Decimal(150))
        unit = OrgUnitFactory(government=cast.enping, name=f"单位{k}", kind=OrgUnit.Kind.DEPARTMENT)
        overdue(unit, days_late=k + 1)
        red(unit)
        project = ProjectFactory(lead_unit=unit, park=None)
        InvestmentPlanFactory(project=project, year=today().year)
        LeadFactory(owner_unit=unit, stage=Lead.Stage.VISIT, top_stage=Lead.Stage.VISIT)


DEMO_HEADLINE = (
    ("地区生产总值增速", "%", "5.8"),
    ("规上工业总产值", "亿元", "268.9"),
    ("规上工业增加值（月度累计）", "亿元", "48.6"),
    ("固定资产投资（月度累计）", "亿元", "72.8"),
    ("社会消费品零售总额（月度累计）", "亿元", "78.9"),
    ("新招产业项目投资总额", "亿元", "210.7"),
    ("一般公共预算收入", "亿元", "16.35"),
)
DEMO_UNITS = ("自然资源局", "住房和城乡建设局", "工业和信息化局", "市场监督管理局", "农业农村局")


def add_demo_like(cast: Cast) -> None:
    """The Enping demo's volume and name lengths: nine headline indicators in all, red tasks in
    seven units, a second park with a long name."""
    economy = Category.objects.get(code="economy")
    for order, (name, unit, value) in enumerate(DEMO_HEADLINE, start=3):
        indicator = IndicatorFactory(
            owner_unit=cast.stats_bureau,
            name=name,
            unit=unit,
            is_headline=True,
            order=order,
            category=economy,
        )
        ObservationFactory(
            indicator=indicator,
            region=cast.enping,
            period="2023",
            value=Decimal(value),
            growth_rate=Decimal("4.7"),
            is_illustrative=True,
        )
        TargetFactory(indicator=indicator, region=cast.enping, year=2023, value=Decimal(value) * 2)
    for k, name in enumerate(DEMO_UNITS):
        unit = OrgUnitFactory(government=cast.enping, name=name, kind=OrgUnit.Kind.DEPARTMENT)
        overdue(unit, title="工程建设项目审批提速改革工作推进落实情况专项督查", days_late=5 + k)
    park = Park.objects.create(government=cast.enping, name="中山(恩平)智能家电产业园")
    project = ProjectFactory(lead_unit=cast.hengpi, park=park)
    InvestmentPlanFactory(project=project, year=today().year, amount=Decimal("8000"))
    InvestmentReportFactory(project=project, period=f"{today().year}-01", amount=Decimal("9100"))
