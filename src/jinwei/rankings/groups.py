"""Writes for peer groups: created and changed by the supervisors and admins of the government,
audited like every other write."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jinwei.accounts.access import can_manage
from jinwei.accounts.models import Region
from jinwei.audit.services import tracked_create, tracked_update
from jinwei.rankings.models import PeerGroup

EDITABLE_FIELDS = frozenset({"name", "parent", "members", "description"})


def _check_members(parent: Region | None, members: list[Region]) -> None:
    """A group is the children of one parent, or a list of members: one of the two."""
    if parent is None and not members:
        raise ValidationError(
            _("Choose a parent region (its children form the group) or list the members.")
        )
    if parent is not None and members:
        raise ValidationError(_("Choose either a parent region or a list of members, not both."))


@transaction.atomic
def peer_group_create(
    *,
    actor: Any,
    government: Region,
    name: str,
    parent: Region | None = None,
    members: Iterable[Region] = (),
    description: str = "",
) -> PeerGroup:
    if not can_manage(actor, government.pk):
        raise PermissionDenied
    chosen = list(members)
    _check_members(parent, chosen)
    group = PeerGroup(government=government, name=name, parent=parent, description=description)
    return tracked_create(actor=actor, obj=group, m2m={"members": chosen})


@transaction.atomic
def peer_group_update(
    *,
    actor: Any,
    group: PeerGroup,
    changes: Mapping[str, Any],
    expected_version: int | None,
) -> PeerGroup:
    """Change name, parent, members or description; the government stays."""
    if not can_manage(actor, group.government_id):
        raise PermissionDenied
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    parent = changes.get("parent", group.parent)
    members = list(changes["members"] if "members" in changes else group.members.all())
    _check_members(parent, members)
    return tracked_update(
        actor=actor, obj=group, changes=dict(changes), expected_version=expected_version
    )
