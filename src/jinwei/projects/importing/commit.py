"""The commit: the file checked again inside one transaction, then every project, plan, stage
step and monthly report written through the audit services; one refused row and nothing is.

The import itself is an event in the audit trail with its counts (as the task ledger's is);
each object written has its own create or change entry, noted with the file's name.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jinwei.accounts.models import Region
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import StaleVersionError, record, tracked_create, tracked_update
from jinwei.indicators.importing.pipeline import Issue
from jinwei.indicators.validation import ERROR
from jinwei.projects import services
from jinwei.projects.importing.check import Report, check_file, may_import_reports, quiet
from jinwei.projects.importing.rows import UNCHANGED, ImportOutcome, ProjectRow, ReportRow
from jinwei.projects.models import InvestmentPlan, Project, ProjectStageChange

IMPORT_KIND = "projects_import"  # the `kind` of the import's audit event
COUNTED = ("projects_new", "projects_changed", "reports_new", "reports_changed")


class ImportRejected(Exception):
    """The file has errors (or a row was refused on saving): nothing was written."""

    def __init__(self, outcome: ImportOutcome) -> None:
        super().__init__(_("The file has errors; nothing was saved."))
        self.outcome = outcome


def commit_file(
    path: Path,
    *,
    actor: Any,
    government: Region,
    filename: str = "",
    report: Report = quiet,
    today: datetime.date | None = None,
) -> ImportOutcome:
    """Check the file again and write it all, or nothing (ImportRejected with the problems)."""
    if not may_import_reports(actor, government.pk):
        raise PermissionDenied
    outcome = ImportOutcome(filename=filename or path.name)
    try:
        with transaction.atomic():
            outcome = check_file(
                path,
                government=government,
                actor=actor,
                filename=outcome.filename,
                report=lambda percent, note: report(percent * 3 // 10, note),
                today=today,
            )
            if not outcome.ok:
                raise ImportRejected(outcome)
            Writer(outcome, actor, report).write(government)
    except (IntegrityError, StaleVersionError) as error:
        message = _(
            "Someone changed these projects while the import ran; nothing was saved. "
            "Check the file again. (%(error)s)"
        ) % {"error": error}
        outcome.error("conflict", message)
        outcome.written = {}
        raise ImportRejected(outcome) from error
    return outcome


class Writer:
    """Writes one settled outcome, row by row, reporting how far it has got."""

    def __init__(self, outcome: ImportOutcome, actor: Any, report: Report) -> None:
        self.outcome = outcome
        self.actor = actor
        self.report = report
        self.note = _("Project import of %(file)s") % {"file": outcome.filename}
        self.projects: dict[str, Project] = {}
        self.total = max(1, outcome.to_write())
        self.done = 0

    def write(self, government: Region) -> None:
        for project_row in self.outcome.projects:
            self._guarded(project_row, lambda r=project_row: self._project(r))
        for report_row in self.outcome.reports:
            self._guarded(report_row, lambda r=report_row: self._report(r))
        counts = self.outcome.counts()
        self.outcome.written = {
            "projects_written": counts["projects_new"] + counts["projects_changed"],
            "reports_written": counts["reports_new"] + counts["reports_changed"],
        }
        record(
            actor=self.actor,
            action=AuditEntry.Action.EVENT,
            obj=government,
            after={
                "kind": IMPORT_KIND,
                "file": self.outcome.filename,
                **{name: counts[name] for name in COUNTED},
                "codes": [row.code for row in self.outcome.projects[:100]],
            },
            note=_(
                "Project import of %(file)s: %(projects)s projects, %(reports)s monthly reports."
            )
            % {
                "file": self.outcome.filename,
                "projects": self.outcome.written["projects_written"],
                "reports": self.outcome.written["reports_written"],
            },
        )
        self.report(100, _("Saved"))

    def _guarded(self, row: ProjectRow | ReportRow, write: Any) -> None:
        try:
            changed = write()
        except ValidationError as error:
            _refused(self.outcome, row, error)
            raise ImportRejected(self.outcome) from error
        if changed:
            self.done += 1
            if self.done % 10 == 0 or self.done == self.total:
                self.report(30 + 65 * self.done // self.total, _("Saving"))

    def _project(self, row: ProjectRow) -> bool:
        project = row.project
        assert project is not None  # noqa: S101 - settled rows have their project
        if row.is_new:
            project = self._create(row, project)
        else:
            by_steps = stepped_fields(row)
            changes = {k: v for k, v in row.changes.items() if k not in by_steps}
            if changes:
                project = tracked_update(
                    actor=self.actor,
                    obj=project,
                    changes=changes,
                    expected_version=project.version,
                    note=self.note,
                )
            for step in row.steps:  # the stage rules of the project page, one step at a time
                project = services.project_advance(
                    actor=self.actor, project=project, to_stage=step.to_stage, on=step.on,
                    note=self.note,
                )  # fmt: skip
        self.projects[row.code] = project
        self._plans(row, project)
        return row.action != UNCHANGED

    def _create(self, row: ProjectRow, project: Project) -> Project:
        """A new project with the progress its reports bring, and every stage it has reached."""
        project.progress = self.outcome.progress.get(row.code, project.progress)
        project = tracked_create(actor=self.actor, obj=project, note=self.note)
        user = self.actor if getattr(self.actor, "is_authenticated", False) else None
        ProjectStageChange.objects.bulk_create(
            ProjectStageChange(project=project, from_stage=step.from_stage, to_stage=step.to_stage,
                               on=step.on, actor=user, note=self.note[:300])
            for step in row.steps
        )  # fmt: skip
        return project

    def _plans(self, row: ProjectRow, project: Project) -> None:
        for year, amount in sorted(row.plan_changes.items()):
            if year in row.stored_plans:
                plan = InvestmentPlan.objects.get(project=project, year=year)
                tracked_update(
                    actor=self.actor,
                    obj=plan,
                    changes={"amount": amount},
                    expected_version=plan.version,
                    note=self.note,
                )
            else:
                plan = InvestmentPlan(project=project, year=year, amount=amount)
                tracked_create(actor=self.actor, obj=plan, note=self.note)

    def _report(self, row: ReportRow) -> bool:
        """Through the monthly report service: one report a month, the newest month's physical
        progress copied to the project."""
        if row.action == UNCHANGED:
            return False
        project = self.projects.get(row.code) or row.project
        assert project is not None  # noqa: S101 - settled rows have their project
        services.report_submit(
            actor=self.actor,
            project=project,
            period=row.period,
            amount=row.value("amount"),
            progress=row.value("progress"),
            progress_text=row.value("progress_text") or "",
            problems=row.value("problems") or "",
            expected_version=row.report.version if row.report is not None else None,
        )
        return True


def stepped_fields(row: ProjectRow) -> set[str]:
    """The fields `project_advance` sets for the row's steps: the stage, each step's date, and
    the progress of a completed project."""
    fields = {"stage"} if row.steps else set()
    for step in row.steps:
        fields.add(services.STAGE_DATE_FIELDS.get(step.to_stage, "stage"))
        if step.to_stage in (Project.Stage.COMPLETED, Project.Stage.IN_PRODUCTION):
            fields.add("progress")
    return fields


def _refused(outcome: ImportOutcome, row: ProjectRow | ReportRow, error: ValidationError) -> None:
    """The model's own checks refused a row: each message at its column when there is one."""
    fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    for name, messages in fields.items():
        column = row.column(name) if name else None
        outcome.add(
            Issue(
                ERROR,
                "refused",
                " ".join(messages),
                row.sheet.name,
                row.row,
                column.letter if column else "",
                column.header if column else "",
                (row.sheet.index, row.row, column.position if column else -1),
            )
        )
    outcome.written = {}
