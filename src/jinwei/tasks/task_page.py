"""What the task page shows: time status, the buttons the user may press, the forms they may fill
in, and one timeline of transitions, progress reports, reminders and supervision notices.

Every list is read with a fixed number of queries, however long the task's history.
"""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from jinwei.accounts.models import OrgUnit
from jinwei.tasks import access, services
from jinwei.tasks.forms import ChangeRequestForm, DecisionForm, ReportForm
from jinwei.tasks.models import (
    ACTIVE_STATES,
    Attachment,
    ChangeRequest,
    ProgressReport,
    Task,
    TaskEvent,
)
from jinwei.tasks.timing import task_timing

Action = TaskEvent.Action
TIMELINE_LIMIT = 200  # newest entries of each kind; older ones stay in the audit history
PRIMARY_ACTIONS = {Action.ASSIGN, Action.ACKNOWLEDGE, Action.REQUEST_COMPLETION, Action.CLOSE}


@dataclass(frozen=True)
class ActionButton:
    action: str
    label: str
    url: str
    css: str


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str  # event, report, reminder, notice
    title: str
    who: str = ""
    note: str = ""
    css: str = ""
    states: tuple[str, str] | None = None
    report: ProgressReport | None = None
    attachments: list[Attachment] = field(default_factory=list)
    link: str = ""
    recipients: list[str] = field(default_factory=list)


def reporting_unit_objects(user: Any, task: Task) -> list[OrgUnit]:
    """The units the user may report for on this task (lead unit first)."""
    known = {task.lead_unit_id: task.lead_unit, **{c.unit_id: c.unit for c in task.co_units.all()}}
    return [known[unit_id] for unit_id in access.reporting_units(user, task) if unit_id in known]


def action_buttons(user: Any, task: Task) -> list[ActionButton]:
    return [
        ActionButton(
            action=action,
            label=str(Action(action).label),
            url=reverse("tasks:act", args=[task.pk, action]),
            css="button primary" if action in PRIMARY_ACTIONS else "button danger",
        )
        for action in services.allowed_actions(user, task)
    ]


def page_context(request: HttpRequest, task: Task) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    timing = task_timing(
        state=task.state,
        start=task.start_date,
        deadline=task.deadline,
        progress=task.progress,
        closed_on=task.closed_on,
        today=today,
        rules=services.rules_for(task.government_id),
    )
    is_supervisor = access.is_supervisor(user, task)
    may_see_files = access.can_see_attachments(user, task)
    pending = (
        task.change_requests.filter(status=ChangeRequest.Status.PENDING)
        .select_related("requested_by")
        .first()
    )
    report_units = (
        reporting_unit_objects(user, task) if task.state in services.REPORTABLE_STATES else []
    )
    may_request_change = (
        pending is None and task.state in ACTIVE_STATES and access.is_lead_staff(user, task)
    )
    attachments = task.attachments.filter(report__isnull=True).select_related("uploaded_by")
    return {
        "task": task,
        "timing": timing,
        "behind": round(timing.behind),
        "elapsed": round(timing.elapsed),
        "days_overdue": -timing.days_left,
        "actions": action_buttons(user, task),
        "may_edit": is_supervisor and task.state not in (Task.State.CLOSED, Task.State.CANCELLED),
        "may_see_files": may_see_files,
        "pending": pending,
        "decision_form": DecisionForm() if pending is not None and is_supervisor else None,
        "report_form": ReportForm(units=report_units) if report_units else None,
        "change_form": ChangeRequestForm(task=task) if may_request_change else None,
        "evidence": list(attachments) if may_see_files else [],
        "hidden_files": 0 if may_see_files else task.attachments.count(),
        "co_units": list(task.co_units.all()),
        "milestones": list(task.milestones.all()),
        "may_record_milestones": task.state in ACTIVE_STATES
        and (is_supervisor or access.is_lead_staff(user, task)),
        "subtasks": list(task.subtasks.all()),
        "timeline": timeline(task, may_see_files=may_see_files),
        "today": today,
    }


# --- the timeline -------------------------------------------------------------------------------


def timeline(task: Task, *, may_see_files: bool) -> list[TimelineEntry]:
    """Transitions, reports, reminders and notices of the task, newest first."""
    entries = _event_entries(task) + _report_entries(task, may_see_files)
    entries += _supervision_entries(task)
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _event_entries(task: Task) -> list[TimelineEntry]:
    # A report writes an event too; the report itself is shown, with its text.
    events = (
        task.events.exclude(action=Action.REPORT)
        .select_related("actor")
        .order_by("-at", "-id")[:TIMELINE_LIMIT]
    )
    return [
        TimelineEntry(
            at=event.at,
            kind="event",
            title=event.get_action_display(),
            who=str(event.actor) if event.actor else "",
            note=event.note,
            css=f"event-{event.action}",
            states=(event.get_from_state_display(), event.get_to_state_display()),
        )
        for event in events
    ]


def _report_entries(task: Task, may_see_files: bool) -> list[TimelineEntry]:
    reports = task.reports.select_related("unit", "author").order_by("-created_at", "-id")
    if may_see_files:
        reports = reports.prefetch_related("attachments")
    return [
        TimelineEntry(
            at=report.created_at,
            kind="report",
            title=report.unit.name,
            who=str(report.author) if report.author else "",
            note=report.text,
            css="report-late" if report.is_late else "report",
            report=report,
            attachments=list(report.attachments.all()) if may_see_files else [],
        )
        for report in reports[:TIMELINE_LIMIT]
    ]


def _supervision_models() -> tuple[Any, Any]:
    """The supervision app's Notification and SupervisionNotice, when that app is installed."""
    if not apps.is_installed("jinwei.supervision"):
        return None, None
    try:
        module = importlib.import_module("jinwei.supervision.models")
    except ImportError:
        return None, None
    return getattr(module, "Notification", None), getattr(module, "SupervisionNotice", None)


def _supervision_entries(task: Task) -> list[TimelineEntry]:
    notification_model, notice_model = _supervision_models()
    entries: list[TimelineEntry] = []
    if notice_model is not None:
        notices = (
            notice_model.objects.filter(task=task)
            .select_related("addressed_unit")
            .order_by("-created_at")[:TIMELINE_LIMIT]
        )
        entries += [
            TimelineEntry(
                at=notice.created_at,
                kind="notice",
                title=f"{notice.number} · {notice.get_level_display()}",
                who=notice.addressed_unit.name,
                note=notice.reason,
                css=f"level-{notice.level}",
                link=reverse("supervision:notice", args=[notice.pk]),
            )
            for notice in notices
        ]
    if notification_model is not None:
        entries += _reminder_entries(notification_model, task)
    return entries


def _reminder_entries(notification_model: Any, task: Task) -> list[TimelineEntry]:
    """One entry per reminder, however many people received it (a notice shows as itself)."""
    rows = (
        notification_model.objects.filter(task=task, notice__isnull=True)
        .select_related("recipient")
        .order_by("-created_at", "-id")[: TIMELINE_LIMIT * 5]
    )
    by_key: dict[str, TimelineEntry] = {}
    for row in rows:
        entry = by_key.get(row.key)
        if entry is None:
            entry = by_key[row.key] = TimelineEntry(
                at=row.created_at,
                kind="reminder",
                title=row.get_kind_display(),
                note=row.message,
                css=f"level-{row.level}",
            )
        entry.recipients.append(str(row.recipient))
    return list(by_key.values())[:TIMELINE_LIMIT]
