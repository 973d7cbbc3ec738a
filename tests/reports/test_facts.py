"""The figures a briefing gathers from the other apps, on the known data set of content_data."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import translation

from jinwei.accounts.access import GovernmentReader, grants_for
from jinwei.lib.periods import parse_period
from jinwei.projects.models import Project
from jinwei.reports import facts, work_facts
from jinwei.tasks.access import visible_tasks
from tests.conftest import Cast
from tests.factories import OrgUnitFactory
from tests.reports import content_data
from tests.reports.content_data import TODAY
from tests.tasks.factories import TaskFactory

D = Decimal
LATER = datetime.date(2026, 11, 28)


@pytest.fixture
def data(cast: Cast) -> Cast:
    content_data.load(cast)
    return cast


def test_the_reader_reads_its_government_only(cast: Cast) -> None:
    reader = GovernmentReader(cast.enping.pk)
    other = TaskFactory(lead_unit=OrgUnitFactory(government=cast.taishan))
    own = TaskFactory(lead_unit=cast.encheng)
    assert grants_for(reader).government_ids == {cast.enping.pk}
    assert not grants_for(reader).manages(cast.enping.pk)
    assert list(visible_tasks(reader)) == [own]
    assert other not in visible_tasks(reader)


@pytest.mark.parametrize(
    ("period", "today", "expected"),
    [
        ("2024-09", datetime.date(2024, 10, 5), True),
        ("2024-09", datetime.date(2024, 11, 1), False),
        ("2023", TODAY, True),
        ("2023", LATER, False),
    ],
)
def test_only_a_recent_briefing_shows_todays_states(
    period: str, today: datetime.date, expected: bool
) -> None:
    assert work_facts.is_recent(parse_period(period), today) is expected


def test_ranks_of_a_month_are_those_of_the_last_complete_year() -> None:
    assert facts.ranking_year(parse_period("2024-09")) == 2023
    assert facts.ranking_year(parse_period("2023")) == 2023


# --- indicators --------------------------------------------------------------------------------


def indicator_facts(cast: Cast, period: str) -> facts.IndicatorFacts:
    return facts.indicator_facts(
        reader=GovernmentReader(cast.enping.pk),
        government=cast.enping,
        period=parse_period(period),
    )


def test_headlines_of_the_year(data: Cast) -> None:
    found = {h.indicator.code: h for h in indicator_facts(data, "2023").headlines}
    assert list(found) == ["GDP", "RETAIL", "AIR"]
    gdp, retail, air = found["GDP"], found["RETAIL"], found["AIR"]
    assert gdp.value == D("237")
    assert gdp.growth is not None and round(gdp.growth, 4) == D("8.5165")  # computed: no report
    assert (retail.value, retail.growth) == (D("101.35"), D("7.2"))  # the reported rate
    assert retail.completion == D("101.35")
    assert gdp.target is None and gdp.completion is None
    assert air.is_rate and not retail.is_rate


def test_milestones_of_the_year_thresholds_first(data: Cast) -> None:
    milestones = indicator_facts(data, "2023").milestones
    assert [(m.name, m.kind, m.threshold, m.value, m.growth) for m in milestones] == [
        ("社会消费品零售总额", "threshold", D("100"), D("101.35"), D("7.2")),
        ("清华北大录取人数", "first_nonzero", None, D("2"), None),
    ]


def test_no_milestones_in_a_year_without_any(data: Cast) -> None:
    assert indicator_facts(data, "2022").milestones == []


def test_a_month_has_its_own_headlines_and_no_annual_milestones(data: Cast) -> None:
    found = indicator_facts(data, "2024-09")
    assert found.milestones == []
    (monthly,) = found.headlines
    assert (monthly.value, monthly.growth) == (D("78.9"), D("4.7"))
    assert monthly.completion is not None and round(monthly.completion, 2) == D("72.79")
    assert found.trend is not None
    assert found.trend.points == [
        (parse_period("2024-08"), D("70.1")),
        (parse_period("2024-09"), D("78.9")),
    ]


def test_the_trend_is_the_first_headline_level(data: Cast) -> None:
    trend = indicator_facts(data, "2023").trend
    assert trend is not None and trend.indicator.code == "GDP"
    assert trend.points == [(parse_period("2022"), D("218.4")), (parse_period("2023"), D("237"))]


# --- ranks -------------------------------------------------------------------------------------


def ranking_facts(cast: Cast, period: str) -> facts.RankingFacts | None:
    return facts.ranking_facts(
        reader=GovernmentReader(cast.enping.pk),
        government=cast.enping,
        period=parse_period(period),
    )


def test_first_places_ranks_and_the_published_composite(data: Cast) -> None:
    found = ranking_facts(data, "2023")
    assert found is not None
    assert found.group == "江门2个县（市、区）"
    assert [i.name for i in found.firsts] == ["空气质量优良天数比例", "清华北大录取人数"]
    assert found.previous_count == 1
    assert found.history == [(2021, 0), (2022, 1), (2023, 2)]
    ranks = {r.indicator.code: (r.value, r.rank, r.previous) for r in found.rows}
    assert ranks == {
        "GDP": (D("237"), 2, 2),
        "RETAIL": (D("101.35"), 2, 2),
        "AIR": (D("96.45"), 1, 2),
        "PM25": (D("22"), 2, 1),
        "QINGBEI": (D("2"), 1, 2),
    }
    assert found.composite == facts.Composite("高质量发展综合评价", rank=1, size=2, change=1)


def test_a_month_is_ranked_on_the_year_before(data: Cast) -> None:
    found = ranking_facts(data, "2024-09")
    assert found is not None and found.year == 2023


def test_no_peer_group_no_ranks(cast: Cast) -> None:
    content_data.load_indicators(cast)
    assert ranking_facts(cast, "2023") is None


# --- recognition and opportunities -------------------------------------------------------------


def test_honours_and_practices_of_the_year(data: Cast) -> None:
    found = facts.recognition_facts(government=data.enping, period=parse_period("2023"))
    assert found.honour_counts == Counter({"provincial": 2, "national": 1})
    # the highest level first, then by the day awarded
    assert found.honour_titles == ["国家生态文明建设示范区", "省全域旅游示范区", "省健康县"]
    assert [(p.title, p.recognised_by, p.promotion) for p in found.practices] == [
        ("县级华侨华人法律服务中心", "最高人民法院", "在全国推广")
    ]


def test_practices_after_the_period_are_left_out(data: Cast) -> None:
    found = facts.recognition_facts(government=data.enping, period=parse_period("2023-07"))
    assert found.practices == []


def test_opportunities_with_their_flagged_items(data: Cast) -> None:
    found, illustrative = facts.opportunity_facts(government=data.enping)
    (plan,) = found
    assert (plan.title, plan.items, plan.covered, plan.actions) == (
        "珠江口西岸都市圈发展规划",
        3,
        2,
        3,
    )
    assert plan.flagged == ["锦江生态廊道"]
    assert not illustrative


# --- tasks, projects, pipeline, service --------------------------------------------------------


def task_facts(cast: Cast, period: str, today: datetime.date) -> work_facts.TaskFacts:
    return work_facts.task_facts(
        reader=GovernmentReader(cast.enping.pk),
        government=cast.enping,
        period=parse_period(period),
        today=today,
    )


def test_tasks_by_unit_and_the_red_list(data: Cast) -> None:
    found = task_facts(data, "2023", TODAY)
    assert found.totals == work_facts.TaskTotals(owned=4, closed=3, on_time=2, judged=4, overdue=1)
    assert found.units == [
        work_facts.UnitRow("恩城街道", owned=3, closed=2, on_time=1, judged=3, overdue=1),
        work_facts.UnitRow("横陂镇", owned=1, closed=1, on_time=1, judged=1, overdue=0),
    ]
    assert found.red == [("恩城街道", 1)]


def test_no_red_list_in_a_briefing_long_past(data: Cast) -> None:
    found = task_facts(data, "2023", LATER)
    assert found.red is None
    assert found.totals.owned == 4


def project_facts(cast: Cast, period: str) -> work_facts.ProjectFacts:
    return work_facts.project_facts(
        reader=GovernmentReader(cast.enping.pk),
        government=cast.enping,
        period=parse_period(period),
        today=TODAY,
    )


def test_project_investment_of_the_year(data: Cast) -> None:
    found = project_facts(data, "2023")
    assert found.investment == work_facts.Investment(2, D("70000"), D("70000"), None)
    assert found.by == "park"
    assert [(p.name, p.planned, p.completed) for p in found.groups] == [
        ("智能装备特色产业园", D("50000"), D("45000")),
        ("未入园项目", D("20000"), D("25000")),
    ]
    assert found.colours is not None
    assert {k: v for k, v in found.colours.items() if v} == {"green": 1, "done": 1}


def test_projects_by_lead_unit_when_none_is_in_a_park(cast: Cast) -> None:
    content_data.load_projects(cast)
    Project.objects.update(park=None)
    found = project_facts(cast, "2023")
    assert found.by == "unit"
    assert [(p.name, p.planned, p.completed) for p in found.groups] == [
        ("恩城街道", D("50000"), D("45000")),
        ("横陂镇", D("20000"), D("25000")),
    ]


def test_project_investment_through_september(data: Cast) -> None:
    found = project_facts(data, "2023-09")
    assert found.investment == work_facts.Investment(2, D("70000"), D("55000"), D("75"))


def test_pipeline_of_the_year_and_of_part_of_it(data: Cast) -> None:
    with translation.override("zh-hans"):  # as build_document reads them: stage names in Chinese
        year = work_facts.pipeline_facts(
            government=data.enping, period=parse_period("2023"), today=TODAY
        )
    assert (year.signed_count, year.signed_amount) == (2, D("405000"))
    assert year.stages == [("线索", 2), ("接洽", 0), ("考察", 0), ("谈判", 1)]
    assert year.intended == D("90000")
    part = work_facts.pipeline_facts(
        government=data.enping, period=parse_period("2023-09"), today=LATER
    )
    assert (part.signed_count, part.signed_amount) == (None, D("300000"))
    assert part.stages == [] and part.intended == 0


def test_enterprise_service_of_the_year(data: Cast) -> None:
    found = work_facts.service_facts(
        reader=GovernmentReader(data.enping.pk),
        government=data.enping,
        period=parse_period("2023"),
        today=TODAY,
    )
    assert (found.received, found.responded, found.resolved) == (3, 3, 2)
    assert found.response_on_time == pytest.approx(200 / 3)
    assert found.resolution_on_time == pytest.approx(200 / 3)
    assert found.satisfaction == pytest.approx(4.5)
