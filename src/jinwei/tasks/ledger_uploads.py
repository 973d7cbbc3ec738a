"""An uploaded ledger between the dry run and the commit: the file, and where its check stands.

The pages check and commit in a background thread (the indicator import's `jobs.start`, which
runs inline in the tests) and poll the progress with htmx. An upload is an event in the audit trail
(who, when, which file); that entry's number names the upload, and its file and state (status,
progress, counts, problems, the rows as read, the tasks created) are kept beside each other under
MEDIA_ROOT/imports/ledger/<number>/. The state is a small JSON file replaced atomically, so a
poll from another request or process always reads a whole one, and the commit, whose writes stay
invisible in its transaction until the end, can still show how far it has got.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import shutil
import time
import uuid
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinwei.accounts.models import Region, User
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import record
from jinwei.indicators.importing import jobs
from jinwei.tasks import ledger

log = logging.getLogger(__name__)
UPLOAD_KIND = "ledger_upload"  # the `kind` in the audit entry of an upload
MAX_STORED_PROBLEMS = 2000
SAVE_EVERY_PERCENT = 5
SAVE_EVERY_SECONDS = 1.0


class Status(models.TextChoices):
    PENDING = "pending", gettext_lazy("Waiting")
    CHECKING = "checking", gettext_lazy("Checking")
    CHECKED = "checked", gettext_lazy("Checked")
    COMMITTING = "committing", gettext_lazy("Saving")
    COMMITTED = "committed", gettext_lazy("Saved")
    FAILED = "failed", gettext_lazy("Failed")


RUNNING = (Status.PENDING, Status.CHECKING, Status.COMMITTING)


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "ledger"


@dataclass
class LedgerUpload:
    id: int
    government_id: int
    created_by_id: int | None
    filename: str
    stored_name: str
    created_at: str
    status: str = Status.PENDING
    progress: int = 0
    note: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list)
    assign: bool = False
    assigned: int = 0
    committed_at: str = ""

    @property
    def folder(self) -> Path:
        return root() / str(self.id)

    @property
    def path(self) -> Path:
        return self.folder / self.stored_name

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    def get_status_display(self) -> str:
        return str(Status(self.status).label)

    @property
    def uploaded_at(self) -> datetime.datetime | None:
        return _datetime(self.created_at)

    @property
    def saved_at(self) -> datetime.datetime | None:
        return _datetime(self.committed_at)

    def save(self) -> None:
        """Replace the state file in one step, so a reader never sees half of it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f"state.{uuid.uuid4().hex}.tmp"
        temporary.write_text(json.dumps(asdict(self), ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.folder / "state.json")

    @classmethod
    def load(cls, upload_id: int) -> LedgerUpload | None:
        try:
            data = json.loads((root() / str(int(upload_id)) / "state.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return cls(**data)

    @classmethod
    def find(cls, upload_id: int) -> LedgerUpload | None:
        """The upload, if its audit entry says so too (a folder left from a database that was
        reset is not taken for an upload of this one)."""
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


def _datetime(text: str) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(text) if text else None


class Progress:
    """`report(percent, note)` for the check and the commit: the state file, now and then."""

    def __init__(self, upload: LedgerUpload, echo: ledger.Report | None = None) -> None:
        self.upload = upload
        self.echo = echo
        self.last = (-SAVE_EVERY_PERCENT, "")
        self.last_at = 0.0

    def __call__(self, percent: int, note: str) -> None:
        if self.echo is not None:
            self.echo(percent, note)
        now = time.monotonic()
        due = percent - self.last[0] >= SAVE_EVERY_PERCENT
        due = due or now - self.last_at >= SAVE_EVERY_SECONDS
        if due or note != self.last[1]:
            self.upload.progress, self.upload.note = percent, note[:200]
            self.upload.save()
            self.last, self.last_at = (percent, note), now


# --- writes -----------------------------------------------------------------------------------


@transaction.atomic
def ledger_upload_create(*, actor: Any, government: Region, upload: UploadedFile) -> LedgerUpload:
    """Keep the uploaded file for its check; the upload is an event in the audit trail."""
    if not ledger.may_import(actor, government.pk):
        raise PermissionDenied
    name = Path(upload.name or "ledger").name[:255]
    entry = record(
        actor=actor,
        action=AuditEntry.Action.EVENT,
        obj=government,
        after={"kind": UPLOAD_KIND, "file": name},
        note=_("Ledger uploaded for checking: %(file)s") % {"file": name},
    )
    state = LedgerUpload(
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


def _store(state: LedgerUpload, outcome: ledger.LedgerOutcome, status: str, note: str) -> None:
    issues = outcome.sorted_issues()
    omitted = max(0, len(issues) - MAX_STORED_PROBLEMS)
    state.counts = outcome.counts() | {"problems_omitted": omitted}
    state.problems = [i.as_dict() for i in issues[:MAX_STORED_PROBLEMS]]
    state.rows = [row.preview() for row in outcome.rows]
    state.status, state.progress, state.note = status, 100, note
    state.save()


def ledger_upload_check(
    *, state: LedgerUpload, echo: ledger.Report | None = None
) -> ledger.LedgerOutcome:
    """The dry run: rows and problems kept with the upload; nothing else is written."""
    state.status, state.progress, state.note = Status.CHECKING, 0, _("Reading the file")
    state.save()
    government = Region.objects.get(pk=state.government_id)
    try:
        outcome = ledger.check_file(
            state.path,
            government=government,
            filename=state.filename,
            report=Progress(state, echo),
        )
    except Exception as error:
        _fail(state, error)
        raise
    _store(state, outcome, Status.CHECKED, _("Checked"))
    return outcome


def claim_commit(state: LedgerUpload) -> bool:
    """True for the one request that may start the commit (a double click starts it once)."""
    try:
        (state.folder / "commit.lock").touch(exist_ok=False)
    except FileExistsError:
        return False
    return True


def release_commit(state: LedgerUpload) -> None:
    with suppress(FileNotFoundError):
        (state.folder / "commit.lock").unlink()


def ledger_upload_commit(
    *, actor: Any, state: LedgerUpload, echo: ledger.Report | None = None
) -> ledger.LedgerOutcome:
    """Create the tasks all or nothing. Rejected: the upload shows the problems, as after the
    dry run, and may be committed again once they are gone (they may be in the database)."""
    if not ledger.may_import(actor, state.government_id):
        raise PermissionDenied
    state.status, state.progress, state.note = Status.COMMITTING, 0, _("Reading the file")
    state.save()
    government = Region.objects.get(pk=state.government_id)
    try:
        outcome = ledger.commit_file(
            state.path,
            actor=actor,
            government=government,
            filename=state.filename,
            assign=state.assign,
            report=Progress(state, echo),
        )
    except ledger.LedgerRejected as rejected:
        _store(state, rejected.outcome, Status.CHECKED, _("Not saved: the file has problems."))
        release_commit(state)
        raise
    except Exception as error:
        _fail(state, error)
        release_commit(state)
        raise
    state.task_ids = outcome.task_ids
    state.assigned = len(outcome.task_ids) if outcome.assigned else 0
    state.committed_at = timezone.now().isoformat()
    _store(state, outcome, Status.COMMITTED, _("Saved"))
    return outcome


def ledger_upload_assign(*, actor: Any, state: LedgerUpload) -> int:
    """交办 the drafts this import created (those nobody assigned meanwhile)."""
    if not ledger.may_import(actor, state.government_id):
        raise PermissionDenied
    note = _("Ledger import of %(file)s") % {"file": state.filename}
    count = ledger.assign_tasks(actor=actor, task_ids=state.task_ids, note=note)
    state.assigned += count
    state.save()
    return count


def _fail(state: LedgerUpload, error: Exception) -> None:
    state.status = Status.FAILED
    state.note = (
        _("Nothing was saved: the import stopped with an error (%(error)s).") % {"error": error}
    )[:200]
    state.save()


# --- the background jobs (indicators.importing.jobs runs them) ---------------------------------


def run_check(upload_id: int, user_id: int | None) -> None:
    state = LedgerUpload.load(upload_id)
    if state is not None:
        ledger_upload_check(state=state)


def run_commit(upload_id: int, user_id: int | None) -> None:
    state = LedgerUpload.load(upload_id)
    if state is None:
        return
    actor = User.objects.filter(pk=user_id).first() if user_id is not None else None
    with suppress(ledger.LedgerRejected):  # the state then holds the problems; the page shows them
        ledger_upload_commit(actor=actor, state=state)


def start(job: jobs.Job, state: LedgerUpload, user: Any) -> None:
    jobs.start(job, state.id, user.pk)


# --- reads ------------------------------------------------------------------------------------


def recent_uploads(government_ids: list[int], limit: int = 30) -> list[LedgerUpload]:
    """The latest uploads for these governments, newest first (from the audit trail)."""
    entries = AuditEntry.objects.filter(
        action=AuditEntry.Action.EVENT,
        content_type=ContentType.objects.get_for_model(Region),
        government_id__in=government_ids,
        after__kind=UPLOAD_KIND,
    ).order_by("-at", "-id")[:limit]
    uploads = []
    for pk, after in entries.values_list("pk", "after"):
        state = LedgerUpload.load(pk)
        if state is not None and state.filename == after.get("file"):
            uploads.append(state)
    return uploads
