"""An uploaded project file between its dry run and its commit, for the pages.

The task ledger's upload (`jinwei.tasks.ledger_uploads`) already keeps a file and the state of
its check beside each other (an audit event names the upload; a JSON state file replaced
atomically holds status, progress, counts, problems and the rows as read) and runs the check
and the commit in a background thread that the page polls. A project upload is the same thing
in its own folder and with its own kind of event, plus the monthly reports it read.
"""

from __future__ import annotations

import json
import shutil
import uuid
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.models import Region, User
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import record
from jinwei.indicators.importing import jobs
from jinwei.projects.importing.check import (
    Report,
    check_file,
    may_import_projects,
    may_import_reports,
)
from jinwei.projects.importing.commit import ImportRejected, commit_file
from jinwei.projects.importing.rows import ImportOutcome
from jinwei.tasks.ledger_uploads import (
    MAX_STORED_PROBLEMS,
    LedgerUpload,
    Progress,
    Status,
    claim_commit,
    release_commit,
)

UPLOAD_KIND = "projects_upload"  # the `kind` in the audit entry of an upload

__all__ = ["ProjectUpload", "Status", "claim_commit", "release_commit"]


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "projects"


@dataclass
class ProjectUpload(LedgerUpload):
    """`rows` are the projects as read; `reports` the monthly reports."""

    reports: list[dict[str, Any]] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return root() / str(self.id)

    @classmethod
    def load(cls, upload_id: int) -> ProjectUpload | None:
        try:
            data = json.loads((root() / str(int(upload_id)) / "state.json").read_text("utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None

    @classmethod
    def find(cls, upload_id: int) -> ProjectUpload | None:
        """The upload, if its audit entry says so too (not a folder left from a reset)."""
        state = cls.load(upload_id)
        if state is None:
            return None
        recorded = AuditEntry.objects.filter(
            pk=state.id,
            action=AuditEntry.Action.EVENT,
            government_id=state.government_id,
            after__kind=UPLOAD_KIND,
            after__file=state.filename,
        ).exists()
        return state if recorded else None


# --- writes -----------------------------------------------------------------------------------


@transaction.atomic
def project_upload_create(*, actor: Any, government: Region, upload: UploadedFile) -> ProjectUpload:
    """Keep the uploaded file for its check; the upload is an event in the audit trail."""
    if not may_import_reports(actor, government.pk):
        raise PermissionDenied
    name = Path(upload.name or "projects").name[:255]
    entry = record(
        actor=actor,
        action=AuditEntry.Action.EVENT,
        obj=government,
        after={"kind": UPLOAD_KIND, "file": name},
        note=_("Project file uploaded for checking: %(file)s") % {"file": name},
    )
    state = ProjectUpload(
        id=entry.pk,
        government_id=government.pk,
        created_by_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
        filename=name,
        stored_name=f"{uuid.uuid4().hex}{Path(name).suffix.lower()}",
        created_at=entry.at.isoformat(),
    )
    shutil.rmtree(state.folder, ignore_errors=True)  # a number reused after a database reset
    state.folder.mkdir(parents=True)
    with state.path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    state.save()
    return state


def _store(state: ProjectUpload, outcome: ImportOutcome, status: str, note: str) -> None:
    issues = outcome.sorted_issues()
    omitted = max(0, len(issues) - MAX_STORED_PROBLEMS)
    state.counts = outcome.counts() | {"problems_omitted": omitted, "to_write": outcome.to_write()}
    state.problems = [i.as_dict() for i in issues[:MAX_STORED_PROBLEMS]]
    state.rows = [row.preview() for row in outcome.projects]
    state.reports = [row.preview() for row in outcome.reports]
    state.status, state.progress, state.note = status, 100, note
    state.save()


def _uploader(state: ProjectUpload) -> User | None:
    return User.objects.filter(pk=state.created_by_id).first() if state.created_by_id else None


def project_upload_check(*, state: ProjectUpload, echo: Report | None = None) -> ImportOutcome:
    """The dry run, with the rights of whoever uploaded the file; nothing else is written."""
    state.status, state.progress, state.note = Status.CHECKING, 0, _("Reading the file")
    state.save()
    try:
        outcome = check_file(
            state.path,
            government=Region.objects.get(pk=state.government_id),
            actor=_uploader(state),
            filename=state.filename,
            report=Progress(state, echo),
        )
    except Exception as error:
        _fail(state, error)
        raise
    _store(state, outcome, Status.CHECKED, _("Checked"))
    return outcome


def project_upload_commit(
    *, actor: Any, state: ProjectUpload, echo: Report | None = None
) -> ImportOutcome:
    """Write the file all or nothing. Rejected: the upload shows the problems, as after the dry
    run, and may be committed again once they are gone (they may be in the database)."""
    if not may_import_reports(actor, state.government_id):
        raise PermissionDenied
    state.status, state.progress, state.note = Status.COMMITTING, 0, _("Reading the file")
    state.save()
    try:
        outcome = commit_file(
            state.path,
            actor=actor,
            government=Region.objects.get(pk=state.government_id),
            filename=state.filename,
            report=Progress(state, echo),
        )
    except ImportRejected as rejected:
        _store(state, rejected.outcome, Status.CHECKED, _("Not saved: the file has problems."))
        release_commit(state)
        raise
    except Exception as error:
        _fail(state, error)
        release_commit(state)
        raise
    state.committed_at = timezone.now().isoformat()
    _store(state, outcome, Status.COMMITTED, _("Saved"))
    return outcome


def _fail(state: ProjectUpload, error: Exception) -> None:
    state.status = Status.FAILED
    state.note = (
        _("Nothing was saved: the import stopped with an error (%(error)s).") % {"error": error}
    )[:200]
    state.save()


# --- the background jobs (indicators.importing.jobs runs them) ---------------------------------


def run_check(upload_id: int, user_id: int | None) -> None:
    state = ProjectUpload.load(upload_id)
    if state is not None:
        project_upload_check(state=state)


def run_commit(upload_id: int, user_id: int | None) -> None:
    state = ProjectUpload.load(upload_id)
    if state is None:
        return
    actor = User.objects.filter(pk=user_id).first() if user_id is not None else None
    with suppress(ImportRejected):  # the state then holds the problems; the page shows them
        project_upload_commit(actor=actor, state=state)


def start(job: jobs.Job, state: ProjectUpload, user: Any) -> None:
    jobs.start(job, state.id, user.pk)


# --- reads ------------------------------------------------------------------------------------


def may_see_upload(user: Any, state: ProjectUpload) -> bool:
    """A manager sees every upload of the government; others only their own."""
    mine = state.created_by_id is not None and state.created_by_id == getattr(user, "pk", None)
    return mine or may_import_projects(user, state.government_id)


def recent_uploads(user: Any, governments: list[Region], limit: int = 30) -> list[ProjectUpload]:
    """The latest uploads the user may see in these governments, newest first."""
    managed = [g.pk for g in governments if may_import_projects(user, g.pk)]
    entries = AuditEntry.objects.filter(
        Q(government_id__in=managed) | Q(actor_id=user.pk),
        action=AuditEntry.Action.EVENT,
        content_type=ContentType.objects.get_for_model(Region),
        government_id__in=[g.pk for g in governments],
        after__kind=UPLOAD_KIND,
    ).order_by("-at", "-id")[:limit]
    uploads = []
    for pk, after in entries.values_list("pk", "after"):
        state = ProjectUpload.load(pk)
        if state is not None and state.filename == after.get("file"):
            uploads.append(state)
    return uploads
