"""The goals tree from the database: statuses from real tasks and indicators, in few queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from jinwei.tasks import goal_selectors
from jinwei.tasks.goal_status import GoalStatus, Signal, TaskTally, stage_of
from jinwei.tasks.models import Task
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory
from tests.tasks.factories import GoalFactory, TaskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 7, 15)
State = Task.State


def open_task(cast, goal, deadline=datetime.date(2024, 12, 31), progress=50, **fields):
    """An in-progress task, half done by default (green in mid-July of a year-long task)."""
    return TaskFactory(
        lead_unit=fields.pop("unit", cast.encheng),
        goal=goal,
        deadline=deadline,
        state=State.IN_PROGRESS,
        progress=progress,
        **fields,
    )


def indicator(cast, value, target=100):
    ind = IndicatorFactory(owner_unit=cast.stats_bureau)
    ObservationFactory(indicator=ind, region=cast.enping, period="2024", value=Decimal(value))
    TargetFactory(indicator=ind, region=cast.enping, year=2024, value=Decimal(target))
    return ind


@pytest.fixture
def three_levels(cast):
    """百千万工程 → 三年初见成效 → 产业园建设, with tasks on the two lower levels."""
    root = GoalFactory(government=cast.enping, title="百千万工程", horizon=10, order=1)
    middle = GoalFactory(government=cast.enping, parent=root, title="三年初见成效", horizon=3)
    leaf = GoalFactory(government=cast.enping, parent=middle, title="产业园建设")
    other = GoalFactory(government=cast.enping, title="四个坚持", kind="principle", order=2)
    open_task(cast, middle)  # green
    open_task(cast, leaf, deadline=datetime.date(2024, 7, 10))  # overdue: red
    TaskFactory(lead_unit=cast.hengpi, goal=leaf, state=State.CLOSED, closed_on=TODAY)
    TaskFactory(lead_unit=cast.hengpi, goal=other)  # a draft
    GoalFactory(government=cast.taishan, title="台山的目标")
    return root, middle, leaf, other


def test_tree_nests_goals_and_carries_statuses_up(cast, three_levels):
    root, middle, leaf, other = three_levels
    found = goal_selectors.goal_tree(government=cast.enping, today=TODAY)
    assert [n.item.title for n in found.roots] == ["百千万工程", "四个坚持"]
    assert [(n.item.title, n.depth) for n in found.nodes()] == [
        ("百千万工程", 0),
        ("三年初见成效", 1),
        ("产业园建设", 2),
        ("四个坚持", 0),
    ]
    by_id = found.by_id
    assert by_id[leaf.pk].own == TaskTally(red=1, closed=1)
    assert by_id[middle.pk].own == TaskTally(green=1)
    assert by_id[root.pk].tally == TaskTally(green=1, red=1, closed=1)
    assert by_id[leaf.pk].status == GoalStatus.AT_RISK
    assert by_id[root.pk].status == GoalStatus.AT_RISK
    assert by_id[other.pk].status == GoalStatus.NOT_STARTED
    assert by_id[root.pk].stage == stage_of("", 10)  # no stage typed: the plan's name


def test_indicators_give_their_signal_against_the_target(cast):
    goal = GoalFactory(government=cast.enping)
    met, green, yellow, red = (indicator(cast, v) for v in (100, 95, 85, 60))
    no_target = IndicatorFactory(owner_unit=cast.stats_bureau)
    goal.indicators.set([met, green, yellow, red, no_target])
    found = goal_selectors.goal_tree(government=cast.enping, today=TODAY)
    lines = {line.indicator.pk: line for line in found.indicators[goal.pk]}
    assert lines[met.pk].signal == Signal.MET
    assert lines[green.pk].signal == Signal.GREEN
    assert lines[yellow.pk].signal == Signal.YELLOW
    assert lines[red.pk].signal == Signal.RED
    assert lines[no_target.pk].signal == Signal.NONE
    assert lines[met.pk].latest.value == Decimal(100)
    assert found.by_id[goal.pk].status == GoalStatus.AT_RISK


def test_all_closed_with_targets_met_is_achieved(cast):
    goal = GoalFactory(government=cast.enping)
    goal.indicators.set([indicator(cast, 120)])
    TaskFactory(lead_unit=cast.encheng, goal=goal, state=State.CLOSED, closed_on=TODAY)
    found = goal_selectors.goal_tree(government=cast.enping, today=TODAY)
    assert found.by_id[goal.pk].status == GoalStatus.ACHIEVED


def test_a_task_due_within_a_week_makes_its_goal_need_attention(cast):
    goal = GoalFactory(government=cast.enping)
    open_task(cast, goal, deadline=TODAY + datetime.timedelta(days=5), progress=95)
    found = goal_selectors.goal_tree(government=cast.enping, today=TODAY)
    assert found.by_id[goal.pk].status == GoalStatus.ATTENTION


def _grow(cast, levels, per_goal):
    parent = None
    for level in range(levels):
        goal = GoalFactory(government=cast.enping, parent=parent, title=f"第{level}层")
        goal.indicators.set([indicator(cast, 90)])
        for _ in range(per_goal):
            open_task(cast, goal)
        GoalFactory(government=cast.enping, parent=goal, title=f"第{level}层旁支")
        parent = goal


def test_tree_takes_the_same_few_queries_whatever_its_size(cast, django_assert_num_queries):
    _grow(cast, levels=3, per_goal=1)
    with django_assert_num_queries(7) as small:
        goal_selectors.goal_tree(government=cast.enping, today=TODAY)
    _grow(cast, levels=6, per_goal=5)
    with django_assert_num_queries(len(small.captured_queries)):
        found = goal_selectors.goal_tree(government=cast.enping, today=TODAY)
    assert len(found.nodes()) == 18
    assert max(n.depth for n in found.nodes()) == 6


def test_tree_page_lists_every_goal_in_a_bounded_number_of_queries(
    cast, three_levels, django_assert_max_num_queries
):
    client = cast.client_for(cast.hengpi_staff)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("tasks:goals"))
    html = response.content.decode()
    assert response.status_code == 200
    for title in ("百千万工程", "三年初见成效", "产业园建设", "四个坚持"):
        assert title in html
    assert "台山的目标" not in html
    assert "goal-children" in html  # nested lists
