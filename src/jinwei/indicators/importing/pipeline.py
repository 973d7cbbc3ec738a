"""The check: from a file (or an API payload) to a plan of new, changed and unchanged values.

Three steps, so the expensive ones hold no lock:

1. `read_records`: the file's sheets, their tables and columns, the layout, and raw records;
   problems of structure (an unknown column, no period) are reported per column, once.
2. `prepare`: each record resolved (indicator, region or unit, period) and its value checked with
   the shared rules in `jinwei.indicators.validation`, plus rights and duplicates within the file.
   Plain Python over dictionaries loaded once (`Lookups`): no query per row.
3. `settle.settle`: against what is stored (loaded in chunks for the file's keys only): new,
   changed or unchanged; approved values are locked; abnormal swings warn; values behind target
   are either an error (a unit must explain) or an explanation left due (a statistician's import).

A dry run stops after `settle`; the commit (`commit.py`) runs step 3 again inside its transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from jinwei.accounts.models import OrgUnit, Region
from jinwei.indicators import services, validation
from jinwei.indicators.importing.headers import IGNORE, Column, columns_of
from jinwei.indicators.importing.layouts import (
    LAYOUTS,
    Context,
    Record,
    Spec,
    detect,
    unknown_column_message,
)
from jinwei.indicators.importing.lookups import Lookups, Place, split_unit
from jinwei.indicators.importing.readers import Cell, ReadError, read_file
from jinwei.indicators.importing.table import Table, clean, locate
from jinwei.indicators.models import Indicator, Observation
from jinwei.indicators.validation import ERROR, Problem
from jinwei.lib.numbers import MISSING_MARKS
from jinwei.lib.periods import Period

Report = Callable[[int, str], None]
Key = tuple[int, int | None, int | None, str]  # indicator, region, unit, period

VALUE_PLACES = Decimal("0.000001")  # Observation.value: 6 decimal places
GROWTH_PLACES = Decimal("0.0001")  # Observation.growth_rate: 4 decimal places
VALUE_LIMIT = Decimal(10) ** 18
GROWTH_LIMIT = Decimal(10) ** 8
SOURCE_MAX = Observation._meta.get_field("source").max_length or 200
CHUNK = 500


def quiet(percent: int, note: str) -> None:
    return None


@dataclass
class Options:
    government: Region
    actor: Any = None  # None: a system import (the command line without --user): every right
    layout: str = "auto"
    period: str = ""
    mapping: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Issue:
    """A problem with its place in the file: sheet, row (as Excel numbers it), column."""

    severity: str
    code: str
    message: str
    sheet: str = ""
    row: int = 0
    column: str = ""  # the letter, or the API field
    header: str = ""
    order: tuple[int, int, int] = (0, 0, 0)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "header": self.header,
        }


def issue_at(problem: Problem, spec: Spec, row: int, column: Column | None) -> Issue:
    return Issue(
        problem.severity,
        problem.code,
        problem.message,
        spec.sheet,
        row,
        column.letter if column else "",
        column.header if column else "",
        (spec.sheet_index, row, column.position if column else -1),
    )


@dataclass(slots=True)
class Candidate:
    """A record that passed every check of its own: ready to compare with what is stored."""

    key: Key
    indicator: Indicator
    period: Period
    value: Decimal
    growth: Decimal | None
    source: str
    explanation: str
    spec: Spec
    row: int
    place: str  # the region's or unit's name, for messages and the audit trail


@dataclass(slots=True)
class Stored:
    id: int
    value: Decimal
    growth: Decimal | None
    source: str
    explanation: str
    explanation_due: bool
    status: str
    version: int
    batch_id: int | None


@dataclass
class Change:
    stored: Stored
    candidate: Candidate
    fields: dict[str, Any]  # the new values of the fields that change


@dataclass
class Outcome:
    issues: list[Issue] = field(default_factory=list)
    sheets: list[dict[str, Any]] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    new: list[Candidate] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0  # empty or "—" cells of wide and cross-section tables
    explanation_due: set[Key] = field(default_factory=set)
    prepared: int = 0  # issues found before `settle`, which may run again (in the commit)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def ok(self) -> bool:
        return not any(i.is_error for i in self.issues)

    def counts(self) -> dict[str, int]:
        errors = len(self.errors)
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": errors,
            "warnings": len(self.issues) - errors,
            "rows": len(self.candidates),
        }

    def sorted_issues(self) -> list[Issue]:
        return sorted(self.issues, key=lambda i: i.order)


# --- 1. file -> records ---------------------------------------------------------------------------


def read_records(path: Path, options: Options, lookups: Lookups, outcome: Outcome) -> list[Record]:
    """Every raw record of every sheet; structure problems go into `outcome`."""
    try:
        sheets = read_file(path)
    except ReadError as error:
        outcome.issues.append(Issue(ERROR, "unreadable", str(error)))
        return []
    records: list[Record] = []
    for index, sheet in enumerate(sheets):
        table = locate(sheet)
        if table is not None:
            records += _table_records(table, index, options, lookups, outcome)
    if not records and not outcome.issues:
        outcome.issues.append(Issue(ERROR, "empty", _("The file holds no values to import.")))
    return records


def _table_records(
    table: Table, index: int, options: Options, lookups: Lookups, outcome: Outcome
) -> list[Record]:
    row = table.sheet.rows[table.header_index]
    letters = [table.letter(p) for p in range(len(row))]
    columns = columns_of(table.headers, letters, lookups, options.mapping)
    layout = LAYOUTS.get(options.layout) if options.layout != "auto" else detect(columns)
    period = options.period or str(table.title_period() or "")
    context = Context(index, period, _title_indicator(table, lookups))
    summary: dict[str, Any] = {
        "name": table.sheet.name,
        "header_row": table.header_row,
        "title": table.title,
        "layout": layout.name if layout else "",
        "period": period,
        "columns": [
            {"letter": c.letter, "header": c.header, "role": c.role, "mapped": c.mapped}
            for c in columns
        ],
    }
    outcome.sheets.append(summary)

    def structure(code: str, message: str, column: Column | None = None) -> None:
        outcome.issues.append(
            Issue(
                ERROR,
                code,
                message,
                table.sheet.name,
                table.header_row,
                column.letter if column else "",
                column.header if column else "",
                (index, table.header_row, column.position if column else -1),
            )
        )

    if layout is None:
        structure("unknown_layout", _("Cannot tell how this sheet is laid out: map its columns."))
        return []
    for column in columns:
        if not column.role:
            structure("unknown_column", unknown_column_message(column, layout), column)
    for label in layout.missing(columns, context):
        structure(
            "missing_column", _("There is no column for %(field)s: map one.") % {"field": label}
        )
    if any(i.is_error and i.sheet == table.sheet.name for i in outcome.issues):
        return []
    return list(layout.records(table, [c for c in columns if c.role != IGNORE], context))


def _title_indicator(table: Table, lookups: Lookups) -> str:
    """A wide table about one indicator may name it only in its title or sheet name."""
    for text in (table.sheet.name, *table.title.split()):
        indicator = lookups.indicator(text)
        if indicator is not None:
            return indicator.code
    return ""


# --- 2. records -> candidates ---------------------------------------------------------------------


def _cell(cells: list[Cell], column: Column | None) -> Cell:
    if column is None or column.position >= len(cells):
        return ""
    cell = cells[column.position]
    return "" if cell is None else cell


def _is_missing(cell: Cell) -> bool:
    if cell == "":
        return True
    if isinstance(cell, str):
        return cell.replace("\u3000", " ").strip() in MISSING_MARKS
    return False


class _Preparer:
    """Resolves and checks records one by one. Every look-up is memoised per distinct text, so a
    file that names the same indicator, region and period 10,000 times resolves each once."""

    def __init__(self, lookups: Lookups, options: Options, outcome: Outcome) -> None:
        self.lookups = lookups
        self.options = options
        self.outcome = outcome
        self.indicators: dict[Cell, tuple[Indicator | None, str]] = {}
        self.places: dict[Cell, list[Place]] = {}
        self.periods: dict[tuple[int, Cell], tuple[Period | None, str, Problem | None]] = {}
        self.factors: dict[tuple[int, str], Decimal | None] = {}
        self.rights: dict[tuple[int, int | None], bool] = {}
        self.seen: dict[Key, tuple[Spec, int]] = {}
        self.texts: dict[Cell, str] = {"": ""}

    def text(self, cells: list[Cell], column: Column | None) -> str:
        """A cell as cleaned text (source, explanation, unit): memoised, they repeat."""
        cell = _cell(cells, column)
        found = self.texts.get(cell)
        if found is None:
            found = self.texts[cell] = clean(cell)
        return found

    def error(self, spec: Spec, row: int, column: Column | None, code: str, message: str) -> None:
        self.outcome.issues.append(issue_at(Problem(ERROR, code, message), spec, row, column))

    def problem(self, problem: Problem, spec: Spec, row: int, column: Column | None) -> None:
        self.outcome.issues.append(issue_at(problem, spec, row, column))

    def indicator(self, text: Cell) -> tuple[Indicator | None, str]:
        found = self.indicators.get(text)
        if found is None:
            unit = split_unit(text)[1] if isinstance(text, str) else ""
            found = self.indicators[text] = (self.lookups.indicator(text), unit)
        return found

    def place(self, spec: Spec, row: int, cells: list[Cell]) -> Place | None:
        if spec.unit_id is not None and _cell(cells, spec.unit_id) != "":
            unit_id = _cell(cells, spec.unit_id)
            place = self.lookups.unit_places.get(unit_id)
            if place is None:
                message = _("Unknown unit id %(id)s.") % {"id": unit_id}
                self.error(spec, row, spec.unit_id, "unknown_place", message)
            return place
        text = _cell(cells, spec.where)
        options = self.places.get(text)
        if options is None:
            options = [self.lookups.home()] if text == "" else self.lookups.place(text)
            self.places[text] = options
        if len(options) == 1:
            return options[0]
        if not options:
            message = _("Unknown region or unit “%(name)s”.") % {"name": text}
            self.error(spec, row, spec.where, "unknown_place", message)
        else:
            names = "、".join(sorted(p.label for p in options))
            message = _("“%(name)s” could mean %(options)s: write the code instead.") % {
                "name": text,
                "options": names,
            }
            self.error(spec, row, spec.where, "ambiguous_place", message)
        return None

    def period(self, indicator: Indicator, raw: Cell) -> tuple[Period | None, str, Problem | None]:
        memo = (indicator.id, raw)
        found = self.periods.get(memo)
        if found is None:
            if raw == "":
                missing = Problem(ERROR, "missing_period", _("The period is missing."), "period")
                found = (None, "", missing)
            else:
                period, problem = validation.check_period(indicator, raw)
                found = (period, str(period) if period else "", problem)
            self.periods[memo] = found
        return found

    def value(
        self, indicator: Indicator, raw: Cell, unit: str
    ) -> tuple[Decimal | None, list[Problem]]:
        """`validation.check_value`; a plain number (most cells) skips its text parsing but not
        its unit and range rules."""
        if type(raw) is float or type(raw) is int:
            memo = (indicator.id, unit)
            if memo not in self.factors:
                self.factors[memo] = validation.unit_factor(unit, indicator.unit)
            factor = self.factors[memo]
            if factor is not None and raw == raw:  # not NaN
                value = Decimal(repr(raw)) if type(raw) is float else Decimal(raw)
                if factor != 1:
                    value *= factor
                if indicator.valid_min is None and indicator.valid_max is None:
                    return value, []
                problems = validation.check_range(indicator, value)
                return (None if problems else value), problems
        checked = validation.check_value(indicator, raw, source_unit=unit)
        return (checked.value if checked.ok else None), checked.problems

    def may_enter(self, indicator: Indicator, place: Place) -> bool:
        if self.options.actor is None:
            return True
        memo = (indicator.id, place.unit_id)
        allowed = self.rights.get(memo)
        if allowed is None:
            unit = OrgUnit(pk=place.unit_id) if place.unit_id is not None else None
            allowed = services.may_enter(self.options.actor, indicator, unit)
            self.rights[memo] = allowed
        return allowed

    def prepare(self, spec: Spec, row: int, cells: list[Cell]) -> Candidate | None:
        raw_value = _cell(cells, spec.value)
        if spec.skip_missing and _is_missing(raw_value):
            self.outcome.skipped += 1
            return None
        indicator_at, text = spec.indicator_at, spec.indicator
        for column in spec.indicators:
            cell = _cell(cells, column)
            indicator_at = column
            if cell != "":
                text = cell
                break
        indicator, text_unit = self.indicator(text)
        if indicator is None:
            self._unknown_indicator(spec, row, indicator_at, text)
            return None
        place = self.place(spec, row, cells)
        raw_period = _cell(cells, spec.period) if spec.period is not None else spec.period_text
        period, period_text, period_problem = self.period(indicator, raw_period)
        if period_problem is not None:
            self.problem(period_problem, spec, row, spec.period)
        unit = self.text(cells, spec.measure) or spec.unit or text_unit or spec.fallback_unit
        value, problems = self.value(indicator, raw_value, unit)
        for problem in problems:
            self.problem(problem, spec, row, spec.value)
        growth = None
        raw_growth = _cell(cells, spec.growth)
        if type(raw_growth) is float and raw_growth == raw_growth:  # a number, not NaN
            growth = Decimal(repr(raw_growth))
        elif raw_growth != "":
            growth, growth_problem = validation.check_growth_rate(raw_growth)
            if growth_problem is not None:
                self.problem(growth_problem, spec, row, spec.growth)
                return None
        if place is None or period is None or value is None:
            return None
        return self._finish(spec, row, cells, indicator, place, period, period_text, value, growth)

    def _unknown_indicator(self, spec: Spec, row: int, column: Column | None, text: Cell) -> None:
        if text == "":
            self.error(spec, row, column, "missing_indicator", _("The indicator is missing."))
            return
        message = _(
            "Unknown indicator “%(name)s”: no indicator of %(government)s has this "
            "code, name or alias."
        ) % {"name": text, "government": self.lookups.government.name}
        self.error(spec, row, column, "unknown_indicator", message)

    def _finish(
        self,
        spec: Spec,
        row: int,
        cells: list[Cell],
        indicator: Indicator,
        place: Place,
        period: Period,
        period_text: str,
        value: Decimal,
        growth: Decimal | None,
    ) -> Candidate | None:
        if not -VALUE_LIMIT < value < VALUE_LIMIT:
            message = _("%(value)s is too large to store.") % {"value": _cell(cells, spec.value)}
            self.error(spec, row, spec.value, "too_large", message)
            return None
        value = value.quantize(VALUE_PLACES, ROUND_HALF_UP)
        if growth is not None:
            if not -GROWTH_LIMIT < growth < GROWTH_LIMIT:
                message = _("%(value)s is too large to store.") % {
                    "value": _cell(cells, spec.growth)
                }
                self.error(spec, row, spec.growth, "too_large", message)
                return None
            growth = growth.quantize(GROWTH_PLACES, ROUND_HALF_UP)
        source = self.text(cells, spec.source)
        if len(source) > SOURCE_MAX:
            message = _("The source is longer than %(max)s characters.") % {"max": SOURCE_MAX}
            self.error(spec, row, spec.source, "source_too_long", message)
            return None
        allowed = self.rights.get((indicator.id, place.unit_id))
        if allowed is None:
            allowed = self.may_enter(indicator, place)
        if not allowed:
            message = _("You may not import %(indicator)s: it belongs to %(unit)s.") % {
                "indicator": indicator.name,
                "unit": indicator.owner_unit.name,
            }
            self.error(spec, row, spec.indicators[0] if spec.indicators else spec.indicator_at,
                       "not_allowed", message)  # fmt: skip
            return None
        key: Key = (indicator.id, place.region_id, place.unit_id, period_text)
        first = self.seen.get(key)
        if first is not None:
            message = _(
                "%(indicator)s, %(place)s, %(period)s appears twice: also at %(where)s."
            ) % {
                "indicator": indicator.name,
                "place": place.label,
                "period": period_text,
                "where": _where(*first),
            }
            self.error(spec, row, spec.value, "duplicate", message)
            return None
        self.seen[key] = (spec, row)
        explanation = self.text(cells, spec.explanation)
        return Candidate(
            key, indicator, period, value, growth, source, explanation, spec, row, place.label
        )


def _where(spec: Spec, row: int) -> str:
    if not spec.sheet:
        return _("item %(index)s") % {"index": row}
    return _("sheet %(sheet)s row %(row)s") % {"sheet": spec.sheet, "row": row}


def prepare(
    records: Iterable[Record],
    lookups: Lookups,
    options: Options,
    outcome: Outcome,
    report: Report = quiet,
    span: tuple[int, int] = (0, 100),
    total: int = 0,
) -> None:
    preparer = _Preparer(lookups, options, outcome)
    step = max(total // 20, 5000)
    low, high = span
    note = _("Checking values")
    append = outcome.candidates.append
    for number, (spec, row, cells) in enumerate(records):
        if number % step == 0 and total:
            report(low + (high - low) * number // total, note)
        candidate = preparer.prepare(spec, row, cells)
        if candidate is not None:
            append(candidate)
    outcome.prepared = len(outcome.issues)


def read_and_prepare(
    path: Path, options: Options, report: Report = quiet, span: tuple[int, int] = (0, 80)
) -> Outcome:
    """Steps 1 and 2: everything that needs no stored observation."""
    outcome = Outcome()
    low, high = span
    report(low, _("Reading the file"))
    lookups = Lookups.load(options.government)
    records = read_records(path, options, lookups, outcome)
    report(low + (high - low) // 4, _("Checking values"))
    span = (low + (high - low) // 4, high)
    prepare(records, lookups, options, outcome, report, span, total=len(records))
    return outcome
