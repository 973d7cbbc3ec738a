"""Writes on enterprise requests (诉求): record, assign, respond, resolve or return, rate.

A request assigned to a unit is carried by a supervised task (the tasks app's loop, reused):
assigning creates and assigns the task, the unit's response acknowledges it, the unit reports
progress and asks to close it on the task's page, and closing the task resolves the request —
here (`request_resolve`, by the managers of enterprise service) or on the task's page (by the
supervising office; the request then reads its resolution date from the task).

Managers of enterprise service are supervisors, admins and investment staff
(`projects.access.may_manage`); they act as the supervising office of these tasks.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.access import grants_for
from jinwei.accounts.models import OrgUnit, Role
from jinwei.audit.services import tracked_create, tracked_update
from jinwei.enterprises.models import Enterprise, RequestRules, ServiceRequest
from jinwei.enterprises.workdays import add_working_days, load_calendar, span_for
from jinwei.projects.access import may_manage
from jinwei.tasks import services as task_services
from jinwei.tasks.access import acts_for_unit
from jinwei.tasks.models import ACTIVE_STATES, Task, TaskEvent

TASK_CODE_PREFIX = "QS-"  # 诉求
MANAGING_ROLES = (Role.ADMIN, Role.SUPERVISOR, Role.INVESTMENT)


class RequestRefused(Exception):
    """A step the request's state does not allow; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _require_manager(actor: Any, government_id: int) -> None:
    if not may_manage(actor, government_id):
        raise PermissionDenied(
            _("Only supervisors, admins and investment staff manage enterprise requests.")
        )


def _locked(request: ServiceRequest) -> ServiceRequest:
    """The request as it is now, locked for the rest of the transaction."""
    rows = ServiceRequest.objects.select_for_update(of=("self",)).select_related("task")
    return rows.get(pk=request.pk)


# --- deadlines ----------------------------------------------------------------------------------


def rules_of(government_id: int) -> RequestRules:
    """The government's rules (unsaved defaults when none were configured)."""
    return RequestRules.objects.filter(government_id=government_id).first() or RequestRules(
        government_id=government_id
    )


def due_dates(
    government_id: int, received_on: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """Respond-by and resolve-by dates: the rules' working days after receipt."""
    rules = rules_of(government_id)
    longest = max(rules.response_days, rules.resolution_days)
    calendar = load_calendar(government_id, received_on, received_on + span_for(longest))
    due = []
    for days in (rules.response_days, rules.resolution_days):
        day = calendar.add(received_on, days)
        due.append(day if day is not None else add_working_days(government_id, received_on, days))
    return due[0], due[1]


# --- record and assign --------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    actor: Any,
    enterprise: Enterprise,
    category: str,
    title: str,
    description: str = "",
    received_on: datetime.date,
    is_illustrative: bool = False,
) -> ServiceRequest:
    """Record what an enterprise asked, with its deadlines counted in working days."""
    _require_manager(actor, enterprise.government_id)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A request cannot be received in the future.")})
    response_due, resolution_due = due_dates(enterprise.government_id, received_on)
    request = ServiceRequest(
        government_id=enterprise.government_id,
        enterprise=enterprise,
        category=category,
        title=title.strip(),
        description=description.strip(),
        received_on=received_on,
        response_due=response_due,
        resolution_due=resolution_due,
        is_illustrative=is_illustrative,
    )
    return tracked_create(actor=actor, obj=request)


def _task_code(request: ServiceRequest) -> str:
    code = f"{TASK_CODE_PREFIX}{request.pk}"
    taken = set(
        Task.objects.filter(government_id=request.government_id, code__startswith=code).values_list(
            "code", flat=True
        )
    )
    suffix = 1
    while code in taken:  # someone typed the same code for another task
        suffix += 1
        code = f"{TASK_CODE_PREFIX}{request.pk}-{suffix}"
    return code


def _managing_unit(actor: Any, government_id: int) -> OrgUnit | None:
    """The unit in which the actor manages enterprise service: the task's supervising unit."""
    unit_ids = [
        unit_id
        for unit_id, roles in grants_for(actor).roles_by_unit.items()
        if roles & set(MANAGING_ROLES)
    ]
    units = OrgUnit.objects.filter(pk__in=unit_ids, government_id=government_id)
    return units.order_by("kind", "order", "pk").first()


def _new_task(actor: Any, request: ServiceRequest, unit: OrgUnit) -> Task:
    enterprise = request.enterprise
    return Task(
        government_id=request.government_id,
        code=_task_code(request),
        title=f"{enterprise.name}：{request.title}"[:300],
        description=request.description,
        source_kind=Task.SourceKind.OTHER,
        source_reference=(
            _("Enterprise request no. %(number)s (%(category)s)")
            % {"number": request.pk, "category": request.get_category_display()}
        )[:200],
        lead_unit=unit,
        supervising_unit=_managing_unit(actor, request.government_id),
        start_date=request.received_on,
        deadline=request.resolution_due,
        report_cadence=Task.Cadence.NONE,
        is_illustrative=request.is_illustrative,
    )


@transaction.atomic
def request_assign(
    *, actor: Any, request: ServiceRequest, unit: OrgUnit, today: datetime.date | None = None
) -> ServiceRequest:
    """Hand the request to a unit: a supervised task led by the unit, due on the resolve-by
    date, to be acknowledged by the respond-by date (or today, when that has passed)."""
    _require_manager(actor, request.government_id)
    request = _locked(request)
    if request.task_id is not None:
        raise RequestRefused(
            _("This request is already assigned to %(unit)s.") % {"unit": request.assigned_unit}
        )
    if unit.government_id != request.government_id or not unit.is_active:
        raise ValidationError({"unit": _("Choose an active unit of the request's government.")})
    today = today or timezone.localdate()
    note = _("Enterprise request assigned")
    try:
        task = task_services.create_task(
            actor=actor, task=_new_task(actor, request, unit), note=note, supervises=may_manage
        )
        task = task_services.perform(
            actor=actor,
            task=task,
            action=TaskEvent.Action.ASSIGN,
            note=note,
            today=today,
            supervises=may_manage,
            acknowledge_by=max(request.response_due, today),
        )
    except task_services.TaskActionRefused as refused:
        raise RequestRefused(refused.message) from refused
    return tracked_update(
        actor=actor,
        obj=request,
        changes={"assigned_unit": unit, "task": task},
        expected_version=None,
    )


# --- respond, resolve, return -------------------------------------------------------------------


def may_respond(user: Any, request: ServiceRequest) -> bool:
    return request.task_id is not None and acts_for_unit(user, request.assigned_unit_id)


@transaction.atomic
def request_respond(
    *,
    actor: Any,
    request: ServiceRequest,
    response: str,
    on: datetime.date | None = None,
) -> ServiceRequest:
    """The assigned unit's answer to the enterprise; it acknowledges the task if not done yet."""
    request = _locked(request)
    if request.task is None:
        raise RequestRefused(_("The request has not been assigned to a unit yet."))
    if not acts_for_unit(actor, request.assigned_unit_id):
        raise PermissionDenied(
            _("Only the staff of %(unit)s respond to this request.")
            % {"unit": request.assigned_unit}
        )
    if request.responded_on is not None:
        raise RequestRefused(
            _("The enterprise was answered on %(date)s already.")
            % {"date": request.responded_on.isoformat()}
        )
    if request.task.state not in ACTIVE_STATES:
        raise RequestRefused(
            _("The request's task is “%(state)s”; it can no longer be answered.")
            % {"state": request.task.get_state_display()}
        )
    text = response.strip()
    if not text:
        raise ValidationError({"response": _("Write the answer given to the enterprise.")})
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError({"on": _("The answer cannot be dated in the future.")})
    if on < request.received_on:
        raise ValidationError({"on": _("The answer cannot come before the request was received.")})
    if request.task.state == Task.State.ASSIGNED:
        task_services.perform(
            actor=actor, task=request.task, action=TaskEvent.Action.ACKNOWLEDGE, note=text
        )
    return tracked_update(
        actor=actor,
        obj=request,
        changes={"responded_on": on, "response": text},
        expected_version=None,
    )


@transaction.atomic
def request_resolve(
    *,
    actor: Any,
    request: ServiceRequest,
    resolution: str,
    score_timeliness: Any,
    score_quality: Any,
    today: datetime.date | None = None,
) -> ServiceRequest:
    """Close the request's task (the unit has asked to close it) and record the resolution."""
    _require_manager(actor, request.government_id)
    request = _locked(request)
    if request.task is None:
        raise RequestRefused(_("The request has not been assigned to a unit yet."))
    text = resolution.strip()
    if not text:
        raise ValidationError({"resolution": _("Say how the request was resolved.")})
    try:
        task = task_services.perform(
            actor=actor,
            task=request.task,
            action=TaskEvent.Action.CLOSE,
            note=text,
            score_timeliness=score_timeliness,
            score_quality=score_quality,
            today=today,
            supervises=may_manage,
        )
    except task_services.TaskActionRefused as refused:
        raise RequestRefused(refused.message) from refused
    return tracked_update(
        actor=actor,
        obj=request,
        changes={"resolved_on": task.closed_on, "resolution": text},
        expected_version=None,
    )


@transaction.atomic
def request_return(*, actor: Any, request: ServiceRequest, note: str) -> ServiceRequest:
    """Send the unit's completion back: the request is not resolved yet, and why."""
    _require_manager(actor, request.government_id)
    request = _locked(request)
    if request.task is None:
        raise RequestRefused(_("The request has not been assigned to a unit yet."))
    try:
        task_services.perform(
            actor=actor,
            task=request.task,
            action=TaskEvent.Action.RETURN,
            note=note,
            supervises=may_manage,
        )
    except task_services.TaskActionRefused as refused:
        raise RequestRefused(refused.message) from refused
    return request


# --- resolution read from the task, and the rating ----------------------------------------------


def resolution_date(request: ServiceRequest) -> datetime.date | None:
    """Resolved on: recorded here, or the day its task was closed on the task's page."""
    if request.resolved_on is not None:
        return request.resolved_on
    task = request.task
    if task is not None and task.state == Task.State.CLOSED:
        return task.closed_on
    return None


def closing_note(task: Task) -> str:
    """What the loop said when the task was closed, or else when completion was asked for."""
    rows = (
        TaskEvent.objects.filter(
            task=task, action__in=[TaskEvent.Action.CLOSE, TaskEvent.Action.REQUEST_COMPLETION]
        )
        .exclude(note="")
        .order_by("at", "id")
        .values_list("action", "note")
    )
    notes = dict(rows)  # the latest note of each action
    return notes.get(TaskEvent.Action.CLOSE) or notes.get(TaskEvent.Action.REQUEST_COMPLETION, "")


def _rating(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5:
        raise ValidationError({"satisfaction": _("The rating is a whole number from 1 to 5.")})
    return number


@transaction.atomic
def request_rate(
    *, actor: Any, request: ServiceRequest, satisfaction: Any, note: str = ""
) -> ServiceRequest:
    """The enterprise's satisfaction (1–5), recorded once the request is resolved (a later
    rating replaces it; the audit trail keeps both)."""
    _require_manager(actor, request.government_id)
    request = _locked(request)
    resolved_on = resolution_date(request)
    if resolved_on is None:
        raise RequestRefused(_("A request is rated after it has been resolved."))
    changes: dict[str, Any] = {
        "satisfaction": _rating(satisfaction),
        "satisfaction_note": note.strip(),
    }
    if request.resolved_on is None and request.task is not None:  # closed on the task's page
        changes["resolved_on"] = resolved_on
        changes["resolution"] = request.resolution or closing_note(request.task)
    return tracked_update(actor=actor, obj=request, changes=changes, expected_version=None)
