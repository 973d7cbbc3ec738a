"""The rows of a project import as read and settled against what is stored, and the outcome.

A `ProjectRow` holds the cells given (model field -> value) and, once settled, either a new
project to create or the stored one with the changes to apply, its annual plans, and the stage
steps to record. A `ReportRow` is one monthly report, new or changing a stored one. The commit
writes exactly what the check settled, so the dry run shows what the commit will do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext as _

from jinwei.indicators.importing.headers import Column
from jinwei.indicators.importing.pipeline import Issue
from jinwei.indicators.validation import ERROR
from jinwei.projects.importing.columns import plan_header
from jinwei.projects.models import InvestmentReport, Project

if TYPE_CHECKING:
    from jinwei.projects.importing.check import SheetReader

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


@dataclass(frozen=True)
class Step:
    """A stage reached: from, to, on (a ProjectStageChange row to write)."""

    from_stage: str
    to_stage: str
    on: datetime.date


@dataclass
class ProjectRow:
    sheet: SheetReader
    row: int
    code: str
    given: dict[str, Any] = field(default_factory=dict)
    plans: dict[int, Decimal] = field(default_factory=dict)
    project: Project | None = None  # settled: new (no pk yet) or the stored one
    changes: dict[str, Any] = field(default_factory=dict)
    plan_changes: dict[int, Decimal] = field(default_factory=dict)
    stored_plans: dict[int, Decimal] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    failed: bool = False  # a cell could not be read (the problem is reported): not imported
    new: bool = False  # settled as a project to create (it keeps saying so once created)

    @property
    def is_new(self) -> bool:
        return self.new

    @property
    def action(self) -> str:
        if self.is_new:
            return NEW
        return CHANGED if self.changes or self.plan_changes or self.steps else UNCHANGED

    def column(self, name: str) -> Column | None:
        return self.sheet.columns.get(name)

    def preview(self) -> dict[str, Any]:
        """What the review page lists, as JSON-ready data."""
        project = self.project
        assert project is not None  # noqa: S101 - only settled rows are previewed
        changes = [] if self.is_new else describe_changes(project, self.changes)
        changes += [
            f"{plan_header(year)}: {shown(self.stored_plans.get(year))} → {shown(amount)}"
            for year, amount in sorted(self.plan_changes.items())
            if not self.is_new
        ]
        return {
            "sheet": self.sheet.name,
            "row": self.row,
            "action": self.action,
            "code": self.code,
            "name": self.changes.get("name", project.name),
            "kind": str(Project.Kind(self.changes.get("kind", project.kind)).label),
            "stage": str(Project.Stage(self.changes.get("stage", project.stage)).label),
            "lead_unit": str(self.changes.get("lead_unit", getattr(project, "lead_unit", ""))),
            "total_investment": shown(
                self.changes.get("total_investment", project.total_investment)
            ),
            "plans": [f"{year}: {shown(a)}" for year, a in sorted(self.plans.items())],
            "changes": changes,
        }


@dataclass
class ReportRow:
    sheet: SheetReader
    row: int
    code: str
    period: str
    name: str = ""
    given: dict[str, Any] = field(default_factory=dict)
    project: Project | None = None  # the stored project; None when the projects sheet adds it
    report: InvestmentReport | None = None  # the stored report of this month, if any
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str:
        if self.report is None:
            return NEW
        return CHANGED if self.changes else UNCHANGED

    def column(self, name: str) -> Column | None:
        return self.sheet.columns.get(name)

    def value(self, name: str) -> Any:
        """The value after the import: given, else stored."""
        if name in self.given:
            return self.given[name]
        return getattr(self.report, name) if self.report is not None else None

    def preview(self) -> dict[str, Any]:
        changes = describe_changes(self.report, self.changes) if self.report is not None else []
        return {
            "sheet": self.sheet.name,
            "row": self.row,
            "action": self.action,
            "code": self.code,
            "period": self.period,
            "amount": shown(self.value("amount")),
            "progress": self.value("progress"),
            "problems": bool(self.value("problems")),
            "changes": changes,
        }


def shown(value: Any) -> str:
    """A value as the preview shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def describe_changes(obj: models.Model | None, changes: dict[str, Any]) -> list[str]:
    """ "总投资（万元）: 50,000.00 → 60,000.00", in the user's language."""
    if obj is None:
        return []
    lines = []
    for name, value in changes.items():
        model_field = obj._meta.get_field(name)
        assert isinstance(model_field, models.Field)  # noqa: S101 - changes name model fields
        before = getattr(obj, name)
        if getattr(model_field, "choices", None):
            labels = dict(model_field.choices or [])
            before, value = labels.get(before, before), labels.get(value, value)
        lines.append(
            _("%(field)s: %(before)s → %(after)s")
            % {"field": model_field.verbose_name, "before": shown(before), "after": shown(value)}
        )
    return lines


@dataclass
class ImportOutcome:
    filename: str = ""
    projects: list[ProjectRow] = field(default_factory=list)
    reports: list[ReportRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    progress: dict[str, int] = field(default_factory=dict)  # code -> progress to copy
    written: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def error(self, code: str, message: str) -> None:
        """A problem of the file as a whole (no sheet, row or column)."""
        self.issues.append(Issue(ERROR, code, message))

    def counts(self) -> dict[str, int]:
        errors = len(self.errors)
        counts = {
            "rows": len(self.projects) + len(self.reports),
            "projects": len(self.projects),
            "reports": len(self.reports),
            "errors": errors,
            "warnings": len(self.issues) - errors,
        }
        for kind, rows in (("projects", self.projects), ("reports", self.reports)):
            for action in (NEW, CHANGED, UNCHANGED):
                counts[f"{kind}_{action}"] = sum(1 for r in rows if r.action == action)
        return counts | self.written

    def to_write(self) -> int:
        """Rows that change something (what the commit button counts)."""
        rows: list[ProjectRow | ReportRow] = [*self.projects, *self.reports]
        return sum(1 for row in rows if row.action != UNCHANGED)

    def sorted_issues(self) -> list[Issue]:
        return sorted(self.issues, key=lambda i: i.order)
