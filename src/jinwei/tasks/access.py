"""Who may do what on a task.

Staff of the lead unit act on the task; co-unit staff report on their part; supervisors (and admins)
assign, decide requests, return, close and score; leaders read everything. Everyone in the
government sees that a task exists and how it stands (the drive is run in the open), but only
the people working on or overseeing a task see its attachments.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from jinwei.accounts.access import can_view, grants_for, scope_to_governments
from jinwei.accounts.models import Role
from jinwei.tasks.models import CoUnit, Task

ACTING_ROLES_EXCLUDED = frozenset({Role.LEADER, Role.VIEWER})


def is_supervisor(user: Any, task: Task) -> bool:
    return grants_for(user).manages(task.government_id)


def is_leader(user: Any, government_id: int) -> bool:
    return grants_for(user).has_role(government_id, Role.LEADER)


def acts_for_unit(user: Any, unit_id: int | None) -> bool:
    """The user works in that unit (any role that changes things: staff, statistician…)."""
    if unit_id is None:
        return False
    roles = grants_for(user).roles_by_unit.get(unit_id, frozenset())
    return bool(roles - ACTING_ROLES_EXCLUDED)


def is_lead_staff(user: Any, task: Task) -> bool:
    return acts_for_unit(user, task.lead_unit_id)


def co_unit_ids(task: Task) -> list[int]:
    """The task's co-units (uses the prefetched rows when there are some)."""
    return [c.unit_id for c in task.co_units.all()]


def reporting_units(user: Any, task: Task) -> list[int]:
    """The units on whose behalf the user may report progress: the lead unit and/or co-units."""
    units = [task.lead_unit_id] if is_lead_staff(user, task) else []
    units += [u for u in co_unit_ids(task) if acts_for_unit(user, u)]
    return units


def can_see_task(user: Any, task: Task) -> bool:
    return can_view(user, task)


def can_see_attachments(user: Any, task: Task) -> bool:
    if is_supervisor(user, task) or is_leader(user, task.government_id):
        return True
    return bool(reporting_units(user, task))


def visible_tasks(user: Any) -> QuerySet[Task]:
    return scope_to_governments(Task.objects.all(), user, "government_id")


def acting_unit_ids(user: Any) -> list[int]:
    """The units the user works for (any role but leader and viewer)."""
    return sorted(
        unit_id
        for unit_id, roles in grants_for(user).roles_by_unit.items()
        if roles - ACTING_ROLES_EXCLUDED
    )


def involving_units(user: Any) -> Q:
    """Tasks the user's units lead or co-operate on."""
    unit_ids = acting_unit_ids(user)
    co_operates = CoUnit.objects.filter(task=OuterRef("pk"), unit_id__in=unit_ids)
    return Q(lead_unit_id__in=unit_ids) | Q(Exists(co_operates))
