"""The check: from a file (or an API payload) to a plan of new, changed and unchanged values.

Three steps, so the expensive ones hold no lock:

1. `read_records`: the file's sheets, their tables and columns, the layout, and raw records;
   problems of structure (an unknown column, no period) are reported per column, once.
2. `prepare`: each record resolved (indicator, region or unit, period) and its value checked with
   the shared rules in `jinwei.indicators.validation`, plus rights and duplicates within the file.
   Plain Python over dictionaries loaded once (`Lookups`): no query per row. Column by column
   first (`_Preparer.resolve`: names, periods and units looked up once per distinct text, numbers
   converted in bulk); a row with anything to report goes through the row-by-row check
   (`_Preparer.prepare`), which words every problem.
3. `settle.settle`: against what is stored (loaded in chunks for the file's keys only): new,
   changed or unchanged; approved values are locked; abnormal swings warn; values behind target
   are either an error (a unit must explain) or an explanation left due (a statistician's import).

A dry run stops after `settle`; the commit (`commit.py`) runs step 3 again inside its transaction.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from math import isfinite
from operator import itemgetter
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
FLOAT_LIMIT = 1e18  # VALUE_LIMIT: floats below it have Decimals below it (rounding is monotonic)
SOURCE_MAX = Observation._meta.get_field("source").max_length or 200
CHUNK = 500


def quiet(percent: int, note: str) -> None:
    return None


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while an import builds its hundreds of thousands of small
    objects (none of them cyclic garbage): the collector would walk them all again and again.
    Reference counting still frees everything; the collector's state is restored after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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


def _column(cells: list[list[Cell]], column: Column | None) -> list[Cell]:
    """One column of `cells` as a list, "" for an empty or absent cell (as `_cell` reads it)."""
    if column is None:
        return [""] * len(cells)
    position = column.position
    try:
        values = list(map(itemgetter(position), cells))
    except IndexError:  # ragged rows (CSV, the API)
        values = [row[position] if position < len(row) else "" for row in cells]
    if None in values:
        values = ["" if v is None else v for v in values]
    return values


def _numbers(cells: list[Cell]) -> tuple[list[Decimal | None], list[Decimal | None]]:
    """For a column of values: the Decimal of each number cell as `_Preparer.value` makes it
    (None for text, NaN and other cells), and the same rounded to the column's scale where that
    is already safe (None elsewhere). A column of ordinary floats converts in bulk, in C."""
    count = len(cells)
    floats = set(map(type, cells)) == {float} and all(map(isfinite, cells))
    exact: list[Decimal | None]
    if floats and max(map(abs, cells)) < FLOAT_LIMIT:
        decimals = list(map(Decimal, map(repr, cells)))
        return list(decimals), list(map(_round_value, decimals))
    exact = [
        Decimal(repr(c)) if type(c) is float and c == c else Decimal(c) if type(c) is int else None
        for c in cells
    ]
    return exact, [None] * count


def _round_value(value: Decimal) -> Decimal:
    return value.quantize(VALUE_PLACES, ROUND_HALF_UP)


def _growth(raw: Cell) -> tuple[bool, Decimal | None]:
    """A growth-rate cell as `_Preparer.prepare` reads it: (usable, rate rounded to the
    column's scale); not usable when `prepare` has a problem to report."""
    if raw == "":
        return True, None
    if type(raw) is float and raw == raw:
        growth: Decimal | None = Decimal(repr(raw))
    else:
        growth, problem = validation.check_growth_rate(raw)
        if problem is not None:
            return False, None
    if growth is None:
        return True, None
    if not -GROWTH_LIMIT < growth < GROWTH_LIMIT:
        return False, None
    return True, growth.quantize(GROWTH_PLACES, ROUND_HALF_UP)


# What `_Preparer.resolve` finds for a record: key, indicator, period, value, growth rate, source,
# explanation and the place's name; None for a record to check row by row.
Resolved = tuple[Key, Indicator, Period, Decimal, Decimal | None, str, str, str] | None


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
        self.texts_memo: dict[Cell, str] = {"": ""}

    def text(self, cells: list[Cell], column: Column | None) -> str:
        """A cell as cleaned text (source, explanation, unit): memoised, they repeat."""
        cell = _cell(cells, column)
        found = self.texts_memo.get(cell)
        if found is None:
            found = self.texts_memo[cell] = clean(cell)
        return found

    def texts(self, cells: list[list[Cell]], column: Column | None) -> list[str]:
        """`text` for a whole column: each distinct cell cleaned once."""
        values = _column(cells, column)
        memo = self.texts_memo
        for cell in set(values).difference(memo):
            memo[cell] = clean(cell)
        return list(map(memo.__getitem__, values))

    def resolve(self, spec: Spec, cells: list[list[Cell]]) -> list[Resolved]:
        """The records of one Spec, column by column: what `prepare` would make of each record
        that passes every check of its own, or None where `prepare` has something to say (an
        unknown name, a bad or missing value, a value to skip, a right missing...). Names,
        periods and units are looked up once per distinct text; the rules are the same."""
        count = len(cells)
        if spec.unit_id is not None:  # the API's unit ids: a few records, row by row
            return [None] * count
        names = self._indicator_texts(spec, cells)
        indicator_of = {text: self.indicator(text) for text in set(names)}
        wheres = _column(cells, spec.where)
        place_of = {text: self._only_place(text) for text in set(wheres)}
        if spec.period is not None:
            raw_periods = _column(cells, spec.period)
        else:
            raw_periods = [spec.period_text] * count
        measures = self.texts(cells, spec.measure)
        sources = self.texts(cells, spec.source)
        explanations = self.texts(cells, spec.explanation)
        values = _column(cells, spec.value)
        exact, rounded = _numbers(values)
        growths = _column(cells, spec.growth)
        periods, factors, rights = self.periods, self.factors, self.rights
        growth_of: dict[Cell, tuple[bool, Decimal | None]] = {}
        fixed_unit, fallback_unit = spec.unit, spec.fallback_unit
        resolved: list[Resolved] = []
        append = resolved.append
        columns = zip(
            names, wheres, raw_periods, measures, values, exact, rounded, growths, sources,
            explanations, strict=True,
        )  # fmt: skip
        for (
            name,
            where,
            raw_period,
            measure,
            raw,
            number,
            ready,
            raw_growth,
            source,
            note,
        ) in columns:
            indicator, name_unit = indicator_of[name]
            place = place_of[where]
            if indicator is None or place is None or len(source) > SOURCE_MAX:
                append(None)
                continue
            found = periods.get((indicator.id, raw_period))
            if found is None:
                found = self.period(indicator, raw_period)
            period, period_text, problem = found
            if period is None or problem is not None:
                append(None)
                continue
            unit = measure or fixed_unit or name_unit or fallback_unit
            if number is not None:  # a number cell, as `value` reads it
                factor = factors.get((indicator.id, unit), 0)
                if factor == 0:
                    factor = factors[(indicator.id, unit)] = validation.unit_factor(
                        unit, indicator.unit
                    )
                if factor is None:
                    append(None)
                    continue
                value = number if factor == 1 else number * factor
                if (indicator.valid_min is not None or indicator.valid_max is not None) and (
                    validation.check_range(indicator, value)
                ):
                    append(None)
                    continue
                if ready is None or factor != 1:
                    if not -VALUE_LIMIT < value < VALUE_LIMIT:
                        append(None)
                        continue
                    ready = value.quantize(VALUE_PLACES, ROUND_HALF_UP)
            elif spec.skip_missing and _is_missing(raw):
                append(None)
                continue
            else:  # text: "1,234.5", "５％"...
                checked = validation.check_value(indicator, raw, source_unit=unit)
                text_value = checked.value
                if (
                    checked.problems
                    or text_value is None
                    or not -VALUE_LIMIT < text_value < VALUE_LIMIT
                ):
                    append(None)
                    continue
                ready = text_value.quantize(VALUE_PLACES, ROUND_HALF_UP)
            growth_ok = growth_of.get(raw_growth)
            if growth_ok is None:
                growth_ok = growth_of[raw_growth] = _growth(raw_growth)
            usable, growth = growth_ok
            if not usable:
                append(None)
                continue
            allowed = rights.get((indicator.id, place.unit_id))
            if allowed is None:
                allowed = self.may_enter(indicator, place)
            if not allowed:
                append(None)
                continue
            key = (indicator.id, place.region_id, place.unit_id, period_text)
            append((key, indicator, period, ready, growth, source, note, place.label))
        return resolved

    def _indicator_texts(self, spec: Spec, cells: list[list[Cell]]) -> list[Cell]:
        """Per record, the text naming its indicator: the first filled indicator column, else
        the Spec's own indicator (as `prepare` reads it)."""
        if not spec.indicators:
            return [spec.indicator] * len(cells)
        names = _column(cells, spec.indicators[0])
        for column in spec.indicators[1:]:
            if "" not in names:
                break
            others = _column(cells, column)
            names = [
                name if name != "" else other for name, other in zip(names, others, strict=True)
            ]
        if "" in names and spec.indicator:
            names = [name if name != "" else spec.indicator for name in names]
        return names

    def _only_place(self, text: Cell) -> Place | None:
        """The place `text` names if it names exactly one (`place` reports the others)."""
        options = self.places.get(text)
        if options is None:
            options = [self.lookups.home()] if text == "" else self.lookups.place(text)
            self.places[text] = options
        return options[0] if len(options) == 1 else None

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
    """Records to candidates: `_Preparer.resolve` for each Spec's records at once, then, in the
    records' order, duplicates within the file and the row-by-row check of every record that
    `resolve` left (so problems and "also at" name the same rows as a row-by-row pass would)."""
    records = records if isinstance(records, list) else list(records)
    total = len(records)
    preparer = _Preparer(lookups, options, outcome)
    low, high = span
    middle = low + (high - low) // 2
    note = _("Checking values")
    resolved = _resolve_all(preparer, records)
    report(middle, note)
    seen = preparer.seen
    candidates = outcome.candidates
    append = candidates.append
    step = max(total // 10, 5000)
    for start in range(0, total, step):
        for (spec, row, cells), found in zip(
            records[start : start + step], resolved[start : start + step], strict=True
        ):
            if found is not None:
                key = found[0]
                if key not in seen:
                    seen[key] = (spec, row)
                    append(Candidate(key, found[1], found[2], found[3], found[4], found[5],
                                     found[6], spec, row, found[7]))  # fmt: skip
                    continue
            candidate = preparer.prepare(spec, row, cells)  # says what is wrong with it
            if candidate is not None:
                append(candidate)
        report(middle + (high - middle) * min(total, start + step) // total, note)
    outcome.prepared = len(outcome.issues)


def _resolve_all(preparer: _Preparer, records: list[Record]) -> list[Resolved]:
    """`_Preparer.resolve` over the records of each Spec (a long table has one Spec; wide and
    cross-section tables one per value column), put back in the records' order."""
    if not records:
        return []
    first = records[0][0]
    if all(record[0] is first for record in records):
        return preparer.resolve(first, [record[2] for record in records])
    groups: dict[int, list[int]] = {}
    for index, record in enumerate(records):
        groups.setdefault(id(record[0]), []).append(index)
    resolved: list[Resolved] = [None] * len(records)
    for indexes in groups.values():
        spec = records[indexes[0]][0]
        found = preparer.resolve(spec, [records[i][2] for i in indexes])
        for index, item in zip(indexes, found, strict=True):
            resolved[index] = item
    return resolved


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
