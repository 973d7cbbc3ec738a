"""Reads for the goals tree, a goal's page and its Gantt chart.

The whole tree of a government is loaded in a fixed number of queries (goals, their indicator
links, the indicators' values and targets, one count of tasks per goal and colour) and assembled
in Python; a goal's page reuses it, so the status shown on the page and in the tree is the same.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, IntegerField, Q, QuerySet, Value, When

from jinwei.accounts.access import scope_to_governments
from jinwei.accounts.models import Region
from jinwei.accounts.selectors import KIND_ORDER
from jinwei.indicators.models import Indicator, Observation, Target
from jinwei.indicators.selectors import (
    _POINT_FIELDS,
    Point,
    TargetStatus,
    computes_yoy,
    points_from,
    target_status,
)
from jinwei.tasks.goal_status import Node, Signal, TaskTally, build_tree, stage_of
from jinwei.tasks.models import Goal, Milestone, Task
from jinwei.tasks.services import rules_for
from jinwei.tasks.timing import Colour, Rules, colour_q

TASKS_SHOWN = 200  # on a goal's page and its Gantt chart; the task list shows the rest


def goal_queryset(*, viewer: Any) -> QuerySet[Goal]:
    return scope_to_governments(Goal.objects.select_related("government"), viewer, "government_id")


def colour_of_task(today: datetime.date, rules: Rules) -> Case:
    """The task's colour today as an annotation ("" for drafts, closed and cancelled tasks)."""
    return Case(
        *[
            When(colour_q(colour, today, rules), then=Value(colour.value))
            for colour in (Colour.RED, Colour.YELLOW, Colour.GREEN)
        ],
        default=Value(""),
        output_field=CharField(),
    )


# --- indicators ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator linked to a goal: its latest value and where it stands against its target."""

    indicator: Indicator
    latest: Point | None
    status: TargetStatus | None

    @property
    def signal(self) -> Signal:
        if self.status is None:
            return Signal.NONE
        if self.status.progress.points_behind <= 0:
            return Signal.MET
        return Signal(self.status.colour)


def indicator_lines(region: Region, indicator_ids: set[int]) -> dict[int, IndicatorLine]:
    """Each indicator's latest value in the government's own region and its status against the
    target of that year: three queries, whatever the number of indicators."""
    if not indicator_ids:
        return {}
    indicators = Indicator.objects.filter(pk__in=indicator_ids).order_by("order", "code")
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    observations = Observation.objects.filter(region=region, indicator_id__in=indicator_ids)
    for row in observations.values(*_POINT_FIELDS):
        rows[row["indicator_id"]].append(row)
    targets: dict[tuple[int, int], Target] = {}
    for target in Target.objects.filter(region=region, indicator_id__in=indicator_ids):
        targets[(target.indicator_id, target.year)] = target
    lines = {}
    for indicator in indicators:
        points = points_from(rows[indicator.pk], yoy=computes_yoy(indicator))
        latest = points[-1] if points else None
        status = None
        if latest is not None:
            year_target = targets.get((indicator.pk, latest.period.year))
            if year_target is not None:
                status = target_status(indicator, year_target, points)
        lines[indicator.pk] = IndicatorLine(indicator, latest, status)
    return lines


# --- the tree ------------------------------------------------------------------------------


def task_tallies(government_id: int, today: datetime.date, rules: Rules) -> dict[int, TaskTally]:
    """Tasks per goal in each colour or state: one grouped query."""
    rows = (
        Task.objects.filter(government_id=government_id, goal__isnull=False)
        .values("goal_id")
        .annotate(
            draft=Count("pk", filter=Q(state=Task.State.DRAFT)),
            green=Count("pk", filter=colour_q(Colour.GREEN, today, rules)),
            yellow=Count("pk", filter=colour_q(Colour.YELLOW, today, rules)),
            red=Count("pk", filter=colour_q(Colour.RED, today, rules)),
            closed=Count("pk", filter=Q(state=Task.State.CLOSED)),
            cancelled=Count("pk", filter=Q(state=Task.State.CANCELLED)),
        )
        .order_by()
    )
    return {row.pop("goal_id"): TaskTally(**row) for row in rows}


@dataclass
class GoalTree:
    government: Region
    roots: list[Node[Goal]]
    indicators: dict[int, list[IndicatorLine]]  # goal id -> its own indicators
    today: datetime.date
    rules: Rules
    by_id: dict[int, Node[Goal]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {node.item.pk: node for root in self.roots for node in root.walk()}

    def nodes(self) -> list[Node[Goal]]:
        """Every goal, depth first (the order the page lists them in)."""
        return [node for root in self.roots for node in root.walk()]


def goal_tree(*, government: Region, today: datetime.date) -> GoalTree:
    """Every goal of a government with its status, task counts and indicators."""
    rules = rules_for(government.pk)
    goals = list(Goal.objects.filter(government=government).order_by("order", "id"))
    links = Goal.indicators.through.objects.filter(goal__government=government)
    indicator_ids: dict[int, list[int]] = defaultdict(list)
    for goal_id, indicator_id in links.values_list("goal_id", "indicator_id"):
        indicator_ids[goal_id].append(indicator_id)
    lines = indicator_lines(government, {i for ids in indicator_ids.values() for i in ids})
    own_lines = {
        goal_id: sorted(
            (lines[i] for i in ids if i in lines),
            key=lambda line: (line.indicator.order, line.indicator.code),
        )
        for goal_id, ids in indicator_ids.items()
    }
    tallies = task_tallies(government.pk, today, rules)
    roots = build_tree(
        goals,
        key=lambda goal: goal.pk,
        parent_key=lambda goal: goal.parent_id,
        own_tally=lambda goal: tallies.get(goal.pk, TaskTally()),
        own_signals=lambda goal: [line.signal for line in own_lines.get(goal.pk, [])],
    )
    for root in roots:
        for node in root.walk():
            node.lines = own_lines.get(node.item.pk, [])
            node.stage = stage_of(node.item.stage, node.item.horizon)
    return GoalTree(government, roots, own_lines, today, rules)


# --- one goal ------------------------------------------------------------------------------


def subtree_ids(goal: Goal) -> set[int]:
    """The goal and every goal under it: one query for the government's (few) goals."""
    children: dict[int | None, list[int]] = defaultdict(list)
    pairs = Goal.objects.filter(government_id=goal.government_id).values_list("pk", "parent_id")
    for pk, parent_id in pairs:
        children[parent_id].append(pk)
    found: set[int] = set()
    stack = [goal.pk]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children[pk])
    return found


def tasks_of(
    goal_ids: set[int], today: datetime.date, rules: Rules, limit: int = TASKS_SHOWN
) -> list[Task]:
    """The tasks serving the goals, soonest deadline first, with their colour (`task.colour`)
    computed by the database."""
    rows = (
        Task.objects.filter(goal_id__in=goal_ids)
        .select_related("lead_unit", "goal")
        .annotate(colour=colour_of_task(today, rules))
        .order_by("deadline", "code")
    )
    return list(rows[:limit])


# --- the Gantt chart -----------------------------------------------------------------------


@dataclass(frozen=True)
class GanttMilestone:
    title: str
    due_date: datetime.date
    done_on: datetime.date | None
    late: bool  # done after its date, or not done and its date has passed


def _milestone(m: Milestone, today: datetime.date) -> GanttMilestone:
    late = m.done_on > m.due_date if m.done_on is not None else m.due_date < today
    return GanttMilestone(m.title, m.due_date, m.done_on, late)


@dataclass(frozen=True)
class GanttBar:
    """One task on the chart: a bar from its start to its deadline in its colour."""

    task_id: int
    code: str
    title: str
    goal: str
    unit: str
    start: datetime.date
    deadline: datetime.date
    state: str
    state_label: str
    colour: str  # red, yellow, green, closed or draft
    progress: int
    closed_on: datetime.date | None
    milestones: tuple[GanttMilestone, ...] = ()


def _bar_colour(task: Task) -> str:
    annotated = str(getattr(task, "colour", ""))
    if annotated:
        return annotated
    return "closed" if task.state == Task.State.CLOSED else "draft"


def gantt_bars(
    goal_ids: set[int], today: datetime.date, rules: Rules, limit: int = TASKS_SHOWN
) -> list[GanttBar]:
    """The tasks of the goals (not the cancelled ones), grouped by lead unit in the units' usual
    order, each unit's tasks by start: two queries."""
    tasks = list(
        Task.objects.filter(goal_id__in=goal_ids)
        .exclude(state=Task.State.CANCELLED)
        .select_related("lead_unit", "goal")
        .annotate(colour=colour_of_task(today, rules), unit_rank=_unit_rank())
        .order_by(
            "unit_rank", "lead_unit__order", "lead_unit__name", "start_date", "deadline", "code"
        )[:limit]
    )
    milestones: dict[int, list[GanttMilestone]] = defaultdict(list)
    for m in Milestone.objects.filter(task__in=[t.pk for t in tasks]).order_by("due_date", "id"):
        milestones[m.task_id].append(_milestone(m, today))
    return [
        GanttBar(
            task_id=t.pk,
            code=t.code,
            title=t.title,
            goal=t.goal.title if t.goal else "",
            unit=t.lead_unit.name,
            start=t.start_date,
            deadline=t.deadline,
            state=t.state,
            state_label=t.get_state_display(),
            colour=_bar_colour(t),
            progress=t.progress,
            closed_on=t.closed_on,
            milestones=tuple(milestones[t.pk]),
        )
        for t in tasks
    ]


def _unit_rank() -> Case:
    """The accounts' order of unit kinds (towns before departments), through the lead unit."""
    return Case(
        *[When(lead_unit__kind=kind, then=Value(rank)) for rank, kind in enumerate(KIND_ORDER)],
        default=Value(len(KIND_ORDER)),
        output_field=IntegerField(),
    )
