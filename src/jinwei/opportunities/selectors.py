"""Reads of opportunities with their items and the actions linked to each item.

An item with no linked action is flagged: the programme concerns the county, and nobody is
acting on that part of it. Every read here costs a fixed number of queries, however many
opportunities, items and actions there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.text import capfirst

from jinwei.accounts.access import scope_to_governments
from jinwei.accounts.models import Region
from jinwei.opportunities import services
from jinwei.opportunities.models import ItemAction, Opportunity, OpportunityItem
from jinwei.projects.models import Project
from jinwei.projects.schedule import project_schedule
from jinwei.projects.selectors import rules_for as project_rules_for
from jinwei.tasks.models import Goal, Task
from jinwei.tasks.selectors import rules_by_government, timing_of


@dataclass(frozen=True)
class ItemView:
    item: OpportunityItem
    actions: list[ItemAction]

    @property
    def is_flagged(self) -> bool:
        return not self.actions


@dataclass(frozen=True)
class OpportunityView:
    opportunity: Opportunity
    items: list[ItemView]

    @property
    def flagged(self) -> list[ItemView]:
        return [view for view in self.items if view.is_flagged]


def items_prefetch() -> Prefetch[Any]:
    """The items of opportunities in order, each with its actions and their targets."""
    actions = ItemAction.objects.select_related("goal", "task", "project").order_by("id")
    items = OpportunityItem.objects.prefetch_related(Prefetch("actions", queryset=actions))
    return Prefetch("items", queryset=items.order_by("number", "id"))


def views_of(opportunities: QuerySet[Opportunity]) -> list[OpportunityView]:
    """The opportunities with their items and actions, in four queries."""
    rows = opportunities.select_related("government", "unit").prefetch_related(items_prefetch())
    return [
        OpportunityView(
            opportunity=opportunity,
            items=[ItemView(item, list(item.actions.all())) for item in opportunity.items.all()],
        )
        for opportunity in rows
    ]


def opportunities_with_items(*, government: Region) -> list[OpportunityView]:
    """Every opportunity of the government, its items and their actions, in four queries."""
    return views_of(Opportunity.objects.filter(government=government))


# --- the list ----------------------------------------------------------------------------------


def opportunity_queryset(*, viewer: Any) -> QuerySet[Opportunity]:
    """The opportunities of the governments the viewer reads."""
    opportunities = Opportunity.objects.select_related("government", "unit")
    return scope_to_governments(opportunities, viewer, "government_id")


def with_counts(
    opportunities: QuerySet[Opportunity], flagged: bool | None = None
) -> QuerySet[Opportunity]:
    """Each opportunity with `item_count` and `flagged_count` (items without a linked action);
    `flagged` True keeps those with such an item, False those without."""
    counted = opportunities.annotate(
        item_count=Count("items", distinct=True),
        flagged_count=Count("items", filter=Q(items__actions__isnull=True), distinct=True),
    )
    if flagged is True:
        counted = counted.filter(flagged_count__gt=0)
    elif flagged is False:
        counted = counted.filter(flagged_count=0)
    return counted


def opportunity_list(
    *, viewer: Any, government: Region, only_flagged: bool = False
) -> QuerySet[Opportunity]:
    """The government's opportunities in order with their counts; `only_flagged` keeps those
    with at least one item nobody acts on."""
    opportunities = opportunity_queryset(viewer=viewer).filter(government=government)
    return with_counts(opportunities, flagged=only_flagged or None).order_by("order", "id")


# --- one opportunity's items with the state of their actions -----------------------------------


TARGET_MODELS: dict[str, type[Goal | Task | Project]] = {
    "goal": Goal,
    "task": Task,
    "project": Project,
}


def kind_label(kind: str) -> str:
    """The model's name, capitalised as the other apps' pages show it: Goal, Task, Key project."""
    return str(capfirst(TARGET_MODELS[kind]._meta.verbose_name))


def group_label(kind: str) -> str:
    return str(capfirst(TARGET_MODELS[kind]._meta.verbose_name_plural))


@dataclass(frozen=True)
class ActionRow:
    """A linked goal, task or project as the pages and the export show it."""

    action: ItemAction
    kind: str  # "goal", "task" or "project"
    kind_label: str
    title: str
    url: str
    state: str  # the task's state, the project's stage, the goal's stage ("" if none)
    colour: str = ""  # the task's or project's colour ("" for goals and uncoloured tasks)
    colour_label: str = ""


@dataclass(frozen=True)
class ItemRow:
    item: OpportunityItem
    actions: list[ActionRow]

    @property
    def is_flagged(self) -> bool:
        return not self.actions


@dataclass(frozen=True)
class OpportunityRows:
    opportunity: Opportunity
    items: list[ItemRow]

    @property
    def item_count(self) -> int:
        return len(self.items)

    @property
    def flagged_count(self) -> int:
        return sum(row.is_flagged for row in self.items)


class ActionStates:
    """Describes linked actions for one government: its task and project rules, loaded once."""

    def __init__(self, government_id: int, today: datetime.date) -> None:
        self.today = today
        self.task_rules = rules_by_government([government_id])[government_id]
        self.project_rules = project_rules_for(government_id)

    def row(self, action: ItemAction) -> ActionRow:
        target = services.target_of(action)
        if isinstance(target, Task):
            timing = timing_of(target, self.today, self.task_rules)
            return ActionRow(
                action=action,
                kind="task",
                kind_label=kind_label("task"),
                title=str(target),
                url=reverse("tasks:detail", args=[target.pk]),
                state=target.get_state_display(),
                colour=timing.colour.value,
                colour_label=timing.colour.label if timing.colour else "",
            )
        if isinstance(target, Project):
            schedule = project_schedule(target, self.today, self.project_rules)
            return ActionRow(
                action=action,
                kind="project",
                kind_label=kind_label("project"),
                title=str(target),
                url=reverse("projects:detail", args=[target.pk]),
                state=target.get_stage_display(),
                colour=schedule.colour.value,
                colour_label=schedule.colour.label,
            )
        return self._goal_row(action, target)

    @staticmethod
    def _goal_row(action: ItemAction, goal: Goal) -> ActionRow:
        return ActionRow(
            action=action,
            kind="goal",
            kind_label=kind_label("goal"),
            title=str(goal),
            url=reverse("tasks:goal", args=[goal.pk]),
            state=goal.stage,
        )

    def rows(self, view: OpportunityView) -> OpportunityRows:
        items = [ItemRow(v.item, [self.row(a) for a in v.actions]) for v in view.items]
        return OpportunityRows(view.opportunity, items)


def opportunity_rows(*, opportunity: Opportunity, today: datetime.date) -> OpportunityRows:
    """One opportunity's items, each with its actions and their current state (six queries)."""
    (view,) = views_of(Opportunity.objects.filter(pk=opportunity.pk))
    return ActionStates(opportunity.government_id, today).rows(view)


def item_row(*, item: OpportunityItem, today: datetime.date) -> ItemRow:
    """One item with its actions' states (for the part of the page htmx replaces)."""
    actions = item.actions.select_related("goal", "task", "project").order_by("id")
    states = ActionStates(item.opportunity.government_id, today)
    return ItemRow(item, [states.row(action) for action in actions])


def rows_for_export(
    opportunities: QuerySet[Opportunity], government_id: int, today: datetime.date
) -> list[OpportunityRows]:
    states = ActionStates(government_id, today)
    return [states.rows(view) for view in views_of(opportunities)]


# --- what an item can be linked to -------------------------------------------------------------


def link_choices(*, item: OpportunityItem) -> list[tuple[str, list[tuple[str, str]]]]:
    """The government's goals, tasks (not cancelled) and projects not yet linked to the item,
    grouped for a select; values are "goal:12", "task:5", "project:3"."""
    government_id = item.opportunity.government_id
    linked = set(item.actions.values_list("goal_id", "task_id", "project_id"))
    taken = {
        kind: {row[i] for row in linked if row[i] is not None}
        for i, kind in enumerate(("goal", "task", "project"))
    }
    goals = Goal.objects.filter(government_id=government_id).order_by("order", "id")
    tasks = (
        Task.objects.filter(government_id=government_id)
        .exclude(state=Task.State.CANCELLED)
        .order_by("code")
        .only("id", "code", "title")
    )
    projects = Project.objects.filter(government_id=government_id).order_by("code")
    groups = {
        "goal": [(g.pk, g.title) for g in goals.only("id", "title")],
        "task": [(t.pk, str(t)) for t in tasks],
        "project": [(p.pk, str(p)) for p in projects.only("id", "code", "name")],
    }
    return [
        (
            group_label(kind),
            [(f"{kind}:{pk}", label) for pk, label in options if pk not in taken[kind]],
        )
        for kind, options in groups.items()
    ]


def target_for(*, item: OpportunityItem, value: str) -> Goal | Task | Project | None:
    """The goal, task or project a choice like "task:5" names, if it is of the item's
    government; None otherwise."""
    kind, _sep, pk = value.partition(":")
    model = TARGET_MODELS.get(kind)
    if model is None or not pk.isdigit():
        return None
    government_id = item.opportunity.government_id
    return model._default_manager.filter(pk=int(pk), government_id=government_id).first()
