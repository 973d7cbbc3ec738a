"""Project pages that change something: create and edit a project, take a stage step, file the
monthly report, add or reach a milestone, set a year's plan, raise a problem as a task, and write
the completed investment into its indicator. (The URLs are listed in `projects.py`.)

Each view starts from an access helper (404 outside the user's governments, 403 without the
right); the services check the rules again and say why they refuse. After a successful POST the
view redirects to the project's page with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinwei.accounts.models import Region
from jinwei.audit.services import StaleVersionError
from jinwei.core.forms import refuse
from jinwei.indicators.services import ObservationRejected, may_approve
from jinwei.projects import access, investment_totals, services
from jinwei.projects.forms import (
    AdvanceForm,
    MilestoneForm,
    MilestoneReachForm,
    PlanForm,
    ProjectForm,
    RaiseTaskForm,
    ReportForm,
    chosen_government,
    default_month,
)
from jinwei.projects.models import Project, ProjectMilestone
from jinwei.projects.selectors import list_governments


def _messages_of(error: ValidationError | StaleVersionError) -> str:
    if isinstance(error, StaleVersionError):
        return error.message
    return " ".join(error.messages)


def _to_project(project: Project, anchor: str = "") -> HttpResponse:
    return redirect(reverse("projects:detail", args=[project.pk]) + anchor)


# --- the project --------------------------------------------------------------------------------


def _managed_government(request: HttpRequest) -> Region:
    governments = [
        g for g in list_governments(request.user) if access.may_manage(request.user, g.pk)
    ]
    if not governments:
        raise PermissionDenied
    return chosen_government(request.GET, governments)


def project_create(request: HttpRequest) -> HttpResponse:
    government = _managed_government(request)
    data = request.POST if request.method == "POST" else None
    instance = Project(government=government)
    form = ProjectForm(data, instance=instance, government=government, creating=True)
    if data is not None and form.is_valid():
        try:
            project = services.project_create(
                actor=request.user, project=form.instance, plans=form.plan()
            )
        except ValidationError as error:
            refuse(form, error)
        else:
            messages.success(request, _("The project %(code)s was saved.") % {"code": project.code})
            return _to_project(project)
    status = 400 if data is not None else 200
    context = {"form": form, "project": None, "government": government}
    return render(request, "projects/project_form.html", context, status=status)


def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access.get_project_for_manage(request, project_id)
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(
        data,
        instance=Project.objects.get(pk=project.pk),  # the form writes into its instance
        government=project.government,
        creating=False,
        initial={"version": project.version},
    )
    stale = False
    if data is not None and form.is_valid():
        try:
            services.project_update(
                actor=request.user,
                project=project,
                changes=form.changed_fields(),
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, StaleVersionError) as error:
            stale = isinstance(error, StaleVersionError)
            refuse(form, error)
        else:
            messages.success(request, _("The project was saved."))
            return _to_project(project)
    status = 400 if data is not None else 200
    context = {"form": form, "project": project, "government": project.government, "stale": stale}
    return render(request, "projects/project_form.html", context, status=status)


@require_POST
def project_advance(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access.get_project_for_report(request, project_id)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(
            request, _("The stage was not changed: %(why)s") % {"why": " ".join(problems)}
        )
        return _to_project(project, "#stages")
    try:
        project = services.project_advance(
            actor=request.user,
            project=project,
            to_stage=form.cleaned_data["to_stage"],
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, StaleVersionError) as error:
        messages.error(
            request, _("The stage was not changed: %(why)s") % {"why": _messages_of(error)}
        )
    else:
        messages.success(
            request, _("The project is now “%(stage)s”.") % {"stage": project.get_stage_display()}
        )
    return _to_project(project, "#stages")


# --- the monthly report -------------------------------------------------------------------------


def report_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access.get_project_for_report(request, project_id)
    today = timezone.localdate()
    month = request.GET.get("period") or default_month(today)
    existing = project.reports.filter(period=month).first()
    initial: dict[str, Any] = {"period": month, "progress": project.progress}
    if existing is not None:
        initial.update(
            amount=existing.amount,
            progress=existing.progress,
            progress_text=existing.progress_text,
            problems=existing.problems,
        )
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_submit(
                actor=request.user, project=project, **form.cleaned_data
            )
        except ValidationError as error:
            refuse(form, error)
        else:
            messages.success(
                request, _("The report for %(month)s was saved.") % {"month": report.period}
            )
            return _to_project(project, "#reports")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "project": project, "existing": existing}
    return render(request, "projects/project_form_report.html", context, status=status)


# --- milestones and plans -----------------------------------------------------------------------


@require_POST
def milestone_add(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access.get_project_for_manage(request, project_id)
    form = MilestoneForm(request.POST, prefix="ms")
    if form.is_valid():
        try:
            services.milestone_add(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            messages.success(request, _("The milestone was added."))
    else:
        messages.error(request, _("The milestone was not added: give its name and planned date."))
    return _to_project(project, "#milestones")


@require_POST
def milestone_reach(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = get_object_or_404(
        ProjectMilestone.objects.select_related("project__lead_unit"), pk=milestone_id
    )
    project = access.get_project_for_report(request, milestone.project_id)
    form = MilestoneReachForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_reach(
                actor=request.user, milestone=milestone, on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            messages.success(request, _("The milestone was updated."))
    else:
        messages.error(request, _("Give the date as YYYY-MM-DD."))
    return _to_project(project, "#milestones")


@require_POST
def plan_set(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access.get_project_for_manage(request, project_id)
    form = PlanForm(request.POST, prefix="plan")
    if form.is_valid():
        try:
            plan = services.plan_set(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            messages.success(request, _("The plan for %(year)s was saved.") % {"year": plan.year})
    else:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, _("The plan was not saved: %(why)s") % {"why": " ".join(problems)})
    return _to_project(project, "#investment")


# --- problems raised as tasks -------------------------------------------------------------------


def raise_task(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access.get_project_for_view(request, project_id)
    if not access.may_raise_task(request.user, project.government_id):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    report_id = request.GET.get("report", "")
    report = project.reports.filter(pk=report_id).first() if report_id.isdigit() else None
    if report is not None:
        initial = {"report": report.pk, "description": report.problems}
    form = RaiseTaskForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.project_raise_task(
                actor=request.user, project=project, **form.cleaned_data
            )
        except ValidationError as error:
            refuse(form, error)
        else:
            messages.success(
                request,
                _("Task %(code)s was raised and assigned to %(unit)s.")
                % {"code": task.code, "unit": project.lead_unit.name},
            )
            return _to_project(project, "#tasks")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "project": project}
    return render(request, "projects/project_form_raise_task.html", context, status=status)


# --- the indicator ------------------------------------------------------------------------------


@require_POST
def investment_feed(request: HttpRequest) -> HttpResponse:
    """Write the year's completed investment into the configured indicator (statisticians and the
    supervising office, who may enter the government's figures)."""
    governments = list_governments(request.user)
    if not governments:
        raise PermissionDenied
    government = chosen_government(request.POST, governments)
    if not may_approve(request.user, government.pk):
        raise PermissionDenied
    year_text = request.POST.get("year", "")
    year = int(year_text) if year_text.isdigit() else timezone.localdate().year
    back = reverse("projects:investment") + f"?government={government.pk}&year={year}"
    try:
        saved = investment_totals.feed_indicator(
            actor=request.user, government=government, year=year
        )
    except ObservationRejected as rejected:
        messages.error(
            request,
            _("The indicator was not updated: %(why)s")
            % {"why": " ".join(p.message for p in rejected.problems)},
        )
    else:
        if saved:
            messages.success(
                request,
                _("The indicator was updated for %(periods)s.")
                % {"periods": ", ".join(s.observation.period for s in saved)},
            )
        else:
            messages.info(request, _("There was nothing to write: no report for this year."))
    return redirect(back)
