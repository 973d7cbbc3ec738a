"""The Gantt chart's data: bars, their colours and order, milestones, the today line."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jinwei.tasks import gantt, goal_selectors
from jinwei.tasks.models import Milestone, Task
from jinwei.tasks.timing import Rules
from tests.tasks.factories import GoalFactory, TaskFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2024, 7, 15)
State = Task.State


@pytest.fixture
def plan(cast):
    goal = GoalFactory(government=cast.enping, title="产业园")
    sub = GoalFactory(government=cast.enping, parent=goal, title="一期")
    unrelated = GoalFactory(government=cast.enping, title="别的目标")
    tasks = {
        "red": TaskFactory(
            lead_unit=cast.encheng,
            goal=goal,
            code="A1",
            deadline=D(2024, 7, 1),
            state=State.IN_PROGRESS,
        ),
        "green": TaskFactory(
            lead_unit=cast.encheng,
            goal=sub,
            code="A2",
            start_date=D(2024, 3, 1),
            state=State.IN_PROGRESS,
            progress=80,
        ),
        "closed": TaskFactory(
            lead_unit=cast.stats_bureau,
            goal=sub,
            code="B1",
            deadline=D(2024, 6, 30),
            state=State.CLOSED,
            closed_on=D(2024, 6, 28),
            progress=100,
        ),
        "draft": TaskFactory(lead_unit=cast.hengpi, goal=goal, code="C1"),
        "cancelled": TaskFactory(
            lead_unit=cast.hengpi, goal=goal, code="C2", state=State.CANCELLED
        ),
        "elsewhere": TaskFactory(
            lead_unit=cast.hengpi, goal=unrelated, code="D1", state=State.IN_PROGRESS
        ),
    }
    green = tasks["green"]
    Milestone.objects.create(
        task=green, title="动工", due_date=D(2024, 4, 1), done_on=D(2024, 4, 1)
    )
    Milestone.objects.create(
        task=green, title="封顶", due_date=D(2024, 5, 1), done_on=D(2024, 5, 10)
    )  # done late
    Milestone.objects.create(task=green, title="主体完工", due_date=D(2024, 7, 1))  # late
    Milestone.objects.create(task=green, title="验收", due_date=D(2024, 11, 30))
    return goal, tasks


def bars_of(goal):
    return goal_selectors.gantt_bars(goal_selectors.subtree_ids(goal), TODAY, Rules())


def test_bars_cover_the_goal_and_its_sub_goals_grouped_by_unit(cast, plan):
    goal, _tasks = plan
    bars = bars_of(goal)
    # towns first (恩城街道 and 横陂镇 in the units' order), then departments; by start in a unit
    assert [(b.unit, b.code) for b in bars] == [
        ("恩城街道", "A1"),
        ("恩城街道", "A2"),
        ("横陂镇", "C1"),
        ("统计局", "B1"),
    ]
    assert [b.colour for b in bars] == ["red", "green", "draft", "closed"]
    assert bars[1].start == D(2024, 3, 1) and bars[1].deadline == D(2024, 12, 31)
    assert bars[1].goal == "一期"


def test_figure_has_one_bar_per_task_from_start_to_deadline(cast, plan):
    goal, _tasks = plan
    figure = gantt.gantt_figure(bars_of(goal), TODAY)
    bar = figure["data"][0]
    assert bar["type"] == "bar" and bar["orientation"] == "h"
    assert bar["y"][0] == ["恩城街道", "恩城街道", "横陂镇", "统计局"]
    assert bar["y"][1][0].startswith("A1 ")
    assert bar["base"][1] == "2024-03-01"
    assert bar["x"][1] == (D(2024, 12, 31) - D(2024, 3, 1)).days * 86_400_000 + 86_400_000
    assert bar["marker"]["color"] == [
        gantt.BAR_COLOURS["red"],
        gantt.BAR_COLOURS["green"],
        gantt.BAR_COLOURS["draft"],
        gantt.BAR_COLOURS["closed"],
    ]
    assert figure["layout"]["yaxis"]["type"] == "multicategory"


def test_milestones_are_markers_on_their_tasks_row(cast, plan):
    goal, _tasks = plan
    marks = gantt.gantt_figure(bars_of(goal), TODAY)["data"][1]
    assert marks["type"] == "scatter" and marks["mode"] == "markers"
    assert marks["x"] == ["2024-04-01", "2024-05-01", "2024-07-01", "2024-11-30"]
    assert marks["text"] == ["动工", "封顶", "主体完工", "验收"]
    assert marks["y"][0] == ["恩城街道"] * 4
    assert all(label.startswith("A2 ") for label in marks["y"][1])
    # done on its date; done late; planned but past its date; planned and still ahead
    assert marks["marker"]["symbol"] == ["diamond", "diamond-x", "diamond-x-open", "diamond-open"]
    assert [m.late for m in bars_of(goal)[1].milestones] == [False, True, True, False]


def test_today_is_a_line_across_the_chart(cast, plan):
    goal, _tasks = plan
    layout = gantt.gantt_figure(bars_of(goal), TODAY)["layout"]
    line = layout["shapes"][0]
    assert (line["x0"], line["x1"], line["yref"]) == ("2024-07-15", "2024-07-15", "paper")
    assert layout["annotations"][0]["x"] == "2024-07-15"


def test_without_milestones_there_is_no_marker_trace(cast):
    goal = GoalFactory(government=cast.enping)
    TaskFactory(lead_unit=cast.encheng, goal=goal)
    assert len(gantt.gantt_figure(bars_of(goal), TODAY)["data"]) == 1


def test_long_titles_are_cut_on_the_axis():
    bar = goal_selectors.GanttBar(
        task_id=1,
        code="X1",
        title="承接大湾区产业溢出和珠西科创智谷建设与中山恩平智能家电产业园",
        goal="",
        unit="u",
        start=TODAY,
        deadline=TODAY,
        state="draft",
        state_label="",
        colour="draft",
        progress=0,
        closed_on=None,
    )
    label = gantt.task_label(bar)
    assert label.startswith("X1 ") and label.endswith("…")
    assert len(label) == len("X1 ") + gantt.LABEL_LENGTH


def test_gantt_page_carries_the_figure_and_the_table(cast, plan, django_assert_max_num_queries):
    goal, _tasks = plan
    client = cast.client_for(cast.viewer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("tasks:gantt", args=[goal.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="gantt-figure"' in html and 'data-chart="gantt-figure"' in html
    assert "unsafe-inline" in response.headers["Content-Security-Policy"]  # Plotly's styles
    assert "<script>" not in html  # data only, no inline script
    for code in ("A1", "A2", "B1", "C1"):
        assert code in html
    assert "C2" not in html and "D1" not in html
