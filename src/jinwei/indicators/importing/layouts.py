"""The table layouts an import understands, each turning a table into raw records.

Layouts are registered like the readers: the built-ins (long, wide, cross-section) register the
same way a new one would. Each says how well it fits a header (`fits`), what is missing for it to
work (`missing`), and yields one `Record` per value: a `Spec` saying which cell holds what, the row
number and the row's cells. Records are raw: the pipeline resolves names and checks values, so
every layout gets the same rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinwei.indicators.importing.headers import (
    EXPLANATION,
    FIELDS,
    GROWTH,
    INDICATOR,
    MEASURE,
    PERIOD,
    SOURCE,
    VALUE,
    WHERE,
    Column,
)
from jinwei.indicators.importing.lookups import split_unit
from jinwei.indicators.importing.readers import Cell
from jinwei.indicators.importing.table import Table


@dataclass(eq=False)
class Spec:
    """How to read one observation out of a row: which cell holds what, or what holds for every
    row (the indicator of a cross-section column, the period of a wide table's column).

    A layout makes a few Specs per sheet and yields `(spec, row number, cells)` per observation,
    so a file of 100,000 values costs 100,000 small tuples, not 100,000 objects.
    """

    sheet: str
    sheet_index: int
    value: Column
    indicators: tuple[Column, ...] = ()  # the first filled one names the indicator
    indicator: str = ""  # ... or this names it for every row
    indicator_at: Column | None = None  # where a problem with a fixed indicator is shown
    where: Column | None = None  # empty cell, or no column: the government itself
    unit_id: Column | None = None  # the API's unit id
    period: Column | None = None
    period_text: str = ""  # for every row, when there is no period column
    growth: Column | None = None
    source: Column | None = None
    explanation: Column | None = None
    measure: Column | None = None  # the unit of measure, per row
    unit: str = ""  # the unit written in the value column's header
    fallback_unit: str = ""  # the title's "单位：亿元"
    skip_missing: bool = False  # wide and cross-section tables leave cells empty for "no data"


Record = tuple[Spec, int, list[Cell]]  # how to read it, its row (as Excel numbers it), its cells


@dataclass
class Context:
    sheet_index: int
    period: str  # the period given for the whole file (option, or the sheet's title)
    title_indicator: str  # an indicator named by the sheet's title or name (wide tables)


@dataclass
class Layout:
    name: str
    label: str | Promise
    fits: Callable[[list[Column]], bool]
    missing: Callable[[list[Column], Context], list[str]]  # labels of required roles not present
    records: Callable[[Table, list[Column], Context], Iterator[Record]]
    description: str | Promise = ""


LAYOUTS: dict[str, Layout] = {}


def register_layout(layout: Layout) -> Layout:
    LAYOUTS[layout.name] = layout
    return layout


def detect(columns: list[Column]) -> Layout | None:
    """The first registered layout that fits the header, or None."""
    return next((layout for layout in LAYOUTS.values() if layout.fits(columns)), None)


def _first(columns: list[Column], role: str) -> Column | None:
    return next((c for c in columns if c.role == role), None)


def _all(columns: list[Column], role: str) -> list[Column]:
    return [c for c in columns if c.role == role]


def _rows(table: Table) -> list[tuple[int, list[Cell]]]:
    """(Excel row number, cells) of each body row that is not blank (one comprehension: this
    runs over every row of the file)."""
    body = table.body()
    offset = table.excel_row(0)
    return [
        (offset + index, row)
        for index, row in enumerate(table.sheet.rows[body.start : body.stop], body.start)
        if row.count("") + row.count(None) < len(row)  # counted in C
    ]


# --- long: one observation per row --------------------------------------------------------------


def _long_fits(columns: list[Column]) -> bool:
    return _first(columns, VALUE) is not None


def _long_missing(columns: list[Column], context: Context) -> list[str]:
    needed = [INDICATOR, VALUE] + ([] if context.period else [PERIOD])
    return [str(FIELDS[role]) for role in needed if _first(columns, role) is None]


def _long_records(table: Table, columns: list[Column], context: Context) -> Iterator[Record]:
    value = _first(columns, VALUE)
    assert value is not None  # noqa: S101 (`missing` asked for it)
    spec = Spec(
        sheet=table.sheet.name,
        sheet_index=context.sheet_index,
        value=value,
        indicators=tuple(_all(columns, INDICATOR)),
        where=_first(columns, WHERE),
        period=_first(columns, PERIOD),
        period_text=context.period,
        growth=_first(columns, GROWTH),
        source=_first(columns, SOURCE),
        explanation=_first(columns, EXPLANATION),
        measure=_first(columns, MEASURE),
        unit=value.unit,
        fallback_unit=table.title_unit,
    )
    yield from [(spec, number, row) for number, row in _rows(table)]


register_layout(
    Layout(
        "long",
        gettext_lazy("Long: one observation per row"),
        _long_fits,
        _long_missing,
        _long_records,
        gettext_lazy(
            "Columns for the indicator, the region or unit, the period and the value; "
            "optionally the growth rate, the unit of measure, the source and an explanation."
        ),
    )
)


# --- wide: one row per indicator or region, one column per period ------------------------------


def _periods(columns: list[Column]) -> list[Column]:
    return [c for c in columns if c.period]


def _wide_fits(columns: list[Column]) -> bool:
    return bool(_periods(columns))


def _wide_missing(columns: list[Column], context: Context) -> list[str]:
    if _first(columns, INDICATOR) is None and not context.title_indicator:
        return [str(FIELDS[INDICATOR])]
    return []


def _wide_records(table: Table, columns: list[Column], context: Context) -> Iterator[Record]:
    indicators = tuple(_all(columns, INDICATOR))
    specs = [
        Spec(
            sheet=table.sheet.name,
            sheet_index=context.sheet_index,
            value=column,
            indicators=indicators,
            indicator=context.title_indicator,
            indicator_at=indicators[0] if indicators else None,
            where=_first(columns, WHERE),
            period_text=column.period,
            period=None,
            source=_first(columns, SOURCE),
            explanation=_first(columns, EXPLANATION),
            measure=_first(columns, MEASURE),
            unit=column.unit,
            fallback_unit=table.title_unit,
            skip_missing=True,
        )
        for column in _periods(columns)
    ]
    for number, row in _rows(table):
        for spec in specs:
            yield spec, number, row


register_layout(
    Layout(
        "wide",
        gettext_lazy("Wide: one column per period"),
        _wide_fits,
        _wide_missing,
        _wide_records,
        gettext_lazy(
            "One row per indicator (and region or unit), one column per period such as "
            "2022, 2023 or 2024-06."
        ),
    )
)


# --- cross-section: rows are regions (or periods), columns are indicators ----------------------


def _indicator_columns(columns: list[Column]) -> list[Column]:
    return [c for c in columns if c.indicator_code]


def _cross_fits(columns: list[Column]) -> bool:
    return bool(_indicator_columns(columns))


def _cross_missing(columns: list[Column], context: Context) -> list[str]:
    if _first(columns, PERIOD) is None and not context.period:
        return [str(FIELDS[PERIOD])]
    return []


def _cross_records(table: Table, columns: list[Column], context: Context) -> Iterator[Record]:
    growth_of = {c.growth_of: c for c in columns if c.growth_of}
    specs = [
        Spec(
            sheet=table.sheet.name,
            sheet_index=context.sheet_index,
            value=column,
            indicator=column.indicator_code,
            indicator_at=column,
            where=_first(columns, WHERE),
            period=_first(columns, PERIOD),
            period_text=context.period,
            growth=growth_of.get(column.indicator_code),
            source=_first(columns, SOURCE),
            unit=column.unit,
            fallback_unit=table.title_unit,
            skip_missing=True,
        )
        for column in _indicator_columns(columns)
    ]
    for number, row in _rows(table):
        for spec in specs:
            yield spec, number, row


register_layout(
    Layout(
        "cross",
        gettext_lazy("Cross-section: one column per indicator"),
        _cross_fits,
        _cross_missing,
        _cross_records,
        gettext_lazy(
            "A yearbook table: one row per region, one column per indicator with its unit in "
            "the header, e.g. “地区生产总值（亿元）”; the period comes from the title "
            "(“2023年…主要经济指标”) or is given."
        ),
    )
)


def unknown_column_message(column: Column, layout: Layout | None) -> str:
    if layout is not None and layout.name == "cross":
        return _(
            "No indicator is called “%(name)s”: map column %(column)s to an indicator or ignore it."
        ) % {"name": split_unit(column.header)[0], "column": column.letter}
    return _("Column %(column)s “%(header)s” is not recognised: map it or ignore it.") % {
        "column": column.letter,
        "header": column.header,
    }
