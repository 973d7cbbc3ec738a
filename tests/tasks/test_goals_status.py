"""The derived status of a goal, rule by rule, and the tree that carries it up (no database)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from jinwei.tasks.goal_status import (
    STATUS_ORDER,
    GoalStatus,
    Signal,
    TaskTally,
    build_tree,
    derive,
    stage_of,
)


def test_no_task_at_all_is_not_started():
    assert derive(TaskTally(), []) == GoalStatus.NOT_STARTED


def test_drafts_and_cancelled_tasks_do_not_start_a_goal():
    assert derive(TaskTally(draft=3, cancelled=1), [Signal.MET]) == GoalStatus.NOT_STARTED


def test_green_tasks_under_way_are_on_track():
    assert derive(TaskTally(green=2, closed=1), [Signal.GREEN, Signal.NONE]) == (
        GoalStatus.ON_TRACK
    )


def test_one_red_task_puts_the_goal_at_risk():
    assert derive(TaskTally(green=5, yellow=2, red=1), [Signal.MET]) == GoalStatus.AT_RISK


def test_a_red_indicator_puts_the_goal_at_risk_even_with_every_task_closed():
    assert derive(TaskTally(closed=4), [Signal.MET, Signal.RED]) == GoalStatus.AT_RISK


def test_a_red_indicator_outweighs_not_started():
    assert derive(TaskTally(), [Signal.RED]) == GoalStatus.AT_RISK


def test_a_yellow_task_needs_attention():
    assert derive(TaskTally(green=3, yellow=1), []) == GoalStatus.ATTENTION


def test_a_yellow_indicator_needs_attention():
    assert derive(TaskTally(green=3), [Signal.YELLOW, Signal.MET]) == GoalStatus.ATTENTION


def test_all_closed_and_indicators_met_is_achieved():
    tally = TaskTally(closed=3, draft=1, cancelled=2)  # drafts and cancelled do not hold it back
    assert derive(tally, [Signal.MET, Signal.NONE]) == GoalStatus.ACHIEVED


def test_all_closed_but_an_indicator_behind_is_only_on_track():
    assert derive(TaskTally(closed=3), [Signal.MET, Signal.GREEN]) == GoalStatus.ON_TRACK


def test_an_open_task_keeps_a_goal_from_being_achieved():
    assert derive(TaskTally(closed=3, green=1), [Signal.MET]) == GoalStatus.ON_TRACK


def test_every_status_has_a_label_a_rule_and_a_place_in_the_legend():
    assert set(STATUS_ORDER) == set(GoalStatus)
    for status in GoalStatus:
        assert status.label and status.rule and status.css.startswith("status-")


def test_tallies_add_up():
    total = TaskTally(draft=1, green=2, red=1) + TaskTally(yellow=1, closed=2, cancelled=1)
    assert total == TaskTally(draft=1, green=2, yellow=1, red=1, closed=2, cancelled=1)
    assert (total.open, total.assigned, total.total) == (4, 6, 8)


@pytest.mark.parametrize(
    ("stage", "horizon", "expected"),
    [("开局之年", 1, "开局之年"), ("", 3, "First results in three years"), ("", None, "")],
)
def test_stage_is_the_written_one_or_the_plans_name_for_the_horizon(stage, horizon, expected):
    from django.utils import translation

    with translation.override("en"):
        assert stage_of(stage, horizon) == expected


# --- the tree -----------------------------------------------------------------------------


@dataclass
class Item:
    pk: int
    parent_id: int | None


def tree(items, tallies=None, signals=None):
    tallies, signals = tallies or {}, signals or {}
    return build_tree(
        items,
        key=lambda i: i.pk,
        parent_key=lambda i: i.parent_id,
        own_tally=lambda i: tallies.get(i.pk, TaskTally()),
        own_signals=lambda i: signals.get(i.pk, []),
    )


def test_a_status_comes_from_the_whole_subtree():
    items = [Item(1, None), Item(2, 1), Item(3, 2), Item(4, 1)]
    roots = tree(
        items,
        tallies={1: TaskTally(closed=1), 3: TaskTally(red=1), 4: TaskTally(green=2)},
        signals={4: [Signal.MET]},
    )
    assert [r.item.pk for r in roots] == [1]
    by_id = {n.item.pk: n for n in roots[0].walk()}
    assert [n.item.pk for n in roots[0].walk()] == [1, 2, 3, 4]
    assert [by_id[i].depth for i in (1, 2, 3, 4)] == [0, 1, 2, 1]
    assert by_id[3].status == GoalStatus.AT_RISK
    assert by_id[2].status == GoalStatus.AT_RISK  # its sub-goal's red task
    assert by_id[4].status == GoalStatus.ON_TRACK
    assert by_id[1].status == GoalStatus.AT_RISK
    assert by_id[1].tally == TaskTally(closed=1, red=1, green=2)
    assert by_id[1].own == TaskTally(closed=1)
    assert by_id[1].signals == [Signal.MET]


def test_an_orphan_becomes_a_root():
    roots = tree([Item(1, None), Item(2, 99)])
    assert [r.item.pk for r in roots] == [1, 2]


def test_a_cycle_is_cut_and_no_goal_is_lost():
    roots = tree([Item(1, 2), Item(2, 1), Item(3, None)])
    seen = sorted(n.item.pk for r in roots for n in r.walk())
    assert seen == [1, 2, 3]
