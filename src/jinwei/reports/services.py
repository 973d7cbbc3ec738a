"""Writes for briefings asked for on the page: start one, then write its files.

`briefing_start` records the request; `briefing_write` does the work (in a background thread
started by `jobs`, or inline in the tests) and keeps the row's progress, files, notes and error
up to date. The command line writes its file directly (`writing.write_briefing`) and keeps no row.
"""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.access import grants_for
from jinwei.accounts.models import Region, Role
from jinwei.audit.services import tracked_create, tracked_delete
from jinwei.lib.periods import Period, parse_period
from jinwei.reports.models import Briefing

if TYPE_CHECKING:
    from jinwei.reports.writing import Written

log = logging.getLogger(__name__)

# Who may have a briefing written: the people who read and steer the whole government's figures.
GENERATING_ROLES = frozenset({Role.LEADER, Role.SUPERVISOR, Role.ADMIN, Role.STATISTICIAN})
# A request still "running" after this long lost its thread (a restart): a new one may start.
STALE_AFTER = datetime.timedelta(minutes=15)
DB_EVERY_PERCENT = 5
DB_EVERY_SECONDS = 1.0


def may_generate(user: Any, government_id: int) -> bool:
    grants = grants_for(user)
    return grants.is_superuser or grants.has_role(government_id, *GENERATING_ROLES)


def briefing_folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / "briefings"
    path.mkdir(parents=True, exist_ok=True)
    return path


def briefing_start(*, actor: Any, government: Region, period: Period) -> tuple[Briefing, bool]:
    """Record a request: (the briefing, True); or, when the same period is being written
    already, (that briefing, False), so a double click starts no second job."""
    if not may_generate(actor, government.pk):
        raise PermissionDenied
    running = Briefing.objects.filter(
        government=government,
        period=str(period),
        status=Briefing.Status.RUNNING,
        created_at__gte=timezone.now() - STALE_AFTER,
    ).first()
    if running is not None:
        return running, False
    briefing = Briefing(government=government, period=str(period), created_by=actor)
    return tracked_create(actor=actor, obj=briefing), True


class _Progress:
    """A `report(percent, note)` that writes the row every few percent or when the note changes.

    The work holds no transaction, so the page's polls see each write at once.
    """

    def __init__(self, briefing_id: int) -> None:
        self.briefing_id = briefing_id
        self.last: tuple[int, str] = (-DB_EVERY_PERCENT, "")
        self.last_at = 0.0

    def __call__(self, percent: int, note: str) -> None:
        percent = max(0, min(100, int(percent)))
        now = time.monotonic()
        due = percent - self.last[0] >= DB_EVERY_PERCENT or now - self.last_at >= DB_EVERY_SECONDS
        if due or note != self.last[1]:
            Briefing.objects.filter(pk=self.briefing_id).update(
                progress=percent, progress_note=note[:200]
            )
            self.last, self.last_at = (percent, note), now


def briefing_write(*, briefing: Briefing) -> Briefing:
    """Write the Word file and, where LibreOffice is installed, the PDF under MEDIA_ROOT.

    Any failure marks the row failed with the reason, and is raised again for the log.
    """
    # imported here, not at the top: matplotlib and python-docx cost every process that loads
    # the URLs or the admin a second or more, and only this work needs them
    from jinwei.reports.writing import write_briefing

    docx_path = (
        briefing_folder()
        / f"{briefing.government.code}-{briefing.period}-{uuid.uuid4().hex[:12]}.docx"
    )
    try:
        written = write_briefing(
            government=briefing.government,
            period=parse_period(briefing.period),
            today=timezone.localdate(),
            docx_path=docx_path,
            pdf=True,
            report=_Progress(briefing.pk),
        )
    except Exception as error:
        _fail(briefing, error)
        raise
    return _finish(briefing, written)


def _relative(path: Path | None) -> str:
    return str(path.relative_to(Path(settings.MEDIA_ROOT))) if path is not None else ""


def _finish(briefing: Briefing, written: Written) -> Briefing:
    briefing.status = Briefing.Status.DONE
    briefing.progress, briefing.progress_note = 100, _("Ready")
    briefing.docx_path, briefing.pdf_path = _relative(written.docx), _relative(written.pdf)
    briefing.notes = [{"level": "warning", "text": t} for t in written.warnings] + [
        {"level": "info", "text": t} for t in written.notes
    ]
    briefing.finished_at = timezone.now()
    briefing.save(
        update_fields=[
            "status",
            "progress",
            "progress_note",
            "docx_path",
            "pdf_path",
            "notes",
            "finished_at",
        ]
    )
    return briefing


def _fail(briefing: Briefing, error: Exception) -> None:
    briefing.status = Briefing.Status.FAILED
    briefing.progress_note = _("Failed")
    briefing.error = _("The briefing could not be written: %(error)s") % {"error": error}
    briefing.finished_at = timezone.now()
    briefing.save(update_fields=["status", "progress_note", "error", "finished_at"])


def briefing_delete(*, actor: Any, briefing: Briefing) -> None:
    """Remove the row (on the audit trail) and its files."""
    tracked_delete(actor=actor, obj=briefing, expected_version=None)
    for stored in (briefing.docx_path, briefing.pdf_path):
        if stored:
            (Path(settings.MEDIA_ROOT) / stored).unlink(missing_ok=True)
