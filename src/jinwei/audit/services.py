"""Tracked writes: every create, change and delete of domain data goes through these three
functions, which refuse stale versions and write the audit entry in the same transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.audit.display import field_labels, readable, related_names
from jinwei.audit.models import AuditEntry, TrackedModel

M = TypeVar("M", bound=models.Model)

# Fields that are bookkeeping, or secret, and never copied into the trail.
UNTRACKED_FIELDS = {"version", "created_at", "updated_at", "password", "last_login"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any
    actor_name: str
    at: datetime


class StaleVersionError(Exception):
    """The object changed since the user loaded it; `changes` says what, by whom and when."""

    def __init__(self, obj: models.Model, expected: int, changes: list[FieldChange]) -> None:
        self.obj = obj
        self.expected = expected
        self.changes = changes
        super().__init__(self.message)

    @property
    def message(self) -> str:
        current = getattr(self.obj, "version", "?")
        head = _(
            "This record was changed by someone else after you opened it "
            "(your version %(expected)s, now %(current)s). Nothing was saved."
        ) % {"expected": self.expected, "current": current}
        lines = [
            _("%(label)s: %(before)s → %(after)s (%(who)s, %(when)s)")
            % {
                "label": c.label,
                "before": _display(c.before),
                "after": _display(c.after),
                "who": c.actor_name or _("system"),
                "when": timezone.localtime(c.at).strftime("%Y-%m-%d %H:%M"),
            }
            for c in self.changes
        ]
        return " ".join([head, *lines])


def _display(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's tracked values as JSON-ready data (foreign keys as their ids)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in UNTRACKED_FIELDS:
            continue
        value = field.value_from_object(obj)
        # a file is recorded by its stored name: the file itself is not data the trail can hold
        data[field.attname] = (value.name or "") if isinstance(value, FieldFile) else value
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            data[m2m.name] = sorted(v.pk for v in getattr(obj, m2m.name).all())
    # round-trip through the encoder so dates and decimals compare the way they are stored
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _government_id(obj: models.Model) -> int | None:
    ownership = getattr(obj, "ownership", None)
    return ownership().government_id if callable(ownership) else None


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Write one audit entry; callers are already inside the change's transaction."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=user,
        actor_name=(user.get_username() if user else ""),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        object_version=getattr(obj, "version", None),
        government_id=_government_id(obj),
        before=dict(before or {}),
        after=dict(after or {}),
        note=note[:500],
    )


@transaction.atomic
def tracked_create(
    *, actor: Any, obj: M, note: str = "", m2m: Mapping[str, Iterable[Any]] | None = None
) -> M:
    obj.full_clean()
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    record(actor=actor, action=AuditEntry.Action.CREATE, obj=obj, after=snapshot(obj), note=note)
    return obj


@transaction.atomic
def tracked_update(
    *,
    actor: Any,
    obj: M,
    changes: Mapping[str, Any],
    expected_version: int | None,
    note: str = "",
) -> M:
    """Apply `changes` to the row as it is now, refusing if its version is not `expected_version`.

    `expected_version=None` is for system jobs that hold no user-loaded copy.
    Returns the fresh object; writes nothing (not even the audit entry) if nothing changed.
    """
    model = type(obj)
    current = _lock_current(obj, expected_version)
    before = snapshot(current)
    m2m_names = {f.name for f in model._meta.many_to_many}
    for name, value in changes.items():
        if name not in m2m_names:
            setattr(current, name, value)
    current.full_clean()
    for name, value in changes.items():
        if name in m2m_names:
            getattr(current, name).set(value)
    after = snapshot(current)
    if after == before:
        return current
    fields = [
        f.name for f in model._meta.concrete_fields if f.attname in changes or f.name in changes
    ]
    if isinstance(current, TrackedModel):
        current.version += 1
        fields += ["version", "updated_at"]
    current.save(update_fields=fields)
    changed = {k for k in after if before.get(k) != after.get(k)}
    record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        before={k: before.get(k) for k in changed},
        after={k: after[k] for k in changed},
        note=note,
    )
    return current


@transaction.atomic
def tracked_delete(*, actor: Any, obj: M, expected_version: int | None, note: str = "") -> None:
    current = _lock_current(obj, expected_version)
    before = snapshot(current)
    record(actor=actor, action=AuditEntry.Action.DELETE, obj=current, before=before, note=note)
    current.delete()


def _lock_current(obj: M, expected_version: int | None) -> M:
    """The row as it is now, locked until the transaction ends; refused if it moved on."""
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if (
        isinstance(current, TrackedModel)
        and expected_version is not None
        and current.version != expected_version
    ):
        raise StaleVersionError(current, expected_version, changes_since(current, expected_version))
    return current


def changes_since(obj: models.Model, version: int) -> list[FieldChange]:
    """Field changes recorded for `obj` after `version`, oldest first, related objects named."""
    entries = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
            action=AuditEntry.Action.UPDATE,
            object_version__gt=version,
        ).order_by("at", "id")
    )
    model = type(obj)
    labels = field_labels(model)
    names = related_names(
        model, [(k, v) for e in entries for d in (e.before, e.after) for k, v in d.items()]
    )
    return [
        FieldChange(
            field=key,
            label=labels.get(key, key),
            before=readable(names, key, entry.before.get(key)),
            after=readable(names, key, entry.after.get(key)),
            actor_name=entry.actor_name,
            at=entry.at,
        )
        for entry in entries
        for key in entry.after
    ]
