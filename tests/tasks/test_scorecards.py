"""Scorecard figures computed by hand for a small fixture with fixed dates, and the rankings."""

from __future__ import annotations

import datetime

import pytest

from jinwei.accounts.models import OrgUnit
from jinwei.lib.periods import Frequency, Period, parse_period
from jinwei.tasks import scorecards
from jinwei.tasks.models import Task
from tests.factories import OrgUnitFactory
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2024, 7, 15)
Q2 = parse_period("2024Q2")  # 1 April – 30 June: judged as of 30 June
State = Task.State


def task(unit: OrgUnit, deadline: D, state: str = State.IN_PROGRESS, **fields) -> Task:
    return TaskFactory(lead_unit=unit, deadline=deadline, state=state, **fields)


def closed(unit: OrgUnit, deadline: D, on: D, scores: tuple[int, int] | None, **fields) -> Task:
    timeliness, quality = scores or (None, None)
    return task(
        unit,
        deadline,
        State.CLOSED,
        closed_on=on,
        score_timeliness=timeliness,
        score_quality=quality,
        **fields,
    )


def reports(on_time: int = 0, late: int = 0, missed: int = 0) -> dict[str, int]:
    return {"reports_on_time": on_time, "reports_late": late, "reports_missed": missed}


@pytest.fixture
def encheng_tasks(cast):
    """恩城街道 in 2024Q2; the letters are the ones of the figures below."""
    unit = cast.encheng
    closed(unit, D(2024, 5, 31), D(2024, 5, 20), (90, 80), **reports(3))  # A on time
    closed(unit, D(2024, 6, 10), D(2024, 6, 20), (60, 70), **reports(1, 1, 1))  # B 10 days late
    task(unit, D(2024, 6, 15), **reports(missed=2))  # C overdue at the end of June
    task(unit, D(2024, 6, 30), **reports(1))  # D due on the last day: not overdue
    closed(unit, D(2024, 3, 20), D(2024, 4, 9), None)  # E carried over, closed 20 days late
    task(unit, D(2024, 2, 1), **reports(missed=1))  # F carried over, still open
    closed(unit, D(2024, 3, 1), D(2024, 3, 5), (50, 50))  # G closed before the quarter: out
    closed(unit, D(2024, 5, 1), D(2024, 7, 5), (100, 100), **reports(2))  # H closed after it
    task(unit, D(2024, 6, 20), State.CANCELLED, **reports(missed=5))  # I cancelled: out
    task(unit, D(2024, 5, 1), State.DRAFT)  # J draft: out
    task(unit, D(2024, 8, 1), **reports(missed=3))  # K due after the quarter: out
    return unit


def test_figures_of_a_unit_match_the_hand_computation(cast, encheng_tasks):
    figures = scorecards.unit_figures([encheng_tasks], Q2, TODAY)[encheng_tasks.pk]
    assert figures.as_of == D(2024, 6, 30)
    assert figures.owned == 7  # A B C D H due, E F carried over
    assert figures.due == 5
    assert figures.closed == 3  # A B E (H closed only in July)
    assert figures.judged == 5
    assert figures.on_time == 1  # A
    assert figures.on_time_rate == pytest.approx(0.2)
    assert figures.overdue == 3  # C, F, and H still open on 30 June
    assert figures.late == 2  # B and E
    assert figures.average_delay == pytest.approx(15.0)
    assert (figures.reports_on_time, figures.reports_late, figures.reports_missed) == (7, 1, 4)
    assert figures.report_punctuality == pytest.approx(7 / 12)
    assert figures.scored == 2  # A and B; E unscored, H closed after the quarter
    assert figures.average_score == pytest.approx(75.0)
    expected = 40 * 0.2 + 30 * 0.75 + 20 * 7 / 12 + 10 * (1 - 3 / 7)
    assert figures.points == pytest.approx(expected)
    assert figures.rounded_points == 47.9


def test_while_the_period_runs_it_is_judged_as_of_today(cast, encheng_tasks):
    """In the year 2024 as of 15 July: H closed late, K not yet due and not judged."""
    year = scorecards.unit_figures([encheng_tasks], Period.of(Frequency.ANNUAL, 2024), TODAY)
    figures = year[encheng_tasks.pk]
    assert figures.as_of == TODAY
    assert figures.owned == 9  # A B C D E F G H K (nothing carried from 2023)
    assert figures.closed == 5  # A B E G H
    assert figures.judged == 8  # K's deadline is still ahead
    assert figures.on_time == 1  # A
    assert figures.overdue == 3  # C D F
    assert figures.late == 4  # B 10, E 20, G 4, H 65 days
    assert figures.average_delay == pytest.approx((10 + 20 + 4 + 65) / 4)
    assert figures.scored == 4  # A B G H
    assert figures.average_score == pytest.approx((85 + 65 + 50 + 100) / 4)


def test_a_unit_without_tasks_has_no_points(cast):
    figures = scorecards.unit_figures([cast.hengpi], Q2, TODAY)[cast.hengpi.pk]
    assert figures.owned == 0
    assert figures.on_time_rate is None
    assert figures.average_delay is None
    assert figures.points is None


def test_tasks_not_yet_due_earn_no_points(cast):
    task(cast.hengpi, D(2024, 6, 30), **reports())
    figures = scorecards.unit_figures([cast.hengpi], Q2, D(2024, 5, 1))[cast.hengpi.pk]
    assert (figures.owned, figures.judged, figures.overdue) == (1, 0, 0)
    assert figures.not_overdue_share == 1
    assert figures.points is None


def test_missing_shares_leave_the_other_weights_to_decide(cast):
    """No scores and no reports: the on-time rate (40) and the overdue share (10) decide."""
    closed(cast.hengpi, D(2024, 5, 31), D(2024, 5, 30), None)
    task(cast.hengpi, D(2024, 6, 1))
    figures = scorecards.unit_figures([cast.hengpi], Q2, TODAY)[cast.hengpi.pk]
    assert figures.on_time_rate == 0.5
    assert figures.not_overdue_share == 0.5
    assert figures.report_punctuality is None and figures.average_score is None
    assert figures.points == pytest.approx(100 * (40 * 0.5 + 10 * 0.5) / 50)


def test_a_unit_with_only_overdue_work_carried_over_scores_zero(cast):
    task(cast.hengpi, D(2024, 2, 1))
    figures = scorecards.unit_figures([cast.hengpi], Q2, TODAY)[cast.hengpi.pk]
    assert (figures.owned, figures.due, figures.judged, figures.overdue) == (1, 0, 0, 1)
    assert figures.points == 0


def perfect(unit: OrgUnit) -> None:
    closed(unit, D(2024, 5, 10), D(2024, 5, 1), (100, 100), **reports(2))


def test_rankings_put_the_best_first_and_ties_share_a_rank(cast, encheng_tasks):
    dahuai = OrgUnitFactory(government=cast.enping, name="大槐镇", kind=OrgUnit.Kind.TOWN)
    OrgUnitFactory(government=cast.enping, name="圣堂镇", kind=OrgUnit.Kind.TOWN)  # no tasks
    perfect(cast.hengpi)
    perfect(dahuai)
    closed(cast.stats_bureau, D(2024, 4, 30), D(2024, 4, 30), (80, 80), **reports(1))
    closed(cast.investment_bureau, D(2024, 4, 30), D(2024, 5, 3), (60, 60), **reports(0, 1))
    other = OrgUnitFactory(government=cast.taishan, name="台山某镇", kind=OrgUnit.Kind.TOWN)
    perfect(other)

    found = scorecards.rankings(cast.enping.pk, Q2, TODAY)

    towns = [(f.unit.name, f.rank, f.rounded_points) for f in found.towns]
    # ties in points share rank 1; between tied units the order of the units decides the order
    assert sorted(towns[:2]) == [("大槐镇", 1, 100.0), ("横陂镇", 1, 100.0)]
    assert towns[2] == ("恩城街道", 3, 47.9)
    assert towns[3] == ("圣堂镇", None, None)
    departments = [(f.unit.name, f.rank) for f in found.departments]
    assert departments == [("统计局", 1), ("投资促进局", 2)]
    assert found.of_unit(cast.encheng.pk).rank == 3
    assert found.of_unit(other.pk) is None


def test_trend_gives_one_scorecard_per_period_in_one_query(
    cast, encheng_tasks, django_assert_num_queries
):
    periods = scorecards.trend_periods(
        Period.of(Frequency.ANNUAL, 2024), Frequency.QUARTERLY, TODAY
    )
    assert [str(p) for p in periods] == [
        "2022Q4",
        "2023Q1",
        "2023Q2",
        "2023Q3",
        "2023Q4",
        "2024Q1",
        "2024Q2",
        "2024Q3",
    ]
    with django_assert_num_queries(1):
        trend = scorecards.unit_trend(encheng_tasks, periods, TODAY)
    by_period = {str(f.period): f for f in trend}
    single = scorecards.unit_figures([encheng_tasks], Q2, TODAY)[encheng_tasks.pk]
    assert by_period["2024Q2"].points == pytest.approx(single.points)
    assert by_period["2024Q1"].owned == 3  # E F G due in the first quarter
    assert by_period["2024Q1"].overdue == 2  # E (closed 9 April) and F
    assert by_period["2023Q4"].owned == 0


def test_years_trend_ends_with_the_current_year(cast):
    periods = scorecards.trend_periods(parse_period("2024-03"), Frequency.ANNUAL, TODAY)
    assert [str(p) for p in periods] == [str(y) for y in range(2017, 2025)]
