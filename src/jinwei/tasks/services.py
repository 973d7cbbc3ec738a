"""Writes on goals and tasks: the closed loop (交办 → 签收承办 → 申请办结 → 办结 / 退回), reports,
attachments, postponement and cancellation requests.

Every function checks the actor's right itself, so pages, the API and imports share the rules, and
every change goes through the audit services in one transaction.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinwei.accounts.access import can_manage
from jinwei.accounts.models import OrgUnit
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import record, tracked_create, tracked_update
from jinwei.tasks import access
from jinwei.tasks.models import (
    ACTIVE_STATES,
    Attachment,
    ChangeRequest,
    CoUnit,
    Goal,
    Milestone,
    ProgressReport,
    Task,
    TaskEvent,
    TaskRules,
)
from jinwei.tasks.timing import Rules, behind_from

State = Task.State
Action = TaskEvent.Action

# Who may act as the supervising office, given (actor, government id): by default the managing
# roles (`can_manage`). A caller whose tasks carry another app's work may widen it with its own
# rule (enterprise requests: also investment staff), after checking that rule itself.
Supervises = Callable[[Any, int], bool]


class TaskActionRefused(Exception):
    """An action the task's state or the actor's role does not allow; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- rules and derived dates ------------------------------------------------------------------


def rules_for(government_id: int) -> Rules:
    return Rules.of(TaskRules.objects.filter(government_id=government_id).first())


def task_rules_row(government_id: int) -> TaskRules:
    """The government's rules row (unsaved defaults when none was configured)."""
    return TaskRules.objects.filter(government_id=government_id).first() or TaskRules(
        government_id=government_id
    )


def schedule_dates(task: Task, rules: Rules) -> dict[str, datetime.date | None]:
    """The stored days on which the task turns yellow and red for being behind (see timing.py)."""
    return {
        "yellow_from": behind_from(
            task.start_date, task.deadline, task.progress, rules.yellow_behind_points
        ),
        "red_from": behind_from(
            task.start_date, task.deadline, task.progress, rules.red_behind_points
        ),
    }


def refresh_schedules(government_id: int) -> int:
    """Recompute yellow/red days of every task of a government, after its rules changed."""
    rules = rules_for(government_id)
    tasks = list(
        Task.objects.filter(government_id=government_id).only(
            "id", "start_date", "deadline", "progress"
        )
    )
    for task in tasks:
        for name, value in schedule_dates(task, rules).items():
            setattr(task, name, value)
    Task.objects.bulk_update(tasks, ["yellow_from", "red_from"], batch_size=2000)
    return len(tasks)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_report_date(task: Task, after: datetime.date) -> datetime.date | None:
    """The first report date of the task's cadence strictly after `after` (None: no more due)."""
    if task.report_cadence == Task.Cadence.WEEKLY:
        due = task.start_date + datetime.timedelta(days=7)
        if after >= due:
            due += datetime.timedelta(days=7 * ((after - due).days // 7 + 1))
    elif task.report_cadence == Task.Cadence.MONTHLY:
        months = 1
        due = _add_months(task.start_date, months)
        while due <= after:
            months += 1
            due = _add_months(task.start_date, months)
    elif task.report_cadence == Task.Cadence.DATES:
        dates = sorted(datetime.date.fromisoformat(d) for d in task.report_dates)
        later = [d for d in dates if d > after]
        return later[0] if later else None
    else:
        return None
    return due if due <= task.deadline else None


# --- create and edit --------------------------------------------------------------------------


@dataclass(frozen=True)
class CoUnitPart:
    unit: OrgUnit
    part: str = ""


@dataclass(frozen=True)
class PlannedMilestone:
    title: str
    due_date: datetime.date


def _require_supervisor(
    actor: Any, government_id: int, supervises: Supervises | None = None
) -> None:
    if not (supervises or can_manage)(actor, government_id):
        raise TaskActionRefused(_("Only the supervising office can create, edit or assign tasks."))


def _check_report_dates(task: Task) -> None:
    try:
        dates = [datetime.date.fromisoformat(str(d)) for d in task.report_dates]
    except ValueError as error:
        raise ValidationError({"report_dates": _("Report dates must be dates.")}) from error
    if task.report_cadence == Task.Cadence.DATES and not dates:
        raise ValidationError({"report_dates": _("Give at least one report date.")})
    task.report_dates = sorted(d.isoformat() for d in dates)


@transaction.atomic
def create_task(
    *,
    actor: Any,
    task: Task,
    co_units: Sequence[CoUnitPart] = (),
    milestones: Sequence[PlannedMilestone] = (),
    note: str = "",
    supervises: Supervises | None = None,
) -> Task:
    """Save a new task as a draft, with its co-units and milestones."""
    _require_supervisor(actor, task.government_id, supervises)
    _check_report_dates(task)
    task.state = State.DRAFT
    task.original_deadline = task.deadline
    for name, value in schedule_dates(task, rules_for(task.government_id)).items():
        setattr(task, name, value)
    tracked_create(actor=actor, obj=task, note=note)
    _replace_parts(actor, task, co_units, milestones, note=note)
    return task


def _replace_parts(
    actor: Any,
    task: Task,
    co_units: Sequence[CoUnitPart] | None,
    milestones: Sequence[PlannedMilestone] | None,
    note: str = "",
) -> None:
    if co_units is not None:
        wanted = {c.unit.pk: c for c in co_units}
        if task.lead_unit_id in wanted:
            raise ValidationError(_("The lead unit cannot also be a co-unit."))
        for existing in task.co_units.all():
            if existing.unit_id not in wanted:
                record(actor=actor, action=AuditEntry.Action.DELETE, obj=existing, note=note)
                existing.delete()
            elif existing.part != wanted[existing.unit_id].part:
                tracked_update(
                    actor=actor,
                    obj=existing,
                    changes={"part": wanted[existing.unit_id].part},
                    expected_version=None,
                    note=note,
                )
        have = set(task.co_units.values_list("unit_id", flat=True))
        for unit_id, c in wanted.items():
            if unit_id not in have:
                tracked_create(
                    actor=actor, obj=CoUnit(task=task, unit=c.unit, part=c.part), note=note
                )
    if milestones is not None:
        # Matched by title, so moving a milestone's date keeps what was recorded on it.
        planned = {m.title: m.due_date for m in milestones}
        for old in task.milestones.all():
            due_date = planned.pop(old.title, None)
            if due_date is None:
                record(actor=actor, action=AuditEntry.Action.DELETE, obj=old, note=note)
                old.delete()
            elif old.due_date != due_date:
                tracked_update(
                    actor=actor,
                    obj=old,
                    changes={"due_date": due_date},
                    expected_version=None,
                    note=note,
                )
        for title, due_date in planned.items():
            tracked_create(
                actor=actor, obj=Milestone(task=task, title=title, due_date=due_date), note=note
            )


EDITABLE_FIELDS = (
    "code",
    "title",
    "description",
    "source_kind",
    "source_reference",
    "goal",
    "parent",
    "lead_unit",
    "leader",
    "supervising_unit",
    "start_date",
    "deadline",
    "priority",
    "expected_results",
    "report_cadence",
    "report_dates",
)


@transaction.atomic
def update_task(
    *,
    actor: Any,
    task: Task,
    changes: dict[str, Any],
    expected_version: int | None,
    co_units: Sequence[CoUnitPart] | None = None,
    milestones: Sequence[PlannedMilestone] | None = None,
    note: str = "",
) -> Task:
    """Edit the plan (supervisors). A deadline moved here is a correction, not a postponement."""
    _require_supervisor(actor, task.government_id)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if task.state in (State.CLOSED, State.CANCELLED):
        raise TaskActionRefused(_("A closed or cancelled task can no longer be edited."))
    probe = Task(**{**{f: getattr(task, f) for f in ("start_date", "deadline", "progress")}})
    for name in ("start_date", "deadline"):
        if name in changes:
            setattr(probe, name, changes[name])
    changes = {**changes, **schedule_dates(probe, rules_for(task.government_id))}
    if "report_dates" in changes or "report_cadence" in changes:
        probe.report_cadence = changes.get("report_cadence", task.report_cadence)
        probe.report_dates = changes.get("report_dates", task.report_dates)
        _check_report_dates(probe)
        changes["report_dates"] = probe.report_dates
        if task.state in ACTIVE_STATES:  # a running task's next report follows the new cadence
            probe.deadline = changes.get("deadline", task.deadline)
            probe.start_date = changes.get("start_date", task.start_date)
            changes["next_report_due"] = next_report_date(probe, timezone.localdate())
    if task.state == State.DRAFT and "deadline" in changes:
        changes["original_deadline"] = changes["deadline"]
    task = tracked_update(
        actor=actor, obj=task, changes=changes, expected_version=expected_version, note=note
    )
    _replace_parts(actor, task, co_units, milestones, note=note)
    return task


# --- the closed loop --------------------------------------------------------------------------

SUPERVISOR = "supervisor"
LEAD = "lead"

# (state, action) → (next state, who may do it)
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (State.DRAFT, Action.ASSIGN): (State.ASSIGNED, SUPERVISOR),
    (State.ASSIGNED, Action.ACKNOWLEDGE): (State.IN_PROGRESS, LEAD),
    (State.IN_PROGRESS, Action.REQUEST_COMPLETION): (State.COMPLETION_REQUESTED, LEAD),
    (State.COMPLETION_REQUESTED, Action.RETURN): (State.IN_PROGRESS, SUPERVISOR),
    (State.COMPLETION_REQUESTED, Action.CLOSE): (State.CLOSED, SUPERVISOR),
}
LOOP_ACTIONS = tuple(dict.fromkeys(action for _state, action in TRANSITIONS))

WHO_LABELS = {
    SUPERVISOR: gettext_lazy("the supervising office"),
    LEAD: gettext_lazy("the staff of the lead unit"),
}


def _may(actor: Any, task: Task, who: str, supervises: Supervises | None = None) -> bool:
    if who == SUPERVISOR:
        if supervises is not None:
            return supervises(actor, task.government_id)
        return access.is_supervisor(actor, task)
    return access.is_lead_staff(actor, task)


def allowed_actions(actor: Any, task: Task) -> list[str]:
    """The loop actions this user may take on the task now (for the buttons on its page)."""
    return [
        action
        for (state, action), (_next, who) in TRANSITIONS.items()
        if state == task.state and _may(actor, task, who)
    ]


def check_action(actor: Any, task: Task, action: str, supervises: Supervises | None = None) -> str:
    """The state the action leads to, or TaskActionRefused saying why not."""
    step = TRANSITIONS.get((task.state, action))
    action_label = Action(action).label if action in Action.values else action
    if step is None:
        raise TaskActionRefused(
            _("A task that is “%(state)s” cannot be sent to “%(action)s”.")
            % {"state": task.get_state_display(), "action": action_label}
        )
    next_state, who = step
    if not _may(actor, task, who, supervises):
        raise TaskActionRefused(
            _("Only %(who)s may “%(action)s” this task.")
            % {"who": WHO_LABELS[who], "action": action_label}
        )
    return next_state


def _score(value: Any, label: str) -> int:
    if value is None or value == "":
        raise TaskActionRefused(_("Give the %(score)s (0–100).") % {"score": label})
    try:
        number = int(value)
    except (TypeError, ValueError) as error:
        raise TaskActionRefused(
            _("The %(score)s must be a whole number from 0 to 100.") % {"score": label}
        ) from error
    if not 0 <= number <= 100:
        raise TaskActionRefused(
            _("The %(score)s must be a whole number from 0 to 100.") % {"score": label}
        )
    return number


def _event(
    actor: Any, task: Task, action: str, from_state: str, note: str, at: datetime.datetime
) -> TaskEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return TaskEvent.objects.create(
        task=task,
        action=action,
        from_state=from_state,
        to_state=task.state,
        actor=user,
        at=at,
        note=note,
    )


@transaction.atomic
def perform(
    *,
    actor: Any,
    task: Task,
    action: str,
    note: str = "",
    expected_version: int | None = None,
    score_timeliness: Any = None,
    score_quality: Any = None,
    evidence: Iterable[UploadedFile] = (),
    today: datetime.date | None = None,
    supervises: Supervises | None = None,
    acknowledge_by: datetime.date | None = None,
) -> Task:
    """Take one step of the closed loop; refuses an illegal step with a message saying why.

    `acknowledge_by` (on assignment) replaces the rules' days to acknowledge, for tasks whose
    acknowledgement date is set by another rule (an enterprise request's response deadline).
    """
    now = timezone.now()
    today = today or timezone.localdate()
    next_state = check_action(actor, task, action, supervises)
    note = note.strip()
    changes: dict[str, Any] = {"state": next_state}
    if action == Action.ASSIGN:
        rules = task_rules_row(task.government_id)
        changes["assigned_at"] = now
        changes["acknowledge_by"] = acknowledge_by or today + datetime.timedelta(
            days=rules.acknowledge_days
        )
        changes["next_report_due"] = next_report_date(task, max(today, task.start_date))
    elif action == Action.ACKNOWLEDGE:
        changes["acknowledged_at"] = now
    elif action == Action.REQUEST_COMPLETION:
        evidence = list(evidence)
        has_evidence = task.attachments.filter(is_evidence=True).exists()
        if not evidence and not has_evidence:
            raise TaskActionRefused(
                _("Attach the evidence of completion before requesting completion.")
            )
        for upload in evidence:
            add_attachment(actor=actor, task=task, upload=upload, is_evidence=True)
    elif action == Action.RETURN:
        if not note:
            raise TaskActionRefused(_("Say why the task is returned."))
    elif action == Action.CLOSE:
        changes["score_timeliness"] = _score(score_timeliness, str(_("timeliness score")))
        changes["score_quality"] = _score(score_quality, str(_("quality score")))
        changes["closed_on"] = today
        changes["progress"] = 100
        changes["next_report_due"] = None
    from_state = task.state
    task = tracked_update(
        actor=actor, obj=task, changes=changes, expected_version=expected_version, note=note
    )
    _event(actor, task, action, from_state, note, now)
    return task


# --- progress reports and attachments ---------------------------------------------------------

REPORTABLE_STATES = (State.IN_PROGRESS,)
ALLOWED_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".csv", ".jpg", ".jpeg", ".png", ".txt", ".zip"}
)


def max_attachment_bytes() -> int:
    return int(getattr(settings, "JINWEI_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


def check_upload(upload: UploadedFile) -> None:
    """Type and size limits, with the file's name in the message."""
    name = upload.name or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_EXTENSIONS:
        raise TaskActionRefused(
            _("“%(name)s”: files of this type cannot be attached (allowed: %(allowed)s).")
            % {"name": name, "allowed": ", ".join(sorted(ALLOWED_EXTENSIONS))}
        )
    limit = max_attachment_bytes()
    if (upload.size or 0) > limit:
        raise TaskActionRefused(
            _("“%(name)s” is larger than %(limit)s MB.")
            % {"name": name, "limit": f"{limit / 1024 / 1024:g}"}
        )
    if not upload.size:
        raise TaskActionRefused(_("“%(name)s” is empty.") % {"name": name})


def add_attachment(
    *,
    actor: Any,
    task: Task,
    upload: UploadedFile,
    is_evidence: bool = False,
    report: ProgressReport | None = None,
) -> Attachment:
    check_upload(upload)
    user = actor if getattr(actor, "is_authenticated", False) else None
    attachment = Attachment(
        task=task,
        report=report,
        is_evidence=is_evidence,
        original_name=PurePath(upload.name or "file").name[:255],
        size=upload.size or 0,
        content_type=(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
        uploaded_by=user,
    )
    attachment.file.save(PurePath(upload.name or "file").name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=attachment,
        after={"task": str(task), "file": attachment.original_name, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def submit_report(
    *,
    actor: Any,
    task: Task,
    unit: OrgUnit,
    percent: int,
    text: str,
    problems: str = "",
    files: Iterable[UploadedFile] = (),
    today: datetime.date | None = None,
) -> ProgressReport:
    """A progress report from the lead unit (moves the task's progress) or a co-unit (its part)."""
    today = today or timezone.localdate()
    if task.state not in REPORTABLE_STATES:
        raise TaskActionRefused(
            _("Progress can be reported only while a task is in progress; this one is “%(state)s”.")
            % {"state": task.get_state_display()}
        )
    if unit.pk not in access.reporting_units(actor, task):
        raise TaskActionRefused(_("Only the lead unit and the co-units report on this task."))
    if not text.strip():
        raise TaskActionRefused(_("Describe the progress."))
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        raise TaskActionRefused(_("Percent complete must be from 0 to 100."))
    is_lead = unit.pk == task.lead_unit_id
    report = ProgressReport(
        task=task,
        unit=unit,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        reported_on=today,
        due_on=task.next_report_due if is_lead else None,
        percent=int(percent),
        text=text.strip(),
        problems=problems.strip(),
    )
    tracked_create(actor=actor, obj=report)
    for upload in files:
        add_attachment(actor=actor, task=task, upload=upload, report=report)
    if is_lead:
        probe = Task(start_date=task.start_date, deadline=task.deadline, progress=report.percent)
        changes: dict[str, Any] = {
            "progress": report.percent,
            **schedule_dates(probe, rules_for(task.government_id)),
            # a report made before its due date answers that date: the next one follows it
            "next_report_due": next_report_date(
                task,
                task.next_report_due
                if task.next_report_due is not None and today <= task.next_report_due
                else today,
            ),
        }
        if report.is_late:
            changes["reports_late"] = task.reports_late + 1
        else:
            changes["reports_on_time"] = task.reports_on_time + 1
        tracked_update(actor=actor, obj=task, changes=changes, expected_version=None)
    else:
        co_unit = task.co_units.get(unit=unit)
        tracked_update(
            actor=actor, obj=co_unit, changes={"progress": report.percent}, expected_version=None
        )
    _event(actor, task, Action.REPORT, task.state, f"{report.percent}%", timezone.now())
    return report


def record_missed_reports(today: datetime.date, task_ids: Iterable[int] | None = None) -> int:
    """Count each report date that passed without a lead-unit report; move to the next date.

    Called by the reminder cycle (safe to repeat: a date is counted once, then left behind).
    Tasks are grouped by (dates missed, new date), so 100,000 tasks take a few hundred UPDATEs.
    Returns how many tasks had a missed report.
    """
    tasks = Task.objects.filter(state__in=ACTIVE_STATES, next_report_due__lt=today)
    if task_ids is not None:
        tasks = tasks.filter(pk__in=list(task_ids))
    fields = (
        "id",
        "government_id",
        "code",
        "title",
        "start_date",
        "deadline",
        "report_cadence",
        "report_dates",
        "next_report_due",
        "reports_missed",
        "version",
    )
    groups: dict[tuple[int, datetime.date | None], list[int]] = defaultdict(list)
    entries = []
    at = timezone.now()
    content_type = _task_content_type_id()
    note = str(_("Report date passed without a report"))
    for row in tasks.order_by().values_list(*fields):
        (
            pk,
            government,
            code,
            title,
            start,
            deadline,
            cadence,
            dates,
            due,
            missed_before,
            version,
        ) = row
        probe = Task(
            start_date=start, deadline=deadline, report_cadence=cadence, report_dates=dates
        )
        missed = 0
        while due is not None and due < today:
            missed += 1
            due = next_report_date(probe, due)
        groups[(missed, due)].append(pk)
        entries.append(
            AuditEntry(
                at=at,
                action=AuditEntry.Action.UPDATE,
                content_type_id=content_type,
                object_id=str(pk),
                object_repr=f"{code} {title}"[:300],
                object_version=version + 1,
                government_id=government,
                before={"reports_missed": missed_before, "next_report_due": str(row[8])},
                after={
                    "reports_missed": missed_before + missed,
                    "next_report_due": str(due) if due else None,
                },
                note=note,
            )
        )
    with transaction.atomic():
        for (missed, due), ids in groups.items():
            for start in range(0, len(ids), 5000):
                Task.objects.filter(pk__in=ids[start : start + 5000]).update(
                    reports_missed=F("reports_missed") + missed,
                    next_report_due=due,
                    version=F("version") + 1,
                    updated_at=at,
                )
        AuditEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def _task_content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Task).pk


@transaction.atomic
def milestone_done(
    *, actor: Any, milestone: Milestone, done_on: datetime.date | None, expected_version: int | None
) -> Milestone:
    """Mark a planned milestone reached (or not yet, with None): lead staff or supervisors."""
    task = milestone.task
    if not (access.is_lead_staff(actor, task) or access.is_supervisor(actor, task)):
        raise TaskActionRefused(
            _("Only the lead unit or the supervising office records milestones.")
        )
    if task.state not in ACTIVE_STATES:
        raise TaskActionRefused(
            _("Milestones are recorded while a task is open; this one is “%(state)s”.")
            % {"state": task.get_state_display()}
        )
    if done_on is not None and done_on > timezone.localdate():
        raise TaskActionRefused(_("A milestone cannot be reached in the future."))
    return tracked_update(
        actor=actor, obj=milestone, changes={"done_on": done_on}, expected_version=expected_version
    )


# --- postponement and cancellation ------------------------------------------------------------


@transaction.atomic
def request_change(
    *,
    actor: Any,
    task: Task,
    kind: str,
    reason: str,
    new_deadline: datetime.date | None = None,
) -> ChangeRequest:
    """The lead unit asks to postpone or cancel; the supervisor decides (decide_change)."""
    if task.state not in ACTIVE_STATES:
        raise TaskActionRefused(
            _(
                "Only an assigned or ongoing task can be postponed or cancelled; "
                "this one is “%(state)s”."
            )
            % {"state": task.get_state_display()}
        )
    if not access.is_lead_staff(actor, task):
        raise TaskActionRefused(_("Only the staff of the lead unit may ask for this."))
    if not reason.strip():
        raise TaskActionRefused(_("Give the reason for the request."))
    if kind == ChangeRequest.Kind.POSTPONE:
        if new_deadline is None or new_deadline <= task.deadline:
            raise TaskActionRefused(_("A postponement needs a new deadline after the current one."))
    elif kind == ChangeRequest.Kind.CANCEL:
        new_deadline = None
    else:
        raise TaskActionRefused(_("Unknown request."))
    if task.change_requests.filter(status=ChangeRequest.Status.PENDING).exists():
        raise TaskActionRefused(_("This task already has a request waiting for a decision."))
    change = tracked_create(
        actor=actor,
        obj=ChangeRequest(
            task=task,
            kind=kind,
            reason=reason.strip(),
            new_deadline=new_deadline,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        ),
    )
    action = (
        Action.REQUEST_POSTPONE if kind == ChangeRequest.Kind.POSTPONE else Action.REQUEST_CANCEL
    )
    _event(actor, task, action, task.state, reason.strip(), timezone.now())
    return change


@transaction.atomic
def decide_change(
    *, actor: Any, change: ChangeRequest, approve: bool, note: str = ""
) -> ChangeRequest:
    task = Task.objects.select_for_update().get(pk=change.task_id)  # as it is now, not as loaded
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if not access.is_supervisor(actor, task):
        raise TaskActionRefused(_("Only the supervising office decides on requests."))
    if change.status != ChangeRequest.Status.PENDING:
        raise TaskActionRefused(_("This request has already been decided."))
    if not approve and not note.strip():
        raise TaskActionRefused(_("Say why the request is rejected."))
    if approve and task.state not in ACTIVE_STATES:
        # A request left pending when the task was closed must not move a closed task's deadline
        # (that would turn a late closure into an on-time one on the scorecards).
        raise TaskActionRefused(
            _("The task is “%(state)s” now; the request can only be rejected.")
            % {"state": task.get_state_display()}
        )
    status = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REJECTED
    change = tracked_update(
        actor=actor,
        obj=change,
        changes={"status": status, "decided_by": actor, "decision_note": note.strip()},
        expected_version=None,
    )
    from_state = task.state
    if approve and change.kind == ChangeRequest.Kind.CANCEL and task.state in ACTIVE_STATES:
        task = tracked_update(
            actor=actor,
            obj=task,
            changes={"state": State.CANCELLED, "next_report_due": None},
            expected_version=None,
            note=change.reason,
        )
    elif approve and change.kind == ChangeRequest.Kind.POSTPONE and change.new_deadline:
        probe = Task(
            start_date=task.start_date, deadline=change.new_deadline, progress=task.progress
        )
        task = tracked_update(
            actor=actor,
            obj=task,
            changes={
                "deadline": change.new_deadline,
                **schedule_dates(probe, rules_for(task.government_id)),
            },
            expected_version=None,
            note=change.reason,
        )
    action = Action.APPROVE_REQUEST if approve else Action.REJECT_REQUEST
    _event(actor, task, action, from_state, note.strip() or change.reason, timezone.now())
    return change


# --- goals ------------------------------------------------------------------------------------


def create_goal(*, actor: Any, goal: Goal, indicators: Iterable[Any] = ()) -> Goal:
    _require_goal_manager(actor, goal.government_id)
    _check_goal_parent(goal)
    return tracked_create(actor=actor, obj=goal, m2m={"indicators": list(indicators)})


def update_goal(
    *, actor: Any, goal: Goal, changes: dict[str, Any], expected_version: int | None
) -> Goal:
    _require_goal_manager(actor, goal.government_id)
    if "parent" in changes:
        probe = Goal(pk=goal.pk, government_id=goal.government_id, parent=changes["parent"])
        _check_goal_parent(probe)
    return tracked_update(actor=actor, obj=goal, changes=changes, expected_version=expected_version)


def _require_goal_manager(actor: Any, government_id: int) -> None:
    if not can_manage(actor, government_id):
        raise TaskActionRefused(_("Only the supervising office can change the goals."))


def _check_goal_parent(goal: Goal) -> None:
    """A parent in the same government, and never the goal itself or one of its descendants."""
    parent = goal.parent
    seen: set[int] = set()
    while parent is not None:
        if parent.government_id != goal.government_id:
            raise ValidationError({"parent": _("The parent goal belongs to another government.")})
        if goal.pk is not None and parent.pk == goal.pk:
            raise ValidationError({"parent": _("A goal cannot sit under itself.")})
        if parent.pk in seen:
            break
        seen.add(parent.pk)
        parent = parent.parent
