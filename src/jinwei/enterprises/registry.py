"""The enterprise registry: enterprises with their unified social credit code, chain link, park and
town, and each one's ordered chain of service managers ("一号到N号服务员").

Writes check the actor's right themselves (pages, the API and imports share the rules) and go
through the audit services in one transaction. Reads are scoped to the viewer's governments;
contact details are for `access.may_see_contacts` only, which the pages and the API apply.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from jinwei.accounts.access import scope_to_governments
from jinwei.accounts.models import Membership, OrgUnit, Region, User
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import record, tracked_create, tracked_update
from jinwei.enterprises.models import Enterprise, ServiceManager
from jinwei.lib import credit_code
from jinwei.projects import access

PAGE_SIZE = 50


# --- the credit code ---------------------------------------------------------------------------


def credit_code_message(code: str) -> str | None:
    """What is wrong with a (normalised) credit code, said in the user's language; None if valid."""
    problem = credit_code.problem(code)
    if problem is None:
        return None
    if problem == "length":
        return _("A unified social credit code has 18 characters; “%(code)s” has %(count)s.") % {
            "code": code,
            "count": len(code),
        }
    if problem == "character":
        position, char = next(
            (i, c) for i, c in enumerate(code, start=1) if c not in credit_code.VALUES
        )
        return _(
            "Character %(position)s of the credit code (“%(char)s”) is not allowed: a credit "
            "code uses digits and capital letters other than I, O, S, V and Z."
        ) % {"position": position, "char": char}
    return _(
        "The check character (the 18th) of “%(code)s” is wrong: it should be %(expected)s, "
        "not %(given)s. Check the code for a typing error."
    ) % {"code": code, "expected": credit_code.check_character(code[:17]), "given": code[17]}


# --- writes ------------------------------------------------------------------------------------


def _require_manager(actor: Any, government_id: int | None) -> None:
    if not access.may_manage(actor, government_id):
        raise PermissionDenied(
            _("Only investment staff and the supervising office manage the enterprise registry.")
        )


def _check(enterprise: Enterprise) -> None:
    """A valid credit code not used by another enterprise of the government; the chain link,
    park and town of that government."""
    errors: dict[str, str] = {}
    message = credit_code_message(enterprise.credit_code)
    if message:
        errors["credit_code"] = message
    else:
        other = (
            Enterprise.objects.filter(
                government_id=enterprise.government_id, credit_code=enterprise.credit_code
            )
            .exclude(pk=enterprise.pk)
            .first()
        )
        if other is not None:
            errors["credit_code"] = _(
                "The credit code %(code)s is already registered, for %(name)s."
            ) % {"code": enterprise.credit_code, "name": other.name}
    government_id = enterprise.government_id
    link = enterprise.chain_link
    if link is not None and link.chain.government_id != government_id:
        errors["chain_link"] = _("The chain link belongs to another government's chain.")
    if enterprise.park is not None and enterprise.park.government_id != government_id:
        errors["park"] = _("The park belongs to another government.")
    town = enterprise.town
    if town is not None and (town.government_id != government_id or town.kind != OrgUnit.Kind.TOWN):
        errors["town"] = _("Choose a town (镇街) of the enterprise's government.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def enterprise_create(*, actor: Any, enterprise: Enterprise, note: str = "") -> Enterprise:
    """Register an enterprise; its credit code is stored normalised (upper case, no spaces)."""
    _require_manager(actor, enterprise.government_id)
    enterprise.credit_code = credit_code.normalise(enterprise.credit_code)
    _check(enterprise)
    return tracked_create(actor=actor, obj=enterprise, note=note)


@transaction.atomic
def enterprise_update(
    *,
    actor: Any,
    enterprise: Enterprise,
    changes: Mapping[str, Any],
    expected_version: int | None,
    note: str = "",
) -> Enterprise:
    _require_manager(actor, enterprise.government_id)
    changes = dict(changes)
    if "government" in changes or "government_id" in changes:
        raise ValidationError(_("An enterprise cannot move to another government."))
    if "credit_code" in changes:
        changes["credit_code"] = credit_code.normalise(changes["credit_code"] or "")
    probe = copy.copy(enterprise)
    for name, value in changes.items():
        setattr(probe, name, value)
    _check(probe)
    return tracked_update(
        actor=actor,
        obj=enterprise,
        changes=changes,
        expected_version=expected_version,
        note=note,
    )


def manager_candidates(*, government_id: int) -> QuerySet[User]:
    """Who may serve an enterprise: active people working for a unit of its government."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__unit__government_id=government_id,
            memberships__unit__is_active=True,
        )
        .distinct()
        .order_by("username")
    )


def _chain_text(rows: Sequence[tuple[int, str, str]]) -> list[str]:
    """The chain as the audit trail shows it: "1. 张三 · 一号服务员"."""
    return [f"{position}. {name}" + (f" · {duty}" if duty else "") for position, name, duty in rows]


@transaction.atomic
def managers_set(
    *,
    actor: Any,
    enterprise: Enterprise,
    user_ids: Sequence[int],
    duties: Sequence[str] = (),
) -> list[ServiceManager]:
    """Replace the enterprise's chain of service managers: `user_ids[0]` becomes its 一号服务员,
    the next its 二号, and so on; `duties` (optional) runs alongside."""
    _require_manager(actor, enterprise.government_id)
    user_ids = list(user_ids)
    duties = list(duties) + [""] * (len(user_ids) - len(duties))
    candidates = manager_candidates(government_id=enterprise.government_id)
    users = {u.pk: u for u in candidates.filter(pk__in=user_ids)}
    missing = [pk for pk in user_ids if pk not in users]
    if missing:
        names = [str(u) for u in User.objects.filter(pk__in=missing)] or [str(pk) for pk in missing]
        raise ValidationError(
            _(
                "Only people working for a unit of %(government)s can serve its enterprises, "
                "not %(names)s."
            )
            % {"government": enterprise.government.name, "names": "、".join(names)}
        )
    seen: set[int] = set()
    for pk in user_ids:
        if pk in seen:
            raise ValidationError(
                _("%(name)s appears twice in the chain of service managers.") % {"name": users[pk]}
            )
        seen.add(pk)
    current = list(enterprise.managers.select_related("user").order_by("position"))
    before = _chain_text([(m.position, str(m.user), m.duty) for m in current])
    enterprise.managers.all().delete()
    managers = []
    for position, (pk, duty) in enumerate(zip(user_ids, duties, strict=True), start=1):
        manager = ServiceManager(
            enterprise=enterprise, position=position, user=users[pk], duty=duty.strip()
        )
        manager.full_clean()
        managers.append(manager)
    ServiceManager.objects.bulk_create(managers)
    after = _chain_text([(m.position, str(m.user), m.duty) for m in managers])
    if after != before:
        record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=enterprise,
            before={"managers": before},
            after={"managers": after},
            note=_("Service managers"),
        )
    return managers


# --- reads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnterpriseFilters:
    """What the list is narrowed to; ids are of the list's government (the form checks that)."""

    search: str = ""
    chain_id: int | None = None
    link_id: int | None = None
    park_id: int | None = None
    town_id: int | None = None
    size: str = ""
    above_scale: bool | None = None


def enterprise_queryset(*, viewer: Any) -> QuerySet[Enterprise]:
    enterprises = Enterprise.objects.select_related(
        "government", "chain_link", "chain_link__chain", "park", "town"
    )
    return scope_to_governments(enterprises, viewer, "government_id")


def first_managers() -> Prefetch[Any]:
    managers = ServiceManager.objects.filter(position=1).select_related("user")
    return Prefetch("managers", queryset=managers, to_attr="first_managers")


def filtered(enterprises: QuerySet[Enterprise], filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    """`enterprises` narrowed by `filters` (the search matches the name or the credit code)."""
    if filters.search:
        code = credit_code.normalise(filters.search)
        enterprises = enterprises.filter(
            Q(name__icontains=filters.search.strip()) | Q(credit_code__icontains=code)
        )
    exact = {
        "chain_link__chain_id": filters.chain_id,
        "chain_link_id": filters.link_id,
        "park_id": filters.park_id,
        "town_id": filters.town_id,
        "size": filters.size or None,
        "is_above_scale": filters.above_scale,
    }
    return enterprises.filter(**{k: v for k, v in exact.items() if v is not None})


def enterprise_list(
    *, viewer: Any, government: Region, filters: EnterpriseFilters | None = None
) -> QuerySet[Enterprise]:
    """The government's enterprises narrowed by `filters`, by name, each with its 一号服务员
    (`first_managers`): a count, a page and one prefetch, however many there are."""
    enterprises = enterprise_queryset(viewer=viewer).filter(government=government)
    enterprises = filtered(enterprises, filters or EnterpriseFilters())
    return enterprises.prefetch_related(first_managers()).order_by("name", "id")


@dataclass(frozen=True)
class ManagerRow:
    """One link of the chain of service managers as the page shows it."""

    position: int
    user: User
    duty: str
    units: str  # the units the manager works for


@dataclass
class EnterprisePage:
    enterprise: Enterprise
    managers: list[ManagerRow]
    may_see_contacts: bool
    may_manage: bool


def manager_rows(enterprise: Enterprise) -> list[ManagerRow]:
    """The chain in order, each manager with the units they work for (two queries)."""
    memberships = Membership.objects.filter(unit__is_active=True).select_related("unit")
    managers = (
        enterprise.managers.select_related("user")
        .prefetch_related(Prefetch("user__memberships", queryset=memberships))
        .order_by("position")
    )
    return [
        ManagerRow(
            position=m.position,
            user=m.user,
            duty=m.duty,
            units="、".join(dict.fromkeys(ms.unit.name for ms in m.user.memberships.all())),
        )
        for m in managers
    ]


def enterprise_page(*, viewer: Any, enterprise: Enterprise) -> EnterprisePage:
    return EnterprisePage(
        enterprise=enterprise,
        managers=manager_rows(enterprise),
        may_see_contacts=access.may_see_contacts(viewer, enterprise.government_id),
        may_manage=access.may_manage(viewer, enterprise.government_id),
    )
