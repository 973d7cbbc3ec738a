"""Writes on opportunities, their items and the goals, tasks and projects linked to each item.

Supervisors and administrators of the government add and change opportunities; the staff of an
opportunity's responsible unit change its items and links too (so the unit that carries a
programme keeps its ledger of actions up to date). Every function checks the actor's right
itself, so the pages, the API and the demo share the rules, and writes through the audit services
in one transaction. A refusal of the rules is a ValidationError keyed by the field it concerns.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from jinwei.accounts import access
from jinwei.audit.services import tracked_create, tracked_delete, tracked_update
from jinwei.opportunities.models import ItemAction, Opportunity, OpportunityItem
from jinwei.projects.models import Project
from jinwei.tasks.models import Goal, Task

Target = Goal | Task | Project
TARGET_FIELDS: dict[type[Target], str] = {Goal: "goal", Task: "task", Project: "project"}


# --- rights ------------------------------------------------------------------------------------


def may_manage(user: Any, government_id: int | None) -> bool:
    """Add, change and delete opportunities (supervisors and administrators)."""
    return access.can_manage(user, government_id)


def may_change(user: Any, opportunity: Opportunity) -> bool:
    """Change the opportunity's items and their links: managers and its responsible unit."""
    return access.can_change(user, opportunity)


def _require_manager(actor: Any, government_id: int | None) -> None:
    if not may_manage(actor, government_id):
        raise PermissionDenied(
            _("Only supervisors and administrators add, change or delete opportunities.")
        )


def _require_change(actor: Any, opportunity: Opportunity) -> None:
    if not may_change(actor, opportunity):
        raise PermissionDenied(
            _(
                "Only the responsible unit of “%(opportunity)s”, supervisors and administrators "
                "change its items and linked actions."
            )
            % {"opportunity": opportunity.title}
        )


# --- opportunities -----------------------------------------------------------------------------


def _check_opportunity(opportunity: Opportunity) -> None:
    """A responsible unit of the government, and a title not used by another opportunity."""
    errors: dict[str, str] = {}
    unit = opportunity.unit
    if unit is not None and unit.government_id != opportunity.government_id:
        errors["unit"] = _("Choose a unit of the opportunity's government.")
    taken = (
        Opportunity.objects.filter(government_id=opportunity.government_id, title=opportunity.title)
        .exclude(pk=opportunity.pk)
        .exists()
    )
    if taken:
        errors["title"] = _("There is already an opportunity called “%(title)s”.") % {
            "title": opportunity.title
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def opportunity_create(*, actor: Any, opportunity: Opportunity, note: str = "") -> Opportunity:
    _require_manager(actor, opportunity.government_id)
    _check_opportunity(opportunity)
    return tracked_create(actor=actor, obj=opportunity, note=note)


@transaction.atomic
def opportunity_update(
    *,
    actor: Any,
    opportunity: Opportunity,
    changes: Mapping[str, Any],
    expected_version: int | None,
    note: str = "",
) -> Opportunity:
    _require_manager(actor, opportunity.government_id)
    if {"government", "government_id"} & set(changes):
        raise ValidationError(_("An opportunity cannot move to another government."))
    probe = copy.copy(opportunity)
    for name, value in changes.items():
        setattr(probe, name, value)
    _check_opportunity(probe)
    return tracked_update(
        actor=actor,
        obj=opportunity,
        changes=changes,
        expected_version=expected_version,
        note=note,
    )


@transaction.atomic
def opportunity_delete(
    *, actor: Any, opportunity: Opportunity, expected_version: int | None, note: str = ""
) -> None:
    """Delete the opportunity; its items and their links go first, each on the audit trail."""
    _require_manager(actor, opportunity.government_id)
    for item in opportunity.items.all():
        _delete_item(actor, item, None, note)
    tracked_delete(actor=actor, obj=opportunity, expected_version=expected_version, note=note)


# --- items -------------------------------------------------------------------------------------


def _check_number(item: OpportunityItem) -> None:
    taken = (
        OpportunityItem.objects.filter(opportunity_id=item.opportunity_id, number=item.number)
        .exclude(pk=item.pk)
        .exists()
    )
    if taken:
        raise ValidationError(
            {
                "number": _("Item %(number)s already exists in this opportunity.")
                % {"number": item.number}
            }
        )


def next_number(opportunity: Opportunity) -> int:
    last: int | None = opportunity.items.aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


@transaction.atomic
def item_create(*, actor: Any, item: OpportunityItem, note: str = "") -> OpportunityItem:
    """Add an item; without a number it gets the one after the opportunity's last."""
    _require_change(actor, item.opportunity)
    if not item.number:
        item.number = next_number(item.opportunity)
    _check_number(item)
    return tracked_create(actor=actor, obj=item, note=note)


@transaction.atomic
def item_update(
    *,
    actor: Any,
    item: OpportunityItem,
    changes: Mapping[str, Any],
    expected_version: int | None,
    note: str = "",
) -> OpportunityItem:
    _require_change(actor, item.opportunity)
    if {"opportunity", "opportunity_id"} & set(changes):
        raise ValidationError(_("An item cannot move to another opportunity."))
    probe = copy.copy(item)
    for name, value in changes.items():
        setattr(probe, name, value)
    _check_number(probe)
    return tracked_update(
        actor=actor, obj=item, changes=changes, expected_version=expected_version, note=note
    )


@transaction.atomic
def item_delete(
    *, actor: Any, item: OpportunityItem, expected_version: int | None, note: str = ""
) -> None:
    """Delete the item; its links go first, each on the audit trail."""
    _require_change(actor, item.opportunity)
    _delete_item(actor, item, expected_version, note)


def _delete_item(
    actor: Any, item: OpportunityItem, expected_version: int | None, note: str
) -> None:
    for action in item.actions.all():
        tracked_delete(actor=actor, obj=action, expected_version=None, note=note)
    tracked_delete(actor=actor, obj=item, expected_version=expected_version, note=note)


# --- linked actions ----------------------------------------------------------------------------


def target_of(action: ItemAction) -> Target:
    """The goal, task or project the link points at (the model guarantees exactly one)."""
    target = action.goal or action.task or action.project
    if target is None:
        raise ValueError(f"item action {action.pk} points at nothing")
    return target


def _check_target(item: OpportunityItem, target: Target) -> str:
    """The link's field for `target`; refused across governments and for a second link."""
    field = TARGET_FIELDS[type(target)]
    government = item.opportunity.government
    if target.government_id != government.pk:
        raise ValidationError(
            {
                field: _(
                    "“%(target)s” belongs to another government: link only goals, tasks and "
                    "projects of %(government)s."
                )
                % {"target": target, "government": government.name}
            }
        )
    if ItemAction.objects.filter(item=item, **{field: target}).exists():
        raise ValidationError(
            {field: _("“%(target)s” is already linked to this item.") % {"target": target}}
        )
    return field


@transaction.atomic
def action_link(*, actor: Any, item: OpportunityItem, target: Target, note: str = "") -> ItemAction:
    """Record that the goal, task or project `target` acts on the item."""
    _require_change(actor, item.opportunity)
    field = _check_target(item, target)
    action = ItemAction(item=item, **{field: target})
    return tracked_create(actor=actor, obj=action, note=note)


@transaction.atomic
def action_unlink(*, actor: Any, action: ItemAction, note: str = "") -> None:
    _require_change(actor, action.item.opportunity)
    tracked_delete(actor=actor, obj=action, expected_version=None, note=note)
