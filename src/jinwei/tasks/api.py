"""API for tasks and their progress reports.

Reads are scoped by `access.visible_tasks` (everyone in the government sees how its tasks stand);
writes go through the task services, which check the caller's right themselves, so the API, the
pages and the ledger import share one set of rules. A refused step answers 403 when the caller's
role may not take it, 409 when the task's state does not allow it, and 400 when something is
missing (a score, a reason, the evidence); every message says why.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from jinwei.accounts.models import User
from jinwei.api_parts import ErrorOut, api_user, typed_for_paging
from jinwei.audit.services import StaleVersionError
from jinwei.tasks import access, services
from jinwei.tasks.models import (
    ChangeRequest,
    CoUnit,
    Milestone,
    ProgressReport,
    Task,
    TaskEvent,
)
from jinwei.tasks.timing import Colour, Rules, Timing, colour_q, task_timing

router = Router(tags=["tasks"])
PAGE_SIZE = 50
LATEST_REPORTS = 5
F = TypeVar("F", bound=Callable[..., Any])
Action = Literal["assign", "acknowledge", "request_completion", "return", "close"]


def _rules(request: HttpRequest, government_id: int) -> Rules:
    """The government's colour rules, read once per request."""
    cache: dict[int, Rules] = request.__dict__.setdefault("_task_rules", {})
    if government_id not in cache:
        cache[government_id] = services.rules_for(government_id)
    return cache[government_id]


# --- schemas ----------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    name: str


class PersonRef(Schema):
    id: int
    username: str
    name: str


class GoalRef(Schema):
    id: int
    title: str


class TaskOut(Schema):
    id: int
    code: str
    title: str
    government: str = Field(alias="government.code")
    state: Task.State
    colour: str = Field(description="green, yellow, red; empty for drafts, closed, cancelled.")
    time_status: str
    progress: int
    priority: int
    lead_unit: UnitRef
    leader: PersonRef | None
    goal: GoalRef | None
    start_date: datetime.date
    deadline: datetime.date
    original_deadline: datetime.date | None
    next_report_due: datetime.date | None
    reports_on_time: int
    reports_late: int
    reports_missed: int
    closed_on: datetime.date | None
    score_timeliness: int | None
    score_quality: int | None
    is_illustrative: bool
    version: int = Field(description="Send it back with an action; a stale one is refused (409).")
    updated_at: datetime.datetime

    @staticmethod
    def resolve_colour(obj: Task, context: dict[str, Any]) -> str:
        return str(_timing(obj, context).colour.value)

    @staticmethod
    def resolve_time_status(obj: Task, context: dict[str, Any]) -> str:
        return str(_timing(obj, context).status.value)


def _timing(task: Task, context: dict[str, Any]) -> Timing:
    return task_timing(
        state=task.state,
        start=task.start_date,
        deadline=task.deadline,
        progress=task.progress,
        closed_on=task.closed_on,
        today=timezone.localdate(),
        rules=_rules(context["request"], task.government_id),
    )


class CoUnitOut(Schema):
    unit: UnitRef
    part: str
    progress: int


class MilestoneOut(Schema):
    title: str
    due_date: datetime.date
    done_on: datetime.date | None


class ReportOut(Schema):
    id: int
    unit: UnitRef
    author: str | None
    reported_on: datetime.date
    due_on: datetime.date | None
    is_late: bool
    percent: int
    text: str
    problems: str

    @staticmethod
    def resolve_author(obj: ProgressReport) -> str | None:
        return obj.author.get_username() if obj.author is not None else None


class EventOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str | None
    at: datetime.datetime
    note: str

    @staticmethod
    def resolve_actor(obj: TaskEvent) -> str | None:
        return obj.actor.get_username() if obj.actor is not None else None


class ChangeRequestOut(Schema):
    id: int
    kind: str
    reason: str
    new_deadline: datetime.date | None
    status: str


class TaskDetailOut(TaskOut):
    description: str
    source_kind: str
    source_reference: str
    supervising_unit: UnitRef | None
    expected_results: str
    report_cadence: str
    report_dates: list[str]
    acknowledge_by: datetime.date | None
    co_units: list[CoUnitOut]
    milestones: list[MilestoneOut]
    latest_reports: list[ReportOut]
    events: list[EventOut]
    pending_request: ChangeRequestOut | None
    allowed_actions: list[str] = Field(description="The loop actions the caller may take now.")

    @staticmethod
    def resolve_co_units(obj: Task) -> list[CoUnit]:
        return list(obj.co_units.all())

    @staticmethod
    def resolve_milestones(obj: Task) -> list[Milestone]:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_latest_reports(obj: Task) -> list[ProgressReport]:
        return list(obj.reports.all())[:LATEST_REPORTS]

    @staticmethod
    def resolve_events(obj: Task) -> list[TaskEvent]:
        return list(obj.events.all())

    @staticmethod
    def resolve_pending_request(obj: Task) -> ChangeRequest | None:
        return next(iter(obj.change_requests.all()), None)

    @staticmethod
    def resolve_allowed_actions(obj: Task, context: dict[str, Any]) -> list[str]:
        return [str(a) for a in services.allowed_actions(context["request"].user, obj)]


class ActionIn(Schema):
    action: Action
    note: str = ""
    score_timeliness: int | None = Field(default=None, ge=0, le=100)
    score_quality: int | None = Field(default=None, ge=0, le=100)
    version: int | None = Field(
        default=None, ge=1, description="The version the step is based on (recommended)."
    )


class ReportIn(Schema):
    percent: int = Field(ge=0, le=100)
    text: str = Field(min_length=1)
    problems: str = ""
    unit_id: int | None = Field(
        default=None,
        description="The unit reporting; by default the lead unit, or the caller's co-unit.",
    )


# --- reads ------------------------------------------------------------------------------------


def _tasks(request: HttpRequest) -> QuerySet[Task]:
    return access.visible_tasks(api_user(request)).select_related(
        "government", "lead_unit", "leader", "goal"
    )


def _colour_filter(request: HttpRequest, tasks: QuerySet[Task], colour: Colour) -> Q:
    """One colour, each government's tasks by its own rules."""
    today = timezone.localdate()
    government_ids = tasks.order_by().values_list("government_id", flat=True).distinct()
    condition = Q(pk__in=[])
    for government_id in government_ids:
        rules = _rules(request, government_id)
        condition |= Q(government_id=government_id) & colour_q(colour, today, rules)
    return condition


@router.get("/", response=list[TaskOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
@typed_for_paging
def task_list(
    request: HttpRequest,
    state: Task.State | None = None,
    unit: int | None = None,
    colour: Literal["green", "yellow", "red"] | None = None,
    goal: int | None = None,
    leader: int | None = None,
    government: str | None = None,
    mine: bool = False,
) -> Any:
    """Tasks the caller may see, soonest deadline first. `unit` is the lead unit's id; `mine`
    keeps the tasks the caller's units lead or co-operate on."""
    tasks = _tasks(request)
    if government:
        tasks = tasks.filter(government__code=government)
    if state is not None:
        tasks = tasks.filter(state=state)
    if unit is not None:
        tasks = tasks.filter(lead_unit_id=unit)
    if goal is not None:
        tasks = tasks.filter(goal_id=goal)
    if leader is not None:
        tasks = tasks.filter(leader_id=leader)
    if mine:
        tasks = tasks.filter(access.involving_units(request.user))
    if colour is not None:
        tasks = tasks.filter(_colour_filter(request, tasks, Colour(colour)))
    return tasks.order_by("deadline", "id")


def _detail(request: HttpRequest, task_id: int) -> Task:
    tasks = (
        _tasks(request)
        .select_related("supervising_unit")
        .prefetch_related(
            Prefetch("co_units", CoUnit.objects.select_related("unit").order_by("id")),
            "milestones",
            Prefetch(
                "reports",
                ProgressReport.objects.select_related("unit", "author").order_by(
                    "-reported_on", "-id"
                ),
            ),
            Prefetch("events", TaskEvent.objects.select_related("actor").order_by("at", "id")),
            Prefetch(
                "change_requests",
                ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING),
            ),
        )
    )
    task = tasks.filter(pk=task_id).first()
    if task is None:
        raise Http404
    return task


@router.get("/{task_id}", response={200: TaskDetailOut, 404: ErrorOut})
def task_detail(request: HttpRequest, task_id: int) -> Task:
    """One task with its co-units, milestones, latest reports, transitions and pending request."""
    return _detail(request, task_id)


@router.get("/{task_id}/reports", response={200: list[ReportOut], 404: ErrorOut})
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
@typed_for_paging
def report_list(request: HttpRequest, task_id: int) -> Any:
    """The task's progress reports, newest first."""
    task = _tasks(request).filter(pk=task_id).first()
    if task is None:
        raise Http404
    return (
        ProgressReport.objects.filter(task=task)
        .select_related("unit", "author")
        .order_by("-reported_on", "-id")
    )


# --- writes -----------------------------------------------------------------------------------


@router.post(
    "/{task_id}/actions",
    response={200: TaskDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def task_action(request: HttpRequest, task_id: int, payload: ActionIn) -> Any:
    """Take one step of the closed loop: assign, acknowledge, request completion (the evidence
    must already be attached), return (with a note) or close (with both scores)."""
    user = api_user(request)
    task = _detail(request, task_id)
    if (task.state, payload.action) not in services.TRANSITIONS:
        raise HttpError(409, _refusal(user, task, payload.action))
    if payload.action not in services.allowed_actions(user, task):
        raise PermissionDenied(_refusal(user, task, payload.action))
    try:
        services.perform(
            actor=user,
            task=task,
            action=payload.action,
            note=payload.note,
            expected_version=payload.version,
            score_timeliness=payload.score_timeliness,
            score_quality=payload.score_quality,
        )
    except services.TaskActionRefused as refused:
        raise HttpError(400, refused.message) from None
    except StaleVersionError as stale:
        raise HttpError(409, stale.message) from None
    return _detail(request, task_id)


def _refusal(user: User, task: Task, action: str) -> str:
    try:
        services.check_action(user, task, action)
    except services.TaskActionRefused as refused:
        return refused.message
    return _("You may not do this.")


@router.post(
    "/{task_id}/reports",
    response={201: ReportOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def report_create(request: HttpRequest, task_id: int, payload: ReportIn) -> Any:
    """Report progress (JSON only; attach files on the task's page). The lead unit's report moves
    the task's progress; a co-unit's moves its own part."""
    user = api_user(request)
    task = _detail(request, task_id)
    units = access.reporting_units(user, task)
    if not units:
        raise PermissionDenied(_("Only the lead unit and the co-units report on this task."))
    unit_id = _reporting_unit(task, units, payload.unit_id)
    if task.state not in services.REPORTABLE_STATES:
        raise HttpError(
            409,
            _("Progress can be reported only while a task is in progress; this one is “%(state)s”.")
            % {"state": task.get_state_display()},
        )
    if unit_id == task.lead_unit_id:
        unit = task.lead_unit
    else:
        unit = next(c.unit for c in task.co_units.all() if c.unit_id == unit_id)
    try:
        report = services.submit_report(
            actor=user,
            task=task,
            unit=unit,
            percent=payload.percent,
            text=payload.text,
            problems=payload.problems,
        )
    except services.TaskActionRefused as refused:
        raise HttpError(400, refused.message) from None
    except DjangoValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from None
    return Status(201, report)


def _reporting_unit(task: Task, units: list[int], asked: int | None) -> int:
    if asked is not None:
        if asked not in units:
            raise PermissionDenied(_("You may not report for this unit on this task."))
        return asked
    if task.lead_unit_id in units:
        return task.lead_unit_id
    if len(units) > 1:
        raise HttpError(400, _("You work for several units of this task: give unit_id."))
    return units[0]
