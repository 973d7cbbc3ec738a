"""A small, fully known data set for the briefing's content tests, on the shared cast.

Enping (恩平市) and Taishan (台山市), the cast's two children of 江门市, are the peer group. The
numbers are chosen so that every sentence of a 2023 briefing can be written out by hand:

- 社会消费品零售总额 first reaches 100亿元 in 2023 (101.35, reported growth 7.2 %); 地区生产总值
  has no reported growth in 2023, so its change is computed (237.00 / 218.40: 8.5 %);
  清华北大录取人数 goes from 0 to 2 in 2023 (零的突破);
- Enping ranks first on 1 indicator in 2022 (PM2.5, lower is better) and on 2 in 2023
  (空气质量优良天数比例, 清华北大录取人数);
- the published composite run ranks Enping first in 2023, up one place; a later unpublished run
  (rank 2) must not be read;
- four tasks of 2023 (two on time, one late, one overdue), two projects (plan 70000 万元, 70000
  completed in 2023, 55000 by September), two leads signed in 2023, three open leads, three
  enterprise requests, three honours of 2023 and one of 2022, one practice, one opportunity with
  one of its three items unacted on.

`more(cast, n)` adds n more of everything, for the query-count test.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from jinwei.indicators.models import Indicator
from jinwei.projects.models import Project
from jinwei.rankings.models import EvaluationRun, EvaluationScheme, EvaluationScore, PeerGroup
from jinwei.tasks.models import Task
from tests.conftest import Cast
from tests.enterprises.factories import EnterpriseFactory, ServiceRequestFactory
from tests.factories import OrgUnitFactory
from tests.honors.factories import HonourFactory, PracticeFactory
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory
from tests.investment.factories import LeadFactory
from tests.opportunities.factories import (
    ItemActionFactory,
    OpportunityFactory,
    OpportunityItemFactory,
)
from tests.projects.factories import (
    InvestmentPlanFactory,
    InvestmentReportFactory,
    ParkFactory,
    ProjectFactory,
)
from tests.tasks.factories import TaskFactory

TODAY = datetime.date(2024, 2, 19)  # the day of the article's meeting
D = Decimal


def indicator(cast: Cast, name: str, **fields: object) -> Indicator:
    fields.setdefault("unit", "亿元")
    return IndicatorFactory(owner_unit=cast.stats_bureau, name=name, **fields)


def values(ind: Indicator, cast: Cast, enping: dict[str, str], taishan: dict[str, str]) -> None:
    for period, value in enping.items():
        ObservationFactory(indicator=ind, region=cast.enping, period=period, value=D(value))
    for period, value in taishan.items():
        ObservationFactory(indicator=ind, region=cast.taishan, period=period, value=D(value))


def load_indicators(cast: Cast) -> dict[str, Indicator]:
    retail = indicator(
        cast, "社会消费品零售总额", code="RETAIL", thresholds=[50, 100], is_headline=True, order=1
    )
    for period, value, growth in (("2021", "88.5", None), ("2022", "95.2", "3.1")):
        ObservationFactory(
            indicator=retail,
            region=cast.enping,
            period=period,
            value=D(value),
            growth_rate=growth and D(growth),
        )
    ObservationFactory(
        indicator=retail, region=cast.enping, period="2023", value=D("101.35"), growth_rate=D("7.2")
    )
    values(retail, cast, {}, {"2022": "120", "2023": "125"})
    TargetFactory(indicator=retail, region=cast.enping, year=2023, value=D("100"))
    gdp = indicator(cast, "地区生产总值", code="GDP", thresholds=[200], is_headline=True, order=0)
    values(gdp, cast, {"2022": "218.4", "2023": "237"}, {"2022": "516.5", "2023": "547.4"})
    air = indicator(
        cast, "空气质量优良天数比例", code="AIR", unit="%", decimals=1, is_headline=True, order=2
    )
    values(air, cast, {"2022": "95", "2023": "96.45"}, {"2022": "96", "2023": "94"})
    pm25 = indicator(
        cast,
        "PM2.5年均浓度",
        code="PM25",
        unit="微克/立方米",
        decimals=0,
        direction=Indicator.Direction.LOWER,
        order=3,
    )
    values(pm25, cast, {"2022": "20", "2023": "22"}, {"2022": "21", "2023": "19"})
    qingbei = indicator(cast, "清华北大录取人数", code="QINGBEI", unit="人", decimals=0, order=4)
    values(qingbei, cast, {"2021": "0", "2022": "0", "2023": "2"}, {"2022": "1", "2023": "1"})
    monthly = indicator(
        cast,
        "社会消费品零售总额（月度累计）",
        code="RETAIL_M",
        frequency=Indicator.Frequency.MONTHLY,
        value_kind=Indicator.ValueKind.CUMULATIVE,
        is_headline=True,
        order=5,
    )
    ObservationFactory(indicator=monthly, region=cast.enping, period="2024-08", value=D("70.1"))
    ObservationFactory(
        indicator=monthly,
        region=cast.enping,
        period="2024-09",
        value=D("78.9"),
        growth_rate=D("4.7"),
    )
    TargetFactory(indicator=monthly, region=cast.enping, year=2024, value=D("108.4"))
    return {"retail": retail, "gdp": gdp, "air": air, "pm25": pm25, "qingbei": qingbei}


def load_rankings(cast: Cast) -> PeerGroup:
    group = PeerGroup.objects.create(
        government=cast.enping, name="江门市辖县", parent=cast.jiangmen
    )
    scheme = EvaluationScheme.objects.create(
        government=cast.enping,
        name="高质量发展综合评价",
        peer_group=group,
        first_year=2022,
        last_year=2023,
    )
    published = run(scheme, published=True)
    score(published, cast, 2022, ranks=(2, 1), changes=(None, None))
    score(published, cast, 2023, ranks=(1, 2), changes=(1, -1))
    later = run(scheme, published=False)
    score(later, cast, 2023, ranks=(2, 1), changes=(0, 0))
    return group


def run(scheme: EvaluationScheme, *, published: bool) -> EvaluationRun:
    return EvaluationRun.objects.create(
        scheme=scheme, method={}, inputs={}, input_values=b"", weights={}, is_published=published
    )


def score(
    run: EvaluationRun,
    cast: Cast,
    year: int,
    *,
    ranks: tuple[int, int],
    changes: tuple[int | None, int | None],
) -> None:
    """Scores of (Enping, Taishan)."""
    for region, rank, change in zip((cast.enping, cast.taishan), ranks, changes, strict=True):
        EvaluationScore.objects.create(
            run=run, region=region, year=year, score=1.0 / rank, rank=rank, rank_change=change
        )


def load_tasks(cast: Cast) -> None:
    def task(unit: object, deadline: str, closed: str | None) -> None:
        TaskFactory(
            lead_unit=unit,
            start_date=datetime.date(2023, 1, 1),
            deadline=datetime.date.fromisoformat(deadline),
            state=Task.State.CLOSED if closed else Task.State.IN_PROGRESS,
            closed_on=datetime.date.fromisoformat(closed) if closed else None,
        )

    task(cast.encheng, "2023-05-31", "2023-05-20")
    task(cast.encheng, "2023-06-30", "2023-07-10")
    task(cast.encheng, "2023-10-31", None)
    task(cast.hengpi, "2023-03-31", "2023-03-30")


def load_projects(cast: Cast) -> None:
    park = ParkFactory(government=cast.enping, name="智能装备特色产业园")
    in_park = ProjectFactory(lead_unit=cast.encheng, park=park)
    InvestmentPlanFactory(project=in_park, year=2023, amount=D("50000"))
    for period, amount in (("2023-03", "10000"), ("2023-09", "20000"), ("2023-12", "15000")):
        InvestmentReportFactory(project=in_park, period=period, amount=D(amount))
    outside = ProjectFactory(
        lead_unit=cast.hengpi,
        stage=Project.Stage.COMPLETED,
        planned_start=datetime.date(2023, 1, 1),
        planned_completion=datetime.date(2023, 12, 31),
    )
    InvestmentPlanFactory(project=outside, year=2023, amount=D("20000"))
    InvestmentReportFactory(project=outside, period="2023-06", amount=D("25000"))


def load_leads(cast: Cast) -> None:
    for signed_on, amount in (("2023-05-10", "300000"), ("2023-11-02", "105000")):
        LeadFactory(
            owner_unit=cast.investment_bureau,
            stage="signed",
            top_stage="signed",
            signed_on=datetime.date.fromisoformat(signed_on),
            signed_investment=D(amount),
        )
    for stage, intended in (("clue", "20000"), ("clue", "20000"), ("negotiation", "50000")):
        LeadFactory(
            owner_unit=cast.investment_bureau,
            stage=stage,
            top_stage=stage,
            intended_investment=D(intended),
        )


def load_requests(cast: Cast) -> None:
    enterprise = EnterpriseFactory(government=cast.enping)
    rows = (
        ("2023-03-01", "2023-03-03", "2023-03-02", "2023-03-15", "2023-03-10", 5),
        ("2023-05-10", "2023-05-12", "2023-05-15", "2023-05-24", "2023-05-20", 4),
        ("2023-11-01", "2023-11-03", "2023-11-02", "2023-11-15", None, None),
    )
    day = datetime.date.fromisoformat
    for received, r_due, responded, s_due, resolved, rating in rows:
        ServiceRequestFactory(
            enterprise=enterprise,
            received_on=day(received),
            response_due=day(r_due),
            responded_on=day(responded),
            resolution_due=day(s_due),
            resolved_on=day(resolved) if resolved else None,
            satisfaction=rating,
        )


def load_recognition(cast: Cast) -> None:
    HonourFactory(
        government=cast.enping, title="国家生态文明建设示范区", level="national", year=2023
    )
    for title, day in (("省全域旅游示范区", "2023-03-01"), ("省健康县", "2023-09-01")):
        HonourFactory(
            government=cast.enping,
            title=title,
            level="provincial",
            year=2023,
            awarded_on=datetime.date.fromisoformat(day),
        )
    HonourFactory(government=cast.enping, title="中国天然氧吧", level="national", year=2022)
    PracticeFactory(
        government=cast.enping,
        title="县级华侨华人法律服务中心",
        recognised_by="最高人民法院",
        level="national",
        recognised_on=datetime.date(2023, 8, 1),
        promotion="在全国推广",
    )
    plan = OpportunityFactory(government=cast.enping, title="珠江口西岸都市圈发展规划")
    first, second, _unacted = (
        OpportunityItemFactory(opportunity=plan, number=n, title=title)
        for n, title in ((1, "黄茅海跨海通道"), (2, "智能装备产业集群"), (3, "锦江生态廊道"))
    )
    ItemActionFactory(item=first, task=Task.objects.filter(government=cast.enping).first())
    ItemActionFactory(item=second, project=Project.objects.filter(government=cast.enping).first())
    ItemActionFactory(item=second, task=Task.objects.filter(government=cast.enping).last())


def load(cast: Cast) -> dict[str, Indicator]:
    """Everything above; returns the annual indicators by short name."""
    indicators = load_indicators(cast)
    load_rankings(cast)
    load_tasks(cast)
    load_projects(cast)
    load_leads(cast)
    load_requests(cast)
    load_recognition(cast)
    return indicators


def more(cast: Cast, n: int) -> None:
    """n more indicators, observations, tasks, projects, leads, requests and honours."""
    for k in range(n):
        extra = indicator(cast, f"附加指标{k}", is_headline=True, thresholds=[10])
        values(extra, cast, {"2022": "5", "2023": str(11 + k)}, {"2022": "6", "2023": "7"})
        TaskFactory(
            lead_unit=OrgUnitFactory(government=cast.enping),
            start_date=datetime.date(2023, 1, 1),
            deadline=datetime.date(2023, 9, 30),
            state=Task.State.IN_PROGRESS,
        )
        project = ProjectFactory(lead_unit=cast.encheng)
        InvestmentPlanFactory(project=project, year=2023, amount=D("1000"))
        InvestmentReportFactory(project=project, period="2023-04", amount=D("500"))
        LeadFactory(owner_unit=cast.investment_bureau)
        ServiceRequestFactory(enterprise=EnterpriseFactory(government=cast.enping))
        HonourFactory(government=cast.enping, year=2023)
        item = OpportunityItemFactory(
            opportunity=OpportunityFactory(government=cast.enping), number=1
        )
        ItemActionFactory(item=item, project=project)
