"""The dry run: every sheet of the file read, every row checked; nothing is written.

A sheet with a month column is read as monthly reports, one with project columns as projects
(`columns.sheet_kind`); a file may hold either or both, and a CSV file one of them. Cells are
read here, row by row, with no query (`Context` loads the names once); `settle` then compares
the rows with what is stored, loaded in chunks for the file's codes only. Every problem is an
`Issue` placed at its sheet, row (as Excel numbers it) and column, in the user's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.access import grants_for
from jinwei.accounts.models import Region
from jinwei.indicators.importing.headers import Column
from jinwei.indicators.importing.pipeline import Issue
from jinwei.indicators.importing.readers import Cell, ReadError, read_file
from jinwei.indicators.importing.table import Table, clean, is_empty, locate
from jinwei.indicators.validation import ERROR, WARNING
from jinwei.projects import access
from jinwei.projects.importing import columns as c
from jinwei.projects.importing import values
from jinwei.projects.importing.rows import ImportOutcome, ProjectRow, ReportRow
from jinwei.projects.importing.settle import settle
from jinwei.projects.models import Project
from jinwei.tasks.ledger_cells import Bad, cell_text, limited, parse_date

Report = Callable[[int, str], None]


def quiet(percent: int, note: str) -> None:
    return None


@dataclass
class Context:
    """Who imports into which government, and the names of that government, loaded once."""

    government: Region
    actor: Any  # None: the command line without --user, which has every right
    catalogue: values.Catalogue
    today: datetime.date
    manages: bool
    unit_ids: frozenset[int] = frozenset()

    @classmethod
    def load(cls, government: Region, actor: Any, today: datetime.date) -> Context:
        manages = actor is None or access.may_manage(actor, government.pk)
        acting = {
            unit_id
            for unit_id, roles in grants_for(actor).roles_by_unit.items()
            if roles - access.ACTING_EXCLUDED
        }
        catalogue = values.Catalogue.load(government)
        return cls(government, actor, catalogue, today, manages, frozenset(acting))

    def may_report(self, project: Project) -> bool:
        return self.manages or project.lead_unit_id in self.unit_ids


def may_import_projects(user: Any, government_id: int) -> bool:
    """Projects are created and changed by the managers (investment staff, supervisors)."""
    return access.may_manage(user, government_id)


def may_import_reports(user: Any, government_id: int) -> bool:
    """Monthly reports: the managers, and the staff of units (for the projects their unit leads)."""
    roles = grants_for(user).roles_by_government.get(government_id, frozenset())
    return may_import_projects(user, government_id) or bool(roles - access.ACTING_EXCLUDED)


# --- sheets and columns -----------------------------------------------------------------------


@dataclass
class SheetReader:
    """One table being read: its kind, its columns by field, and where problems go."""

    table: Table
    index: int
    outcome: ImportOutcome
    kind: str = ""
    columns: dict[str, Column] = field(default_factory=dict)
    factors: dict[str, Decimal] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.table.sheet.name

    def issue(
        self, code: str, message: str, row: int, column: Column | None, severity: str = ERROR
    ) -> None:
        self.outcome.add(
            Issue(
                severity,
                code,
                message,
                self.name,
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


def read_columns(table: Table, index: int, outcome: ImportOutcome) -> SheetReader | None:
    """The sheet's kind and columns; None (with a warning) when it holds neither projects nor
    reports."""
    sheet = SheetReader(table, index, outcome)
    found: list[tuple[Column, c.Recognised | None]] = []
    for position, header in enumerate(table.headers):
        if header:
            column = Column(position, table.letter(position), header)
            found.append((column, c.recognise(header)))
    sheet.kind = c.sheet_kind({r.field for _column, r in found if r is not None})
    if not sheet.kind:
        sheet.issue(
            "not_a_project_sheet",
            _("Sheet skipped: it has no column of projects or of monthly reports (%(headers)s).")
            % {"headers": "、".join(dict.fromkeys(c.HEADERS.values()))},
            table.header_row,
            None,
            WARNING,
        )
        return None
    for column, recognised in found:
        _take_column(sheet, column, recognised)
    required = (c.CODE,) if sheet.kind == c.PROJECTS_SHEET else (c.CODE, c.MONTH)
    for name in required:
        if name not in sheet.columns:
            sheet.issue(
                "missing_column",
                _("There is no column “%(header)s”.") % {"header": c.HEADERS[name]},
                table.header_row,
                None,
            )
    return sheet


def _take_column(sheet: SheetReader, column: Column, recognised: c.Recognised | None) -> None:
    row = sheet.table.header_row
    allowed = c.PROJECT_FIELDS if sheet.kind == c.PROJECTS_SHEET else c.REPORT_FIELDS
    name = recognised.field if recognised else ""
    if sheet.kind == c.PROJECTS_SHEET and name.startswith(c.PLAN_PREFIX):
        allowed = allowed | {name}
    if name == c.IGNORE:
        return
    if name not in allowed:
        sheet.issue(
            "unknown_column",
            _("Column “%(header)s” is not a column of the %(sheet)s sheet and is not imported.")
            % {"header": column.header, "sheet": c.SHEET_NAMES[sheet.kind]},
            row,
            column,
            WARNING,
        )
    elif name in sheet.columns:
        sheet.issue(
            "duplicate_column",
            _("Two columns hold the same thing: %(first)s and %(second)s.")
            % {"first": sheet.columns[name].label(), "second": column.header},
            row,
            column,
        )
    elif recognised is not None and not recognised.factor:
        sheet.issue(
            "bad_unit",
            _("Amounts cannot be in %(unit)s: write them in 万元 (or 亿元).")
            % {"unit": recognised.unit},
            row,
            column,
        )
    else:
        sheet.columns[name] = column
        if recognised is not None:
            sheet.factors[name] = recognised.factor


# --- cells ------------------------------------------------------------------------------------

CellReader = Callable[[Cell, Context, Decimal], Any]


def _text(name: str) -> CellReader:
    model_field = Project._meta.get_field(name)
    limit = getattr(model_field, "max_length", None) or 200
    return lambda cell, ctx, factor: limited(cell, limit=limit)


def _date(cell: Cell, ctx: Context, factor: Decimal) -> datetime.date | None:
    return parse_date(cell)


def _amount(cell: Cell, ctx: Context, factor: Decimal) -> Decimal | None:
    return values.amount(cell, factor)


PROJECT_READERS: dict[str, CellReader] = {
    c.CODE: _text("code"),
    c.NAME: _text("name"),
    c.KIND: lambda cell, ctx, factor: values.kind(cell),
    c.PARK: lambda cell, ctx, factor: ctx.catalogue.park(clean(cell)),
    c.CHAIN_LINK: lambda cell, ctx, factor: ctx.catalogue.link(clean(cell)),
    c.INVESTOR: _text("investor"),
    c.TOTAL: _amount,
    c.LEAD_UNIT: lambda cell, ctx, factor: ctx.catalogue.unit(clean(cell)),
    c.LEADER: lambda cell, ctx, factor: ctx.catalogue.leader(clean(cell)),
    c.STAGE: lambda cell, ctx, factor: values.stage(cell),
    c.PLANNED_START: _date,
    c.PLANNED_COMPLETION: _date,
    c.PLANNED_PRODUCTION: _date,
    c.SIGNED_ON: _date,
    c.STARTED_ON: _date,
    c.COMPLETED_ON: _date,
    c.PRODUCTION_ON: _date,
    c.TOWN: lambda cell, ctx, factor: ctx.catalogue.town(clean(cell)),
    c.ADDRESS: _text("address"),
    c.PLOT: _text("plot"),
}
REPORT_READERS: dict[str, CellReader] = {
    c.CODE: _text("code"),
    c.NAME: _text("name"),
    c.MONTH: lambda cell, ctx, factor: values.month(cell, ctx.today),
    c.AMOUNT: _amount,
    c.PROGRESS: lambda cell, ctx, factor: values.percent(cell),
    c.PROGRESS_TEXT: lambda cell, ctx, factor: cell_text(cell),
    c.PROBLEMS: lambda cell, ctx, factor: cell_text(cell),
}


def read_cells(
    sheet: SheetReader, cells: list[Cell], row: int, ctx: Context
) -> tuple[dict[str, Any], bool]:
    """(field -> value of every filled cell that could be read, whether one could not)."""
    readers = PROJECT_READERS if sheet.kind == c.PROJECTS_SHEET else REPORT_READERS
    found: dict[str, Any] = {}
    failed = False
    for name, column in sheet.columns.items():
        cell = cells[column.position] if column.position < len(cells) else ""
        if is_empty(cell):
            continue
        reader = readers.get(name) or _amount  # the rest are the annual plans
        try:
            value = reader(cell, ctx, sheet.factors.get(name, Decimal(1)))
        except Bad as bad:
            failed = True
            sheet.issue(f"bad_{name.split(':')[0]}", str(bad), row, column)
            continue
        if value not in (None, ""):
            found[name] = value
    return found, failed


def _missing(sheet: SheetReader, row: int, name: str) -> None:
    column = sheet.columns.get(name)
    sheet.issue(
        "missing_value",
        _("“%(header)s” is empty.") % {"header": column.header if column else c.HEADERS[name]},
        row,
        column,
    )


def read_project(
    sheet: SheetReader, cells: list[Cell], row: int, ctx: Context
) -> ProjectRow | None:
    found, failed = read_cells(sheet, cells, row, ctx)
    if c.CODE not in found:
        if not failed:
            _missing(sheet, row, c.CODE)
        return None
    plans = {
        int(name.removeprefix(c.PLAN_PREFIX)): found.pop(name)
        for name in list(found)
        if name.startswith(c.PLAN_PREFIX)
    }
    if failed:
        return ProjectRow(sheet, row, found[c.CODE], failed=True)
    return ProjectRow(sheet, row, found.pop(c.CODE), given=found, plans=plans)


def read_report(sheet: SheetReader, cells: list[Cell], row: int, ctx: Context) -> ReportRow | None:
    found, failed = read_cells(sheet, cells, row, ctx)
    for name in (c.CODE, c.MONTH):
        if name not in found and not failed:
            _missing(sheet, row, name)
            failed = True
    if failed:
        return None
    code, period, name = found.pop(c.CODE), found.pop(c.MONTH), found.pop(c.NAME, "")
    return ReportRow(sheet, row, code, period, name=name, given=found)


# --- the whole file ---------------------------------------------------------------------------


@dataclass
class Read:
    """The rows as read, before `settle`; project rows that failed are kept (code only) so
    reports on them are not taken for reports on unknown projects."""

    projects: list[ProjectRow] = field(default_factory=list)
    reports: list[ReportRow] = field(default_factory=list)


def check_file(
    path: Path,
    *,
    government: Region,
    actor: Any = None,
    filename: str = "",
    report: Report = quiet,
    today: datetime.date | None = None,
) -> ImportOutcome:
    """The dry run: what would be created and changed, and every problem; nothing is written."""
    outcome = ImportOutcome(filename=filename or path.name)
    report(0, _("Reading the file"))
    try:
        sheets = read_file(path)
    except ReadError as error:
        outcome.error("unreadable", str(error))
        return outcome
    ctx = Context.load(government, actor, today or timezone.localdate())
    read = _read_tables(sheets, ctx, outcome, report)
    report(80, _("Comparing with the stored projects"))
    settle(read, ctx, outcome)
    if not outcome.projects and not outcome.reports and not outcome.errors:
        outcome.error("empty", _("The file holds no projects and no monthly reports to import."))
    report(100, _("Checked"))
    return outcome


def _read_tables(sheets: list[Any], ctx: Context, outcome: ImportOutcome, report: Report) -> Read:
    tables = [(i, t) for i, t in enumerate(locate(s) for s in sheets) if t is not None]
    total = sum(len(t.body()) for _i, t in tables) or 1
    read, done = Read(), 0
    for index, table in tables:
        sheet = read_columns(table, index, outcome)
        if sheet is None:
            continue
        outcome.sheets.append(sheet.name)
        if any(i.code == "missing_column" and i.sheet == sheet.name for i in outcome.issues):
            continue
        body = [table.sheet.rows[p] for p in table.body()]
        if not any(not is_empty(cell) for cells in body for cell in cells):
            continue
        if sheet.kind == c.PROJECTS_SHEET and not ctx.manages:
            sheet.issue(
                "may_not_import_projects",
                _("Only investment staff and the supervising office import projects; "
                  "this sheet cannot be imported by you."),
                table.header_row,
                None,
            )  # fmt: skip
            continue
        reader = read_project if sheet.kind == c.PROJECTS_SHEET else read_report
        rows: list[Any] = read.projects if sheet.kind == c.PROJECTS_SHEET else read.reports
        for position in table.body():
            cells = table.sheet.rows[position]
            done += 1
            if done % 50 == 0:
                report(5 + 75 * done // total, _("Checking the rows"))
            if all(is_empty(cell) for cell in cells):
                continue
            row = reader(sheet, cells, table.excel_row(position), ctx)
            if row is not None:
                rows.append(row)
    return read
