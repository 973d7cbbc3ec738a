"""Ledger (台账) import: the spreadsheet of tasks a meeting hands out, checked, then saved as drafts
all or nothing.

The file goes through the indicator import's readers (xlsx, xls, ods; CSV in UTF-8 or GB18030) and
its table finder (title rows above the header, notes below), and a problem is located the same
way: sheet, row as Excel numbers it, column letter and header, with the bad value in the message.
Names (units, goals, leaders) are resolved from dictionaries loaded once. The commit checks the file
again inside its transaction and creates every task through `services.create_task`, so a ledger
meets the same rights and rules as the task form; one refused row and nothing is saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.access import can_manage
from jinwei.accounts.models import OrgUnit, Region, User
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import record
from jinwei.indicators.importing.headers import Column
from jinwei.indicators.importing.lookups import key
from jinwei.indicators.importing.pipeline import Issue
from jinwei.indicators.importing.readers import Cell, ReadError, read_file
from jinwei.indicators.importing.table import Table, clean, is_empty, locate
from jinwei.indicators.validation import ERROR, WARNING
from jinwei.tasks import services
from jinwei.tasks.ledger_cells import (
    CADENCE,
    CO_UNITS,
    CODE,
    DEADLINE,
    DESCRIPTION,
    FIELD_BY_HEADER,
    GOAL,
    HEADERS,
    IGNORE,
    LEAD,
    LEADER,
    MAX_LENGTHS,
    PRIORITIES,
    PRIORITY,
    PRIORITY_WORDS,
    REFERENCE,
    REQUIRED,
    RESULTS,
    SOURCE,
    START,
    SUPERVISING,
    TITLE,
    Bad,
    Names,
    cell_text,
    choice,
    limited,
    parse_date,
    read_cadence,
    read_co_units,
    read_source,
)
from jinwei.tasks.models import Goal, Task, TaskEvent

Report = Callable[[int, str], None]
CODE_PREFIX = "TZ"  # 台账: generated codes read TZ2024-001


def quiet(percent: int, note: str) -> None:
    return None


# --- rows -------------------------------------------------------------------------------------


@dataclass
class LedgerRow:
    """One task of the ledger, every cell read; `task()` is the draft to create."""

    sheet: str
    row: int
    code: str
    title: str
    lead_unit: OrgUnit
    start_date: datetime.date
    deadline: datetime.date
    description: str = ""
    source_kind: str = Task.SourceKind.MEETING
    source_reference: str = ""
    goal: Goal | None = None
    co_units: list[services.CoUnitPart] = field(default_factory=list)
    leader: User | None = None
    supervising_unit: OrgUnit | None = None
    priority: int = Task.Priority.NORMAL
    expected_results: str = ""
    report_cadence: str = Task.Cadence.MONTHLY
    report_dates: list[str] = field(default_factory=list)
    code_generated: bool = False
    sheet_index: int = 0

    def task(self, government: Region) -> Task:
        return Task(
            government=government,
            code=self.code,
            title=self.title,
            description=self.description,
            source_kind=self.source_kind,
            source_reference=self.source_reference,
            goal=self.goal,
            lead_unit=self.lead_unit,
            leader=self.leader,
            supervising_unit=self.supervising_unit,
            start_date=self.start_date,
            deadline=self.deadline,
            priority=self.priority,
            expected_results=self.expected_results,
            report_cadence=self.report_cadence,
            report_dates=list(self.report_dates),
        )

    def preview(self) -> dict[str, Any]:
        """What the review page lists, as JSON-ready data."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "code": self.code,
            "code_generated": self.code_generated,
            "title": self.title,
            "lead_unit": self.lead_unit.name,
            "co_units": [
                f"{c.unit.name}（{c.part}）" if c.part else c.unit.name for c in self.co_units
            ],
            "leader": str(self.leader) if self.leader else "",
            "goal": self.goal.title if self.goal else "",
            "start_date": self.start_date.isoformat(),
            "deadline": self.deadline.isoformat(),
            "priority": str(Task.Priority(self.priority).label),
            "cadence": str(Task.Cadence(self.report_cadence).label),
        }


@dataclass(frozen=True)
class CodeCell:
    """A code as given in the file, where it was (rows with other errors too)."""

    code: str
    sheet: str
    sheet_index: int
    row: int
    column: Column


@dataclass
class LedgerOutcome:
    filename: str = ""
    rows: list[LedgerRow] = field(default_factory=list)
    codes: list[CodeCell] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list)
    assigned: bool = False

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        errors = len(self.errors)
        return {
            "rows": len(self.rows),
            "errors": errors,
            "warnings": len(self.issues) - errors,
            "created": len(self.task_ids),
        }

    def sorted_issues(self) -> list[Issue]:
        return sorted(self.issues, key=lambda i: i.order)


@dataclass
class _Sheet:
    """One table being read: where problems are located, and the columns by field."""

    table: Table
    index: int
    columns: dict[str, Column]
    outcome: LedgerOutcome

    def issue(
        self, code: str, message: str, row: int, column: Column | None, severity: str = ERROR
    ) -> None:
        self.outcome.issues.append(
            Issue(
                severity,
                code,
                message,
                self.table.sheet.name,
                row,
                column.letter if column else "",
                column.header if column else "",
                (self.index, row, column.position if column else -1),
            )
        )

    def cell(self, cells: list[Cell], name: str) -> Cell:
        column = self.columns.get(name)
        if column is None or column.position >= len(cells):
            return ""
        return cells[column.position]


def _columns(table: Table, index: int, outcome: LedgerOutcome) -> _Sheet | None:
    """The sheet's columns by field; None (with a warning) if it holds no ledger columns."""
    sheet = _Sheet(table, index, {}, outcome)
    unknown: list[Column] = []
    for position, header in enumerate(table.headers):
        if not header:
            continue
        column = Column(position, table.letter(position), header)
        name = FIELD_BY_HEADER.get(key(header), "")
        if not name:
            unknown.append(column)
        elif name != IGNORE and name in sheet.columns:
            sheet.issue(
                "duplicate_column",
                _("Two columns hold %(field)s: %(first)s and %(second)s.")
                % {"field": HEADERS[name], "first": sheet.columns[name].label(), "second": header},
                table.header_row,
                column,
            )
        elif name != IGNORE:
            sheet.columns[name] = column
    if not sheet.columns:
        sheet.issue(
            "not_a_ledger",
            _("Sheet skipped: none of its columns is a ledger column (%(headers)s).")
            % {"headers": "、".join(HEADERS.values())},
            table.header_row,
            None,
            WARNING,
        )
        return None
    for column in unknown:
        sheet.issue(
            "unknown_column",
            _("Column “%(header)s” is not a ledger column and is not imported.")
            % {"header": column.header},
            table.header_row,
            column,
            WARNING,
        )
    for name in REQUIRED:
        if name not in sheet.columns:
            sheet.issue(
                "missing_column",
                _("There is no column “%(header)s”.") % {"header": HEADERS[name]},
                table.header_row,
                None,
            )
    return sheet


def _read_row(
    sheet: _Sheet, cells: list[Cell], row: int, names: Names, today: datetime.date
) -> LedgerRow | None:
    """One row as a LedgerRow, or None with every bad cell of it recorded."""
    found: dict[str, Any] = {}
    failed = False

    def read(name: str, reader: Callable[[Cell], Any]) -> None:
        nonlocal failed
        if name not in sheet.columns:
            return
        try:
            found[name] = reader(sheet.cell(cells, name))
        except Bad as bad:
            failed = True
            sheet.issue(f"bad_{name}", str(bad), row, sheet.columns[name])

    for name in (TITLE, LEAD, DEADLINE):
        if is_empty(sheet.cell(cells, name)) and name in sheet.columns:
            failed = True
            sheet.issue(
                "missing_value",
                _("“%(header)s” is empty.") % {"header": sheet.columns[name].header},
                row,
                sheet.columns[name],
            )
    for name, limit in MAX_LENGTHS.items():
        read(name, partial(limited, limit=limit))
    read(DESCRIPTION, cell_text)
    read(RESULTS, cell_text)
    read(LEAD, lambda cell: names.unit(clean(cell)) if not is_empty(cell) else None)
    read(SUPERVISING, lambda cell: names.unit(clean(cell)) if not is_empty(cell) else None)
    read(GOAL, lambda cell: names.goal(clean(cell)) if not is_empty(cell) else None)
    read(LEADER, lambda cell: names.leader(clean(cell)) if not is_empty(cell) else None)
    read(START, parse_date)
    read(DEADLINE, parse_date)
    read(PRIORITY, lambda c: choice(c, PRIORITIES, PRIORITY_WORDS) if not is_empty(c) else None)
    read(CO_UNITS, lambda cell: read_co_units(clean(cell), names))
    read(SOURCE, lambda cell: read_source(clean(cell)))
    if found.get(CODE):
        cell = CodeCell(found[CODE], sheet.table.sheet.name, sheet.index, row, sheet.columns[CODE])
        sheet.outcome.codes.append(cell)
    if failed:
        return None
    return _assemble(sheet, cells, row, found, today)


def _assemble(
    sheet: _Sheet,
    cells: list[Cell],
    row: int,
    found: dict[str, Any],
    today: datetime.date,
) -> LedgerRow | None:
    """The row's cross-field rules (dates, lead unit among the co-units, cadence)."""
    deadline: datetime.date = found[DEADLINE]
    start: datetime.date | None = found.get(START)
    if start is None:
        start = min(today, deadline)
    if deadline < start:
        sheet.issue(
            "deadline_before_start",
            _("The deadline %(deadline)s is before the start %(start)s.")
            % {"deadline": deadline, "start": start},
            row,
            sheet.columns[DEADLINE],
        )
        return None
    if deadline < today:
        sheet.issue(
            "deadline_passed",
            _("The deadline %(deadline)s has passed: the task will be overdue once assigned.")
            % {"deadline": deadline},
            row,
            sheet.columns[DEADLINE],
            WARNING,
        )
    lead: OrgUnit = found[LEAD]
    co_units: list[services.CoUnitPart] = found.get(CO_UNITS, [])
    if any(c.unit.pk == lead.pk for c in co_units):
        sheet.issue(
            "lead_is_co_unit",
            _("%(unit)s leads the task and cannot also be a co-unit.") % {"unit": lead.name},
            row,
            sheet.columns[CO_UNITS],
        )
        return None
    try:
        report_cadence, dates = read_cadence(sheet.cell(cells, CADENCE), start, deadline)
    except Bad as bad:
        sheet.issue("bad_report_cadence", str(bad), row, sheet.columns.get(CADENCE))
        return None
    kind, guessed_reference = found.get(SOURCE, (Task.SourceKind.MEETING, ""))
    return LedgerRow(
        sheet=sheet.table.sheet.name,
        row=row,
        code=found.get(CODE, ""),
        title=found[TITLE],
        lead_unit=lead,
        start_date=start,
        deadline=deadline,
        description=found.get(DESCRIPTION, ""),
        source_kind=kind,
        source_reference=found.get(REFERENCE, "") or guessed_reference[:200],
        goal=found.get(GOAL),
        co_units=co_units,
        leader=found.get(LEADER),
        supervising_unit=found.get(SUPERVISING),
        priority=found.get(PRIORITY) or Task.Priority.NORMAL,
        expected_results=found.get(RESULTS, ""),
        report_cadence=report_cadence,
        report_dates=[d.isoformat() for d in dates],
        sheet_index=sheet.index,
    )


# --- the whole file ---------------------------------------------------------------------------


def check_file(
    path: Path,
    *,
    government: Region,
    filename: str = "",
    report: Report = quiet,
    today: datetime.date | None = None,
) -> LedgerOutcome:
    """The dry run: every row read and checked, codes given or generated; nothing is written."""
    today = today or timezone.localdate()
    outcome = LedgerOutcome(filename=filename or path.name)
    report(0, _("Reading the file"))
    try:
        sheets = read_file(path)
    except ReadError as error:
        outcome.issues.append(Issue(ERROR, "unreadable", str(error)))
        return outcome
    names = Names.load(government)
    tables = [(i, t) for i, t in enumerate(locate(s) for s in sheets) if t is not None]
    total = sum(len(t.body()) for _i, t in tables) or 1
    done = 0
    for index, table in tables:
        sheet = _columns(table, index, outcome)
        if sheet is None:
            continue
        outcome.sheets.append(table.sheet.name)
        if any(i.code == "missing_column" and i.sheet == table.sheet.name for i in outcome.issues):
            continue
        for position in table.body():
            cells = table.sheet.rows[position]
            done += 1
            if done % 50 == 0:
                report(10 + 80 * done // total, _("Checking the tasks"))
            if all(is_empty(c) for c in cells):
                continue
            row = _read_row(sheet, cells, table.excel_row(position), names, today)
            if row is not None:
                outcome.rows.append(row)
    _check_codes(outcome, government, today)
    if not outcome.rows and not outcome.errors:
        outcome.issues.append(Issue(ERROR, "empty", _("The file holds no tasks to import.")))
    report(100, _("Checked"))
    return outcome


def _code_issue(outcome: LedgerOutcome, cell: CodeCell, message: str) -> None:
    column = cell.column
    outcome.issues.append(
        Issue(
            ERROR,
            "duplicate_code",
            message,
            cell.sheet,
            cell.row,
            column.letter,
            column.header,
            (cell.sheet_index, cell.row, column.position),
        )
    )


def _check_codes(outcome: LedgerOutcome, government: Region, today: datetime.date) -> None:
    """Codes given twice in the file or already taken; then codes for the rows without one."""
    seen: dict[str, CodeCell] = {}
    for cell in outcome.codes:
        first = seen.get(cell.code)
        if first is not None:
            _code_issue(
                outcome,
                cell,
                _("The code “%(code)s” is also in row %(row)s of sheet %(sheet)s.")
                % {"code": cell.code, "row": first.row, "sheet": first.sheet},
            )
        else:
            seen[cell.code] = cell
    taken = dict(
        Task.objects.filter(government=government, code__in=list(seen)).values_list("code", "title")
    )
    for code, title in taken.items():
        _code_issue(
            outcome,
            seen[code],
            _("The code “%(code)s” is already used by the task “%(title)s”.")
            % {"code": code, "title": title},
        )
    blanks = [row for row in outcome.rows if not row.code]
    if blanks:
        codes = generate_codes(government, len(blanks), today, seen)
        for row, code in zip(blanks, codes, strict=True):
            row.code, row.code_generated = code, True


def generate_codes(
    government: Region, count: int, today: datetime.date, also_taken: Iterable[str] = ()
) -> list[str]:
    """`count` free codes TZ<year>-<nnn>, numbered after the highest one in use."""
    prefix = f"{CODE_PREFIX}{today.year}-"
    used = set(
        Task.objects.filter(government=government, code__startswith=prefix).values_list(
            "code", flat=True
        )
    ) | {c for c in also_taken if c.startswith(prefix)}
    numbers = [int(c[len(prefix) :]) for c in used if c[len(prefix) :].isdigit()]
    first = max(numbers, default=0) + 1
    return [f"{prefix}{n:03d}" for n in range(first, first + count)]


# --- the commit -------------------------------------------------------------------------------


class LedgerRejected(Exception):
    """The file has errors (or a row was refused on saving): nothing was written."""

    def __init__(self, outcome: LedgerOutcome) -> None:
        super().__init__(_("The ledger has errors; nothing was saved."))
        self.outcome = outcome


def may_import(user: Any, government_id: int) -> bool:
    """Only the supervising office (supervisors, admins) creates tasks, so only it imports them."""
    return can_manage(user, government_id)


def commit_file(
    path: Path,
    *,
    actor: Any,
    government: Region,
    filename: str = "",
    assign: bool = False,
    report: Report = quiet,
    today: datetime.date | None = None,
) -> LedgerOutcome:
    """Check the file again and create every task as a draft (then assign them, if asked), all or
    nothing; the import itself is recorded in the audit trail with its counts."""
    if not may_import(actor, government.pk):
        raise PermissionDenied
    outcome = LedgerOutcome(filename=filename or path.name)
    try:
        with transaction.atomic():
            outcome = check_file(
                path,
                government=government,
                filename=outcome.filename,
                report=lambda p, n: report(p * 3 // 10, n),
                today=today,
            )
            if not outcome.ok:
                raise LedgerRejected(outcome)
            _create(outcome, actor, government, assign, report)
    except IntegrityError as error:
        message = _(
            "Someone saved tasks with these codes while the import ran; nothing was saved. "
            "Check the file again. (%(error)s)"
        ) % {"error": error}
        outcome.issues.append(Issue(ERROR, "conflict", message))
        outcome.task_ids = []
        raise LedgerRejected(outcome) from error
    return outcome


def _create(
    outcome: LedgerOutcome, actor: Any, government: Region, assign: bool, report: Report
) -> None:
    note = _("Ledger import of %(file)s") % {"file": outcome.filename}
    total = len(outcome.rows)
    for done, row in enumerate(outcome.rows, start=1):
        try:
            task = services.create_task(
                actor=actor, task=row.task(government), co_units=row.co_units, note=note
            )
            if assign:
                task = services.perform(
                    actor=actor, task=task, action=TaskEvent.Action.ASSIGN, note=note
                )
        except (services.TaskActionRefused, ValidationError) as error:
            _refused(outcome, row, error)
            outcome.task_ids = []
            raise LedgerRejected(outcome) from error
        outcome.task_ids.append(task.pk)
        if done % 10 == 0 or done == total:
            report(30 + 65 * done // total, _("Saving the tasks"))
    outcome.assigned = assign
    record(
        actor=actor,
        action=AuditEntry.Action.EVENT,
        obj=government,
        after={
            "kind": "ledger_import",
            "file": outcome.filename,
            "tasks": total,
            "assigned": assign,
            "codes": [row.code for row in outcome.rows[:100]],
        },
        note=_("Ledger import of %(file)s: %(count)s tasks.")
        % {"file": outcome.filename, "count": total},
    )
    report(100, _("Saved"))


def _refused(outcome: LedgerOutcome, row: LedgerRow, error: Exception) -> None:
    if isinstance(error, ValidationError):
        message = " ".join(error.messages)
    else:
        message = str(getattr(error, "message", error))
    outcome.issues.append(
        Issue(
            ERROR,
            "refused",
            message,
            row.sheet,
            row.row,
            order=(row.sheet_index, row.row, -1),
        )
    )


@transaction.atomic
def assign_tasks(*, actor: Any, task_ids: Sequence[int], note: str = "") -> int:
    """交办 every draft among the tasks, all or nothing; returns how many were assigned."""
    drafts = Task.objects.filter(pk__in=list(task_ids), state=Task.State.DRAFT).order_by("pk")
    count = 0
    for task in drafts:
        services.perform(actor=actor, task=task, action=TaskEvent.Action.ASSIGN, note=note)
        count += 1
    return count


def describe(issue: Issue, filename: str = "") -> str:
    """台账.xlsx 表1!C5（牵头单位）[error] message — where Excel would show it, then why."""
    place = issue.sheet
    if issue.row:
        place = f"{place}!{issue.column}{issue.row}" if issue.column else f"{place}!{issue.row}"
    if issue.header:
        place += f"（{issue.header}）"
    place = " ".join(p for p in (filename, place) if p)
    kind = _("error") if issue.is_error else _("warning")
    return f"{place} [{kind}] {issue.message}" if place else f"[{kind}] {issue.message}"
