"""Reads of the audit trail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from jinwei.accounts.access import grants_for
from jinwei.audit.display import field_labels, readable, related_names
from jinwei.audit.models import AuditEntry


def audit_log(
    *,
    viewer: Any,
    actor: str = "",
    content_type_id: int | None = None,
    action: str = "",
    object_id: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries of the governments the viewer administers, newest first, filtered."""
    grants = grants_for(viewer)
    entries = AuditEntry.objects.select_related("content_type")
    if not grants.is_superuser:
        admin_of = [g for g, roles in grants.roles_by_government.items() if "admin" in roles]
        entries = entries.filter(government_id__in=admin_of)
    if actor:
        entries = entries.filter(actor_name__icontains=actor)
    if content_type_id:
        entries = entries.filter(content_type_id=content_type_id)
    if action:
        entries = entries.filter(action=action)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries.order_by("-at", "-id")


def object_history(*, content_type: ContentType, object_id: str) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(content_type=content_type, object_id=object_id).order_by(
        "-at", "-id"
    )


def audited_content_types() -> QuerySet[ContentType]:
    ids = AuditEntry.objects.values_list("content_type_id", flat=True).distinct()
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")


def with_display_values(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Attach `display_values`: (label, before, after) per recorded field, related objects named.

    One query per related model for the whole page, not one per entry.
    """
    entries = list(entries)
    by_model: dict[type[Model] | None, list[AuditEntry]] = defaultdict(list)
    for entry in entries:
        by_model[entry.content_type.model_class()].append(entry)
    for model, group in by_model.items():
        labels = field_labels(model)
        pairs = [(k, v) for e in group for d in (e.before, e.after) for k, v in d.items()]
        names = related_names(model, pairs)
        for entry in group:
            keys = list(entry.before) + [k for k in entry.after if k not in entry.before]
            entry.display_values = [  # type: ignore[attr-defined]
                (
                    labels.get(k, k),
                    readable(names, k, entry.before.get(k)),
                    readable(names, k, entry.after.get(k)),
                )
                for k in keys
            ]
    return entries
