"""Goals and tasks demo: Enping's goals tree and about forty tasks played through the closed loop.

Every task is created and moved through the real services (`create_task`, `perform`,
`submit_report`, `request_change`, `decide_change`) on days relative to today, so the states,
colours, late and missed reports and scores are the ones the rules compute. Only the time stamps
of the steps are set afterwards to the day each was played (the services stamp them "now"), so
a timeline reads like the months it shows. Idempotent: goals and tasks are found by their natural
keys (title, code) and an existing task is left as it is, story and all; the reminder cycle then
runs for today (safe to repeat), so reminders and supervision notices show.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from jinwei.accounts.access import MANAGING_ROLES
from jinwei.accounts.demo import demo_government, demo_unit
from jinwei.accounts.models import Membership, OrgUnit, Region, Role, User
from jinwei.audit.services import tracked_create
from jinwei.core.demo import DEMO_NOTE, demo_step, get_or_create
from jinwei.indicators.models import Indicator
from jinwei.tasks import demo_data, services
from jinwei.tasks.access import ACTING_ROLES_EXCLUDED
from jinwei.tasks.demo_data import (
    Acknowledge,
    Assign,
    Cancel,
    Close,
    Complete,
    CoReport,
    GoalSpec,
    Postpone,
    Report,
    Return,
    Step,
    TaskSpec,
)
from jinwei.tasks.models import ChangeRequest, Goal, Task, TaskEvent, TaskRules

log = logging.getLogger(__name__)
Action = TaskEvent.Action


@demo_step("tasks")
def load_tasks() -> int:
    """Goals and tasks: Enping's goals tree, about 40 tasks in every state of the closed loop,
    and nine tasks of 2023, closed, for that year's scorecards and briefing."""
    government = demo_government()
    today = timezone.localdate()
    _, new_rules = get_or_create(TaskRules, lookup={"government": government})
    created = int(new_rules) + _load_people(government)
    goals, new = _load_goals(government)
    created += new
    story = Story(government, today, goals)
    for spec in demo_data.TASKS:
        created += story.tell(spec)
    story_of_2023 = Story(government, demo_data.PAST_DAY, goals)
    for spec in demo_data.PAST_TASKS:
        created += story_of_2023.tell(spec)
    run_reminders(government, today)
    return created


# --- people -------------------------------------------------------------------------------------


def _load_people(government: Region) -> int:
    """A staff member for each unit the stories need and nobody acts for; two deputy mayors."""
    created = 0
    acting = _acting_units(government)
    for unit_name, login in demo_data.UNIT_STAFF.items():
        unit = demo_unit(unit_name)
        if unit.pk in acting:
            continue
        name = f"示例·{unit.short_name or unit.name}干事"
        created += _person(demo_data.STAFF_PREFIX + login, name, unit, Role.STAFF, "工作人员")
    leadership = OrgUnit.objects.get(government=government, kind=OrgUnit.Kind.LEADERSHIP)
    for login, name in demo_data.LEADERS:
        created += _person(login, name, leadership, Role.LEADER, "副市长")
    return created


def _acting_units(government: Region) -> set[int]:
    """Units someone other than the demo's own staff acts for."""
    roles = (
        Membership.objects.filter(unit__government=government)
        .exclude(user__username__startswith=demo_data.STAFF_PREFIX)
        .values_list("unit_id", "role")
    )
    return {unit_id for unit_id, role in roles if role not in ACTING_ROLES_EXCLUDED}


def _person(login: str, name: str, unit: OrgUnit, role: str, title: str) -> int:
    """An illustrative person who cannot sign in (no usable password)."""
    created = 0
    user = User.objects.filter(username=login).first()
    if user is None:
        user = User(username=login, name=name)
        user.set_unusable_password()
        user = tracked_create(actor=None, obj=user, note=DEMO_NOTE)
        created += 1
    _, new = get_or_create(
        Membership, lookup={"user": user, "unit": unit, "role": role}, defaults={"title": title}
    )
    return created + new


# --- goals --------------------------------------------------------------------------------------


def _load_goals(government: Region) -> tuple[dict[str, Goal], int]:
    goals: dict[str, Goal] = {}
    created = 0
    indicators = {i.code: i for i in Indicator.objects.filter(government=government)}
    for order, spec in enumerate(demo_data.GOALS, start=1):
        goal = Goal.objects.filter(government=government, title=spec.title).first()
        if goal is None:
            goal = _create_goal(government, spec, goals.get(spec.parent), order, indicators)
            created += 1
        goals[spec.title] = goal
    return goals, created


def _create_goal(
    government: Region,
    spec: GoalSpec,
    parent: Goal | None,
    order: int,
    indicators: dict[str, Indicator],
) -> Goal:
    goal = Goal(
        government=government,
        parent=parent,
        kind=spec.kind,
        title=spec.title,
        description=spec.description,
        horizon=spec.horizon,
        stage=spec.stage,
        start_date=spec.start,
        end_date=spec.end,
        order=order,
    )
    linked = [indicators[code] for code in spec.indicators if code in indicators]
    return tracked_create(actor=None, obj=goal, note=DEMO_NOTE, m2m={"indicators": linked})


# --- tasks --------------------------------------------------------------------------------------


EVIDENCE = (
    "完成情况说明（示例）\n\n任务：{title}\n编号：{code}\n\n"
    "已按任务要求完成全部工作内容，相关照片、验收记录和台账已整理归档。\n"
)


class Story:
    """Plays each task's steps through the services, on the days the data gives."""

    def __init__(self, government: Region, today: datetime.date, goals: dict[str, Goal]) -> None:
        self.government = government
        self.today = today
        self.goals = goals
        self.supervisor = User.objects.get(username="supervisor")
        self.office = demo_unit(demo_data.SUPERVISION_OFFICE)
        self.staff = _staff_by_unit(government)
        self.minute = 0

    def day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def tell(self, spec: TaskSpec) -> int:
        """Create the task and play its story; 0 if it exists (then it is left alone)."""
        if Task.objects.filter(government=self.government, code=spec.code).exists():
            return 0
        task = services.create_task(
            actor=self.supervisor,
            task=self._task(spec),
            co_units=[services.CoUnitPart(demo_unit(name), part) for name, part in spec.co_units],
            milestones=[
                services.PlannedMilestone(title, self.day(offset))
                for title, offset in spec.milestones
            ],
            note=DEMO_NOTE,
        )
        created = 1 + len(spec.co_units) + len(spec.milestones)
        for step in spec.story:
            created += self.play(task, spec, step)
            task.refresh_from_db()
        return created

    def _task(self, spec: TaskSpec) -> Task:
        parent = None
        if spec.parent:
            parent = Task.objects.get(government=self.government, code=spec.parent)
        leader = User.objects.get(username=spec.leader)
        return Task(
            government=self.government,
            code=spec.code,
            title=spec.title,
            description=spec.description,
            source_kind=spec.source,
            source_reference=spec.reference,
            goal=self.goals.get(spec.goal),
            parent=parent,
            lead_unit=demo_unit(spec.lead),
            leader=leader,
            supervising_unit=self.office,
            start_date=self.day(spec.start),
            deadline=self.day(spec.deadline),
            priority=spec.priority,
            expected_results=spec.expected,
            report_cadence=spec.cadence,
            is_illustrative=True,
        )

    def play(self, task: Task, spec: TaskSpec, step: Step) -> int:
        """One step on its day; returns the objects it created beyond events."""
        day = self.day(step.day)
        if isinstance(step, Report) and step.month:
            day = add_months(task.start_date, step.month)
            day += datetime.timedelta(days=8 if step.late else 0)
        if day >= self.today:
            raise ValueError(f"{spec.code}: {step} falls on {day}, not before today")
        mark = TaskEvent.objects.filter(task=task).aggregate(last=Max("id"))["last"] or 0
        lead = self.staff[task.lead_unit_id]
        created = 0
        match step:
            case Assign(note=note):
                services.perform(
                    actor=self.supervisor, task=task, action=Action.ASSIGN, note=note, today=day
                )
                Task.objects.filter(pk=task.pk).update(assigned_at=self.at(day))
            case Acknowledge():
                services.perform(actor=lead, task=task, action=Action.ACKNOWLEDGE, today=day)
                Task.objects.filter(pk=task.pk).update(acknowledged_at=self.at(day))
            case Report(percent=percent, text=text, problems=problems):
                text = text or spec.reports.get(percent) or _progress_text(percent)
                services.submit_report(
                    actor=lead,
                    task=task,
                    unit=task.lead_unit,
                    percent=percent,
                    text=text,
                    problems=problems,
                    today=day,
                )
                created = 1
            case CoReport(unit=name, percent=percent, text=text):
                unit = demo_unit(name)
                services.submit_report(
                    actor=self.staff[unit.pk], task=task, unit=unit, percent=percent, text=text,
                    today=day,
                )  # fmt: skip
                created = 1
            case Complete(note=note):
                evidence = SimpleUploadedFile(
                    "完成情况说明（示例）.txt",
                    EVIDENCE.format(title=task.title, code=task.code).encode(),
                    content_type="text/plain",
                )
                services.perform(
                    actor=lead,
                    task=task,
                    action=Action.REQUEST_COMPLETION,
                    note=note,
                    evidence=[evidence],
                    today=day,
                )
                created = 1
            case Return(note=note):
                services.perform(
                    actor=self.supervisor, task=task, action=Action.RETURN, note=note, today=day
                )
            case Close(timeliness=timeliness, quality=quality, note=note):
                services.perform(
                    actor=self.supervisor,
                    task=task,
                    action=Action.CLOSE,
                    note=note,
                    score_timeliness=timeliness,
                    score_quality=quality,
                    today=day,
                )
            case Postpone() | Cancel():
                mark = self._change(task, step, lead, day, mark)
                day = self.day(step.decided) if step.decided is not None else day
                created = 1
        TaskEvent.objects.filter(task=task, pk__gt=mark).update(at=self.at(day))
        return created

    def _change(
        self, task: Task, step: Postpone | Cancel, lead: User, day: datetime.date, mark: int
    ) -> int:
        """The request, stamped on its day, then the decision (if any), which the caller stamps
        on the day of the decision: returns the last event before the decision."""
        if isinstance(step, Postpone):
            change = services.request_change(
                actor=lead,
                task=task,
                kind=ChangeRequest.Kind.POSTPONE,
                reason=step.reason,
                new_deadline=self.day(step.new_deadline),
            )
        else:
            change = services.request_change(
                actor=lead, task=task, kind=ChangeRequest.Kind.CANCEL, reason=step.reason
            )
        TaskEvent.objects.filter(task=task, pk__gt=mark).update(at=self.at(day))
        mark = TaskEvent.objects.filter(task=task).aggregate(last=Max("id"))["last"] or 0
        if step.decided is not None:
            approve = step.approve if isinstance(step, Postpone) else True
            services.decide_change(
                actor=self.supervisor, change=change, approve=approve, note=step.note
            )
        return mark

    def at(self, day: datetime.date) -> datetime.datetime:
        """A time on that day (each step a few minutes after the one before, to keep order)."""
        self.minute = (self.minute + 7) % 480
        moment = datetime.datetime.combine(day, datetime.time(9, 0))
        return timezone.make_aware(moment + datetime.timedelta(minutes=self.minute))


def _staff_by_unit(government: Region) -> dict[int, User]:
    """For each unit, the first person who acts for it (the demo accounts first)."""
    staff: dict[int, User] = {}
    memberships = (
        Membership.objects.filter(unit__government=government)
        .exclude(role__in=[*ACTING_ROLES_EXCLUDED, *MANAGING_ROLES])
        .select_related("user")
        .order_by("user__date_joined", "pk")
    )
    for membership in memberships:
        staff.setdefault(membership.unit_id, membership.user)
    return staff


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter), as the monthly
    report dates fall."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


PROGRESS_TEXTS: Sequence[tuple[int, str]] = (
    (20, "完成前期手续办理，启动实施"),
    (40, "按计划推进，完成阶段性工作"),
    (60, "主体工作过半，资金和人员到位"),
    (80, "主体工作基本完成，推进收尾事项"),
    (101, "全部工作内容完成，整理验收材料"),
)


def _progress_text(percent: int) -> str:
    phase = next(text for limit, text in PROGRESS_TEXTS if percent < limit)
    return f"{phase}，累计完成{percent}%。"


# --- reminders ----------------------------------------------------------------------------------


def run_reminders(government: Region, today: datetime.date) -> Any:
    """The reminder cycle for today, when the supervision app provides it; otherwise at least the
    missed reports are counted (as the cycle would)."""
    try:
        from jinwei.supervision.services import run_remind_cycle
    except ImportError:  # pragma: no cover - the supervision app is installed with this one
        return services.record_missed_reports(today)
    return run_remind_cycle(today=today, government=government)
