"""API endpoints for parks and industry chains (mounted by `projects/api.py` under
/api/v1/projects/parks/ and /api/v1/projects/chains/). Read only: parks and chains are edited on
their pages. A chain comes with its links and, per link, the enterprises, projects and leads on
it and its status (empty, thin, covered)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from jinwei.api_parts import ErrorOut, Ref, api_user, typed_for_paging
from jinwei.projects import parks
from jinwei.projects.models import Park

router = Router(tags=["parks and chains"])
PAGE_SIZE = 50
F = TypeVar("F", bound=Callable[..., Any])


# --- schemas ----------------------------------------------------------------------------------


class ProjectRef(Schema):
    id: int
    code: str
    name: str
    stage: str


class ParkOut(Schema):
    id: int
    name: str
    government: str = Field(alias="government.code")
    area_mu: Decimal | None = Field(description="Area in mu (亩).")
    focus_industries: str
    chains: list[Ref]
    managing_unit: Ref | None
    location: str
    project_count: int
    enterprise_count: int
    is_illustrative: bool
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_chains(obj: Park) -> list[Any]:
        return list(obj.chains.all())


class ParkDetailOut(ParkOut):
    description: str
    projects: list[ProjectRef]
    enterprises: list[Ref]

    @staticmethod
    def resolve_projects(obj: Park) -> list[Any]:
        return list(obj.projects.order_by("code"))

    @staticmethod
    def resolve_enterprises(obj: Park) -> list[Any]:
        return list(obj.enterprises.order_by("name"))


class LinkOut(Schema):
    id: int
    parent: int | None
    depth: int
    segment: str
    name: str
    min_enterprises: int = Field(description="Thin below this number of enterprises.")
    enterprise_count: int = Field(description="Enterprises placed on the link itself.")
    total_enterprises: int = Field(description="On the link and its sub-links.")
    project_count: int
    lead_count: int = Field(description="Leads pursued (not dropped).")
    status: parks.LinkStatus


class ChainOut(Schema):
    id: int
    name: str
    government: str
    description: str
    link_count: int
    enterprise_count: int
    empty_links: int
    thin_links: int
    is_illustrative: bool
    version: int


class ChainDetailOut(ChainOut):
    links: list[LinkOut] = Field(description="Depth first, in the order of the tree.")


def _link_out(node: parks.LinkNode) -> dict[str, Any]:
    link = node.link
    return {
        "id": link.pk,
        "parent": link.parent_id,
        "depth": node.depth,
        "segment": link.segment,
        "name": link.name,
        "min_enterprises": link.min_enterprises,
        "enterprise_count": node.enterprise_count,
        "total_enterprises": node.total_enterprises,
        "project_count": node.project_count,
        "lead_count": node.lead_count,
        "status": node.status,
    }


def _chain_out(tree: parks.ChainTree, *, links: bool = False) -> dict[str, Any]:
    chain, counts = tree.chain, tree.status_counts()
    data: dict[str, Any] = {
        "id": chain.pk,
        "name": chain.name,
        "government": chain.government.code,
        "description": chain.description,
        "link_count": len(tree.by_id),
        "enterprise_count": tree.enterprise_count,
        "empty_links": counts[parks.LinkStatus.EMPTY],
        "thin_links": counts[parks.LinkStatus.THIN],
        "is_illustrative": chain.is_illustrative,
        "version": chain.version,
    }
    if links:
        data["links"] = [_link_out(node) for node in tree.nodes()]
    return data


# --- reads ------------------------------------------------------------------------------------


@router.get("/parks/", response=list[ParkOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
@typed_for_paging
def park_list(request: HttpRequest, government: str | None = None) -> Any:
    """Parks the caller may see, with how many projects and enterprises each holds."""
    viewer = api_user(request)
    rows = parks.park_queryset(viewer=viewer).annotate(
        project_count=parks.count_of(Park, "projects"),
        enterprise_count=parks.count_of(Park, "enterprises"),
    )
    if government:
        rows = rows.filter(government__code=government)
    return rows.prefetch_related("chains").order_by("government__code", "name")


@router.get("/parks/{int:park_id}", response={200: ParkDetailOut, 404: ErrorOut})
def park_detail(request: HttpRequest, park_id: int) -> Any:
    """One park with its projects and enterprises."""
    park = (
        parks.park_queryset(viewer=api_user(request))
        .annotate(
            project_count=parks.count_of(Park, "projects"),
            enterprise_count=parks.count_of(Park, "enterprises"),
        )
        .filter(pk=park_id)
        .first()
    )
    if park is None:
        raise Http404
    return park


@router.get("/chains/", response=list[ChainOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
@typed_for_paging
def chain_list(request: HttpRequest, government: str | None = None) -> Any:
    """Chains the caller may see, with their numbers of links, enterprises and gaps."""
    chains = parks.chain_queryset(viewer=api_user(request))
    if government:
        chains = chains.filter(government__code=government)
    chosen = list(chains.order_by("government__code", "order", "id"))
    trees = parks.chain_trees(chosen)
    return [_chain_out(trees[chain.pk]) for chain in chosen]


@router.get("/chains/{int:chain_id}", response={200: ChainDetailOut, 404: ErrorOut})
def chain_detail(request: HttpRequest, chain_id: int) -> Any:
    """One chain with its links: per link the enterprises, projects and leads on it, and its
    status (empty, thin, covered)."""
    chain = parks.chain_queryset(viewer=api_user(request)).filter(pk=chain_id).first()
    if chain is None:
        raise Http404
    return _chain_out(parks.chain_tree(chain), links=True)
