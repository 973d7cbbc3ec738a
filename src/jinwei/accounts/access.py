"""The one place that answers "may this user see / change this object?".

The rule: staff change only what their unit owns; supervisors and admins change everything in
their government; leaders and viewers read everything in their government. Every view asks here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from jinwei.accounts.models import Membership, Role
from jinwei.lib.ownership import Ownership

MANAGING_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})


class Owned(Protocol):
    def ownership(self) -> Ownership: ...


@dataclass(frozen=True)
class Grants:
    """What one user holds, loaded once per request: roles per government and per unit."""

    is_superuser: bool = False
    roles_by_government: dict[int, frozenset[str]] = field(default_factory=dict)
    roles_by_unit: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def government_ids(self) -> set[int]:
        return set(self.roles_by_government)

    def has_role(self, government_id: int | None, *roles: str) -> bool:
        if government_id is None:
            return False
        return bool(self.roles_by_government.get(government_id, frozenset()) & set(roles))

    def manages(self, government_id: int | None) -> bool:
        return self.is_superuser or self.has_role(government_id, *MANAGING_ROLES)


def grants_for(user: Any) -> Grants:
    """Cached on the user object so a request loads memberships once."""
    if not getattr(user, "is_authenticated", False):
        return Grants()
    cached: Grants | None = getattr(user, "_jinwei_grants", None)
    if cached is not None:
        return cached
    by_government: dict[int, set[str]] = {}
    by_unit: dict[int, set[str]] = {}
    rows = Membership.objects.filter(user=user, unit__is_active=True).values_list(
        "unit_id", "unit__government_id", "role"
    )
    for unit_id, government_id, role in rows:
        by_government.setdefault(government_id, set()).add(role)
        by_unit.setdefault(unit_id, set()).add(role)
    grants = Grants(
        is_superuser=bool(user.is_superuser),
        roles_by_government={k: frozenset(v) for k, v in by_government.items()},
        roles_by_unit={k: frozenset(v) for k, v in by_unit.items()},
    )
    user._jinwei_grants = grants
    return grants


class GovernmentReader:
    """Reads one government as its leaders do, for work done with no person asking (the briefing
    command, a generated document) through selectors that take a viewer."""

    is_authenticated = True
    is_superuser = False
    pk = None

    def __init__(self, government_id: int) -> None:
        # grants_for reads the cached grants first, so these are the reader's only rights
        self._jinwei_grants = Grants(roles_by_government={government_id: frozenset({Role.LEADER})})


def can_view(user: Any, obj: Owned) -> bool:
    grants = grants_for(user)
    owner = obj.ownership()
    return grants.is_superuser or owner.government_id in grants.government_ids


def can_change(user: Any, obj: Owned) -> bool:
    grants = grants_for(user)
    owner = obj.ownership()
    if grants.manages(owner.government_id):
        return True
    if owner.unit_id is None:
        return False
    unit_roles = grants.roles_by_unit.get(owner.unit_id, frozenset())
    return bool(unit_roles - {Role.LEADER, Role.VIEWER})


def can_manage(user: Any, government_id: int | None) -> bool:
    """Admins and supervisors: assign, configure, see the audit log."""
    return grants_for(user).manages(government_id)


def is_admin(user: Any, government_id: int | None = None) -> bool:
    grants = grants_for(user)
    if grants.is_superuser:
        return True
    if government_id is None:
        return any(Role.ADMIN in roles for roles in grants.roles_by_government.values())
    return grants.has_role(government_id, Role.ADMIN)


def visible_government_ids(user: Any) -> set[int] | None:
    """Governments whose data the user may read; None means all (superuser)."""
    grants = grants_for(user)
    return None if grants.is_superuser else grants.government_ids


M = TypeVar("M", bound=models.Model)


def scope_to_governments(queryset: models.QuerySet[M], user: Any, path: str) -> models.QuerySet[M]:
    """Keep rows whose government (reached by `path`, e.g. "government_id") the user may read."""
    ids = visible_government_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{path}__in": ids})


def get_for_view(request: HttpRequest, queryset: models.QuerySet[M], **lookup: Any) -> M:
    """The object, or 404 if it does not exist or lies outside the user's governments."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    if not can_view(request.user, obj):  # type: ignore[arg-type]
        raise Http404
    return obj


def get_for_change(request: HttpRequest, queryset: models.QuerySet[M], **lookup: Any) -> M:
    """The object if the user may change it; 404 when invisible, 403 when visible but not theirs."""
    obj = get_for_view(request, queryset, **lookup)
    if not can_change(request.user, obj):  # type: ignore[arg-type]
        raise PermissionDenied
    return obj


def primary_membership(memberships: Iterable[Membership]) -> Membership | None:
    """The membership shown in the user menu: the most senior role first."""
    order = list(Role.values)
    return min(memberships, key=lambda m: order.index(m.role), default=None)
