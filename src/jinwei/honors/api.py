"""API endpoints of the honors app (mounted under /api/v1/honors/): the honours and the practices
of the caller's governments, filtered and paginated like the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from jinwei.api_parts import Ref, api_user, typed_for_paging
from jinwei.honors import selectors
from jinwei.honors.models import Category, Honour, Level

router = Router(tags=["honors"])

PAGE_SIZE = 50


class HonourOut(Schema):
    id: int
    government: str = Field(alias="government.code")
    title: str
    level: Level
    year: int
    awarded_on: datetime.date | None
    issuer: str
    category: Category
    unit: Ref | None
    description: str
    source: str
    is_illustrative: bool
    evidence_name: str
    evidence_url: str | None = Field(
        description="The evidence download (signed-in callers of the government only)."
    )
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_evidence_url(obj: Honour) -> str | None:
        return reverse("honors:evidence", args=[obj.pk]) if obj.evidence else None


class PracticeOut(Schema):
    id: int
    government: str = Field(alias="government.code")
    title: str
    description: str
    recognised_by: str
    level: Level
    recognised_on: datetime.date
    promotion: str = Field(description="What was promoted where.")
    unit: Ref | None
    source: str
    is_illustrative: bool
    version: int
    updated_at: datetime.datetime


def _in_government(rows: QuerySet[Any], government: str | None) -> QuerySet[Any]:
    return rows.filter(government__code=government) if government else rows


@router.get("/", response=list[HonourOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
@typed_for_paging
def honour_list(
    request: HttpRequest,
    government: str | None = None,
    year: int | None = None,
    level: Level | None = None,
    category: Category | None = None,
) -> Any:
    """Honours the caller may see: by government, newest year first, then national, provincial,
    municipal. `government` is a region code (440785)."""
    honours = _in_government(selectors.honour_queryset(viewer=api_user(request)), government)
    filters = selectors.Filters(year=year, level=level or "", category=category or "")
    return selectors.filtered_honours(honours, filters).order_by(
        "government__code", "-year", selectors.LEVEL_ORDER, "title", "id"
    )


@router.get("/practices/", response=list[PracticeOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
@typed_for_paging
def practice_list(
    request: HttpRequest,
    government: str | None = None,
    year: int | None = None,
    level: Level | None = None,
) -> Any:
    """Practices the caller may see, the latest recognised first; `year` is the year they were
    recognised."""
    practices = _in_government(selectors.practice_queryset(viewer=api_user(request)), government)
    filters = selectors.Filters(year=year, level=level or "")
    return selectors.filtered_practices(practices, filters).order_by(
        "government__code", "-recognised_on", selectors.LEVEL_ORDER, "title", "id"
    )
