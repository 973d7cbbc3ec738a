"""The goals tree, a goal's page, its Gantt chart, and creating and editing goals.

Everyone in the government reads the goals (the drive is run in the open); supervisors and admins
create and edit them. A goal's status is derived (goal_status.py), never typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.access import can_manage, get_for_view
from jinwei.accounts.models import Region
from jinwei.accounts.selectors import governments_for
from jinwei.audit.services import StaleVersionError
from jinwei.core.middleware import allows_inline_styles
from jinwei.tasks import gantt as gantt_chart
from jinwei.tasks import goal_selectors as selectors
from jinwei.tasks import services
from jinwei.tasks.goal_forms import GoalForm, VersionedGoalForm
from jinwei.tasks.goal_status import STATUS_ORDER, stage_of
from jinwei.tasks.models import Goal
from jinwei.tasks.timing import Colour


def chosen_government(request: HttpRequest) -> tuple[Region, list[Region]]:
    """The government asked for by its code (`?government=`), else the user's first; 404 for a
    government the user does not work for."""
    governments = list(governments_for(request.user).order_by("code"))
    code = request.GET.get("government", "")
    if code:
        for government in governments:
            if government.code == code:
                return government, governments
        raise Http404
    if not governments:
        raise Http404
    return governments[0], governments


def _goal_for_view(request: HttpRequest, goal_id: int) -> Goal:
    return get_for_view(request, selectors.goal_queryset(viewer=request.user), pk=goal_id)


def goal_tree(request: HttpRequest) -> HttpResponse:
    government, governments = chosen_government(request)
    tree = selectors.goal_tree(government=government, today=timezone.localdate())
    return render(
        request,
        "tasks/goals.html",
        {
            "government": government,
            "governments": governments,
            "tree": tree,
            "nodes": tree.nodes(),
            "statuses": STATUS_ORDER,
            "may_manage": can_manage(request.user, government.pk),
        },
    )


def goal_detail(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = _goal_for_view(request, goal_id)
    today = timezone.localdate()
    tree = selectors.goal_tree(government=goal.government, today=today)
    node = tree.by_id[goal.pk]
    goal_ids = {n.item.pk for n in node.walk()}
    tasks = selectors.tasks_of(goal_ids, today, tree.rules)
    for task in tasks:
        task.colour_label = Colour(task.colour).label  # type: ignore[attr-defined]
    return render(
        request,
        "tasks/goal_detail.html",
        {
            "goal": goal,
            "node": node,
            "stage": stage_of(goal.stage, goal.horizon),
            "ancestors": _ancestors(goal, tree),
            "indicators": tree.indicators.get(goal.pk, []),
            "tasks": tasks,
            "tasks_capped": len(tasks) >= selectors.TASKS_SHOWN,
            "statuses": STATUS_ORDER,
            "may_manage": can_manage(request.user, goal.government_id),
        },
    )


def _ancestors(goal: Goal, tree: selectors.GoalTree) -> list[Goal]:
    """From the root down to the goal's parent."""
    chain: list[Goal] = []
    parent_id = goal.parent_id
    while parent_id is not None and parent_id in tree.by_id and len(chain) < len(tree.by_id):
        parent = tree.by_id[parent_id].item
        chain.insert(0, parent)
        parent_id = parent.parent_id
    return chain


def goal_create(request: HttpRequest) -> HttpResponse:
    government, _governments = chosen_government(request)
    if not can_manage(request.user, government.pk):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = int(request.GET["parent"])
    form = GoalForm(request.POST or None, government=government, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.create_goal(
                actor=request.user,
                goal=form.instance,
                indicators=form.cleaned_data.get("indicators") or [],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The goal was added."))
            return redirect("tasks:goal", goal_id=goal.pk)
    return render(
        request, "tasks/goal_form.html", {"form": form, "goal": None, "government": government}
    )


def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = _goal_for_view(request, goal_id)
    if not can_manage(request.user, goal.government_id):
        raise PermissionDenied
    form = VersionedGoalForm(
        request.POST or None,
        instance=goal,
        government=goal.government,
        initial={"version": goal.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_goal(
                actor=request.user,
                goal=goal,
                changes=form.changed_values(),
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("tasks:goal", goal_id=goal.pk)
    return render(
        request,
        "tasks/goal_form.html",
        {"form": form, "goal": goal, "government": goal.government},
    )


@allows_inline_styles
def gantt(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = _goal_for_view(request, goal_id)
    today = timezone.localdate()
    rules = services.rules_for(goal.government_id)
    bars = selectors.gantt_bars(selectors.subtree_ids(goal), today, rules)
    return render(
        request,
        "tasks/gantt.html",
        {
            "goal": goal,
            "bars": bars,
            "groups": _by_unit(bars),
            "figure": gantt_chart.gantt_figure(bars, today) if bars else None,
            "legend": gantt_chart.legend(),
            "capped": len(bars) >= selectors.TASKS_SHOWN,
            "today": today,
        },
    )


def _by_unit(bars: list[selectors.GanttBar]) -> list[tuple[str, list[selectors.GanttBar]]]:
    """The bars in runs of one lead unit, for the table under the chart."""
    groups: list[tuple[str, list[selectors.GanttBar]]] = []
    for bar in bars:
        if groups and groups[-1][0] == bar.unit:
            groups[-1][1].append(bar)
        else:
            groups.append((bar.unit, [bar]))
    return groups
