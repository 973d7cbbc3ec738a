"""Opportunity items without linked actions are flagged: in the views the briefing reads, in the
list's counts and filter; the state of each linked action; what an item can be linked to."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jinwei.opportunities import selectors, services
from jinwei.projects.models import Project
from jinwei.tasks.models import Task
from tests.opportunities.factories import (
    ItemActionFactory,
    OpportunityFactory,
    OpportunityItemFactory,
)
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 9, 15)


def test_items_without_linked_actions_are_flagged(cast, plan):
    (view,) = selectors.opportunities_with_items(government=cast.enping)
    assert view.opportunity == plan.opportunity
    assert [(v.item.number, v.is_flagged) for v in view.items] == [(1, False), (2, True)]
    assert [v.item for v in view.flagged] == [plan.flagged]
    assert len(view.items[0].actions) == 3


def test_unlinking_the_last_action_flags_the_item(cast, plan):
    for action in list(plan.linked.actions.all()):
        services.action_unlink(actor=cast.supervisor, action=action)
    (view,) = selectors.opportunities_with_items(government=cast.enping)
    assert [v.is_flagged for v in view.items] == [True, True]


def test_the_list_counts_items_and_flagged_items(cast, plan):
    empty = OpportunityFactory(government=cast.enping, title="深中通道", order=5)
    (first, second) = selectors.opportunity_list(viewer=cast.viewer, government=cast.enping)
    assert (first, first.item_count, first.flagged_count) == (plan.opportunity, 2, 1)
    assert (second, second.item_count, second.flagged_count) == (empty, 0, 0)


def test_the_filter_keeps_opportunities_with_flagged_items(cast, plan):
    done = OpportunityFactory(government=cast.enping, title="黄茅海跨海通道")
    ItemActionFactory(item=OpportunityItemFactory(opportunity=done), goal=plan.goal)
    everything = selectors.opportunity_list(viewer=cast.leader, government=cast.enping)
    assert set(everything) == {plan.opportunity, done}
    only = selectors.opportunity_list(viewer=cast.leader, government=cast.enping, only_flagged=True)
    assert list(only) == [plan.opportunity]


def test_the_list_is_scoped_to_the_viewers_governments(cast, plan):
    assert not selectors.opportunity_list(viewer=cast.outsider, government=cast.enping).exists()
    assert list(selectors.opportunity_queryset(viewer=cast.outsider)) == [plan.other]


def test_each_action_shows_its_target_and_state(cast, plan):
    Task.objects.filter(pk=plan.task.pk).update(state=Task.State.IN_PROGRESS)
    Project.objects.filter(pk=plan.project.pk).update(stage=Project.Stage.UNDER_CONSTRUCTION)
    rows = selectors.opportunity_rows(opportunity=plan.opportunity, today=TODAY)
    assert (rows.item_count, rows.flagged_count) == (2, 1)
    goal, task, project = rows.items[0].actions
    assert (goal.kind, goal.url, goal.state, goal.colour) == (
        "goal",
        reverse("tasks:goal", args=[plan.goal.pk]),
        "三年初见成效",
        "",
    )
    assert (task.kind, task.url) == ("task", reverse("tasks:detail", args=[plan.task.pk]))
    assert task.state == str(Task.State.IN_PROGRESS.label)
    assert task.colour in {"green", "yellow", "red"}
    assert (project.kind, project.url) == (
        "project",
        reverse("projects:detail", args=[plan.project.pk]),
    )
    assert project.state == str(Project.Stage.UNDER_CONSTRUCTION.label)
    assert project.colour in {"green", "yellow", "red", "none"}
    assert rows.items[1].is_flagged and rows.items[1].actions == []


def test_an_overdue_task_shows_red(cast, plan):
    Task.objects.filter(pk=plan.task.pk).update(
        state=Task.State.IN_PROGRESS, deadline=TODAY - datetime.timedelta(days=3)
    )
    row = selectors.item_row(item=plan.linked, today=TODAY)
    (task,) = [a for a in row.actions if a.kind == "task"]
    assert task.colour == "red"


def test_link_choices_leave_out_what_is_linked_cancelled_or_foreign(cast, plan):
    cancelled = TaskFactory(lead_unit=cast.encheng, state=Task.State.CANCELLED)
    open_task = TaskFactory(lead_unit=cast.hengpi)
    groups = dict(selectors.link_choices(item=plan.linked))
    values = {value for options in groups.values() for value, _label in options}
    assert f"task:{open_task.pk}" in values
    assert f"task:{plan.task.pk}" not in values  # already linked
    assert f"goal:{plan.goal.pk}" not in values and f"project:{plan.project.pk}" not in values
    assert f"task:{cancelled.pk}" not in values
    assert f"task:{plan.other_task.pk}" not in values
    flagged = {
        v
        for options in dict(selectors.link_choices(item=plan.flagged)).values()
        for v, _ in options
    }
    assert {f"goal:{plan.goal.pk}", f"task:{plan.task.pk}", f"project:{plan.project.pk}"} <= flagged


def test_a_choice_names_a_target_of_the_items_government_only(cast, plan):
    assert selectors.target_for(item=plan.flagged, value=f"task:{plan.task.pk}") == plan.task
    assert selectors.target_for(item=plan.flagged, value=f"task:{plan.other_task.pk}") is None
    assert selectors.target_for(item=plan.flagged, value="indicator:1") is None
    assert selectors.target_for(item=plan.flagged, value="task:x") is None
