"""Writes for imports: create a batch from an upload, map its columns, check it, commit it.

`import_batch_check` and `import_batch_commit` do the work synchronously and keep the batch's
status, progress, counts and problems up to date; the pages run them in a background thread
(`jobs.py`), the command line and the tests call them directly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.access import grants_for
from jinwei.accounts.models import Region, Role
from jinwei.indicators.importing import progress
from jinwei.indicators.importing.commit import ImportRejected, commit_file
from jinwei.indicators.importing.pipeline import Options, Outcome
from jinwei.indicators.importing.settle import check_file
from jinwei.indicators.models import ImportBatch
from jinwei.indicators.services import may_approve

MAX_STORED_PROBLEMS = 5000
READ_ONLY_ROLES = frozenset({Role.LEADER, Role.VIEWER})

Echo = Callable[[int, str], None]


def may_import(user: Any, government_id: int) -> bool:
    """Statisticians, supervisors and admins import anything of their government; other staff
    import too, but only their own unit's indicators (the check refuses the rest row by row)."""
    if may_approve(user, government_id):
        return True
    grants = grants_for(user)
    roles = grants.roles_by_government.get(government_id, frozenset())
    return bool(roles - READ_ONLY_ROLES)


def importing_governments(user: Any) -> list[Region]:
    grants = grants_for(user)
    ids = grants.government_ids if not grants.is_superuser else None
    regions = Region.objects.filter(units__isnull=False).distinct().order_by("code")
    if ids is not None:
        regions = regions.filter(pk__in=ids)
    return [r for r in regions if may_import(user, r.pk)]


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _store(upload: UploadedFile) -> Path:
    suffix = Path(upload.name or "").suffix.lower()
    target = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return target


@transaction.atomic
def import_batch_create(
    *,
    actor: Any,
    government: Region,
    upload: UploadedFile | None = None,
    path: Path | None = None,
    layout: str = ImportBatch.Layout.AUTO,
    period: str = "",
) -> ImportBatch:
    """A batch for an uploaded file (stored under MEDIA_ROOT) or a file on disk (the CLI)."""
    if actor is not None and not may_import(actor, government.pk):
        raise PermissionDenied
    if upload is not None:
        stored, name = _store(upload), Path(upload.name or "upload").name
    elif path is not None:
        stored, name = path.resolve(), path.name
    else:
        raise ValueError("give an upload or a path")
    batch = ImportBatch(
        government=government,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        filename=name[:255],
        stored_path=str(stored),
        layout=layout,
        period=period,
    )
    batch.full_clean(exclude=["created_by"])  # no user: a system import from the command line
    batch.save()
    return batch


def import_batch_map(
    *, actor: Any, batch: ImportBatch, layout: str, columns: dict[str, str]
) -> ImportBatch:
    """Keep the person's column mapping; the file is then checked again with it."""
    batch.layout = layout
    batch.mapping = {"columns": {k: v for k, v in columns.items() if v}}
    batch.status = ImportBatch.Status.PENDING
    batch.progress, batch.progress_note = 0, ""
    batch.full_clean()
    batch.save(update_fields=["layout", "mapping", "status", "progress", "progress_note"])
    return batch


def options_for(batch: ImportBatch, actor: Any) -> Options:
    return Options(
        government=batch.government,
        actor=actor,
        layout=batch.layout,
        period=batch.period,
        mapping=dict(batch.mapping.get("columns", {})),
    )


def _actor(batch: ImportBatch) -> Any:
    return batch.created_by


def _save(batch: ImportBatch, outcome: Outcome, status: str, **extra: Any) -> None:
    issues = outcome.sorted_issues()
    counts: dict[str, Any] = outcome.counts()
    counts["sheets"] = outcome.sheets
    counts["problems_omitted"] = max(0, len(issues) - MAX_STORED_PROBLEMS)
    batch.counts = counts
    batch.problems = [i.as_dict() for i in issues[:MAX_STORED_PROBLEMS]]
    batch.status = status
    batch.progress = 100
    for name, value in extra.items():
        setattr(batch, name, value)
    fields = ["counts", "problems", "status", "progress", "progress_note", *extra]
    batch.save(update_fields=fields)
    progress.forget(batch.pk)


def _start(batch: ImportBatch, status: str, note: str) -> None:
    batch.status, batch.progress, batch.progress_note = status, 0, note
    batch.save(update_fields=["status", "progress", "progress_note"])


def import_batch_check(*, batch: ImportBatch, echo: Echo | None = None) -> Outcome:
    """The dry run: counts and every problem, stored on the batch; nothing else is written."""
    _start(batch, ImportBatch.Status.CHECKING, _("Reading the file"))
    reporter = progress.Reporter(batch.pk, echo)
    try:
        outcome = check_file(Path(batch.stored_path), options_for(batch, _actor(batch)), reporter)
    except Exception as error:
        _fail(batch, error)
        raise
    batch.progress_note = _("Checked")
    _save(batch, outcome, ImportBatch.Status.CHECKED)
    return outcome


def import_batch_commit(*, actor: Any, batch: ImportBatch, echo: Echo | None = None) -> Outcome:
    """Check again and write all or nothing. Rejected: the batch holds the problems, as after a
    dry run, and nothing is written. Any other failure: status FAILED, nothing written."""
    if actor is not None and not may_import(actor, batch.government_id):
        raise PermissionDenied
    _start(batch, ImportBatch.Status.COMMITTING, _("Reading the file"))
    reporter = progress.Reporter(batch.pk, echo)
    options = options_for(batch, actor)
    try:
        with reporter.memory_only():  # rows written in the transaction are invisible until it ends
            outcome = commit_file(Path(batch.stored_path), options, batch=batch, report=reporter)
    except ImportRejected as rejected:
        batch.progress_note = _("Not saved: the file has problems.")
        _save(batch, rejected.outcome, ImportBatch.Status.CHECKED)
        raise
    except Exception as error:
        _fail(batch, error)
        raise
    batch.progress_note = _("Saved")
    _save(batch, outcome, ImportBatch.Status.COMMITTED, committed_at=timezone.now())
    return outcome


def _fail(batch: ImportBatch, error: Exception) -> None:
    batch.status = ImportBatch.Status.FAILED
    batch.progress_note = (
        _("Nothing was saved: the import stopped with an error (%(error)s).") % {"error": error}
    )[:200]
    batch.save(update_fields=["status", "progress_note"])
    progress.forget(batch.pk)
