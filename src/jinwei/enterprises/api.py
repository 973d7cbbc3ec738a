"""API endpoints of the enterprises app (mounted under /api/v1/enterprises/): the registry here,
the requests in `request_api.py`.

Reads are scoped to the caller's governments; contact details come back as null unless the caller
may see them (investment staff, supervisors, leaders: `access.may_see_contacts`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from jinwei.api_parts import ErrorOut, Ref, api_user, typed_for_paging
from jinwei.enterprises import registry
from jinwei.enterprises.models import Enterprise, ServiceManager
from jinwei.projects import access

router = Router(tags=["enterprises"])
router.add_router("/requests/", "jinwei.enterprises.request_api.router")

PAGE_SIZE = 50
F = TypeVar("F", bound=Callable[..., Any])


# --- schemas ----------------------------------------------------------------------------------


class LinkRef(Schema):
    id: int
    name: str
    segment: str
    chain: Ref


class PersonRef(Schema):
    id: int
    username: str
    name: str


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    government: str = Field(alias="government.code")
    chain_link: LinkRef | None
    park: Ref | None
    town: Ref | None
    size: Enterprise.Size
    is_above_scale: bool
    industry: str
    address: str
    contact_name: str | None = Field(description="Null unless the caller may see contact details.")
    contact_phone: str | None = Field(description="Null unless the caller may see contact details.")
    is_illustrative: bool
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_contact_name(obj: Enterprise, context: dict[str, Any]) -> str | None:
        return obj.contact_name if _contacts(obj, context) else None

    @staticmethod
    def resolve_contact_phone(obj: Enterprise, context: dict[str, Any]) -> str | None:
        return obj.contact_phone if _contacts(obj, context) else None


def _contacts(enterprise: Enterprise, context: dict[str, Any]) -> bool:
    return access.may_see_contacts(context["request"].user, enterprise.government_id)


class ManagerOut(Schema):
    position: int = Field(description="1 is the enterprise's 一号服务员.")
    user: PersonRef
    duty: str


class EnterpriseDetailOut(EnterpriseOut):
    managers: list[ManagerOut]

    @staticmethod
    def resolve_managers(obj: Enterprise) -> list[ServiceManager]:
        return list(obj.managers.all())


# --- reads ------------------------------------------------------------------------------------


def _enterprises(request: HttpRequest) -> QuerySet[Enterprise]:
    return registry.enterprise_queryset(viewer=api_user(request))


@router.get("/", response=list[EnterpriseOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
@typed_for_paging
def enterprise_list(
    request: HttpRequest,
    government: str | None = None,
    q: str = "",
    chain: int | None = None,
    link: int | None = None,
    park: int | None = None,
    town: int | None = None,
    size: Enterprise.Size | None = None,
    above_scale: bool | None = None,
) -> Any:
    """Enterprises the caller may see, by name. `q` searches the name and the credit code;
    `chain`, `link`, `park` and `town` are ids."""
    enterprises = _enterprises(request)
    if government:
        enterprises = enterprises.filter(government__code=government)
    filters = registry.EnterpriseFilters(
        search=q,
        chain_id=chain,
        link_id=link,
        park_id=park,
        town_id=town,
        size=size or "",
        above_scale=above_scale,
    )
    return registry.filtered(enterprises, filters).order_by("name", "id")


@router.get("/{int:enterprise_id}", response={200: EnterpriseDetailOut, 404: ErrorOut})
def enterprise_detail(request: HttpRequest, enterprise_id: int) -> Enterprise:
    """One enterprise with its chain of service managers, in order."""
    managers = ServiceManager.objects.select_related("user").order_by("position")
    enterprise = (
        _enterprises(request)
        .prefetch_related(Prefetch("managers", queryset=managers))
        .filter(pk=enterprise_id)
        .first()
    )
    if enterprise is None:
        raise Http404
    return enterprise
