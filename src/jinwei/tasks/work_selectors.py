"""Reads for "My work": everything one person must do, section by section, soonest first.

Unit staff: tasks to acknowledge, reports due, deadlines near or passed, tasks sent back, parts
to report on as a co-unit. Supervisors: completion requests, postponement and cancellation
requests, red tasks, drafts. Leaders: the red tasks by unit and the tasks they answer for.
Each section shows its first SECTION_CAP tasks and counts the rest; the page costs a fixed
number of queries whatever the number of tasks (see `_Builder`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.access import grants_for
from jinwei.accounts.models import OrgUnit
from jinwei.tasks.access import acting_unit_ids, visible_tasks
from jinwei.tasks.models import ACTIVE_STATES, ChangeRequest, CoUnit, Task, TaskEvent
from jinwei.tasks.selectors import (
    ACTIVE,
    CO,
    LEAD,
    attach_people,
    co_unit_q,
    last_loop_action,
    leader_government_ids,
    managed_government_ids,
    per_government,
    rules_by_government,
    tasks_by_id,
    timing_of,
    unit_key,
)
from jinwei.tasks.timing import Colour, Rules, Timing, colour_q

State = Task.State
SECTION_CAP = 10  # items per section; the rest are counted and linked
REPORT_WINDOW_DAYS = 7  # the reports due within this many days are listed


@dataclass(frozen=True)
class WorkItem:
    task: Task
    timing: Timing
    due: datetime.date | None  # the date that makes the item urgent
    due_label: str
    note: str = ""
    request: ChangeRequest | None = None
    is_past_due: bool = False


@dataclass
class WorkSection:
    key: str
    title: str
    help: str
    items: list[WorkItem]
    total: int
    more_query: dict[str, str]
    due_label: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class UnitCount:
    unit_id: int
    unit_name: str
    count: int


@dataclass
class MyWork:
    sections: list[WorkSection] = field(default_factory=list)
    red_by_unit: list[UnitCount] = field(default_factory=list)
    red_total: int = 0
    shows_red_summary: bool = False

    @property
    def is_empty(self) -> bool:
        return not any(s.items for s in self.sections) and not self.red_total


@dataclass
class _Pending:
    """A section whose task ids are known; its rows are read with all the others at the end."""

    section: WorkSection
    ids: list[int]
    due: Callable[[Task], datetime.date | None]


class _Builder:
    """Collects the sections of one viewer's "My work" under the rules of their governments.

    Each section costs one query for the ids of its first SECTION_CAP tasks (answered from an
    index) and, only when the cap is hit, one count; the rows of all sections are then read in
    one query, their units and leaders in two more.
    """

    def __init__(self, viewer: Any, today: datetime.date, rules: Mapping[int, Rules]) -> None:
        self.viewer = viewer
        self.today = today
        self.rules = rules
        self.work = MyWork()
        self.tasks = visible_tasks(viewer)
        self.pending: list[_Pending] = []

    def timing(self, task: Task) -> Timing:
        return timing_of(task, self.today, self.rules.get(task.government_id, Rules()))

    def item(self, task: Task, due: datetime.date | None, label: str, note: str = "") -> WorkItem:
        past_due = due is not None and due < self.today
        return WorkItem(task, self.timing(task), due, label, note, is_past_due=past_due)

    def section(
        self,
        key: str,
        title: str,
        help_text: str,
        tasks: QuerySet[Task],
        order: Sequence[str],
        due: Callable[[Task], datetime.date | None],
        due_label: str,
        more: dict[str, str],
    ) -> None:
        ids = list(tasks.order_by(*order).values_list("pk", flat=True)[:SECTION_CAP])
        total = len(ids) if len(ids) < SECTION_CAP else tasks.order_by().count()
        section = WorkSection(key, title, help_text, [], total, more, due_label)
        self.work.sections.append(section)
        self.pending.append(_Pending(section, ids, due))

    def finish(self) -> MyWork:
        """Read the rows of every section (one query) and their people (two)."""
        tasks = {t.pk: t for t in tasks_by_id(pk for p in self.pending for pk in p.ids)}
        for p in self.pending:
            shown = [tasks[pk] for pk in p.ids if pk in tasks]
            p.section.items = [self.item(t, p.due(t), p.section.due_label) for t in shown]
        attach_people([item.task for section in self.work.sections for item in section.items])
        return self.work

    def soon(self) -> datetime.date:
        days = max((r.due_soon_days for r in self.rules.values()), default=Rules().due_soon_days)
        return self.today + datetime.timedelta(days=days)


def my_work(*, viewer: Any, today: datetime.date) -> MyWork:
    """Everything the viewer must do, section by section, soonest first."""
    governments = list(grants_for(viewer).government_ids)
    managed = managed_government_ids(viewer)
    rules = rules_by_government(set(governments) | set(managed))
    builder = _Builder(viewer, today, rules)
    units = acting_unit_ids(viewer)
    if units:
        _unit_sections(builder, units)
    if managed:
        _supervisor_sections(builder, managed)
    leading = leader_government_ids(viewer)
    if leading:
        _leader_sections(builder, leading)
    work = builder.finish()
    _attach_notes(work, units)
    return work


def _unit_sections(b: _Builder, units: list[int]) -> None:
    today = b.today
    mine = b.tasks.filter(lead_unit_id__in=units)
    lead = {"unit": "mine", "role": LEAD}
    b.section(
        "acknowledge",
        str(_("To acknowledge")),
        str(_("Tasks assigned to your unit: acknowledge (签收) them by the date shown.")),
        mine.filter(state=State.ASSIGNED),
        ("acknowledge_by", "deadline", "id"),
        lambda t: t.acknowledge_by,
        str(_("acknowledge by")),
        {**lead, "state": State.ASSIGNED},
    )
    report_by = today + datetime.timedelta(days=REPORT_WINDOW_DAYS)
    b.section(
        "reports",
        str(_("Progress reports due")),
        str(_("Reports (进展反馈) due within a week, or already late.")),
        mine.filter(state=State.IN_PROGRESS, next_report_due__lte=report_by),
        ("next_report_due", "deadline", "id"),
        lambda t: t.next_report_due,
        str(_("report due")),
        {**lead, "state": State.IN_PROGRESS, "report_due": report_by.isoformat()},
    )
    soon = b.soon()
    b.section(
        "deadlines",
        str(_("Deadlines near or passed")),
        str(_("Tasks in progress that are due soon or overdue.")),
        mine.filter(state=State.IN_PROGRESS, deadline__lte=soon),
        ("deadline", "id"),
        lambda t: t.deadline,
        str(_("deadline")),
        {**lead, "state": State.IN_PROGRESS, "deadline_to": soon.isoformat()},
    )
    returned = (
        mine.filter(state=State.IN_PROGRESS)
        .alias(last_loop=last_loop_action())
        .filter(last_loop=TaskEvent.Action.RETURN)
    )
    b.section(
        "returned",
        str(_("Returned for more work")),
        str(_("The supervising office sent these back (退回); the reason is shown.")),
        returned,
        ("deadline", "id"),
        lambda t: t.deadline,
        str(_("deadline")),
        {**lead, "returned": "1"},
    )
    b.section(
        "co_units",
        str(_("Your part as a co-unit")),
        str(_("Tasks led by another unit in which your unit has a part to report on.")),
        b.tasks.filter(co_unit_q(units), state=State.IN_PROGRESS).exclude(lead_unit_id__in=units),
        ("deadline", "id"),
        lambda t: t.deadline,
        str(_("deadline")),
        {"unit": "mine", "role": CO, "state": State.IN_PROGRESS},
    )


def _attach_notes(work: MyWork, units: list[int]) -> None:
    """Why each returned task came back, and each co-unit's own part (a query each)."""
    sections = {section.key: section for section in work.sections}
    returned = sections.get("returned")
    if returned is not None and returned.items:
        events = TaskEvent.objects.filter(
            task_id__in=[item.task.pk for item in returned.items],
            action=TaskEvent.Action.RETURN,
        ).order_by("task_id", "at", "id")
        reasons = dict(events.values_list("task_id", "note"))  # the latest return per task
        returned.items = [replace(i, note=reasons.get(i.task.pk, "")) for i in returned.items]
    co = sections.get("co_units")
    if co is not None and co.items:
        parts: dict[int, list[str]] = {}
        rows = CoUnit.objects.filter(
            task_id__in=[item.task.pk for item in co.items], unit_id__in=units
        ).select_related("unit")
        for part in rows:
            parts.setdefault(part.task_id, []).append(
                f"{part.unit.name}: {part.part or '—'} ({part.progress}%)"
            )
        co.items = [replace(i, note="; ".join(parts.get(i.task.pk, []))) for i in co.items]


def _supervisor_sections(b: _Builder, governments: list[int]) -> None:
    scope = b.tasks.filter(government_id__in=governments)
    b.section(
        "review",
        str(_("Completion requests to review")),
        str(_("The lead unit asks to close these (申请办结): return them or close and score.")),
        scope.filter(state=State.COMPLETION_REQUESTED),
        ("deadline", "id"),
        lambda t: t.deadline,
        str(_("deadline")),
        {"state": State.COMPLETION_REQUESTED},
    )
    _change_requests(b, governments)
    red = per_government(
        {g: r for g, r in b.rules.items() if g in governments},
        lambda rules: colour_q(Colour.RED, b.today, rules),
    )
    b.section(
        "red",
        str(_("Red tasks")),
        str(_("Overdue or far behind schedule: urge them (督办).")),
        scope.filter(red),
        ("deadline", "id"),
        lambda t: t.deadline,
        str(_("deadline")),
        {"colour": Colour.RED.value},
    )
    b.section(
        "drafts",
        str(_("Drafts to assign")),
        str(_("Tasks written but not yet assigned (交办) to their lead unit.")),
        scope.filter(state=State.DRAFT),
        ("start_date", "deadline", "id"),
        lambda t: t.start_date,
        str(_("start")),
        {"state": State.DRAFT},
    )


def _change_requests(b: _Builder, governments: list[int]) -> None:
    pending = ChangeRequest.objects.filter(
        status=ChangeRequest.Status.PENDING, task__government_id__in=governments
    )
    shown = list(pending.select_related("task").order_by("created_at", "id")[:SECTION_CAP])
    total = len(shown) if len(shown) < SECTION_CAP else pending.count()
    items = [
        replace(
            b.item(change.task, change.new_deadline, str(change.get_kind_display()), change.reason),
            request=change,
            is_past_due=False,
        )
        for change in shown
    ]
    b.work.sections.append(
        WorkSection(
            "requests",
            str(_("Postponement and cancellation requests")),
            str(_("Requests waiting for your decision.")),
            items,
            total,
            {"pending": "1"},
        )
    )


def _leader_sections(b: _Builder, governments: list[int]) -> None:
    b.work.shows_red_summary = True
    red = per_government(
        {g: r for g, r in b.rules.items() if g in governments},
        lambda rules: colour_q(Colour.RED, b.today, rules),
    )
    by_unit = dict(
        b.tasks.filter(red, government_id__in=governments)
        .order_by()
        .values(unit_key=unit_key())
        .annotate(n=Count("pk"))
        .values_list("unit_key", "n")
    )
    names = dict(OrgUnit.objects.filter(pk__in=list(by_unit)).values_list("pk", "name"))
    counts = sorted(
        (UnitCount(unit_id, names.get(unit_id, ""), n) for unit_id, n in by_unit.items()),
        key=lambda c: (-c.count, c.unit_name),
    )
    b.work.red_total = sum(c.count for c in counts)
    b.work.red_by_unit = counts[:SECTION_CAP]
    b.section(
        "leading",
        str(_("Tasks you are responsible for")),
        str(_("Ongoing tasks that name you as the responsible leader.")),
        b.tasks.filter(leader=b.viewer, state__in=ACTIVE_STATES),
        ("deadline", "id"),
        lambda t: t.deadline,
        str(_("deadline")),
        {"leader": str(b.viewer.pk), "state": ACTIVE},
    )
