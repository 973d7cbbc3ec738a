"""API endpoints of the projects app (mounted under /api/v1/projects/).

Reads are scoped to the caller's governments; investors' contact details are given only to those
`access.may_see_contacts` allows (null for everyone else). A monthly report goes through
`services.report_submit`, which checks the caller's right itself: 403 for another unit's staff,
400 with the reason for bad input, 409 for a stale version.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from jinwei.api_parts import ErrorOut, Ref, api_user, typed_for_paging
from jinwei.audit.services import StaleVersionError
from jinwei.projects import access, selectors, services
from jinwei.projects.models import InvestmentReport, Project, ProjectMilestone, ProjectStageChange
from jinwei.projects.schedule import Schedule, ScheduleRules, project_schedule

router = Router(tags=["projects"])
PAGE_SIZE = 50
F = TypeVar("F", bound=Callable[..., Any])


def _rules(request: HttpRequest, government_id: int) -> ScheduleRules:
    cache: dict[int, ScheduleRules] = request.__dict__.setdefault("_project_rules", {})
    if government_id not in cache:
        cache[government_id] = selectors.rules_for(government_id)
    return cache[government_id]


def _schedule(project: Project, context: dict[str, Any]) -> Schedule:
    request = context["request"]
    return project_schedule(project, timezone.localdate(), _rules(request, project.government_id))


def _contacts(project: Project, context: dict[str, Any]) -> bool:
    return access.may_see_contacts(context["request"].user, project.government_id)


# --- schemas ----------------------------------------------------------------------------------


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    government: str = Field(alias="government.code")
    kind: Project.Kind
    stage: Project.Stage
    park: Ref | None
    lead_unit: Ref
    investor: str
    investor_contact: str | None = Field(description="Null unless the caller may see contacts.")
    investor_phone: str | None
    investor_email: str | None
    total_investment: Decimal = Field(description="10,000 yuan")
    planned_start: datetime.date | None
    planned_completion: datetime.date | None
    signed_on: datetime.date | None
    started_on: datetime.date | None
    completed_on: datetime.date | None
    production_on: datetime.date | None
    progress: int
    time_progress: int | None
    colour: str = Field(description="green, yellow, red, done, or none without planned dates.")
    is_illustrative: bool
    version: int

    @staticmethod
    def resolve_investor_contact(obj: Project, context: dict[str, Any]) -> str | None:
        return obj.investor_contact if _contacts(obj, context) else None

    @staticmethod
    def resolve_investor_phone(obj: Project, context: dict[str, Any]) -> str | None:
        return obj.investor_phone if _contacts(obj, context) else None

    @staticmethod
    def resolve_investor_email(obj: Project, context: dict[str, Any]) -> str | None:
        return obj.investor_email if _contacts(obj, context) else None

    @staticmethod
    def resolve_time_progress(obj: Project, context: dict[str, Any]) -> int | None:
        return _schedule(obj, context).elapsed_percent

    @staticmethod
    def resolve_colour(obj: Project, context: dict[str, Any]) -> str:
        return str(_schedule(obj, context).colour.value)


class MilestoneOut(Schema):
    name: str
    planned_on: datetime.date
    actual_on: datetime.date | None


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    on: datetime.date
    note: str


class ReportOut(Schema):
    id: int
    period: str
    amount: Decimal = Field(description="Completed in the month, 10,000 yuan")
    progress: int
    progress_text: str
    problems: str
    reported_by: str | None
    version: int

    @staticmethod
    def resolve_reported_by(obj: InvestmentReport) -> str | None:
        return obj.reported_by.get_username() if obj.reported_by is not None else None


class PlanOut(Schema):
    year: int
    amount: Decimal


class ProjectDetailOut(ProjectOut):
    description: str
    chain_link: str | None
    leader: str | None
    address: str
    plot: str
    milestones: list[MilestoneOut]
    stage_changes: list[StageChangeOut]
    plans: list[PlanOut]
    reports: list[ReportOut]

    @staticmethod
    def resolve_chain_link(obj: Project) -> str | None:
        return str(obj.chain_link) if obj.chain_link is not None else None

    @staticmethod
    def resolve_leader(obj: Project) -> str | None:
        return obj.leader.get_username() if obj.leader is not None else None

    @staticmethod
    def resolve_milestones(obj: Project) -> list[ProjectMilestone]:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_stage_changes(obj: Project) -> list[ProjectStageChange]:
        return list(obj.stage_changes.all())

    @staticmethod
    def resolve_reports(obj: Project) -> list[InvestmentReport]:
        return list(obj.reports.all())

    @staticmethod
    def resolve_plans(obj: Project) -> list[Any]:
        return list(obj.plans.all())


class ReportIn(Schema):
    period: str = Field(description="The month, YYYY-MM.", examples=["2024-09"])
    amount: Decimal = Field(ge=0, description="Completed in the month, 10,000 yuan")
    progress: int = Field(ge=0, le=100)
    progress_text: str = ""
    problems: str = ""
    version: int | None = Field(
        default=None, ge=1, description="When correcting a month: the report's version."
    )


# --- reads ------------------------------------------------------------------------------------


def _projects(request: HttpRequest) -> QuerySet[Project]:
    return access.visible_projects(api_user(request)).select_related(
        "government", "park", "lead_unit"
    )


@router.get("/", response=list[ProjectOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
@typed_for_paging
def project_list(
    request: HttpRequest,
    government: str | None = None,
    stage: Project.Stage | None = None,
    kind: Project.Kind | None = None,
    park: int | None = None,
    unit: int | None = None,
) -> Any:
    """Projects the caller may see, by code. `unit` is the lead unit's id."""
    projects = _projects(request)
    if government:
        projects = projects.filter(government__code=government)
    if stage is not None:
        projects = projects.filter(stage=stage)
    if kind is not None:
        projects = projects.filter(kind=kind)
    if park is not None:
        projects = projects.filter(park_id=park)
    if unit is not None:
        projects = projects.filter(lead_unit_id=unit)
    return projects.order_by("government__code", "code", "id")


def _detail(request: HttpRequest, project_id: int) -> Project:
    project = selectors.project_for_page(_projects(request)).filter(pk=project_id).first()
    if project is None:
        raise Http404
    return project


@router.get("/{project_id}", response={200: ProjectDetailOut, 404: ErrorOut})
def project_detail(request: HttpRequest, project_id: int) -> Project:
    """One project with its milestones, stages, annual plans and monthly reports."""
    return _detail(request, project_id)


# --- writes -----------------------------------------------------------------------------------


@router.post(
    "/{project_id}/reports",
    response={200: ReportOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def report_submit(request: HttpRequest, project_id: int, payload: ReportIn) -> Any:
    """File (or correct) the month's report: the lead unit's staff and the managers."""
    user = api_user(request)
    project = _detail(request, project_id)
    try:
        report = services.report_submit(
            actor=user,
            project=project,
            period=payload.period,
            amount=payload.amount,
            progress=payload.progress,
            progress_text=payload.progress_text,
            problems=payload.problems,
            expected_version=payload.version,
        )
    except DjangoValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from None
    except StaleVersionError as stale:
        raise HttpError(409, stale.message) from None
    return report


# --- parks and chains (h_parks) ---
router.add_router("/", "jinwei.projects.park_api.router")
