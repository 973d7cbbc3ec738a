"""Audit values as people read them: field labels in their language, related objects by name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models

Key = tuple[str, str]  # (attname, value as text)


def field_labels(model: type[models.Model] | None) -> dict[str, str]:
    if model is None:
        return {}
    labels = {f.attname: str(f.verbose_name) for f in model._meta.concrete_fields}
    labels.update({f.name: str(f.verbose_name) for f in model._meta.many_to_many})
    return labels


def related_names(
    model: type[models.Model] | None, pairs: Iterable[tuple[str, Any]]
) -> dict[Key, str]:
    """Names of the objects that foreign-key values point to: one query per related model."""
    if model is None:
        return {}
    fks = {
        f.attname: f.related_model
        for f in model._meta.concrete_fields
        if f.is_relation and isinstance(f.related_model, type)
    }
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for attname, value in pairs:
        if attname in fks and value is not None:
            wanted[fks[attname]].add(value)
    names: dict[tuple[type[models.Model], str], str] = {}
    for related, ids in wanted.items():
        for obj in related._default_manager.filter(pk__in=ids):
            names[(related, str(obj.pk))] = str(obj)
    return {
        (attname, str(value)): names[(fks[attname], str(value))]
        for attname, value in pairs
        if attname in fks and (fks[attname], str(value)) in names
    }


def readable(names: dict[Key, str], attname: str, value: Any) -> Any:
    return names.get((attname, str(value)), value)
