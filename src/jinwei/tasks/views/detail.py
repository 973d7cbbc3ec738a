"""One task: its page with the timeline, the plan form, the loop actions, progress reports,
postponement and cancellation requests, and the download of its attachments.

The services decide what is allowed and say why not; a refusal comes back in the form (HTTP 400,
as a partial for htmx), a success redirects to the task page with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from jinwei.accounts.access import can_manage, get_for_view
from jinwei.accounts.models import OrgUnit, Region
from jinwei.accounts.selectors import governments_for
from jinwei.audit.services import StaleVersionError
from jinwei.tasks import access, services
from jinwei.tasks.forms import (
    ActionForm,
    ChangeRequestForm,
    CoUnitFormSet,
    DecisionForm,
    MilestoneFormSet,
    ReportForm,
    TaskForm,
)
from jinwei.tasks.models import (
    ACTIVE_STATES,
    Attachment,
    ChangeRequest,
    CoUnit,
    Milestone,
    Task,
    TaskEvent,
)
from jinwei.tasks.services import TaskActionRefused
from jinwei.tasks.task_page import page_context, reporting_unit_objects

Action = TaskEvent.Action
FINISHED_STATES = (Task.State.CLOSED, Task.State.CANCELLED)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _visible_task(request: HttpRequest, task_id: int) -> Task:
    """The task, or 404 when it does not exist or belongs to another government."""
    queryset = access.visible_tasks(request.user).prefetch_related(
        Prefetch("co_units", CoUnit.objects.select_related("unit"))
    )
    return get_for_view(request, queryset.select_related("lead_unit"), pk=task_id)


def _back_to_task(request: HttpRequest, task: Task, message: str) -> HttpResponse:
    messages.success(request, message)
    url = reverse("tasks:detail", args=[task.pk])
    return HttpResponseClientRedirect(url) if _is_htmx(request) else redirect(url)


def _form_response(
    request: HttpRequest, part: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The form alone for htmx (swapped in place), or a page around it."""
    template = f"tasks/_detail_{part}_form.html" if _is_htmx(request) else f"tasks/form_{part}.html"
    return render(request, template, context, status=status)


def _refuse(form: Form, error: TaskActionRefused | StaleVersionError | ValidationError) -> None:
    """Put a service's refusal into the form, next to the field it names when it names one."""
    if isinstance(error, TaskActionRefused | StaleVersionError):
        form.add_error(None, error.message)
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- the task page ------------------------------------------------------------------------------


def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    queryset = access.visible_tasks(request.user).select_related(
        "goal", "parent", "lead_unit", "leader", "supervising_unit"
    )
    queryset = queryset.prefetch_related(
        Prefetch("co_units", CoUnit.objects.select_related("unit")),
        "milestones",
        Prefetch("subtasks", Task.objects.select_related("lead_unit").order_by("deadline", "id")),
    )
    task = get_for_view(request, queryset, pk=task_id)
    return render(request, "tasks/detail.html", page_context(request, task))


# --- the plan -------------------------------------------------------------------------------------


def _managed_governments(request: HttpRequest) -> list[Region]:
    governments = [g for g in governments_for(request.user) if can_manage(request.user, g.pk)]
    if not governments:
        raise PermissionDenied
    return governments


def _plan_forms(
    request: HttpRequest, government: Region, task: Task | None, initial: dict[str, Any]
) -> tuple[TaskForm, Any, Any]:
    data = request.POST if request.method == "POST" else None
    units = OrgUnit.objects.filter(government=government, is_active=True).order_by(
        "kind", "order", "name"
    )
    co_initial, ms_initial = [], []
    if task is not None:
        co_initial = [{"unit": c.unit, "part": c.part} for c in task.co_units.all()]
        ms_initial = [{"title": m.title, "due_date": m.due_date} for m in task.milestones.all()]
    form = TaskForm(data, instance=task, government=government, initial=initial)
    co_units = CoUnitFormSet(data, prefix="co", initial=co_initial, form_kwargs={"units": units})
    milestones = MilestoneFormSet(data, prefix="ms", initial=ms_initial)
    return form, co_units, milestones


def _plan_valid(form: TaskForm, co_units: Any, milestones: Any) -> bool:
    valid = all([form.is_valid(), co_units.is_valid(), milestones.is_valid()])
    if not valid:
        return False
    lead = form.cleaned_data["lead_unit"]
    for row in co_units.forms:
        if row.cleaned_data.get("unit") == lead:
            row.add_error("unit", _("The lead unit cannot also be a co-unit."))
            valid = False
    data = form.cleaned_data
    return milestones.check_dates(data["start_date"], data["deadline"]) and valid


def _plan_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, "tasks/form_task.html", context, status=status)


def task_create(request: HttpRequest) -> HttpResponse:
    governments = _managed_governments(request)
    government = governments[0]
    initial: dict[str, Any] = {}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():
        parent = get_for_view(request, access.visible_tasks(request.user), pk=int(parent_id))
        of_parent = [g for g in governments if g.pk == parent.government_id]
        if not of_parent:
            raise PermissionDenied
        government = of_parent[0]
        initial = {"parent_code": parent.code, "goal": parent.goal_id}
    initial.setdefault("start_date", timezone.localdate())
    supervision = OrgUnit.objects.filter(
        government=government, kind=OrgUnit.Kind.SUPERVISION, is_active=True
    ).first()
    if supervision is not None:
        initial["supervising_unit"] = supervision.pk
    form, co_units, milestones = _plan_forms(request, government, None, initial)
    if request.method == "POST" and _plan_valid(form, co_units, milestones):
        task = Task(government=government, **form.plan_fields())
        try:
            task = services.create_task(
                actor=request.user,
                task=task,
                co_units=co_units.parts(),
                milestones=milestones.milestones(),
            )
        except (TaskActionRefused, ValidationError) as error:
            _refuse(form, error)
        else:
            return _back_to_task(request, task, _("The task was saved as a draft."))
    context = {"form": form, "co_units": co_units, "milestones": milestones, "task": None}
    return _plan_page(request, context)


def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _visible_task(request, task_id)
    if not access.is_supervisor(request.user, task):
        raise PermissionDenied
    if task.state in FINISHED_STATES:
        messages.error(request, _("A closed or cancelled task can no longer be edited."))
        return redirect("tasks:detail", task_id=task.pk)
    form, co_units, milestones = _plan_forms(
        request, task.government, task, {"version": task.version}
    )
    stale = False
    if request.method == "POST" and _plan_valid(form, co_units, milestones):
        try:
            services.update_task(
                actor=request.user,
                task=task,
                changes=form.changed_plan_fields(),
                expected_version=form.cleaned_data["version"],
                co_units=co_units.parts(),
                milestones=milestones.milestones(),
            )
        except (TaskActionRefused, StaleVersionError, ValidationError) as error:
            stale = isinstance(error, StaleVersionError)
            _refuse(form, error)
        else:
            return _back_to_task(request, task, _("The task was saved."))
    context = {
        "form": form,
        "co_units": co_units,
        "milestones": milestones,
        "task": task,
        "stale": stale,
    }
    return _plan_page(request, context)


# --- the closed loop ----------------------------------------------------------------------------

DONE_MESSAGES = {
    Action.ASSIGN: gettext_lazy("The task was assigned to its lead unit."),
    Action.ACKNOWLEDGE: gettext_lazy("The task was acknowledged; it is now in progress."),
    Action.REQUEST_COMPLETION: gettext_lazy(
        "Completion was requested; the supervising office will review it."
    ),
    Action.RETURN: gettext_lazy("The task was returned to the lead unit."),
    Action.CLOSE: gettext_lazy("The task was closed and scored."),
}


def task_act(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    if action not in services.LOOP_ACTIONS:
        raise Http404
    task = _visible_task(request, task_id)
    if request.method != "POST":
        try:
            services.check_action(request.user, task, action)
        except TaskActionRefused as refused:
            raise PermissionDenied(refused.message) from refused
        form = ActionForm(action=action, initial={"version": task.version})
        return _form_response(request, "action", _action_context(task, action, form))
    form = ActionForm(request.POST, request.FILES, action=action)
    try:
        services.check_action(request.user, task, action)
    except TaskActionRefused as refused:
        _refuse(form, refused)
    else:
        if form.is_valid():
            try:
                services.perform(actor=request.user, task=task, action=action, **form.details())
            except (TaskActionRefused, StaleVersionError) as error:
                _refuse(form, error)
            else:
                return _back_to_task(request, task, str(DONE_MESSAGES[Action(action)]))
    return _form_response(request, "action", _action_context(task, action, form), status=400)


def _action_context(task: Task, action: str, form: ActionForm) -> dict[str, Any]:
    return {
        "task": task,
        "action": action,
        "action_label": Action(action).label,
        "form": form,
        "url": reverse("tasks:act", args=[task.pk, action]),
    }


def report_create(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _visible_task(request, task_id)
    units = reporting_unit_objects(request.user, task)
    if not units:
        raise PermissionDenied
    if request.method != "POST":
        if task.state not in services.REPORTABLE_STATES:
            raise PermissionDenied
        return _form_response(request, "report", {"task": task, "form": ReportForm(units=units)})
    form = ReportForm(request.POST, request.FILES, units=units)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_report(
                actor=request.user,
                task=task,
                unit=form.chosen_unit(),
                percent=data["percent"],
                text=data["text"],
                problems=data["problems"],
                files=data["attachments"],
            )
        except TaskActionRefused as refused:
            _refuse(form, refused)
        else:
            return _back_to_task(request, task, _("The progress report was saved."))
    return _form_response(request, "report", {"task": task, "form": form}, status=400)


def change_request_create(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _visible_task(request, task_id)
    if not access.is_lead_staff(request.user, task):
        raise PermissionDenied
    if request.method != "POST":
        pending = task.change_requests.filter(status=ChangeRequest.Status.PENDING).exists()
        if task.state not in ACTIVE_STATES or pending:
            raise PermissionDenied
        form = ChangeRequestForm(task=task)
        return _form_response(request, "change", {"task": task, "form": form})
    form = ChangeRequestForm(request.POST, task=task)
    if form.is_valid():
        data = form.cleaned_data
        try:
            change = services.request_change(
                actor=request.user,
                task=task,
                kind=data["kind"],
                reason=data["reason"],
                new_deadline=data["new_deadline"],
            )
        except TaskActionRefused as refused:
            _refuse(form, refused)
        else:
            message = _("Your request (%(kind)s) was sent to the supervising office.") % {
                "kind": change.get_kind_display()
            }
            return _back_to_task(request, task, message)
    return _form_response(request, "change", {"task": task, "form": form}, status=400)


def change_request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    change = get_for_view(
        request,
        ChangeRequest.objects.select_related("task", "requested_by").filter(
            task__in=access.visible_tasks(request.user)
        ),
        pk=request_id,
    )
    task = change.task
    if not access.is_supervisor(request.user, task):
        raise PermissionDenied
    context: dict[str, Any] = {"task": task, "change": change}
    if request.method != "POST":
        if change.status != ChangeRequest.Status.PENDING:
            messages.info(request, _("This request has already been decided."))
            return redirect("tasks:detail", task_id=task.pk)
        context["form"] = DecisionForm()
        return _form_response(request, "decision", context)
    form = DecisionForm(request.POST)
    context["form"] = form
    if form.is_valid():
        try:
            services.decide_change(
                actor=request.user,
                change=change,
                approve=form.approve,
                note=form.cleaned_data["note"],
            )
        except TaskActionRefused as refused:
            _refuse(form, refused)
        else:
            done = (
                _("The request was approved.") if form.approve else _("The request was rejected.")
            )
            return _back_to_task(request, task, done)
    return _form_response(request, "decision", context, status=400)


# --- attachments ----------------------------------------------------------------------------------


@require_POST
def milestone_done(request: HttpRequest, milestone_id: int) -> HttpResponse:
    """Record that a planned milestone was reached today."""
    milestone = Milestone.objects.select_related("task").filter(pk=milestone_id).first()
    if milestone is None or not access.can_see_task(request.user, milestone.task):
        raise Http404
    version = request.POST.get("version")
    try:
        services.milestone_done(
            actor=request.user,
            milestone=milestone,
            done_on=timezone.localdate(),
            expected_version=int(version) if version and version.isdigit() else None,
        )
    except TaskActionRefused as error:
        raise PermissionDenied(error.message) from error
    except StaleVersionError as error:
        messages.error(request, error.message)
        return redirect("tasks:detail", milestone.task_id)
    return _back_to_task(request, milestone.task, _("Milestone recorded."))


def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    """The file as a download with its original name; never through a public media URL."""
    attachment = get_for_view(
        request,
        Attachment.objects.select_related("task").filter(
            task__in=access.visible_tasks(request.user)
        ),
        pk=attachment_id,
    )
    if not access.can_see_attachments(request.user, attachment.task):
        raise PermissionDenied
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
