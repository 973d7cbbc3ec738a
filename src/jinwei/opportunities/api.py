"""API endpoints of the opportunities app (mounted under /api/v1/opportunities/): the
opportunities of the caller's governments with their items, the goals, tasks and projects
linked to each item, and the flag on items nobody acts on."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from jinwei.api_parts import ErrorOut, Ref, api_user, typed_for_paging
from jinwei.honors.models import Level
from jinwei.opportunities import selectors, services
from jinwei.opportunities.models import ItemAction, Opportunity, OpportunityItem
from jinwei.projects.models import Project
from jinwei.tasks.models import Task

router = Router(tags=["opportunities"])

PAGE_SIZE = 50


# --- schemas ----------------------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    kind: str = Field(description="goal, task or project")
    target: Ref = Field(description="The goal, task or project acting on the item.")
    state: str = Field(description="The task's state or the project's stage; empty for goals.")

    @staticmethod
    def resolve_kind(obj: ItemAction) -> str:
        return _kind(services.target_of(obj))

    @staticmethod
    def resolve_target(obj: ItemAction) -> dict[str, Any]:
        target = services.target_of(obj)
        return {"id": target.pk, "name": str(target)}

    @staticmethod
    def resolve_state(obj: ItemAction) -> str:
        target = services.target_of(obj)
        if isinstance(target, Task):
            return target.state
        if isinstance(target, Project):
            return target.stage
        return ""


def _kind(target: Any) -> str:
    return services.TARGET_FIELDS[type(target)]


class ItemOut(Schema):
    id: int
    number: int
    title: str
    area: OpportunityItem.Area
    description: str
    is_flagged: bool = Field(description="True when no goal, task or project is linked.")
    actions: list[ActionOut]

    @staticmethod
    def resolve_actions(obj: OpportunityItem) -> list[ItemAction]:
        return list(obj.actions.all())

    @staticmethod
    def resolve_is_flagged(obj: OpportunityItem) -> bool:
        return not obj.actions.all()


class OpportunityOut(Schema):
    id: int
    title: str
    government: str = Field(alias="government.code")
    kind: Opportunity.Kind
    level: Level
    issuer: str
    source_document: str
    issued_on: datetime.date | None
    summary: str
    unit: Ref | None
    is_illustrative: bool
    item_count: int
    flagged_count: int = Field(description="Items without any linked action.")
    items: list[ItemOut]
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_items(obj: Opportunity) -> list[OpportunityItem]:
        return list(obj.items.all())


# --- reads ------------------------------------------------------------------------------------


def _opportunities(request: HttpRequest, flagged: bool | None = None) -> QuerySet[Opportunity]:
    opportunities = selectors.opportunity_queryset(viewer=api_user(request))
    counted = selectors.with_counts(opportunities, flagged=flagged)
    return counted.prefetch_related(selectors.items_prefetch())


@router.get("/", response=list[OpportunityOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
@typed_for_paging
def opportunity_list(
    request: HttpRequest, government: str | None = None, flagged: bool | None = None
) -> Any:
    """Opportunities the caller may see, in order, each with its items and their actions.
    `government` is a region code; `flagged=true` keeps those with an item nobody acts on,
    `flagged=false` those whose every item has an action."""
    opportunities = _opportunities(request, flagged)
    if government:
        opportunities = opportunities.filter(government__code=government)
    return opportunities.order_by("government__code", "order", "id")


@router.get("/{int:opportunity_id}", response={200: OpportunityOut, 404: ErrorOut})
def opportunity_detail(request: HttpRequest, opportunity_id: int) -> Opportunity:
    """One opportunity with its items and their actions."""
    opportunity = _opportunities(request).filter(pk=opportunity_id).first()
    if opportunity is None:
        raise Http404
    return opportunity
