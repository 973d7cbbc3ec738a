"""Reads for regions, units and people, scoped to who is asking."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from jinwei.accounts.access import grants_for, scope_to_governments
from jinwei.accounts.models import Membership, OrgUnit, Region, User

# Leadership first, then the office that runs the drive, the towns, the departments.
KIND_ORDER = [
    OrgUnit.Kind.LEADERSHIP,
    OrgUnit.Kind.SUPERVISION,
    OrgUnit.Kind.TOWN,
    OrgUnit.Kind.DEPARTMENT,
]
KIND_RANK = Case(
    *[When(kind=kind, then=Value(rank)) for rank, kind in enumerate(KIND_ORDER)],
    output_field=IntegerField(),
)


def governments_for(user: Any) -> QuerySet[Region]:
    """The governments (regions) the user works for, or every one that has units (superuser)."""
    grants = grants_for(user)
    if grants.is_superuser:
        return Region.objects.filter(units__isnull=False).distinct()
    return Region.objects.filter(pk__in=grants.government_ids)


def region_list(*, viewer: Any) -> QuerySet[Region]:
    """Regions are shared reference data (peers included): every signed-in user reads them."""
    return Region.objects.select_related("parent").order_by("code")


def unit_list(*, viewer: Any, government: Region | None = None) -> QuerySet[OrgUnit]:
    units = scope_to_governments(
        OrgUnit.objects.select_related("government"), viewer, "government_id"
    )
    if government is not None:
        units = units.filter(government=government)
    return units.annotate(kind_rank=KIND_RANK).order_by(
        "government__code", "kind_rank", "order", "name"
    )


def unit_members(*, unit: OrgUnit) -> QuerySet[Membership]:
    return unit.memberships.select_related("user").order_by("role", "user__username")


def units_with_people(*, viewer: Any, government: Region) -> QuerySet[OrgUnit]:
    members = Membership.objects.select_related("user").order_by("role", "user__username")
    return unit_list(viewer=viewer, government=government).prefetch_related(
        Prefetch("memberships", queryset=members)
    )


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return user.memberships.select_related("unit", "unit__government").order_by("unit__order")
