"""Reads for the task lists: the filtered task list with its counts, the red list and the ledger
(台账) export, each scoped to who is asking ("My work" is in work_selectors.py).

Colours and time statuses are filtered and counted in the database with `timing.colour_q` /
`status_q`; `task_timing` runs in Python only for the rows a page shows. Every read here costs a
fixed number of queries, whatever the number of tasks: lists are capped or paginated, and the
co-units of exported tasks are fetched per chunk.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.access import grants_for
from jinwei.accounts.models import Membership, OrgUnit, Region, Role, User
from jinwei.accounts.selectors import governments_for
from jinwei.tasks.access import visible_tasks
from jinwei.tasks.models import (
    ACTIVE_STATES,
    ChangeRequest,
    CoUnit,
    Goal,
    SavedView,
    Task,
    TaskEvent,
    TaskRules,
)
from jinwei.tasks.timing import Colour, Rules, TimeStatus, Timing, colour_q, status_q, task_timing

State = Task.State
PAGE_SIZE = 50
RED_PER_UNIT = 30  # red tasks shown per unit on the red list
EXPORT_CHUNK = 2000
COLOURS = (Colour.RED, Colour.YELLOW, Colour.GREEN)
LOOP_ACTIONS = (
    TaskEvent.Action.ACKNOWLEDGE,
    TaskEvent.Action.REQUEST_COMPLETION,
    TaskEvent.Action.RETURN,
)

# What a list row needs (the page shows 50 rows; `only` keeps the rows narrow). Lead units and
# leaders are fetched afterwards (attach_people): joined into the page query, they make SQLite
# read the tasks unit by unit instead of along an index.
ROW_FIELDS = (
    "id",
    "government_id",
    "code",
    "title",
    "state",
    "progress",
    "start_date",
    "deadline",
    "closed_on",
    "acknowledge_by",
    "next_report_due",
    "is_illustrative",
    "lead_unit",
    "leader",
)


# --- whose tasks, under which rules -----------------------------------------------------------


def list_governments(viewer: Any) -> list[Region]:
    """The governments whose tasks the viewer reads, by code (usually exactly one)."""
    return list(governments_for(viewer).order_by("code"))


def rules_by_government(government_ids: Iterable[int]) -> dict[int, Rules]:
    """Each government's colour rules in one query; the defaults where none are configured."""
    ids = list(government_ids)
    rules = dict.fromkeys(ids, Rules())
    for row in TaskRules.objects.filter(government_id__in=ids):
        rules[row.government_id] = Rules.of(row)
    return rules


def per_government(rules: Mapping[int, Rules], make: Callable[[Rules], Q]) -> Q:
    """A rules-dependent filter for tasks of several governments (one branch per set of rules)."""
    if not rules:
        return Q(pk__in=[])
    if len(set(rules.values())) == 1:
        return make(next(iter(rules.values())))
    return reduce(or_, (Q(government_id=gid) & make(r) for gid, r in rules.items()))


def managed_government_ids(viewer: Any) -> list[int]:
    grants = grants_for(viewer)
    if grants.is_superuser:
        return [g.pk for g in list_governments(viewer)]
    return sorted(g for g in grants.government_ids if grants.manages(g))


def leader_government_ids(viewer: Any) -> list[int]:
    grants = grants_for(viewer)
    return sorted(g for g in grants.government_ids if grants.has_role(g, Role.LEADER))


def may_see_red_list(viewer: Any, government_id: int) -> bool:
    grants = grants_for(viewer)
    return grants.manages(government_id) or grants.has_role(government_id, Role.LEADER)


# --- one row as the pages show it -------------------------------------------------------------


def timing_of(task: Task, today: datetime.date, rules: Rules) -> Timing:
    return task_timing(
        state=task.state,
        start=task.start_date,
        deadline=task.deadline,
        progress=task.progress,
        closed_on=task.closed_on,
        today=today,
        rules=rules,
    )


LATE_STATUSES = (TimeStatus.OVERDUE, TimeStatus.CLOSED_LATE)


@dataclass(frozen=True)
class Row:
    """A task with its timing for today (computed only for the rows a page shows)."""

    task: Task
    timing: Timing

    @property
    def is_late(self) -> bool:
        return self.timing.status in LATE_STATUSES

    @property
    def days_overdue(self) -> int:
        return max(0, -self.timing.days_left)

    @property
    def points_behind(self) -> int:
        return max(0, round(self.timing.behind))


def attach_people(tasks: Sequence[Task]) -> None:
    """Set the lead unit and the leader of each task, in two queries for all of them."""
    units = (
        OrgUnit.objects.only("id", "name", "kind", "order")
        .order_by()
        .in_bulk({task.lead_unit_id for task in tasks})
    )
    leaders = (
        User.objects.only("id", "name", "username")
        .order_by()
        .in_bulk({task.leader_id for task in tasks if task.leader_id})
    )
    for task in tasks:
        task.lead_unit = units[task.lead_unit_id]
        if task.leader_id:
            task.leader = leaders[task.leader_id]


def rows_for(tasks: Iterable[Task], today: datetime.date, rules: Mapping[int, Rules]) -> list[Row]:
    """The tasks of one page with their lead units, leaders (two queries) and timing."""
    shown = list(tasks)
    attach_people(shown)
    return [
        Row(task, timing_of(task, today, rules.get(task.government_id, Rules()))) for task in shown
    ]


# --- the task list ----------------------------------------------------------------------------

SORTS: dict[str, tuple[str, ...]] = {
    "deadline": ("deadline", "id"),
    "-deadline": ("-deadline", "-id"),
    "code": ("code", "id"),
    "progress": ("progress", "deadline", "id"),
    "-progress": ("-progress", "deadline", "id"),
    "unit": ("lead_unit__name", "deadline", "id"),
    "changed": ("-updated_at", "-id"),
}
SORT_LABELS = {
    "deadline": _("Deadline, soonest first"),
    "-deadline": _("Deadline, latest first"),
    "code": _("Code"),
    "progress": _("Progress, lowest first"),
    "-progress": _("Progress, highest first"),
    "unit": _("Lead unit"),
    "changed": _("Recently changed"),
}
ACTIVE = "active"  # the state filter's "any ongoing state"
LEAD, CO = "lead", "co"  # the unit filter's roles


@dataclass(frozen=True)
class TaskFilters:
    """What the task list is filtered by (parsed from the query string by list_forms)."""

    government_id: int
    text: str = ""
    unit_ids: tuple[int, ...] = ()
    unit_role: str = ""  # "" lead or co-unit, LEAD, CO
    goal_ids: tuple[int, ...] = ()  # a goal and the goals under it
    colour: Colour | None = None
    state: str = ""  # a Task.State, ACTIVE, or "" for any
    status: TimeStatus | None = None
    leader_id: int | None = None
    deadline_from: datetime.date | None = None
    deadline_to: datetime.date | None = None
    report_due_by: datetime.date | None = None
    returned: bool = False
    pending_request: bool = False
    sort: str = "deadline"


def last_loop_action() -> Subquery:
    """The task's latest acknowledge / completion request / return: "return" means sent back."""
    latest = TaskEvent.objects.filter(task=OuterRef("pk"), action__in=LOOP_ACTIONS)
    return Subquery(latest.order_by("-at", "-id").values("action")[:1])


def _unit_q(unit_ids: Sequence[int], role: str) -> Q:
    """Tasks the units lead, co-operate on (CO) or either.

    "Either" is one set of ids (the units' led tasks UNION their co-unit tasks), found through
    the indexes on lead unit and on co-unit; a correlated EXISTS inside an OR would make the
    database test every task of the government instead.
    """
    if role == LEAD:
        return Q(lead_unit_id__in=unit_ids)
    co = CoUnit.objects.filter(unit_id__in=unit_ids).order_by().values("task_id")
    if role == CO:
        return Q(pk__in=co)
    lead = Task.objects.filter(lead_unit_id__in=unit_ids).order_by().values("pk")
    return Q(pk__in=lead.union(co))


def co_unit_q(unit_ids: Sequence[int]) -> Q:
    return _unit_q(unit_ids, CO)


def filtered_tasks(
    *, viewer: Any, filters: TaskFilters, today: datetime.date, rules: Rules
) -> QuerySet[Task]:
    """The viewer's tasks of one government matching the filters (unordered)."""
    f = filters
    tasks = visible_tasks(viewer).filter(government_id=f.government_id)
    conditions = [
        Q(code__icontains=f.text) | Q(title__icontains=f.text) if f.text else None,
        _unit_q(f.unit_ids, f.unit_role) if f.unit_ids else None,
        Q(goal_id__in=f.goal_ids) if f.goal_ids else None,
        colour_q(f.colour, today, rules) if f.colour else None,
        Q(state__in=ACTIVE_STATES) if f.state == ACTIVE else Q(state=f.state) if f.state else None,
        status_q(f.status, today, rules) if f.status else None,
        Q(leader_id=f.leader_id) if f.leader_id else None,
        Q(deadline__gte=f.deadline_from) if f.deadline_from else None,
        Q(deadline__lte=f.deadline_to) if f.deadline_to else None,
        Q(next_report_due__lte=f.report_due_by) if f.report_due_by else None,
        Q(Exists(ChangeRequest.objects.filter(task=OuterRef("pk"), status="pending")))
        if f.pending_request
        else None,
    ]
    for condition in conditions:
        if condition is not None:
            tasks = tasks.filter(condition)
    if f.returned:
        tasks = tasks.filter(state=State.IN_PROGRESS)
        tasks = tasks.alias(last_loop=last_loop_action()).filter(last_loop=TaskEvent.Action.RETURN)
    return tasks


def ordered_ids(tasks: QuerySet[Task], sort: str) -> QuerySet[Any]:
    """The ids of the tasks in the chosen order, for the paginator to slice.

    Sorting ids (and the sort keys) rather than whole rows lets the database answer from an
    index; the page's 50 rows are then read by id (`tasks_by_id`).
    """
    return tasks.order_by(*SORTS.get(sort, SORTS["deadline"])).values_list("pk", flat=True)


def tasks_by_id(ids: Iterable[int]) -> list[Task]:
    """The tasks with these ids, in that order, with what a list row shows."""
    wanted = list(ids)
    found = Task.objects.only(*ROW_FIELDS).order_by().in_bulk(wanted)
    return [found[pk] for pk in wanted if pk in found]


@dataclass(frozen=True)
class ListCounts:
    total: int
    by_state: dict[str, int]
    by_colour: dict[str, int]


def list_counts(tasks: QuerySet[Task], today: datetime.date, rules: Rules) -> ListCounts:
    """Tasks per state and per colour in one aggregate query.

    Grouped by state, with red and yellow counted by the colour filters; green is the rest of
    the ongoing tasks (the three colours split them), and the states add up to the total.
    """
    rows = (
        tasks.order_by()
        .values("state")
        .annotate(
            n=Count("pk"),
            red=Count("pk", filter=colour_q(Colour.RED, today, rules)),
            yellow=Count("pk", filter=colour_q(Colour.YELLOW, today, rules)),
        )
    )
    by_state = dict.fromkeys(State.values, 0)
    red = yellow = 0
    for row in rows:
        by_state[row["state"]] = row["n"]
        red += row["red"]
        yellow += row["yellow"]
    active = sum(by_state[state] for state in ACTIVE_STATES)
    return ListCounts(
        total=sum(by_state.values()),
        by_state=by_state,
        by_colour={"red": red, "yellow": yellow, "green": active - red - yellow},
    )


# --- choices for the filters ------------------------------------------------------------------


def unit_choices(government_id: int) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(government_id=government_id, is_active=True)
        .only("id", "name", "kind", "order")
        .order_by("kind", "order", "name")
    )


@dataclass(frozen=True)
class GoalNode:
    id: int
    title: str
    depth: int
    descendants: tuple[int, ...]  # itself included


def goal_tree(government_id: int) -> list[GoalNode]:
    """The government's goals in tree order, each with the ids of the goals under it."""
    goals = list(
        Goal.objects.filter(government_id=government_id)
        .order_by("order", "id")
        .values_list("id", "parent_id", "title")
    )
    children: dict[int | None, list[tuple[int, str]]] = {}
    known = {goal_id for goal_id, _parent, _title in goals}
    for goal_id, parent_id, title in goals:
        children.setdefault(parent_id if parent_id in known else None, []).append((goal_id, title))
    nodes: list[GoalNode] = []

    def walk(parent: int | None, depth: int) -> list[int]:
        ids: list[int] = []
        for goal_id, title in children.get(parent, []):
            index = len(nodes)
            nodes.append(GoalNode(goal_id, title, depth, ()))
            below = walk(goal_id, depth + 1)
            nodes[index] = GoalNode(goal_id, title, depth, (goal_id, *below))
            ids += [goal_id, *below]
        return ids

    walk(None, 0)
    return nodes


def leader_choices(government_id: int, asked: str | None = None) -> list[User]:
    """The government's leaders, and the person `asked` for (a user id from the query string)
    when they are a task's responsible leader there without holding the leader role."""
    is_leader = Q(
        Exists(
            Membership.objects.filter(
                user=OuterRef("pk"), unit__government_id=government_id, role=Role.LEADER
            )
        )
    )
    if asked and asked.isdigit():
        leads = Task.objects.filter(leader_id=int(asked), government_id=government_id)
        is_leader |= Q(pk=int(asked)) & Q(Exists(leads))
    return list(
        User.objects.filter(is_leader).only("id", "name", "username").order_by("name", "username")
    )


def saved_views_of(user: Any) -> list[SavedView]:
    """The user's own saved views (nobody else's), by name."""
    return list(SavedView.objects.filter(user_id=user.pk).order_by("name"))


# --- the red list -----------------------------------------------------------------------------


@dataclass
class RedGroup:
    unit: OrgUnit
    rows: list[Row]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def unit_key() -> ExpressionWrapper:
    """The lead unit's id as an expression, to group tasks by.

    Grouped by the bare column, SQLite walks the tasks along the (lead_unit, state, deadline)
    index and reads every row; grouped by "lead_unit_id + 0" it counts from the index on
    (government, state, …) instead. PostgreSQL hashes either way.
    """
    return ExpressionWrapper(F("lead_unit_id") + 0, output_field=IntegerField())


def red_list(
    *, viewer: Any, government_id: int, today: datetime.date, rules: Rules
) -> list[RedGroup]:
    """Red tasks by lead unit, most overdue first, at most RED_PER_UNIT per unit.

    The red tasks are read as (id, unit) pairs in deadline order, which the database answers
    from an index; only the rows shown are then read whole (three more queries).
    """
    red = (
        visible_tasks(viewer)
        .filter(colour_q(Colour.RED, today, rules), government_id=government_id)
        .order_by("deadline", "id")
        .values_list("pk", "lead_unit_id")
    )
    totals: Counter[int] = Counter()
    shown: list[int] = []
    for pk, unit_id in red:
        totals[unit_id] += 1
        if totals[unit_id] <= RED_PER_UNIT:
            shown.append(pk)
    tasks = tasks_by_id(shown)
    attach_people(tasks)
    groups: dict[int, RedGroup] = {}
    for task in tasks:
        group = groups.get(task.lead_unit_id)
        if group is None:
            group = groups[task.lead_unit_id] = RedGroup(
                task.lead_unit, [], totals[task.lead_unit_id]
            )
        group.rows.append(Row(task, timing_of(task, today, rules)))
    return sorted(groups.values(), key=lambda g: (g.unit.kind, g.unit.order, g.unit.name))


# --- the ledger export ------------------------------------------------------------------------


def colour_case(today: datetime.date, rules: Rules) -> Case:
    """The colour as the database computes it, from the same filters as the list."""
    whens = [When(colour_q(c, today, rules), then=Value(c.value)) for c in COLOURS]
    return Case(*whens, default=Value(""), output_field=CharField())


def status_case(today: datetime.date, rules: Rules) -> Case:
    whens = [When(status_q(s, today, rules), then=Value(s.value)) for s in TimeStatus]
    return Case(*whens, default=Value(""), output_field=CharField())


def ledger_rows(tasks: QuerySet[Task], today: datetime.date, rules: Rules) -> Iterator[Task]:
    """The tasks with their co-units, colour and time status, streamed in chunks.

    Per chunk of EXPORT_CHUNK tasks: one query for the chunk, one for its co-units (with their
    units); colour and status come from the database (`colour`, `time_status` attributes).
    """
    co_units = Prefetch(
        "co_units",
        queryset=CoUnit.objects.select_related("unit")
        .only("id", "task_id", "unit_id", "part", "progress", "unit__name")
        .order_by("id"),
    )
    rows = (
        tasks.select_related("lead_unit", "leader", "goal")
        .prefetch_related(co_units)
        .annotate(colour=colour_case(today, rules), time_status=status_case(today, rules))
    )
    return rows.iterator(chunk_size=EXPORT_CHUNK)
