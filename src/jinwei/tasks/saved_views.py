"""Writes on a user's saved task-list views (SavedView): save under a name, delete.

A view belongs to one user; nobody else reads, changes or deletes it. Writes go through the
audit services like every other change.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jinwei.audit.services import tracked_create, tracked_delete, tracked_update
from jinwei.tasks.models import SavedView


@transaction.atomic
def saved_view_save(*, user: Any, name: str, query: str) -> tuple[SavedView, bool]:
    """Save the filters under `name`; a view of the same name is replaced. (view, created)."""
    existing = SavedView.objects.filter(user=user, name=name).first()
    if existing is not None:
        view = tracked_update(
            actor=user, obj=existing, changes={"query": query}, expected_version=None
        )
        return view, False
    return tracked_create(actor=user, obj=SavedView(user=user, name=name, query=query)), True


@transaction.atomic
def saved_view_delete(*, user: Any, view: SavedView) -> None:
    if view.user_id != user.pk:
        raise PermissionError("A saved view is deleted only by its owner.")
    tracked_delete(actor=user, obj=view, expected_version=None)
