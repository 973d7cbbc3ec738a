"""Writes of honours and practices: who may, what is valid, and the evidence file.

The rights follow the responsible unit: its staff change their unit's honours and practices;
supervisors and admins of the government record new ones and change all of them; leaders and
viewers only read. Every write goes through the audit services in one transaction. An evidence
file is checked (type, size) before anything is written and is removed from storage once the
transaction that replaced or deleted it has committed.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import partial
from pathlib import PurePath
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from jinwei.accounts import access
from jinwei.audit.services import tracked_create, tracked_delete, tracked_update
from jinwei.honors.models import Honour, Practice

EVIDENCE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".ofd", ".docx")
DEFAULT_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
FIXED_FIELDS = ("government", "government_id", "evidence", "evidence_name")

M = TypeVar("M", Honour, Practice)


# --- rights --------------------------------------------------------------------------------------


def may_manage(actor: Any, government_id: int | None) -> bool:
    """The supervising office and admins record new honours and practices, change all of them
    and decide which unit is responsible."""
    return access.can_manage(actor, government_id)


def _require_create(actor: Any, government_id: int | None) -> None:
    if not may_manage(actor, government_id):
        raise PermissionDenied(
            _("Only the supervising office and administrators record honours and practices.")
        )


def _require_change(actor: Any, obj: Honour | Practice, changes: Mapping[str, Any]) -> None:
    """The unit's staff change their unit's records but may not hand them to another unit."""
    if not access.can_change(actor, obj):
        raise PermissionDenied(
            _("Only the responsible unit and the supervising office may change this.")
        )
    moved = "unit" in changes and getattr(changes["unit"], "pk", None) != obj.unit_id
    if moved and not access.can_manage(actor, obj.government_id):
        raise PermissionDenied(_("Only the supervising office may change the responsible unit."))


# --- checks --------------------------------------------------------------------------------------


def max_evidence_bytes() -> int:
    return int(getattr(settings, "JINWEI_EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES))


def evidence_problem(upload: UploadedFile) -> str | None:
    """What is wrong with an evidence file (its type, its size), naming it; None if nothing."""
    name = PurePath(upload.name or "").name
    if PurePath(name).suffix.lower() not in EVIDENCE_EXTENSIONS:
        return _("“%(name)s” cannot be used as evidence: choose a file of type %(allowed)s.") % {
            "name": name,
            "allowed": ", ".join(EVIDENCE_EXTENSIONS),
        }
    limit = max_evidence_bytes()
    if (upload.size or 0) > limit:
        return _("“%(name)s” is %(size)s MB; an evidence file may be at most %(limit)s MB.") % {
            "name": name,
            "size": f"{(upload.size or 0) / 1024 / 1024:.1f}",
            "limit": f"{limit / 1024 / 1024:g}",
        }
    if not upload.size:
        return _("“%(name)s” is empty.") % {"name": name}
    return None


def _check(obj: Honour | Practice) -> None:
    """The responsible unit belongs to the government; an honour's date lies in its year."""
    errors: dict[str, str] = {}
    unit = obj.unit
    if unit is not None and unit.government_id != obj.government_id:
        errors["unit"] = _("Choose a unit of %(government)s.") % {"government": obj.government}
    if isinstance(obj, Honour) and obj.awarded_on and obj.awarded_on.year != obj.year:
        errors["awarded_on"] = _("The date %(date)s does not lie in the year %(year)s.") % {
            "date": obj.awarded_on.isoformat(),
            "year": obj.year,
        }
    if errors:
        raise ValidationError(errors)


def _checked_changes(obj: Honour | Practice, changes: Mapping[str, Any]) -> dict[str, Any]:
    fixed = [name for name in FIXED_FIELDS if name in changes]
    if fixed:
        raise ValidationError(
            _("These fields are not changed this way: %(fields)s.") % {"fields": ", ".join(fixed)}
        )
    probe = copy.copy(obj)
    for name, value in changes.items():
        setattr(probe, name, value)
    _check(probe)
    return dict(changes)


def _stored(obj: M) -> M:
    """The row as stored, to judge rights and changes by: a form may already have written the
    submitted values onto the object in hand."""
    return type(obj)._default_manager.get(pk=obj.pk)


def _remove_after_commit(evidence: FieldFile) -> None:
    """Storage is not transactional: delete a file only once no committed row points to it."""
    if evidence.name:
        transaction.on_commit(partial(evidence.storage.delete, evidence.name))


# --- honours -------------------------------------------------------------------------------------


def _attach(evidence: UploadedFile) -> dict[str, Any]:
    problem = evidence_problem(evidence)
    if problem:
        raise ValidationError({"evidence": problem})
    return {"evidence": evidence, "evidence_name": PurePath(evidence.name or "").name[:255]}


@transaction.atomic
def honour_create(
    *, actor: Any, honour: Honour, evidence: UploadedFile | None = None, note: str = ""
) -> Honour:
    """Record an honour (with its evidence file, if given)."""
    _require_create(actor, honour.government_id)
    _check(honour)
    if evidence is not None:
        for name, value in _attach(evidence).items():
            setattr(honour, name, value)
    try:
        return tracked_create(actor=actor, obj=honour, note=note)
    except Exception:
        if honour.evidence and honour.evidence._committed:
            honour.evidence.delete(save=False)  # the row is rolled back: do not keep its file
        raise


@transaction.atomic
def honour_update(
    *,
    actor: Any,
    honour: Honour,
    changes: Mapping[str, Any],
    expected_version: int | None,
    evidence: UploadedFile | None = None,
    remove_evidence: bool = False,
    note: str = "",
) -> Honour:
    """Change an honour; a new evidence file replaces the old one, `remove_evidence` drops it."""
    stored = _stored(honour)
    _require_change(actor, stored, changes)
    values = _checked_changes(stored, changes)
    old = stored.evidence
    if evidence is not None:
        values.update(_attach(evidence))
    elif remove_evidence and old:
        values.update(evidence="", evidence_name="")
    saved = tracked_update(
        actor=actor, obj=stored, changes=values, expected_version=expected_version, note=note
    )
    if saved.evidence.name != old.name:
        _remove_after_commit(old)
    return saved


@transaction.atomic
def honour_delete(
    *, actor: Any, honour: Honour, expected_version: int | None, note: str = ""
) -> None:
    stored = _stored(honour)
    _require_change(actor, stored, {})
    tracked_delete(actor=actor, obj=stored, expected_version=expected_version, note=note)
    _remove_after_commit(stored.evidence)


# --- practices -----------------------------------------------------------------------------------


@transaction.atomic
def practice_create(*, actor: Any, practice: Practice, note: str = "") -> Practice:
    """Record a practice recognised or promoted by a higher level."""
    _require_create(actor, practice.government_id)
    _check(practice)
    return tracked_create(actor=actor, obj=practice, note=note)


@transaction.atomic
def practice_update(
    *,
    actor: Any,
    practice: Practice,
    changes: Mapping[str, Any],
    expected_version: int | None,
    note: str = "",
) -> Practice:
    stored = _stored(practice)
    _require_change(actor, stored, changes)
    values = _checked_changes(stored, changes)
    return tracked_update(
        actor=actor, obj=stored, changes=values, expected_version=expected_version, note=note
    )


@transaction.atomic
def practice_delete(
    *, actor: Any, practice: Practice, expected_version: int | None, note: str = ""
) -> None:
    stored = _stored(practice)
    _require_change(actor, stored, {})
    tracked_delete(actor=actor, obj=stored, expected_version=expected_version, note=note)
