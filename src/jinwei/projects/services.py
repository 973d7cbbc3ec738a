"""Writes on key projects: creation, edits, stage steps, milestones, annual plans, monthly reports
and problems raised as supervised tasks.

Every function checks the actor's right itself (pages, the API, imports and the lead → project
conversion share the rules) and writes through the audit services in one transaction. A refusal
of the rules is a ValidationError keyed by the field it concerns, in the user's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.models import OrgUnit
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import record, snapshot, tracked_create, tracked_update
from jinwei.lib.periods import Frequency, PeriodError, parse_period
from jinwei.projects import access
from jinwei.projects.models import (
    InvestmentPlan,
    InvestmentReport,
    Project,
    ProjectMilestone,
    ProjectStageChange,
    ProjectTask,
)
from jinwei.tasks import services as task_services
from jinwei.tasks.models import Task, TaskEvent

Stage = Project.Stage
STAGE_ORDER: tuple[str, ...] = (
    Stage.SIGNED,
    Stage.STARTED,
    Stage.UNDER_CONSTRUCTION,
    Stage.COMPLETED,
    Stage.IN_PRODUCTION,
)
# The actual date a stage sets when it is reached (under construction has none of its own).
STAGE_DATE_FIELDS: dict[str, str] = {
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.COMPLETED: "completed_on",
    Stage.IN_PRODUCTION: "production_on",
}
EDITABLE_FIELDS = (
    "code",
    "name",
    "kind",
    "description",
    "park",
    "chain_link",
    "investor",
    "investor_contact",
    "investor_phone",
    "investor_email",
    "total_investment",
    "lead_unit",
    "leader",
    "planned_start",
    "planned_completion",
    "planned_production",
    "signed_on",
    "town",
    "address",
    "plot",
    "is_illustrative",
)


def _require_manager(actor: Any, government_id: int | None) -> None:
    if not access.may_manage(actor, government_id):
        raise PermissionDenied(
            _("Only investment staff and the supervising office manage projects.")
        )


def _require_reporter(actor: Any, project: Project) -> None:
    if not access.may_report(actor, project):
        raise PermissionDenied(
            _("Only the staff of the project's lead unit (%(unit)s) report on this project.")
            % {"unit": project.lead_unit.name}
        )


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _today() -> datetime.date:
    return timezone.localdate()


def _check_links(project: Project) -> None:
    """Units, park, chain and town must belong to the project's own government."""
    problems: dict[str, str] = {}
    government_id = project.government_id
    if project.lead_unit_id and project.lead_unit.government_id != government_id:
        problems["lead_unit"] = _("The lead unit must belong to the project's government.")
    if project.town_id and project.town is not None and project.town.government_id != government_id:
        problems["town"] = _("The town must belong to the project's government.")
    if project.town_id and project.town is not None and project.town.kind != OrgUnit.Kind.TOWN:
        problems["town"] = _("Choose a town or street (镇街) as the location.")
    if project.park_id and project.park is not None and project.park.government_id != government_id:
        problems["park"] = _("The park must belong to the project's government.")
    link = project.chain_link if project.chain_link_id else None
    if link is not None and link.chain.government_id != government_id:
        problems["chain_link"] = _("The chain link must belong to the project's government.")
    if problems:
        raise ValidationError(problems)


# --- projects ---------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor: Any,
    project: Project,
    plans: Mapping[int, Decimal] | None = None,
    milestones: Sequence[tuple[str, datetime.date]] = (),
    note: str = "",
) -> Project:
    """Save a new project with its annual plans and milestones; its first stage is recorded."""
    _require_manager(actor, project.government_id)
    _check_links(project)
    date_field = STAGE_DATE_FIELDS.get(project.stage)
    on = getattr(project, date_field) if date_field else None
    tracked_create(actor=actor, obj=project, note=note)
    ProjectStageChange.objects.create(
        project=project,
        from_stage="",
        to_stage=project.stage,
        on=on or project.signed_on or _today(),
        actor=_user(actor),
        note=note[:300],
    )
    for year, amount in sorted((plans or {}).items()):
        tracked_create(
            actor=actor, obj=InvestmentPlan(project=project, year=year, amount=amount), note=note
        )
    for order, (name, planned_on) in enumerate(milestones):
        tracked_create(
            actor=actor,
            obj=ProjectMilestone(project=project, name=name, planned_on=planned_on, order=order),
            note=note,
        )
    return project


@transaction.atomic
def project_update(
    *,
    actor: Any,
    project: Project,
    changes: Mapping[str, Any],
    expected_version: int | None,
    note: str = "",
) -> Project:
    """Edit a project's facts. Stages, their dates and progress move only through their own
    services (`project_advance`, `report_submit`), so the history stays true."""
    _require_manager(actor, project.government_id)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    probe = Project(**{**{f: getattr(project, f) for f in EDITABLE_FIELDS}, **changes})
    probe.government_id = project.government_id
    _check_links(probe)
    return tracked_update(
        actor=actor, obj=project, changes=changes, expected_version=expected_version, note=note
    )


def next_stage(stage: str) -> str | None:
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label)


def check_advance(project: Project, to_stage: str) -> None:
    """Stages are taken forward one at a time; the message says which step is possible."""
    if to_stage not in STAGE_ORDER:
        raise ValidationError({"to_stage": _("Choose a stage.")})
    current, wanted = STAGE_ORDER.index(project.stage), STAGE_ORDER.index(to_stage)
    labels = {"current": _stage_label(project.stage), "wanted": _stage_label(to_stage)}
    following = next_stage(project.stage)
    if following is None:
        message = _("The project is “%(current)s”, its last stage.")
    elif wanted <= current:
        message = _("A project that is “%(current)s” cannot go back or stay at “%(wanted)s”.")
    elif wanted > current + 1:
        labels["next"] = _stage_label(following)
        message = _(
            "Stages are taken one at a time: a project that is “%(current)s” moves on to "
            "“%(next)s” before “%(wanted)s”."
        )
    else:
        return
    raise ValidationError({"to_stage": message % labels})


def _last_stage_date(project: Project) -> datetime.date | None:
    return project.stage_changes.order_by("-on", "-id").values_list("on", flat=True).first()


@transaction.atomic
def project_advance(
    *,
    actor: Any,
    project: Project,
    to_stage: str,
    on: datetime.date,
    note: str = "",
    expected_version: int | None = None,
) -> Project:
    """Move the project to its next stage on the day it was reached, and record the step.

    Completion sets physical progress to 100 %: a completed project is built.
    """
    _require_reporter(actor, project)
    check_advance(project, to_stage)
    if on > _today():
        raise ValidationError({"on": _("The date a stage was reached cannot be in the future.")})
    last = _last_stage_date(project)
    if last is not None and on < last:
        raise ValidationError(
            {
                "on": _("The date cannot be before the previous stage was reached (%(day)s).")
                % {"day": last.isoformat()}
            }
        )
    from_stage = project.stage
    changes: dict[str, Any] = {"stage": to_stage}
    date_field = STAGE_DATE_FIELDS.get(to_stage)
    if date_field:
        changes[date_field] = on
    if to_stage in (Stage.COMPLETED, Stage.IN_PRODUCTION):
        changes["progress"] = 100
        if project.started_on is None:
            changes["started_on"] = on
    project = tracked_update(
        actor=actor, obj=project, changes=changes, expected_version=expected_version, note=note
    )
    ProjectStageChange.objects.create(
        project=project,
        from_stage=from_stage,
        to_stage=to_stage,
        on=on,
        actor=_user(actor),
        note=note[:300],
    )
    return project


# --- milestones and plans -----------------------------------------------------------------------


@transaction.atomic
def milestone_add(
    *, actor: Any, project: Project, name: str, planned_on: datetime.date, note: str = ""
) -> ProjectMilestone:
    _require_manager(actor, project.government_id)
    order = project.milestones.count()
    milestone = ProjectMilestone(
        project=project, name=name.strip(), planned_on=planned_on, order=order
    )
    return tracked_create(actor=actor, obj=milestone, note=note)


@transaction.atomic
def milestone_reach(
    *,
    actor: Any,
    milestone: ProjectMilestone,
    on: datetime.date | None,
    expected_version: int | None = None,
    note: str = "",
) -> ProjectMilestone:
    """Record the day a milestone was reached (None clears a mistaken entry)."""
    _require_reporter(actor, milestone.project)
    if on is not None and on > _today():
        raise ValidationError(
            {"on": _("The date a milestone was reached cannot be in the future.")}
        )
    return tracked_update(
        actor=actor,
        obj=milestone,
        changes={"actual_on": on},
        expected_version=expected_version,
        note=note,
    )


MIN_YEAR, MAX_YEAR = 2000, 2100


@transaction.atomic
def plan_set(
    *, actor: Any, project: Project, year: int, amount: Decimal, note: str = ""
) -> InvestmentPlan:
    """Set the project's planned investment for a year (万元), creating or changing it."""
    _require_manager(actor, project.government_id)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            {"year": _("Give a year from %(min)s to %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}}
        )
    amount = _amount(amount)
    existing = InvestmentPlan.objects.filter(project=project, year=year).first()
    if existing is None:
        plan = InvestmentPlan(project=project, year=year, amount=amount)
        return tracked_create(actor=actor, obj=plan, note=note)
    return tracked_update(
        actor=actor, obj=existing, changes={"amount": amount}, expected_version=None, note=note
    )


# --- monthly reports --------------------------------------------------------------------------


def parse_month(text: object) -> str:
    """A month as people write it (2024-09, 2024年9月, 202409) in the stored form "2024-09"."""
    try:
        period = parse_period(text)
    except PeriodError:
        period = None
    if period is None or period.frequency is not Frequency.MONTHLY:
        raise ValidationError({"period": _("Give the month as YYYY-MM, e.g. 2024-09.")})
    return str(period)


CENTS = Decimal("0.01")


def _amount(value: object) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(
            {"amount": _("Give the amount in 10,000 yuan as a number, e.g. 1250.5.")}
        ) from error
    if not amount.is_finite() or amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({"amount": _("Give the amount with at most two decimals.")})
    return amount.quantize(CENTS)  # as stored, so the audit trail compares like with like


@transaction.atomic
def report_submit(
    *,
    actor: Any,
    project: Project,
    period: object,
    amount: object,
    progress: int,
    progress_text: str = "",
    problems: str = "",
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> InvestmentReport:
    """File the month's completed investment and physical progress; one report per month, so
    filing the same month again corrects it. The newest month's progress becomes the project's."""
    _require_reporter(actor, project)
    month = parse_month(period)
    today = today or _today()
    if month > f"{today.year}-{today.month:02d}":
        raise ValidationError({"period": _("A month that has not begun cannot be reported.")})
    fields: dict[str, Any] = {
        "amount": _amount(amount),
        "progress": progress,
        "progress_text": progress_text.strip(),
        "problems": problems.strip(),
        "reported_by": _user(actor),
    }
    existing = InvestmentReport.objects.filter(project=project, period=month).first()
    if existing is None:
        report = InvestmentReport(project=project, period=month, **fields)
        report = tracked_create(actor=actor, obj=report)
    else:
        report = tracked_update(
            actor=actor, obj=existing, changes=fields, expected_version=expected_version
        )
    newest = project.reports.order_by("-period").values_list("period", flat=True).first()
    if newest == month and project.stage not in (Stage.COMPLETED, Stage.IN_PRODUCTION):
        tracked_update(
            actor=actor, obj=project, changes={"progress": progress}, expected_version=None
        )
    return report


# --- problems raised as supervised tasks ------------------------------------------------------


def _task_code(project: Project) -> str:
    """The project's code and a running number, unique in the government's tasks."""
    base = project.code[:34]
    number = project.problem_tasks.count() + 1
    taken = set(
        Task.objects.filter(government_id=project.government_id, code__startswith=base).values_list(
            "code", flat=True
        )
    )
    while f"{base}-{number:02d}" in taken:
        number += 1
    return f"{base}-{number:02d}"


@transaction.atomic
def project_raise_task(
    *,
    actor: Any,
    project: Project,
    title: str,
    description: str,
    deadline: datetime.date,
    report: InvestmentReport | None = None,
    assign: bool = True,
) -> Task:
    """Raise a problem of the project as a task for its lead unit, through the tasks' own loop
    (created, then assigned unless `assign` is False), and link it to the project."""
    if not access.may_raise_task(actor, project.government_id):
        raise PermissionDenied(
            _("Only the supervising office raises a project's problem as a supervised task.")
        )
    if report is not None and report.project_id != project.pk:
        raise ValidationError({"report": _("The report must be one of this project's.")})
    today = _today()
    if deadline < today:
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    supervision = OrgUnit.objects.filter(
        government_id=project.government_id, kind=OrgUnit.Kind.SUPERVISION, is_active=True
    ).first()
    task = Task(
        government_id=project.government_id,
        code=_task_code(project),
        title=title.strip(),
        description=description.strip(),
        source_kind=Task.SourceKind.OTHER,
        source_reference=project.code,
        lead_unit_id=project.lead_unit_id,
        leader=project.leader,
        supervising_unit=supervision,
        start_date=today,
        deadline=deadline,
        is_illustrative=project.is_illustrative,
    )
    note = _("Raised from key project %(code)s") % {"code": project.code}
    task = task_services.create_task(actor=actor, task=task, note=note)
    link = ProjectTask.objects.create(project=project, task=task, report=report)
    record(actor=actor, action=AuditEntry.Action.CREATE, obj=link, after=snapshot(link), note=note)
    if assign:
        task = task_services.perform(actor=actor, task=task, action=TaskEvent.Action.ASSIGN)
    return task
